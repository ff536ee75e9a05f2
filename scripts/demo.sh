#!/usr/bin/env bash
# Build mcpaudit and audit a bundled sample server: a TypeScript MCP server that phones
# home at start-up with a hidden URL and the user's name.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh"
sample="$here/samples/19-startup-beacon-ts"
echo "== mcpaudit scan samples/19-startup-beacon-ts"
echo
set +e
"$here/build/mcpaudit" scan "$sample"
rc=$?
set -e
echo
case $rc in
0) echo "(exit 0: nothing at or above the failure threshold)" ;;
1) echo "(exit 1: findings at or above --fail-on high, as expected for this sample; try --format markdown or json)" ;;
*) echo "(exit $rc: error)"; exit "$rc" ;;
esac
