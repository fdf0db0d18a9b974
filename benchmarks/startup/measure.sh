#!/usr/bin/env bash
# Start-up time of the service: from process start to the first 200 of GET /health/ready, over N runs
# (default 5), against the local cluster of scripts/postgres.sh. Builds the host in Release first.
# Usage: benchmarks/startup/measure.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
runs=${1:-5}
port=${STARTUP_PORT:-5099}
scripts/postgres.sh 2>/dev/null
# HOST_DLL measures another build (e.g. an older commit's) against the same database.
if [ -z "${HOST_DLL:-}" ]; then dotnet build src/Host -c Release -nologo -v q >/dev/null; fi
dll=${HOST_DLL:-src/Host/bin/Release/net10.0/Host.dll}
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=${PGPORT_LOCAL:-15432};Database=recovery;Username=recovery"
export ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production
export Bootstrap__RootPassword="startup-measure-Aa7-$(date +%s)"
export Mail__PickupDirectory="$(mktemp -d)"
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  dotnet "$dll" >/tmp/startup-$i.log 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "the host exited; see /tmp/startup-$i.log" >&2; exit 1; }
    sleep 0.05
  done
  ready=$(date +%s%N)
  # The first sign-in (a refused one) runs the sign-in endpoint's code for the first time.
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"login":"nobody","password":"not-the-password"}' "http://127.0.0.1:$port/api/auth/login"
  first=$(date +%s%N)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "run $i: ready after $(( (ready - start) / 1000000 )) ms, first sign-in answered after $(( (first - start) / 1000000 )) ms, resident $(( rss / 1024 )) MiB"
done
