#!/usr/bin/env python3
"""End to end: a trace stops waiting once no process of the target is left in the sandbox.

The start-up wait (1 s) and the quiet period exist because a server, or a daemon it left
behind, may still call out. When every process in the sandbox's PID namespace but the
tracer has exited, nothing can: the trace ends after a short grace for packets in flight
(issue 10 item 5). Checked here, as root and (as root) rootless via setpriv:
- `trace --quiet-period 5 -- true` ends in under 4.5 s, where waiting out the start-up
  wait and the quiet period takes at least 6 s. Failed before the change (checked: 6.9 to
  8.6 s on the old binary, every run);
- a server that exits at once but leaves a daemon that looks up late.example.net 1.5 s
  later still has that lookup in its trace record (the early end must not cut it off);
- the server's exit status is still reported.

Usage: test_trace_exit.py --mcpaudit BIN --source SRCDIR --work DIR
"""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

BOUND_S = 4.5  # start-up wait 1 s + quiet period 5 s = 6 s before the change
DAEMON = ("(sleep 1.5; exec python3 -c 'import socket\n"
          "try: socket.getaddrinfo(\"late.example.net\", 80)\n"
          "except OSError: pass') </dev/null >/dev/null 2>&1 & exit 3")


def trace(args, prefix, name, command, quiet):
    out = os.path.join(args.work, name + ".json")
    cwd = os.path.join(args.work, "empty")
    os.makedirs(cwd, exist_ok=True)
    os.chmod(cwd, 0o755)
    if os.path.exists(out):
        os.unlink(out)
    cmd = prefix + [args.mcpaudit, "trace", "--format", "json", "--output", out, "-v",
                    "--quiet-period", str(quiet), "--timeout", "60", "--"] + command
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    took = time.monotonic() - start
    report = None
    # a server that exits before initialize makes the run fail (exit 2) with a report
    if proc.returncode in (0, 1, 2) and os.path.exists(out):
        with open(out) as fh:
            report = json.load(fh)
    return proc, report, took


def check(res, args, prefix, label):
    proc, report, took = trace(args, prefix, label + "true", ["true"], 5)
    res.check(report is not None, f"{label}trace of true ran (exit {proc.returncode})")
    res.check(took < BOUND_S, f"{label}trace of true with a 5 s quiet period took {took:.2f} s (< {BOUND_S} s)")
    proc, report, took = trace(args, prefix, label + "daemon", ["sh", "-c", DAEMON], 5)
    res.check(report is not None, f"{label}daemon trace ran (exit {proc.returncode})")
    if report is None:
        return
    # the run failed (no initialize), so the lookup is in the trace record (-v), not in endpoints
    record = next((line for line in proc.stderr.splitlines() if "trace record:" in line), "")
    res.check('"name":"late.example.net"' in record, f"{label}the daemon's late lookup is in the trace record")
    res.check("exited with status 3" in (report.get("error") or ""), f"{label}the server's exit status is reported")


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    why = testkit.missing_tools("python3") or testkit.sandbox_problem()
    if why:
        return testkit.cannot_run(why)
    res = testkit.Tally()
    testkit.as_root_and_rootless(res, args.work, lambda prefix, label: check(res, args, prefix, label))
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
