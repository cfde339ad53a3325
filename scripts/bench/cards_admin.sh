# Big admin tables (issue 31): the back office's screens over a chain's data on the embedded
# default, and the REGOS route's deep pages on both stores. Sourced at the end of
# scripts/bench/cards.sh, after lib.sh.
#
# The data: `--demo $ADMIN_CLIENTS` gives every client a card registered over the last
# 400 days (Mloyalty's registrations: a year of a 1,000,000-client chain is about 2,500 a
# day) and a quarter of them Poster accumulations; $ADMIN_OPS operations are then added to
# the sample's card (card 1, promotion 1) in one INSERT … SELECT over a series, one a
# minute back from the demo's last operation. `serve --check` is run on the result.
ADMIN_CLIENTS=${BENCH_ADMIN_CLIENTS:-$CLIENTS}
ADMIN_OPS=${BENCH_ADMIN_OPS:-1000000}
# Requests per HTTP page row: REGOS's limit is 2 a second with bursts of 50 per key, and
# each row asks under a key of its own.
ADMIN_REQUESTS=20

# admin_big_card DB: $ADMIN_OPS operations on card 1 under promotion 1.
admin_big_card() {
  case $1 in
  postgres://*)
    "$PG_BIN/psql" -qtA -v ON_ERROR_STOP=1 "$1" -c "
      INSERT INTO card_operations (uuid, card_id, promo_id, type, amount, value, used_value,
                                   is_payment, date_s, exp_s, description, updated_s)
      SELECT '00000001-0000-4000-8001-' || lpad(to_hex(i), 12, '0'), 1, 1,
             CASE WHEN i % 5 = 0 THEN 2 ELSE 1 END,
             CASE WHEN i % 5 = 0 THEN 0 ELSE 100000 + i % 900 * 1000 END,
             5000 + i % 900 * 50, 0, i % 5 = 0, s - i * 60, 0, NULL, s - i * 60
      FROM generate_series(1, $ADMIN_OPS) AS i,
           (SELECT max(date_s) AS s FROM card_operations) AS at" \
      -c "ANALYZE card_operations"
    ;;
  *)
    sqlite3 "$1" "
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ADMIN_OPS),
           at(s) AS (SELECT max(date_s) FROM card_operations)
      INSERT INTO card_operations (uuid, card_id, promo_id, type, amount, value, used_value,
                                   is_payment, date_s, exp_s, description, updated_s)
      SELECT printf('00000001-0000-4000-8001-%012x', i), 1, 1, 1 + (i % 5 = 0),
             CASE WHEN i % 5 = 0 THEN 0 ELSE 100000 + i % 900 * 1000 END,
             5000 + i % 900 * 50, 0, i % 5 = 0, s - i * 60, 0, NULL, s - i * 60
      FROM n, at;
      ANALYZE card_operations;"
    ;;
  esac
}

# admin_seed NAME DB: the chain's data; its seeding time as a row; `serve --check` after.
admin_seed() {
  local name=$1 db=$2 t0 seed_s
  sync
  t0=$(now_ns)
  start_server "$db" --demo "$ADMIN_CLIENTS"
  wait_listening $PORT
  stop_server
  admin_big_card "$db"
  seed_s=$(awk -v ns=$(($(now_ns) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  row "$name: \`--demo $ADMIN_CLIENTS\` and $ADMIN_OPS operations on one card" "$seed_s s" "—" "—" "—" ok
  "$BIN" serve --db "$db" --check >"$WORK/check.out" 2>&1 || {
    echo "$name: serve --check found faults in the admin tables' data:" >&2
    cat "$WORK/check.out" >&2
    FAILED=1
  }
}

# p99 of the microseconds on stdin.
admin_p99() { sort -n | awk '{ v[NR] = $1 } END { print v[int(NR * 0.99 + 0.999)] + 0 }'; }

# admin_regos_page KEY BODY: microseconds of one GetOperations round trip; the answer must
# be a page of rows.
admin_regos_page() {
  local seconds
  seconds=$(curl -s -o "$WORK/regos.json" -w '%{time_total}' -X POST -H 'Content-Type: application/json' \
    --data "$2" "http://127.0.0.1:$PORT/gateway/out/$1/v1/RetailCard/GetOperations")
  grep -q '"ok":true' "$WORK/regos.json" || {
    echo "GetOperations $2 answered: $(head -c 300 "$WORK/regos.json")" >&2
    FAILED=1
  }
  awk -v s="$seconds" 'BEGIN { printf "%d\n", s * 1e6 }'
}

# admin_regos_rows NAME DB: pages of the big card over HTTP, each beside a 404's round trip
# by the same client: the first, middle and last in the date order (the console's), the
# middle of its incomes (the console's type filter), and the first and middle in the amount
# order (another of the console's sorts; no index serves it).
admin_regos_rows() {
  local name=$1 db=$2 floor page offset body us
  local card='"card_id":1,"promo_id":1,"limit":50'
  local incomes=$((ADMIN_OPS - ADMIN_OPS / 5))
  start_server "$db"
  wait_listening $PORT
  floor=$(for _ in $(seq $ADMIN_REQUESTS); do
    curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT/nothing"
  done | awk '{ printf "%d\n", $1 * 1e6 }' | admin_p99)
  for page in first middle last incomes amount-first amount-middle; do
    case $page in
    first) offset=0 body="{$card,\"offset\":0}" ;;
    middle) offset=$((ADMIN_OPS / 2)) body="{$card,\"offset\":$offset}" ;;
    last) offset=$((ADMIN_OPS - 50)) body="{$card,\"offset\":$offset}" ;;
    incomes)
      offset=$((incomes / 2))
      body="{$card,\"type\":\"Income\",\"offset\":$offset}"
      ;;
    amount-first)
      offset=0
      body="{$card,\"sort_orders\":[{\"column\":\"Amount\",\"direction\":\"desc\"}],\"offset\":0}"
      ;;
    amount-middle)
      offset=$((ADMIN_OPS / 2))
      body="{$card,\"sort_orders\":[{\"column\":\"Amount\",\"direction\":\"desc\"}],\"offset\":$offset}"
      ;;
    esac
    us=$(for i in $(seq $ADMIN_REQUESTS); do
      admin_regos_page "bench-$page-$i" "$body"
    done | admin_p99)
    row "$name: REGOS card operations, $page page (offset $offset) over HTTP" \
      "p99 $(ms "$us")" "404 route: p99 $(ms "$floor")" "$(ratio "$us" "$floor")" "p99 under 100 ms" \
      "$(within "$us" 100000)"
  done
  stop_server
}

# ---- the console over the chain's data -------------------------------------------------------
# The console logs `redrawn after a key` for the frame a key drew at once and `redrawn after
# a reply` (timed from the key) for the frame a server's answer drew: a key that needs a
# round trip is timed to the latter, the frame that shows the new page.
admin_console() {
  mkdir -p "$WORK/admin"
  cp "$1" "$WORK/admin/loyalty.db"
  console "$WORK/admin"
  coproc ADMIN_FRAMES { exec tail -n +1 -F "$(ls "$WORK"/admin/logs/loyalty.*.log | tail -1)" 2>/dev/null; }
}
# admin_key KEY WHAT: sends KEY and prints the microseconds of the frame WHAT (`key` or
# `reply`) after it.
admin_key() {
  local line
  tmux send-keys -t loyalty-bench "$1"
  while IFS= read -r -t 60 line <&"${ADMIN_FRAMES[0]}"; do
    if [[ $line == *"redrawn after a $2"* ]]; then
      sed -n 's/.*micros=\([0-9]*\).*/\1/p' <<<"$line"
      return 0
    fi
  done
  echo "no frame after a $2 for the key $1 within 60 s" >&2
  exit 1
}
# admin_screen_lacks TEXT: until the console's screen no longer shows TEXT (10 min at most).
admin_screen_lacks() {
  local deadline=$((SECONDS + 600))
  while tmux capture-pane -p -t loyalty-bench | grep -q "$1"; do
    ((SECONDS < deadline)) || { echo "the console still showed \"$1\" after 10 min" >&2; exit 1; }
    sleep 0.5
  done
}
# admin_row WHAT FILE: the p99 of FILE's microseconds as a row, budget 100 ms.
admin_row() {
  local p99 p50 n
  n=$(wc -l <"$2")
  p99=$(admin_p99 <"$2")
  p50=$(sort -n "$2" | awk '{ v[NR] = $1 } END { print v[int(NR * 0.5 + 0.999)] + 0 }')
  row "console: $1 ($n)" "p50 $(ms "$p50"), p99 $(ms "$p99")" "\`true\`: $(ms "$START_FLOOR_US")" \
    "$(ratio "$p99" "$START_FLOOR_US")" "p99 under 100 ms" "$(within "$p99" 100000)"
}

admin_console_rows() {
  local f t0 i
  admin_console "$1"
  # F6: the big card's first page, the pages after it, the other order (its oldest rows).
  f=$WORK/admin-f6-pages
  : >"$f"
  admin_key F6 key >/dev/null
  tmux send-keys -t loyalty-bench 1 Tab 1
  admin_key Enter reply >>"$f"
  for i in $(seq 10); do admin_key ']' reply >>"$f"; done
  admin_key o reply >>"$f"
  admin_key o reply >>"$f"
  admin_row "REGOS card operations over $ADMIN_OPS: first page, \`]\` pages, \`o\` order, key → page" "$f"
  f=$WORK/admin-f6-keys
  : >"$f"
  for key in Down Down Down PageDown PageDown End Up PageUp Home; do admin_key "$key" key >>"$f"; done
  admin_row "REGOS card operations: arrows, PageDown, End in the page → frame" "$f"

  # F4: Poster's accumulations, page by page.
  f=$WORK/admin-f4
  : >"$f"
  admin_key F4 reply >>"$f"
  for i in $(seq 10); do admin_key ']' reply >>"$f"; done
  admin_row "Poster accumulations: first page and \`]\` pages, key → page" "$f"

  # F5: this year (the third preset after today), counted a day at a time.
  f=$WORK/admin-f5-first
  : >"$f"
  admin_key F5 reply >>"$f"
  admin_key p reply >>"$f"
  admin_key p reply >>"$f"
  t0=$(now_ns)
  admin_key p reply >>"$f"
  admin_row "registrations: today, yesterday, this month, this year's first page, key → page" "$f"
  admin_screen_lacks "посчитано"
  row "console: registrations, this year of $ADMIN_CLIENTS clients counted a day at a time" \
    "$(awk -v ns=$(($(now_ns) - t0)) 'BEGIN { printf "%.1f s", ns / 1e9 }')" "—" "—" "—" ok
  f=$WORK/admin-f5-keys
  : >"$f"
  for i in $(seq 20); do admin_key Down key >>"$f"; done
  for i in $(seq 20); do admin_key PageDown key >>"$f"; done
  admin_row "registrations over the year: arrows and PageDown → frame" "$f"
  f=$WORK/admin-f5-end
  : >"$f"
  for i in $(seq 3); do
    admin_key End reply >>"$f"
    admin_key Home reply >>"$f"
  done
  admin_row "registrations over the year: End and Home, key → the rows' page" "$f"

  local pid rss
  pid=$(tmux list-panes -t loyalty-bench -F '#{pane_pid}')
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
  kill "$ADMIN_FRAMES_PID" 2>/dev/null || true
  tmux kill-session -t loyalty-bench
  row "console: peak RSS after the admin tables" "$((rss / 1024)) MB" "—" "—" "under 40 MB" \
    "$(within "$rss" $((40 * 1024)))"
}

# ---- SQLite: the embedded default -------------------------------------------------------------
admin_seed "admin, SQLite" "$WORK/admin.db"
admin_regos_rows "admin, SQLite" "$WORK/admin.db"
admin_console_rows "$WORK/admin.db"

# ---- PostgreSQL: the REGOS route's pages --------------------------------------------------------
[[ -n $PG_URL ]] || pg_start
if [[ -n $PG_URL ]]; then
  pg_reset "$PG_URL"
  admin_seed "admin, PostgreSQL" "$PG_URL"
  "$PG_BIN/psql" -qtA "$PG_URL" -c "VACUUM (ANALYZE)" -c CHECKPOINT
  admin_regos_rows "admin, PostgreSQL" "$PG_URL"
fi
