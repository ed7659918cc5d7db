#!/usr/bin/env bash
# GET /healthz on griha against nginx serving a static file of the same body, same machine,
# same run, same load (wrk, one thread, keep-alive). Writes bench/results/healthz_vs_nginx.json.
# Usage: bench/healthz_vs_nginx.sh [path/to/griha] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
binary=${1:-build/release/griha}
seconds=${2:-10}
conns=${3:-64}

work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  [ -n "${GRIHA_PID:-}" ] && kill "$GRIHA_PID" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# nginx: as many workers as griha has I/O threads, no access log (griha's is off too).
nginx_port=$(free_port)
mkdir -p "$work/www" "$work/nginx-tmp"
printf '{"status":"ok"}' >"$work/www/healthz"
chmod -R a+rX "$work/www"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location = /healthz { default_type application/json; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
start_griha "$binary" "$work" GRIHA_SERVER_IO_THREADS=2 GRIHA_SERVER_ACCESS_LOG=false \
  GRIHA_LOG_LEVEL=warn

curl -sf "http://127.0.0.1:$nginx_port/healthz" >/dev/null
curl -sf "http://127.0.0.1:$GRIHA_PORT/healthz" >/dev/null

# Warm both, then alternate so that neither gets the quieter machine.
wrk_json "http://127.0.0.1:$nginx_port/healthz" 2 "$conns" >/dev/null
wrk_json "http://127.0.0.1:$GRIHA_PORT/healthz" 2 "$conns" >/dev/null
nginx1=$(wrk_json "http://127.0.0.1:$nginx_port/healthz" "$seconds" "$conns")
griha1=$(wrk_json "http://127.0.0.1:$GRIHA_PORT/healthz" "$seconds" "$conns")
griha2=$(wrk_json "http://127.0.0.1:$GRIHA_PORT/healthz" "$seconds" "$conns")
nginx2=$(wrk_json "http://127.0.0.1:$nginx_port/healthz" "$seconds" "$conns")

python3 - "$nginx1" "$nginx2" "$griha1" "$griha2" "$(machine_json)" "$seconds" "$conns" <<'PY'
import datetime, json, sys
n1, n2, g1, g2, machine = (json.loads(a) for a in sys.argv[1:6])
seconds, conns = int(sys.argv[6]), int(sys.argv[7])
nginx = max(n1, n2, key=lambda r: r["rps"])
griha = max(g1, g2, key=lambda r: r["rps"])
ratio = round(griha["rps"] / nginx["rps"], 3)
result = {
    "benchmark": "healthz_vs_nginx",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": machine,
    "load": {"tool": "wrk", "threads": 1, "connections": conns, "seconds": seconds,
             "keep_alive": True, "body": '{"status":"ok"}'},
    "nginx": {"runs": [n1, n2], "best": nginx, "workers": 2},
    "griha": {"runs": [g1, g2], "best": griha, "io_threads": 2, "access_log": False},
    "ratio_griha_to_nginx": ratio,
    "target_ratio": 0.8,
}
open("bench/results/healthz_vs_nginx.json", "w").write(json.dumps(result, indent=2) + "\n")
print(f"nginx  {nginx['rps']:>9} req/s  p50 {nginx['p50_ms']} ms  p99 {nginx['p99_ms']} ms")
print(f"griha  {griha['rps']:>9} req/s  p50 {griha['p50_ms']} ms  p99 {griha['p99_ms']} ms")
print(f"ratio  {ratio} (target >= 0.8)  -> bench/results/healthz_vs_nginx.json")
PY
