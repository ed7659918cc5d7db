#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:  scripts/with-postgres.sh <command...>
# The server lives in a new temporary directory, listens on a free loopback port with trust
# authentication, and is stopped and deleted when the command ends, however it ends. The
# command sees GRIHA_TEST_PG_URL=postgres://postgres@127.0.0.1:PORT/postgres, and its exit
# status is this script's. Several runs at once do not interfere.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command...>" >&2
  exit 2
fi

say() { echo "with-postgres: $*" >&2; }

find_bindir() {
  local d
  for d in "${GRIHA_PG_BINDIR:-}" /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)" \
    /usr/lib/postgresql/*/bin; do
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

bindir=$(find_bindir) || {
  say "no initdb/pg_ctl found; install the PostgreSQL server (Debian: postgresql-15)"
  exit 1
}

# PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
as_pg=()
if [[ $EUID -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    say "running as root but there is no 'postgres' user to run the server as"
    exit 1
  fi
  as_pg=(runuser -u postgres --)
fi

# As root, under /tmp: the postgres user may not be able to reach root's own $TMPDIR.
tmp_root=${TMPDIR:-/tmp}
if [[ ${#as_pg[@]} -gt 0 ]]; then tmp_root=/tmp; fi
dir=$(mktemp -d "$tmp_root/griha-pg.XXXXXX")
chmod 755 "$dir"
if [[ ${#as_pg[@]} -gt 0 ]]; then chown postgres: "$dir"; fi

# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local status=$?
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale \
  --no-sync >"$dir/initdb.log" 2>&1; then
  say "initdb failed:"
  cat "$dir/initdb.log" >&2
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port can be taken between the check and the server's bind: then try another.
started=
for _ in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 40000))
  port_in_use "$port" && continue
  # fsync and friends off: this cluster is thrown away, and tests should not wait on disks.
  if "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [[ -z "$started" ]]; then
  say "the server did not start; its log:"
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export GRIHA_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
say "PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') at $GRIHA_TEST_PG_URL (data in $dir)"

# In the background so that a signal to this script is handled at once, not after the command
# ends; stdin is passed on explicitly because background commands otherwise get /dev/null.
# Background commands ignore SIGINT, so both signals are forwarded as SIGTERM.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' INT TERM
status=0
wait "$child" || status=$?
# A forwarded signal interrupts `wait` before the command has ended: wait for its real end.
while kill -0 "$child" 2>/dev/null; do
  status=0
  wait "$child" || status=$?
done
exit "$status"
