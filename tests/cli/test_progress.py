#!/usr/bin/env python3
"""Progress on a terminal (issue 12): `scan` shows files done and files/s, `trace` its phase,
as one status line on stderr redrawn in place (carriage return, erase to the end of the
line) at most ten times a second, and erased at the end; never when stderr is a pipe or a
file, never under --quiet.

  python3 tests/cli/test_progress.py --mcpaudit BIN --source SRCDIR --work WORKDIR

stderr is a real pseudo-terminal (Python's pty module); the scan reads a generated tree big
enough to last over a tenth of a second. Checked to fail before the change by running it
with the binary built from main before it: nothing was drawn on the terminal.
"""
import os
import pty
import re
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

FILES = 1500


def make_tree(work):
    root = os.path.join(work, "many")
    if os.path.isdir(root) and len(os.listdir(root)) >= FILES:
        return root
    os.makedirs(root, exist_ok=True)
    for i in range(FILES):
        with open(os.path.join(root, f"m{i}.js"), "w") as fh:
            fh.write(f"const u = 'https://api{i}.example.com/v1';\n"
                     f"export async function f{i}(x) {{ return fetch(u + '/' + x); }}\n" * 20)
    return root


def on_pty(cmd, cwd=None):
    """Run cmd with stderr on a new pseudo-terminal and stdout to a pipe: (exit code,
    stderr bytes, stdout text, seconds)."""
    master, slave = pty.openpty()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    got = b""
    out = b""
    open_fds = [master, proc.stdout.fileno()]
    while open_fds and time.monotonic() - t0 < 180:
        ready, _, _ = select.select(open_fds, [], [], 0.5)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's last writer is gone
                chunk = b""
            if not chunk:
                open_fds.remove(fd)
            elif fd == master:
                got += chunk
            else:
                out += chunk
    if open_fds:
        proc.kill()
    os.close(master)
    return proc.wait(), got, out.decode(errors="replace"), time.monotonic() - t0


def status_lines(stderr, prefix):
    """The status lines drawn: each "\\r<text>\\x1b[K"."""
    return re.findall(rb"\r(" + re.escape(prefix) + rb"[^\r\x1b]*)\x1b\[K", stderr)


def check_scan(res, args):
    tree = make_tree(args.work)
    code, err, out, secs = on_pty([args.mcpaudit, "scan", "--jobs", "1", "--format", "json", tree])
    lines = status_lines(err, b"mcpaudit: scan: ")
    res.check(code in (0, 1) and out.lstrip().startswith("{"), f"scan on a terminal ran (exit {code}), the report on stdout")
    res.check(len(lines) >= 1 and all(re.match(rb"mcpaudit: scan: \d+/%d files, \d+ files/s$" % FILES, x) for x in lines),
              f"scan: files done and files/s on the terminal ({lines[:3]})")
    res.check(len(lines) <= secs * 10 + 2, f"scan: at most ten redraws a second ({len(lines)} in {secs:.1f} s)")
    res.check(err.endswith(b"\r\x1b[K"), f"scan: the line is erased at the end ({err[-40:]!r})")
    res.check(b"mcpaudit: scan:" not in out.encode(), "scan: nothing of it in stdout")
    code, err, out, _ = on_pty([args.mcpaudit, "scan", "--jobs", "1", "--quiet", "--format", "json", tree])
    res.check(b"mcpaudit: scan:" not in err, f"scan --quiet: no status line ({err[:80]!r})")
    proc = subprocess.run([args.mcpaudit, "scan", "--jobs", "1", "--format", "json", tree], capture_output=True, timeout=180)
    res.check(b"mcpaudit: scan:" not in proc.stderr and b"\x1b" not in proc.stderr,
              f"scan with stderr in a pipe: no status line ({proc.stderr[:80]!r})")


def check_trace(res, args):
    why = testkit.missing_tools("node") or testkit.sandbox_problem()
    if why:
        res.skip("trace progress", why)
        return
    sample = os.path.join(args.source, "samples", "02-weather-js")
    cmd = [args.mcpaudit, "trace", "--format", "json", "--quiet-period", "1", "--root",
           os.path.join(args.source, "samples"), "--", "node", "index.js"]
    code, err, out, _ = on_pty(cmd, cwd=sample)
    lines = status_lines(err, b"mcpaudit: trace: ")
    res.check(code in (0, 1), f"trace on a terminal ran (exit {code}) {err[-200:]!r}")
    res.check(any(x.startswith(b"mcpaudit: trace: tools/call ") or x.startswith(b"mcpaudit: trace: idle")
                  for x in lines), f"trace: its phase on the terminal ({lines[:4]})")
    res.check(err.endswith(b"\r\x1b[K"), f"trace: the line is erased at the end ({err[-40:]!r})")
    proc = subprocess.run(cmd, cwd=sample, capture_output=True, timeout=180)
    res.check(b"mcpaudit: trace:" not in proc.stderr and b"\x1b" not in proc.stderr,
              f"trace with stderr in a pipe: no status line ({proc.stderr[:80]!r})")


def main():
    args = testkit.parse(testkit.arg_parser())
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    res = testkit.Tally()
    check_scan(res, args)
    check_trace(res, args)
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
