#!/usr/bin/env bash
# Writes Wolverine's handler and endpoint code into src/Host/Internal/Generated, where the host compiles it
# (TypeLoadMode.Static, docs/adr/0012). Run it after changing a handler, an endpoint or a Wolverine policy;
# the test GeneratedCodeTests fails until the committed code matches.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root/src/Host"
# Stale code may no longer compile: build without it, then write it anew.
rm -rf Internal/Generated
dotnet build -c Release -nologo -v q
dotnet bin/Release/net10.0/Host.dll codegen write
