#!/usr/bin/env python3
"""Scan real published MCP servers and check the report against expectations.

Usage:
    python3 tests/realworld/run.py --mcpaudit build/mcpaudit --cache DIR [--offline]

For each server in servers.json (pinned by version and npm integrity):
fetch the tarball with `npm pack` into the cache folder unless it is already
there, verify its sha512 against the pinned integrity before touching its
contents, unpack it with a checking extractor, run
`mcpaudit scan --format json --output OUT.json PACKAGE_DIR`, and check the
report. Prints one `ok - ...` / `not ok - ...` line per check and ends with
`N passed, N failed, N skipped`. Exit status: 0 all passed, 1 something failed,
77 skipped because npm is needed and missing (under CI=true that is a failure, exit 1).

Python 3 standard library only.
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS_FILE = os.path.join(HERE, "servers.json")

# Caps on what one tarball may unpack to (the biggest pinned one is ~3 MB
# unpacked); a tarball over a cap is refused, not truncated.
MAX_MEMBERS = 20000
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024

NPM_TIMEOUT = 300
SCAN_TIMEOUT = 600


class Tally(testkit.Tally):
    """Counts checks and prints them as they happen."""

    def check(self, ok, what, detail=None):
        super().check(ok, what)
        if not ok and detail:
            for line in str(detail).splitlines():
                print("#   " + line)
        sys.stdout.flush()
        return ok


def note(text):
    print("# " + text)
    sys.stdout.flush()


def tarball_name(package, version):
    """The file name `npm pack` writes: '@scope/name' -> 'scope-name-VERSION.tgz'."""
    return "%s-%s.tgz" % (package.lstrip("@").replace("/", "-"), version)


def sri_sha512(path):
    """Subresource-integrity string of a file, as npm records it."""
    h = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha512-" + base64.b64encode(h.digest()).decode("ascii")


def npm_pack(npm, spec, cache):
    """Run `npm pack SPEC` into CACHE. Returns (ok, message)."""
    cmd = [npm, "pack", spec, "--pack-destination", cache,
           "--silent", "--ignore-scripts"]
    try:
        # cwd=cache so no project .npmrc or package.json around us is read.
        r = subprocess.run(cmd, cwd=cache, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=NPM_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, "npm pack %s timed out after %ds" % (spec, NPM_TIMEOUT)
    if r.returncode != 0:
        return False, "npm pack %s exited %d:\n%s" % (
            spec, r.returncode, r.stderr.decode("utf-8", "replace").strip())
    return True, r.stdout.decode("utf-8", "replace").strip()


def fetch(server, cache, npm, offline, tally):
    """Make sure the pinned tarball is in the cache. Returns its path or None."""
    name, version = server["package"], server["version"]
    path = os.path.join(cache, tarball_name(name, version))
    label = "%s@%s" % (name, version)
    if os.path.isfile(path):
        note("%s: using cached %s" % (label, path))
        return path
    if offline:
        tally.check(False, "%s: tarball in cache (offline)" % label,
                    "--offline given and %s is missing; fill the cache with "
                    "`npm pack %s --pack-destination %s`" % (path, label, cache))
        return None
    ok, msg = npm_pack(npm, label, cache)
    if ok and not os.path.isfile(path):
        # npm printed the file it wrote on its last line; take it if it differs.
        written = os.path.join(cache, os.path.basename(msg.splitlines()[-1])) if msg else ""
        if written and os.path.isfile(written):
            os.replace(written, path)
        else:
            ok, msg = False, "npm pack did not write %s (it said: %r)" % (path, msg)
    if not tally.check(ok, "%s: fetched with npm pack" % label, None if ok else msg):
        return None
    return path


def verify(path, server, tally):
    """Check the tarball against the pinned integrity; move it aside on mismatch."""
    label = "%s@%s" % (server["package"], server["version"])
    got = sri_sha512(path)
    want = server["integrity"]
    if got == want:
        return tally.check(True, "%s: sha512 integrity matches the pin" % label)
    rejected = path + ".rejected"
    os.replace(path, rejected)
    return tally.check(False, "%s: sha512 integrity matches the pin" % label,
                       "expected %s\ngot      %s\nrefusing to unpack; moved to %s"
                       % (want, got, rejected))


def member_problem(m, dest):
    """Why a tar member is unsafe to extract under DEST, or None if it is fine."""
    name = m.name
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path %r" % name
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return "parent reference in %r" % name
    target = os.path.realpath(os.path.join(dest, name))
    if target != dest and not target.startswith(dest + os.sep):
        return "%r lands outside the destination" % name
    if m.issym() or m.islnk():
        link = m.linkname
        if m.issym():
            base = os.path.dirname(os.path.join(dest, name))
        else:
            base = dest
        if os.path.isabs(link):
            return "link %r points to absolute %r" % (name, link)
        resolved = os.path.realpath(os.path.join(base, link))
        if resolved != dest and not resolved.startswith(dest + os.sep):
            return "link %r points outside: %r" % (name, link)
        return None
    if not (m.isfile() or m.isdir()):
        return "special file %r (type %r)" % (name, m.type)
    if m.isfile() and m.size > MAX_FILE_BYTES:
        return "%r is %d bytes, over the %d cap" % (name, m.size, MAX_FILE_BYTES)
    return None


def safe_unpack(path, dest):
    """Unpack regular files and folders of a .tgz into DEST.

    Refuses the whole archive (returns an error string) on an absolute path,
    a `..` component, a link leading out, a device or fifo, or a cap exceeded;
    links that stay inside are not created (npm tarballs have none) and are
    reported. Returns (error or None, list of notes).
    """
    dest = os.path.realpath(dest)
    notes = []
    total = 0
    with tarfile.open(path, "r:gz") as tar:
        members = tar.getmembers()
        if len(members) > MAX_MEMBERS:
            return "%d members, over the %d cap" % (len(members), MAX_MEMBERS), notes
        for m in members:
            problem = member_problem(m, dest)
            if problem:
                return problem, notes
            if m.isfile():
                total += m.size
        if total > MAX_TOTAL_BYTES:
            return "%d bytes unpacked, over the %d cap" % (total, MAX_TOTAL_BYTES), notes
        for m in members:
            out = os.path.join(dest, m.name)
            if m.isdir():
                os.makedirs(out, exist_ok=True)
                continue
            if m.issym() or m.islnk():
                notes.append("skipped in-tree link %s -> %s" % (m.name, m.linkname))
                continue
            os.makedirs(os.path.dirname(out), exist_ok=True)
            parent = os.path.realpath(os.path.dirname(out))
            if parent != dest and not parent.startswith(dest + os.sep):
                return "%r would be written outside the destination" % m.name, notes
            src = tar.extractfile(m)
            mode = 0o755 if m.mode & stat.S_IXUSR else 0o644
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(out, flags, mode)
            with os.fdopen(fd, "wb") as f:
                shutil.copyfileobj(src, f)
    return None, notes


def run_scan(mcpaudit, target, out):
    """Run the scanner. Returns (ok, message). Exit 0 and 1 both mean a report."""
    cmd = [mcpaudit, "scan", "--format", "json", "--output", out, target]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=SCAN_TIMEOUT)
    except FileNotFoundError:
        return False, "mcpaudit not found at %s" % mcpaudit
    except PermissionError:
        return False, "mcpaudit at %s is not executable" % mcpaudit
    except subprocess.TimeoutExpired:
        return False, "scan timed out after %ds" % SCAN_TIMEOUT
    err = r.stderr.decode("utf-8", "replace").strip()
    if r.returncode not in (0, 1):
        return False, "%s exited %d:\n%s" % (" ".join(cmd), r.returncode, err[-2000:])
    if not os.path.isfile(out):
        return False, "exit %d but no report at %s:\n%s" % (r.returncode, out, err[-2000:])
    return True, "exit %d" % r.returncode


def norm_host(h):
    return (h or "").strip().lower().rstrip(".")


def load_report(path):
    """Parse the JSON report. Returns (report or None, error)."""
    try:
        with open(path, "rb") as f:
            rep = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        return None, "report is not valid JSON: %s" % e
    if not isinstance(rep, dict):
        return None, "report is not a JSON object"
    if rep.get("schema_version") != 1:
        return None, "schema_version is %r, expected 1" % rep.get("schema_version")
    if not isinstance(rep.get("endpoints"), list) or not isinstance(rep.get("findings"), list):
        return None, "report lacks endpoints[] or findings[]"
    return rep, None


def endpoint_summary(rep):
    lines = []
    for e in rep["endpoints"]:
        ev = (e.get("evidence") or [{}])[0]
        lines.append("%s kind=%s documented=%s at %s:%s" % (
            e.get("host"), e.get("kind"), e.get("documented"),
            ev.get("file"), ev.get("line")))
    return "\n".join(lines) or "(no endpoints)"


def finding_summary(rep, rule):
    hits = [f for f in rep["findings"] if f.get("rule_id") == rule]
    return "\n".join("%s %s at %s:%s: %s" % (
        f.get("rule_id"), f.get("host"), f.get("file"), f.get("line"),
        f.get("message")) for f in hits[:20])


def check_report(rep, server, label, tally):
    """All expectation checks of one server against its report."""
    endpoints = {}
    for e in rep["endpoints"]:
        endpoints.setdefault(norm_host(e.get("host")), []).append(e)
    findings = rep["findings"]

    for host in server.get("expect_hosts") or []:
        tally.check(norm_host(host) in endpoints,
                    "%s: endpoint %s found" % (label, host),
                    "endpoints in the report:\n" + endpoint_summary(rep))

    for rule in server.get("forbid_rules") or []:
        hits = [f for f in findings if f.get("rule_id") == rule]
        tally.check(not hits, "%s: no %s finding" % (label, rule),
                    "%d unexpected:\n%s" % (len(hits), finding_summary(rep, rule)))

    for host in server.get("expect_documented") or []:
        eps = endpoints.get(norm_host(host), [])
        ok = bool(eps) and all(e.get("documented") is True for e in eps)
        tally.check(ok, "%s: %s is documented" % (label, host),
                    "endpoints in the report:\n" + endpoint_summary(rep))

    for host in server.get("expect_undocumented") or []:
        ok = any(f.get("rule_id") == "undocumented-egress"
                 and norm_host(f.get("host")) == norm_host(host) for f in findings)
        tally.check(ok, "%s: undocumented-egress for %s" % (label, host),
                    "undocumented-egress findings:\n"
                    + (finding_summary(rep, "undocumented-egress") or "(none)"))

    if server.get("expect_user_directed"):
        ok = (any(e.get("kind") == "user-directed" for e in rep["endpoints"])
              or any(f.get("rule_id") == "user-directed-egress" for f in findings))
        tally.check(ok, "%s: a user-directed destination is reported" % label,
                    "endpoints in the report:\n" + endpoint_summary(rep))


def run_server(server, args, npm, work, tally):
    label = "%s@%s" % (server["package"], server["version"])
    path = fetch(server, args.cache, npm, args.offline, tally)
    if not path or not verify(path, server, tally):
        return
    dest = os.path.join(work, tarball_name(server["package"], server["version"])[:-4])
    os.makedirs(dest)
    try:
        err, notes = safe_unpack(path, dest)
    except (tarfile.TarError, OSError, EOFError) as e:
        err, notes = "cannot read archive: %s" % e, []
    for n in notes:
        note("%s: %s" % (label, n))
    target = os.path.join(dest, "package")
    if err is None and not os.path.isdir(target):
        err = "no package/ folder in the tarball"
    if not tally.check(err is None, "%s: unpacked safely" % label, err):
        return
    out = dest + ".report.json"
    ok, msg = run_scan(args.mcpaudit, target, out)
    if not tally.check(ok, "%s: scan produced a report" % label, msg):
        return
    rep, err = load_report(out)
    if not tally.check(rep is not None, "%s: report is schema_version 1 JSON" % label, err):
        return
    if args.keep:
        note("%s: report kept at %s" % (label, out))
    check_report(rep, server, label, tally)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mcpaudit", required=True, help="path to the mcpaudit binary")
    p.add_argument("--cache", required=True, help="folder holding the npm tarballs")
    p.add_argument("--offline", action="store_true",
                   help="never call npm; a tarball missing from the cache fails")
    p.add_argument("--only", action="append", default=[], metavar="PACKAGE",
                   help="run only this package (repeatable)")
    p.add_argument("--keep", action="store_true",
                   help="keep the unpacked trees and reports (paths are printed)")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    args.mcpaudit = os.path.abspath(args.mcpaudit)
    args.cache = os.path.abspath(args.cache)
    with open(SERVERS_FILE, encoding="utf-8") as f:
        servers = json.load(f)
    if args.only:
        servers = [s for s in servers if s["package"] in args.only]
        if not servers:
            print("no server in servers.json matches --only", file=sys.stderr)
            return 2
    os.makedirs(args.cache, exist_ok=True)

    npm = shutil.which("npm")
    missing = [s for s in servers if not os.path.isfile(
        os.path.join(args.cache, tarball_name(s["package"], s["version"])))]
    if missing and not args.offline and npm is None:
        return testkit.cannot_run("npm is not installed and %d tarball(s) are not cached in %s"
                                  % (len(missing), args.cache))

    tally = Tally()
    work = tempfile.mkdtemp(prefix="mcpaudit-realworld-")
    try:
        for server in servers:
            run_server(server, args, npm, work, tally)
    finally:
        if args.keep:
            note("unpacked trees kept in " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
