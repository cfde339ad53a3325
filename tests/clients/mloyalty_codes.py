"""The PyPI `mloyalty` client (0.2.4) sending and confirming a code against `loyalty serve`,
through its own `send_verification_code` and `confirm_code` (mloyalty/client.py).

Run by tests/vendors/mloyalty_clients.rs with the venv .ci/run makes; the client takes its
login, password and base URL from MLOYALTY_USERNAME, MLOYALTY_PASSWORD and
MLOYALTY_BASE_URL and keeps its tokens in ./db.json: run it in a scratch directory.
Arguments: the client's phone (ten digits, beginning with 9, as the client's docstring
asks) and the server's code outbox, where the code sent is read as the client would read
it from their phone. Prints one JSON object of what the client returned; not the code.
"""

import json
import logging
import os
import re
import sys

import mloyalty
import mloyalty.base

# The client logs every request and answer, tokens included, at DEBUG on stdout.
logging.getLogger("mloyalty").disabled = True
mloyalty.base.WAIT_DELAY = 0


def refused(call):
    """What a call the client raises on came to: its HTTP status and body."""
    try:
        return {"raised": False, "body": call()}
    except mloyalty.base.ApiException as e:
        return {"raised": True, "status": e.result.status_code, "body": e.result.json()}


def newest_code(outbox):
    files = sorted(
        os.listdir(outbox), key=lambda name: int(name.rsplit("-", 1)[1].split(".")[0])
    )
    with open(os.path.join(outbox, files[-1]), encoding="utf-8") as f:
        return re.search(r"\b(\d{6})\b", f.read()).group(1)


def main():
    phone, outbox = sys.argv[1:3]
    client = mloyalty.Client()
    sent = client.send_verification_code(phone)
    code = newest_code(outbox)
    wrong = "000000" if code != "000000" else "111111"
    print(
        json.dumps(
            {
                "sent": sent,
                "wrong": refused(lambda: client.confirm_code(phone, wrong)),
                "right": refused(lambda: client.confirm_code(phone, code)),
                "again": refused(lambda: client.confirm_code(phone, code)),
            }
        )
    )


if __name__ == "__main__":
    main()
