#!/usr/bin/env python3
"""Every row of the client-library catalog fires (analyzer/data/catalog_{npm,pypi}.tsv).

For each row the test writes tiny source files that import the row's module and construct
or call its callee, in two import styles per language (JavaScript: `import * as` and
`require`; Python: `import a.b` with the dotted path and `from a.b import C`):
  - with no option: the row's default host is an endpoint of kind sdk-default whose evidence
    is that file, names the callee and says "PACKAGE VERSION default" (a `*` in the default
    host: the endpoint is known by the suffix after it); a loopback default (a local
    database) yields nothing;
  - with the row's first option set to a host of our own (cfgN.example.net): that host is
    the endpoint, and the default is not reported for that file.
A row that has neither a default nor an option can never yield anything: it fails here.
Then a few rows are checked by hand-written code the way servers write it (a configured
host from a constant, an environment variable with a default, a DSN).

So the catalog cannot rot silently: a row whose callee the resolver no longer reaches, an
option path that no longer evaluates, a default URL that does not parse, each fails one
named check.

How it was checked to fail: on the catalog it was written for, run against the parent
commit's build, only the Python `algoliasearch.search_client.SearchClient.create` row failed
(it had neither a default nor an option); with this commit's catalog against that build,
548 checks of 204 rows fail (the new rows, which that binary does not embed); with
array_alternatives() disabled in analyzer/catalog.c the list options (kafkajs brokers,
nats servers, cassandra contact points, kafka-python bootstrap_servers) fail; a copy of the
catalog with a wrong default host, a wrong option path and an unknown library fails on
exactly those rows.

Usage: test_catalog.py --mcpaudit BIN --source SRCDIR --work DIR
"""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

CATALOGS = [("npm", "analyzer/data/catalog_npm.tsv", "js"), ("pypi", "analyzer/data/catalog_pypi.tsv", "py")]
LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")


class Row:
    def __init__(self, ecosystem, file, lineno, cols):
        self.ecosystem, self.file, self.lineno = ecosystem, file, lineno
        self.package, self.callee, self.category, self.default_url, opts, self.env, self.version = cols[:7]
        self.options = [] if opts == "-" else opts.split(",")
        self.provenance = cols[7] if len(cols) > 7 else ""

    def where(self):
        return f"{os.path.basename(self.file)}:{self.lineno} {self.callee}"


def read_rows(source):
    rows = []
    for eco, rel, _ in CATALOGS:
        path = os.path.join(source, rel)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                rows.append(Row(eco, path, n, line.split("\t")))
    return rows


def js_module_and_members(row):
    """('algoliasearch/lite', ['liteClient']) for callee algoliasearch/lite.liteClient: the
    module is the package plus any /subpath (whose '.js' suffix belongs to it)."""
    rest = row.callee[len(row.package):]
    module = row.package
    if rest.startswith("/"):
        m = re.match(r"((?:/[^/.]+)+(?:\.js)?)(.*)", rest)
        module += m.group(1)
        rest = m.group(2)
    members = [x for x in rest.split(".") if x]
    return module, members


def py_path(row):
    return row.callee.split(".")


def host_of(url):
    m = re.match(r"^[a-z0-9+.-]+://(?:[^@/]*@)?(\[[^\]]*\]|[^/:?#]*)", url)
    return m.group(1) if m else None


def invocation(members, args, lang):
    """The expression calling members with args: a `.*` row calls a method of the instance (one that has no row of its own);
    a capitalised last name is a class (new in JavaScript)."""
    members = list(members)
    if members and members[-1] == "*":
        members[-1] = "languageModel"  # a method no row names itself (googleapis has `chat`)
    last = members[-1] if members else ""
    call = ".".join(members) + f"({args})"
    if lang == "js" and last[:1].isupper():
        return "new " + call
    return call


def js_value(path_rest, value):
    """{ a: { b: VALUE } } for option path rest ['a', 'b']."""
    out = value
    for key in reversed(path_rest):
        out = f"{{ {key}: {out} }}"
    return out


def configured_host(row, i):
    return f"cfg{i}.example.net"


# Options that take a list of hosts (kafkajs brokers, cassandra contact points): given as
# a one-element list, which the catalog reads as alternatives
LIST_OPTIONS = ("brokers", "nodes", "servers", "contactPoints", "contact_points", "bootstrap_servers")


def option_literal(opt, host):
    key = opt.split(".")[-1].split(":")[-1]
    if key in LIST_OPTIONS:
        return f"['{host}:9092']"
    return f"'{host}'" if key in ("host", "hostname") else f"'https://{host}/x'"


def js_args(opt, host):
    """The argument list that sets option opt (argN[.a.b]) to host, earlier positions filled."""
    if not opt:
        return ""
    m = re.match(r"^arg(\d)(?:\.(.*))?$", opt)
    if not m:
        return None
    n = int(m.group(1))
    rest = m.group(2).split(".") if m.group(2) else []
    fill = ["'k'"] * n
    return ", ".join(fill + [js_value(rest, option_literal(opt, host))])


def py_args(opt, host):
    if not opt:
        return ""
    if opt.startswith("kw:"):
        return f"{opt[3:]}={option_literal(opt, host)}"
    m = re.match(r"^arg(\d)$", opt)
    if not m:
        return None
    return ", ".join(["'k'"] * int(m.group(1)) + [option_literal(opt, host)])


def js_sources(row, args):
    """Two files' text: ES module namespace import, CommonJS require."""
    module, members = js_module_and_members(row)
    if not members:  # the module's default export is the callee
        return [("mjs", f"import lib from '{module}';\nconst x = {invocation(['lib'], args, 'js')};\n"),
                ("js", f"const lib = require('{module}');\nconst x = {invocation(['lib'], args, 'js')};\n")]
    call = invocation(["lib"] + members, args, "js")
    return [("mjs", f"import * as lib from '{module}';\nconst x = {call};\n"),
            ("js", f"const lib = require('{module}');\nconst x = {call};\n")]


def py_sources(row, args):
    """Two files' text: `import a.b` with the full dotted path, `from a.b import C`."""
    path = py_path(row)
    if path[-1] == "*":
        path = path[:-1] + ["chat"]
    parent, last = path[:-1], path[-1]
    dotted = invocation(path, args, "py")
    first = f"import {'.'.join(parent)}\nx = {dotted}\n"
    second = f"from {'.'.join(parent)} import {last}\nx = {invocation([last], args, 'py')}\n"
    return [("py", first), ("py", second)]


def write_cases(folder, rows, configured):
    """Writes one file per row and import style; returns [(row, file, host or None)]."""
    cases = []
    for i, row in enumerate(rows):
        lang = "js" if row.ecosystem == "npm" else "py"
        host = None
        if configured:
            if not row.options:
                continue
            host = configured_host(row, i)
            opt = row.options[0]
            args = js_args(opt, host) if lang == "js" else py_args(opt, host)
            if args is None:
                cases.append((row, None, f"option {opt} has no generated form"))
                continue
        else:
            args = "" if lang == "js" else ""
        sources = js_sources(row, args) if lang == "js" else py_sources(row, args)
        for k, (ext, text) in enumerate(sources):
            name = f"row{i:03d}_{k}.{ext}"
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
            cases.append((row, name, host))
    return cases


def scan(mcpaudit, folder):
    out = subprocess.run([mcpaudit, "scan", "--no-docs", "--format", "json", folder], capture_output=True,
                         text=True, timeout=600)
    if not out.stdout.strip():
        raise RuntimeError(f"scan of {folder} printed no report: {out.stderr[-2000:]}")
    return json.loads(out.stdout)


def evidence_by_file(report):
    """file -> [(endpoint, evidence)]"""
    by = {}
    for e in report["endpoints"]:
        for ev in e["evidence"]:
            by.setdefault(ev["file"], []).append((e, ev))
    return by


def matches_default(row, e):
    host = host_of(row.default_url)
    if "*" in host:
        return e.get("host_suffix") == host[host.index("*") + 1:]
    return e.get("host") == host


def check_default(t, row, name, found):
    host = host_of(row.default_url) if row.default_url != "-" else None
    if host is None:
        return
    if host.strip("[]") in LOOPBACK or host in LOOPBACK:
        t.check(not found, f"{row.where()} [{name}]: loopback default {host} is not reported ({len(found)})")
        return
    ok = [(e, ev) for e, ev in found if matches_default(row, e) and e["kind"] == "sdk-default"]
    named = [ev for e, ev in ok if ev["api"].startswith(row.callee.rstrip("*").rstrip("."))
             and ev["expression"].startswith(f"{row.package} {row.version} default")]
    t.check(bool(named), f"{row.where()} [{name}]: default {host} as sdk-default naming the library "
            f"(got {[(e.get('host') or e.get('host_suffix'), e['kind'], ev['api']) for e, ev in found]})")


def check_configured(t, row, name, host, found):
    hosts = [e.get("host") for e, ev in found]
    t.check(host in hosts, f"{row.where()} [{name}]: {row.options[0]} = {host} is the destination (got {hosts})")
    if row.default_url != "-":
        kinds = [e["kind"] for e, ev in found if e.get("host") != host]
        t.check("sdk-default" not in kinds, f"{row.where()} [{name}]: no default once {row.options[0]} is set")


# Code the way servers write it: (name, file, text, host or suffix, kind, absent host)
HAND_WRITTEN = [
    ("js: option from a module constant", "index.js",
     "const { WebClient } = require('@slack/web-api');\nconst SLACK = 'https://slack-proxy.example.org/api/';\n"
     "const web = new WebClient(process.env.SLACK_TOKEN, { slackApiUrl: SLACK });\n",
     "slack-proxy.example.org", "literal", "slack.com"),
    ("js: option from an environment variable with a default", "index.mjs",
     "import { PostHog } from 'posthog-node';\n"
     "export const ph = new PostHog(process.env.PH_KEY, { host: process.env.PH_HOST ?? 'https://ph.example.com' });\n",
     "ph.example.com", None, None),
    ("py: DSN given positionally", "app.py",
     "import sentry_sdk\nsentry_sdk.init('https://k3y@o9.ingest.example.net/4', traces_sample_rate=1.0)\n",
     "o9.ingest.example.net", "literal", None),
    ("py: keyword option overrides the default", "app.py",
     "from github import Github\ngh = Github(base_url='https://ghe.example.com/api/v3')\n",
     "ghe.example.com", "literal", "api.github.com"),
]


# Dynamic import: failed before import('pkg') was read as the module (checked on the
# parent commit's build: no endpoint at all).
HAND_WRITTEN += [
    # googleapis: each API's factory reaches that API's own host, and a method of the client
    # it made is not a second, partial `*.googleapis.com` destination. Failed before the
    # per-API rows and catalog_find's stop at a call (checked by scanning this case with
    # the build of 358d16d: only {?}.googleapis.com, once per call).
    ("js: googleapis API factory and a method of its client", "sheets.mjs",
     "import { google } from 'googleapis';\n"
     "const sheets = google.sheets({ version: 'v4' });\n"
     "export async function cells(id) {\n"
     "  const r = await sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'A1:B2' });\n"
     "  return r.data.values;\n}\n",
     "sheets.googleapis.com", "sdk-default", ".googleapis.com"),
]
HAND_WRITTEN += [
    ("js: a client from await import('pkg'), destructured", "kv.mjs",
     "export async function secrets() {\n"
     "  const { SecretClient } = await import('@azure/keyvault-secrets');\n"
     "  return new SecretClient('https://kv1.vault.example.net', null);\n}\n",
     "kv1.vault.example.net", "literal", None),
]

# Child processes running a package manager or git (analyzer/data/catalog_commands.tsv):
# (name, file, text, host or None, kind). All failed before the commands catalog (checked
# on the parent commit's build: no endpoint for any of them; git with a literal URL neither,
# git not being a network tool then).
COMMANDS = [
    ("npx to the npm registry", "npx.js", "const cp = require('child_process');\ncp.execSync('npx -y some-tool@latest login');\n",
     "registry.npmjs.org", "sdk-default"),
    ("npm install through spawn's vector", "npm.mjs",
     "import { spawn } from 'child_process';\nspawn('npm', ['install', '--no-save', 'left-pad']);\n",
     "registry.npmjs.org", "sdk-default"),
    ("pip through python -m", "pip.py", "import subprocess\nsubprocess.run(['python3', '-m', 'pip', 'install', 'x'])\n",
     "pypi.org", "sdk-default"),
    ("uvx", "uvx.py", "import subprocess\nsubprocess.run('uvx some-server', shell=True)\n", "pypi.org", "sdk-default"),
    ("docker pull", "docker.js", "require('child_process').exec('docker pull alpine:3');\n",
     "registry-1.docker.io", "sdk-default"),
    ("git clone of a literal URL", "gitlit.js", "require('child_process').execSync('git clone https://git.example.org/r.git');\n",
     "git.example.org", "literal"),
    ("git clone of a tool argument", "gituser.mjs",
     "import { execSync } from 'child_process';\nimport { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"
     "import { z } from 'zod';\nconst server = new McpServer({ name: 'x', version: '1' });\n"
     "server.tool('clone', { repo: z.string() }, async ({ repo }) => {\n"
     "  execSync(`git clone ${repo}`);\n  return { content: [] };\n});\n",
     None, "user-directed"),
]
# curl/wget whose host is the tool caller's part of a shell string: user-directed, and no
# high finding (the caller picks the host). Failed before emit_subprocess read the user's
# part (checked on 57c753c's build: no endpoint, subprocess-egress high).
COMMANDS += [
    ("curl to the host a tool argument names", "curluser.js",
     "const cp = require('child_process');\nconst { Server } = require('@modelcontextprotocol/sdk/server/index.js');\n"
     "const { CallToolRequestSchema } = require('@modelcontextprotocol/sdk/types.js');\n"
     "const s = new Server({ name: 'p', version: '1' }, { capabilities: { tools: {} } });\n"
     "s.setRequestHandler(CallToolRequestSchema, async (req) => {\n"
     "  const where = req.params.arguments.where;\n"
     "  return { content: [{ type: 'text', text: String(cp.execSync('wget -qO- ' + where)) }] };\n});\n",
     None, "user-directed"),
]
# A helper that runs whatever command line its callers pass: each caller's line is a command
# of its own. Failed before emit_call_site read every alternative of a command line (checked
# on 57c753c's build: only the first caller's 'git log -3' was read, nothing reported).
COMMANDS += [
    ("git fetch through a helper with several callers", "githelper.mjs",
     "import { exec } from 'node:child_process';\nimport { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n"
     "import { z } from 'zod';\nfunction git(line, cwd) {\n"
     "  return new Promise((ok) => exec(line, { cwd }, (e, out) => ok(out)));\n}\n"
     "const app = new McpServer({ name: 'vc', version: '1' });\n"
     "app.tool('log', { dir: z.string() }, async ({ dir }) => ({ content: [{ type: 'text', text: await git('git log -3', dir) }] }));\n"
     "app.tool('sync', { remote: z.string(), dir: z.string() }, async ({ remote, dir }) =>\n"
     "  ({ content: [{ type: 'text', text: await git('git fetch ' + remote, dir) }] }));\n",
     None, "user-directed"),
]
NOT_HIGH_COMMANDS = {"curluser.js", "gituser.mjs", "githelper.mjs"}
# Commands that reach no registry: nothing may be reported for them
QUIET_COMMANDS = [
    ("npm run", "run.js", "require('child_process').execSync('npm run build');\n"),
    ("git status", "status.js", "require('child_process').execSync('git status --short');\n"),
]


def check_commands(t, work, mcpaudit):
    folder = os.path.join(work, "commands")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for _, file, text, *_ in COMMANDS + QUIET_COMMANDS:
        with open(os.path.join(folder, file), "w", encoding="utf-8") as f:
            f.write(text)
    report = scan(mcpaudit, folder)
    by = evidence_by_file(report)
    for f in report["findings"]:
        if f["file"] in NOT_HIGH_COMMANDS:
            t.check(f["severity"] not in ("high", "critical"), f"command in {f['file']}: {f['rule_id']} is "
                    f"{f['severity']}, the tool's caller picks the host")
    for name, file, _, host, kind in COMMANDS:
        got = [(e.get("host"), e["kind"]) for e, ev in by.get(file, [])]
        t.check((host, kind) in got, f"command {name}: {host} as {kind} (got {got})")
    for name, file, _ in QUIET_COMMANDS:
        t.check(not by.get(file), f"command {name}: nothing reported ({by.get(file)})")


def check_hand_written(t, work, mcpaudit):
    for name, file, text, host, kind, absent in HAND_WRITTEN:
        folder = os.path.join(work, "hand", re.sub(r"\W+", "-", name))
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        with open(os.path.join(folder, file), "w", encoding="utf-8") as f:
            f.write(text)
        r = scan(mcpaudit, folder)
        eps = {e.get("host"): e["kind"] for e in r["endpoints"]}
        t.check(host in eps and (kind is None or eps[host] == kind), f"{name}: {host} ({eps})")
        if absent and absent.startswith("."):  # a partial host: its known suffix
            suffixes = [e.get("host_suffix") for e in r["endpoints"]]
            t.check(absent not in suffixes, f"{name}: {{?}}{absent} is not reported ({suffixes})")
        elif absent:
            t.check(absent not in eps, f"{name}: {absent} is not reported ({eps})")


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    rows = read_rows(args.source)
    for row in rows:
        t.check(row.default_url != "-" or row.options, f"{row.where()}: has a default host or an option")
        t.check(bool(re.match(r"^\d", row.version)), f"{row.where()}: pins the version read ({row.version})")
        if row.default_url != "-":
            host = host_of(row.default_url)
            t.check(host is not None, f"{row.where()}: default {row.default_url} parses")
            # a star stands for whole labels (region, account): the rest is a known suffix
            t.check(host is None or "*" not in host or re.match(r"^\*\.[^*]+$", host),
                    f"{row.where()}: a * in {host} is a whole leading label")
    for configured in (False, True):
        folder = os.path.join(args.work, "configured" if configured else "defaults")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        cases = write_cases(folder, rows, configured)
        by = evidence_by_file(scan(args.mcpaudit, folder))
        for row, name, host in cases:
            if name is None:
                t.check(False, f"{row.where()}: {host}")
            elif configured:
                check_configured(t, row, name, host, by.get(name, []))
            else:
                check_default(t, row, name, by.get(name, []))
    check_hand_written(t, args.work, args.mcpaudit)
    check_commands(t, args.work, args.mcpaudit)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
