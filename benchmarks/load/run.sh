#!/usr/bin/env bash
# The load benchmark, in one command: builds the host in Release, starts it in Production on a fresh database of the
# local cluster (scripts/postgres.sh) with its rate limits lifted, and measures in one run, on loopback only:
#   - the hash engine's ceiling (hashes/s on every core, no HTTP) for the managed and the native engine;
#   - sign-ins: req/s, p50, p99 at 16 and 64 connections, and a burst of 200 at once;
#   - recovery requests (half unknown logins): req/s, p50, p99 at 16 connections, and the time until the durable
#     queue is empty after the load (every accepted request's mail has gone out);
#   - PostgreSQL's single-row insert commit rate (pgbench, 16 clients) as the physical reference;
#   - resident memory idle and at its peak; known/unknown median answer times.
# It prints the figures and the ratios the targets are stated in (docs/benchmarks.md), and keeps them in
# benchmarks/load/results/. Usage: benchmarks/load/run.sh [seconds per phase, default 10]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
seconds=${1:-10}
port=${LOAD_PORT:-5098}
pgport=${PGPORT_LOCAL:-15432}
scratch=$(mktemp -d)
results="$root/benchmarks/load/results"
mkdir -p "$results"
out="$results/$(date -u +%Y-%m-%dT%H%M%SZ).txt"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

scripts/postgres.sh 2>/dev/null
psql_() { psql -h 127.0.0.1 -p "$pgport" -U recovery -v ON_ERROR_STOP=1 -Atq "$@"; }
db="load_$(date +%s)"
psql_ -d postgres -c "create database $db"
dotnet build src/Host -c Release -nologo -v q >/dev/null
dotnet build benchmarks/load/LoadRunner -c Release -nologo -v q >/dev/null
host="src/Host/bin/Release/net10.0/Host.dll"

export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port"
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pgport;Database=$db;Username=recovery;Maximum Pool Size=100"
export Bootstrap__RootPassword="Load-Root-Aa7-$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')"
export Mail__PickupDirectory="$scratch/pickup" DataProtection__KeysDirectory="$scratch/keys"
# Lifted for the run: the limits would otherwise answer most of the load with 429.
export Accounts__SignInRateLimit__PerAddressPermits=100000000 Recovery__RateLimits__PerAddressPermits=100000000
export Recovery__RateLimits__PerLoginPermits=100000000

{
  echo "# load benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD), $seconds s per phase"
  engine=${Accounts__Argon2__Engine:-native}
  for e in managed native; do
    line=$(Accounts__Argon2__Engine=$e dotnet "$host" measure-hashing --seconds "$seconds" | grep '^engine=')
    echo "ceiling_${e}_hashes_per_second $(sed 's/.*hashes_per_second=\([0-9.]*\).*/\1/' <<<"$line")"
    echo "ceiling_${e}_detail $line"
  done
  echo "engine $engine"

  Accounts__Argon2__Engine=$engine dotnet "$host" >"$scratch/host.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "the host exited:" >&2; tail -20 "$scratch/host.log" >&2; exit 1; }
    sleep 0.1
  done
  sleep 5
  echo "rss_idle_mib $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status)"
  echo "gc $(grep -o '"System.GC.Server": [a-z]*' src/Host/bin/Release/net10.0/Host.runtimeconfig.json || echo 'default (server)')"

  runner() { dotnet benchmarks/load/LoadRunner/bin/Release/net10.0/LoadRunner.dll "http://127.0.0.1:$port" "$Bootstrap__RootPassword" "$seconds"; }
  LOAD_PHASES=signin,burst,timing runner | tee "$scratch/runner.txt"
  # The recovery load's CPU (the host process, and the whole machine: the host, PostgreSQL, the load generator) from
  # its start until nothing is left to handle in the durable inbox or outbox (expiries scheduled hours ahead excepted),
  # per request: the load generator measures it, waiting for that queue before the load and after it.
  LOAD_PHASES=recovery LOAD_CPU_PIDS=$pid LOAD_DRAINED_COMMAND="psql -h 127.0.0.1 -p $pgport -U recovery -Atq -d $db -f $root/benchmarks/load/work-left.sql" \
    runner | tee -a "$scratch/runner.txt"
  value() { awk -v k="$1" '$1 == k {print $2}' "$scratch/runner.txt"; }
  echo "recovery_cpu_ms_per_request_host $(value recovery_16_cpu_nodes_through_drained_ms_per_request)"
  echo "recovery_cpu_ms_per_request_machine $(value recovery_16_cpu_machine_through_drained_ms_per_request)"
  echo "recovery_drained_after_load_s $(value recovery_16_drained_after_load_s)"
  echo "mails_in_pickup $(ls "$scratch/pickup" 2>/dev/null | grep -c '\.eml$' || true)"
  echo "rss_peak_mib $(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

  psql_ -d "$db" -c "create table load_probe (id bigserial primary key, at timestamptz not null default now(), note text)"
  echo "insert into load_probe (note) values ('x');" >"$scratch/insert.sql"
  tps=$(PGPASSWORD= pgbench -h 127.0.0.1 -p "$pgport" -U recovery -n -c 16 -j 2 -T "$seconds" -f "$scratch/insert.sql" "$db" 2>/dev/null | awk '/^tps/ {print $3; exit}')
  echo "pgbench_insert_tps $tps"
} | tee "$out.raw"

psql_ -d postgres -c "drop database $db with (force)" || true

# The ratios of the targets (issue text and docs/benchmarks.md).
awk '
  { v[$1] = $2 }
  END {
    e = v["engine"]; c = v["ceiling_" e "_hashes_per_second"]
    printf "\n== ratios ==\n"
    printf "sign-ins answered 200 per second / %s ceiling: 16 conns %.0f %%, 64 conns %.0f %%   (target >= 90 %%)\n", e, 100 * v["signin_16_ok_rps"] / c, 100 * v["signin_64_ok_rps"] / c
    printf "native ceiling / managed ceiling: %.2f x   (target >= 2)\n", v["ceiling_native_hashes_per_second"] / v["ceiling_managed_hashes_per_second"]
    printf "recovery req/s: %.0f, p99 %.1f ms   (target >= 1000 req/s with p99 < 50 ms, or >= 15 %% of pgbench)\n", v["recovery_16_rps"], v["recovery_16_p99_ms"]
    printf "recovery req/s / pgbench insert tps: %.1f %%\n", 100 * v["recovery_16_rps"] / v["pgbench_insert_tps"]
    printf "CPU per recovery request (load and its background work): host %.2f ms, whole machine %.2f ms\n", v["recovery_cpu_ms_per_request_host"], v["recovery_cpu_ms_per_request_machine"]
    printf "mail queue drained %.1f s after the load   (target <= 10 s)\n", v["recovery_drained_after_load_s"]
    printf "burst of 200: last answer after %.0f ms, statuses %s   (target <= 5000 ms)\n", v["burst_200_last_answer_ms"], v["burst_200_statuses"]
    printf "resident memory: idle %d MiB (target < 200), peak %d MiB (target < 300)\n", v["rss_idle_mib"], v["rss_peak_mib"]
    printf "median known - unknown: recovery %.2f ms, sign-in %.2f ms   (target within 0.5 ms)\n", v["timing_recovery_median_known_ms"] - v["timing_recovery_median_unknown_ms"], v["timing_signin_median_known_ms"] - v["timing_signin_median_unknown_ms"]
  }' "$out.raw" | tee "$out"
cat "$out.raw" "$out" >"$out.tmp" && mv "$out.tmp" "$out" && rm -f "$out.raw"
echo "kept in ${out#$root/}"
