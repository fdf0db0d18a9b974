#!/usr/bin/env bash
# Where a recovery request's work goes: starts the host in Production on a fresh database (as run.sh does), logs every
# statement of that database, sends N recovery requests one at a time (half unknown logins), waits until the durable
# queue is empty, and prints statements and transactions per request, grouped by their first words.
# Usage: benchmarks/load/profile.sh [requests, default 40] [recovery|signin, default recovery]
# ("signin": successful sign-ins of one account instead, for the same breakdown of a sign-in.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
count=${1:-40}
kind=${2:-recovery}
port=${LOAD_PORT:-5097}
pgport=${PGPORT_LOCAL:-15432}
scratch=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
scripts/postgres.sh 2>/dev/null
psql_() { psql -h 127.0.0.1 -p "$pgport" -U recovery -v ON_ERROR_STOP=1 -Atq "$@"; }
db="profile_$(date +%s)"
psql_ -d postgres -c "create database $db"
dotnet build src/Host -c Release -nologo -v q >/dev/null
export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port"
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pgport;Database=$db;Username=recovery"
export Bootstrap__RootPassword="Profile-Root-Aa7-$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')"
export Mail__PickupDirectory="$scratch/pickup" DataProtection__KeysDirectory="$scratch/keys"
export Recovery__RateLimits__PerAddressPermits=100000000 Recovery__RateLimits__PerLoginPermits=100000000
dotnet src/Host/bin/Release/net10.0/Host.dll >"$scratch/host.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
until curl -fs -o /dev/null "$base/health/ready"; do kill -0 "$pid" || exit 1; sleep 0.1; done
token=$(curl -fs -H 'Content-Type: application/json' -d "{\"login\":\"root\",\"password\":\"$Bootstrap__RootPassword\"}" "$base/api/auth/login" | sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"username":"profiled","email":"profiled@example.test","roles":["user"],"password":"Profile-Lantern-Orchard-88"}' "$base/api/accounts"
# Warm-up, then a quiet moment, then only the requests are logged.
for i in 1 2 3 4; do curl -fs -o /dev/null -H 'Content-Type: application/json' -d "{\"login\":\"warm$i\",\"channel\":\"email-link\"}" "$base/api/recovery/requests"; done
sleep 3
log="$root/.data/postgres.log"
# Server-wide, so that pooled connections log too (the other databases of the cluster are expected to be idle).
psql_ -d postgres -c "alter system set log_min_duration_statement = 0"
psql_ -d postgres -c "select pg_reload_conf()" >/dev/null
before=$(wc -l <"$log")
commits0=$(psql_ -d postgres -c "select xact_commit from pg_stat_database where datname = '$db'")
sleep 1
for i in $(seq "$count"); do
  if [ "$kind" = signin ]; then
    curl -fs -o /dev/null -H 'Content-Type: application/json' -d '{"login":"profiled","password":"Profile-Lantern-Orchard-88"}' "$base/api/auth/login"
    continue
  fi
  if [ $((i % 2)) -eq 0 ]; then login="profiled"; else login="nobody$i"; fi
  curl -fs -o /dev/null -H 'Content-Type: application/json' -d "{\"login\":\"$login\",\"channel\":\"email-link\"}" "$base/api/recovery/requests"
done
until [ "$(psql_ -d "$db" -f benchmarks/load/work-left.sql)" = 0 ]; do sleep 0.2; done
sleep 2
commits1=$(psql_ -d postgres -c "select xact_commit from pg_stat_database where datname = '$db'")
psql_ -d postgres -c "alter system reset log_min_duration_statement"
psql_ -d postgres -c "select pg_reload_conf()" >/dev/null
# Lines: "LOG:  duration: 0.123 ms  statement|execute <name>: <text>"; "parse"/"bind" steps are counted apart.
tail -n +"$((before + 1))" "$log" | grep -E "LOG:  duration: [0-9.]+ ms  (statement|execute)" \
  | sed -E 's/.*duration: ([0-9.]+) ms  (statement|execute [^:]*): /\1\t/' >"$scratch/statements"
total=$(wc -l <"$scratch/statements")
echo "requests $count ($kind; recovery: half unknown logins), statements executed $total: $(awk -v t="$total" -v c="$count" 'BEGIN {printf "%.1f", t/c}') per request"
echo "transactions committed (all connections, including Wolverine's polling): $((commits1 - commits0)): $(awk -v t="$((commits1 - commits0))" -v c="$count" 'BEGIN {printf "%.1f", t/c}') per request"
echo "by first words: count, total ms, per request ms"
awk -F'\t' -v c="$count" '{ t = tolower($2); n = split(t, w, /[ (]+/); k = w[1] " " w[2] " " w[3] " " w[4]; n_[k]++; ms[k] += $1; all += $1 }
  END { for (k in n_) printf "%6d %9.1f %7.2f  %s\n", n_[k], ms[k], ms[k] / c, k; printf "%6s %9.1f %7.2f  %s\n", "", all, all / c, "(all statements)" }' "$scratch/statements" | sort -k2 -rn | head -30
echo "documents loaded (select ... from <table>):"
grep -io "select d.id, d.data.* from [a-z_.\"]*" "$scratch/statements" | sed -E 's/.* from //' | sort | uniq -c | sort -rn
psql_ -d postgres -c "drop database $db with (force)" >/dev/null || true
