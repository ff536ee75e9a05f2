#!/usr/bin/env python3
"""`mcpaudit audit` end to end on real MCP servers published on npm, pinned by version:
fetched with npm pack, checked against the registry's integrity, read by the static stage,
dependencies installed with scripts disabled, the server started and traced in the sandbox.
Two are audited as npm: targets, two through a Claude Desktop configuration (server
arguments and a secret in env). What each report must say was checked by reading the
package's code (tests/realworld/README.md, "Audits").

Usage: test_audit_real.py --mcpaudit BIN --source SRCDIR --work DIR
Without npm, the registry or a sandbox (tests/lib/sandbox_probe.py decides, never
mcpaudit's own failure) the suite fails under CI=true and exits 77 (skipped, saying why)
elsewhere. Last line: `N passed, N failed, N skipped`.
"""

import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31"
MEMORY = "@modelcontextprotocol/server-memory@2026.8.31"
FILESYSTEM = "@modelcontextprotocol/server-filesystem@2026.8.31"
BRAVE = "@modelcontextprotocol/server-brave-search@0.6.2"
SLACK = "@modelcontextprotocol/server-slack@2025.4.25"
SECRET = "BSAfakefakefakefakefakefake0000000"  # the configured key: must never leave


def registry_integrity(spec):
    proc = subprocess.run(["npm", "view", spec, "dist.integrity"], capture_output=True, text=True, timeout=120)
    return proc.stdout.strip() if proc.returncode == 0 else None


def audit(args, target, name):
    out = os.path.join(args.work, name)
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([args.mcpaudit, "audit", "--format", "json", "--quiet-period", "2", "--output-dir", out,
                           target], capture_output=True, text=True, timeout=600)
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        doc = None
    return proc, doc


def rules(r, min_sev=None):
    order = ["info", "low", "medium", "high", "critical"]
    return {f["rule_id"] for f in r["findings"] if not f["suppressed"] and
            (min_sev is None or order.index(f["severity"]) >= order.index(min_sev))}


def common(res, r, spec, name):
    """What every real server's report must hold."""
    pkg = r.get("package") or {}
    res.check(r.get("stages") == {"static": True, "dynamic": True}, f"{name}: both stages ran")
    want = registry_integrity(spec)
    res.check(want and pkg.get("integrity") == want, f"{name}: the tarball matched the registry's integrity")
    res.check(pkg.get("command", [])[:2] == ["node", "./dist/index.js"], f"{name}: started from its bin dist/index.js")
    res.check([s["name"] for s in pkg.get("install_scripts", [])] == ["prepare"],
              f"{name}: the prepare script is listed")
    res.check("install-script" not in rules(r, "low"),
              f"{name}: prepare (which npm does not run for a registry install) stays at info")
    res.check(not r["incomplete"], f"{name}: nothing incomplete ({r['incomplete'][:1]})")


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    why = testkit.missing_tools("npm", "node") or testkit.sandbox_problem()
    if not why and not registry_integrity(MEMORY):
        why = "the npm registry is not reachable"
    if why:
        return testkit.cannot_run(why)
    res = testkit.Tally()

    # server-memory: a knowledge graph in a local file; no network at all
    proc, r = audit(args, "npm:" + MEMORY, "memory")
    if r:
        common(res, r, MEMORY, "server-memory")
        res.check(r["verdict"]["result"] == "pass" and proc.returncode == 0, "server-memory: verdict pass, exit 0")
        res.check(r["endpoints"] == [], "server-memory: no destination in the code or the run")
        res.check(os.path.exists(os.path.join(args.work, "memory", "report.html")), "server-memory: --output-dir")
    else:
        res.check(False, f"server-memory: a report ({proc.stderr[-300:]})")

    # --include-deps: the dependencies are installed (scripts disabled) and read too
    proc = subprocess.run([args.mcpaudit, "audit", "--static-only", "--include-deps", "--format", "json",
                           "npm:" + MEMORY], capture_output=True, text=True, timeout=600)
    try:
        r = json.loads(proc.stdout)
    except json.JSONDecodeError:
        r = None
    res.check(r is not None and r["target"]["files_parsed"] > 100 and
              any(ev.get("package") == "@modelcontextprotocol/sdk" for e in r["endpoints"] for ev in e["evidence"]),
              "server-memory --include-deps: the SDK's files are read, its endpoints carry the package")

    # server-everything: the protocol test server. get-env returns JSON.stringify(process.env)
    # (dist/tools/get-env.js:29), so the planted canaries come back over MCP; gzip-file-as-resource
    # fetches a URL argument defaulting to raw.githubusercontent.com (dist/tools/gzip-file-as-resource.js:19)
    proc, r = audit(args, "npm:" + EVERYTHING, "everything")
    if r:
        res.check(r["stages"] == {"static": True, "dynamic": True}, "server-everything: both stages ran")
        res.check(r["verdict"]["result"] == "fail" and proc.returncode == 1, "server-everything: verdict fail, exit 1")
        res.check({"credential-exfiltration", "credential-access"} <= rules(r, "high"),
                  "server-everything: the environment dump is credential-access and its canaries came back over MCP")
        exfil = [f for f in r["findings"] if f["rule_id"] == "credential-exfiltration"]
        res.check(exfil and all("over MCP" in f["message"] for f in exfil),
                  "server-everything: the canaries left over MCP (the tool's answer), not the network")
        gh = [e for e in r["endpoints"] if e["host"] == "raw.githubusercontent.com"]
        res.check(gh and gh[0]["observed"] == "confirmed" and not gh[0]["documented"],
                  "server-everything: raw.githubusercontent.com contacted, in the code, undocumented")
        res.check(any(ev["phase"] == "tools/call gzip-file-as-resource" for e in gh for ev in e["evidence"]),
                  "server-everything: contacted by tools/call gzip-file-as-resource")
        ud = [e for e in r["endpoints"] if e["kind"] == "user-directed"]
        res.check(any(ev.get("file") == "dist/tools/gzip-file-as-resource.js" for e in ud for ev in e["evidence"]),
                  "server-everything: the gzip tool's fetch is user-directed in the code")
    else:
        res.check(False, f"server-everything: a report ({proc.stderr[-300:]})")

    # server-slack exits at once without SLACK_BOT_TOKEN and SLACK_TEAM_ID (dist/index.js: "Please set
    # SLACK_BOT_TOKEN and SLACK_TEAM_ID environment variables"). Its README's example configuration
    # (README.md:98) sets them: it is started that way, the token as a canary of the README's shape
    # (before the README was read, askenv ran it a second time with a canary and a placeholder);
    # its tools reach https://slack.com/api/... (documented in its README)
    proc, r = audit(args, "npm:" + SLACK, "slack")
    if r:
        started = r["package"].get("started") or {}
        res.check(started.get("from") == "README.md:98" and "README" in (started.get("why") or ""),
                  f"server-slack: started with the variables of its README's configuration ({started})")
        slack = [e for e in r["endpoints"] if e["host"] == "slack.com"]
        res.check(slack and slack[0]["observed"] == "confirmed" and slack[0]["documented"],
                  "server-slack: slack.com documented and contacted by its tools")
        res.check(not r["incomplete"] and r["verdict"]["result"] == "pass", f"server-slack: pass ({r['verdict']})")
        # issue 11: its HTTPS calls are read inside TLS, with their paths, and the configured
        # token goes to its own service only (an info finding there, nothing anywhere else)
        paths = [ev["expression"] for e in slack for ev in e["evidence"] if "HTTPS " in (ev.get("expression") or "")]
        res.check(any("/api/" in p for p in paths),
                  f"server-slack: its API calls read inside TLS with their paths ({paths[:2]})")
        leaks = [f for f in r["findings"] if f["rule_id"] == "credential-exfiltration"]
        res.check(leaks and all(f.get("host") == "slack.com" and f["severity"] == "info" for f in leaks),
                  f"server-slack: the token seen going to slack.com only, as info "
                  f"({[(f.get('host'), f['severity']) for f in leaks]})")
    else:
        res.check(False, f"server-slack: a report ({proc.stderr[-300:]})")

    # a client configuration: filesystem with an allowed folder, brave-search with its API key
    cfg = os.path.join(args.work, "claude_desktop_config.json")
    with open(cfg, "w") as f:
        json.dump({"mcpServers": {
            "brave": {"command": "npx", "args": ["-y", BRAVE], "env": {"BRAVE_API_KEY": SECRET}},
            "files": {"command": "npx", "args": ["-y", FILESYSTEM, "/tmp"]}}}, f)
    proc = subprocess.run([args.mcpaudit, "audit", "--format", "json", "--quiet-period", "2", cfg],
                          capture_output=True, text=True, timeout=900)
    try:
        doc = json.loads(proc.stdout)
        # several servers: the envelope's reports (docs/report-format.md)
        reports = {d["target"]["paths"][0]: d for d in (doc["reports"] if "reports" in doc else [doc])}
    except (json.JSONDecodeError, KeyError, TypeError):
        reports = {}
    res.check(SECRET not in proc.stdout and SECRET not in proc.stderr, "config: the configured secret appears nowhere")
    r = reports.get("claude_desktop_config.json: brave")
    if r:
        common(res, r, BRAVE, "server-brave-search")
        api = [e for e in r["endpoints"] if e["host"] == "api.search.brave.com"]
        res.check(api and api[0]["documented"] and api[0]["observed"] == "confirmed",
                  "server-brave-search: api.search.brave.com documented (README) and contacted")
        res.check(any((ev.get("phase") or "").startswith("tools/call brave_") for e in api for ev in e["evidence"]),
                  "server-brave-search: contacted by a search tool's call")
        res.check(r["verdict"]["result"] == "pass", f"server-brave-search: verdict pass ({r['verdict']})")
    else:
        res.check(False, f"server-brave-search: a report ({proc.stderr[-300:]})")
    r = reports.get("claude_desktop_config.json: files")
    if r:
        common(res, r, FILESYSTEM, "server-filesystem")
        res.check(r["package"]["command"][-1] == "/tmp", "server-filesystem: started with the configured folder")
        res.check(r["endpoints"] == [] and r["verdict"]["result"] == "pass",
                  f"server-filesystem: no destination, verdict pass ({r['verdict']})")
    else:
        res.check(False, f"server-filesystem: a report ({proc.stderr[-300:]})")
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
