#!/usr/bin/env bash
# Benchmark the dynamic stage (`mcpaudit trace`), in one run: its overhead against the same
# server driven on the host with no sandbox, the sandbox's own set-up, tear-down and host
# walk (as it measures them, -v), and the capture's fidelity under a burst of DNS lookups
# and connections.
#
# Usage: bench/trace.sh [--runs N] [--build DIR] [--burst-n N] [--burst-threads N] [--no-tcpdump]
#   --runs N      timed runs of each overhead row, best wall time kept (default 3)
#   --build DIR   CMake build folder holding mcpaudit (default build; not rebuilt when present)
#   --burst-n N   lookups and connections the burst sample makes, each (default 2000)
#   --burst-threads N  threads the burst sample uses (default 16)
#   --no-tcpdump  skip the tcpdump capture run alongside the tracer's during the burst
# Only samples/01 (no network calls) ever runs outside the sandbox. A benchmark, not a
# test: it prints figures and asserts nothing about them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
work="$here/work/trace"
build="$top/build"
runs=3
burst_n=2000
burst_threads=16
use_tcpdump=1
quiet=1  # --quiet-period of the overhead rows; the baseline waits as long

die() { echo "bench: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=${2:?}; shift 2 ;;
	--build) build=$(cd "${2:?}" 2>/dev/null && pwd || echo "$2"); shift 2 ;;
	--burst-n) burst_n=${2:?}; shift 2 ;;
	--burst-threads) burst_threads=${2:?}; shift 2 ;;
	--no-tcpdump) use_tcpdump=0; shift ;;
	-h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$runs$burst_n$burst_threads" in *[!0-9]*) die "--runs, --burst-n and --burst-threads take numbers" ;; esac

# ---- Tools ----

# need_pkg COMMAND PACKAGE: install the Debian package as root, or say how and fail.
need_pkg() {
	command -v "$1" >/dev/null && return 0
	if [ "$(id -u)" -eq 0 ]; then
		apt-get install -y --no-install-recommends "$2" >/dev/null 2>&1 || return 1
	else
		echo "bench: $1 is missing: sudo apt-get install $2" >&2
		return 1
	fi
}
[ -x /usr/bin/time ] || need_pkg /usr/bin/time time || die "GNU time is needed for peak memory"
command -v node >/dev/null || die "node is needed for samples/01"
command -v python3 >/dev/null || die "python3 is needed for the baseline client and the burst sample"
mcpaudit="$build/mcpaudit"
if [ ! -x "$mcpaudit" ]; then
	echo "bench: building mcpaudit in $build"
	cmake --build "$build" --target mcpaudit >/dev/null || die "mcpaudit did not build in $build"
fi
# tcpdump joins the sandbox's network namespace with nsenter: that needs root (rootless, the
# namespace belongs to the tracer's user namespace).
tcpdump_note=""
if [ "$use_tcpdump" = 1 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		use_tcpdump=0 tcpdump_note="skipped: joining the sandbox's namespace needs root"
	elif ! command -v nsenter >/dev/null || ! need_pkg tcpdump tcpdump; then
		use_tcpdump=0 tcpdump_note="skipped: tcpdump or nsenter missing"
	fi
else
	tcpdump_note="skipped (--no-tcpdump)"
fi

rm -rf "$work"
mkdir -p "$work/empty"

# ---- Measuring ----

. "$here/measure.sh"

# incomplete FILE: the report's incomplete reasons, one line, shortened.
incomplete() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print("; ".join(i["reason"][:90] for i in r.get("incomplete", [])) or "none")' "$1" 2>/dev/null ||
		echo "report unreadable"
}

sample="$top/samples/01-clean-calculator"
echo "bench: overhead, $runs timed runs each, quiet period ${quiet} s"
measure host "$work/host.out" python3 "$here/mcp_client.py" --quiet-period "$quiet" --cwd "$sample" -- node index.js
record "host, no sandbox" "samples/01 driven by bench/mcp_client.py: $(head -1 "$work/host.out")"
host_s=$best_s host_kb=$peak_kb

measure trace "$work/trace.out" "$mcpaudit" trace --startup-wait 0 --format json --output "$work/trace-01.json" --quiet-period "$quiet" \
	--root "$top/samples" --cwd "$sample" -- node index.js
record "mcpaudit trace" "samples/01, exit $last_rc; incomplete: $(incomplete "$work/trace-01.json")"
trace_s=$best_s trace_kb=$peak_kb

# A server that exits at once: what is left is the sandbox, the fake network, the capture
# and the 200 ms grace after the last process of the target is gone.
measure true "$work/true.out" "$mcpaudit" trace --startup-wait 0 --format json --output "$work/trace-true.json" --quiet-period "$quiet" \
	--cwd "$work/empty" -- true
record "trace of true" "exit $last_rc; incomplete: $(incomplete "$work/trace-true.json")"

# The sandbox's own fixed costs, as it measures them (-v: "sandbox: host walk A ms (N
# entries), set-up B ms, tear-down C ms"; set-up is namespaces and mounts until the tracer
# runs inside, tear-down from its return until sandbox_run returns), with CPU time of the
# whole run: medians of the timed runs of trace of true.
for _ in $(seq "$runs"); do
	/usr/bin/time -f 'cpu %U %S' "$mcpaudit" trace --startup-wait 0 -v --format json --output "$work/trace-true.json" \
		--quiet-period "$quiet" --cwd "$work/empty" -- true 2>&1 | grep -E '^(mcpaudit: sandbox:|cpu )' || true
done >"$work/sandbox.txt"

# ---- The burst ----

# descendant_in_other_netns PID: the first descendant of PID whose network namespace is
# not ours (the sandbox's), or nothing.
descendant_in_other_netns() {
	local ours pid queue=("$1")
	ours=$(readlink /proc/self/ns/net)
	while [ ${#queue[@]} -gt 0 ]; do
		pid=${queue[0]}
		queue=("${queue[@]:1}")
		if [ "$pid" != "$1" ] && [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" != "$ours" ] &&
			[ -e "/proc/$pid/ns/net" ]; then
			echo "$pid"
			return 0
		fi
		# shellcheck disable=SC2207
		queue+=($(cat /proc/"$pid"/task/*/children 2>/dev/null || true))
	done
}

# start_tcpdump TRACE_PID: tcpdump on the sandbox's loopback once it exists and is up.
# Sets tcpdump_pid (empty when it could not start).
start_tcpdump() {
	local ns_pid="" i
	tcpdump_pid=""
	for i in $(seq 200); do
		ns_pid=$(descendant_in_other_netns "$1")
		[ -n "$ns_pid" ] && break
		sleep 0.02
	done
	[ -n "$ns_pid" ] || { tcpdump_note="no sandbox namespace found"; return 0; }
	for i in $(seq 20); do
		: >"$work/tcpdump.stderr"
		nsenter -t "$ns_pid" -n tcpdump -i lo -n -B 65536 -s 256 -w "$work/burst.pcap" \
			'udp port 53 or tcp port 53 or (not tcp dst port 53 and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn)' \
			2>"$work/tcpdump.stderr" &
		tcpdump_pid=$!
		while kill -0 "$tcpdump_pid" 2>/dev/null && ! grep -q 'listening on' "$work/tcpdump.stderr"; do
			sleep 0.02
		done
		grep -q 'listening on' "$work/tcpdump.stderr" && return 0
		wait "$tcpdump_pid" 2>/dev/null || true
		tcpdump_pid=""
		sleep 0.05  # loopback not up yet
	done
	tcpdump_note="tcpdump did not start: $(head -1 "$work/tcpdump.stderr")"
}

echo "bench: burst of $burst_n lookups, connections and closed-port attempts each, $burst_threads threads (bench/burst/server.py)"
burst_delay=0
[ "$use_tcpdump" = 1 ] && burst_delay=2  # time for tcpdump to start before the burst
/usr/bin/time -v -o "$work/burst.time" "$mcpaudit" trace --startup-wait 0 --verbose --format json --output "$work/burst.json" \
	--env "BURST_N=$burst_n" --env "BURST_DELAY=$burst_delay" --env "BURST_THREADS=$burst_threads" --quiet-period 2 --call-timeout 120 \
	--timeout 300 --root "$here/burst" --cwd "$here/burst" -- python3 server.py \
	>/dev/null 2>"$work/burst.stderr" &
trace_pid=$!
tcpdump_pid=""
[ "$use_tcpdump" = 1 ] && start_tcpdump "$trace_pid"
burst_rc=0
wait "$trace_pid" || burst_rc=$?
if [ -n "$tcpdump_pid" ]; then
	kill -INT "$tcpdump_pid" 2>/dev/null || true
	wait "$tcpdump_pid" 2>/dev/null || true
	tcpdump -r "$work/burst.pcap" -n >"$work/burst.pcap.txt" 2>/dev/null || true
	tcpdump_note=""
fi

# Everything counted from the report, the trace record (--verbose) and tcpdump's capture.
python3 - "$work" "$burst_n" "$burst_rc" "$tcpdump_note" <<'EOF'
import json, os, re, sys

work, n, rc, tcpdump_note = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
domain = ".burst.example.net"
report = json.load(open(os.path.join(work, "burst.json")))
text = open(os.path.join(work, "burst.stderr")).read()
at = text.find("trace record: ")
try:
    rec = json.loads(text[at + 14:].split("\n", 1)[0]) if at >= 0 else {}
except ValueError:  # -v cuts a terminal message at 64 KiB: a big burst's record is longer
    rec = {}
    print("burst: the trace record on stderr was cut short (64 KiB): its counts are missing below")

def names(scheme, prefix):
    return {e["host"] for e in report["endpoints"]
            if e.get("scheme") == scheme and e["host"].startswith(prefix) and e["host"].endswith(domain)}

row = "  %-46s %8s %8s"
print("\nburst: N = %d lookups (d*), connections (c*:80), attempts on a closed port (s*:81); "
      "trace exit %s (1: findings);\n%s" % (n, rc,
      (rec.get("stderr_tail") or "no counts from the server").strip()))
print(row % ("", "tracer", "tcpdump"))
tcp = {}
pcap = os.path.join(work, "burst.pcap.txt")
if os.path.exists(pcap):
    lines = open(pcap).read().splitlines()
    q = set(m.group(2) for l in lines for m in [re.search(r"\.53: \d+\+? (A|AAAA)\? (\S+)\. ", l)] if m)
    syn = {80: set(m.group(1) for l in lines for m in [re.search(r" > (\S+)\.80: Flags \[S\]", l)] if m)}
    # port 81 has no sinkhole: the tracer's NAT rule sends those SYNs to its catch-all port on
    # the namespace's loopback, so they are counted by client (source address and port)
    syn[81] = set(m.group(1) for l in lines
                  for m in [re.search(r"IP6? (\S+) > (?:127\.0\.0\.1|::1)\.\d+: Flags \[S\]", l)] if m)
    tcp = {"d": len({x for x in q if x.startswith("d") and x.endswith(domain)}),
           "c": len({x for x in q if x.startswith("c") and x.endswith(domain)}),
           "s": len({x for x in q if x.startswith("s") and x.endswith(domain)}),
           "syn80": len(syn[80]), "syn81": len(syn[81])}
    err = open(os.path.join(work, "tcpdump.stderr")).read()
    m = re.search(r"(\d+) packets? dropped by kernel", err)
    tcp["drop"] = m.group(1) if m else "?"
def show(label, ours, theirs="-"):
    print(row % (label, ours, theirs))
show("distinct names looked up, d* (of N)", len(names("dns", "d")), tcp.get("d", "-"))
show("distinct names looked up, c* (of N)", len(names("dns", "c")), tcp.get("c", "-"))
show("distinct names looked up, s* (of N)", len(names("dns", "s")), tcp.get("s", "-"))
show("HTTP connections to c*:80 (of N) / SYNs", len(names("http", "c")), tcp.get("syn80", "-"))
show("connections to s*:81, no sinkhole there: caught (of N) / SYNs", len(names("tcp", "s")), tcp.get("syn81", "-"))
show("other TCP endpoints for c*", len(names("tcp", "c")) + len(names("https", "c")))
cap, st = rec.get("capture", {}), rec.get("stats", {})
show("DNS queries logged (A and AAAA)", len(rec.get("dns", [])))
show("packets captured", cap.get("packets", "?"))
show("pcap_stats received (lo: each packet twice)", cap.get("received", "?"))
show("capture drops (kernel + interface)",
     "%s+%s" % (cap.get("dropped_kernel", "?"), cap.get("dropped_interface", "?")), tcp.get("drop", "-"))
show("fake network over caps / refused",
     sum(st.get(k, 0) for k in ("queries_over_cap", "connections_over_cap", "names_over_cap")),
     "-")
reasons = [i["reason"] for i in report.get("incomplete", [])]
print("report's incomplete entries: %d (about drops: %d)" % (len(reasons), sum("drop" in r for r in reasons)))
for r in reasons:
    print("  " + r)
if tcpdump_note:
    print("tcpdump: " + tcpdump_note)
EOF
burst_s=$(awk -F': ' '/Elapsed \(wall clock\)/ {
	n = split($2, p, ":"); t = 0; for (i = 1; i <= n; i++) t = t * 60 + p[i]; print t }' "$work/burst.time")
burst_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/burst.time")
printf 'burst run: %.2f s wall (BURST_DELAY %s s, quiet period 2 s), peak RSS %.1f MiB\n' \
	"$burst_s" "$burst_delay" "$(awk -v k="$burst_kb" 'BEGIN {print k / 1024}')"

# ---- Report ----

echo
echo "machine: $(nproc) cores, kernel $(uname -r); tree at $(git -C "$top" rev-parse --short HEAD 2>/dev/null ||
	echo '?'), $mcpaudit built $(date -u -r "$mcpaudit" '+%Y-%m-%d %H:%M UTC')"
printf '%-17s %10s %14s  %s\n' run "wall (s)" "peak RSS (MiB)" notes
for row in "${results[@]}"; do
	IFS='|' read -r name s kb note <<<"$row"
	printf '%-17s %10.2f %14.1f  %s\n' "$name" "$s" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$note"
done
awk -v t="$trace_s" -v h="$host_s" -v tk="$trace_kb" -v hk="$host_kb" 'BEGIN {
	printf "\ntrace overhead on samples/01: %+.2f s wall (%.2fx), peak RSS %.1f vs %.1f MiB\n",
		t - h, t / h, tk / 1024, hk / 1024 }'
python3 - "$work/sandbox.txt" <<'EOF2'
import re, statistics, sys
text = open(sys.argv[1]).read()
rows = [tuple(float(x) for x in m.groups()) for m in
        re.finditer(r"host walk ([\d.]+) ms \((\d+) entries\), set-up ([\d.-]+) ms, tear-down ([\d.-]+) ms", text)]
cpu = [float(a) + float(b) for a, b in re.findall(r"^cpu ([\d.]+) ([\d.]+)", text, re.M)]
if not rows:
    print("sandbox: no timing line (-v) in the runs of trace of true")
    sys.exit(0)
med = lambda i: statistics.median(r[i] for r in rows)
print("sandbox (trace of true, medians of %d): set-up %.1f ms + tear-down %.1f ms = %.1f ms; host walk %.0f ms "
      "(%d entries); whole run %.2f s CPU" % (len(rows), med(2), med(3), med(2) + med(3), med(0), med(1),
                                              statistics.median(cpu) if cpu else float("nan")))
EOF2
echo "outputs, reports and stderr: $work"
