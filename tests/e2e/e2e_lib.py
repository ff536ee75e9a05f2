"""What the end-to-end scripts share: the ok/not ok tally and the standard arguments
(--mcpaudit BIN --source SRCDIR --work DIR). Not a test itself (no test_ prefix). The older
scripts still carry their own copies; new ones import this."""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402


class Results(testkit.Tally):
    def summary(self):
        """Print the closing line; the script's exit code."""
        return self.finish()


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
