#!/usr/bin/env bash
# Seeding demo listings on SQLite (issue 4: 1M listings in under a minute): wall time, CPU,
# peak memory and the database's size on disk, with the machine's load average, which matters
# on a shared 2-core machine. Writes bench/results/listings_seed.json.
# Usage: bench/listings_seed.sh [path/to/griha] [listings] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
binary=${1:-build/release/griha}
listings=${2:-1000000}
seed=${3:-42}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# `griha seed` migrates the new database and writes the listings; the child's rusage gives CPU
# and peak memory (no dependency on GNU time).
python3 - "$work" "$binary" "$listings" "$seed" >"$work/time.txt" <<'PY' ||
import os, resource, subprocess, sys, time
work, binary, listings, seed = sys.argv[1:5]
env = dict(os.environ, GRIHA_DATABASE_URL=f"sqlite://{work}/griha.db",
           GRIHA_STORAGE_DATA_DIR=f"{work}/data", GRIHA_LOG_LEVEL="warn")
start = time.monotonic()
with open(f"{work}/seed.log", "w") as log:
    code = subprocess.run([binary, "seed", "--listings", listings, "--seed", seed], env=env,
                          stdout=log, stderr=subprocess.STDOUT).returncode
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.2f} {ru.ru_utime:.2f} {ru.ru_stime:.2f} {ru.ru_maxrss}")
sys.exit(code)
PY
  { cat "$work/seed.log" >&2; exit 1; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# The WAL is checkpointed into the main file when the last connection closes.
db_bytes=$(stat -c %s "$work/griha.db")
wal_bytes=$(stat -c %s "$work/griha.db-wal" 2>/dev/null || echo 0)
count=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM listings").fetchone()[0])' "$work/griha.db")

mkdir -p bench/results
python3 - "$(machine_json)" "$(cat "$work/time.txt")" "$db_bytes" "$wal_bytes" "$count" \
  "$listings" "$seed" "$load_before" "$load_after" <<'PY'
import datetime, json, sys
machine = json.loads(sys.argv[1])
wall, user, sys_s, rss_kib = (float(x) for x in sys.argv[2].split())
db_bytes, wal_bytes, count, listings, seed = (int(x) for x in sys.argv[3:8])
result = {
    "benchmark": "listings_seed",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": machine,
    "load_average_before": sys.argv[8], "load_average_after": sys.argv[9],
    "command": f"griha seed --listings {listings} --seed {seed}", "database": "sqlite (WAL, synchronous=FULL)",
    "listings": count,
    "wall_seconds": wall, "user_seconds": user, "system_seconds": sys_s,
    "listings_per_second": round(count / wall),
    "peak_rss_mib": round(rss_kib / 1024, 1),
    "database_bytes": db_bytes, "database_mib": round(db_bytes / 2**20, 1), "wal_bytes": wal_bytes,
    "bytes_per_listing": round(db_bytes / max(count, 1)),
    "target_seconds": 60, "under_target": wall < 60,
}
open("bench/results/listings_seed.json", "w").write(json.dumps(result, indent=2) + "\n")
print(f"seeded {count} listings in {wall:.1f} s ({result['listings_per_second']}/s; "
      f"CPU {user:.1f} s user + {sys_s:.1f} s sys), peak RSS {result['peak_rss_mib']} MiB")
print(f"database {result['database_mib']} MiB ({result['bytes_per_listing']} B/listing); "
      f"load average {sys.argv[8]} -> {sys.argv[9]}; target < 60 s: {result['under_target']}")
print("-> bench/results/listings_seed.json")
PY
