# What every mode of scripts/bench.sh shares: the tools, the release build, the table of rows
# beside their floors, a server and the load on it, PostgreSQL clusters, the console in tmux.
# Sourced by scripts/bench.sh, never run alone.
CLIENTS=${BENCH_CLIENTS:-1000000}
DURATION=${BENCH_SECONDS:-10}s
# Each load row first runs the same load this long, uncounted: the budgets are about steady
# work, and right after a large seeding the first seconds read indexes into the database's
# cache (PostgreSQL's write-offs: 2,700/s in the first 10 s after seeding 1,000,000 clients,
# 5,600-6,100/s after).
WARMUP=${BENCH_WARMUP:-5}s
TILLS=16
PORT=18080
TOKEN=bench

missing=()
for tool in wrk tmux sqlite3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

cargo build --release --locked --quiet
cargo bench --locked --bench perf --no-run --quiet 2>/dev/null
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/loyalty
runas_pg() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)

WORK=$(mktemp -d)
SERVER=
PG_DATA=
cleanup() {
  [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  tmux kill-session -t loyalty-bench 2>/dev/null || true
  [[ -n $PG_DATA ]] && runas_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---- the table ---------------------------------------------------------------------------
ROWS=()
FAILED=0
# row WHAT FIGURE FLOOR RATIO BUDGET VERDICT(ok|PAST)
row() {
  ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 |")
  [[ $6 == ok ]] || FAILED=1
  echo "  $1: $2 (floor $3, ratio $4; budget $5) $6" >&2
}
# within A B: "ok" when A <= B (decimals allowed), "PAST" otherwise.
within() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? "ok" : "PAST" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0) ? a / b : 0 }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
now_ns() { date +%s%N; }
# console_log DIR: what the console logged with its state dir in DIR (a file a day).
console_log() { cat "$1"/loyalty.*.log 2>/dev/null || true; }
# await_lines PATTERN DIR COUNT: until the console's log in DIR has COUNT lines matching
# PATTERN; a console that died or hangs ends the run after 60 s instead of holding it.
await_lines() {
  local deadline=$((SECONDS + 60)) seen
  until seen=$(console_log "$2" | grep -c "$1"); ((${seen:-0} >= $3)); do
    ((SECONDS < deadline)) || { echo "no \"$1\" in the log in $2 after 60 s" >&2; exit 1; }
    sleep 0.005
  done
}

# ---- floors that need no database ----------------------------------------------------------
# Process start: spawning `true`, averaged over 200 runs.
t0=$(now_ns)
for _ in $(seq 200); do /bin/true; done
START_FLOOR_US=$((($(now_ns) - t0) / 200 / 1000))

# ---- a server and the load on it -------------------------------------------------------------
wait_listening() { # PORT: until the port answers (the server seeds before it listens)
  until curl -s -o /dev/null "http://127.0.0.1:$1/healthz"; do
    kill -0 "$SERVER" 2>/dev/null || {
      echo "the server stopped:" >&2
      tail -5 "$WORK/server.log" >&2
      exit 1
    }
    sleep 0.2
  done
}
start_server() { # DB [extra args]: loyalty serve in the background
  local db=$1
  shift
  # The 404 floor would otherwise write a log line per request (every refused request is
  # logged at info), a cost the measured routes do not have; the write-offs' own lines stay.
  LOYALTY_LOG=info,loyalty_console::server::error=warn LOYALTY_SERVER_TOKEN="$TOKEN" "$BIN" serve --listen "127.0.0.1:$PORT" --db "$db" "$@" \
    >"$WORK/server.log" 2>&1 &
  SERVER=$!
}
stop_server() {
  kill "$SERVER" && wait "$SERVER" || true
  SERVER=
}
# wrk_get PATH [SECONDS]: requests per second and p99 (µs) of GET PATH from $TILLS
# connections, over $DURATION unless told.
wrk_get() {
  wrk -t2 -c$TILLS -d"${2:-$DURATION}" --latency -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT$1" >"$WORK/wrk.out"
  RATE=$(awk '/Requests\/sec/ { printf "%d", $2 }' "$WORK/wrk.out")
  P99=$(awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
    f = (u == "ms") ? 1000 : (u == "s") ? 1000000 : 1; printf "%d", v * f }' "$WORK/wrk.out")
}
# write_offs NONCE [SECONDS [SPAN]]: $TILLS tills writing off 0.01 points each over the first
# SPAN clients (50,000 unless told), over $DURATION unless told.
write_offs() {
  local span=${3:-50000}
  wrk -t2 -c$TILLS -d"${2:-$DURATION}" --latency -s scripts/bench/write_off.lua \
    "http://127.0.0.1:$PORT" -- 1234567 $((CLIENTS < span ? CLIENTS : span)) "$TOKEN" "$1" \
    >"$WORK/wrk.out"
  RATE=$(awk '/Requests\/sec/ { printf "%d", $2 }' "$WORK/wrk.out")
  read -r ACCEPTED REFUSED OTHER P99 < <(sed -n 's/^RESULT accepted=\([0-9]*\) refused=\([0-9]*\) other=\([0-9]*\) p50=[0-9]* p99=\([0-9]*\).*/\1 \2 \3 \4/p' "$WORK/wrk.out")
}
# check_write_offs STORE BEFORE AFTER: the accepted write-offs took the balance drop. wrk
# stops counting with up to $TILLS requests in flight, which the server still carries out:
# the drop may exceed what wrk saw accepted by that many, never fall short of it.
check_write_offs() {
  local drop=$(($2 - $3)) # each write-off is 0.01 points: one unit of the store
  if ((OTHER != 0 || drop < ACCEPTED || drop > ACCEPTED + TILLS)); then
    echo "$1: $ACCEPTED write-offs accepted, $OTHER other answers, but the balances fell by $drop hundredths" >&2
    FAILED=1
  else
    echo "  $1: the balances fell by $drop hundredths for $ACCEPTED write-offs seen accepted (+$((drop - ACCEPTED)) in flight at the stop); $REFUSED refused" >&2
  fi
}

# pg_alone DB SCRIPT [pgbench args]: per second, what PostgreSQL alone does of a row's work
# from $TILLS pgbench connections: no HTTP, no server. Beside a PostgreSQL row it tells what
# share of the budget the database leaves to the rest on these two cores.
pg_alone() {
  local db=$1 script=$2
  shift 2
  "$PG_BIN/pgbench" -n -c$TILLS -j2 -T"${DURATION%s}" -M prepared "$@" -f "$script" "$db" \
    2>/dev/null | awk '/^tps/ { printf "%d", $3 }'
}

# The seed document's sample client, which every demo database holds, looked for as a till
# looks: the console and `client find` send `%` and the last ten digits (a suffix, so that a
# vendor finds the phone however it stored it), never the exact number.
SEARCH="/ext/api/v1/clients/?phone=%257912345678"

# points DB: the sum of every points balance, in hundredths.
points() {
  local sql="SELECT sum(amount) FROM balances WHERE currency = 'points'"
  case $1 in
  postgres://*) "$PG_BIN/psql" -qtA "$1" -c "$sql" ;;
  *) sqlite3 "$1" "$sql" ;;
  esac
}

# seed NAME DB [serve args]: a server seeding $CLIENTS demo clients into DB, left running;
# SEED_S is how long until it listened.
seed() {
  local name=$1 db=$2 t0
  shift 2
  echo "$name: seeding $CLIENTS demo clients" >&2
  # What the rows before wrote (the gigabytes of a copied database) goes to the disk first,
  # not during the seeding.
  sync
  t0=$(now_ns)
  start_server "$db" --demo "$CLIENTS" "$@"
  wait_listening $PORT
  SEED_S=$(awk -v ns=$(($(now_ns) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
}
# settle NAME DB: after a seeding, what an operator waits for or does after a bulk load.
settle() {
  local name=$1 db=$2
  # SQLite copies the seeding's WAL (gigabytes for a million clients) back into the file in
  # the background, then cuts it back once writes pause; the rows below are about steady
  # work, so they wait for that.
  # Its file's size drops at once, but the kernel frees the file's cached pages in the same
  # call, seconds for the gigabytes of ten million clients (the rows right after it had a
  # p99 ten times their own), so the server's line saying it is done is waited for too.
  if [[ -e $db-wal ]] && (($(stat -c %s "$db-wal") > 64 << 20)); then
    local deadline=$((SECONDS + 600))
    until (($(stat -c %s "$db-wal") <= 64 << 20)) && grep -q "WAL file cut back" "$WORK/server.log"; do
      ((SECONDS < deadline)) || { echo "$name: the WAL was not copied back in 10 min" >&2; exit 1; }
      sleep 1
    done
  fi
  # Autovacuum's first pass over the new tables and the checkpoint of the seeding would
  # otherwise run under the rows below (by hand, write-offs' p99 went from 7 to 12–42 ms
  # under that pass): both are done first, as an operator does after a bulk load and as
  # SQLite's copy-back above is waited for. Only the tables the seeding filled, as
  # autovacuum would (it leaves a table of under 1,000 new rows alone): the demo's three
  # write-offs' operations, analysed, were planned as one page by the connections that plan
  # a statement once, which then scanned the table as it grew (docs/deploy.md, "After a
  # bulk load"). With no table that large, nothing is vacuumed: an empty list would make
  # `VACUUM` take the whole database.
  if [[ $db == postgres://* ]]; then
    local filled
    filled=$("$PG_BIN/psql" -qtA "$db" -c "SELECT string_agg(quote_ident(relname), ', ')
      FROM pg_stat_user_tables WHERE n_live_tup >= 1000")
    [[ -z $filled ]] || "$PG_BIN/psql" -qtA "$db" -c "VACUUM (ANALYZE) $filled"
    "$PG_BIN/psql" -qtA "$db" -c CHECKPOINT
  fi
  # The kernel may still be writing the seeding's gigabytes back to the disk: they are
  # flushed first, so that the rows below measure steady work, not the seeding's tail.
  sync
}

# stop_and_check NAME DB: the server stopped, then `serve --check` over what the load left.
stop_and_check() {
  stop_server
  "$BIN" serve --db "$2" --check >"$WORK/check.out" 2>&1 || {
    echo "$1: serve --check found faults after the load:" >&2
    cat "$WORK/check.out" >&2
    FAILED=1
  }
}

# ---- the console in a terminal -------------------------------------------------------------------
# console DATA_DIR: the console at 200x60 in tmux on the embedded default over DATA_DIR;
# returns once its first frame is logged.
console() {
  local data=$1
  mkdir -p "$data" "$WORK/config"
  tmux kill-session -t loyalty-bench 2>/dev/null || true
  tmux new-session -d -s loyalty-bench -x 200 -y 60 \
    "env LANG=ru_RU.UTF-8 TERM=xterm-256color LOYALTY_LOG=info,loyalty::frames=debug \
     LOYALTY_DATA_DIR='$data' LOYALTY_CONFIG_DIR='$WORK/config' LOYALTY_STATE_DIR='$data/logs' \
     '$BIN'"
  await_lines "first frame drawn" "$data/logs" 1
}
# The lines read `... INFO loyalty::frames: first frame drawn micros=1234`.
first_frame_us() { console_log "$1/logs" | sed -n 's/.*first frame drawn micros=\([0-9]*\).*/\1/p' | tail -1; }

# ---- PostgreSQL ---------------------------------------------------------------------------------
PG_PORT=55439
# pg_start: a throwaway cluster in $WORK/pg with the settings docs/deploy.md gives a chain's
# database server; sets PG_URL to it, or to nothing (and says why) without Debian's binaries.
PG_URL=
pg_start() {
  if [[ ! -x $PG_BIN/initdb ]]; then
    echo "*** PostgreSQL rows skipped: no /usr/lib/postgresql/*/bin/initdb ***" >&2
    return
  fi
  PG_DATA=$WORK/pg
  mkdir -p "$PG_DATA"
  ((EUID == 0)) && chown postgres "$WORK" "$PG_DATA"
  runas_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --locale=C >/dev/null
  runas_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/log" -w \
    -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c max_wal_size=8GB ${BENCH_PG_SETTINGS:-}" \
    start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}
# pg_reset URL: an empty database again, for the next size of a curve.
pg_reset() {
  "$PG_BIN/psql" -qtA "$1" -c "SET client_min_messages = warning" -c "DROP SCHEMA public CASCADE" \
    -c "CREATE SCHEMA public" >/dev/null
}

# print_table: the rows as docs/performance.md keeps them; the exit status of the run.
print_table() {
  echo
  echo "| what | figure | floor (same run) | ratio to the floor | budget | |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  return $FAILED
}
