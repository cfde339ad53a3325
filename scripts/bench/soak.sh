# `scripts/bench.sh soak`: an hour of trading. A server on PostgreSQL and/or SQLite, seeded
# with $CLIENTS demo clients, then $BENCH_SOAK_MINUTES minutes of $TILLS tills trading as a
# shop's day mixes it (scripts/bench/soak/trading.lua): the till's phone search, the exact
# one, balances, history pages, write-offs, holds spent or cancelled, a manager's reversals.
# One line per minute (throughput, p50/p99, the server's RSS, the database on disk, WAL and
# checkpoints, the idempotency table and its pruning), a plot of p99 and RSS per minute, and
# the goals at the end as rows: p99 steady, RSS flat, the key table bounded by its retention,
# `serve --check` clean, the accounting exact.
#
#   BENCH_SOAK_MINUTES=30 scripts/bench.sh soak                    # PostgreSQL, 1,000,000 clients
#   BENCH_SOAK_STORE=all BENCH_SOAK_MINUTES=4 BENCH_CLIENTS=50000 scripts/bench.sh soak
#
# BENCH_SOAK_STORE: postgres (default), sqlite or all. BENCH_SOAK_RETENTION_MIN: the
# server's --key-retention in minutes (default 5, so that a 30-minute soak shows the key
# table level off). BENCH_SOAK_PLOT: where the PNG goes (default docs/performance-soak.png).
#
# The load is wrk run once per minute, 60 s back to back, rather than one run with a script
# that keeps per-minute books: each minute then gets wrk's own latency histogram (its p50
# and p99 are exact, not merged from per-thread samples), and the samples of the server
# and the database are taken between two runs, when no request is in flight. The gap
# between two minutes (the samples) is measured and printed; it is a fraction of a second.
SOAK_MINUTES=${BENCH_SOAK_MINUTES:-30}
SOAK_STORE=${BENCH_SOAK_STORE:-postgres}
SOAK_RETENTION_MIN=${BENCH_SOAK_RETENTION_MIN:-5}
SOAK_PLOT=${BENCH_SOAK_PLOT:-docs/performance-soak.png}
SOAK_PIN=482913
SOAK_FIRST=1234567 # the first demo client's id
# The first minute warms the caches up; the goals are about the minutes after it, measured
# against this one.
STEADY=2
# RSS is flat when no minute after the first steady one is above it by more than this.
RSS_FLAT=1.2

case $SOAK_STORE in
postgres | sqlite | all) ;;
*)
  echo "BENCH_SOAK_STORE is postgres, sqlite or all" >&2
  exit 2
  ;;
esac
((SOAK_MINUTES >= STEADY)) || { echo "BENCH_SOAK_MINUTES must be at least $STEADY" >&2; exit 2; }
if ! command -v gnuplot >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox
fi

# soak_sql DB SQL: one value from the database.
soak_sql() {
  case $1 in
  postgres://*) "$PG_BIN/psql" -qtA "$1" -c "$2" ;;
  *) sqlite3 "$1" "$2" ;;
  esac
}

# soak_sample DB: sets RSS_MB (and RSS_ANON_MB, its heap: what is not mapped files, such as
# SQLite's page caches), DB_MB, WAL (what the WAL did or holds), KEYS. One psql call on
# PostgreSQL: the samples are the gap between two minutes of load.
PG_WAL_BYTES=0 PG_CKPT_TIMED=0 PG_CKPT_REQ=0 PG_CKPT_SQL=
soak_sample() {
  RSS_MB=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status")
  RSS_ANON_MB=$(awk '/^RssAnon:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status")
  if [[ $1 == postgres://* ]]; then
    local wal timed req
    if [[ -z $PG_CKPT_SQL ]]; then
      # PostgreSQL 17 moved the checkpoints' counts to their own view.
      if (($(soak_sql "$1" "SHOW server_version_num") >= 170000)); then
        PG_CKPT_SQL="SELECT num_timed, num_requested FROM pg_stat_checkpointer"
      else
        PG_CKPT_SQL="SELECT checkpoints_timed, checkpoints_req FROM pg_stat_bgwriter"
      fi
    fi
    # The key table's dead rows and autovacuum's passes over it beside its live ones: a sweep
    # that deletes by age reads past the rows the sweeps before it deleted until they are vacuumed.
    IFS='|' read -r KEYS KEYS_DEAD KEYS_VACUUMS DB_MB wal timed req < <(soak_sql "$1" "SELECT (SELECT count(*) FROM idempotency_keys),
      (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'idempotency_keys'),
      (SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = 'idempotency_keys'),
      round(pg_database_size(current_database()) / 1048576.0, 1), (SELECT wal_bytes FROM pg_stat_wal), c.*
      FROM ($PG_CKPT_SQL) c")
    WAL="$(awk -v b=$((wal - PG_WAL_BYTES)) 'BEGIN { printf "%.1f", b / 1048576 }') MB, ckpt $((timed - PG_CKPT_TIMED))/$((req - PG_CKPT_REQ))"
    PG_WAL_BYTES=$wal PG_CKPT_TIMED=$timed PG_CKPT_REQ=$req
  else
    local db wal
    KEYS=$(soak_sql "$1" "SELECT count(*) FROM idempotency_keys")
    KEYS_DEAD=— KEYS_VACUUMS=—
    db=$(stat -c %s "$1")
    wal=$(stat -c %s "$1-wal" 2>/dev/null || echo 0)
    DB_MB=$(awk -v b=$((db + wal)) 'BEGIN { printf "%.1f", b / 1048576 }')
    WAL="-wal $(awk -v b="$wal" 'BEGIN { printf "%.1f", b / 1048576 }') MB"
  fi
}

# soak_prunes FROM_BYTE: the key sweeps PostgreSQL logged since that byte of the server's
# log (by byte, not line: the log grows by a line per write-off) (`loyalty::keys` at debug): how many, the keys they forgot, their mean and longest time.
soak_prunes() {
  tail -c +"$1" "$WORK/server.log" | sed -n 's/.*expired idempotency keys swept forgotten=\([0-9]*\) micros=\([0-9]*\).*/\1 \2/p' |
    awk '{ n++; f += $1; t += $2; if ($2 > m) m = $2 }
      END { printf "%d sweeps, %d keys, mean %.2f ms, longest %.2f ms", n, f, n ? t / n / 1000 : 0, m / 1000 }'
}

# soak NAME DB: seeds, trades $SOAK_MINUTES minutes, prints a line a minute and the goals.
soak() {
  local name=$1 db=$2 before after log_from m out
  local -a P99S=() RSSS=() KEYED=() KEYSS=()
  local wo=0 hwo=0 rev=0 others=0 made_keys=0 ledger0 gap_max=0 t_end=0
  echo "$name: seeding $CLIENTS demo clients, then $SOAK_MINUTES minutes of trading" >&2
  # A manager whose PIN the tills' reversals carry.
  LOYALTY_SOAK_PIN=$SOAK_PIN "$BIN" serve user add soak-manager --role manager \
    --pin-env LOYALTY_SOAK_PIN --db "$db" >"$WORK/user.out" 2>&1 || { cat "$WORK/user.out" >&2; exit 1; }
  sync
  start_server "$db" --demo "$CLIENTS" --key-retention "${SOAK_RETENTION_MIN}m" \
    --log-level "info,loyalty_console::server::error=warn,loyalty::keys=debug"
  wait_listening $PORT
  # As the budgets do: the seeding's WAL copied back, PostgreSQL vacuumed and checkpointed,
  # the kernel's write-back done, so that minute 1 starts on a settled database.
  if [[ -e $db-wal ]]; then
    until (($(stat -c %s "$db-wal") <= 64 << 20)); do sleep 1; done
  fi
  if [[ $db == postgres://* ]]; then "$PG_BIN/psql" -qtA "$db" -c "VACUUM (ANALYZE)" -c CHECKPOINT; fi
  sync
  before=$(points "$db")
  ledger0=$(soak_sql "$db" "SELECT coalesce(max(id), 0) FROM ledger")
  soak_sample "$db" # the WAL and checkpoint counters' starting points
  local table=$WORK/soak-$name.md data=$WORK/soak-$name.tsv
  {
    echo "| minute | requests/s | p50 | p99 | server RSS (heap) | database on disk | WAL, checkpoints (timed/requested) | idempotency keys (dead, autovacuum passes) | key sweeps |"
    echo "|---|---|---|---|---|---|---|---|---|"
  } >"$table"
  : >"$data"
  for ((m = 1; m <= SOAK_MINUTES; m++)); do
    log_from=$(($(stat -c %s "$WORK/server.log") + 1))
    if ((t_end)); then
      local gap=$((($(now_ns) - t_end) / 1000000))
      if ((gap > gap_max)); then gap_max=$gap; fi
    fi
    out=$WORK/soak-$name-$m.out
    wrk -t$TILLS -c$TILLS -d60s --latency -s scripts/bench/soak/trading.lua \
      "http://127.0.0.1:$PORT" -- $SOAK_FIRST "$CLIENTS" "$TOKEN" "$name-$m-$$" "$SOAK_PIN" >"$out" 2>"$out.err" ||
      { echo "$name: minute $m: wrk failed ($?):" >&2; cat "$out" "$out.err" >&2; exit 1; }
    t_end=$(now_ns)
    local result rate p50 p99 n
    result=$(grep '^RESULT ' "$out") || { echo "$name: minute $m: wrk gave no result:" >&2; cat "$out" "$out.err" >&2; exit 1; }
    grep '^OTHER ' "$out" >&2 || true
    rate=$(awk '/Requests\/sec/ { printf "%d", $2 }' "$out")
    p50=$(sed 's/.* p50=\([0-9]*\).*/\1/' <<<"$result")
    p99=$(sed 's/.* p99=\([0-9]*\).*/\1/' <<<"$result")
    # kind=accepted/refused/other
    count() { sed "s/.* $1=\([0-9]*\)\/\([0-9]*\)\/\([0-9]*\).*/\\$2/" <<<"$result"; }
    wo=$((wo + $(count write_off 1)))
    hwo=$((hwo + $(count hold_write_off 1)))
    rev=$((rev + $(count reversal 1)))
    for k in search exact balance history write_off hold hold_write_off hold_cancel reversal; do
      n=$(count $k 3)
      if ((n)); then echo "  $name: minute $m: $n $k answers other than 200 or a refusal" >&2; fi
      others=$((others + n))
    done
    # Every write-off and reversal (accepted or refused) leaves its key.
    KEYED+=($(($(count write_off 1) + $(count write_off 2) + $(count reversal 1) + $(count reversal 2))))
    made_keys=$((made_keys + KEYED[-1]))
    soak_sample "$db"
    local prunes="per write-off"
    if [[ $db == postgres://* ]]; then prunes=$(soak_prunes "$log_from"); fi
    P99S+=("$p99") RSSS+=("$RSS_MB") KEYSS+=("$KEYS")
    echo "| $m | $rate | $(ms "$p50") | $(ms "$p99") | $RSS_MB MB ($RSS_ANON_MB) | $DB_MB MB | $WAL | $KEYS (dead $KEYS_DEAD, vacuumed $KEYS_VACUUMS) | $prunes |" >>"$table"
    echo "$m $(awk -v us="$p99" 'BEGIN { print us / 1000 }') $RSS_MB" >>"$data"
    echo "  $name minute $m: $rate/s, p50 $(ms "$p50"), p99 $(ms "$p99"), RSS $RSS_MB MB (heap $RSS_ANON_MB), db $DB_MB MB, $WAL, $KEYS keys (dead $KEYS_DEAD, vacuumed $KEYS_VACUUMS), sweeps: $prunes" >&2
  done
  sleep 1 # the requests in flight when the last minute stopped are carried out
  after=$(points "$db")

  # p99: every minute after the warm-up within 2x of the first steady one.
  local ref=${P99S[STEADY - 1]} worst=0 worst_m=$STEADY
  for ((m = STEADY; m <= SOAK_MINUTES; m++)); do
    if ((P99S[m - 1] > worst)); then worst=${P99S[m - 1]} worst_m=$m; fi
  done
  row "$name soak: p99 of the mix, every minute from $STEADY to $SOAK_MINUTES" "worst minute $worst_m: $(ms "$worst")" \
    "minute $STEADY: $(ms "$ref")" "$(ratio "$worst" "$ref")" "within 2x" \
    "$(within "$(awk -v a="$worst" -v b="$ref" 'BEGIN { print a / b }')" 2)"
  # RSS: no minute after the first steady one above it by more than RSS_FLAT.
  local rss_ref=${RSSS[STEADY - 1]} rss_max=0 rss_m=$STEADY
  for ((m = STEADY; m <= SOAK_MINUTES; m++)); do
    if [[ $(within "${RSSS[m - 1]}" "$rss_max") == PAST ]]; then rss_max=${RSSS[m - 1]} rss_m=$m; fi
  done
  row "$name soak: server RSS after the warm-up" "largest minute $rss_m: $rss_max MB (last: ${RSSS[-1]} MB)" \
    "minute $STEADY: $rss_ref MB" "$(ratio "$rss_max" "$rss_ref")" "within ${RSS_FLAT}x" \
    "$(within "$(awk -v a="$rss_max" -v b="$rss_ref" 'BEGIN { print a / b }')" "$RSS_FLAT")"
  # The key table: never more keys than the write-offs and reversals of the last
  # retention (plus the minute a sweep may lag, rounded up to whole minutes) left.
  local window=$((SOAK_RETENTION_MIN + 1)) bound=0 verdict
  for ((m = SOAK_MINUTES > window ? SOAK_MINUTES - window : 0; m < SOAK_MINUTES; m++)); do
    bound=$((bound + KEYED[m]))
  done
  verdict=$(within "${KEYSS[-1]}" "$bound")
  local shown="$((made_keys - KEYSS[-1])) of the $made_keys made were pruned"
  if ((KEYSS[-1] >= made_keys)); then
    if ((SOAK_MINUTES > window)); then
      verdict=PAST # it ran past the retention, and nothing was pruned
    else
      shown="$shown: the soak was not longer than the retention"
    fi
  fi
  row "$name soak: idempotency keys at the end (--key-retention ${SOAK_RETENTION_MIN}m)" "${KEYSS[-1]} ($shown)" \
    "made in the last $window minutes: $bound" "$(ratio "${KEYSS[-1]}" "$bound")" "≤ the last retention's" "$verdict"

  # The accounting: the balances fell by the write-offs and spent holds the tills saw
  # accepted, less the reversals, and by what lots expiring meanwhile took (the server's
  # own ledger rows, counted apart). Each minute's stop may leave one request per till in
  # flight, carried out but not counted: a hundredth either way.
  local expired counted=$((wo + hwo - rev)) drop=$((before - after)) slack=$((TILLS * SOAK_MINUTES))
  expired=$(soak_sql "$db" "SELECT coalesce(-sum(amount), 0) FROM ledger WHERE id > $ledger0
    AND currency = 'points' AND kind NOT IN ('write_off', 'reversal', 'refund')")
  local moved=$((drop - expired))
  row "$name soak: the accounting" "balances fell by $drop hundredths, $expired of them expiring lots" \
    "tills saw $counted: $wo write-offs + $hwo holds spent − $rev reversals; $others other answers" \
    "$((moved - counted)) off" "exact within ±$slack in flight, no other answer" \
    "$([[ $others == 0 && $((moved - counted)) -le $slack && $((counted - moved)) -le $slack ]] && echo ok || echo PAST)"
  stop_server
  if "$BIN" serve --db "$db" --check >"$WORK/check.out" 2>&1; then
    row "$name soak: \`serve --check\` after the soak" "clean" "—" "—" "clean" ok
  else
    cat "$WORK/check.out" >&2
    row "$name soak: \`serve --check\` after the soak" "faults" "—" "—" "clean" PAST
  fi
  echo "  $name: the longest gap between two minutes (the samples): $gap_max ms" >&2
  echo "$gap_max" >"$WORK/soak-$name.gap"
}

SOAK_NAMES=()
if [[ $SOAK_STORE == postgres || $SOAK_STORE == all ]]; then
  pg_start
  if [[ -n $PG_URL ]]; then
    soak PostgreSQL "$PG_URL"
    SOAK_NAMES+=(PostgreSQL)
  fi
fi
if [[ $SOAK_STORE == sqlite || $SOAK_STORE == all ]]; then
  soak SQLite "$WORK/soak.db"
  SOAK_NAMES+=(SQLite)
fi

# The plot: p99 (left axis) and RSS (right axis) per minute, a line of each per store.
if ((${#SOAK_NAMES[@]})); then
  plots=()
  for name in "${SOAK_NAMES[@]}"; do
    plots+=("'$WORK/soak-$name.tsv' using 1:2 axes x1y1 with linespoints title '$name p99 (ms)'")
    plots+=("'$WORK/soak-$name.tsv' using 1:3 axes x1y2 with linespoints dashtype 2 title '$name RSS (MB)'")
  done
  gnuplot <<GNUPLOT
set terminal png size 900,500
set output '$SOAK_PLOT'
set title "scripts/bench.sh soak: $CLIENTS clients, $TILLS tills, per minute"
set xlabel 'minute'
set xtics $(((SOAK_MINUTES + 14) / 15))
set ylabel 'p99 of the mix (ms)'
set y2label 'server RSS (MB)'
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key bottom right
set grid
plot $(IFS=,; echo "${plots[*]}")
GNUPLOT
  echo "  the plot: $SOAK_PLOT" >&2
  for name in "${SOAK_NAMES[@]}"; do
    echo
    echo "$name, $CLIENTS clients, $TILLS tills, --key-retention ${SOAK_RETENTION_MIN}m (the longest gap between two minutes: $(cat "$WORK/soak-$name.gap") ms):"
    echo
    cat "$WORK/soak-$name.md"
  done
fi
