#!/usr/bin/env bash
# The GitHub Action's run step (action.yml): runs `mcpaudit scan` or `mcpaudit audit` with
# SARIF output and records the exit code for the steps after it. The inputs come in the
# environment, never pasted into the script's text (a workflow input must not become shell
# code):
#   MCPAUDIT             the binary
#   INPUT_COMMAND        scan or audit
#   INPUT_TARGETS        paths or package specs, separated by white space (default .)
#   INPUT_ARGS           more options, separated by white space
#   INPUT_SARIF_FILE     where the SARIF log goes
#   GITHUB_OUTPUT        the step's output file: exit-code=N, sarif-file=PATH
# Exits 0 when mcpaudit exited 0 or 1 (findings are for the fail step to judge, after the
# upload), else with mcpaudit's code.
set -euo pipefail

case "${INPUT_COMMAND:-scan}" in
scan | audit) ;;
*) echo "mcpaudit action: command must be scan or audit, not '${INPUT_COMMAND}'" >&2; exit 2 ;;
esac
read -r -a targets <<<"${INPUT_TARGETS:-.}"
read -r -a extra <<<"${INPUT_ARGS:-}"
sarif=${INPUT_SARIF_FILE:-mcpaudit.sarif}
[ ${#targets[@]} -gt 0 ] || targets=(.)

rc=0
"$MCPAUDIT" "${INPUT_COMMAND:-scan}" --format sarif --output "$sarif" "${extra[@]}" -- "${targets[@]}" || rc=$?
{
	echo "exit-code=$rc"
	echo "sarif-file=$sarif"
} >>"${GITHUB_OUTPUT:-/dev/null}"
if [ "$rc" -gt 1 ]; then
	echo "mcpaudit action: mcpaudit exited $rc (nothing was checked, or the report could not be written)" >&2
	exit "$rc"
fi
[ -s "$sarif" ] || { echo "mcpaudit action: no SARIF was written to $sarif" >&2; exit 2; }
exit 0
