#!/usr/bin/env bash
# Several nodes at the same request rate: whether a request costs more because there are more nodes. nodes.sh loads
# the nodes as fast as they answer, so on a machine of few cores three nodes are each a third as busy as one node
# would be; here every count serves the same requests per second (sign-ins 8/s, recovery requests 40/s, in all), and
# "1/3" is one node at a third of that rate, the rate each of three nodes gets. Comparing 3 with 1/3 separates the
# number of nodes from how busy each node is. Each phase is warmed up for 60 s, whatever the count.
# Loopback only, bounded (about 35 minutes with the defaults).
# Usage: benchmarks/load/nodes-same-rate.sh [seconds per phase, default 15]; the NODES_* settings of nodes.sh apply.
set -euo pipefail
export NODES_SIGNIN_RATE=${NODES_SIGNIN_RATE:-8} NODES_RECOVERY_RATE=${NODES_RECOVERY_RATE:-40}
export NODES_COUNTS=${NODES_COUNTS:-1 3 1/3 2 1/2 3 1 1/3 2 1/2} NODES_WARMUP_SECONDS=${NODES_WARMUP_SECONDS:-60}
exec "$(dirname "${BASH_SOURCE[0]}")/nodes.sh" "$@"
