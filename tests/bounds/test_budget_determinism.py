#!/usr/bin/env python3
"""The static stage's work budgets are counts, not time (issue 10): one input gives the same
report on any machine and under any load.

Usage:
    python3 tests/bounds/test_budget_determinism.py --mcpaudit BIN --source SRCDIR --work WORKDIR

MCPAUDIT_WORK_BUDGET sets a tiny allowance for parsing and query matching (analyzer/budget.h).
A copy of samples/17-minified-bundle-js and samples/02-weather-js is scanned with it twice:
once on an idle machine and once with a busy loop on every core; the two JSON reports must be
byte-identical but for `duration_seconds` (the run's wall-clock time, the one field that
measures time: docs/report-format.md) and name the query budget (a count, not seconds) for the same file and line.
With the ordinary allowance the same files scan with no budget entry at all.

Failed before the budgets were counted (checked at 57c753c, /work/wt-base/build/mcpaudit:
MCPAUDIT_WORK_BUDGET did not exist, so no budget entry was there to compare, and the budget
was CPU time, which a slower or busier machine reaches at another line).

Python 3 standard library only.
"""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

SAMPLES = ("17-minified-bundle-js", "02-weather-js")
TINY = "20"
BUSY = "while True:\n    pass\n"


def scan(args, folder, out, budget):
    env = dict(os.environ)
    env.pop("MCPAUDIT_WORK_BUDGET", None)
    if budget:
        env["MCPAUDIT_WORK_BUDGET"] = budget
    p = subprocess.run([args.mcpaudit, "scan", "--format", "json", "--output", out, folder],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)
    with open(out, "rb") as f:
        return p.returncode, re.sub(rb'"duration_seconds":\s*[0-9.e+-]+', b'"duration_seconds": 0', f.read())


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    folder = os.path.join(args.work, "tree")
    shutil.rmtree(folder, ignore_errors=True)
    for name in SAMPLES:
        shutil.copytree(os.path.join(args.source, "samples", name), os.path.join(folder, name))
    idle = scan(args, folder, os.path.join(args.work, "idle.json"), TINY)
    busy_procs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(os.cpu_count() or 2)]
    try:
        loaded = scan(args, folder, os.path.join(args.work, "loaded.json"), TINY)
    finally:
        for p in busy_procs:
            p.kill()
            p.wait()
    t.check(idle[0] in (0, 1) and idle[0] == loaded[0], f"both scans ran ({idle[0]}, {loaded[0]})")
    t.check(idle[1] == loaded[1], "idle and loaded reports are byte-identical")
    text = idle[1].decode("utf-8", "replace")
    t.check("the query budget (20 units of work) ran out at line" in text,
            "the tiny budget is named as a count with its line")
    t.check("CPU time" not in text, "no time ceiling was what stopped the work")
    ordinary = scan(args, folder, os.path.join(args.work, "ordinary.json"), None)[1].decode("utf-8", "replace")
    t.check("units of work" not in ordinary and "time ceiling" not in ordinary,
            "the ordinary allowance leaves these files whole")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
