#!/usr/bin/env python3
"""End to end: the quiet period after the last call ends early once the server cannot act
on its own any more, and never when it can (issue 10, the dynamic side's fixed costs).

A server whose every thread is blocked with no time-out (epoll, a futex, a pipe read), with
no timer armed and nothing in flight, can only be woken by the client: waiting out the
rest of the quiet period only delays the verdict. Checked here, as root and (as root)
rootless via setpriv, each with the default 5 s quiet period:
- an idle Node server (samples/01) is traced in under 3.5 s, its quiet period under 1.5 s.
  Failed before the change (checked on the build of c8d78ba: 5.5 to 5.8 s, the full 5 s);
- -v prints the sandbox's own host walk, set-up and tear-down times (new with the change);
- so is a Node server whose only timer is due in 9 s, after the quiet period, the flush
  and the shutdown read would have ended (the MCP SDK keeps such timers): the wait counts
  the time-out from the last request, which the thread has run since;
- servers with a deliberate delayed call-out still have it in the trace record, the quiet
  period running on: a Node setTimeout, a Python threading.Timer, a Python alarm(2) whose
  SIGALRM handler looks up while the main thread reads stdin (a pipe read: only the seccomp
  listener's view of alarm(2) tells), and a child killed by its own alarm whose parent,
  blocked in wait4, looks up after. Each looks up a name 2.5 s after the last call.

Usage: test_trace_quiet.py --mcpaudit BIN --source SRCDIR --work DIR
"""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

QUIET = 5
IDLE_BOUND_S = 3.5
LATE_S = 2.5
FAR_MS = 9000
STARTUP_WAIT = 5
STARTUP_TIMER_S = 1.5

# A stdio MCP server with no tools: after initialize and the lists comes the quiet period.
PY_SERVER = r'''
import json, os, signal, socket, sys, threading

def lookup(name):
    try:
        socket.getaddrinfo(name, 80)
    except OSError:
        pass

def late(kind):
    if kind == "timer":
        threading.Timer(%(late)s, lookup, ["late-pytimer.example.net"]).start()
    elif kind == "alarm":
        signal.signal(signal.SIGALRM, lambda *a: lookup("late-alarm.example.net"))
        signal.alarm(%(alarm)d)
    elif kind == "child":
        pid = os.fork()
        if pid == 0:
            signal.alarm(%(alarm)d)
            signal.pause()
            os._exit(0)
        threading.Thread(target=lambda: (os.waitpid(pid, 0), lookup("late-child.example.net"))).start()

started = False
for line in sys.stdin:
    m = json.loads(line)
    if "id" not in m:
        continue
    method = m.get("method")
    if method == "initialize":
        result = {"protocolVersion": m["params"]["protocolVersion"], "capabilities": {"tools": {}},
                  "serverInfo": {"name": "late", "version": "1"}}
    elif method == "ping":
        result = {}
        if not started:
            started = True
            late(sys.argv[1])
    elif method.endswith("/list"):
        result = {method.split("/")[0]: []}
    else:
        result = {}
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": result}) + "\n")
    sys.stdout.flush()
''' % {"late": LATE_S, "alarm": int(LATE_S + 0.5)}

JS_SERVER = r'''
const dns = require('dns');
const rl = require('readline').createInterface({ input: process.stdin });
let started = false;
rl.on('line', (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined) return;
  let result = {};
  if (m.method === 'initialize')
    result = { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} },
               serverInfo: { name: 'late', version: '1' } };
  else if (m.method.endsWith('/list')) result = { [m.method.split('/')[0]]: [] };
  else if (m.method === 'ping' && !started) {
    started = true;
    setTimeout(() => dns.lookup('late-jstimer.example.net', () => {}), Number(process.argv[2]));
  }
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\n');
});
'''


# Servers that look a name up on their own STARTUP_TIMER_S after they start, then answer
# like JS_SERVER (their name is the file's, .example.net).
STARTUP_JS = ("setTimeout(() => require('dns').lookup('startjs.example.net', () => {}), %d);\n" %
              int(STARTUP_TIMER_S * 1000)) + JS_SERVER
STARTUP_PY = ("import socket, threading\n"
              "threading.Timer(%s, lambda: socket.getaddrinfo('startpy.example.net', 80)).start()\n" %
              STARTUP_TIMER_S) + PY_SERVER.replace("late(sys.argv[1])", "pass")


def trace(args, prefix, name, cwd, command, startup="0"):
    out = os.path.join(args.work, name + ".json")
    if os.path.exists(out):
        os.unlink(out)
    cmd = prefix + [args.mcpaudit, "trace", "--format", "json", "--output", out, "-v", "--startup-wait", startup,
                    "--quiet-period", str(QUIET), "--timeout", "60", "--root", cwd, "--cwd", cwd, "--"] + command
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    took = time.monotonic() - start
    line = next((x for x in proc.stderr.splitlines() if "trace record: " in x), "")
    record = json.loads(line.split("trace record: ", 1)[1]) if line else {}
    return proc, record, took


def names(record):
    return {q.get("name") for q in record.get("dns", [])}


def initialized_at(record):
    """When the start-up wait ended: the ms of the initialize phase, or None."""
    return next((p["ms"] for p in record.get("phases", []) if p.get("phase") == "initialize"), None)


def check_startup(res, args, prefix, label):
    """The start-up wait (--startup-wait 5 here) ends early once the server cannot act on its
    own before it would end: samples/01 (idle once started) is initialized within 3 s.
    Failed before the change (initialize at 5,0xx ms: checked on the build of 57c753c). A
    server with a timer due within the wait (Node setTimeout, Python threading.Timer, 1.5 s
    after start, each looking a name up) keeps it going: the name is looked up before
    initialize. That check failed with target_idle's process test taken out of
    let_start_while_alive's condition (pidns_others_waiting made true), checked once."""
    calc = os.path.join(args.source, "samples", "01-clean-calculator")
    proc, record, took = trace(args, prefix, label + "startidle", calc, ["node", "index.js"], startup=str(STARTUP_WAIT))
    at = initialized_at(record)
    res.check(at is not None and at < 3000, f"{label}an idle server's {STARTUP_WAIT} s start-up wait ended early "
              f"(initialize at {at} ms; exit {proc.returncode})")
    folder = os.path.join(args.work, "servers")
    for name, command in (("startjs", ["node", "startup.js", str(FAR_MS)]), ("startpy", ["python3", "startup.py"])):
        proc, record, took = trace(args, prefix, label + name, folder, command, startup=str(STARTUP_WAIT))
        at = initialized_at(record)
        want = f"{name}.example.net"
        res.check(want in names(record) and at is not None and at >= STARTUP_TIMER_S * 1000,
                  f"{label}{name}: a timer due {STARTUP_TIMER_S} s after start keeps the start-up wait going "
                  f"(initialize at {at} ms; names {sorted(names(record))}; exit {proc.returncode})")


def check(res, args, prefix, label):
    calc = os.path.join(args.source, "samples", "01-clean-calculator")
    proc, record, took = trace(args, prefix, label + "idle", calc, ["node", "index.js"])
    res.check(record.get("driven"), f"{label}idle server driven (exit {proc.returncode}: {proc.stderr[-300:] if not record else ''})")
    res.check(took < IDLE_BOUND_S, f"{label}idle server with a {QUIET} s quiet period traced in {took:.2f} s "
              f"(< {IDLE_BOUND_S} s)")
    res.check(record.get("quiet_ms", QUIET * 1000) < 1500,
              f"{label}its quiet period ended early ({record.get('quiet_ms')} ms)")
    timing = re.search(r"sandbox: host walk ([\d.]+) ms \((\d+) entries\), set-up ([\d.]+) ms, tear-down ([\d.]+) ms",
                       proc.stderr)
    res.check(timing and int(timing.group(2)) > 0 and 0 < float(timing.group(3)) < took * 1000,
              f"{label}-v says what the sandbox's walk, set-up and tear-down took "
              f"({timing.group(0) if timing else 'no line'})")
    folder = os.path.join(args.work, "servers")
    # a timer due after the quiet period, the flush and the shutdown read (5 + 0.5 + 1 s)
    # would not be seen by waiting them out either: such a wait ends early
    proc, record, took = trace(args, prefix, label + "far", folder, ["node", "server.js", str(FAR_MS)])
    res.check(record.get("driven") and record.get("quiet_ms", QUIET * 1000) < 1500,
              f"{label}a timer due in {FAR_MS} ms ends the quiet period early ({record.get('quiet_ms')} ms)")
    cases = [("jstimer", ["node", "server.js", str(int(LATE_S * 1000))]), ("pytimer", ["python3", "server.py", "timer"]),
             ("alarm", ["python3", "server.py", "alarm"]), ("child", ["python3", "server.py", "child"])]
    for name, command in cases:
        proc, record, took = trace(args, prefix, label + name, folder, command)
        want = f"late-{name}.example.net"
        res.check(want in names(record), f"{label}{name}: the delayed look-up of {want} is in the trace record "
                  f"(quiet period {record.get('quiet_ms')} ms; names {sorted(names(record))}; exit {proc.returncode})")


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    args.work = os.path.abspath(args.work)
    args.source = os.path.abspath(args.source)
    why = testkit.missing_tools("python3", "node") or testkit.sandbox_problem()
    if why:
        return testkit.cannot_run(why)
    folder = os.path.join(args.work, "servers")
    os.makedirs(folder, exist_ok=True)
    for fname, text in (("server.py", PY_SERVER), ("server.js", JS_SERVER), ("startup.js", STARTUP_JS),
                        ("startup.py", STARTUP_PY)):
        with open(os.path.join(folder, fname), "w") as fh:
            fh.write(text)
    os.chmod(folder, 0o755)
    res = testkit.Tally()
    testkit.as_root_and_rootless(res, args.work, lambda prefix, label: (check(res, args, prefix, label),
                                                                         check_startup(res, args, prefix, label)))
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
