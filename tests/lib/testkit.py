"""What every Python test suite shares: counting checks, skipping honestly, the sandbox probe.

A suite never decides to skip from mcpaudit's own failure (a broken tracer would then
skip, and ctest count the skip as a pass). It asks the independent probe
(tests/lib/sandbox_probe.py) and looks for the tools it drives. When something it needs is
missing:
  - under CI (CI=true, as `.ci/run` runs the suite) the suite FAILS, naming what is missing:
    CI installs everything (scripts/setup.sh) and runs as root, so a missing part there is
    breakage, never an excuse;
  - elsewhere it skips (ctest SKIP_RETURN_CODE 77) and says why.
Every suite ends with one line, alone and last: `N passed, N failed, N skipped`; a skip is
also printed as `SKIP: <what>: <why>` so that scripts/test.sh can list the reasons.

Import from a suite with:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    import testkit
"""

import argparse
import os
import shutil
import subprocess
import sys

EXIT_SKIP = 77
NOBODY = 65534
PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox_probe.py")


def in_ci():
    return os.environ.get("CI") == "true"


def summary_line(passed, failed, skipped):
    return f"{passed} passed, {failed} failed, {skipped} skipped"


class Tally:
    """Counts checks and skips; finish() prints the closing line and gives the exit code."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.reasons = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("ok - " if ok else "not ok - ") + what)
        return ok

    def skip(self, what, why):
        """A part that cannot run here: a failure under CI, a counted skip elsewhere."""
        if in_ci():
            self.failed += 1
            print(f"not ok - {what} # cannot run under CI=true: {why}")
            return
        self.skipped += 1
        self.reasons.append(f"{what}: {why}")
        print(f"ok - {what} # SKIP {why}")

    def finish(self, note=""):
        """Prints the skip reasons and the closing line; returns the suite's exit code."""
        return finish(self.passed, self.failed, self.skipped, self.reasons, note)


def finish(passed, failed, skipped, reasons=(), note=""):
    """Closing lines for suites that count on their own; returns the exit code: 1 on any
    failure, 77 when nothing ran but something was skipped, else 0."""
    for r in reasons:
        print(f"SKIP: {r}")
    if note:
        print(note)
    print(summary_line(passed, failed, skipped))
    if failed:
        return 1
    return EXIT_SKIP if skipped and not passed else 0


def cannot_run(why):
    """The whole suite cannot run: under CI a failure, elsewhere a skip; returns the exit code."""
    if in_ci():
        print(f"not ok - this suite cannot run under CI=true: {why}")
        return finish(0, 1, 0)
    return finish(0, 0, 1, [f"whole suite: {why}"])


def missing_tools(*tools):
    """Why the suite cannot run for want of a program (scripts/setup.sh installs them all), or None."""
    gone = [t for t in tools if not shutil.which(t)]
    return f"{', '.join(gone)} not installed (scripts/setup.sh installs it)" if gone else None


def nobody_python():
    """A python3 that nobody may run (a root-only pyenv shim is not)."""
    return shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin") or sys.executable


def nobody_prefix():
    """The command prefix that runs a program as nobody, or raises RuntimeError saying why not."""
    setpriv = shutil.which("setpriv")
    if not setpriv:
        raise RuntimeError("setpriv is not installed (util-linux)")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def sandbox_problem(rootless=False):
    """Why this machine cannot make the sandbox (as the caller, or with rootless=True as
    nobody, which needs root), or None when it can. Never runs mcpaudit."""
    cmd = [sys.executable, PROBE]
    if rootless:
        if os.geteuid() != 0:
            return "the rootless probe as nobody needs root to change user"
        try:
            cmd = nobody_prefix() + [nobody_python(), PROBE]
        except RuntimeError as e:
            return str(e)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd="/")
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"the sandbox probe did not run: {e}"
    if proc.returncode == 0:
        return None
    return (proc.stdout.strip() or proc.stderr.strip() or f"probe exited {proc.returncode}")[:400]


def as_root_and_rootless(res, work, check):
    """check(prefix, label) as the caller, then, as root, rootless as nobody (work opened
    to nobody first), or a skip saying why not."""
    check([], "")
    if os.geteuid() != 0:
        return
    why = sandbox_problem(rootless=True)
    if why:
        res.skip("rootless pass (as nobody)", why)
        return
    os.chmod(work, 0o777)
    check(nobody_prefix(), "rootless ")


def arg_parser():
    """The options every suite takes (--mcpaudit BIN --source SRCDIR --work DIR); a suite adds
    its own to the parser it gets."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcpaudit", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    return ap


def parse(ap):
    """The parsed options, with the binary, the source and the work folder made absolute and
    the work folder made."""
    args = ap.parse_args()
    for name in ("mcpaudit", "source", "work"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    os.makedirs(args.work, exist_ok=True)
    return args
