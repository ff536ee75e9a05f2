#!/usr/bin/env python3
"""End to end: `mcpaudit audit` on sample packages (folders, a tarball made with npm pack),
with both stages for real: the static stage, the package's install script run in the
sandbox (phase "install"), the server started from its manifest and traced over MCP.
Checks the verdict, the merged endpoint list (observed: confirmed, not-exercised,
hidden), the install-phase findings, --output-dir, and the errors a user meets
(an unknown npm package, an unreachable package index, a missing folder).

Usage: test_audit.py --mcpaudit BIN --source SRCDIR --work DIR
Whether the sandbox can run (as root, and as nobody for the rootless audit) is decided by
tests/lib/sandbox_probe.py, never by mcpaudit's own failure. Without node, npm or a sandbox
the suite fails under CI=true and exits 77 (skipped, saying why) elsewhere. Last line:
`N passed, N failed, N skipped`.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

QUIET = ["--quiet-period", "1"]


# The suites that import Results from here count with testkit's Tally.
Results = testkit.Tally


def audit(args, targets, *opts, cwd=None, timeout=300, env=None):
    cmd = [args.mcpaudit, "audit", "--format", "json"] + list(opts) + list(targets)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)
    try:
        report = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    return proc, report


def endpoints(report, host):
    return [e for e in report.get("endpoints", []) if e.get("host") == host]


def findings(report, rule, host=None):
    return [f for f in report.get("findings", []) if f["rule_id"] == rule and (host is None or f.get("host") == host)
            and not f.get("suppressed")]


def phases(eps):
    return {ev.get("phase") for e in eps for ev in e["evidence"] if ev.get("stage") == "dynamic"}


def check_postinstall(res, args, target, label, opts=()):
    """Sample 33: a clean server whose postinstall phones home."""
    proc, r = audit(args, [target], *QUIET, *opts)
    res.check(proc.returncode == 1, f"{label}: exit 1 (verdict fail), got {proc.returncode}: {proc.stderr[-300:]}")
    if not r:
        res.check(False, f"{label}: a JSON report")
        return
    res.check(r.get("verdict", {}).get("result") == "fail", f"{label}: verdict fail")
    res.check(list(r.keys()).index("verdict") < list(r.keys()).index("endpoints"), f"{label}: the verdict comes first")
    res.check(any("install" in reason for reason in r["verdict"]["reasons"]), f"{label}: a reason names the install script")
    pkg = r.get("package") or {}
    res.check(pkg.get("name") == "notes-mcp" and pkg.get("version") == "0.4.1", f"{label}: package name and version")
    scripts = pkg.get("install_scripts", [])
    res.check([s["name"] for s in scripts] == ["postinstall"] and scripts[0].get("file") == "scripts/postinstall.js",
              f"{label}: the postinstall script and its file are listed")
    res.check(scripts and scripts[0].get("egress") is True, f"{label}: the install script is marked as making egress")
    inst = findings(r, "install-script")
    res.check(len(inst) == 1 and inst[0]["severity"] == "high", f"{label}: install-script at high")
    eps = endpoints(r, "install.metrics.example.net")
    res.check(eps and "install" in phases(eps), f"{label}: install.metrics.example.net contacted in phase install")
    res.check(eps and all(e.get("observed") == "confirmed" for e in eps if e["evidence"]),
              f"{label}: install.metrics.example.net observed confirmed (in the code and contacted)")
    res.check(bool(findings(r, "undocumented-egress", "install.metrics.example.net")),
              f"{label}: undocumented-egress for the collector")
    # the server itself is clean and was started from its bin
    res.check(pkg.get("command", [])[:2] == ["node", "./server.js"], f"{label}: the server started from its bin")
    res.check(r.get("stages") == {"static": True, "dynamic": True}, f"{label}: both stages ran")
    res.check(not findings(r, "hidden-egress"), f"{label}: nothing hidden")


def make_tarball(args):
    """npm pack of sample 33 (no scripts run), as a user would download it."""
    out = os.path.join(args.work, "pack")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    proc = subprocess.run(["npm", "pack", "--ignore-scripts", "--json", "--pack-destination", out,
                           os.path.join(args.source, "samples", "33-postinstall-beacon-js")],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        return None
    return os.path.join(out, json.loads(proc.stdout)[0]["filename"])


def write_hidden_package(args):
    """A server whose destination only exists at run time (XOR-decoded from numbers the
    static stage does not evaluate): the run contacts it, the code does not name it."""
    root = os.path.join(args.work, "hidden-pkg")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    host = "beacon.example.net"
    codes = [ord(c) ^ 23 for c in host]
    with open(os.path.join(root, "package.json"), "w") as f:
        json.dump({"name": "hidden-pkg", "version": "1.0.0", "main": "server.js"}, f)
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write("# hidden-pkg\n\nA test server that documents no endpoint.\n")
    with open(os.path.join(root, "server.js"), "w") as f:
        f.write("'use strict';\nconst dns = require('dns');\nconst readline = require('readline');\n"
                f"const k = [{', '.join(map(str, codes))}];\n"
                "const key = Number(process.versions.node.split('.')[0] > 0) * 23;\n"
                "const name = k.map((c) => String.fromCharCode(c ^ key)).join('');\n"
                "setTimeout(() => dns.lookup(name, () => {}), 10);\n"
                "readline.createInterface({ input: process.stdin }).on('line', (line) => {\n"
                "  const m = JSON.parse(line); if (m.id === undefined) return;\n"
                "  const result = m.method === 'initialize' ? { protocolVersion: '2025-06-18', capabilities: {},\n"
                "    serverInfo: { name: 'hidden', version: '1' } } : { tools: [] };\n"
                "  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');\n"
                "});\n")
    return root, host

# Each sample client configuration: the verdict each configured server must get.
# None: fetched from PyPI, which may be unreachable (then an error that says what to do).
CONFIGS = {
    "claude_desktop_config.json": {"memory": "pass", "rates": "fail", "envcheck": "fail"},
    "claude-code/.mcp.json": {"filesystem": "pass", "time": None, "docs": "review"},
    "cursor/.cursor/mcp.json": {"calculator": "pass", "github": "review", "search": "review"},
    "vscode/.vscode/mcp.json": {"weather": "pass", "forecast": "pass", "inventory": "fail", "fetch": None},
    "cline/cline_mcp_settings.json": {"memo": "fail", "tides": "pass", "notes": "review"},
    "windsurf/mcp_config.json": {"filesystem": "pass", "git": None, "remote-docs": "review"},
}
FAKE_SECRETS = ["EXAMPLE-NOT-A-REAL-KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE"]


def check_configs(res, args):
    """Every client configuration format, static only: one report per configured server."""
    clients = os.path.join(args.source, "samples", "clients")
    for rel, want in CONFIGS.items():
        proc = subprocess.run([args.mcpaudit, "audit", "--static-only", "--format", "json",
                               os.path.join(clients, rel)], capture_output=True, text=True, timeout=600)
        try:
            doc = json.loads(proc.stdout)
            # several servers: the envelope's reports (docs/report-format.md); one: the report
            items = doc["reports"] if "reports" in doc else [doc]
            reports = {r["target"]["paths"][0].split(": ", 1)[1]: r for r in items}
        except (json.JSONDecodeError, KeyError, IndexError, TypeError):
            reports = {}
        res.check(sorted(reports) == sorted(want), f"{rel}: one report per server ({sorted(reports)})")
        for server, verdict in want.items():
            r = reports.get(server)
            if not r:
                continue
            got = (r.get("verdict") or {}).get("result")
            if verdict is None:
                res.check(got is not None or "audit the file" in (r.get("error") or ""),
                          f"{rel}: {server} audited, or an error saying what to do")
            else:
                res.check(got == verdict, f"{rel}: {server} verdict {verdict} (got {got}: {r.get('error')})")
            if verdict == "review" and got == "review" and r.get("package", {}).get("source", "").startswith("remote"):
                res.check(any(f["rule_id"] == "remote-server" for f in r["findings"]),
                          f"{rel}: {server} is a remote server to review")
        leaked = [x for x in FAKE_SECRETS if x in proc.stdout or x in proc.stderr]
        res.check(not leaked, f"{rel}: no configured secret in the output ({leaked})")


def check_config_secret(res, args):
    """A configured secret becomes a canary: the canary thief sends it, the audit sees it
    leave, and the real value is never in the sandbox or the report."""
    cfg = os.path.join(args.work, "claude_desktop_config.json")
    with open(cfg, "w") as f:
        json.dump({"mcpServers": {"envcheck": {
            "command": "python3", "args": [os.path.join(args.source, "samples", "31-canary-thief-py", "server.py")],
            "env": {"AWS_SECRET_ACCESS_KEY": FAKE_SECRETS[1]}}}}, f)
    proc, r = audit(args, [cfg], *QUIET, "--root", os.path.join(args.source, "samples"))
    if not r:
        res.check(False, f"config secret: a report ({proc.stderr[-300:]})")
        return
    hits = [f for f in r["findings"] if f["rule_id"] == "credential-exfiltration" and "configured_" in f["message"] and "AWS_SECRET_ACCESS_KEY" in f["message"]]
    res.check(bool(hits), "config secret: the canary standing in for the configured AWS_SECRET_ACCESS_KEY was caught leaving")
    res.check(FAKE_SECRETS[1] not in proc.stdout and FAKE_SECRETS[1] not in proc.stderr,
              "config secret: the configured value itself appears nowhere")


def check_wheel(res, args):
    """A wheel (a zip with a .dist-info), as pip would download it: unpacked, its metadata
    and console script read, its code scanned."""
    src = os.path.join(args.source, "samples", "30-startup-telemetry-py", "server.py")
    whl = os.path.join(args.work, "textstats_mcp-1.0.2-py3-none-any.whl")
    info = "textstats_mcp-1.0.2.dist-info"
    with zipfile.ZipFile(whl, "w") as z:
        z.write(src, "textstats_mcp/server.py")
        z.writestr("textstats_mcp/__init__.py", "")
        z.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: textstats-mcp\nVersion: 1.0.2\n"
                   "Requires-Dist: reqeusts>=2\n")
        z.writestr(f"{info}/entry_points.txt", "[console_scripts]\ntextstats-mcp = textstats_mcp.server:mcp.run\n")
        z.writestr(f"{info}/RECORD", "")
    proc, r = audit(args, [whl], "--static-only")
    if not r:
        res.check(False, f"wheel: a report ({proc.stderr[-300:]})")
        return
    pkg = r.get("package") or {}
    res.check(pkg.get("name") == "textstats-mcp" and pkg.get("version") == "1.0.2" and pkg.get("ecosystem") == "pypi",
              f"wheel: name, version and ecosystem from METADATA ({pkg.get('name')}, {pkg.get('version')})")
    res.check(any(e["host"] == "t.pyinsights.example.org" for e in r["endpoints"]),
              "wheel: the start-up beacon in the wheel's code is found")
    res.check(any(f["rule_id"] == "typosquat-dependency" and "reqeusts" in f["message"] for f in r["findings"]),
              "wheel: Requires-Dist reqeusts is a typosquat of requests")
    res.check(r["verdict"]["result"] == "fail" and pkg.get("source", "").startswith("archive "),
              "wheel: verdict fail, source archive")


def check_npmrc(res, args):
    """A package's own .npmrc must not steer the dependency install that runs outside the
    sandbox: here it names an unreachable registry; set aside, the install works."""
    root = os.path.join(args.work, "npmrc-pkg")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "package.json"), "w") as f:
        json.dump({"name": "npmrc-pkg", "version": "1.0.0", "main": "server.js",
                   "dependencies": {"ms": "2.1.3"}}, f)
    with open(os.path.join(root, ".npmrc"), "w") as f:
        f.write("registry=http://198.51.100.1:9/\ngit=./not-git.sh\n")
    with open(os.path.join(root, "server.js"), "w") as f:
        f.write("'use strict';\nconst ms = require('ms');\nconst readline = require('readline');\n"
                "readline.createInterface({ input: process.stdin }).on('line', (line) => {\n"
                "  const m = JSON.parse(line); if (m.id === undefined) return;\n"
                "  const result = m.method === 'initialize' ? { protocolVersion: '2025-06-18', capabilities: {},\n"
                "    serverInfo: { name: 'npmrc', version: String(ms('1s')) } } : { tools: [] };\n"
                "  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');\n"
                "});\n")
    proc, r = audit(args, [root], *QUIET)
    if not r:
        res.check(False, f".npmrc: a report ({proc.stderr[-300:]})")
        return
    reasons = [i["reason"] for i in r["incomplete"]]
    res.check(any(i["file"] == ".npmrc" for i in r["incomplete"]), f".npmrc: set aside and said so ({reasons})")
    res.check(not any("not installed" in x or "crash" in x for x in reasons),
              ".npmrc: the dependency came from the real registry and the server ran")
    res.check(os.path.exists(os.path.join(root, ".npmrc")) and not os.path.exists(os.path.join(root, "node_modules")),
              ".npmrc: the folder audited is unchanged (the install went into a private copy)")
    # a dependency from a URL: npm would fetch it from a host the package chose
    with open(os.path.join(root, "package.json"), "w") as f:
        json.dump({"name": "npmrc-pkg", "version": "1.0.0", "main": "server.js",
                   "dependencies": {"ms": "https://198.51.100.1/ms.tgz"}}, f)
    proc, r = audit(args, [root], *QUIET)
    res.check(r is not None and any("outside the registry" in i["reason"] and "198.51.100.1" in i["reason"]
                                    for i in r["incomplete"]),
              "a dependency from a URL is not installed, and the report says why")


def check_hostile_archive(res, args):
    """A tarball that tries to write outside the private folder: each bad entry is refused
    and listed, the rest is audited, nothing lands outside."""
    tgz = os.path.join(args.work, "hostile.tgz")
    canary = os.path.join(args.work, "escaped")
    shutil.rmtree(canary, ignore_errors=True)
    with tarfile.open(tgz, "w:gz") as tar:
        def add(name, data=b"", **kw):
            info = tarfile.TarInfo(name)
            for k, v in kw.items():
                setattr(info, k, v)
            info.size = len(data) if info.type == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
        add("package/package.json", json.dumps({"name": "hostile", "version": "1.0.0"}).encode())
        add("package/index.js", b"fetch('https://collect.example.net/x').catch(() => {});\n")
        add("package/../../escaped/dotdot.txt", b"x")
        add(canary + "/absolute.txt", b"x")
        add("package/link", type=tarfile.SYMTYPE, linkname="../../../../../../tmp")
        add("package/hard", type=tarfile.LNKTYPE, linkname="/etc/passwd")
        add("package/dev", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
    proc, r = audit(args, [tgz], "--static-only")
    if not r:
        res.check(False, f"hostile archive: a report ({proc.stderr[-300:]})")
        return
    refused = [i for i in r["incomplete"] if "not unpacked" in i["reason"]]
    res.check(len(refused) == 5, f"hostile archive: 5 entries refused and listed ({[i['file'] for i in refused]})")
    res.check(any(e["host"] == "collect.example.net" for e in r["endpoints"]),
              "hostile archive: the rest is audited")
    res.check(not os.path.exists(canary), "hostile archive: nothing written outside the private folder")


PY_MAIN = """import json, sys, urllib.request
try:
    urllib.request.urlopen("https://beacon.example.net/start", timeout=2)
except Exception:
    pass
for line in sys.stdin:
    m = json.loads(line)
    if "id" not in m:
        continue
    res = ({"protocolVersion": "2025-06-18", "capabilities": {}, "serverInfo": {"name": "w", "version": "1"}}
           if m["method"] == "initialize" else {"tools": []})
    print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": res}), flush=True)
"""


def check_python_module(res, args):
    """A Python src layout with no console script: started as `python3 -m PKG`, its
    start-up beacon seen by both stages."""
    root = os.path.join(args.work, "py-src-layout")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "src", "weather_srv"))
    with open(os.path.join(root, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "weather-srv"\nversion = "0.1.0"\n')
    with open(os.path.join(root, "src", "weather_srv", "__main__.py"), "w") as f:
        f.write(PY_MAIN)
    proc, r = audit(args, [root], *QUIET)
    if not r:
        res.check(False, f"python -m: a report ({proc.stderr[-300:]})")
        return
    res.check(r["package"]["command"] == ["python3", "-m", "weather_srv"], f"python -m: started as python3 -m weather_srv "
              f"({r['package']['command']})")
    eps = endpoints(r, "beacon.example.net")
    res.check(eps and eps[0]["observed"] == "confirmed" and "startup" in phases(eps),
              "python -m: the start-up beacon is confirmed at start-up")


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    why = testkit.missing_tools("node", "npm") or testkit.sandbox_problem()
    if why:
        return testkit.cannot_run(why)
    res = testkit.Tally()
    samples = os.path.join(args.source, "samples")

    # a folder, then the same package as the tarball npm would publish
    check_postinstall(res, args, os.path.join(samples, "33-postinstall-beacon-js"), "folder 33")
    tgz = make_tarball(args)
    res.check(tgz is not None, "npm pack made a tarball of sample 33")
    if tgz:
        check_postinstall(res, args, tgz, "tarball 33")

    # start-up telemetry: confirmed by the run; the tool's collector is in the code only
    proc, r = audit(args, [os.path.join(samples, "06-startup-telemetry-js")], *QUIET, "--root", samples)
    res.check(proc.returncode == 1 and r and r["verdict"]["result"] == "fail", "06: verdict fail, exit 1")
    if r:
        eps = endpoints(r, "t.metrics.example.net")
        res.check(eps and all(e.get("observed") == "confirmed" for e in eps) and "startup" in phases(eps),
                  "06: t.metrics.example.net confirmed, at start-up")
        eps = endpoints(r, "collect.example.org")
        res.check(eps and all(e.get("observed") in ("confirmed", "not-exercised") for e in eps),
                  "06: collect.example.org in the code (confirmed or not exercised)")
        res.check(any(e.get("documented") for e in endpoints(r, "api.rates.example.com")),
                  "06: the documented rates API is documented")

    # a clean server passes
    proc, r = audit(args, [os.path.join(samples, "01-clean-calculator")], *QUIET, "--root", samples)
    res.check(proc.returncode == 0 and r and r["verdict"]["result"] == "pass",
              f"01: verdict pass, exit 0 (got {proc.returncode}, {r and r.get('verdict')})")

    # hidden: contacted at run time, nowhere in the code
    root, host = write_hidden_package(args)
    proc, r = audit(args, [root], *QUIET)
    if r:
        eps = endpoints(r, host)
        res.check(eps and all(e.get("observed") == "hidden" for e in eps), f"hidden: {host} observed hidden")
        hidden = findings(r, "hidden-egress", host)
        res.check(len(hidden) == 1 and hidden[0]["severity"] == "high", "hidden: hidden-egress at high")
        res.check(r["verdict"]["result"] == "fail", "hidden: verdict fail")
    else:
        res.check(False, f"hidden: a report ({proc.stderr[-300:]})")

    check_wheel(res, args)
    check_python_module(res, args)
    check_hostile_archive(res, args)
    check_npmrc(res, args)
    check_configs(res, args)
    check_config_secret(res, args)

    # static only: nothing runs, the endpoints say so
    proc, r = audit(args, [os.path.join(samples, "33-postinstall-beacon-js")], "--static-only")
    res.check(r and r.get("stages") == {"static": True, "dynamic": False}, "--static-only: only the static stage ran")
    res.check(r and all(e.get("observed") == "static-only-run" for e in r["endpoints"]),
              "--static-only: endpoints are static-only-run")

    # --output-dir writes every format
    out = os.path.join(args.work, "outdir")
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([args.mcpaudit, "audit", "--static-only", "--output-dir", out,
                           os.path.join(samples, "33-postinstall-beacon-js")], capture_output=True, text=True,
                          timeout=120)
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    res.check(names == ["report.html", "report.json", "report.md", "report.sarif", "report.txt"],
              f"--output-dir writes five reports ({names})")
    if "report.json" in names:
        r = json.load(open(os.path.join(out, "report.json")))
        res.check(r["verdict"]["result"] == "fail", "--output-dir: the JSON report has the verdict")
        md = open(os.path.join(out, "report.md")).read()
        res.check("fail" in md.lower()[:400], "--output-dir: the Markdown report starts with the verdict")
        html = open(os.path.join(out, "report.html")).read()
        res.check("install.metrics.example.net" in html and "<script" not in html.lower(),
                  "--output-dir: the HTML report names the endpoint and has no script")
        sarif = json.load(open(os.path.join(out, "report.sarif")))
        res.check(sarif.get("version") == "2.1.0", "--output-dir: SARIF 2.1.0")

    # errors a user meets: exit 2 with a message that says what to do
    proc, r = audit(args, ["npm:@mcpaudit-test-nonexistent/no-such-server-zz9"], timeout=180)
    res.check(proc.returncode == 2 and "npm:@mcpaudit-test-nonexistent/no-such-server-zz9" in proc.stderr and
              ("404" in proc.stderr or "not found" in proc.stderr.lower()),
              f"an unknown npm package: exit 2, named, 404 ({proc.stderr.strip()[-200:]})")
    proc, r = audit(args, ["npm:--registry=http://198.51.100.1/"])
    res.check(proc.returncode == 2 and "not an npm package name" in proc.stderr,
              "an npm spec that is an option is refused before npm sees it")
    proc, r = audit(args, ["pypi:mcpaudit-test-nonexistent-zz9==1.0"], timeout=180)
    res.check(proc.returncode == 2 and "pypi:mcpaudit-test-nonexistent-zz9" in proc.stderr and
              "audit the file" in proc.stderr, f"pypi without an index: exit 2 and what to do instead "
              f"({proc.stderr.strip()[-200:]})")
    proc, r = audit(args, [os.path.join(args.work, "no-such-folder")])
    res.check(proc.returncode == 2 and "no-such-folder" in proc.stderr, "a missing folder: exit 2, named")

    # a damaged archive: named, exit 2, nothing left behind in the temporary folder
    bad = os.path.join(args.work, "truncated.tgz")
    if tgz:
        data = open(tgz, "rb").read()
        open(bad, "wb").write(data[: len(data) // 2])
        tmp = os.path.join(args.work, "tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        proc = subprocess.run([args.mcpaudit, "audit", "--static-only", bad], capture_output=True, text=True,
                              timeout=60, env=dict(os.environ, TMPDIR=tmp))
        res.check(proc.returncode == 2 and "truncated.tgz" in proc.stderr, f"a truncated archive: exit 2, named "
                  f"({proc.stderr.strip()[-200:]})")
        res.check(os.listdir(tmp) == [], "a truncated archive: the private folder is removed")

    check_rootless(res, args)
    return res.finish()


def check_rootless(res, args):
    """As root, the same audit as an ordinary user (nobody): the rootless sandbox."""
    if os.geteuid() != 0:
        print("# not root: the audits above already ran rootless")
        return
    why = testkit.sandbox_problem(rootless=True)
    if why:
        res.skip("rootless audit (as nobody)", why)
        return
    samples = os.path.join(args.source, "samples")
    rl = os.path.join(args.work, "rootless")
    shutil.rmtree(rl, ignore_errors=True)
    shutil.copytree(os.path.join(samples, "33-postinstall-beacon-js"), rl)
    for d, _, files in os.walk(args.work):
        os.chmod(d, 0o777)
    proc = subprocess.run(testkit.nobody_prefix() + [args.mcpaudit, "audit", "--format", "json", *QUIET, rl],
                          capture_output=True, text=True, timeout=300, env=dict(os.environ, HOME="/tmp", TMPDIR="/tmp"))
    try:
        r = json.loads(proc.stdout)
    except json.JSONDecodeError:
        r = None
    res.check(r is not None and r["verdict"]["result"] == "fail" and
              "install" in phases(endpoints(r, "install.metrics.example.net")),
              f"rootless: the install script's egress is caught ({proc.stderr.strip()[-200:]})")


if __name__ == "__main__":
    sys.exit(main())
