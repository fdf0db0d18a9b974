#!/usr/bin/env bash
# Starts the project's own PostgreSQL cluster (in .data/postgres, git-ignored), creating it on first use and
# installing Debian's postgresql package when no server binaries are found. Works as root and as a normal user;
# a second run reuses the running (or stopped) cluster. Prints nothing but progress on stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${PGPORT_LOCAL:-55432}
data="$root/.data/postgres"
sockets="$root/.data/run"
log="$root/.data/postgres.log"

say() { printf 'postgres: %s\n' "$*" >&2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  say "no PostgreSQL server binaries found; installing Debian's postgresql package"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

# As root, the server runs as the 'postgres' system user, which owns the cluster's folders.
as_owner() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_owner() { runuser -u postgres -- "$@"; }
fi

mkdir -p "$root/.data" "$sockets"
chmod 755 "$root/.data"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$sockets"; fi

if [ ! -s "$data/PG_VERSION" ]; then
  say "creating a cluster in $data"
  mkdir -p "$data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
  chmod 700 "$data"
  as_owner "$bin/initdb" -D "$data" -U recovery --auth=trust -E UTF8 --no-locale >/dev/null
fi

if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  say "running on 127.0.0.1:$port"
else
  touch "$log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$log"; fi
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -k $sockets -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" start >/dev/null
  say "started on 127.0.0.1:$port"
fi

if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U recovery -d postgres -tAc "select 1 from pg_database where datname = 'recovery'" | grep -q 1; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U recovery recovery
  say "created database 'recovery'"
fi
