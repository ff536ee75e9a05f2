#!/usr/bin/env python3
"""Add up the checks of one or more ctest runs, and say why anything was skipped.

ctest counts test programs, and a program that skipped some of its checks still passes:
this reads each run's Testing/Temporary/LastTest.log (every program's whole output, with
`--test-output-size-passed` large enough) and counts the checks inside:
  - a Python suite's last line: `N passed, N failed, N skipped` (tests/lib/testkit.py);
  - a cmocka program's `[  PASSED  ] N test(s).`, `[  FAILED  ] N test(s)` and
    `[  SKIPPED ] N test(s)` lines;
  - `SKIP: <what>: <why>` lines anywhere in the output: the reasons.
A program ctest did not pass whose own counts show no failure (a crash, a time-out, a
sanitizer exit, a missing last line) counts as one failed check, so the sum never hides it;
so does a sanitizer report anywhere in a program's output, even one whose exit status was
read by nobody (GCC's UBSan, linked beside ASan, ignores log_path and writes to stderr).

Usage: ctest_summary.py LABEL=BUILD_DIR [LABEL=BUILD_DIR ...] [fail=REASON ...]
(fail=REASON: one more failed check from outside ctest, e.g. a sanitizer report in a log.)
Prints one line per run, every skip reason, then alone on the last line the sum over all
runs: `N passed, N failed, N skipped`. Exits 1 when anything failed or a log is missing.
"""

import os
import re
import sys

SUITE_LINE = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$")
CMOCKA = {"passed": re.compile(r"^\[  PASSED  \] (\d+) test\(s\)\."),
          "failed": re.compile(r"^\[  FAILED  \] (\d+) test\(s\)"),
          "skipped": re.compile(r"^\[  SKIPPED \] (\d+) test\(s\)")}
SANITIZER = re.compile(r"runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)|SUMMARY: UndefinedBehaviorSanitizer")
SECTION = re.compile(r"^\d+/\d+ Testing: (.+)$")


def sections(text):
    """(test name, its output, its status line) for every program in a LastTest.log."""
    name, out, status, collecting = None, [], None, False
    for line in text.splitlines():
        m = SECTION.match(line)
        if m:
            if name is not None:
                yield name, "\n".join(out), status
            name, out, status, collecting = m.group(1), [], None, False
        elif name is None:
            continue
        elif line == "Output:":
            collecting = True
        elif line == "<end of output>":
            collecting = False
        elif collecting:
            if line != "-" * 58 or out:
                out.append(line)
        elif line.startswith("Test ") and not line.startswith("Test time"):
            status = line
    if name is not None:
        yield name, "\n".join(out), status


def count(output):
    """(passed, failed, skipped) from a program's output, or None when it has no counts."""
    last = [ln.strip() for ln in output.splitlines() if ln.strip()]
    if last:
        m = SUITE_LINE.match(last[-1])
        if m:
            return tuple(int(g) for g in m.groups())
    got = {}
    for line in output.splitlines():
        for key, rx in CMOCKA.items():
            m = rx.match(line)
            if m:
                got[key] = int(m.group(1))
    if got:
        return got.get("passed", 0), got.get("failed", 0), got.get("skipped", 0)
    return None


def summarize(label, build):
    """Totals and skip reasons of one ctest run; (None, why) when its log is missing."""
    path = os.path.join(build, "Testing", "Temporary", "LastTest.log")
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError as e:
        return None, f"{label}: no ctest log ({e})"
    total, reasons, programs = [0, 0, 0], [], 0
    for name, output, status in sections(text):
        programs += 1
        counts = count(output)
        passed_run = status == "Test Passed."
        skipped_run = status is not None and "Skipped" in status
        if counts is None:
            counts = (1, 0, 0) if passed_run else (0, 0, 1) if skipped_run else (0, 1, 0)
            if not passed_run and not skipped_run:
                reasons.append(f"FAIL: {label} {name}: {status or 'no status'} with no count of its checks")
        elif not passed_run and not skipped_run and counts[1] == 0:
            counts = (counts[0], 1, counts[2])
            reasons.append(f"FAIL: {label} {name}: {status or 'no status'} although its checks passed "
                           "(a crash, time-out or sanitizer exit after them?)")
        reports = [line for line in output.splitlines() if SANITIZER.search(line)]
        if reports:
            counts = (counts[0], counts[1] + 1, counts[2])
            reasons.append(f"FAIL: {label} {name}: a sanitizer report in its output: {reports[0].strip()[:300]}")
        for i in range(3):
            total[i] += counts[i]
        for line in output.splitlines():
            if line.startswith("SKIP: "):
                reasons.append(f"SKIP: {label} {name}: {line[6:]}")
    return (total, programs), reasons


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    grand, missing = [0, 0, 0], False
    for arg in argv:
        label, _, build = arg.partition("=")
        if label == "fail":
            print(f"FAIL: {build}")
            grand[1] += 1
            continue
        result, reasons = summarize(label, build)
        if result is None:
            print(reasons)
            missing = True
            continue
        total, programs = result
        print(f"{label}: {programs} test programs; checks: {total[0]} passed, {total[1]} failed, "
              f"{total[2]} skipped")
        for r in reasons:
            print(r)
        for i in range(3):
            grand[i] += total[i]
    if missing:
        grand[1] += 1
    print(f"{grand[0]} passed, {grand[1]} failed, {grand[2]} skipped")
    return 1 if grand[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
