#!/usr/bin/env bash
# Starts the service at http://localhost:5000 on the project's own PostgreSQL cluster.
# Configuration comes from the environment (see shared API.md's keys). When no root password is given,
# one is generated on the first run and kept in .data/initial-root-password (mode 0600).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/postgres.sh

if [ -z "${Bootstrap__RootPassword:-}" ]; then
  secret="$root/.data/initial-root-password"
  if [ ! -s "$secret" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' | sed 's/$/!7a/' > "$secret")
    echo "run: generated the initial root password in $secret" >&2
  fi
  export Bootstrap__RootPassword="$(cat "$secret")"
fi

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5000}"
export Mail__PickupDirectory="${Mail__PickupDirectory:-$root/data/pickup}"
exec dotnet run --project src/Host -c Release -- "$@"
