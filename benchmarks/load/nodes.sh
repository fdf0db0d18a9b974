#!/usr/bin/env bash
# Several nodes on one machine: for 1, 2 and 3 nodes on one database (a fresh one each time), sign-ins and recovery
# requests (half unknown logins) at 16 connections spread over the nodes, with requests per second and the CPU each
# request cost (all the nodes together, and the whole machine), and the database's commits and rows per request.
#
# Each phase first runs the same load unmeasured for (seconds x nodes): every node compiles its own hot code from the
# requests it gets, a start-up cost and not a cost per request. It then waits until the durable queue is empty and
# measures from the start of the load until the queue is empty again, so that the background work of the measured
# requests is counted and nothing else. The node counts run in the order 1 2 3 3 2 1 so that a machine whose other
# load drifts during the run weighs on every count alike; the summary gives the mean of each count.
#
# On a machine of few cores more nodes cannot add throughput; what this shows is whether the cost per request grows
# with them. Loopback only, bounded (about 17 minutes with the defaults).
# Usage: benchmarks/load/nodes.sh [seconds per phase, default 15]
# NODES_COUNTS="1 3" picks the node counts and their order; NODES_PHASES="recovery" the phases.
# NODES_SIGNIN_RATE=8 and NODES_RECOVERY_RATE=40 pace that phase at that many requests per second in all, whatever the
# number of nodes, instead of as fast as the nodes answer (see benchmarks/load/nodes-same-rate.sh). A count written 1/3
# is then one node at a third of that rate: the rate each node gets when three share it.
# NODES_WARMUP_SECONDS sets the unmeasured warm-up (default: seconds x nodes); NODES_IDLE_SECONDS (default 5) is how long
# the nodes' CPU is read with no requests, before the measured load, to give the CPU per request net of that idle rate.
# NODES_SPLIT_HASHING=0 gives every node as many hashing threads as cores; by default each gets cores / nodes (at
# least one), as the README advises for nodes that share a machine.
# Below each row: CPU per request by thread name (argon2 = the hashing threads; pool threads that ended during the
# phase are missing there, not from the totals) and the database's commits and rows per request.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
seconds=${1:-15}
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
echo "hashing threads per node: $([ "${NODES_SPLIT_HASHING:-1}" = 1 ] && echo 'cores / nodes' || echo cores)"
echo "rates: sign-ins ${NODES_SIGNIN_RATE:-as fast as answered}, recovery requests ${NODES_RECOVERY_RATE:-as fast as answered} (per second, all nodes)"
echo "nodes | phase | req/s answered | p50 ms | p99 ms | drained after load s | CPU ms per request (nodes) | of which hashing threads | CPU ms per request (machine) | nodes idle ms/s | CPU ms per request net of idle (nodes) | statuses"
for entry in ${NODES_COUNTS:-1 2 3 3 2 1}; do
  n=${entry%%/*}
  share=$([ "$entry" = "$n" ] && echo 1 || echo "${entry#*/}")
  db="nodes_${n}_${share}_$(date +%s)"
  psql_ -d postgres -c "create database $db"
  export ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pgport;Database=$db;Username=recovery"
  export Bootstrap__RootPassword="Nodes-Root-Aa7-$(head -c 9 /dev/urandom | base64 | tr '+/' '-_')"
  export Mail__PickupDirectory="$scratch/pickup-$n" DataProtection__KeysDirectory="$scratch/keys-$n"
  export Accounts__SignInRateLimit__PerAddressPermits=100000000 Recovery__RateLimits__PerAddressPermits=100000000 Recovery__RateLimits__PerLoginPermits=100000000
  if [ "${NODES_SPLIT_HASHING:-1}" = 1 ]; then export Accounts__Argon2__MaxConcurrentHashes=$(( $(nproc) / n > 0 ? $(nproc) / n : 1 )); fi
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
  for phase in ${NODES_PHASES:-signin16 recovery}; do
    case $phase in
      signin16) key=signin_16 rate=${NODES_SIGNIN_RATE:-} ;;
      *) key=recovery_16 rate=${NODES_RECOVERY_RATE:-} ;;
    esac
    [ -n "$rate" ] && rate=$(awk -v r="$rate" -v s="$share" 'BEGIN { printf "%.3f", r / s }')
    LOAD_RATE=$rate LOAD_CPU_PIDS=$(IFS=,; echo "${pids[*]}") LOAD_PHASES=$phase LOAD_WARMUP_SECONDS=${NODES_WARMUP_SECONDS:-$((seconds * n))} \
    LOAD_IDLE_SECONDS=${NODES_IDLE_SECONDS:-5} \
    LOAD_COUNTERS_COMMAND="psql -h 127.0.0.1 -p $pgport -U recovery -Atq -F ' ' -d $db -c \"select 'commits', xact_commit from pg_stat_database where datname = '$db' union all select 'rows_written', tup_inserted + tup_updated + tup_deleted from pg_stat_database where datname = '$db' union all select 'rows_read', tup_returned + tup_fetched from pg_stat_database where datname = '$db'\"" \
    LOAD_DRAINED_COMMAND="psql -h 127.0.0.1 -p $pgport -U recovery -Atq -d $db -f $root/benchmarks/load/work-left.sql" \
      dotnet benchmarks/load/LoadRunner/bin/Release/net10.0/LoadRunner.dll "$list" "$Bootstrap__RootPassword" "$seconds" >"$scratch/run.txt"
    value() { awk -v k="${key}_$1" '$1 == k {print $2}' "$scratch/run.txt"; }
    echo "$entry | $phase | $(value ok_rps) | $(value p50_ms) | $(value p99_ms) | $(value drained_after_load_s) | $(value cpu_nodes_through_drained_ms_per_request) | $(value cpu_hashing_ms_per_request) | $(value cpu_machine_through_drained_ms_per_request) | $(value cpu_nodes_idle_ms_per_second) | $(value cpu_nodes_net_of_idle_ms_per_request) | $(value statuses)" | tee -a "$scratch/rows.txt"
    echo "  by thread: $(value cpu_by_thread_ms_per_request)"
    echo "  database per request: $(value counters_per_request)"
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  psql_ -d postgres -c "drop database $db with (force)"
done
echo
echo "mean of each count | phase | req/s answered | CPU ms per request (nodes) | of which hashing threads | CPU ms per request (machine) | nodes idle ms/s | net of idle | nodes' CPU per request against 1 node | against 1 node at the rate each of these nodes gets (1/N) | the same, net of idle"
awk -F' [|] ' '{ k = $1 " | " $2; n[k]++; rps[k] += $3; cpu[k] += $7; hash[k] += $8; machine[k] += $9; idle[k] += $10; net[k] += $11 }
  END {
    for (k in n) { c[k] = cpu[k] / n[k]; t[k] = net[k] / n[k] }
    for (k in n) {
      split(k, p, " [|] ");
      one = "1 | " p[2]; share = "1/" p[1] " | " p[2];
      printf "%s | %.1f | %.2f | %.2f | %.2f | %.1f | %.2f | %s | %s | %s\n", k, rps[k] / n[k], c[k], hash[k] / n[k], machine[k] / n[k], idle[k] / n[k], t[k],
        (one in c) ? sprintf("%.2f", c[k] / c[one]) : "-", (share in c && p[1] != 1) ? sprintf("%.2f", c[k] / c[share]) : "-",
        (share in t && p[1] != 1) ? sprintf("%.2f", t[k] / t[share]) : "-"
    }
  }' "$scratch/rows.txt" | sort
