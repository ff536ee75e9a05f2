#!/usr/bin/env python3
"""The npm catalog's provenance holds against the published code it names.

For every package of analyzer/data/catalog_npm.tsv, at the pinned version: fetch the
tarball with `npm pack` into a cache (as tests/realworld/run.py does, never running its
code: the tarball is read in memory, never unpacked), check its sha512 against the row's
integrity column, and for each row:
  - the default host is written in the package's code (for `https://*.amazonaws.com`,
    the suffix after the star), or, when the provenance says "via DEP VERSION", in DEP's
    code at that version;
  - the file the provenance names (its first `path.js:line`) is in that package;
  - the callee's own name (a class, a factory, a method: `openai.OpenAI` -> OpenAI) is a
    word of the package's code, so the row names something the package exports.
A host taken from a README rather than the code, a callee that does not exist, or a
version whose tarball changed, each fails a named check.

It checked the 90 entries that were there before it: see the commit that added it for what
it found and fixed.

Needs npm and the registry: without them it skips (under CI=true, a failure).

Usage: test_catalog_source.py --mcpaudit BIN --source SRCDIR --work DIR [--cache DIR]
"""

import os
import re
import shutil
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "realworld"))
import testkit  # noqa: E402
from run import npm_pack, sri_sha512, tarball_name  # noqa: E402

CODE = (".js", ".cjs", ".mjs", ".json", ".ts")
VIA = re.compile(r"\bvia (@?[\w./-]+) (\d[\w.+-]*)")
PATH = re.compile(r"([\w@./-]+\.(?:js|cjs|mjs|json|ts)):\d")
MAX_TEXT = 512 << 20


class Args:
    pass


def parse():
    p = testkit.arg_parser()
    p.add_argument("--cache", default=os.path.join(os.path.expanduser("~"), ".cache", "mcpaudit", "catalog"))
    return testkit.parse(p)


def read_rows(source):
    rows = []
    path = os.path.join(source, "analyzer", "data", "catalog_npm.tsv")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            rows.append({"line": n, "package": c[0], "callee": c[1], "default": c[3], "version": c[6],
                         "provenance": c[7], "integrity": c[8] if len(c) > 8 else "-"})
    return rows


class Tarballs:
    """Fetched and read tarballs: (package, version) -> {member name: text}."""

    def __init__(self, cache, npm):
        self.cache, self.npm, self.texts = cache, npm, {}

    def path(self, package, version):
        return os.path.join(self.cache, tarball_name(package, version))

    def fetch(self, package, version):
        """The tarball's path, or an error string."""
        path = self.path(package, version)
        if os.path.isfile(path):
            return path, None
        ok, msg = npm_pack(self.npm, f"{package}@{version}", self.cache)
        if ok and not os.path.isfile(path):
            written = os.path.join(self.cache, os.path.basename(msg.splitlines()[-1])) if msg else ""
            if written and os.path.isfile(written):
                os.replace(written, path)
        return (path, None) if os.path.isfile(path) else (None, msg)

    def text(self, package, version):
        """{member: text} of the code files, read in memory; None when it cannot be fetched."""
        key = (package, version)
        if key not in self.texts:
            path, err = self.fetch(package, version)
            self.texts[key] = read_code(path) if path else None
        return self.texts[key]


def read_code(path):
    out, total = {}, 0
    with tarfile.open(path, "r:gz") as tar:
        for m in tar:
            if not m.isfile() or not m.name.endswith(CODE) or m.name.endswith(".map"):
                continue
            total += m.size
            if total > MAX_TEXT:
                break
            out[m.name] = tar.extractfile(m).read().decode("utf-8", "replace")
    return out


def host_needle(url):
    m = re.match(r"^[a-z0-9+.-]+://([^/:?#]*)", url)
    host = m.group(1) if m else url
    return host[host.index("*") + 2:] if "*" in host else host


def callee_name(row):
    """The callee's own last name, or None for a package's default export."""
    rest = row["callee"][len(row["package"]):]
    names = [x for x in re.split(r"[./]", rest) if x and x not in ("*", "js")]
    return names[-1] if names else None


def where_host(row):
    """(package, version) whose code must hold the default host."""
    m = VIA.search(row["provenance"])
    return (m.group(1), m.group(2)) if m else (row["package"], row["version"])


def contains(code, needle):
    return any(needle in t for t in code.values())


def check_row(t, row, tarballs):
    label = f"catalog_npm.tsv:{row['line']} {row['callee']}@{row['version']}"
    own = tarballs.text(row["package"], row["version"])
    if own is None:
        t.check(False, f"{label}: npm pack {row['package']}@{row['version']}")
        return
    pkg, ver = where_host(row)
    code = own if (pkg, ver) == (row["package"], row["version"]) else tarballs.text(pkg, ver) or {}
    name = callee_name(row)
    if name:
        word = re.compile(r"\b%s\b" % re.escape(name))
        t.check(any(word.search(x) for x in list(own.values()) + list(code.values())),
                f"{label}: {name} is in the package's code")
    if row["default"] != "-":
        needle = host_needle(row["default"])
        found = contains(code, needle)
        if not found and "${" in row["provenance"]:
            # a host put together at run time (`https://api.${domain}`): its registrable
            # domain must then be a string literal of the code
            site = ".".join(needle.split(".")[-2:])
            found = contains(code, f'"{site}"') or contains(code, f"'{site}'")
        t.check(found, f"{label}: default host {needle} is written in {pkg}@{ver}'s code")
    m = PATH.search(row["provenance"])
    if m:
        via = VIA.search(row["provenance"])
        pkg, ver = (via.group(1), via.group(2)) if via and via.start() < m.start() else (row["package"], row["version"])
        code = own if pkg == row["package"] else tarballs.text(pkg, ver)
        t.check(code is not None and any(n.endswith("/" + m.group(1).lstrip("./")) for n in code),
                f"{label}: {m.group(1)} (the provenance) is a file of {pkg}@{ver}")


def main():
    args = parse()
    t = testkit.Tally()
    npm = shutil.which("npm")
    if not npm:
        return testkit.cannot_run("npm is not installed")
    os.makedirs(args.cache, exist_ok=True)
    rows = read_rows(args.source)
    tarballs = Tarballs(args.cache, npm)
    pins = {}
    for row in rows:
        pins.setdefault((row["package"], row["version"]), set()).add(row["integrity"])
    for (pkg, ver), integrities in sorted(pins.items()):
        label = f"{pkg}@{ver}"
        if not t.check(len(integrities) == 1 and next(iter(integrities)).startswith("sha512-"),
                       f"{label}: one sha512 integrity pinned ({sorted(integrities)})"):
            continue
        path, err = tarballs.fetch(pkg, ver)
        if path is None:
            if "ENOTFOUND" in (err or "") or "EAI_AGAIN" in (err or ""):
                return testkit.cannot_run(f"the npm registry is not reachable: {err.splitlines()[-1]}")
            t.check(False, f"{label}: npm pack ({err})")
            continue
        got = sri_sha512(path)
        if not t.check(got in integrities, f"{label}: tarball sha512 matches the pin"):
            os.replace(path, path + ".rejected")
    for row in rows:
        check_row(t, row, tarballs)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
