#!/usr/bin/env bash
# Issue 7's speed bar: search pages per second over HTTP from griha's in-memory index against
# PostgreSQL 15 answering the same page (results + total + three facets) with proper indexes,
# on the same machine in the same run, over the same seeded listings and the same query mix
# (selective, broad, geo radius, amenities). Also records the index's build time at start,
# its memory per listing and p99 latency at about half of griha's peak rate.
# Usage: bench/search_vs_postgres.sh [griha binary] [listings] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GRIHA_TEST_PG_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
. bench/lib.sh
binary=${1:-build/release/griha}
listings=${2:-1000000}
seconds=${3:-20}
pgbin=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)

work=$(mktemp -d)
cleanup() {
  [ -n "${GRIHA_PID:-}" ] && kill "$GRIHA_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pg_admin=$GRIHA_TEST_PG_URL
pg_url=${pg_admin%/*}/griha_bench
psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS griha_bench" -c "CREATE DATABASE griha_bench"

echo "== seeding $listings listings into SQLite and PostgreSQL (same seed, same data)"
t0=$(date +%s.%N)
GRIHA_DATABASE_URL="sqlite://$work/griha.db" "$binary" seed --listings "$listings" --seed 42 >/dev/null 2>&1
t1=$(date +%s.%N)
GRIHA_DATABASE_URL="$pg_url" "$binary" seed --listings "$listings" --seed 42 >/dev/null 2>&1
sqlite_seed_s=$(echo "$t1 - $t0" | bc)

echo "== PostgreSQL: indexes for the mix, and the parameter table both sides draw from"
psql -q "$pg_url" -f bench/search_pg_setup.sql
python3 bench/search_params.py "$work/params.csv" "$work/urls.lua"
psql -q "$pg_url" -c "\copy bench_params FROM '$work/params.csv' CSV"
psql -q "$pg_url" -c "VACUUM ANALYZE"

echo "== PostgreSQL: pgbench, 4 clients, the four page kinds in equal shares"
pg_out=$("$pgbin/pgbench" -n -c 4 -j 2 -T "$seconds" \
  -f bench/search_pg_selective.sql -f bench/search_pg_broad.sql \
  -f bench/search_pg_geo.sql -f bench/search_pg_amenity.sql "$pg_url" 2>&1) ||
  { echo "$pg_out" >&2; exit 1; }
pg_tps=$(echo "$pg_out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
pg_lat=$(echo "$pg_out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')

echo "== griha: serve the SQLite copy, build the index at start"
start_griha "$binary" "$work" GRIHA_SERVER_IO_THREADS=2 GRIHA_SERVER_ACCESS_LOG=false \
  GRIHA_LOG_LEVEL=info GRIHA_DATABASE_URL="sqlite://$work/griha.db"
index_ms=$(sed -n 's/.*search index: [0-9]* active listings in \([0-9]*\) ms.*/\1/p' "$work/griha.log")
metrics=$(curl -s "http://127.0.0.1:$GRIHA_PORT/metrics")
index_listings=$(echo "$metrics" | sed -n 's/^griha_search_index_listings \([0-9]*\)/\1/p')
index_bytes=$(echo "$metrics" | sed -n 's/^griha_search_index_bytes \([0-9]*\)/\1/p')
rss_bytes=$(echo "$metrics" | sed -n 's/^process_resident_memory_bytes \([0-9]*\)/\1/p')

cat >"$work/mix.lua" <<LUA
dofile("$work/urls.lua")
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", urls[(i % #urls) + 1])
end
LUA
wrk -t1 -c2 -d3s -s "$work/mix.lua" "http://127.0.0.1:$GRIHA_PORT" >/dev/null
peak=$(wrk_json "http://127.0.0.1:$GRIHA_PORT" "$seconds" 16 "$work/mix.lua")
peak_rps=$(echo "$peak" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rps"])')
# About half the peak rate: 8 connections, each pausing so that together they send rps/2.
delay_ms=$(python3 -c "print(max(1, round(8 * 1000 / ($peak_rps / 2))))")
sed "s/^request = function()/delay = function() return $delay_ms end\nrequest = function()/" \
  "$work/mix.lua" >"$work/half.lua"
half=$(wrk_json "http://127.0.0.1:$GRIHA_PORT" "$seconds" 8 "$work/half.lua")

python3 - "$peak" "$half" "$(machine_json)" <<PY
import datetime, json, sys
peak, half, machine = (json.loads(a) for a in sys.argv[1:4])
pg_tps = float("$pg_tps")
listings = int("${index_listings:-0}") or 1
result = {
    "benchmark": "search_vs_postgres",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": machine,
    "listings_seeded": $listings,
    "active_listings_indexed": listings,
    "sqlite_seed_seconds": round(float("$sqlite_seed_s"), 1),
    "page": "20 results + total + facets bhk, property_type, furnishing",
    "mix": ["selective", "broad", "geo_radius", "amenities"],
    "postgres": {"tool": "pgbench", "clients": 4, "pages_per_second": round(pg_tps, 1),
                 "latency_avg_ms": float("${pg_lat:-0}")},
    "griha": {"tool": "wrk", "connections": 16, "pages_per_second": peak["rps"],
              "p50_ms": peak["p50_ms"], "p99_ms": peak["p99_ms"],
              "half_load": half, "index_build_ms": int("${index_ms:-0}"),
              "index_bytes_per_listing": round(int("${index_bytes:-0}") / listings, 1),
              "process_rss_mib": round(int("${rss_bytes:-0}") / 2**20)},
    "ratio": round(peak["rps"] / pg_tps, 1) if pg_tps else None,
    "targets": {"ratio": 30, "p99_half_load_ms": 5, "bytes_per_listing": 400, "build_ms": 10000},
}
open("bench/results/search_vs_postgres.json", "w").write(json.dumps(result, indent=2) + "\n")
print(json.dumps(result, indent=2))
PY
