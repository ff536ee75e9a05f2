#!/usr/bin/env bash
# Benchmark TLS termination (issue 11): the per-run CA's generation, and the added cost of
# one HTTPS connection through a sinkhole (leaf cached, and a new name each time) against a
# plain HTTP exchange; then one trace of samples/35 with and without --no-tls-intercept.
# Usage: bench/tls.sh [--runs N] [--build DIR]   (defaults: 200, build)
# A benchmark: it prints figures and asserts nothing about them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
build="$top/build"
runs=200
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=${2:?}; shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
done
cmake --build "$build" --target bench_tls_cost mcpaudit >/dev/null
"$build/bench_tls_cost" "$runs"

# A whole trace of a sample that makes five HTTPS connections, intercepted or not: the
# run's wall time (the quiet period and the driver's waits dominate it).
for mode in intercept no-tls-intercept; do
	extra=()
	[ "$mode" = no-tls-intercept ] && extra=(--no-tls-intercept)
	start=$(date +%s.%N)
	(cd "$top/samples/35-https-exfil-js" && "$build/mcpaudit" trace --format json --output /dev/null \
		--quiet-period 1 --root "$top/samples" "${extra[@]}" -- node index.js >/dev/null 2>&1) || true
	end=$(date +%s.%N)
	printf 'trace of samples/35, %-17s %.2f s\n' "$mode" "$(echo "$end - $start" | bc)"
done
