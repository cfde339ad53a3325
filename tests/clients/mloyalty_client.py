"""The PyPI `mloyalty` client (0.2.4) against `loyalty serve`, through its own code path.

Run by tests/mloyalty_clients.rs with the venv .ci/run makes. The client takes its login,
password and base URL from MLOYALTY_USERNAME, MLOYALTY_PASSWORD and MLOYALTY_BASE_URL, and
keeps its tokens in ./db.json (TinyDB): run it in a scratch directory. Arguments: the first
and last day of the period to ask for, and a year for the `Reg` preset. Prints one JSON
object of what the client returned; no token is printed.
"""

import json
import logging
import sys

import jwt
import mloyalty
import mloyalty.base

# The client logs every request and answer, tokens included, at DEBUG on stdout.
logging.getLogger("mloyalty").disabled = True
# It waits 3 s before each of its retries of a failed call; the unknown route below fails.
mloyalty.base.WAIT_DELAY = 0

PERIOD = "api/client/ClientInfoPeriod"


def period(client, access, params, form):
    """ClientInfoPeriod as a form with lower-case keys, the way this client posts every
    call; the body's token is the JWT's `token` claim, as the TypeScript client sends it."""
    token = jwt.decode(access, verify=False)["token"]
    body = {"token": token, "operator": params["operator_id"]}
    body.update(form)
    return client._make_request(access, PERIOD, method="post", params=body)


def main():
    first, last, year = sys.argv[1:4]
    client = mloyalty.Client()
    params = client.get_request_params()
    access = params.pop("token")
    dates = period(client, access, params, {"begdate": first, "enddate": last})
    preset = period(client, access, params, {"reg.year": year})

    # The client's own renewal: the refresh token it stored with the login.
    db = client.get_connection()
    stored = db.get()
    renewed = db.get(client.refresh_token(stored["refresh_token"]))
    after_refresh = period(
        client, renewed["access_token"], params, {"begdate": first, "enddate": last}
    )

    # A call of this client that the server does not serve.
    try:
        client.get_client_info(phone="9123456789")
        unserved = {"status": 200}
    except mloyalty.base.ApiException as e:
        unserved = {"status": e.result.status_code, "body": e.result.json()}

    print(
        json.dumps(
            {
                "params": params,
                "dates": dates,
                "preset": preset,
                "after_refresh": after_refresh,
                "unserved": unserved,
            }
        )
    )


if __name__ == "__main__":
    main()
