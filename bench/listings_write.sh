#!/usr/bin/env bash
# Listing writes over HTTP, the real path from socket to disk: POST /api/v1/listings (create)
# and PATCH /api/v1/listings/{id} (update) by one signed-in agent, driven by wrk with
# bench/listings_write.lua, on SQLite and on PostgreSQL. Writes bench/results/listings_write.json.
# PostgreSQL comes from GRIHA_TEST_PG_URL; without it the script runs itself under
# scripts/with-postgres.sh (a throwaway cluster with fsync off, recorded in the results).
# Usage: bench/listings_write.sh [path/to/griha] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GRIHA_TEST_PG_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
. bench/lib.sh
binary=${1:-build/release/griha}
seconds=${2:-10}
conns=${3:-16}

bench_workspace write

# run_backend NAME DATABASE_URL: starts griha on it, makes an agent, measures create then update.
run_backend() {
  local name=$1 url=$2 base token place max_id create update
  mkdir -p "$work/$name"
  start_griha "$binary" "$work/$name" GRIHA_DATABASE_URL="$url" GRIHA_SERVER_IO_THREADS=2 \
    GRIHA_SERVER_ACCESS_LOG=false GRIHA_LOG_LEVEL=warn
  base="http://127.0.0.1:$GRIHA_PORT"
  printf 'a monsoon evening in pune\n' | GRIHA_DATABASE_URL="$url" GRIHA_LOG_LEVEL=warn \
    "$binary" user create --role agent --email bench-agent@example.in --name Bench >/dev/null
  token=$(curl -sf -XPOST "$base/api/v1/auth/signin" -H 'content-type: application/json' \
    -d '{"email":"bench-agent@example.in","password":"a monsoon evening in pune"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  place=$(curl -sf "$base/api/v1/places?q=baner" |
    python3 -c 'import json, sys; p = json.load(sys.stdin)["places"][0]; print(p["city_id"], p["locality_id"], sep=",")')
  export LISTINGS_TOKEN=$token LISTINGS_PLACE=$place
  export LISTINGS_OP=create
  create=$(wrk_script_json "$base/" bench/listings_write.lua)
  max_id=$(curl -sf "$base/api/v1/me/listings?limit=1" -H "authorization: Bearer $token" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["listings"][0]["id"])')
  export LISTINGS_OP=update LISTINGS_MAX_ID=$max_id
  update=$(wrk_script_json "$base/" bench/listings_write.lua)
  kill "$GRIHA_PID"
  wait "$GRIHA_PID" 2>/dev/null || true
  GRIHA_PID=
  printf '{"create": %s, "update": %s, "listings_after_create": %s}' "$create" "$update" "$max_id"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
sqlite=$(run_backend sqlite "sqlite://$work/sqlite/griha.db")
psql -q "$GRIHA_TEST_PG_URL" -c "CREATE DATABASE $pg_db" >/dev/null
postgres=$(run_backend postgres "${GRIHA_TEST_PG_URL%/*}/$pg_db")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
pg_settings=$(psql -qtA "$GRIHA_TEST_PG_URL" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')")

mkdir -p bench/results
python3 - "$(machine_json)" "$sqlite" "$postgres" "$seconds" "$conns" "$load_before" \
  "$load_after" "$pg_settings" <<'PY'
import datetime, json, sys
machine, sqlite, postgres = (json.loads(a) for a in sys.argv[1:4])
seconds, conns = int(sys.argv[4]), int(sys.argv[5])
result = {
    "benchmark": "listings_write",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": machine,
    "load_average_before": sys.argv[6], "load_average_after": sys.argv[7],
    "load": {"tool": "wrk + bench/listings_write.lua", "threads": 1, "connections": conns,
             "seconds": seconds, "keep_alive": True, "user": "one agent, bearer token"},
    "griha": {"io_threads": 2, "access_log": False},
    "create": "POST /api/v1/listings, a complete 2 BHK draft (validated, placed, inserted, audited)",
    "update": "PATCH /api/v1/listings/{id}, a new price on a random draft of the agent's",
    "sqlite": {**sqlite, "durability": "WAL, synchronous=FULL: each 2xx is synced to disk"},
    "postgres": {**postgres, "durability": "throwaway cluster: " + sys.argv[8] +
                 " -- commits are not synced, so this is an upper bound"},
}
open("bench/results/listings_write.json", "w").write(json.dumps(result, indent=2) + "\n")
for name in ("sqlite", "postgres"):
    r = result[name]
    for op in ("create", "update"):
        o = r[op]
        print(f"{name:8} {op:6} {o['rps']:>6} req/s  p50 {o['p50_ms']} ms  p99 {o['p99_ms']} ms"
              f"  non-2xx {o['non_2xx']}")
print(f"load average {sys.argv[6]} -> {sys.argv[7]}  -> bench/results/listings_write.json")
PY
