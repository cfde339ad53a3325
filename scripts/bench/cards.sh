# `scripts/bench.sh cards`: a big client's card in the console and CSV exports that stream.
# A client with $BENCH_CARD_HISTORY history rows and $BENCH_CARD_COUPONS coupons among
# $BENCH_CLIENTS demo clients (`serve --demo-heavy`), on SQLite and PostgreSQL: the seeding and
# `serve --check`; in the console on the embedded default (200x60 in tmux): the card's first
# page and each key of its history and coupons, each timed to the frame that shows it (a key
# that turns a history page waits for the server: timed to the frame with the new page), and
# the console's peak RSS; `loyalty export history --csv` of that client and of one with
# $BENCH_CSV_ROWS rows: the peak RSS of both, and the progress line. Sourced by scripts/bench.sh.
# Ports of its own, so that it can run beside another mode (the soak's hour).
PORT=${BENCH_CARDS_PORT:-18180}
PG_PORT=${BENCH_CARDS_PG_PORT:-55539}
CARD_CLIENTS=${BENCH_CLIENTS:-10000}
HISTORY=${BENCH_CARD_HISTORY:-100000}
COUPONS=${BENCH_CARD_COUPONS:-1000}
CSV_ROWS=${BENCH_CSV_ROWS:-1000000}
# The 34th demo client: after the sample and the next one, whose figures are pinned.
HEAVY=$((1234567 + 33))
KEY_BUDGET_US=100000
RSS_BUDGET_KB=$((40 * 1024))

# seed_card NAME DB HISTORY COUPONS: seeds the demo with the heavy client, a row for the
# seeding, and `serve --check` after it.
seed_card() {
  local name=$1 db=$2 t0 seed_s
  sync
  t0=$(now_ns)
  start_server "$db" --demo "$CARD_CLIENTS" --demo-heavy "$HEAVY:$3:$4"
  wait_listening $PORT
  seed_s=$(awk -v ns=$(($(now_ns) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  row "$name: \`--demo $CARD_CLIENTS --demo-heavy $HEAVY:$3:$4\` seeding" "$seed_s s" "—" "—" "—" ok
  # The heavy client's history page at its far end, over HTTP: what the last PageDown asks.
  local last=$(($3 > 50 ? $3 - 50 : 0)) url="http://127.0.0.1:$PORT/ext/api/v1/clients/$HEAVY/balance/history/"
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$url?offset=0&limit=50"
  local first_s deep_s
  first_s=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$url?offset=0&limit=50")
  deep_s=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$url?offset=$last&limit=50")
  local first_us deep_us
  first_us=$(awk -v s="$first_s" 'BEGIN { printf "%d", s * 1e6 }')
  deep_us=$(awk -v s="$deep_s" 'BEGIN { printf "%d", s * 1e6 }')
  row "$name: history page at offset $last of $3, over HTTP" "$(ms "$deep_us")" "first page: $(ms "$first_us")" \
    "$(ratio "$deep_us" "$first_us")" "under 100 ms" "$(within "$deep_us" $KEY_BUDGET_US)"
  stop_server
  "$BIN" serve --db "$db" --check >"$WORK/check.out" 2>&1 || {
    echo "$name: serve --check found faults after seeding the heavy client:" >&2
    cat "$WORK/check.out" >&2
    FAILED=1
  }
}

# percentile P: of the numbers on stdin.
percentile() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { print v[int(NR * p + 0.999)] }'; }

# ---- SQLite: the heavy client, then the console on it ----------------------------------------
DB=$WORK/cards.db
seed_card SQLite "$DB" "$HISTORY" "$COUPONS"
PHONE=$(sqlite3 "$DB" "SELECT phone_norm FROM clients WHERE id = $HEAVY")
[[ -n $PHONE ]] || { echo "demo client $HEAVY has no phone to search by" >&2; exit 1; }

mkdir -p "$WORK/card"
cp "$DB" "$WORK/card/loyalty.db"
console "$WORK/card"
coproc FRAMES { exec tail -n +1 -F "$(ls "$WORK"/card/logs/loyalty.*.log | tail -1)" 2>/dev/null; }
# press KEY...: sends one key and prints what it cost in µs: to its frame, or, when that
# frame still waited for the server, to the frame that showed the answer.
press() {
  local line cost=
  tmux send-keys -t loyalty-bench "$@"
  while IFS= read -r -t 60 line <&"${FRAMES[0]}"; do
    case $line in
    *"redrawn after a key"*"waiting=true"*) ;;
    *"redrawn after a key"* | *"answered after a key"*)
      cost=$(sed -n 's/.*after a key micros=\([0-9]*\).*/\1/p' <<<"$line")
      break
      ;;
    esac
  done
  [[ -n $cost ]] || { echo "no frame for the key $* within 60 s" >&2; exit 1; }
  echo "$cost"
}
# The till's search: `%` and the last ten digits, typed, then Enter; the list's first row,
# then Enter opens the card: its balance, coupons and first history page.
for key in % $(fold -w1 <<<"${PHONE: -10}"); do press "$key" >/dev/null; done
press Enter >/dev/null
press Down >/dev/null
OPEN_US=$(press Enter)
row "console: the big card's first page ($HISTORY rows, $COUPONS coupons), Enter → its frame" "$(ms "$OPEN_US")" \
  "—" "—" "under 100 ms" "$(within "$OPEN_US" $KEY_BUDGET_US)"

# History: Tab to it, then PageDown through the pages (each turns one at the page's end),
# arrows and PageUp back.
press Tab >/dev/null
: >"$WORK/history.us"
for _ in $(seq 40); do press PageDown >>"$WORK/history.us"; done
for _ in $(seq 20); do press Up >>"$WORK/history.us"; done
for _ in $(seq 20); do press Down >>"$WORK/history.us"; done
for _ in $(seq 20); do press PageUp >>"$WORK/history.us"; done
P99=$(percentile 0.99 <"$WORK/history.us")
P50=$(percentile 0.5 <"$WORK/history.us")
row "console: history keys, PageDown/arrows/PageUp ($(wc -l <"$WORK/history.us") keys, to the frame with the page)" \
  "p50 $(ms "$P50"), p99 $(ms "$P99")" "—" "—" "p99 under 100 ms" "$(within "$P99" $KEY_BUDGET_US)"

# Coupons: the write-off form's list (`w`, then `+` picks the first and takes the focus),
# arrows and PageDown through the $COUPONS, then Esc.
press w >/dev/null
press + >/dev/null
: >"$WORK/coupons.us"
for _ in $(seq 40); do press Down >>"$WORK/coupons.us"; done
for _ in $(seq 20); do press PageDown >>"$WORK/coupons.us"; done
for _ in $(seq 20); do press Up >>"$WORK/coupons.us"; done
press Escape >/dev/null
P99=$(percentile 0.99 <"$WORK/coupons.us")
P50=$(percentile 0.5 <"$WORK/coupons.us")
row "console: coupon list keys, arrows/PageDown ($(wc -l <"$WORK/coupons.us") keys)" \
  "p50 $(ms "$P50"), p99 $(ms "$P99")" "—" "—" "p99 under 100 ms" "$(within "$P99" $KEY_BUDGET_US)"
kill "$FRAMES_PID" 2>/dev/null || true

pid=$(tmux list-panes -t loyalty-bench -F '#{pane_pid}')
RSS_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
tmux kill-session -t loyalty-bench
row "console: peak RSS, the big card open and paged" "$((RSS_KB / 1024)) MB" "—" "—" "under 40 MB" \
  "$(within "$RSS_KB" $RSS_BUDGET_KB)"

# ---- exports: the CLI on the embedded default over the same data dir ---------------------------
# export_rss DATA_DIR ROWS: the CLI's history export of the heavy client to a file; sets
# EXPORT_KB (peak RSS) and EXPORT_S, and checks the CSV holds ROWS rows and the progress line.
export_rss() {
  local data=$1 t0
  t0=$(now_ns)
  env LANG=ru_RU.UTF-8 LOYALTY_DATA_DIR="$data" LOYALTY_CONFIG_DIR="$WORK/config" LOYALTY_STATE_DIR="$data/logs" \
    /usr/bin/time -f "maxrss=%M" "$BIN" export history --client "$HEAVY" --csv >"$WORK/export.csv" 2>"$WORK/export.err"
  EXPORT_S=$(awk -v ns=$(($(now_ns) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  EXPORT_KB=$(sed -n 's/^maxrss=//p' "$WORK/export.err")
  local written=$(($(wc -l <"$WORK/export.csv") - 1))
  # The demo's own write-offs with receipts may add a few rows to any client's history.
  if ((written < $2)); then
    echo "export of $HEAVY: $written rows written, $2 seeded" >&2
    FAILED=1
  fi
  if ! grep -q "^Выгружено " "$WORK/export.err"; then
    echo "export of $HEAVY: no progress line on stderr:" >&2
    cat "$WORK/export.err" >&2
    FAILED=1
  fi
  EXPORT_ROWS=$written
}
export_rss "$WORK/card" "$HISTORY"
SMALL_KB=$EXPORT_KB SMALL_ROWS=$EXPORT_ROWS SMALL_S=$EXPORT_S

BIG_DB=$WORK/csv.db
seed_card "SQLite, $CSV_ROWS rows" "$BIG_DB" "$CSV_ROWS" 0
mkdir -p "$WORK/csv"
cp "$BIG_DB" "$WORK/csv/loyalty.db"
export_rss "$WORK/csv" "$CSV_ROWS"
row "\`loyalty export history --csv\`: $EXPORT_ROWS rows in $EXPORT_S s, peak RSS" "$((EXPORT_KB / 1024)) MB" \
  "$SMALL_ROWS rows ($SMALL_S s): $((SMALL_KB / 1024)) MB" "$(ratio "$EXPORT_KB" "$SMALL_KB")" \
  "under 40 MB, flat (within 1.2x)" \
  "$([[ $(within "$EXPORT_KB" $RSS_BUDGET_KB) == ok && $(within "$EXPORT_KB" "$((SMALL_KB * 12 / 10))") == ok ]] && echo ok || echo PAST)"
echo "  progress line: $(grep Выгружено "$WORK/export.err" | tail -1)" >&2
rm -f "$WORK/export.csv" "$BIG_DB" "$WORK/csv/loyalty.db"

# ---- PostgreSQL: the same heavy client, seeded and checked ------------------------------------
pg_start
if [[ -n $PG_URL ]]; then seed_card PostgreSQL "$PG_URL" "$HISTORY" "$COUPONS"; fi

# The admin tables' rows (F4-F6), from their own mode file when it is there.
if [[ -f scripts/bench/cards_admin.sh ]]; then source scripts/bench/cards_admin.sh; fi
