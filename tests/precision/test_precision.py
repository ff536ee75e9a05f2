#!/usr/bin/env python3
"""Precision of the static stage on benign idioms met in published servers: each snippet is
scanned on its own, and what must (and must not) be reported is checked. Each case is one
that gave a false positive on a real package before it was handled (named in the case).

Usage: test_precision.py --mcpaudit BIN --source SRCDIR --work DIR
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

# (name, file, source, rules that must appear, rules that must not[, text no host may contain])
CASES = [
    # server-sequential-thinking dist/version.js: the package's own package.json by a computed path
    ("json-by-path", "version.js",
     "const path = require('path');\nconst pkg = require(path.join(__dirname, '..', 'package.json'));\n"
     "const conf = require(`${__dirname}/conf/${process.env.MODE}.json`);\n", [], ["dynamic-code-execution"]),
    # ... and the same, tried in a for-of loop over candidate paths (server-sequential-thinking's exact shape)
    ("json-in-loop", "version.mjs",
     "import path from 'node:path';\nimport { createRequire } from 'node:module';\n"
     "const require = createRequire(import.meta.url);\nconst dir = path.dirname(import.meta.url);\n"
     "for (const candidate of [path.join(dir, 'package.json'), path.join(dir, '..', 'package.json')]) {\n"
     "  try { const pkg = require(candidate); } catch {}\n}\n", [], ["dynamic-code-execution"]),
    # the same call with a code path stays a finding
    ("plugin-by-name", "plugins.js",
     "const name = process.argv[2];\nconst mod = require('./plugins/' + name);\n", ["dynamic-code-execution"], []),
    # new Function over a literal: the code is in the source
    ("function-literal", "global.js", "const g = new Function('return this')();\n", [], ["dynamic-code-execution"]),
    # loopback is not egress
    ("loopback", "local.js", "fetch('http://localhost:11434/api/tags');\nfetch('http://127.0.0.1:8080/');\n",
     [], ["undocumented-egress", "raw-socket-egress"]),
    # @hubspot/mcp-server dist/utils/client.js: response.headers.get('content-type') is not a call of the
    # client's own get(path), whose argument would become the path ("api.hubspot.comcontent-type")
    ("builtin-receiver", "client.js",
     "export class ApiClient {\n  constructor() { this.base = 'https://api.example.com'; }\n"
     "  async request(path) {\n    const res = await fetch(`${this.base}${path}`);\n"
     "    return res.headers.get('content-type');\n  }\n  async get(path) { return this.request(path); }\n}\n",
     [], [], "content-type"),
    # a bundle with two classes that both have request(): this.request() in one is not a call of the other's
    ("two-classes", "bundle.js",
     "class A { request(path) { return fetch('https://a.example.com' + path); } }\n"
     "class B { request(x) { return x; } go() { return this.request('.other.example.net/z'); } }\n"
     "module.exports = { A, B };\n", [], [], "other.example.net"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcpaudit", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    passed = failed = 0
    for name, fname, text, must, must_not, *bad_host in CASES:
        d = os.path.join(args.work, name)
        os.makedirs(d)
        with open(os.path.join(d, fname), "w") as f:
            f.write(text)
        proc = subprocess.run([args.mcpaudit, "scan", "--format", "json", d], capture_output=True, text=True,
                              timeout=60)
        try:
            report = json.loads(proc.stdout)
            rules = {f["rule_id"] for f in report["findings"]}
            hosts = [e.get("host") or e.get("host_suffix") or "" for e in report["endpoints"]]
        except (json.JSONDecodeError, KeyError):
            rules, hosts = None, None
        for text_ in bad_host:
            ok = hosts is not None and not any(text_ in h for h in hosts)
            passed, failed = passed + ok, failed + (not ok)
            print(("ok" if ok else "not ok") + f" - {name}: no host contains {text_!r} ({hosts})")
        for rule in must:
            ok = rules is not None and rule in rules
            passed, failed = passed + ok, failed + (not ok)
            print(("ok" if ok else "not ok") + f" - {name}: {rule} reported ({rules})")
        for rule in must_not:
            ok = rules is not None and rule not in rules
            passed, failed = passed + ok, failed + (not ok)
            print(("ok" if ok else "not ok") + f" - {name}: no {rule} ({rules})")
    print(f"{passed} passed, {failed} failed, 0 skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
