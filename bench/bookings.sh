#!/usr/bin/env bash
# Site-visit bookings over HTTP, the real path from socket to disk: signed-in seekers POST
# /api/v1/listings/{id}/visits, driven by wrk with bench/bookings.lua, on SQLite and on
# PostgreSQL. Every active demo listing is open for visits 08:00-20:00 IST in 15-minute slots
# of 4 places (48 slots a day, 50 days ahead), so "spread" bookings land on a different slot
# nearly every time; "hot" sends every request at one slot, so all but 4 are refused with 409.
# A booking checks the listing and its hours, takes a place with one conditional UPDATE, and
# writes the visit, its event, two confirmations with calendar invites, two reminders and an
# in-app notification in one transaction; the outbox dispatcher sends meanwhile (log provider,
# log level warn). Writes bench/results/bookings.json. PostgreSQL comes from GRIHA_TEST_PG_URL;
# without it the script runs itself under scripts/with-postgres.sh (a throwaway cluster with
# fsync off, recorded in the results).
# Usage: bench/bookings.sh [path/to/griha] [seconds] [connections] [seekers] [listings]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GRIHA_TEST_PG_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
. bench/lib.sh
binary=${1:-build/release/griha}
seconds=${2:-10}
conns=${3:-16}
seekers=${4:-32}
listings=${5:-2000}

bench_workspace book

# run_backend NAME DATABASE_URL: seeds demo listings, opens them for visits, makes the
# seekers, books (spread, then hot).
run_backend() {
  local name=$1 url=$2 base tokens ids hot_id result spread hot visits slots outbox i email
  mkdir -p "$work/$name"
  start_griha "$binary" "$work/$name" GRIHA_DATABASE_URL="$url" GRIHA_SERVER_IO_THREADS=2 \
    GRIHA_SERVER_ACCESS_LOG=false GRIHA_LOG_LEVEL=warn GRIHA_DEMO_SEED=true \
    GRIHA_DEMO_LISTINGS="$listings" GRIHA_AUTH_IP_RATE_PER_MINUTE=100000 \
    GRIHA_VISITS_IP_RATE_PER_MINUTE=1000000 GRIHA_VISITS_SEEKER_RATE_PER_MINUTE=1000000 \
    GRIHA_VISITS_MAX_ACTIVE=1000 GRIHA_VISITS_MAX_PER_LISTING=100
  base="http://127.0.0.1:$GRIHA_PORT"
  # Visiting hours for every active listing, written straight to the table (the same row
  # PUT /availability writes).
  sql "$url" "INSERT INTO visit_availability (listing_id, timezone, slot_minutes,
      visitors_per_slot, windows, blackout_dates, updated_by, updated_at)
    SELECT id, 'Asia/Kolkata', 15, 4,
      '[{\"day\":\"mon\",\"start\":\"08:00\",\"end\":\"20:00\"},{\"day\":\"tue\",\"start\":\"08:00\",\"end\":\"20:00\"},{\"day\":\"wed\",\"start\":\"08:00\",\"end\":\"20:00\"},{\"day\":\"thu\",\"start\":\"08:00\",\"end\":\"20:00\"},{\"day\":\"fri\",\"start\":\"08:00\",\"end\":\"20:00\"},{\"day\":\"sat\",\"start\":\"08:00\",\"end\":\"20:00\"},{\"day\":\"sun\",\"start\":\"08:00\",\"end\":\"20:00\"}]',
      '[]', owner_id, '2026-01-01T00:00:00Z' FROM listings WHERE status = 'active'" >/dev/null
  tokens=""
  for i in $(seq 1 "$seekers"); do
    email="bench-seeker-$i@example.in"
    printf 'a monsoon evening in pune\n' | GRIHA_DATABASE_URL="$url" GRIHA_LOG_LEVEL=warn \
      "$binary" user create --role seeker --email "$email" --name "Seeker $i" >/dev/null
    tokens+=$(curl -sf -XPOST "$base/api/v1/auth/signin" -H 'content-type: application/json' \
      -d "{\"email\":\"$email\",\"password\":\"a monsoon evening in pune\"}" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"], end="")'),
  done
  ids=$(sql "$url" "SELECT id FROM listings WHERE status = 'active' ORDER BY id" | paste -sd, -)
  # 08:00 IST today (02:30 UTC), as a Unix time.
  export BOOK_BASE=$(python3 -c 'import time; t = int(time.time()) + 19800; print(t - t % 86400 - 19800 + 8 * 3600)')
  export BOOK_TOKENS=${tokens%,} BOOK_LISTINGS=$ids BOOK_DAYS=50 BOOK_HOT=0
  spread=$(wrk_script_json "$base/" bench/bookings.lua)
  visits=$(sql "$url" "SELECT COUNT(*) FROM visits")
  slots=$(sql "$url" "SELECT COUNT(*) FROM visit_slots")
  outbox=$(sql "$url" "SELECT COUNT(*) FROM outbox WHERE kind LIKE 'visit.%'")
  hot_id=${ids%%,*}
  # The hot slot must start empty: skip it if a spread booking happened to land there.
  sql "$url" "DELETE FROM visit_events WHERE visit_id IN (SELECT id FROM visits WHERE listing_id = $hot_id)" >/dev/null
  sql "$url" "DELETE FROM visits WHERE listing_id = $hot_id" >/dev/null
  sql "$url" "DELETE FROM visit_slots WHERE listing_id = $hot_id" >/dev/null
  export BOOK_HOT=1
  hot=$(wrk_script_json "$base/" bench/bookings.lua)
  hot_booked=$(sql "$url" "SELECT COUNT(*) FROM visits WHERE listing_id = $hot_id AND status = 'booked'")
  kill "$GRIHA_PID"
  wait "$GRIHA_PID" 2>/dev/null || true
  GRIHA_PID=
  printf '{"spread": %s, "visits_after_spread": %s, "slots_touched": %s, "visit_outbox_rows": %s, "hot": %s, "hot_slot_booked": %s, "active_listings": %s}' \
    "$spread" "$visits" "$slots" "$outbox" "$hot" "$hot_booked" "$(echo "$ids" | tr ',' '\n' | wc -l)"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
sqlite=$(run_backend sqlite "sqlite://$work/sqlite/griha.db")
psql -q "$GRIHA_TEST_PG_URL" -c "CREATE DATABASE $pg_db" >/dev/null
postgres=$(run_backend postgres "${GRIHA_TEST_PG_URL%/*}/$pg_db")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
pg_settings=$(psql -qtA "$GRIHA_TEST_PG_URL" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')")

mkdir -p bench/results
python3 - "$(machine_json)" "$sqlite" "$postgres" "$seconds" "$conns" "$seekers" "$load_before" \
  "$load_after" "$pg_settings" <<'PY'
import datetime, json, sys
machine, sqlite, postgres = (json.loads(a) for a in sys.argv[1:4])
seconds, conns, seekers = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
for r in (sqlite, postgres):
    s = r["spread"]
    # Bookings made per second: the share of requests that got 201.
    s["bookings_per_s"] = round(s["rps"] * (s["requests"] - s["non_2xx"]) / s["requests"])
result = {
    "benchmark": "bookings",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": machine,
    "load_average_before": sys.argv[7], "load_average_after": sys.argv[8],
    "load": {"tool": "wrk + bench/bookings.lua", "threads": 1, "connections": conns,
             "seconds": seconds, "keep_alive": True,
             "users": f"{seekers} signed-in seekers, bearer tokens, a random one per request"},
    "griha": {"io_threads": 2, "access_log": False, "log_level": "warn",
              "visit_limits": "lifted (one client address, few accounts booking many slots)"},
    "hours": "every active demo listing: every day 08:00-20:00 IST, 15-minute slots, 4 places",
    "spread": "POST /api/v1/listings/{id}/visits at a random slot of a random listing 2-51 days "
              "ahead: listing and hours checked, a place taken with one conditional UPDATE, "
              "visit + event + 2 confirmations with .ics + 2 reminders + in-app notification "
              "in one transaction; the dispatcher sends confirmations meanwhile",
    "hot": "the same request, every one at a single 4-place slot: 4 succeed, the rest are "
           "refused 409 slot_full (the refusal path under contention)",
    "sqlite": {**sqlite, "durability": "WAL, synchronous=FULL: each 2xx is synced to disk"},
    "postgres": {**postgres, "durability": "throwaway cluster: " + sys.argv[9] +
                 " -- commits are not synced, so this is an upper bound"},
}
open("bench/results/bookings.json", "w").write(json.dumps(result, indent=2) + "\n")
for name in ("sqlite", "postgres"):
    r = result[name]
    s, h = r["spread"], r["hot"]
    print(f"{name:8} spread {s['bookings_per_s']:>5} bookings/s ({s['rps']} req/s)  p50 {s['p50_ms']} ms"
          f"  p99 {s['p99_ms']} ms  non-2xx {s['non_2xx']}  visits {r['visits_after_spread']}")
    print(f"{name:8} hot    {h['rps']:>5} req/s  p50 {h['p50_ms']} ms  p99 {h['p99_ms']} ms"
          f"  refused {h['non_2xx']}  booked {r['hot_slot_booked']} (of 4 places)")
print(f"load average {sys.argv[7]} -> {sys.argv[8]}  -> bench/results/bookings.json")
PY
