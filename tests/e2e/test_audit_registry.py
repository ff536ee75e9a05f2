#!/usr/bin/env python3
"""`mcpaudit audit npm:...` against a registry served on this machine's loopback (npm's
real client, talking to a small HTTP server that speaks the registry's protocol), so the
registry's answers can be ones the public registry never gives:

- a package first published three days ago, with one version, whose dependencies imitate
  popular packages: new-package (medium) and typosquat-dependency (high), verdict fail;
- a version whose tarball does not match the integrity its metadata publishes: refused
  with exit 2, nothing audited;
- a package the registry does not have: exit 2 naming it.

Usage: test_audit_registry.py --mcpaudit BIN --source SRCDIR --work DIR
Without npm it fails under CI=true and exits 77 (skipped, saying why) elsewhere. Last line:
`N passed, N failed, N skipped`.
"""

import base64
import datetime
import hashlib
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402


def tarball(name, version, deps, index_js=None):
    """An npm tarball (package/...) for a tiny static-only server (or index_js instead)."""
    files = {
        "package/package.json": json.dumps({"name": name, "version": version, "main": "index.js",
                                            "bin": {name: "index.js"}, "dependencies": deps}),
        "package/README.md": f"# {name}\n\nA server that talks to https://api.example.com only.\n",
        "package/index.js": index_js or "'use strict';\nfetch('https://api.example.com/v1/ping').catch(() => {});\n",
    }
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def sri(data):
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class Registry:
    """Packuments and tarballs by URL path, as registry.npmjs.org serves them."""

    def __init__(self):
        self.routes = {}
        self.corgi = {}  # what an install (the abbreviated packument) gets instead, by path
        self.seen = []   # every path asked for, in order
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def handler(self):
        routes, corgi, seen = self.routes, self.corgi, self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0].replace("%2f", "/").replace("%2F", "/")
                seen.append(path)
                body = routes.get(path)
                if "application/vnd.npm.install-v1+json" in (self.headers.get("accept") or ""):
                    body = corgi.get(path, body)
                if body is None:
                    self.send_response(404)
                    self.send_header("content-type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error":"Not found"}')
                    return
                self.send_response(200)
                self.send_header("content-type", "application/octet-stream" if path.endswith(".tgz")
                                 else "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        return Handler

    def publish_history(self, name, created, count):
        """A package with count versions, the first published on created: an established one."""
        versions = [f"1.0.{i}" for i in range(count)]
        doc = {"_id": name, "name": name, "dist-tags": {"latest": versions[-1]},
               "time": {v: created for v in versions},
               "versions": {v: {"name": name, "version": v, "dist": {"tarball": "x", "integrity": "sha512-x"}}
                            for v in versions}}
        self.routes[f"/{name}"] = json.dumps(doc).encode()

    def publish(self, name, version, deps, created, wrong_integrity=False, two_faced=False):
        """two_faced: the full packument (what `npm view` reads) publishes another integrity
        than the abbreviated one an install reads, so npm downloads the tarball without
        complaint and only mcpaudit's own digest can refuse it."""
        data = tarball(name, version, deps)
        tgz = f"/{name}/-/{name}-{version}.tgz"
        integrity = sri(data if not (wrong_integrity or two_faced) else data + b"tampered")

        def doc(integrity):
            return json.dumps({"_id": name, "name": name, "dist-tags": {"latest": version},
                               "time": {"created": created, "modified": created, version: created},
                               "versions": {version: {"name": name, "version": version, "main": "index.js",
                                                      "dependencies": deps,
                                                      "dist": {"tarball": self.url.rstrip("/") + tgz,
                                                               "integrity": integrity,
                                                               "shasum": hashlib.sha1(data).hexdigest()}}}}).encode()
        self.routes[f"/{name}"] = doc(integrity)
        if two_faced:
            self.corgi[f"/{name}"] = doc(sri(data))
        self.routes[tgz] = data


def npm_shim(args):
    """A folder with an `npm` that logs its verb, then runs the real npm: which npm runs an
    audit made (the real one does the work)."""
    shim = os.path.join(os.path.abspath(args.work), "npm-shim")
    log = os.path.join(shim, "log")
    os.makedirs(shim, exist_ok=True)
    with open(os.path.join(shim, "npm"), "w") as f:
        f.write(f"#!/bin/sh\necho \"$1\" >> {log}\nexec {shutil.which('npm')} \"$@\"\n")
    os.chmod(os.path.join(shim, "npm"), 0o755)
    return shim, log


def npm_verbs(log):
    try:
        with open(log) as f:
            return f.read().split()
    except FileNotFoundError:
        return []

def audit(args, env, target):
    proc = subprocess.run([args.mcpaudit, "audit", "--static-only", "--format", "json", target],
                          capture_output=True, text=True, timeout=180, env=env)
    try:
        return proc, json.loads(proc.stdout)
    except json.JSONDecodeError:
        return proc, None


def check_kept(res, args, env, reg):
    """Issue 10: a tarball checked once is kept by its integrity (the cache's tarballs/), so a
    second audit of the same version runs no `npm pack`; a kept file whose bytes are not the
    registry's integrity (replaced by one with a beacon) is deleted, fetched again with npm
    pack, and its beacon is never read. The 'no npm pack' check failed before the change
    (checked with the build of 57c753c); the tamper checks failed with take_kept's
    verify_integrity call taken out (checked once)."""
    shim, log = npm_shim(args)
    shimmed = dict(env, PATH=shim + os.pathsep + env.get("PATH", ""))
    folder = os.path.join(env["MCPAUDIT_CACHE_DIR"], "tarballs")
    if os.path.exists(log):
        os.unlink(log)
    proc, r = audit(args, shimmed, "npm:fresh-mcp-server@1.0.0")
    # named by the SHA-256 of the integrity string
    name = hashlib.sha256(((r or {}).get("package", {}).get("integrity") or "").encode()).hexdigest() + ".tgz"
    path = os.path.join(folder, name)
    res.check(proc.returncode == 1 and "pack" not in npm_verbs(log) and os.path.exists(path),
              f"kept: a version audited before is not packed again ({npm_verbs(log)}; kept "
              f"{sorted(os.listdir(folder)) if os.path.isdir(folder) else []})")
    if not os.path.exists(path):
        return
    os.chmod(path, 0o644)
    with open(path, "wb") as f:
        f.write(tarball("fresh-mcp-server", "1.0.0", {},
                        index_js="fetch('https://kept-tampered.example.net/').catch(() => {});\n"))
    os.unlink(log)
    proc, r = audit(args, shimmed, "npm:fresh-mcp-server@1.0.0")
    hosts = {e["host"] for e in (r or {}).get("endpoints", [])}
    res.check(proc.returncode == 1 and "kept-tampered.example.net" not in hosts and "api.example.com" in hosts,
              f"kept: a replaced kept tarball is not read ({sorted(hosts)}; {proc.stderr.strip()[-200:]})")
    with open(path, "rb") as f:
        again = sri(f.read())
    res.check("pack" in npm_verbs(log) and r and again == r["package"]["integrity"],
              f"kept: it was packed again and the good tarball kept ({npm_verbs(log)})")


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    why = testkit.missing_tools("npm")
    if why:
        return testkit.cannot_run(why)
    reg = Registry()
    now = datetime.datetime.now(datetime.timezone.utc)
    fresh = (now - datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    reg.publish("fresh-mcp-server", "1.0.0", {"expresss": "^4.0.0", "zod": "^3.0.0"}, fresh)
    # "lodahs" is one letter from lodash, but an established package here (4 years, 12 versions)
    reg.publish_history("lodahs", "2021-01-01T00:00:00.000Z", 12)
    reg.publish("old-neighbour-server", "1.0.0", {"lodahs": "^1.0.0"}, "2021-01-01T00:00:00.000Z")
    reg.publish("alias-neighbour-server", "1.0.0", {"my-lodash": "npm:lodahs@^1.0.0"}, "2021-01-01T00:00:00.000Z")
    reg.publish("tampered-mcp-server", "2.0.0", {}, "2020-01-01T00:00:00.000Z", wrong_integrity=True)
    reg.publish("swapped-mcp-server", "2.0.0", {}, "2020-01-01T00:00:00.000Z", two_faced=True)
    cache = os.path.join(os.path.abspath(args.work), "npm-cache")
    shutil.rmtree(cache, ignore_errors=True)
    kept = os.path.join(os.path.abspath(args.work), "mcpaudit-cache")
    shutil.rmtree(kept, ignore_errors=True)
    env = dict(os.environ, npm_config_registry=reg.url, npm_config_cache=cache, npm_config_audit="false",
               npm_config_fund="false", npm_config_update_notifier="false", MCPAUDIT_CACHE_DIR=kept)
    res = testkit.Tally()

    proc, r = audit(args, env, "npm:fresh-mcp-server@1.0.0")
    res.check(proc.returncode == 1 and r is not None, f"fresh: audited, exit 1 ({proc.stderr.strip()[-200:]})")
    if r:
        pkg = r["package"]
        res.check(pkg["integrity"] and pkg["integrity"].startswith("sha512-") and pkg["versions"] == 1,
                  "fresh: integrity verified, one version")
        res.check(pkg["created"] and pkg["created"].startswith(fresh[:10]), "fresh: the creation date is the registry's")
        new = [f for f in r["findings"] if f["rule_id"] == "new-package"]
        res.check(len(new) == 1 and new[0]["severity"] == "medium" and "3 days" in new[0]["message"],
                  f"fresh: new-package at medium, 3 days old ({[f['message'] for f in new]})")
        typo = [f for f in r["findings"] if f["rule_id"] == "typosquat-dependency"]
        res.check(len(typo) == 1 and typo[0]["severity"] == "high" and "expresss" in typo[0]["message"] and
                  "express" in typo[0]["message"].replace("expresss", ""),
                  "fresh: expresss is a typosquat of express; zod is not flagged")
        res.check(r["verdict"]["result"] == "fail" and any("typosquat" in x for x in r["verdict"]["reasons"]),
                  "fresh: verdict fail, naming the typosquat")
        res.check(typo and any("not on the registry" in c for c in typo[0]["chain"]),
                  "fresh: expresss is not on the registry at all, and the finding says so")
        api = [e for e in r["endpoints"] if e["host"] == "api.example.com"]
        res.check(api and api[0]["documented"] and api[0]["observed"] == "static-only-run",
                  "fresh: the documented API, static-only")

    proc, r = audit(args, env, "npm:old-neighbour-server@1.0.0")
    typo = [f for f in (r or {}).get("findings", []) if f["rule_id"] == "typosquat-dependency"]
    res.check(len(typo) == 1 and typo[0]["severity"] == "low" and "established" in " ".join(typo[0]["chain"]),
              f"established: lodahs resembles lodash but has years and 12 versions: low ({typo})")
    # An alias: the registry is asked about the package installed (lodahs), not the alias's
    # key. Before the fix the name was parsed back out of the finding's message, so npm view
    # was asked about "my-lodash" (404: "not on the registry at all") and the finding stayed
    # high (checked with the build from b7a3d2a).
    proc, r = audit(args, env, "npm:alias-neighbour-server@1.0.0")
    typo = [f for f in (r or {}).get("findings", []) if f["rule_id"] == "typosquat-dependency"]
    res.check(len(typo) == 1 and typo[0]["severity"] == "low" and "lodahs is established" in " ".join(typo[0]["chain"]),
              f"alias: the registry is asked about lodahs, the package the alias installs ({typo})")

    proc, r = audit(args, env, "npm:tampered-mcp-server@2.0.0")
    res.check(proc.returncode == 2 and "tampered-mcp-server" in proc.stderr and
              ("integrity" in proc.stderr.lower() or "EINTEGRITY" in proc.stderr),
              f"tampered: refused, exit 2, integrity named ({proc.stderr.strip()[-250:]})")
    res.check(r is None or r.get("execution_successful") is False, "tampered: no verdict")

    # The digest is computed in-process (nettle), not by a sha512sum found on PATH: with one
    # that always fails first on PATH, a good package is still verified and a tampered one
    # still refused. Before the change the good package was refused ("sha512sum ... failed",
    # exit 2): checked with the build before this commit.
    shadow = os.path.join(os.path.abspath(args.work), "shadow-bin")
    os.makedirs(shadow, exist_ok=True)
    marker = os.path.join(os.path.abspath(args.work), "sha512sum-ran")
    if os.path.exists(marker):
        os.unlink(marker)
    with open(os.path.join(shadow, "sha512sum"), "w") as f:
        f.write(f"#!/bin/sh\necho \"$@\" > {marker}\necho 'sha512sum must not be run' >&2\nexit 1\n")
    os.chmod(os.path.join(shadow, "sha512sum"), 0o755)
    shadowed = dict(env, PATH=shadow + os.pathsep + env.get("PATH", ""))
    proc, r = audit(args, shadowed, "npm:fresh-mcp-server@1.0.0")
    res.check(proc.returncode == 1 and r is not None and (r["package"]["integrity"] or "").startswith("sha512-"),
              f"no sha512sum: the tarball is verified in-process ({proc.stderr.strip()[-200:]})")
    for target in ("tampered-mcp-server", "swapped-mcp-server"):
        proc, r = audit(args, shadowed, f"npm:{target}@2.0.0")
        res.check(proc.returncode == 2 and target in proc.stderr and "sha512sum" not in proc.stderr and
                  "integrity" in proc.stderr.lower(),
                  f"no sha512sum: {target}'s tarball is still refused ({proc.stderr.strip()[-200:]})")
    res.check(not os.path.exists(marker), "no sha512sum: the one first on PATH was never run (no marker file)")
    # npm itself accepts the swapped tarball: the refusal is mcpaudit's own digest
    proc, r = audit(args, env, "npm:swapped-mcp-server@2.0.0")
    res.check(proc.returncode == 2 and "is not the registry's integrity" in proc.stderr,
              f"swapped: mcpaudit's own digest refuses it ({proc.stderr.strip()[-200:]})")

    check_kept(res, args, env, reg)

    proc, r = audit(args, env, "npm:no-such-mcp-server@1.0.0")
    res.check(proc.returncode == 2 and "no-such-mcp-server" in proc.stderr and "404" in proc.stderr,
              f"missing: exit 2, named, 404 ({proc.stderr.strip()[-200:]})")
    reg.server.shutdown()
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
