#!/usr/bin/env bash
# Sign-in must not block I/O: GET /healthz latency (wrk) while 20 password sign-ins per second
# run against the same griha, next to /healthz alone; plus the cost of one Argon2id hash.
# Writes bench/results/auth_signin_load.json.
# Usage: bench/auth_signin_load.sh [path/to/griha] [seconds] [sign-ins per second]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
binary=${1:-build/release/griha}
seconds=${2:-15}
rate=${3:-20}
argon_bench=$(dirname "$binary")/bench/auth_argon2_bench

work=$(mktemp -d)
cleanup() {
  [ -n "${LOAD_PID:-}" ] && kill "$LOAD_PID" 2>/dev/null || true
  [ -n "${GRIHA_PID:-}" ] && kill "$GRIHA_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_griha "$binary" "$work" GRIHA_SERVER_IO_THREADS=2 GRIHA_SERVER_ACCESS_LOG=false \
  GRIHA_LOG_LEVEL=warn GRIHA_AUTH_IP_RATE_PER_MINUTE=100000 \
  GRIHA_AUTH_ACCOUNT_RATE_PER_MINUTE=10000
base="http://127.0.0.1:$GRIHA_PORT"
curl -sf -XPOST "$base/api/v1/auth/register" -H 'content-type: application/json' \
  -d '{"email":"bench@example.in","password":"a monsoon evening in pune"}' >/dev/null

# The sign-in load: `rate` requests a second on a fixed schedule, each on its own thread so
# that a slow answer does not slow the schedule; counts outcomes and latency.
python3 - "$base" "$rate" "$((seconds + 4))" >"$work/signins.json" <<'PY' &
import json, sys, threading, time, urllib.request
base, rate, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
body = json.dumps({"email": "bench@example.in", "password": "a monsoon evening in pune"}).encode()
lat, codes, lock = [], {}, threading.Lock()
def one():
    req = urllib.request.Request(base + "/api/v1/auth/signin", data=body,
                                 headers={"content-type": "application/json"})
    t0 = time.perf_counter()
    try:
        code = urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception:
        code = 0
    with lock:
        lat.append((time.perf_counter() - t0) * 1000)
        codes[code] = codes.get(code, 0) + 1
start = time.perf_counter()
threads = []
for i in range(rate * seconds):
    delay = start + i / rate - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    t = threading.Thread(target=one)
    t.start()
    threads.append(t)
for t in threads:
    t.join()
lat.sort()
print(json.dumps({"sent": len(lat), "per_second": rate, "status_counts": {str(k): v for k, v in codes.items()},
                  "p50_ms": round(lat[len(lat) // 2], 1), "p99_ms": round(lat[int(len(lat) * 0.99) - 1], 1)}))
PY
LOAD_PID=$!

# Few connections: this measures latency under the sign-in load, not /healthz throughput.
wrk_json "$base/healthz" 2 4 >/dev/null
healthz_under_load=$(wrk_json "$base/healthz" "$seconds" 4)
wait "$LOAD_PID"
LOAD_PID=
healthz_alone=$(wrk_json "$base/healthz" "$seconds" 4)

argon=null
if [ -x "$argon_bench" ]; then
  argon=$("$argon_bench" --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(json.dumps({b["name"]: {"ms": round(b["real_time"], 2)} for b in d["benchmarks"]}))')
fi

mkdir -p bench/results
python3 - "$(machine_json)" "$healthz_under_load" "$healthz_alone" "$(cat "$work/signins.json")" \
  "$argon" >bench/results/auth_signin_load.json <<'PY'
import json, sys
machine, under, alone, signins, argon = (json.loads(a) for a in sys.argv[1:6])
print(json.dumps({"benchmark": "auth_signin_load", "machine": machine,
                  "argon2id": {"memory_kib": 19456, "iterations": 2, "parallelism": 1, "timings": argon},
                  "signins": signins, "healthz_under_signin_load": under, "healthz_alone": alone,
                  "healthz_p99_under_5ms": under["p99_ms"] < 5}, indent=2))
PY
cat bench/results/auth_signin_load.json
