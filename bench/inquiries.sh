#!/usr/bin/env bash
# Inquiries over HTTP, the real path from socket to disk: signed-in seekers POST
# /api/v1/listings/{id}/inquiries on random active demo listings, driven by wrk with
# bench/inquiries.lua, on SQLite and on PostgreSQL. Each inquiry validates, checks the
# listing, merges a repeat within 24 hours, and writes the lead, its inquiry, its event, an
# email and an SMS to the outbox and an in-app notification in one transaction; the outbox
# dispatcher sends them meanwhile (log providers, log level warn). Writes
# bench/results/inquiries.json. PostgreSQL comes from GRIHA_TEST_PG_URL; without it the script
# runs itself under scripts/with-postgres.sh (a throwaway cluster with fsync off, recorded).
# Usage: bench/inquiries.sh [path/to/griha] [seconds] [connections] [seekers] [listings]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GRIHA_TEST_PG_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
. bench/lib.sh
binary=${1:-build/release/griha}
seconds=${2:-10}
conns=${3:-16}
seekers=${4:-32}
listings=${5:-2000}

bench_workspace inq

# run_backend NAME DATABASE_URL: seeds demo listings, makes the seekers, sends inquiries.
run_backend() {
  local name=$1 url=$2 base tokens ids result leads inquiries outbox i email
  mkdir -p "$work/$name"
  # Demo data: listers with email and phone, most listings active. Spam limits are lifted: one
  # address and a few accounts send everything here.
  start_griha "$binary" "$work/$name" GRIHA_DATABASE_URL="$url" GRIHA_SERVER_IO_THREADS=2 \
    GRIHA_SERVER_ACCESS_LOG=false GRIHA_LOG_LEVEL=warn GRIHA_DEMO_SEED=true \
    GRIHA_DEMO_LISTINGS="$listings" GRIHA_LEADS_IP_RATE_PER_MINUTE=1000000 \
    GRIHA_LEADS_SEEKER_RATE_PER_MINUTE=1000000 GRIHA_AUTH_IP_RATE_PER_MINUTE=100000
  base="http://127.0.0.1:$GRIHA_PORT"
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
  export INQ_TOKENS=${tokens%,} INQ_LISTINGS=$ids
  result=$(wrk_script_json "$base/" bench/inquiries.lua)
  kill "$GRIHA_PID"
  wait "$GRIHA_PID" 2>/dev/null || true
  GRIHA_PID=
  leads=$(sql "$url" "SELECT COUNT(*) FROM leads")
  inquiries=$(sql "$url" "SELECT COUNT(*) FROM lead_inquiries")
  outbox=$(sql "$url" "SELECT COUNT(*) FROM outbox WHERE kind LIKE 'lead.%'")
  printf '{"inquiries": %s, "leads_created": %s, "inquiries_stored": %s, "outbox_rows": %s, "active_listings": %s}' \
    "$result" "$leads" "$inquiries" "$outbox" "$(echo "$ids" | tr ',' '\n' | wc -l)"
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
result = {
    "benchmark": "inquiries",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": machine,
    "load_average_before": sys.argv[7], "load_average_after": sys.argv[8],
    "load": {"tool": "wrk + bench/inquiries.lua", "threads": 1, "connections": conns,
             "seconds": seconds, "keep_alive": True,
             "users": f"{seekers} signed-in seekers, bearer tokens, a random one per request"},
    "griha": {"io_threads": 2, "access_log": False, "log_level": "warn",
              "leads_rate_limits": "lifted (one client address, few accounts)"},
    "inquiry": "POST /api/v1/listings/{id}/inquiries on a random active demo listing: validated, "
               "listing checked, repeat within 24 h merged (200) or lead created (201); lead, "
               "inquiry, event, lister email + SMS (outbox) and in-app notification in one "
               "transaction; the dispatcher sends the outbox meanwhile",
    "sqlite": {**sqlite, "durability": "WAL, synchronous=FULL: each 2xx is synced to disk"},
    "postgres": {**postgres, "durability": "throwaway cluster: " + sys.argv[9] +
                 " -- commits are not synced, so this is an upper bound"},
}
open("bench/results/inquiries.json", "w").write(json.dumps(result, indent=2) + "\n")
for name in ("sqlite", "postgres"):
    r = result[name]
    o = r["inquiries"]
    print(f"{name:8} {o['rps']:>6} inquiries/s  p50 {o['p50_ms']} ms  p99 {o['p99_ms']} ms"
          f"  non-2xx {o['non_2xx']}  leads {r['leads_created']} of {r['inquiries_stored']} inquiries")
print(f"load average {sys.argv[7]} -> {sys.argv[8]}  -> bench/results/inquiries.json")
PY
