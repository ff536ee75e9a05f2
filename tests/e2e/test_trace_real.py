#!/usr/bin/env python3
"""A real published server traced end to end: @modelcontextprotocol/server-everything,
pinned by version, installed from the npm registry with --ignore-scripts OUTSIDE the
sandbox (nothing of it runs there), then run inside it by `mcpaudit trace`.

What we know from reading its code (dist/tools/*.js): it answers over stdio with the
`stdio` argument; its get-env tool returns the whole environment to the client (so every
planted environment canary comes back over MCP); its gzip-file-as-resource tool fetches a
URL it is given (the driver's probe URL) or its default on raw.githubusercontent.com.

Usage: test_trace_real.py --mcpaudit BIN --source SRCDIR --work DIR
Without npm, node, the registry or a sandbox (tests/lib/sandbox_probe.py decides, never
mcpaudit's own failure) the suite fails under CI=true and exits 77 (skipped, saying why)
elsewhere. Last line: `N passed, N failed, N skipped`.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

PACKAGE = "@modelcontextprotocol/server-everything"
VERSION = "2026.8.31"


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    why = testkit.missing_tools("npm", "node") or testkit.sandbox_problem()
    if why:
        return testkit.cannot_run(why)
    pkg = os.path.join(work, "node_modules", "@modelcontextprotocol", "server-everything")
    if not os.path.exists(os.path.join(pkg, "dist", "index.js")):
        proc = subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", work,
                               f"{PACKAGE}@{VERSION}"], capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            return testkit.cannot_run(f"npm install {PACKAGE}@{VERSION} failed (no registry?): "
                                      f"{proc.stderr.strip()[:300]}")
    out = os.path.join(work, "trace.json")
    proc = subprocess.run([os.path.abspath(args.mcpaudit), "trace", "--format", "json", "--output", out,
                           "--quiet-period", "1", "--call-timeout", "5", "--timeout", "120", "--root", work,
                           "--", "node", "dist/index.js", "stdio"], cwd=pkg, capture_output=True, text=True,
                          timeout=300)
    res = testkit.Tally()
    res.check(proc.returncode in (0, 1) and os.path.exists(out), f"trace ran (exit {proc.returncode}) {proc.stderr[:200]}")
    if os.path.exists(out):
        with open(out) as fh:
            report = json.load(fh)
        # issue 12: one finding for the tool's answer, naming the call, carrying every canary
        # as an event (before, one critical finding per canary with the phase "mcp")
        leaked = [f for f in report["findings"] if f["rule_id"] == "credential-exfiltration"
                  and "over MCP" in f["message"]]
        events = [e for f in leaked for e in f.get("events", [])]
        res.check(len(leaked) == 1 and len(events) >= 5 and leaked[0].get("phase") == "tools/call get-env",
                  f"get-env hands the planted environment canaries back over MCP: one finding for the call, "
                  f"{len(events)} canaries ({[(f.get('phase'), len(f.get('events', []))) for f in leaked]})")
        crashes = [i for i in report["incomplete"] if "crash" in i["reason"]]
        res.check(not crashes, f"the server did not crash {crashes[:1]}")
        hosts = {e["host"] for e in report["endpoints"]}
        res.check(all(h in ("mcpaudit-probe.example.org", "raw.githubusercontent.com") for h in hosts if h),
                  f"it contacts only the probe URL or its documented default ({sorted(h for h in hosts if h)})")
        # issue 11: its HTTPS request is read inside TLS, path and all (before, only the SNI:
        # checked with --no-tls-intercept, under which this check fails)
        got = [ev["expression"] for e in report["endpoints"] if e["host"] == "raw.githubusercontent.com"
               and e.get("content_seen") for ev in e["evidence"]]
        res.check(any("HTTPS GET /modelcontextprotocol/servers/" in x for x in got),
                  f"its HTTPS request to raw.githubusercontent.com is read, with its path ({got[:1]})")
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
