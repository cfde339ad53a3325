# `scripts/bench.sh curve`: how the cost grows with the clients. Each size is seeded afresh and
# measured beside its floors in the same run; then one table gives every row at every size and
# its ratio from the smallest to the largest, which fails the run when a p99 (or the memory or
# the bytes per client) grows more than 2x.
#
#   BENCH_PG_SIZES      PostgreSQL sizes (default "100000 1000000 10000000")
#   BENCH_SQLITE_SIZES  SQLite sizes (default "100000 1000000": 10,000,000 needs about 23 GB
#                       of disk for its file; add it when the disk allows)

PG_SIZES=${BENCH_PG_SIZES-100000 1000000 10000000}
SQLITE_SIZES=${BENCH_SQLITE_SIZES-100000 1000000}
# The seed document's sample client, looked for by its whole number (the lookup no till sends,
# kept as the floor of the till's own suffix search).
EXACT="/ext/api/v1/clients/?phone=7912345678"

declare -A AT # AT[store/metric/size]: a figure of the curve

# rss_kb PID FIELD: VmRSS or VmHWM of a process, in kB.
rss_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# db_bytes DB: the database's size on disk (PostgreSQL's own count; SQLite's file and WAL).
db_bytes() {
  case $1 in
  postgres://*) "$PG_BIN/psql" -qtA "$1" -c "SELECT pg_database_size(current_database())" ;;
  *) cat "$1" "$1-wal" 2>/dev/null | wc -c ;;
  esac
}

# io_now URL: PostgreSQL's whole-page images and bytes written to the WAL so far, the blocks
# it read from outside its shared buffers, and the sectors read from the machine's disks
# (outside the page cache too: at ten million clients the database is larger than memory).
io_now() {
  echo "$("$PG_BIN/psql" -qtA -F' ' "$1" -c "SELECT wal_fpi, wal_bytes,
    (SELECT blks_read FROM pg_stat_database WHERE datname = current_database()) FROM pg_stat_wal")" \
    "$(awk '$3 ~ /^(sd[a-z]+|vd[a-z]+|nvme[0-9]+n[0-9]+|xvd[a-z]+)$/ { s += $6 } END { print s + 0 }' /proc/diskstats)"
}

# curve_size NAME DB: one size of the curve, $CLIENTS clients, every row beside its floor.
curve_size() {
  local name=$1 db=$2 n=$CLIENTS before after floor_rate floor_p99 alone=""
  seed "$name" "$db"
  AT[$name/seed/$n]=$SEED_S
  local budget="—" verdict=ok
  if [[ $db == postgres://* ]] && ((n >= 10000000)); then
    budget="under 600 s"
    verdict=$(within "$SEED_S" 600)
  fi
  AT[$name/seed_rss/$n]=$(rss_kb "$SERVER" VmHWM)
  # What the seeding server keeps once it serves: what the seeding freed must not stay.
  AT[$name/seeded_rss/$n]=$(rss_kb "$SERVER" VmRSS)
  row "$name $n: \`--demo\` seeding; its peak RSS; its RSS once serving" \
    "$SEED_S s; $((AT[$name/seed_rss/$n] / 1024)) MB; $((AT[$name/seeded_rss/$n] / 1024)) MB" \
    "—" "—" "$budget" "$verdict"
  # The server that serves the load starts afresh, so that its peak RSS is the serving's,
  # not the seeding's.
  stop_server
  start_server "$db"
  wait_listening $PORT
  settle "$name" "$db"

  wrk_get /nothing
  floor_rate=$RATE floor_p99=$P99
  if [[ $db == postgres://* ]]; then
    alone="; the statement alone (pgbench): $(pg_alone "$db" scripts/bench/pg_search.sql)/s"
  fi
  wrk_get "$SEARCH" "$WARMUP"
  wrk_get "$SEARCH"
  AT[$name/search/$n]=$P99
  AT[$name/search_rate/$n]=$RATE
  row "$name $n: the till's phone search (\`%\` + ten digits)" "$RATE/s, p99 $(ms "$P99")" \
    "404 route: $floor_rate/s, p99 $(ms "$floor_p99")$alone" "$(ratio "$floor_rate" "$RATE") slower" "—" ok
  wrk_get "$EXACT" "$WARMUP"
  wrk_get "$EXACT"
  AT[$name/exact/$n]=$P99
  AT[$name/exact_rate/$n]=$RATE
  row "$name $n: exact phone search" "$RATE/s, p99 $(ms "$P99")" \
    "404 route: $floor_rate/s, p99 $(ms "$floor_p99")" "$(ratio "$floor_rate" "$RATE") slower" "—" ok

  # The write-offs spread over every client, not the first 50,000: at ten million most of
  # them are read from the disk, not the cache, which is what a chain's day is.
  write_offs "$name-warm-$n-$$" "$WARMUP" "$n"
  before=$(points "$db")
  local wal0="" wal=""
  [[ $db == postgres://* ]] && wal0=$(io_now "$db")
  write_offs "$name-$n-$$" "$DURATION" "$n"
  after=$(points "$db")
  # What each write-off wrote to the WAL, and how many whole pages: the first change of a
  # page after a checkpoint logs the page whole, and write-offs over every client change
  # pages no write-off changed since. And what it read: pages not in the shared buffers,
  # and of those what came from the disk itself, not the page cache.
  if [[ -n $wal0 ]]; then
    wal=$(io_now "$db" | awk -v w0="$wal0" -v n="$ACCEPTED" '{ split(w0, a, " ");
      printf "; WAL %.1f kB, %.2f whole pages; %.1f pages read, %.1f kB from the disk a write-off",
        ($2 - a[2]) / n / 1024, ($1 - a[1]) / n, ($3 - a[3]) / n, ($4 - a[4]) * 512 / n / 1024 }')
  fi
  AT[$name/write_off/$n]=$P99
  AT[$name/write_off_rate/$n]=$RATE
  row "$name $n: write-offs, $TILLS tills over every client" "$RATE/s, p99 $(ms "$P99")$wal" \
    "404 route: $floor_rate/s, p99 $(ms "$floor_p99")" "1/$(ratio "$floor_rate" "$RATE" | tr -d x)" \
    "≥ 5,000/s, p99 < 20 ms" \
    "$([[ $(within 5000 "$RATE") == ok && $(within "$P99" 20000) == ok ]] && echo ok || echo PAST)"
  check_write_offs "$name $n" "$before" "$after"

  AT[$name/server_rss/$n]=$(rss_kb "$SERVER" VmHWM)
  AT[$name/bytes/$n]=$(($(db_bytes "$db") / n))
  row "$name $n: server peak RSS; database on disk" \
    "$((AT[$name/server_rss/$n] / 1024)) MB; ${AT[$name/bytes/$n]} bytes a client" "—" "—" "—" ok
  local kept
  kept=$(ratio "${AT[$name/seeded_rss/$n]}" "${AT[$name/server_rss/$n]}")
  row "$name $n: the seeding server's RSS once serving" "$((AT[$name/seeded_rss/$n] / 1024)) MB" \
    "a fresh server's peak under the load: $((AT[$name/server_rss/$n] / 1024)) MB" \
    "$kept" "within 2x" "$(within "${kept%x}" 2)"
  stop_and_check "$name $n" "$db"
}

# console_size DB: the console on the embedded default over the SQLite database DB (moved into
# its data dir): its first frame, then a till's search typed, and its peak RSS.
console_size() {
  local n=$CLIENTS data=$WORK/console-$CLIENTS pid us cold
  mkdir -p "$data"
  mv "$1" "$data/loyalty.db"
  rm -f "$1-wal" "$1-shm"
  # The first frame reads the binary and the file's first pages through the page cache, and
  # what the rows before leave there depends on the size: at ten million clients the file is
  # as large as the machine's memory, and the write-offs over every client had pushed the
  # binary out (18.94 ms against 8.45 ms at 100,000). So every size starts from the same
  # state: the page cache emptied, as after a reboot (which needs root), then once more with
  # what that start read still cached.
  if [[ -w /proc/sys/vm/drop_caches ]]; then
    sync
    echo 3 >/proc/sys/vm/drop_caches
    console "$data"
    cold=$(first_frame_us "$data")
    AT[SQLite/console_cold/$n]=$cold
    tmux kill-session -t loyalty-bench
    rm -rf "$data/logs"
    row "console $n: first frame from an emptied page cache" "$(ms "$cold")" \
      "\`true\`: $(ms $START_FLOOR_US)" "$(ratio "$cold" "$START_FLOOR_US")" "under 100 ms" \
      "$(within "$cold" 100000)"
  fi
  console "$data"
  us=$(first_frame_us "$data")
  # Keys that arrive together are drawn in one frame: the ten digits may be one redraw.
  tmux send-keys -t loyalty-bench 7912345678
  await_lines "redrawn after a key" "$data/logs" 1
  # The search answers after the keys' frame: give it the time a till would.
  sleep 1
  pid=$(tmux list-panes -t loyalty-bench -F '#{pane_pid}')
  AT[SQLite/console_frame/$n]=$us
  AT[SQLite/console_rss/$n]=$(rss_kb "$pid" VmHWM)
  tmux kill-session -t loyalty-bench
  row "console $n: first frame; peak RSS after a search" \
    "$(ms "$us"); $((AT[SQLite/console_rss/$n] / 1024)) MB" "\`true\`: $(ms $START_FLOOR_US)" \
    "$(ratio "$us" "$START_FLOOR_US")" "under 100 ms; under 40 MB" \
    "$([[ $(within "$us" 100000) == ok && $(within "${AT[SQLite/console_rss/$n]}" $((40 * 1024))) == ok ]] && echo ok || echo PAST)"
  rm -rf "$data"
}

for CLIENTS in $SQLITE_SIZES; do
  curve_size SQLite "$WORK/curve.db"
  console_size "$WORK/curve.db"
done
if [[ -n $PG_SIZES ]]; then
  pg_start
  if [[ -n $PG_URL ]]; then
    for CLIENTS in $PG_SIZES; do
      pg_reset "$PG_URL"
      curve_size PostgreSQL "$PG_URL"
    done
  fi
fi

# ---- the curve ----------------------------------------------------------------------------------
# curve_row STORE METRIC WHAT SIZES UNIT BUDGET(growth limit, or "—"): one line of the curve,
# its figure at each size and the growth from the smallest size to the largest.
CURVE=()
curve_row() {
  local store=$1 metric=$2 what=$3 sizes=$4 unit=$5 limit=$6 cells="" first="" last="" v growth verdict=ok
  for n in $sizes; do
    v=${AT[$store/$metric/$n]:-}
    [[ -z $first ]] && first=$v
    last=$v
    case $unit in
    us) cells+=" $(ms "$v") |" ;;
    kb) cells+=" $((v / 1024)) MB |" ;;
    *) cells+=" $v $unit |" ;;
    esac
  done
  growth=$(ratio "$last" "$first")
  if [[ $limit != — ]]; then
    verdict=$(within "$(awk -v a="$last" -v b="$first" 'BEGIN { print (b > 0) ? a / b : 0 }')" "$limit")
    [[ $verdict == ok ]] || FAILED=1
  fi
  local budget="—"
  [[ $limit == — ]] || budget="at most ${limit}x"
  CURVE+=("| $store: $what |$cells $growth | $budget | $verdict |")
}
curve_table() {
  local store=$1 sizes=$2 header="" rule=""
  if [[ -z $sizes ]]; then return; fi
  for n in $sizes; do
    header+=" $n |"
    rule+="---|"
  done
  CURVE+=("" "| $store | $header growth | budget of the growth | |" "|---|$rule---|---|---|")
  curve_row "$store" seed "seeding, s" "$sizes" s —
  curve_row "$store" seed_rss "seeding's peak RSS" "$sizes" kb 2
  curve_row "$store" seeded_rss "the seeded server's RSS once serving" "$sizes" kb 2
  curve_row "$store" search "the till's search, p99" "$sizes" us 2
  curve_row "$store" search_rate "the till's search, per second" "$sizes" /s —
  curve_row "$store" exact "exact search, p99" "$sizes" us 2
  curve_row "$store" write_off "write-offs, p99" "$sizes" us 2
  curve_row "$store" write_off_rate "write-offs, per second" "$sizes" /s —
  curve_row "$store" server_rss "server peak RSS" "$sizes" kb 2
  curve_row "$store" bytes "database on disk, bytes a client" "$sizes" B 2
  if [[ $store == SQLite ]]; then
    if [[ -n ${AT[$store/console_cold/${sizes%% *}]:-} ]]; then
      curve_row "$store" console_cold "console first frame, page cache emptied" "$sizes" us 2
    fi
    curve_row "$store" console_frame "console first frame" "$sizes" us 2
    curve_row "$store" console_rss "console peak RSS" "$sizes" kb 2
  fi
}
curve_table SQLite "$SQLITE_SIZES"
if [[ -n $PG_URL ]]; then curve_table PostgreSQL "$PG_SIZES"; fi
printf '%s\n' "${CURVE[@]}"
