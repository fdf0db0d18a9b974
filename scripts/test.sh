#!/usr/bin/env bash
# Runs every test: starts the local PostgreSQL cluster, makes sure the SMTP test server is installed,
# runs all test projects and ends with one line 'N passed, N failed' summed over them.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/postgres.sh || { echo "0 passed, 1 failed"; exit 1; }
scripts/test-services.sh || { echo "0 passed, 1 failed"; exit 1; }

results="$root/TestResults"
rm -rf "$results"
export TEST_POSTGRES="Host=127.0.0.1;Port=${PGPORT_LOCAL:-15432};Database=postgres;Username=recovery"

# Locked mode: restore takes exactly what the committed packages.lock.json files name, or fails.
if ! dotnet restore Monolith.sln --locked-mode -nologo -v q; then
  echo "test: restore in locked mode failed. If you changed a package version on purpose, update the lock files with" >&2
  echo "test:   dotnet restore Monolith.sln --force-evaluate" >&2
  echo "test: and commit them (README, 'Updating dependencies'); otherwise undo the version change." >&2
  echo "0 passed, 1 failed"; exit 1
fi

dotnet build Monolith.sln -c Release --no-restore -nologo -v q
build=$?
if [ $build -ne 0 ]; then echo "0 passed, 1 failed"; exit 1; fi

dotnet test Monolith.sln -c Release --no-build -nologo --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

read -r passed failed < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = 0
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
print(passed, failed)
PY
)
# A run that failed without a counted failure, or that counted nothing at all, is a failure.
if [ -z "${passed:-}" ] || { [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; } || [ $(( ${passed:-0} + ${failed:-0} )) -eq 0 ]; then
  failed=$(( ${failed:-0} > 0 ? ${failed:-0} : 1 ))
  status=1
fi
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
