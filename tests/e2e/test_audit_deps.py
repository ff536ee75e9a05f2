#!/usr/bin/env python3
"""The dependency install `mcpaudit audit` runs on the auditing host, outside the sandbox
(issue 8, items 1 and 3): nothing the package names may reach pip or npm as a path, an
option or a place to fetch from, and nothing is built.

Python: a package whose pyproject.toml dependencies are "-e ./dir", "dir" and
"evilsdist.tar.gz", each beside an in-tree PEP 517 backend that writes a marker file when
it is imported. Before the fix `audit` ran `pip install ... -e dir evilsdist.tar.gz` in the
package folder and pip built both: the marker appeared twice (checked with the build from
commit b7a3d2a). Now the marker never appears and each refused requirement is in the
report's incomplete list. A second package installs from a local wheel folder (the user's
pip configuration: PIP_NO_INDEX, PIP_FIND_LINKS), two levels deep with an extra, while the
wheel's own Requires-Dist names an sdist, an archive file and a direct URL on a loopback
server: the server starts with its wheels importable, nothing is built, nothing connects.

npm (item 3): the user's registry runs on 127.0.0.1; on 127.0.0.2 an HTTP server and an
ssh port stand for the places a package names. A package-lock.json resolving a registry
dependency to that server, a peerDependency on the ssh remote, an override to a URL, and
registry dependencies whose own dependencies are a URL or an ssh remote: none of them may
make npm (or git) connect, and each refusal is in the report; the honest dependency still
comes from the registry.

Usage: test_audit_deps.py --mcpaudit BIN --source SRCDIR --work DIR
Exits 77 (skipped) when python3's pip, npm or the sandbox is missing.
"""

import base64
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
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_audit import Results, audit, testkit  # noqa: E402
from test_audit_registry import Registry, npm_shim, npm_verbs, sri, tarball  # noqa: E402

QUIET = ["--quiet-period", "1"]


class Listener:
    """A loopback HTTP server that counts every connection: nothing may reach it."""

    def __init__(self, host="127.0.0.1"):
        self.hits = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def reasons(report):
    return [i["reason"] for i in (report or {}).get("incomplete", [])]


# ---- Python ----

def backend(marker):
    """An in-tree PEP 517 backend: importing it is running the package's build code."""
    return (f"open({marker!r}, 'a').write(__file__ + '\\n')\n"
            "def get_requires_for_build_wheel(config_settings=None): return []\n"
            "def get_requires_for_build_editable(config_settings=None): return []\n"
            "def prepare_metadata_for_build_wheel(d, config_settings=None): raise SystemExit(1)\n"
            "def build_wheel(d, config_settings=None, metadata_directory=None): raise SystemExit(1)\n"
            "def build_editable(d, config_settings=None, metadata_directory=None): raise SystemExit(1)\n")


def build_pyproject(name):
    return (f'[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
            f'[project]\nname = "{name}"\nversion = "1.0"\n')


def write_sdist(path, name, marker):
    with tarfile.open(path, "w:gz") as t:
        for rel, text in ((f"{name}-1.0/pyproject.toml", build_pyproject(name)),
                          (f"{name}-1.0/backend.py", backend(marker)),
                          (f"{name}-1.0/PKG-INFO", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")):
            data = text.encode()
            info = tarfile.TarInfo(rel)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def write_wheel(folder, name, requires, module_text="VALUE = 1\n"):
    """A pure-Python wheel as the wheel spec lays it out (dist-info with METADATA, WHEEL, RECORD)."""
    dist = name.replace("-", "_")
    info = f"{dist}-1.0.dist-info"
    files = {f"{dist}/__init__.py": module_text,
             f"{info}/METADATA": "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n" +
             "".join(f"Requires-Dist: {r}\n" for r in requires),
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = "".join(f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b'=').decode()},"
                     f"{len(t.encode())}\n" for p, t in files.items()) + f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record
    with zipfile.ZipFile(os.path.join(folder, f"{dist}-1.0-py3-none-any.whl"), "w") as z:
        for p, t in files.items():
            z.writestr(p, t)


PY_SERVER = """import json, sys, urllib.request
try:
    import {imports}
    urllib.request.urlopen("https://deps-ok.example.net/", timeout=2)
except ImportError:
    pass
except Exception:
    pass
for line in sys.stdin:
    m = json.loads(line)
    if "id" not in m:
        continue
    res = ({{"protocolVersion": "2025-06-18", "capabilities": {{}}, "serverInfo": {{"name": "d", "version": "1"}}}}
           if m["method"] == "initialize" else {{"tools": []}})
    print(json.dumps({{"jsonrpc": "2.0", "id": m["id"], "result": res}}), flush=True)
"""


def python_package(root, deps, imports="json"):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "deps-probe"\nversion = "0.1.0"\ndependencies = [' +
                ", ".join(json.dumps(d) for d in deps) + "]\n")
    with open(os.path.join(root, "server.py"), "w") as f:
        f.write(PY_SERVER.format(imports=imports))


def check_python_names(res, args):
    """Item 1: names that pip would read as a local sdist to build, or as an option."""
    root = os.path.join(args.work, "py-evil-names")
    marker = os.path.join(args.work, "py-built-MARKER")
    if os.path.exists(marker):
        os.remove(marker)
    python_package(root, ["-e ./dir", "dir", "evilsdist.tar.gz", "--index-url=http://198.51.100.1/simple"])
    os.makedirs(os.path.join(root, "dir"))
    with open(os.path.join(root, "dir", "pyproject.toml"), "w") as f:
        f.write(build_pyproject("dir"))
    with open(os.path.join(root, "dir", "backend.py"), "w") as f:
        f.write(backend(marker))
    write_sdist(os.path.join(root, "evilsdist.tar.gz"), "evilsdist", marker)
    # "dir" itself is a valid name: pip may look for it on the index (unreachable here), and
    # must never take the folder of that name
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS=os.path.join(args.work, "no-such-folder"))
    proc, r = audit(args, [root], *QUIET, env=env)
    res.check(r is not None, f"python names: a report ({proc.stderr[-300:]})")
    res.check(not os.path.exists(marker), "python names: no build code of the package ran on the host "
              f"({open(marker).read() if os.path.exists(marker) else ''})")
    why = reasons(r)
    for name, word in (("-e ./dir", "option"), ("evilsdist.tar.gz", "archive"), ("--index-url=", "option")):
        res.check(any(f'"{name}' in x and word in x and "not passed to pip" in x for x in why),
                  f"python names: {name} refused and listed ({why})")
    res.check(r is not None and r["verdict"]["result"] != "pass", "python names: not a pass with dependencies refused")


def check_python_wheels(res, args):
    """Wheels from the user's own index, two levels and an extra; sdists, archives and URLs
    named by a wheel's metadata are neither fetched nor built."""
    listener = Listener()
    marker = os.path.join(args.work, "py-wheels-MARKER")
    if os.path.exists(marker):
        os.remove(marker)
    index = os.path.join(args.work, "py-index")
    shutil.rmtree(index, ignore_errors=True)
    os.makedirs(index)
    write_wheel(index, "top-dep", ["second-dep>=1.0", "extra-dep; extra == 'fancy'",
                                   "unwanted-extra-dep; extra == 'other'",
                                   "never-dep; python_version < '3'",
                                   "sdist-only-dep",
                                   f"url-dep @ {listener.url}/url-dep-1.0.tar.gz",
                                   "evil2.tar.gz"])
    write_wheel(index, "second-dep", [])
    write_wheel(index, "extra-dep", [])
    write_sdist(os.path.join(index, "sdist-only-dep-1.0.tar.gz"), "sdist-only-dep", marker)
    root = os.path.join(args.work, "py-wheels")
    python_package(root, ["top-dep[fancy]>=1.0"], imports="top_dep, second_dep, extra_dep")
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS=index)
    proc, r = audit(args, [root], *QUIET, env=env)
    res.check(r is not None, f"python wheels: a report ({proc.stderr[-300:]})")
    if not r:
        return
    why = reasons(r)
    res.check(not os.path.exists(marker), "python wheels: the sdist-only dependency was not built")
    res.check(listener.hits == [], f"python wheels: nothing connected to the URL a wheel named ({listener.hits})")
    res.check(any('"url-dep @' in x and "direct reference" in x for x in why),
              f"python wheels: the direct URL reference is refused and listed ({why})")
    res.check(any('"evil2.tar.gz"' in x for x in why), "python wheels: the archive name is refused and listed")
    res.check(any("sdist-only-dep" in x and "pip download failed" in x for x in why),
              "python wheels: the dependency with only an sdist is not installed, and said")
    seen = [e for e in r["endpoints"] if e["host"] == "deps-ok.example.net" and
            any(ev.get("stage") == "dynamic" for ev in e["evidence"])]
    res.check(not seen, "python wheels: a round with a missing wheel installs nothing of that round (fail closed)")
    # the same without the sdist-only dependency: both levels and the extra are installed
    write_wheel(index, "top-dep", ["second-dep>=1.0", "extra-dep; extra == 'fancy'",
                                   "unwanted-extra-dep; extra == 'other'", "never-dep; python_version < '3'"])
    proc, r = audit(args, [root], *QUIET, env=env)
    res.check(r is not None and not any("Python dependenc" in x for x in reasons(r)),
              f"python wheels: installed without complaint ({reasons(r)})")
    seen = [e for e in (r or {}).get("endpoints", []) if e["host"] == "deps-ok.example.net" and
            any(ev.get("stage") == "dynamic" for ev in e["evidence"])]
    res.check(bool(seen), "python wheels: the server imported top_dep, second_dep and extra_dep (two levels, an extra)")


# ---- npm ----

JS_SERVER = """'use strict';
let ok = false;
try { require('ok-dep'); ok = true; } catch (e) {}
if (ok) fetch('https://deps-ok.example.net/').catch(() => {});
const readline = require('readline');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line); if (m.id === undefined) return;
  const result = m.method === 'initialize' ? { protocolVersion: '2025-06-18', capabilities: {},
    serverInfo: { name: 'deps', version: '1' } } : { tools: [] };
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');
});
"""


class TcpListener:
    """A raw TCP port that counts accepted connections (an ssh remote, say)."""

    def __init__(self, host):
        import socket
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()


def publish(reg, name, deps):
    data = tarball(name, "1.0.0", deps, index_js="module.exports = 1;\n")
    tgz = f"/{name}/-/{name}-1.0.0.tgz"
    doc = {"_id": name, "name": name, "dist-tags": {"latest": "1.0.0"},
           "time": {"created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z",
                    "1.0.0": "2020-01-01T00:00:00.000Z"},
           "versions": {"1.0.0": {"name": name, "version": "1.0.0", "main": "index.js", "dependencies": deps,
                                  "dist": {"tarball": reg.url.rstrip("/") + tgz, "integrity": sri(data),
                                           "shasum": hashlib.sha1(data).hexdigest()}}}}
    reg.routes[f"/{name}"] = json.dumps(doc).encode()
    reg.routes[tgz] = data
    return sri(data)


class NpmWorld:
    """The user's registry on 127.0.0.1, and on 127.0.0.2 the places a package may name:
    an HTTP server and an ssh port, both of which must never see a connection."""

    def __init__(self, args):
        self.reg = Registry()
        self.integrity = publish(self.reg, "ok-dep", {})
        self.http = Listener("127.0.0.2")
        self.ssh = TcpListener("127.0.0.2")
        publish(self.reg, "trans-url", {"evil-dep": f"{self.http.url}/evil-dep.tgz"})
        publish(self.reg, "trans-git", {"git-dep": f"git+ssh://git@127.0.0.2:{self.ssh.port}/x/y.git"})
        cache = os.path.join(args.work, "npm-cache")
        shutil.rmtree(cache, ignore_errors=True)
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.env.update(npm_config_registry=self.reg.url, npm_config_cache=cache, npm_config_update_notifier="false")

    def package(self, args, name, manifest, files=None):
        root = os.path.join(args.work, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        manifest = dict({"name": name, "version": "1.0.0", "main": "server.js"}, **manifest)
        with open(os.path.join(root, "package.json"), "w") as f:
            json.dump(manifest, f)
        with open(os.path.join(root, "server.js"), "w") as f:
            f.write(JS_SERVER)
        for rel, text in (files or {}).items():
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        return root

    def untouched(self):
        return self.http.hits == [] and self.ssh.accepted == 0


def dependency_ran(r):
    return any(e["host"] == "deps-ok.example.net" and any(ev.get("stage") == "dynamic" for ev in e["evidence"])
               for e in (r or {}).get("endpoints", []))


def check_npm_lockfile(res, args, world):
    """Item 3: the package's lockfile points a registry dependency at a URL of its choice.
    Before the fix npm followed it (the loopback server saw GET /ok-dep-1.0.0.tgz)."""
    lock = {"name": "lock-pkg", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
            "packages": {"": {"name": "lock-pkg", "version": "1.0.0", "dependencies": {"ok-dep": "1.0.0"}},
                         "node_modules/ok-dep": {"version": "1.0.0", "integrity": world.integrity,
                                                 "resolved": f"{world.http.url}/ok-dep-1.0.0.tgz"}}}
    root = world.package(args, "lock-pkg", {"dependencies": {"ok-dep": "1.0.0"}},
                         {"package-lock.json": json.dumps(lock)})
    proc, r = audit(args, [root], *QUIET, env=world.env)
    res.check(r is not None, f"npm lockfile: a report ({proc.stderr[-300:]})")
    res.check(world.untouched(), f"npm lockfile: nothing connected to the lockfile's URL ({world.http.hits})")
    res.check(any(i["file"] == "package-lock.json" and "node_modules/ok-dep" in i["reason"] and world.http.url in
                  i["reason"] for i in (r or {}).get("incomplete", [])),
              f"npm lockfile: the URL it named is reported as not used ({reasons(r)})")
    res.check(dependency_ran(r), "npm lockfile: ok-dep came from the user's registry and the server loaded it")


def check_npm_sections(res, args, world):
    """peerDependencies (git+ssh), overrides (http) and devDependencies (a GitHub shorthand):
    before the fix only dependencies and optionalDependencies were read, and npm installed
    the peer from the ssh remote on the loopback (the port saw a connection)."""
    ssh = f"git+ssh://git@127.0.0.2:{world.ssh.port}/x/peer.git"
    over = f"{world.http.url}/override.tgz"
    root = world.package(args, "sections-pkg", {"dependencies": {"ok-dep": "1.0.0"},
                                                "peerDependencies": {"peer-dep": ssh},
                                                "overrides": {"ok-dep": {".": over}},
                                                "bundleDependencies": ["../../escape"]})
    proc, r = audit(args, [root], *QUIET, env=world.env)
    res.check(r is not None, f"npm sections: a report ({proc.stderr[-300:]})")
    why = reasons(r)
    res.check(world.untouched(), f"npm sections: nothing connected ({world.http.hits}, ssh {world.ssh.accepted})")
    for what in (f'peerDependencies "peer-dep" is "{ssh}"', f'overrides "." is "{over}"', "bundleDependencies"):
        res.check(any(what in x and "outside the registry" in x for x in why), f"npm sections: refused: {what} ({why})")


def check_npm_transitive(res, args, world):
    """A registry dependency whose own dependency is a URL, or a git+ssh remote: npm would
    fetch it while resolving. Before the fix npm fetched it (GET /evil-dep.tgz)."""
    for dep, where in (("trans-url", world.http.url), ("trans-git", "git")):
        root = world.package(args, f"{dep}-pkg", {"dependencies": {dep: "1.0.0"}})
        proc, r = audit(args, [root], *QUIET, env=world.env)
        res.check(r is not None, f"npm {dep}: a report ({proc.stderr[-300:]})")
        res.check(world.untouched(), f"npm {dep}: nothing connected ({world.http.hits}, ssh {world.ssh.accepted})")
        res.check(any("dependencies not installed" in x and where in x for x in reasons(r)),
                  f"npm {dep}: the refusal is reported, naming where ({reasons(r)})")


def check_npm_dev_offline(res, args, world):
    """Issue 10 (the dynamic side's fixed costs): devDependencies are not resolved (a user
    installing the package never gets them). Before the change the registry saw GET
    /dev-only (npm resolved it; 237 lockfile entries instead of 98 for server-memory):
    checked by reverting audit/npmdeps.c and running this check. The metadata is still
    asked for fresh (no --prefer-offline), and the integrity-pinned tarball comes from the
    warm cache (that held before too: npm ci never asks for a cached tarball)."""
    publish(world.reg, "dev-only", {})
    root = world.package(args, "dev-pkg", {"dependencies": {"ok-dep": "1.0.0"},
                                           "devDependencies": {"dev-only": "1.0.0"}})
    tgz = "/ok-dep/-/ok-dep-1.0.0.tgz"
    audit(args, [root], *QUIET, env=world.env)  # warms the cache with ok-dep's tarball
    del world.reg.seen[:]
    proc, r = audit(args, [root], *QUIET, env=world.env)
    seen = list(world.reg.seen)
    res.check(r is not None, f"npm dev: a report ({proc.stderr[-300:]})")
    res.check(not any(p.startswith("/dev-only") for p in seen), f"npm dev: dev-only not resolved ({seen})")
    res.check("/ok-dep" in seen, f"npm dev: ok-dep's metadata still asked for, fresh ({seen})")
    res.check(tgz not in seen, f"npm dev: the pinned tarball came from the cache ({seen})")
    res.check(dependency_ran(r), "npm dev: ok-dep installed and loaded by the server")
    # A package shipping a file named like the set-aside manifest, with no devDependencies
    # (nothing pruned): it must not replace package.json after the install (the server's
    # start command is read from it afterwards). With an unconditional restore it did, and
    # the audit found no way to start the server (checked by making restore move it back
    # unconditionally).
    root = world.package(args, "shipped-aside-pkg", {"dependencies": {"ok-dep": "1.0.0"}},
                         {"package.json.mcpaudit-set-aside": "{not json"})
    proc, r = audit(args, [root], *QUIET, env=world.env)
    res.check(dependency_ran(r), f"npm dev: a shipped package.json.mcpaudit-set-aside stays aside "
              f"({reasons(r)}; {proc.stderr[-200:]})")
    # The same for the other files set aside (.npmrc, lockfiles): a shipped
    # .npmrc.mcpaudit-set-aside with no .npmrc became the server's .npmrc after the install.
    # The server below looks its name up only when an .npmrc is beside it. Failed before
    # the fix (restore moved every set-aside name back; checked by running it then).
    probe = JS_SERVER + ("if (require('fs').existsSync(__dirname + '/.npmrc'))\n"
                         "  require('dns').lookup('npmrc-appeared.example.net', () => {});\n")
    root = world.package(args, "shipped-npmrc-pkg", {"dependencies": {"ok-dep": "1.0.0"}},
                         {".npmrc.mcpaudit-set-aside": "registry=http://192.0.2.1/\n", "server.js": probe})
    proc, r = audit(args, [root], *QUIET, env=world.env)
    hosts = {e["host"] for e in (r or {}).get("endpoints", [])
             if any(ev.get("stage") == "dynamic" for ev in e["evidence"])}
    res.check(dependency_ran(r) and "npmrc-appeared.example.net" not in hosts,
              f"npm dev: a shipped .npmrc.mcpaudit-set-aside is not made the server's .npmrc ({sorted(hosts)})")


def cached_file(cache, rel):
    """The one entry's copy of rel, and the entries there are."""
    deps = os.path.join(cache, "deps")
    entries = sorted(e for e in os.listdir(deps) if ".tmp-" not in e) if os.path.isdir(deps) else []
    return (os.path.join(deps, entries[0], "tree", rel) if entries else None), entries


def check_npm_deps_cache(res, args, world):
    """Issue 10: the tree `npm ci` installed is cached by the checked lockfile's content and
    copied on the next audit of the same resolution (no npm ci). The server writes into its
    own node_modules (its writable view) and into the cache entry itself: neither may reach
    the entry, so the next audit's server must not run what it wrote. A tampered entry is
    refused, installed again and stored afresh. Before the change npm ci ran every time (the
    'no npm ci' check failed with the build of 57c753c); with the digest comparison removed
    the tamper checks failed (checked by editing audit/depcache.c and running --only
    deps_cache). The write-back checks pass even with a restore that hard-links the entry's files: the
    sandbox's overlay (or copy) of the folder keeps every write of the server off the host's
    files, and the cache is not inside the sandbox's writable views; the first check shows
    the server's replacement really happened in its own view."""
    cache = os.path.join(args.work, "deps-cache")
    shutil.rmtree(cache, ignore_errors=True)
    shim, log = npm_shim(args)
    env = dict(world.env, MCPAUDIT_CACHE_DIR=cache, PATH=shim + os.pathsep + world.env.get("PATH", ""))
    deps = os.path.join(cache, "deps")
    writer = JS_SERVER + f"""
const fs = require('fs'), path = require('path');
const bad = "\\nrequire('dns').lookup('written-back.example.net', () => {{}});\\n";
try {{
  // replaced, not written in place: the folder is the server's, the file is not
  const own = require.resolve('ok-dep');
  fs.writeFileSync(own + '.new', fs.readFileSync(own, 'utf8') + bad);
  fs.renameSync(own + '.new', own);
  if (fs.readFileSync(own, 'utf8').includes('written-back'))
    require('dns').lookup('wrote-own-copy.example.net', () => {{}});
}} catch (e) {{}}
try {{
  for (const e of fs.readdirSync({deps!r})) {{
    const f = path.join({deps!r}, e, 'tree', 'ok-dep', 'index.js');
    try {{ fs.chmodSync(f, 0o644); }} catch (x) {{}}
    try {{ fs.appendFileSync(f, bad); }} catch (x) {{}}
  }}
}} catch (e) {{}}
"""
    root = world.package(args, "cache-pkg", {"dependencies": {"ok-dep": "1.0.0"}}, {"server.js": writer})

    def run(label):
        if os.path.exists(log):
            os.unlink(log)
        proc, r = audit(args, [root], *QUIET, env=env)
        hosts = {e["host"] for e in (r or {}).get("endpoints", [])
                 if any(ev.get("stage") == "dynamic" for ev in e["evidence"])}
        res.check(r is not None and dependency_ran(r), f"deps cache, {label}: ok-dep installed and loaded "
                  f"({reasons(r)}; {proc.stderr[-300:]})")
        return proc, hosts, npm_verbs(log)

    _, hosts, verbs = run("first audit")
    res.check("wrote-own-copy.example.net" in hosts,
              f"deps cache: the server did change ok-dep in its own view of the folder ({sorted(hosts)})")
    cached, entries = cached_file(cache, "ok-dep/index.js")
    res.check("ci" in verbs and len(entries) == 1, f"deps cache: npm ci ran and one entry was stored ({verbs}, {entries})")
    original = open(cached).read() if cached else None
    res.check(original == "module.exports = 1;\n", f"deps cache: the entry holds ok-dep as published ({original!r})")
    proc, hosts, verbs = run("second audit")
    res.check("ci" not in verbs and "install" in verbs,
              f"deps cache: the second audit resolved afresh but copied the tree, no npm ci ({verbs})")
    res.check("written-back.example.net" not in hosts,
              f"deps cache: what the first server wrote did not reach the second ({sorted(hosts)})")
    res.check(cached and open(cached).read() == original, "deps cache: the entry is unchanged after two servers wrote at it")
    if not cached:
        return  # no entry: said above
    # tampered by hand (as the owner, who can): refused, installed again, stored afresh
    os.chmod(cached, 0o644)
    with open(cached, "a") as f:
        f.write("require('dns').lookup('tampered.example.net', () => {});\n")
    proc, hosts, verbs = run("tampered entry")
    res.check("tampered.example.net" not in hosts, f"deps cache: a tampered entry is not used ({sorted(hosts)})")
    res.check("ci" in verbs and "was not used" in proc.stderr,
              f"deps cache: the tampered entry is said to be refused and npm ci ran ({verbs}; {proc.stderr[-300:]})")
    cached, entries = cached_file(cache, "ok-dep/index.js")
    res.check(cached and open(cached).read() == original and len(entries) == 1,
              f"deps cache: the entry was stored afresh ({entries})")


def main():
    ap = testkit.arg_parser()
    ap.add_argument("--only", default="")
    args = testkit.parse(ap)
    why = testkit.missing_tools("npm") or testkit.sandbox_problem()
    if not why and subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        why = "python3 has no pip"
    if why:
        return testkit.cannot_run(why)
    res = Results()
    for check in (check_python_names, check_python_wheels):
        if not args.only or args.only in check.__name__:
            check(res, args)
    world = NpmWorld(args)
    for check in (check_npm_lockfile, check_npm_sections, check_npm_transitive, check_npm_dev_offline,
                      check_npm_deps_cache):
        if not args.only or args.only in check.__name__:
            check(res, args, world)
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
