#!/usr/bin/env python3
"""End to end: `mcpaudit trace` on the sample servers, in the real sandbox with the fake
network, driven over real MCP. Checks what each sample really contacts, with the phase,
and that documented and user-directed destinations are not flagged. When run as root, a
rootless pass (as nobody, via setpriv) repeats a few cases.

Usage: test_trace.py --mcpaudit BIN --source SRCDIR --work DIR
Exits 77 (skipped) when this machine cannot make the sandbox (the message says why).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

# sample, command, {host: (documented, phase or None)}, hosts that must be absent,
# finding (rule, host) pairs that must appear, rules that must not appear at all
CASES = [
    ("01-clean-calculator", ["node", "index.js"], {}, [], [], ["undocumented-egress"]),
    ("05-url-fetcher-js", ["node", "index.js"], {"mcpaudit-probe.example.org": (False, None)}, [], [],
     ["undocumented-egress"]),
    ("06-startup-telemetry-js", ["node", "index.js"],
     {"t.metrics.example.net": (False, "startup"), "api.rates.example.com": (True, None)}, [],
     [("undocumented-egress", "t.metrics.example.net")], []),
    # 203.0.113.50:4444 through a sinkhole; the UDP syslog datagram only through the capture
    ("09-raw-sockets-js", ["node", "index.js"], {"203.0.113.50": (False, None), "198.51.100.23": (False, None)}, [],
     [("raw-socket-egress", "203.0.113.50"), ("undocumented-egress", "203.0.113.50"),
      ("raw-socket-egress", "198.51.100.23")], []),
    ("11-websocket-subprocess-js", ["node", "index.js"],
     {"dl.tools.example.org": (False, None), "drop.example.net": (False, None)}, [], [], []),
    ("12-obfuscated-urls-js", ["node", "index.js"],
     {h: (False, None) for h in ("beacon.example.org", "c2.example.net", "cc.example.invalid",
                                 "files.example.org", "h.example.net", "r.example.net")}, [], [], []),
    ("27-handwritten-jsonrpc-py", ["python3", "server.py"],
     {"198.51.100.77": (False, None), "api.cloudcost.example": (True, None)}, [],
     [("raw-socket-egress", "198.51.100.77")], []),
    ("30-startup-telemetry-py", ["python3", "server.py"], {"t.pyinsights.example.org": (False, "startup")}, [],
     [("undocumented-egress", "t.pyinsights.example.org")], []),
    # the planted AWS secret leaves over HTTP at start-up; the SSH key goes back over MCP
    ("31-canary-thief-py", ["python3", "server.py"], {"collect.example.net": (False, "startup")}, [],
     [("credential-exfiltration", "collect.example.net"), ("credential-exfiltration", None),
      ("credential-access", None)], []),
    # MCP over streamable HTTP: the driver's own connections to 127.0.0.1:8765 are not egress
    ("32-streamable-http-py", ["python3", "server.py", "--port", "8765"],
     {"sync.glossary-cloud.example.net": (False, "tools/call suggest"),
      "api.glossary.example.com": (True, "tools/call define")}, ["127.0.0.1"],
     [("undocumented-egress", "sync.glossary-cloud.example.net")], ["raw-socket-egress"]),
]
# options a sample needs besides the defaults
OPTIONS = {"32-streamable-http-py": ["--http", "8765/mcp"]}
# the process each destination must be attributed to (a child process, not the server)
PROCESS = {"11-websocket-subprocess-js": {"dl.tools.example.org": "curl -fsSL", "drop.example.net": "curl -s -X POST"}}
ROOTLESS = {"32-streamable-http-py", "06-startup-telemetry-js", "30-startup-telemetry-py", "09-raw-sockets-js", "31-canary-thief-py",
            "11-websocket-subprocess-js"}


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("ok - " if ok else "not ok - ") + what)


def trace(args, sample, command, prefix):
    cwd = os.path.join(args.source, "samples", sample)
    out = os.path.join(args.work, sample + (".rootless" if prefix else "") + ".json")
    # the samples share samples/lib: the sandbox shows samples/ (a clone may live under /tmp,
    # which the sandbox replaces with a private one)
    cmd = prefix + [args.mcpaudit, "trace", "--format", "json", "--output", out, "--quiet-period", "1",
                    "--timeout", "60", "--root", os.path.join(args.source, "samples")] + OPTIONS.get(sample, []) + ["--"] + command
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    report = None
    if proc.returncode in (0, 1) and os.path.exists(out):
        with open(out) as fh:
            report = json.load(fh)
    return proc, report


def check_case(res, args, case, prefix, label):
    sample, command, hosts, absent, findings, forbidden = case
    proc, report = trace(args, sample, command, prefix)
    res.check(report is not None, f"{label}{sample}: trace ran (exit {proc.returncode}) {proc.stderr.strip()[:300]}")
    if report is None:
        return
    endpoints = {}
    for ep in report["endpoints"]:
        endpoints.setdefault(ep["host"], []).append(ep)
    for host, (documented, phase) in hosts.items():
        eps = endpoints.get(host, [])
        res.check(bool(eps), f"{label}{sample}: {host} contacted")
        if not eps:
            continue
        res.check(all(ep["documented"] == documented for ep in eps),
                  f"{label}{sample}: {host} {'documented' if documented else 'not documented'}")
        if phase:
            phases = {ev["phase"] for ep in eps for ev in ep["evidence"]}
            res.check(phase in phases, f"{label}{sample}: {host} seen during {phase} (got {sorted(phases)})")
    for host in absent:
        res.check(host not in endpoints, f"{label}{sample}: {host} not contacted")
    if not hosts:
        res.check(not report["endpoints"], f"{label}{sample}: no destination at all (got {sorted(endpoints)})")
    got = {(f["rule_id"], f.get("host")) for f in report["findings"]}
    for rule, host in findings:
        res.check((rule, host) in got, f"{label}{sample}: finding {rule} {host}")
    for rule in forbidden:
        res.check(not any(f["rule_id"] == rule for f in report["findings"]), f"{label}{sample}: no {rule}")
    for host, needle in PROCESS.get(sample, {}).items():
        texts = [ev.get("expression") or "" for ep in endpoints.get(host, []) for ev in ep["evidence"]]
        res.check(any(needle in t for t in texts), f"{label}{sample}: {host} attributed to {needle!r}")


def sandbox_available(args):
    proc, report = trace(args, "01-clean-calculator", ["node", "index.js"], [])
    if report is not None:
        return True, ""
    return False, proc.stderr.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcpaudit", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    args.mcpaudit = os.path.abspath(args.mcpaudit)
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    for tool in ("node", "python3"):
        if not shutil.which(tool):
            print(f"skipped: {tool} is not installed")
            return 77
    ok, why = sandbox_available(args)
    if not ok:
        print(f"skipped: this machine cannot make the sandbox: {why}")
        return 77
    res = Results()
    for case in CASES:
        check_case(res, args, case, [], "")
    # --pcap keeps the raw capture: a pcap file (magic a1b2c3d4) holding the UDP datagram
    pcap = os.path.join(args.work, "09.pcap")
    subprocess.run([args.mcpaudit, "trace", "--format", "json", "--output", os.path.join(args.work, "09p.json"),
                    "--quiet-period", "1", "--root", os.path.join(args.source, "samples"), "--pcap", pcap, "--",
                    "node", "index.js"], cwd=os.path.join(args.source, "samples", "09-raw-sockets-js"),
                   capture_output=True, timeout=120)
    data = open(pcap, "rb").read() if os.path.exists(pcap) else b""
    res.check(data[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"), "--pcap writes a pcap file")
    res.check(bytes([198, 51, 100, 23]) in data, "the pcap file holds the datagram to 198.51.100.23")
    setpriv = shutil.which("setpriv")
    if os.geteuid() == 0 and setpriv:
        os.chmod(args.work, 0o777)
        nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        for case in CASES:
            if case[0] in ROOTLESS:
                check_case(res, args, case, nobody, "rootless ")
    print(f"{res.passed} passed, {res.failed} failed")
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
