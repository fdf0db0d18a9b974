#!/usr/bin/env bash
# Several nodes on one machine: for 1, 2 and 3 nodes on one database (a fresh one each time), sign-ins and recovery
# requests (half unknown logins) at 16 connections spread over the nodes, with requests per second and the CPU each
# request cost (all the nodes together, and the whole machine), measured by the load generator over the load alone
# (after its set-up and its warm-up of every node). On a machine of few cores more nodes cannot add
# throughput; what this shows is that the cost per request does not grow with them. Loopback only, bounded.
# Usage: benchmarks/load/nodes.sh [seconds per phase, default 10]
# NODES_SPLIT_HASHING=1 gives each node cores ÷ nodes hashing threads (at least one), as advised when nodes share a machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
seconds=${1:-10}
pgport=${PGPORT_LOCAL:-15432}
scratch=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$scratch"; }
trap cleanup EXIT
scripts/postgres.sh 2>/dev/null
psql_() { psql -h 127.0.0.1 -p "$pgport" -U recovery -v ON_ERROR_STOP=1 -Atq "$@"; }
dotnet build src/Host -c Release -nologo -v q >/dev/null
dotnet build benchmarks/load/LoadRunner -c Release -nologo -v q >/dev/null
echo "# nodes benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD), $seconds s per phase"
echo "hashing threads per node: $([ "${NODES_SPLIT_HASHING:-0}" = 1 ] && echo 'cores / nodes' || echo cores)"
echo "nodes | phase | req/s answered | p50 ms | p99 ms | CPU ms per request (nodes) | CPU ms per request (machine)"
for n in 1 2 3; do
  db="nodes_${n}_$(date +%s)"
  psql_ -d postgres -c "create database $db"
  export ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pgport;Database=$db;Username=recovery"
  export Bootstrap__RootPassword="Nodes-Root-Aa7-$(head -c 9 /dev/urandom | base64 | tr '+/' '-_')"
  export Mail__PickupDirectory="$scratch/pickup-$n" DataProtection__KeysDirectory="$scratch/keys-$n"
  export Accounts__SignInRateLimit__PerAddressPermits=100000000 Recovery__RateLimits__PerAddressPermits=100000000 Recovery__RateLimits__PerLoginPermits=100000000
  if [ "${NODES_SPLIT_HASHING:-0}" = 1 ]; then export Accounts__Argon2__MaxConcurrentHashes=$(( $(nproc) / n > 0 ? $(nproc) / n : 1 )); fi
  pids=(); urls=()
  for i in $(seq 0 $((n - 1))); do
    port=$((5180 + i))
    ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet src/Host/bin/Release/net10.0/Host.dll >"$scratch/node-$n-$port.log" 2>&1 &
    pids+=($!); urls+=("http://127.0.0.1:$port")
    # One at a time: the first node creates the schema and the root account.
    until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.1; done
  done
  sleep 3
  list=$(IFS=,; echo "${urls[*]}")
  for phase in signin16 recovery; do
    LOAD_CPU_PIDS=$(IFS=,; echo "${pids[*]}") LOAD_PHASES=$phase \
      dotnet benchmarks/load/LoadRunner/bin/Release/net10.0/LoadRunner.dll "$list" "$Bootstrap__RootPassword" "$seconds" >"$scratch/run.txt"
    key=$([ "$phase" = signin16 ] && echo signin_16 || echo recovery_16)
    value() { awk -v k="${key}_$1" '$1 == k {print $2}' "$scratch/run.txt"; }
    echo "$n | $phase | $(value ok_rps) | $(value p50_ms) | $(value p99_ms) | $(value cpu_nodes_ms_per_request) | $(value cpu_machine_ms_per_request)"
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  psql_ -d postgres -c "drop database $db with (force)"
done
