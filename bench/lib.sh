# Shared by the bench/*.sh harnesses: free ports, starting griha, running wrk, recording results.
# shellcheck shell=bash

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_griha BINARY DIR [VAR=VALUE...]: runs `griha serve` in the background on a free port
# with a SQLite database in DIR; sets GRIHA_PID and GRIHA_PORT.
start_griha() {
  local binary=$1 dir=$2
  shift 2
  env GRIHA_SERVER_PORT=0 GRIHA_DATABASE_URL="sqlite://$dir/griha.db" GRIHA_DEMO_SEED=false \
    GRIHA_STORAGE_DATA_DIR="$dir/data" "$@" "$binary" serve >"$dir/griha.log" 2>&1 &
  GRIHA_PID=$!
  for _ in $(seq 1 300); do
    GRIHA_PORT=$(sed -n 's/.*serving on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$dir/griha.log" | head -1)
    [ -n "$GRIHA_PORT" ] && return 0
    sleep 0.05
  done
  echo "griha did not start:" >&2
  cat "$dir/griha.log" >&2
  return 1
}

# wrk_json URL SECONDS CONNECTIONS [LUA]: runs wrk (one thread, leaving the other core to the
# server) and prints {"rps":..,"p50_ms":..,"p99_ms":..,"errors":..}.
wrk_json() {
  local url=$1 seconds=$2 conns=$3 script=${4:-} out
  out=$(wrk -t1 -c"$conns" -d"${seconds}s" --latency ${script:+-s "$script"} "$url")
  python3 - "$out" <<'PY'
import json, re, sys
text = sys.argv[1]
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return round(float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 3)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: (.*)", text)
print(json.dumps({"rps": round(rps), "p50_ms": ms(lat["50"]), "p99_ms": ms(lat["99"]),
                  "non_2xx": int(errors.group(1)) if errors else 0,
                  "socket_errors": sock.group(1) if sock else ""}))
PY
}

# machine_json: what the numbers were measured on.
machine_json() {
  python3 - <<'PY'
import json, os, platform, subprocess
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
print(json.dumps({"cpu": cpu, "cores": os.cpu_count(), "memory_mib": mem, "kernel": platform.release(),
                  "commit": commit + ("-dirty" if dirty else "")}))
PY
}

# wrk_script_json URL SCRIPT: wrk with a Lua script, $conns connections for $seconds seconds
# (the caller's variables); rps, latency and the non-2xx count as JSON.
wrk_script_json() {
  local out
  out=$(wrk -t1 -c"$conns" -d"${seconds}s" --latency -s "$2" "$1")
  python3 - "$out" <<'PY'
import json, re, sys
text = sys.argv[1]
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return round(float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 3)
lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({"rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))),
                  "requests": int(re.search(r"(\d+) requests in", text).group(1)),
                  "p50_ms": ms(lat["50"]), "p99_ms": ms(lat["99"]),
                  "non_2xx": int(errors.group(1)) if errors else 0}))
PY
}

# sql URL QUERY: one value from the database griha ran on.
sql() {
  case $1 in
    sqlite://*) sqlite3 -cmd ".timeout 10000" "${1#sqlite://}" "$2" ;;
    *) psql -qtA "$1" -c "$2" ;;
  esac
}

# bench_workspace NAME: a temporary directory ($work) and a PostgreSQL database name ($pg_db)
# for one run, removed with any griha still running ($GRIHA_PID) when the script exits.
bench_workspace() {
  work=$(mktemp -d)
  pg_db="griha_bench_$1_$$"
  trap 'bench_cleanup' EXIT
}
bench_cleanup() {
  [ -n "${GRIHA_PID:-}" ] && kill "$GRIHA_PID" 2>/dev/null && wait "$GRIHA_PID" 2>/dev/null || true
  psql -q "$GRIHA_TEST_PG_URL" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
