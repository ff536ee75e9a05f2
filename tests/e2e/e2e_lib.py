"""What the driver's end-to-end scripts share, on top of tests/lib/testkit.py (the tally and
the standard arguments). Not a test itself (no test_ prefix)."""

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
    return testkit.parse(testkit.arg_parser())
