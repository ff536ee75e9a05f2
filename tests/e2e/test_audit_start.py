#!/usr/bin/env python3
"""End to end: `mcpaudit audit` starts a server the way its README says, and reaches one that
speaks HTTP instead of stdio; `mcpaudit audit --discover` finds the client configurations of a
(fake) home folder and audits their servers.

- README start: a package whose server answers MCP on stdio only when given --stdio and
  refuses to start unless WIDGET_MODE=strict, as the README's example configuration (and,
  in a second package, its `claude mcp add ... -- npx -y PKG --stdio` line) shows. The
  README's API key must reach the server as a canary of its shape, never as written.
- HTTP: a server that prints its URL and listens on a port (and one that says nothing and
  only listens) is driven over streamable HTTP; the report says so and why.
- Legacy SSE: a server built on the real MCP SDK's SSEServerTransport (pinned, installed from
  the npm registry with --ignore-scripts outside the sandbox) that prints its /sse URL is
  driven over the legacy HTTP+SSE transport after its POST is refused; the report says so.

Each check failed before its change (see the commit that added it). Runs as root and, as
root, once more as nobody (the rootless sandbox), like test_audit.py.

Usage: test_audit_start.py --mcpaudit BIN --source SRCDIR --work DIR
"""

import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

QUIET = ["--quiet-period", "1"]
README_KEY = "wk-your-key-here-0123456789"  # the README's placeholder: never sent as is

# A stdio MCP server in plain node: one tool that reports on the key it was given by
# calling the widget API with it (plain HTTP, so the canary is seen on the wire).
MCP_CORE = r"""
'use strict';
const http = require('http');
function answer(m) {
  if (m.method === 'initialize')
    return {protocolVersion: '2025-06-18', capabilities: {tools: {}}, serverInfo: {name: 'widget', version: '1.0.0'}};
  if (m.method === 'tools/list')
    return {tools: [{name: 'widget_status', description: 'status', inputSchema: {type: 'object', properties: {}}}]};
  if (m.method === 'tools/call') {
    http.get('http://api.widget.example.com/v1/status?key=' + encodeURIComponent(process.env.WIDGET_API_KEY || ''),
             (res) => res.resume()).on('error', () => {});
    return {content: [{type: 'text', text: 'ok'}]};
  }
  if (m.method === 'ping') return {};
  return null;
}
"""

STDIO_LOOP = r"""
function stdio() {
  const readline = require('readline');
  readline.createInterface({input: process.stdin}).on('line', (line) => {
    let m; try { m = JSON.parse(line); } catch (e) { return; }
    if (m.id === undefined) return;
    const result = answer(m);
    process.stdout.write(JSON.stringify(result === null
      ? {jsonrpc: '2.0', id: m.id, error: {code: -32601, message: 'no such method'}}
      : {jsonrpc: '2.0', id: m.id, result}) + '\n');
  });
}
"""

# Streamable HTTP (JSON answers) at /mcp; port and announcement chosen by the caller.
HTTP_LOOP = r"""
function serve(port, announce) {
  http.createServer((req, res) => {
    if (req.method !== 'POST' || !req.url.startsWith('/mcp')) { res.writeHead(404); res.end(); return; }
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      let m; try { m = JSON.parse(body); } catch (e) { res.writeHead(400); res.end(); return; }
      if (m.id === undefined) { res.writeHead(202); res.end(); return; }
      const result = answer(m);
      res.writeHead(200, {'Content-Type': 'application/json', 'Mcp-Session-Id': 'widget-session-1'});
      res.end(JSON.stringify(result === null
        ? {jsonrpc: '2.0', id: m.id, error: {code: -32601, message: 'no such method'}}
        : {jsonrpc: '2.0', id: m.id, result}));
    });
  }).listen(port, '127.0.0.1', () => {
    if (announce) console.log('Widget MCP server listening on http://localhost:' + port + '/mcp');
  });
}
"""


def write_package(root, name, server_js, readme):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "package.json"), "w") as f:
        json.dump({"name": name, "version": "1.0.0", "bin": {name: "server.js"}}, f)
    with open(os.path.join(root, "server.js"), "w") as f:
        f.write("#!/usr/bin/env node\n" + server_js)
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write(readme)
    return root


def stdio_flag_server():
    """Speaks MCP on stdio only with --stdio; otherwise says it wants --stdio and idles."""
    return MCP_CORE + STDIO_LOOP + r"""
if (process.env.WIDGET_MODE !== 'strict') {
  console.error('WIDGET_MODE must be strict');
  process.exit(1);
}
if (process.argv.includes('--stdio')) stdio();
else { console.error('widget: HTTP transport is the default; use --stdio for stdio'); setInterval(() => {}, 1000); }
"""


CONFIG_README = """# widget-mcp

A server for the widget API.

## Use with Claude Desktop

Add this to `claude_desktop_config.json`:

```json
{
  "mcpServers": {
    "other": {
      "command": "npx",
      "args": ["-y", "some-other-server", "--unrelated"]
    },
    "widget": {
      "command": "npx",
      "args": ["-y", "widget-mcp", "--stdio"],
      "env": {
        "WIDGET_API_KEY": "%s",
        "WIDGET_MODE": "strict"
      }
    }
  }
}
```
""" % README_KEY

CLAUDE_README = """# widget-cli-mcp

Install it in Claude Code:

```bash
npx -y some-other-server --wrong
claude mcp add widget -e WIDGET_API_KEY=%s -e WIDGET_MODE=strict -- npx -y widget-cli-mcp --stdio
```
""" % README_KEY


def audit(args, target, *opts, prefix=(), env=None):
    cmd = list(prefix) + [args.mcpaudit, "audit", "--format", "json", *QUIET, *opts, target]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    try:
        return proc, json.loads(proc.stdout)
    except json.JSONDecodeError:
        return proc, None


def exfiltrated(r, host):
    return [f for f in r.get("findings", []) if f["rule_id"] == "credential-exfiltration" and f.get("host") == host]


def check_readme_start(res, args, label, root, want_from, prefix=(), env=None):
    proc, r = audit(args, root, prefix=prefix, env=env)
    if not r:
        res.check(False, f"{label}: a JSON report ({proc.stderr.strip()[-300:]})")
        return
    pkg = r.get("package") or {}
    started = pkg.get("started") or {}
    res.check(r.get("stages", {}).get("dynamic") is True,
              f"{label}: the server was driven ({[i.get('reason') for i in r.get('incomplete', [])][:3]})")
    res.check("--stdio" in pkg.get("command", []), f"{label}: started with --stdio ({pkg.get('command')})")
    res.check(started.get("from") == want_from, f"{label}: started.from is {want_from} ({started.get('from')})")
    res.check("README" in (started.get("why") or ""), f"{label}: started.why names the README ({started.get('why')})")
    res.check(started.get("transport") == "stdio", f"{label}: over stdio ({started.get('transport')})")
    res.check(bool(exfiltrated(r, "api.widget.example.com")),
              f"{label}: the README's API key reached the server as a canary, caught on its way out")
    res.check(README_KEY not in proc.stdout and README_KEY not in proc.stderr,
              f"{label}: the README's value itself is never used or shown")
    for fmt, word in (("text", "README.md:"), ("markdown", "README.md:")):
        p = subprocess.run(list(prefix) + [args.mcpaudit, "audit", "--format", fmt, *QUIET, root],
                           capture_output=True, text=True, timeout=300, env=env)
        res.check(word in p.stdout, f"{label}: the {fmt} report says where the command came from")


def http_server(port, announce):
    """Never answers on stdio: serves streamable HTTP on 127.0.0.1:port."""
    return MCP_CORE + HTTP_LOOP + f"\nserve({port}, {'true' if announce else 'false'});\n"


def check_http(res, args, label, root, port, why_word, prefix=(), env=None):
    proc, r = audit(args, root, prefix=prefix, env=env)
    if not r:
        res.check(False, f"{label}: a JSON report ({proc.stderr.strip()[-300:]})")
        return
    started = (r.get("package") or {}).get("started") or {}
    res.check(r.get("stages", {}).get("dynamic") is True,
              f"{label}: the server was driven ({[i.get('reason') for i in r.get('incomplete', [])][:3]})")
    res.check(started.get("transport") == "streamable-http", f"{label}: over streamable HTTP ({started})")
    res.check(started.get("url") == f"http://127.0.0.1:{port}/mcp", f"{label}: at its port ({started.get('url')})")
    res.check(why_word in (started.get("transport_why") or ""),
              f"{label}: says why ({started.get('transport_why')})")
    dyn = [e for e in r.get("endpoints", []) if e.get("host") == "api.widget.example.com" and
           any(ev.get("stage") == "dynamic" for ev in e["evidence"])]
    res.check(bool(dyn), f"{label}: its tool was called over HTTP (the widget API contacted)")
    res.check(not [e for e in r.get("endpoints", []) if e.get("host") in ("127.0.0.1", "localhost")],
              f"{label}: the driver's own connections are not egress")
    p = subprocess.run(list(prefix) + [args.mcpaudit, "audit", "--format", "text", *QUIET, root],
                       capture_output=True, text=True, timeout=300, env=env)
    res.check(f"http://127.0.0.1:{port}/mcp" in p.stdout, f"{label}: the text report names the endpoint")


SDK = "@modelcontextprotocol/sdk@1.32.2"
SSE_PORT = 3720

# The MCP SDK's own legacy transport, wired as its documentation shows (GET /sse opens the
# stream, POST /messages?sessionId= carries the client's messages), on plain node http.
SSE_SERVER = r"""
'use strict';
const http = require('http');
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { SSEServerTransport } = require('@modelcontextprotocol/sdk/server/sse.js');
const transports = {};
function mcp() {
  const server = new McpServer({ name: 'widget-sse', version: '1.0.0' });
  server.registerTool('widget_status', { description: 'status of the widget API' }, async () => {
    http.get('http://api.widget.example.com/v1/status?key=' + encodeURIComponent(process.env.WIDGET_API_KEY || ''),
             (res) => res.resume()).on('error', () => {});
    return { content: [{ type: 'text', text: 'ok' }] };
  });
  return server;
}
http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/sse') {
    const t = new SSEServerTransport('/messages', res);
    transports[t.sessionId] = t;
    res.on('close', () => { delete transports[t.sessionId]; });
    await mcp().connect(t);
    return;
  }
  if (req.method === 'POST' && url.pathname === '/messages') {
    const t = transports[url.searchParams.get('sessionId')];
    if (!t) { res.writeHead(404).end('unknown session'); return; }
    await t.handlePostMessage(req, res);
    return;
  }
  res.writeHead(404).end('Not Found');
}).listen(PORT, '127.0.0.1', () => console.log('Widget MCP server (SSE) listening on http://localhost:PORT/sse'));
"""


def check_legacy_sse(res, args):
    """Failed before the driver's fallback (the hint drove /mcp over streamable HTTP only:
    initialize got HTTP 404 and nothing was exercised); checked by disabling fall_back()."""
    root = write_package(os.path.join(args.work, "widget-sse"), "widget-sse",
                         SSE_SERVER.replace("PORT", str(SSE_PORT)), "# widget-sse\n\nServes MCP over SSE.\n")
    proc = subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--no-save",
                           "--prefix", root, SDK], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        res.skip("legacy SSE server on the real SDK", f"npm install {SDK} failed (no registry?): "
                 f"{proc.stderr.strip()[:300]}")
        return
    proc, r = audit(args, root)
    if not r:
        res.check(False, f"legacy SSE: a JSON report ({proc.stderr.strip()[-300:]})")
        return
    started = (r.get("package") or {}).get("started") or {}
    cov = r.get("coverage") or {}
    res.check(r.get("stages", {}).get("dynamic") is True,
              f"legacy SSE: the server was driven ({[i.get('reason') for i in r.get('incomplete', [])][:3]})")
    res.check(started.get("transport") == "sse" and started.get("url") == f"http://127.0.0.1:{SSE_PORT}/sse",
              f"legacy SSE: over the legacy transport at its URL ({started})")
    res.check("refused streamable HTTP" in (started.get("transport_why") or ""),
              f"legacy SSE: says why ({started.get('transport_why')})")
    res.check(cov.get("transport") == "sse" and cov.get("tools") == ["widget_status"] and
              any(c["method"] == "tools/call" and c["outcome"] == "ok" for c in cov.get("calls", [])),
              f"legacy SSE: its tool listed and called ({cov.get('transport')}, {cov.get('calls')})")
    dyn = [e for e in r.get("endpoints", []) if e.get("host") == "api.widget.example.com" and
           any(ev.get("stage") == "dynamic" for ev in e["evidence"])]
    res.check(bool(dyn), "legacy SSE: its tool reached the widget API inside the sandbox")


def slow_stdio_with_port():
    """A stdio server that also listens on a port (a callback page) and is slow to start:
    once the HTTP retry fails it must still be driven on stdio, given the whole wait."""
    return MCP_CORE + STDIO_LOOP + r"""
http.createServer((req, res) => { res.writeHead(404); res.end(); }).listen(3719, '127.0.0.1');
setTimeout(stdio, 6000);
"""


def check_slow_stdio(res, args, root):
    proc, r = audit(args, root)
    started = ((r or {}).get("package") or {}).get("started") or {}
    res.check(r is not None and r.get("stages", {}).get("dynamic") is True,
              f"slow stdio server with a port: driven ({proc.stderr.strip()[-300:]})")
    res.check(started.get("transport") == "stdio" and "stdio" in (started.get("transport_why") or ""),
              f"slow stdio server with a port: over stdio in the end, and why ({started})")


HTTP_CASES = [
    # (label, port, announce, the word of the reason)
    ("HTTP announced", 3717, True, "printed http://localhost:3717/mcp"),
    ("HTTP silent", 3718, False, "listened on TCP port 3718"),
    ("HTTP on a port the fake network holds", 3000, True, "tried to listen on port 3000"),
]


def write_json(path, doc, text=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text if text is not None else json.dumps(doc, indent=2))


def fake_home(args):
    """A home folder and a workspace holding every client's configuration, each naming the
    same small local server (so the audits stay static and quick)."""
    base = os.path.join(args.work, "discover")
    shutil.rmtree(base, ignore_errors=True)
    home, ws = os.path.join(base, "home"), os.path.join(base, "workspace")
    pkg = write_package(os.path.join(base, "pkg"), "disc-server", MCP_CORE + STDIO_LOOP + "stdio();\n", "# disc\n")
    os.makedirs(ws)
    server = {"command": "node", "args": [os.path.join(pkg, "server.js")]}
    write_json(os.path.join(home, ".claude.json"), {
        "numStartups": 3,
        "mcpServers": {"claude-user": server},
        # a project's servers run in its folder: the relative path is the project's
        "projects": {pkg: {"mcpServers": {"claude-project": {"command": "node", "args": ["server.js"]}}},
                     ws: {"mcpServers": {}}}})
    write_json(os.path.join(ws, ".mcp.json"), {"mcpServers": {"claude-workspace": server}})
    write_json(os.path.join(home, ".config", "Claude", "claude_desktop_config.json"), {"mcpServers": {"desktop": server}})
    write_json(os.path.join(home, ".cursor", "mcp.json"), {"mcpServers": {"cursor-user": server}})
    write_json(os.path.join(ws, ".cursor", "mcp.json"), {"mcpServers": {"cursor-workspace": server}})
    write_json(os.path.join(home, ".config", "Code", "User", "settings.json"), None,
               '{\n  // the editor\'s settings, JSONC as VS Code writes them\n  "editor.fontSize": 13,\n'
               '  "mcp": {"servers": {"vscode-user": %s,},},\n}\n' % json.dumps(server))
    write_json(os.path.join(home, ".config", "Code", "User", "mcp.json"), {"servers": {"vscode-mcp-json": server}})
    write_json(os.path.join(ws, ".vscode", "mcp.json"), {"servers": {"vscode-workspace": server}})
    write_json(os.path.join(home, ".config", "Code", "User", "globalStorage", "saoudrizwan.claude-dev", "settings",
                            "cline_mcp_settings.json"), {"mcpServers": {"cline": dict(server, autoApprove=[])}})
    write_json(os.path.join(home, ".codeium", "windsurf", "mcp_config.json"),
               {"mcpServers": {"windsurf-remote": {"serverUrl": "https://mcp.example.com/mcp"}}})
    write_json(os.path.join(home, ".config", "zed", "settings.json"), {
        "theme": "One Dark",
        "context_servers": {"zed-custom": {"source": "custom", **server},
                            "zed-old": {"command": {"path": "node", "args": server["args"]}},
                            "zed-extension": {"settings": {}}}})
    write_json(os.path.join(home, ".continue", "config.json"), {
        "experimental": {"modelContextProtocolServers": [{"transport": dict(server, type="stdio")}]}})
    write_json(os.path.join(home, ".continue", "config.yaml"), None,
               "mcpServers:\n  - name: continue-yaml\n    command: npx\n    args: [-y, some-server]\n")
    # settings without servers: found, listed, nothing to audit
    write_json(os.path.join(home, ".config", "Code - Insiders", "User", "settings.json"), {"editor.fontSize": 12})
    return home, ws


DISCOVERED = {
    # label suffix -> the client named in the listing
    "claude-user": "Claude Code", "claude-project": "Claude Code", "claude-workspace": "Claude Code",
    "desktop": "Claude Desktop", "cursor-user": "Cursor", "cursor-workspace": "Cursor",
    "vscode-user": "VS Code", "vscode-mcp-json": "VS Code", "vscode-workspace": "VS Code", "cline": "Cline",
    "windsurf-remote": "Windsurf", "zed-custom": "Zed", "zed-old": "Zed", "zed-extension": "Zed",
    "[0]": "Continue", "config.yaml (Continue)": "Continue",
}


def check_discover(res, args):
    home, ws = fake_home(args)
    env = {k: v for k, v in os.environ.items() if k != "XDG_CONFIG_HOME"}
    env["HOME"] = home
    proc = subprocess.run([args.mcpaudit, "audit", "--discover", "--static-only", "--format", "json"],
                          capture_output=True, text=True, timeout=600, cwd=ws, env=env)
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        doc = {}
    # several targets: the envelope {schema_version, tool, command, reports, summary}
    reports = doc.get("reports", [doc]) if isinstance(doc, dict) else []
    labels = [r["target"]["paths"][0] for r in reports if r.get("target")]
    for suffix, client in DISCOVERED.items():
        got = [lb for lb in labels if lb.endswith(suffix)]
        res.check(len(got) == 1, f"discover: {client}'s {suffix} audited once ({got or labels})")
    res.check(len(labels) == len(DISCOVERED), f"discover: {len(DISCOVERED)} reports ({len(labels)})")
    listed = [ln for ln in proc.stderr.splitlines() if ln.startswith("mcpaudit: found ")]
    res.check(len(listed) == 14, f"discover: every configuration listed on stderr ({len(listed)}: {listed})")
    res.check(any("Code - Insiders" in ln and "no MCP servers" in ln for ln in listed),
              "discover: a settings file without servers is listed as such")
    by_label = {r["target"]["paths"][0]: r for r in reports if r.get("target")}
    project = [r for lb, r in by_label.items() if lb.endswith("claude-project")]
    res.check(project and (project[0].get("package") or {}).get("source", "").endswith("/pkg"),
              f"discover: a Claude Code project's server is resolved in its project folder "
              f"({project and project[0].get('package', {}).get('source')})")
    yaml = [r for lb, r in by_label.items() if lb.endswith("(Continue)")]
    res.check(yaml and any("YAML" in i["reason"] for i in yaml[0].get("incomplete", [])),
              "discover: Continue's YAML is listed as not audited, with the reason")
    ext = [r for lb, r in by_label.items() if lb.endswith("zed-extension")]
    res.check(ext and any("extension" in i["reason"] for i in ext[0].get("incomplete", [])),
              "discover: a Zed extension's server is listed as not audited")
    res.check(proc.returncode in (0, 1), f"discover: audited, exit {proc.returncode}: {proc.stderr[-300:]}")

    # nothing found: exit 2, saying where it looked
    empty = os.path.join(args.work, "discover", "empty-home")
    os.makedirs(empty, exist_ok=True)
    proc = subprocess.run([args.mcpaudit, "audit", "--discover", "--static-only"], capture_output=True, text=True,
                          timeout=60, cwd=empty, env=dict(env, HOME=empty))
    res.check(proc.returncode == 2 and "no MCP client configuration" in proc.stderr,
              f"discover: nothing found is exit 2, said ({proc.returncode}: {proc.stderr.strip()[-200:]})")


def main():
    ap = testkit.arg_parser()
    ap.add_argument("--discover-only", action="store_true", help="only the --discover checks")
    ap.add_argument("--sse-only", action="store_true", help="only the legacy SSE checks")
    args = testkit.parse(ap)
    why = testkit.missing_tools("node") or testkit.sandbox_problem()
    if why:
        return testkit.cannot_run(why)
    res = testkit.Tally()

    if "--sse-only" in sys.argv:
        check_legacy_sse(res, args)
        return res.finish()
    check_discover(res, args)
    if "--discover-only" in sys.argv:
        return res.finish()

    cfg_pkg = write_package(os.path.join(args.work, "widget-mcp"), "widget-mcp", stdio_flag_server(), CONFIG_README)
    # "widget": the 16th line of the README, where the entry that starts this package is
    check_readme_start(res, args, "README configuration", cfg_pkg, "README.md:16")
    cli_pkg = write_package(os.path.join(args.work, "widget-cli-mcp"), "widget-cli-mcp", stdio_flag_server(),
                            CLAUDE_README)
    check_readme_start(res, args, "README claude mcp add", cli_pkg, "README.md:7")

    http_roots = {}
    for label, port, announce, word in HTTP_CASES:
        name = f"widget-http-{port}"
        http_roots[label] = write_package(os.path.join(args.work, name), name, http_server(port, announce),
                                          f"# {name}\n\nServes MCP over HTTP.\n")
        check_http(res, args, label, http_roots[label], port, word)

    if testkit.missing_tools("npm"):
        res.skip("legacy SSE server on the real SDK", testkit.missing_tools("npm"))
    else:
        check_legacy_sse(res, args)

    slow = write_package(os.path.join(args.work, "widget-slow"), "widget-slow", slow_stdio_with_port(), "# slow\n")
    check_slow_stdio(res, args, slow)

    if os.geteuid() == 0:
        why = testkit.sandbox_problem(rootless=True)
        if why:
            res.skip("rootless README start (as nobody)", why)
        else:
            for d, _, _ in os.walk(args.work):
                os.chmod(d, 0o777)
            check_readme_start(res, args, "rootless README configuration", cfg_pkg, "README.md:16",
                               prefix=testkit.nobody_prefix(), env=dict(os.environ, HOME="/tmp", TMPDIR="/tmp"))
            check_http(res, args, "rootless HTTP announced", http_roots["HTTP announced"], 3717,
                       "printed http://localhost:3717/mcp", prefix=testkit.nobody_prefix(),
                       env=dict(os.environ, HOME="/tmp", TMPDIR="/tmp"))
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
