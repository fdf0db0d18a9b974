#!/usr/bin/env bash
# Starts the project's own PostgreSQL cluster (in .data/postgres, git-ignored), creating it on first use and
# installing Debian's postgresql package when no server binaries are found. Works as root and as a normal user;
# a second run reuses the running (or stopped) cluster. Port: PGPORT_LOCAL (default 15432). Prints progress on stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${PGPORT_LOCAL:-15432}
data="$root/.data/postgres"
sockets="$root/.data/run"
log="$root/.data/postgres.log"

say() { printf 'postgres: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  local sudo_cmd=""
  if ! is_root; then
    command -v sudo >/dev/null || fail "need to install '$*' but am neither root nor able to sudo; install it and run again"
    sudo_cmd="sudo"
  fi
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >&2
}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  say "no PostgreSQL server binaries found; installing Debian's postgresql package"
  apt_install postgresql
  bin=$(find_bin)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || fail "postgresql installed, but no initdb under /usr/lib/postgresql/*/bin"
fi

# As root, the server runs as the 'postgres' system user (PostgreSQL refuses root), which owns the cluster's folders.
# It runs from / so that it never needs the caller's working directory.
as_owner() { "$@"; }
if is_root; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
fi

mkdir -p "$root/.data" "$sockets"
chmod 755 "$root/.data"

if is_root; then
  chown postgres: "$sockets"
  # A checkout under /root (mode 0700) is out of the postgres user's reach: let that one user pass through
  # (search permission only, no listing) the folders above .data that stop it.
  path=""
  IFS=/ read -r -a parts <<< "${root#/}"
  for part in "${parts[@]}"; do
    path="$path/$part"
    runuser -u postgres -- test -x "$path" 2>/dev/null && continue
    command -v setfacl >/dev/null || apt_install acl
    say "letting the postgres user pass through $path"
    setfacl -m u:postgres:x "$path" || fail "cannot give the postgres user access to $path; move the checkout (e.g. under /srv)"
  done
fi

# Unix socket paths are limited to 107 bytes; a deep checkout falls back to TCP only (clients here use 127.0.0.1).
socket_option="-k '$sockets'"
if [ $(( ${#sockets} + 16 )) -gt 100 ]; then
  say "checkout path too long for a Unix socket; listening on TCP only"
  socket_option="-k ''"
fi

if [ ! -s "$data/PG_VERSION" ]; then
  say "creating a cluster in $data"
  mkdir -p "$data"
  if is_root; then chown postgres: "$data"; fi
  chmod 700 "$data"
  as_owner "$bin/initdb" -D "$data" -U recovery --auth=trust -E UTF8 --no-locale >/dev/null
fi

if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  running=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$running" ] && [ "$running" != "$port" ]; then
    fail "the cluster in $data is running on port $running, not $port; stop it ($bin/pg_ctl -D $data stop) or set PGPORT_LOCAL=$running"
  fi
  say "running on 127.0.0.1:$port"
else
  touch "$log"
  if is_root; then chown postgres: "$log"; fi
  # The default port lies below Linux's ephemeral range; a port someone else holds for a moment is retried.
  for attempt in $(seq 1 15); do
    if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $port $socket_option -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" start >/dev/null; then
      say "started on 127.0.0.1:$port"
      break
    fi
    if [ "$attempt" -eq 15 ] || ! tail -n 5 "$log" | grep -q "Address already in use"; then
      tail -n 20 "$log" >&2 || true
      fail "could not start the cluster (is port $port taken? set PGPORT_LOCAL to use another)"
    fi
    say "port $port is busy; trying again"
    sleep 2
  done
fi

exists=$("$bin/psql" -h 127.0.0.1 -p "$port" -U recovery -d postgres -tAc "select 1 from pg_database where datname = 'recovery'")
if [ "$exists" != "1" ]; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U recovery recovery
  say "created database 'recovery'"
fi
