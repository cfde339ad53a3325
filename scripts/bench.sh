#!/usr/bin/env bash
# The performance budgets of docs/performance.md, each measured beside its floor in the same
# run, on the release build: prints the table and exits non-zero when a figure is past its
# budget or a load broke the accounting. Not part of .ci/run (budgets are watched here,
# never by timed test assertions).
#
#   scripts/bench.sh            # every budget at 1,000,000 clients, SQLite and PostgreSQL (13 min)
#   BENCH_CLIENTS=200000 scripts/bench.sh   # a smaller database, for a quick look
#   scripts/bench.sh curve      # the scale curve: 100k, 1M, 10M clients (BENCH_PG_SIZES,
#                               # BENCH_SQLITE_SIZES)
#   scripts/bench.sh soak       # an hour of trading at 16 tills (BENCH_SOAK_MINUTES)
#   scripts/bench.sh cards      # big cards and tables in the console
#
# BENCH_PG_SETTINGS adds the throwaway PostgreSQL's settings, to compare one against the
# docs/deploy.md ones in the same procedure (e.g. "-c wal_compression=lz4").
#
# Installs wrk (the HTTP load generator), tmux and sqlite3 when they are missing. PostgreSQL
# rows need Debian's binaries under /usr/lib/postgresql (skipped, and said so, without them).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-budgets}
case $MODE in
budgets | curve | soak | cards) ;;
*)
  echo "usage: scripts/bench.sh [budgets|curve|soak|cards]" >&2
  exit 2
  ;;
esac
source scripts/bench/lib.sh
source "scripts/bench/$MODE.sh"
print_table
