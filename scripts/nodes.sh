#!/usr/bin/env bash
# Starts N nodes of the service (default 3) on one database, for trying several nodes out on one machine:
# http://localhost:5000, :5001, ... on the project's own PostgreSQL cluster (as scripts/run.sh). They share the
# database and a Data Protection key ring in .data/keys; put any reverse proxy in front to spread requests over them.
# Ctrl-C stops them all. Usage: scripts/nodes.sh [N]   (configuration from the environment, as for scripts/run.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
count=${1:-3}
base_port=${NODES_BASE_PORT:-5000}

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  scripts/postgres.sh
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=${PGPORT_LOCAL:-15432};Database=recovery;Username=recovery"
fi
if [ -z "${Bootstrap__RootPassword:-}" ]; then
  secret="$root/.data/initial-root-password"
  if [ ! -s "$secret" ]; then
    mkdir -p "$root/.data"
    (umask 077; printf '%s-Aa7\n' "$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')" > "$secret")
    echo "nodes: generated the initial root password in $secret" >&2
  fi
  export Bootstrap__RootPassword="$(cat "$secret")"
fi
export Mail__PickupDirectory="${Mail__PickupDirectory:-$root/data/pickup}"
# One key ring for all nodes: what one node protected (SMTP password, waiting one-time secrets), every node reads.
export DataProtection__KeysDirectory="${DataProtection__KeysDirectory:-$root/.data/keys}"
mkdir -p "$DataProtection__KeysDirectory"
# The nodes share this machine's cores: each gets its share of hashing threads (README, "Several nodes", sizing).
export Accounts__Argon2__MaxConcurrentHashes="${Accounts__Argon2__MaxConcurrentHashes:-$(( $(nproc) / count > 0 ? $(nproc) / count : 1 ))}"

dotnet build src/Host -c Release -nologo -v q >/dev/null
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
for i in $(seq 0 $((count - 1))); do
  port=$((base_port + i))
  ASPNETCORE_URLS="http://localhost:$port" dotnet src/Host/bin/Release/net10.0/Host.dll >"$root/.data/node-$port.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 0 $((count - 1))); do
  port=$((base_port + i))
  until curl -fs -o /dev/null "http://localhost:$port/health/ready"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "nodes: the node on port $port exited; see .data/node-$port.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "nodes: http://localhost:$port ready (log in .data/node-$port.log)"
done
echo "nodes: $count nodes on one database; Ctrl-C stops them"
wait
