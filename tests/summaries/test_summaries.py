#!/usr/bin/env python3
"""Dependency summaries (issue 9): `scan --include-deps` summarises each installed npm
package (which exported function or class reaches a network sink, through which parameter
or option, with which default host), caches the summary by name, version and integrity, and
applies it at the server's own calls of the package.

  python3 tests/summaries/test_summaries.py --mcpaudit BIN --source SRCDIR --work WORKDIR

The fixture (fixture/server.js, fixture/deps/fake-client) is a client library in no catalog;
the real package is resend from the npm registry, pinned by version and integrity, whose
summary must agree with its catalog row. Every check failed before analyzer/summary.c: run
against the build with summary_find returning NULL (the summaries never applied), no
endpoint came from server.js, and with summaries never derived no cache file was written.
"""
import base64
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_LOCK_INTEGRITY = "sha512-" + base64.b64encode(hashlib.sha512(b"fake-client 1.2.3").digest()).decode()
# the real package: a catalogued client, small, its destination a constructor option
REAL = {"name": "resend", "version": "6.38.0",
        "integrity": "sha512-+t1bz6unmYcyYrLqrZtkn73ODZhUgKJTViuRf+a4ewgo3mT/Bpg64WkBtAVQlXQcmUkeuorO1eLAd2+1h4jgNQ==",
        "callee": "resend.Resend",
        "server": "const { Resend } = require('resend');\nconst mail = new Resend('re_key');\n"
                  "const eu = new Resend('re_key', { baseUrl: 'https://mail.example.net' });\n"}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def lock(path, name, version, integrity):
    """npm's hidden lock file (node_modules/.package-lock.json, lockfileVersion 3)."""
    write(path, json.dumps({"lockfileVersion": 3, "packages": {
        f"node_modules/{name}": {"version": version, "integrity": integrity}}}))


def scan(binary, root, cache):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCPAUDIT_")}
    env["MCPAUDIT_CACHE_DIR"] = cache
    r = subprocess.run([binary, "scan", "--include-deps", "--format", "json", root], capture_output=True,
                       text=True, env=env, timeout=300)
    try:
        return json.loads(r.stdout)
    except json.JSONDecodeError:
        print(r.stderr)
        return {}


def server_evidence(doc, host):
    """(kind, evidence) of host's evidence from the server's own file, or None."""
    for e in doc.get("endpoints", []):
        if e.get("host") != host:
            continue
        for ev in e.get("evidence", []):
            if ev.get("file") == "server.js":
                return e.get("kind"), ev
    return None


def cache_files(cache, name):
    return sorted(glob.glob(os.path.join(cache, "summaries", glob.escape(name) + "@*.json")))


def setup_fake(work):
    root = os.path.join(work, "fake")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "node_modules"))
    shutil.copy(os.path.join(HERE, "fixture", "server.js"), root)
    shutil.copytree(os.path.join(HERE, "fixture", "deps", "fake-client"),
                    os.path.join(root, "node_modules", "fake-client"))
    lock(os.path.join(root, "node_modules", ".package-lock.json"), "fake-client", "1.2.3", FAKE_LOCK_INTEGRITY)
    return root


def check_fake_first(t, binary, root, cache):
    doc = scan(binary, root, cache)
    got = server_evidence(doc, "configured.example.com")
    t.check(got is not None and "fake-client 1.2.3" in got[1].get("expression", "")
            and "node_modules/fake-client/index.js:10" in got[1].get("expression", ""),
            "the configured baseURL is the server's call-site endpoint, naming the dependency and its sink")
    got = server_evidence(doc, "api.fake-client.example")
    t.check(got is not None and got[0] == "sdk-default" and got[1].get("line") == 4,
            "new FakeClient() without options: the summary's default host, kind sdk-default, at server.js:4")
    got = server_evidence(doc, "pinged.example.org")
    t.check(got is not None and got[1].get("line") == 8, "fc.ping(url): the argument the summary names")
    files = cache_files(cache, "fake-client")
    entry = json.load(open(files[0])) if len(files) == 1 else {}
    t.check(entry.get("version") == "1.2.3" and entry.get("integrity") == FAKE_LOCK_INTEGRITY,
            "one cache entry, keyed by the version and the lock file's integrity")
    by_fn = {s["function"]: s for s in entry.get("summaries", [])}
    t.check(by_fn.get("FakeClient", {}).get("options") == ["arg0.baseURL"]
            and by_fn["FakeClient"].get("default_url") == "https://api.fake-client.example",
            "FakeClient is summarised by its option arg0.baseURL and its default host")
    return files[0] if len(files) == 1 else None


def tamper(path, url):
    entry = json.load(open(path))
    for s in entry["summaries"]:
        if s["function"] == "FakeClient":
            s["default_url"] = url
    write(path, json.dumps(entry))


def check_fake_cache(t, binary, root, cache, entry):
    # a second scan reads the entry: what it says is what is applied
    tamper(entry, "https://cached.example")
    got = server_evidence(scan(binary, root, cache), "cached.example")
    t.check(got is not None and got[0] == "sdk-default", "a second scan applies the cached summary")
    # an entry at the right file name whose stored integrity is not the package's: not used
    doc = json.load(open(entry))
    doc["integrity"] = "sha512-other"
    write(entry, json.dumps(doc))
    got = server_evidence(scan(binary, root, cache), "api.fake-client.example")
    t.check(got is not None and json.load(open(entry)).get("integrity") == FAKE_LOCK_INTEGRITY,
            "an entry whose key does not match is derived again and overwritten")
    # a new integrity, then a new version: a new key, the old entry left unused
    tamper(entry, "https://cached.example")
    lock(os.path.join(root, "node_modules", ".package-lock.json"), "fake-client", "1.2.3", "sha512-changed")
    got = server_evidence(scan(binary, root, cache), "api.fake-client.example")
    t.check(got is not None and len(cache_files(cache, "fake-client")) == 2,
            "a changed integrity is a new key: derived again, not the cached entry")
    pj = os.path.join(root, "node_modules", "fake-client", "package.json")
    write(pj, open(pj).read().replace("1.2.3", "1.2.4"))
    got = server_evidence(scan(binary, root, cache), "api.fake-client.example")
    t.check(got is not None and any("@1.2.4-" in f for f in cache_files(cache, "fake-client")),
            "a changed version is a new key")


def npm_pack(work):
    """The real package's tarball, fetched with npm pack and checked against its pinned
    integrity; (path, None) or (None, why)."""
    spec = f"{REAL['name']}@{REAL['version']}"
    os.makedirs(work, exist_ok=True)
    try:
        r = subprocess.run(["npm", "pack", "--ignore-scripts", "--silent", spec], cwd=work, capture_output=True,
                           text=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"npm pack {spec}: {e}"
    tgz = os.path.join(work, f"{REAL['name']}-{REAL['version']}.tgz")
    if r.returncode != 0 or not os.path.exists(tgz):
        return None, f"npm pack {spec} failed: {r.stderr.strip()[:300]}"
    digest = "sha512-" + base64.b64encode(hashlib.sha512(open(tgz, "rb").read()).digest()).decode()
    if digest != REAL["integrity"]:
        return None, f"{tgz}: integrity {digest}, expected {REAL['integrity']}"
    return tgz, None


def catalog_host(source, callee):
    with open(os.path.join(source, "analyzer", "data", "catalog_npm.tsv")) as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if not line.startswith("#") and len(cols) > 3 and cols[1] == callee and cols[3] != "-":
                return urllib.parse.urlsplit(cols[3]).hostname
    return None


def check_real(t, binary, source, work, cache):
    tgz, why = npm_pack(os.path.join(work, "npm"))
    if not t.check(tgz is not None, f"{REAL['name']} {REAL['version']} fetched with its pinned integrity"
                   + (f" ({why})" if why else "")):
        return
    root = os.path.join(work, "real")
    shutil.rmtree(root, ignore_errors=True)
    dest = os.path.join(root, "node_modules", REAL["name"])
    os.makedirs(dest)
    subprocess.run(["tar", "xzf", tgz, "-C", dest, "--strip-components=1"], check=True)
    lock(os.path.join(root, "node_modules", ".package-lock.json"), REAL["name"], REAL["version"], REAL["integrity"])
    write(os.path.join(root, "server.js"), REAL["server"])
    doc = scan(binary, root, cache)
    files = cache_files(cache, REAL["name"])
    entry = json.load(open(files[0])) if len(files) == 1 else {}
    t.check(entry.get("integrity") == REAL["integrity"], "the real package's entry is keyed by its registry integrity")
    fn = REAL["callee"].split(".", 1)[1]
    summary = next((s for s in entry.get("summaries", []) if s["function"] == fn), {})
    want = catalog_host(source, REAL["callee"])
    got = urllib.parse.urlsplit(summary.get("default_url", "")).hostname
    t.check(want is not None and got == want,
            f"the summary of {REAL['callee']} defaults to the catalog's host ({got} vs {want})")
    t.check(server_evidence(doc, "mail.example.net") is not None,
            "the option the summary names configures the real client at the server's call")


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    cache = os.path.join(args.work, "cache")
    shutil.rmtree(cache, ignore_errors=True)
    root = setup_fake(args.work)
    entry = check_fake_first(t, args.mcpaudit, root, cache)
    if entry:
        check_fake_cache(t, args.mcpaudit, root, cache, entry)
    check_real(t, args.mcpaudit, args.source, args.work, cache)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
