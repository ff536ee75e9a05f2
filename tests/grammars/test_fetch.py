#!/usr/bin/env python3
"""grammars/grammars.cmake fetches the pinned tarballs without npm (issue 12).

A fresh build folder is configured with an empty grammar cache and an `npm` first on PATH
that only records being run and fails: the configure must succeed, never run it, and leave
every tarball of grammars.lock in the cache with its pinned SHA-512 (downloaded from the
registry by URL, file(DOWNLOAD ... EXPECTED_HASH)). Then the fallback: with the registry
pointed at a closed loopback port, the same fake npm (now acting as `npm pack` from the
first cache) must be run, once per package. Last, a registry on loopback serving other
bytes under the pinned names must stop the configure step, with no fallback. Checked to fail before the change: the first
configure ran npm (the marker file was written) and failed with it.

Usage: test_fetch.py --source SRCDIR [--mcpaudit BIN] --work DIR
Needs the npm registry (the network); without it the suite skips (fails under CI=true).
"""

import functools
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

FAKE_NPM = """#!/bin/sh
# stands in for npm: records the call; with FROM set, acts as `npm pack NAME@VER --pack-destination D`
echo "$@" >> "%(marker)s"
[ -n "%(source)s" ] || exit 1
shift; spec="$1"; name="${spec%%@*}"; version="${spec#*@}"
while [ $# -gt 0 ]; do [ "$1" = --pack-destination ] && dest="$2"; shift; done
cp "%(source)s/$name-$version.tgz" "$dest/" || exit 1
"""


def lock_entries(source):
    out = []
    with open(os.path.join(source, "grammars", "grammars.lock")) as fh:
        for line in fh:
            if line[:1].isalpha():
                f = line.split()
                out.append((f[0], f[1], f[3]))
    return out


def registry_reachable():
    try:
        socket.create_connection(("registry.npmjs.org", 443), timeout=10).close()
        return True
    except OSError:
        return False


def configure(args, name, cache, fake_source, extra=()):
    bindir = os.path.join(args.work, name + "-bin")
    marker = os.path.join(args.work, name + "-npm-calls")
    build = os.path.join(args.work, name + "-build")
    for d in (bindir, build, cache):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(bindir)
    os.makedirs(cache)
    if os.path.exists(marker):
        os.remove(marker)
    npm = os.path.join(bindir, "npm")
    with open(npm, "w") as fh:
        fh.write(FAKE_NPM % {"marker": marker, "source": fake_source or ""})
    os.chmod(npm, 0o755)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run(["cmake", "-S", args.source, "-B", build, "-DMCPAUDIT_GRAMMAR_CACHE=" + cache, *extra],
                          env=env, capture_output=True, text=True, timeout=900)
    calls = open(marker).read().splitlines() if os.path.exists(marker) else []
    return proc, calls


def check_cache(res, label, cache, entries):
    for name, version, sha in entries:
        path = os.path.join(cache, f"{name}-{version}.tgz")
        got = hashlib.sha512(open(path, "rb").read()).hexdigest() if os.path.exists(path) else None
        res.check(got == sha, f"{label}: {name}-{version}.tgz in the cache with its pinned SHA-512")
    res.check(not any(f.endswith(".part") for f in os.listdir(cache)), f"{label}: no partial download left")


def check_tampered(res, args, entries):
    """A registry (a loopback HTTP server) that serves other bytes under the pinned names: the
    configure step stops, names the mismatch, falls back to nothing, caches nothing."""
    root = os.path.join(args.work, "evil-registry")
    shutil.rmtree(root, ignore_errors=True)
    for name, version, _ in entries:
        os.makedirs(os.path.join(root, name, "-"), exist_ok=True)
        with open(os.path.join(root, name, "-", f"{name}-{version}.tgz"), "wb") as fh:
            fh.write(b"not the pinned tarball")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass
    handler = functools.partial(Quiet, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cache = os.path.join(args.work, "cache-tampered")
    try:
        proc, calls = configure(args, "tampered", cache, None,
                                [f"-DMCPAUDIT_NPM_REGISTRY=http://127.0.0.1:{server.server_address[1]}"])
    finally:
        server.shutdown()
    said = " ".join(proc.stderr.split())  # CMake wraps long messages
    res.check(proc.returncode != 0 and "does not match grammars.lock" in said,
              f"tampered: the configure step stops on the mismatch (exit {proc.returncode}) {said[-300:]}")
    res.check(calls == [], f"tampered: no fallback to npm ({calls})")
    res.check(os.listdir(cache) == [], f"tampered: nothing cached ({os.listdir(cache)})")


def main():
    args = testkit.parse(testkit.arg_parser())
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    if not shutil.which("cmake"):
        return testkit.cannot_run("no cmake")
    if not registry_reachable():
        return testkit.cannot_run("the npm registry cannot be reached")
    res = testkit.Tally()
    entries = lock_entries(args.source)
    cache = os.path.join(args.work, "cache")
    proc, calls = configure(args, "download", cache, None)
    res.check(proc.returncode == 0, f"configure with no usable npm succeeds (exit {proc.returncode}) "
              f"{proc.stderr.strip()[-400:]}")
    res.check(calls == [], f"npm was never run ({calls})")
    res.check(proc.stdout.count("grammars: downloading https://registry.npmjs.org/") == len(entries),
              "each package downloaded from the registry by URL")
    check_cache(res, "download", cache, entries)
    # the fallback: the download fails (a closed loopback port), npm pack is run
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    cache2 = os.path.join(args.work, "cache-fallback")
    proc, calls = configure(args, "fallback", cache2, cache, [f"-DMCPAUDIT_NPM_REGISTRY=http://127.0.0.1:{port}"])
    res.check(proc.returncode == 0, f"fallback: configure succeeds (exit {proc.returncode}) {proc.stderr.strip()[-400:]}")
    res.check(len(calls) == len(entries) and all(c.startswith("pack ") and "--ignore-scripts" in c for c in calls),
              f"fallback: npm pack --ignore-scripts run once per package ({calls})")
    check_cache(res, "fallback", cache2, entries)
    check_tampered(res, args, entries)
    for name in ("download", "fallback", "tampered"):
        shutil.rmtree(os.path.join(args.work, name + "-build"), ignore_errors=True)
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
