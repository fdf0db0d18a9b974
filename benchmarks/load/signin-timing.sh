#!/usr/bin/env bash
# Compares sign-in answer times for a known login with a wrong password and for an unknown login, against a running
# service (default http://localhost:5000) at its configured Argon2 cost. Bounded: N requests of each kind, alternating,
# to the local machine only. Needs a root password to create the known account, and a sign-in limit per address
# (Accounts__SignInRateLimit__PerAddressPermits) above 3 N for the run.
#   ROOT_PASSWORD=... benchmarks/load/signin-timing.sh [N] [BASE_URL]
set -euo pipefail
n=${1:-40}
base=${2:-http://localhost:5000}
: "${ROOT_PASSWORD:?set ROOT_PASSWORD to the password of root}"

json() { python3 -c "import sys,json;print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
root=$(curl -sf -X POST "$base/api/auth/login" -H 'content-type: application/json' -d "{\"login\":\"root\",\"password\":\"$ROOT_PASSWORD\"}" | json token)
name="timing$RANDOM$RANDOM"
curl -sf -o /dev/null -X POST "$base/api/accounts" -H "authorization: Bearer $root" -H 'content-type: application/json' \
  -d "{\"username\":\"$name\",\"email\":\"$name@example.test\",\"roles\":[\"user\"],\"password\":\"Timing-Known-Account-1\"}"

out=$(mktemp)
for i in $(seq 1 "$n"); do
  for login in "$name" "ghost-$name-$i"; do
    t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "$base/api/auth/login" -H 'content-type: application/json' \
      -d "{\"login\":\"$login\",\"password\":\"Wrong-Password-$i\"}")
    kind=known; [ "$login" = "$name" ] || kind=unknown
    echo "$kind $t" >> "$out"
  done
  # Stay below the lockout: a successful sign-in resets the failure count.
  if [ $((i % 4)) -eq 0 ]; then
    curl -s -o /dev/null -X POST "$base/api/auth/login" -H 'content-type: application/json' -d "{\"login\":\"$name\",\"password\":\"Timing-Known-Account-1\"}"
  fi
done
python3 - "$out" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
other = [r for r in rows if r[1] != "401"]
if other: print(f"{len(other)} answers were not 401 (rate limit? lockout?) and are left out")
rows = [(k, t) for k, code, t in rows if code == "401"]
for kind in ("known", "unknown"):
    ms = sorted(float(t) * 1000 for k, t in rows if k == kind)
    q = statistics.quantiles(ms, n=10)
    print(f"{kind:8} n={len(ms):3}  p10={q[0]:6.1f} ms  median={statistics.median(ms):6.1f} ms  p90={q[-1]:6.1f} ms")
PY
rm -f "$out"
