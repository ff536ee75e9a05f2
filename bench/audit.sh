#!/usr/bin/env bash
# Benchmark the pre-install audit (`mcpaudit audit`): how long a user waits for a verdict on
# a real npm server and on a local package, and where the time goes (fetch, static stage,
# dependencies, install scripts, traced run). Needs the npm registry; the npm cache is
# warmed by an untimed first run, as on any machine that has installed a package before.
#
# Usage: bench/audit.sh [--runs N] [--build DIR]
#   --runs N      timed runs of each row, best wall time kept (default 3)
#   --build DIR   CMake build folder holding mcpaudit (default build)
# A benchmark, not a test: it prints figures and asserts nothing about them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
work="$here/work/audit"
build="$top/build"
runs=3
memory="npm:@modelcontextprotocol/server-memory@2026.8.31"
everything="npm:@modelcontextprotocol/server-everything@2026.8.31"

die() { echo "bench: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=${2:?}; shift 2 ;;
	--build) build=$(cd "${2:?}" 2>/dev/null && pwd || echo "$2"); shift 2 ;;
	-h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$runs" in *[!0-9]*|"") die "--runs takes a number" ;; esac
[ -x /usr/bin/time ] || die "GNU time is needed (apt-get install time)"
mcpaudit="$build/mcpaudit"
[ -x "$mcpaudit" ] || die "no mcpaudit in $build (run scripts/setup.sh)"
npm view "${memory#npm:}" version >/dev/null 2>&1 || die "the npm registry is not reachable"

rm -rf "$work"
mkdir -p "$work"
. "$here/measure.sh"

# The steps of one verbose audit: "fetched and unpacked in 0.53 s (cpu 0.41 s)" and so on
# (CPU: mcpaudit's and its waited-for children's, npm and the sandbox).
breakdown() {
	local name=$1; shift
	"$mcpaudit" audit -v --format json "$@" 2>"$work/$name.steps" >/dev/null || true
	grep -E '^mcpaudit: [a-z ]+ in [0-9.]+ s \(cpu [0-9.]+ s\)$' "$work/$name.steps" |
		sed -E 's/^mcpaudit: ([a-z ]+) in ([0-9.]+) s \(cpu ([0-9.]+) s\)$/\1 \2 s (cpu \3)/' | paste -sd ';' -
}

row() {
	local name=$1 what=$2; shift 2
	measure "$name" "$work/$name.json" "$mcpaudit" audit --format json "$@"
	record "$name" "$what; $(breakdown "$name" "$@")"
}

row static-npm "static only: fetch, verify, unpack, scan, metadata" --static-only "$memory"
row full-npm "both stages, default quiet period (5 s)" "$memory"
row quick-npm "both stages, --quiet-period 1" --quiet-period 1 "$memory"
row full-everything "both stages, 13 tools, one call times out (10 s)" --quiet-period 1 "$everything"
row folder-33 "local folder with a postinstall script, --quiet-period 1" --quiet-period 1 \
	"$top/samples/33-postinstall-beacon-js"

printf '\n%-16s %9s %10s  %s\n' "row" "wall (s)" "peak (MB)" "what; steps"
for r in "${results[@]}"; do
	IFS='|' read -r name s kb what <<<"$r"
	printf '%-16s %9.2f %10.1f  %s\n' "$name" "$s" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$what"
done
echo
echo "(best of $runs runs after a warm-up; peak RSS is the largest single process: npm when it installs)"
