#!/usr/bin/env python3
"""Style checks that a compiler does not make (cf. curl's scripts/checksrc.pl).

- No unsafe C library calls in our code: strcpy, strcat, sprintf, vsprintf, strtok, atoi,
  atol, gets (use snprintf, strtok_r, strtol/strtoul).
- Every .c and .h file opens with a one-line comment saying what it is for.
- No third-party grammar or tree-sitter source is committed.
- Unit tests skip with unit_skip(why) (tests/unit/unit_skip.h), never cmocka's bare skip(),
  which ctest shows as a pass and CI cannot see.

Usage: test_style.py --source SRCDIR [--mcpaudit BIN --work DIR (ignored)]
"""

import argparse
import os
import re
import subprocess
import sys

BANNED = re.compile(r"\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)\s*\(")
BARE_SKIP = re.compile(r"\bskip\s*\(\s*\)")
OUR_DIRS = ("core", "analyzer", "cli", "tracer", "bench", "tests/unit")


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--mcpaudit")
    ap.add_argument("--work")
    args = ap.parse_args()
    passed = failed = 0
    files = subprocess.run(["git", "-C", args.source, "ls-files"], capture_output=True, text=True).stdout.split()
    if not files:  # not a git checkout: walk
        for d in OUR_DIRS:
            for root, _, names in os.walk(os.path.join(args.source, d)):
                files += [os.path.relpath(os.path.join(root, n), args.source) for n in names]
    sources = [f for f in files if f.endswith((".c", ".h")) and f.startswith(OUR_DIRS)]
    for rel in sorted(sources):
        with open(os.path.join(args.source, rel), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        hits = []
        for lineno, line in enumerate(strip_comments_and_strings(text).split("\n"), 1):
            m = BANNED.search(line)
            if m:
                hits.append(f"{rel}:{lineno}: {m.group(1)}")
            if rel.startswith("tests/unit/") and not rel.endswith("unit_skip.h") and BARE_SKIP.search(line):
                hits.append(f"{rel}:{lineno}: bare skip() (use unit_skip(why))")
        first = text.lstrip().split("\n", 1)[0]
        ok = not hits and (first.startswith("/*") or first.startswith("//"))
        if ok:
            passed += 1
            print(f"ok - {rel}")
        else:
            failed += 1
            why = "; ".join(hits) if hits else "does not open with a summary comment"
            print(f"not ok - {rel}: {why}")
    vendored = [f for f in files if re.search(r"(^|/)(parser\.c|scanner\.c|tree_sitter/parser\.h)$", f)]
    if vendored:
        failed += 1
        print(f"not ok - grammar sources are committed: {', '.join(vendored[:5])}")
    else:
        passed += 1
        print("ok - no grammar or tree-sitter source committed")
    if len(sources) < 20:
        failed += 1
        print(f"not ok - only {len(sources)} C files found: wrong --source?")
    print(f"{passed} passed, {failed} failed, 0 skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
