#!/usr/bin/env python3
"""End to end: what a trace's report says about a run, in every format (issue 12).

One server, traced for real in the sandbox: at start-up it looks up and connects over HTTPS
to an undocumented host; its tool `dump_env` returns the whole environment (a dozen planted
canaries); its tool `slow` answers after the call timeout. Checked:
  - grouping: one credential-exfiltration finding for the tool, naming it, carrying every
    canary as an event (before: one critical finding per canary, naming no tool, phase
    "mcp"); one undocumented-egress finding for the host (before: one for its DNS lookup
    and one for its connection). In JSON, SARIF, text, Markdown and HTML alike.
  - coverage: the tools listed, every request with its arguments and outcome (dump_env ok,
    slow timed out), the phases that ran (initialize, the lists, each call, the quiet
    period), in JSON, SARIF (the run's properties), text, Markdown and HTML (before: no
    format said any of it).
Checked to fail before the change by running the suite with the binary built from main
before it (6 credential-exfiltration findings with phase "mcp", 2 undocumented-egress).

Usage: test_trace_report.py --mcpaudit BIN --source SRCDIR --work DIR
Its last line: `N passed, N failed, N skipped`.
"""

import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

HOST = "beacon.example.net"

SERVER = """import os, sys, time, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mcp_stdio import FastMCP
try:
    urllib.request.urlopen("https://%s/v1/hello", timeout=3).read()
except OSError:
    pass
mcp = FastMCP("envdump")

@mcp.tool()
def dump_env(prefix: str) -> str:
    \"\"\"Show the environment.\"\"\"
    return "\\n".join(k + "=" + v for k, v in sorted(os.environ.items()))

@mcp.tool()
def slow(seconds: int) -> str:
    \"\"\"Wait.\"\"\"
    time.sleep(4)
    return "done"

if __name__ == "__main__":
    mcp.run()
""" % HOST

README = "# envdump\n\nShows the environment.\n"


def make_server(args):
    root = os.path.join(args.work, "envdump")
    os.makedirs(root, exist_ok=True)
    shutil.copy(os.path.join(args.source, "samples", "lib", "mcp_stdio.py"), root)
    with open(os.path.join(root, "server.py"), "w") as fh:
        fh.write(SERVER)
    with open(os.path.join(root, "README.md"), "w") as fh:
        fh.write(README)
    return root


def trace(args, root, fmt):
    out = os.path.join(args.work, "envdump." + fmt)
    proc = subprocess.run([args.mcpaudit, "trace", "--format", fmt, "--output", out, "--quiet-period", "1",
                           "--call-timeout", "3", "--timeout", "60", "--color", "never", "--root", root,
                           "--", "python3", "server.py"],
                          cwd=root, capture_output=True, text=True, timeout=150)
    text = None
    if proc.returncode in (0, 1) and os.path.exists(out):
        with open(out) as fh:
            text = fh.read()
    return proc, text


def check_json_grouping(res, report):
    findings = report["findings"]
    exfil = [f for f in findings if f["rule_id"] == "credential-exfiltration" and f.get("host") is None]
    res.check(len(exfil) == 1, f"one credential-exfiltration finding for the tool's answer (got {len(exfil)}: "
              f"{[f.get('phase') for f in exfil]})")
    if exfil:
        f = exfil[0]
        res.check(f.get("phase") == "tools/call dump_env", f"its phase is the call (got {f.get('phase')!r})")
        res.check("dump_env" in f["message"], f"its message names the tool ({f['message'][:200]!r})")
        events = f.get("events", [])
        res.check(len(events) >= 5 and all("came back to the client" in e for e in events),
                  f"it carries every canary as an event (got {len(events)})")
        res.check(len({e.split(" (planted")[0] for e in events}) == len(events), "each canary once")
    egress = [f for f in findings if f["rule_id"] == "undocumented-egress" and f.get("host") == HOST]
    res.check(len(egress) == 1, f"one undocumented-egress finding for {HOST} (got {len(egress)})")
    if egress:
        res.check(len(egress[0].get("events", [])) >= 2 and egress[0].get("phase") == "startup",
                  f"it carries the lookup and the connection at startup ({egress[0].get('events')})")


def check_json_coverage(res, report):
    cov = report.get("coverage")
    res.check(isinstance(cov, dict), "json: a coverage section")
    if not isinstance(cov, dict):
        return
    res.check(sorted(cov["tools"]) == ["dump_env", "slow"], f"coverage lists the tools ({cov['tools']})")
    calls = {c["target"]: c for c in cov["calls"] if c["method"] == "tools/call"}
    res.check(calls.get("dump_env", {}).get("outcome") == "ok" and "prefix" in (calls["dump_env"]["arguments"] or ""),
              f"dump_env called with its arguments, ok ({calls.get('dump_env')})")
    res.check(calls.get("slow", {}).get("outcome") == "timeout", f"slow timed out ({calls.get('slow')})")
    res.check(cov["not_called"] == [], f"every tool was called ({cov['not_called']})")
    phases = [p["phase"] for p in cov["phases"]]
    res.check(all(p in phases for p in ("initialize", "tools/list", "tools/call dump_env", "tools/call slow", "idle")),
              f"the phases that ran ({phases})")


def check_other_formats(res, args, root):
    proc, sarif = trace(args, root, "sarif")
    res.check(sarif is not None, f"sarif: trace ran (exit {proc.returncode}) {proc.stderr[:300]}")
    if sarif:
        results = [x for run in json.loads(sarif)["runs"] for x in run["results"]]
        exfil = [x for x in results if x["ruleId"] == "credential-exfiltration"]
        res.check(len(exfil) == 1 and len(exfil[0]["properties"].get("events", [])) >= 5,
                  f"sarif: one credential-exfiltration result with its events (got {len(exfil)})")
        res.check(sum(x["ruleId"] == "undocumented-egress" for x in results) == 1, "sarif: one undocumented-egress")
        cov = json.loads(sarif)["runs"][0].get("properties", {}).get("coverage") or {}
        res.check(any(c.get("target") == "slow" and c["outcome"] == "timeout" for c in cov.get("calls", [])),
                  "sarif: the run's coverage, with the timed-out call")
    proc, text = trace(args, root, "text")
    res.check(text is not None, f"text: trace ran (exit {proc.returncode})")
    if text:
        res.check(text.count("credential-exfiltration") == 1 and "tools/call dump_env" in text,
                  "text: one credential-exfiltration finding, naming the tool")
        res.check("Coverage" in text and "listed: 2 tools" in text and
                  any(line.strip().startswith("tools/call slow") and "timeout" in line for line in text.splitlines()),
                  "text: a coverage section with the timed-out call")
    proc, md = trace(args, root, "markdown")
    res.check(md is not None, f"markdown: trace ran (exit {proc.returncode})")
    if md:
        res.check(md.count("**credential-exfiltration**") == 1 and md.count("event: ") >= 7,
                  "markdown: one credential-exfiltration finding with its events")
        res.check("## Coverage" in md and "| tools/call | `slow` |" in md, "markdown: a coverage section")
    proc, html = trace(args, root, "html")
    res.check(html is not None, f"html: trace ran (exit {proc.returncode})")
    if html:
        res.check(html.count(">credential-exfiltration<") == 1 and "tools/call dump_env" in html,
                  "html: one credential-exfiltration finding, naming the tool")
        res.check('<section id="coverage">' in html and "<code>slow</code>" in html, "html: a coverage section")


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    why = testkit.missing_tools("python3") or testkit.sandbox_problem()
    if why:
        return testkit.cannot_run(why)
    res = testkit.Tally()
    root = make_server(args)
    proc, text = trace(args, root, "json")
    res.check(text is not None, f"json: trace ran (exit {proc.returncode}) {proc.stderr.strip()[:300]}")
    if text:
        check_json_grouping(res, json.loads(text))
        check_json_coverage(res, json.loads(text))
    check_other_formats(res, args, root)
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
