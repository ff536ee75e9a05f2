"""What the end-to-end scripts share: the ok/not ok tally and the standard arguments
(--mcpaudit BIN --source SRCDIR --work DIR). Not a test itself (no test_ prefix). The older
scripts still carry their own copies; new ones import this."""

import argparse
import os


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("ok - " if ok else "not ok - ") + what)

    def summary(self):
        """Print the tally; the script's exit code."""
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def parse_args():
    """--mcpaudit, --source and --work, made absolute; the work folder exists."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcpaudit", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    for name in ("mcpaudit", "source", "work"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    os.makedirs(args.work, exist_ok=True)
    return args
