#!/usr/bin/env bash
# Starts the service at http://localhost:5000 on the project's own PostgreSQL cluster (port PGPORT_LOCAL,
# default 15432), unless ConnectionStrings__Postgres points elsewhere. Configuration comes from the environment
# (see README.md). When no root password is given, one is generated on the first run and kept in
# .data/initial-root-password (mode 0600). Arguments go to the host (e.g. 'help').
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  scripts/postgres.sh
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=${PGPORT_LOCAL:-15432};Database=recovery;Username=recovery"
fi

if [ -z "${Bootstrap__RootPassword:-}" ]; then
  secret="$root/.data/initial-root-password"
  if [ ! -s "$secret" ]; then
    mkdir -p "$root/.data"
    # 144 random bits, plus one character of each class so that any password policy's classes are met.
    (umask 077; printf '%s-Aa7\n' "$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')" > "$secret")
    echo "run: generated the initial root password in $secret" >&2
  fi
  export Bootstrap__RootPassword="$(cat "$secret")"
fi

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5000}"
export Mail__PickupDirectory="${Mail__PickupDirectory:-$root/data/pickup}"
exec dotnet run --project src/Host -c Release -- "$@"
