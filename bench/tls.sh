#!/usr/bin/env bash
# Benchmark TLS termination (issue 11): the per-run CA's generation, and the added cost of
# one HTTPS connection through a sinkhole (leaf cached, and a new name each time) against a
# plain HTTP exchange; then one trace of samples/35 with and without --no-tls-intercept; then
# the burst over TLS: bench/burst/server.py with BURST_TLS=1 makes N HTTPS connections from
# T threads, and every request must be read inside TLS and recorded, none dropped.
# Usage: bench/tls.sh [--runs N] [--build DIR] [--burst-n N] [--burst-threads T]
#        (defaults: 200, build, 1000, 64)
# A benchmark: it prints figures and asserts nothing about them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
build="$top/build"
runs=200
burst_n=1000
burst_threads=64
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=${2:?}; shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	--burst-n) burst_n=${2:?}; shift 2 ;;
	--burst-threads) burst_threads=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# The burst over TLS: N HTTPS connections at once from T threads, each to its own name.
# Counted from the JSON report: the distinct requests read inside TLS (evidence "HTTPS GET
# /burst/I", content seen) against N, refusals, and the report's incomplete entries (where a
# drop would be listed); the server's own counts come from the trace record when it is whole.
case "$burst_n$burst_threads" in *[!0-9]*) echo "bench: --burst-n and --burst-threads take numbers" >&2; exit 2 ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
burst_rc=0
"$build/mcpaudit" trace --startup-wait 0 --verbose --format json --output "$work/burst.json" --env BURST_TLS=1 \
	--env "BURST_N=$burst_n" --env "BURST_THREADS=$burst_threads" --quiet-period 2 --call-timeout 120 --timeout 300 \
	--root "$here/burst" --cwd "$here/burst" -- python3 server.py >/dev/null 2>"$work/burst.stderr" || burst_rc=$?
end=$(date +%s.%N)
python3 - "$work" "$burst_n" "$burst_rc" "$(echo "$end - $start" | bc)" <<'EOF'
import json, os, re, sys

work, n, rc, wall = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
report = json.load(open(os.path.join(work, "burst.json")))
read = set()
for ep in report["endpoints"]:
    for ev in ep["evidence"]:
        m = re.search(r"HTTPS GET /burst/(\d+)\b", ev["expression"])
        if m and ev.get("content") == "seen":
            read.add(int(m.group(1)))
refused = sum(f["rule_id"] == "tls-interception-refused" for f in report["findings"])
text = open(os.path.join(work, "burst.stderr")).read()
counts = re.search(r"burst: [a-z_]+=[^\"\\]*", text)
print("\nburst over TLS: N = %d HTTPS connections; trace exit %s (1: findings), %.2f s wall" % (n, rc, wall))
print("  server's counts: %s" % (counts.group(0).strip() if counts else
                                 "not in the trace record (--verbose prints at most 64 KiB of it)"))
print("  requests read inside TLS and recorded: %d of %d (dropped: %d)" % (len(read), n, n - len(read)))
print("  https endpoints: %d; tls-interception-refused: %d" % (
    sum(ep.get("scheme") == "https" for ep in report["endpoints"]), refused))
reasons = [i["reason"] for i in report.get("incomplete", [])]
print("  report's incomplete entries: %d" % len(reasons))
for r in reasons:
    print("    " + r)
EOF
