#!/usr/bin/env bash
# Build mcpaudit and audit a bundled sample package before "installing" it: a clean MCP
# server whose postinstall script phones home. The audit reads its code, runs the install
# script and the server in the sandbox (fake DNS, sinkholes, capture), and gives a verdict.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh"
sample="$here/samples/33-postinstall-beacon-js"
out="${TMPDIR:-/tmp}/mcpaudit-demo"
echo "== mcpaudit audit --output-dir $out samples/33-postinstall-beacon-js"
echo
set +e
"$here/build/mcpaudit" audit --output-dir "$out" "$sample"
rc=$?
set -e
echo
case $rc in
0) echo "(exit 0: verdict pass or review)" ;;
1) echo "(exit 1: verdict fail, as expected for this sample)" ;;
*) echo "(exit $rc: error)"; exit "$rc" ;;
esac
echo "Every format is in $out: report.txt, report.json, report.sarif, report.md, report.html"
