#!/usr/bin/env python3
"""grammars/grammars.lock: both hash columns are the same SHA-512, every package is pinned
to an exact version, and cached tarballs (when present) match the pin.

Usage: test_lockfile.py --source SRCDIR [--mcpaudit BIN --work DIR (ignored)]
"""

import argparse
import base64
import hashlib
import os
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--mcpaudit")
    ap.add_argument("--work")
    args = ap.parse_args()
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(("ok - " if ok else "not ok - ") + what)

    cache = os.environ.get("MCPAUDIT_GRAMMAR_CACHE", os.path.expanduser("~/.cache/mcpaudit/grammars"))
    rows = []
    with open(os.path.join(args.source, "grammars", "grammars.lock")) as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                rows.append(line.split())
    check(len(rows) == 4, f"four pinned packages ({len(rows)})")
    for name, version, integrity, hexsum in rows:
        check(re.fullmatch(r"\d+\.\d+\.\d+", version) is not None, f"{name} pinned to an exact version ({version})")
        digest = base64.b64decode(integrity.split("-", 1)[1])
        check(integrity.startswith("sha512-") and digest.hex() == hexsum, f"{name}: integrity and hex agree")
        tgz = os.path.join(cache, f"{name}-{version}.tgz")
        if os.path.exists(tgz):
            with open(tgz, "rb") as t:
                check(hashlib.sha512(t.read()).hexdigest() == hexsum, f"{name}: cached tarball matches the pin")
    print(f"{passed} passed, {failed} failed, 0 skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
