#!/usr/bin/env python3
"""Feed `mcpaudit scan` hostile and broken input and check it never crashes, hangs or
skips silently.

Usage:
    python3 tests/badinput/test_badinput.py --mcpaudit BIN --source SRCDIR --work WORKDIR

Everything is generated at test time under WORKDIR (emptied first), never committed:
binary and NUL-laden files with source extensions, invalid UTF-8, a 10 MB single-line
minified file, expressions nested 100,000 deep in JavaScript and Python, symbolic link
loops and links out of the tree, an unreadable file, an empty folder, a path that does
not exist, a syntax error; and the hostile inputs of issue 13 (a parse that would take
minutes, a node too wide to match, the evaluator's memory cap, also swept over samples/
with MCPAUDIT_ARENA_CAP, and a client configuration without servers), each of which must
end within 20 s and name the budget it hit. Each case runs
`BIN scan --format json --output OUT PATH` under a timeout and checks:
- no crash: exit 0 or 1 (findings), or 2 with a message on stderr only where that is the
  documented answer (nothing could be checked: a missing path, nothing parsable);
  no sanitizer report on stderr;
- no hang: the timeout (60 s, 300 s for the 10 MB file under the sanitizers);
- the JSON parses and has the contract's lists;
- the bad file is named, with a reason, in `incomplete` (and, for unreadable content such
  as binary or NUL bytes, in an `unparsed-file` finding);
- what can still be found is found (the fetch inside the 10 MB line).

Prints `ok - ...` / `not ok - ...` per check and `N passed, N failed, N skipped`. Exit status
0 when all passed, 1 otherwise (also when the static stage has not been built yet).
Python 3 standard library only.
"""

import argparse
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

TIMEOUT = 60
BIG_TIMEOUT = 300
DEEP = 100000
BIG_BYTES = 10 * 1024 * 1024
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer", "Segmentation fault", "stack-overflow")
OK_HOST = "ok.example.net"   # the good file beside each bad one, so the run has work


class Tally(testkit.Tally):
    """Counts checks and prints them as they happen."""

    def check(self, ok, what, detail=None):
        super().check(ok, what)
        if not ok:
            for line in str(detail or "").splitlines()[:40]:
                print("#   " + line)
        sys.stdout.flush()
        return ok

    def skip(self, what, why):
        super().skip(what, why)
        sys.stdout.flush()


# ---- Generating the inputs ----

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def good_file(folder):
    """A plain, valid server file: the run always has something it can check."""
    write(os.path.join(folder, "ok.js"), 'fetch("https://%s/ping");\n' % OK_HOST)


def minified_line():
    """About 10 MB of valid JavaScript on one line, with one real fetch in the middle."""
    parts = []
    size = 0
    i = 0
    while size < BIG_BYTES // 2:
        p = '{"id":%d,"name":"item%d","tags":["a","b"],"v":%d},' % (i, i, i * 7 % 1000)
        parts.append(p)
        size += len(p)
        i += 1
    half = "".join(parts).rstrip(",")
    line = ("var D=[%s];function g(u){return fetch(u)}fetch(\"https://t.example.net/x\");"
            "var E=[%s];g(D.length+E.length);" % (half, half))
    return line.encode("ascii")


def deep_js():
    """Three ways to nest 100,000 deep, each after a call that must still be found."""
    n = DEEP
    return {
        "deep_parens.js": 'fetch("https://d1.example.net/");\nvar x = %s1%s;\n'
                          % ("(" * n, ")" * n),
        "deep_plus.js": 'fetch("https://d2.example.net/");\nvar a = 1;\nvar y = %sa%s;\n'
                        % ("a+(" * n, ")" * n),
        "deep_array.js": 'fetch("https://d3.example.net/");\nvar z = %s%s;\n'
                         % ("[" * n, "]" * n),
        "deep_url.js": 'fetch("https://d4.example.net/" + %s"x"%s);\n'
                       % ('("a" + ' * n, ")" * n),
    }


def deep_py():
    n = DEEP
    return ('import urllib.request\nurllib.request.urlopen("https://p.example.net/")\n'
            'x = %s1%s\n' % ("(" * n, ")" * n))


def make_unreadable(path):
    write(path, 'fetch("https://hidden.example.net/");\n')
    os.chmod(path, 0)


# ---- Running the scanner ----

class Run:
    def __init__(self, code, stdout, stderr, report, timed_out, seconds_allowed):
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.report = report          # parsed JSON, or None
        self.report_error = None
        self.timed_out = timed_out
        self.seconds_allowed = seconds_allowed


def scan(binary, path, out, timeout, extra=(), prefix=(), env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    # A sanitizer report must not look like "exit 1: findings".
    env.setdefault("ASAN_OPTIONS", "exitcode=86")
    env.setdefault("UBSAN_OPTIONS", "exitcode=86:print_stacktrace=1")
    if os.path.exists(out):
        os.unlink(out)
    cmd = list(prefix) + [binary, "scan", "--format", "json", "--output", out] + list(extra) + [path]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    try:
        so, se = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        so, se = proc.communicate()
        timed_out = True
    run = Run(proc.returncode, so.decode("utf-8", "replace"), se.decode("utf-8", "replace"),
              None, timed_out, timeout)
    if os.path.exists(out):
        try:
            with open(out, "rb") as f:
                run.report = json.loads(f.read().decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            run.report_error = "%s: %s" % (out, e)
    else:
        run.report_error = "%s was not written" % out
    return run


def describe(run):
    return "exit %s%s\nstderr:\n%s" % (run.code, " (timed out)" if run.timed_out else "",
                                       run.stderr[-3000:])


def crashed(run):
    """Why the run counts as a crash or hang, or None."""
    if run.timed_out:
        return "no answer within %d s (hang?)" % run.seconds_allowed
    if run.code is None or run.code < 0:
        return "killed by signal %d" % -(run.code or 0)
    if any(m in run.stderr for m in SANITIZER_MARKS):
        return "sanitizer or crash report on stderr"
    if run.code not in (0, 1, 2):
        return "unexpected exit code %d" % run.code
    return None


# ---- Reading the report ----

def file_matches(entry_file, name):
    """A report path names the file: equal, or ends with /name."""
    return bool(entry_file) and (entry_file == name or entry_file.endswith("/" + name))


def incomplete_for(report, name):
    return [i for i in report.get("incomplete") or []
            if file_matches(i.get("file"), name) and i.get("reason")]


def findings_for(report, name, rule=None):
    return [f for f in report.get("findings") or []
            if file_matches(f.get("file"), name) and (rule is None or f.get("rule_id") == rule)]


def endpoint_hosts(report):
    return {e.get("host") for e in report.get("endpoints") or []}


def contract_ok(report):
    """The lists every JSON report must carry."""
    missing = [k for k in ("incomplete", "findings", "endpoints")
               if not isinstance(report.get(k), list)]
    return None if not missing else "missing or not a list: " + ", ".join(missing)


# ---- The checks ----

class Checker:
    def __init__(self, args, tally):
        self.bin = args.mcpaudit
        self.work = args.work
        self.tally = tally
        self.source = args.source
        self.n = 0

    def run(self, label, path, timeout=TIMEOUT, extra=(), prefix=(), env_extra=None):
        self.n += 1
        out = os.path.join(self.work, "reports", "%02d.json" % self.n)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        return scan(self.bin, path, out, timeout, extra, prefix, env_extra)

    def no_crash(self, label, run):
        why = crashed(run)
        return self.tally.check(why is None, "%s: no crash, no hang" % label,
                                None if why is None else why + "\n" + describe(run))

    def report_ok(self, label, run, allow_error=False):
        """Exit 0/1 with a valid JSON report (or 2 when allow_error)."""
        codes = (0, 1, 2) if allow_error else (0, 1)
        if not self.tally.check(run.code in codes, "%s: exit code in %s" % (label, codes),
                                describe(run)):
            return False
        if run.report is None:
            return self.tally.check(False, "%s: JSON report parses" % label, run.report_error)
        bad = contract_ok(run.report)
        return self.tally.check(bad is None, "%s: JSON report parses and has its lists" % label,
                                bad)

    def scanned(self, label, path, timeout=TIMEOUT, allow_error=False, prefix=()):
        """Run, and check crash + report. Returns the run when the report can be read."""
        run = self.run(label, path, timeout, prefix=prefix)
        if not self.no_crash(label, run) or not self.report_ok(label, run, allow_error):
            return None
        return run

    def named_incomplete(self, label, run, name, words=()):
        entries = incomplete_for(run.report, name)
        ok = bool(entries) and all(any(w.lower() in e["reason"].lower() for e in entries)
                                   for w in words)
        return self.tally.check(ok, "%s: %s listed in incomplete%s" % (
            label, name, " (%s)" % ", ".join(words) if words else ""),
            "incomplete: %s" % json.dumps(run.report.get("incomplete"), indent=1)[:2000])

    def named_unparsed(self, label, run, name):
        ok = bool(findings_for(run.report, name, "unparsed-file"))
        return self.tally.check(ok, "%s: unparsed-file finding for %s" % (label, name),
                                "findings for it: %s" % json.dumps(findings_for(run.report, name)))

    def named_anywhere(self, label, run, name):
        """In incomplete or in an unparsed-file finding: the report says it was not all read."""
        ok = bool(incomplete_for(run.report, name) or findings_for(run.report, name,
                                                                   "unparsed-file"))
        return self.tally.check(ok, "%s: %s named in incomplete or an unparsed-file finding"
                                % (label, name),
                                "incomplete: %s" % json.dumps(run.report.get("incomplete"))[:2000])

    def host_found(self, label, run, host):
        hosts = endpoint_hosts(run.report)
        return self.tally.check(host in hosts, "%s: endpoint %s still found" % (label, host),
                                "endpoints: %s" % sorted(h for h in hosts if h))

    def found_or_named(self, label, run, host, name):
        """Either the file was analysed (its call found) or the report says it was not."""
        ok = host in endpoint_hosts(run.report) or bool(incomplete_for(run.report, name))
        return self.tally.check(ok, "%s: %s found, or %s listed in incomplete"
                                % (label, host, name),
                                "endpoints: %s\nincomplete: %s" % (
                                    sorted(h for h in endpoint_hosts(run.report) if h),
                                    json.dumps(run.report.get("incomplete"))[:2000]))

    def error_exit(self, label, run, name):
        """Exit 2 with a message on stderr naming the path, or a report naming it."""
        if run.code == 2:
            return self.tally.check(name in run.stderr and run.stderr.strip() != "",
                                    "%s: exit 2 with a message naming %s" % (label, name),
                                    describe(run))
        if run.report is None:
            return self.tally.check(False, "%s: exit 2, or a JSON report" % label, describe(run))
        return self.named_anywhere(label, run, name)


def case_folder(work, name):
    return os.path.join(work, "cases", name)


def check_binary(c):
    d = case_folder(c.work, "binary")
    good_file(d)
    blob = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 64
    write(os.path.join(d, "blob.js"), blob)
    run = c.scanned("binary .js", d)
    if run:
        c.named_incomplete("binary .js", run, "blob.js", ("binary",))
        c.named_unparsed("binary .js", run, "blob.js")
        c.host_found("binary .js", run, OK_HOST)
    # Nothing parsable at all: fail closed (exit 2) or say so in the report.
    only = case_folder(c.work, "binary-only")
    write(os.path.join(only, "blob.js"), blob)
    run = c.run("only a binary .js", only)
    if c.no_crash("only a binary .js", run):
        c.tally.check(run.code in (0, 1, 2), "only a binary .js: exit code in (0, 1, 2)",
                      describe(run))
        c.error_exit("only a binary .js", run, "blob.js")


def check_nul(c):
    d = case_folder(c.work, "nul")
    good_file(d)
    write(os.path.join(d, "nul.ts"),
          b'const a: string = "x";\x00\x00\x00\nfetch("https://n.example.net/");\n')
    run = c.scanned("NUL bytes in .ts", d)
    if run:
        c.named_incomplete("NUL bytes in .ts", run, "nul.ts", ("NUL",))
        c.named_unparsed("NUL bytes in .ts", run, "nul.ts")


def check_bad_utf8(c):
    d = case_folder(c.work, "utf8")
    good_file(d)
    write(os.path.join(d, "latin1.py"),
          b'# -*- coding: latin-1 -*-\n# caf\xe9 cr\xe8me \xff\xfe\n'
          b'import urllib.request\nurllib.request.urlopen("https://u.example.net/")\n'
          b'x = "\xc0\xaf overlong \xed\xa0\x80 surrogate"\n')
    run = c.scanned("invalid UTF-8 in .py", d)
    if run:
        c.named_anywhere("invalid UTF-8 in .py", run, "latin1.py")
        c.host_found("invalid UTF-8 in .py", run, "u.example.net")


def check_minified(c):
    d = case_folder(c.work, "minified")
    write(os.path.join(d, "bundle.min.js"), minified_line())
    run = c.scanned("10 MB single-line .js", d, timeout=BIG_TIMEOUT)
    if run:
        c.host_found("10 MB single-line .js", run, "t.example.net")
        noisy = [f for f in findings_for(run.report, "bundle.min.js")
                 if f.get("rule_id") in ("obfuscated-destination", "dynamic-code-execution")]
        c.tally.check(not noisy, "10 MB single-line .js: no obfuscation noise",
                      json.dumps(noisy)[:2000])


def check_deep(c):
    # One folder per file, so a slow or crashing one is named by its own check.
    files = deep_js()
    files["deep.py"] = deep_py()
    for name in sorted(files):
        d = case_folder(c.work, "deep-" + name.replace(".", "-"))
        good_file(d)
        write(os.path.join(d, name), files[name])
        label = "nested 100,000 deep (%s)" % name
        run = c.scanned(label, d)
        if run:
            host = files[name].split("https://", 1)[1].split("/", 1)[0]
            c.found_or_named(label, run, host, name)


def check_links(c):
    d = case_folder(c.work, "links")
    good_file(d)
    os.makedirs(os.path.join(d, "sub"))
    os.symlink(".", os.path.join(d, "loop"))
    os.symlink("..", os.path.join(d, "sub", "up"))
    os.symlink("/etc", os.path.join(d, "etc"))
    os.symlink("/etc/passwd", os.path.join(d, "passwd.js"))
    os.symlink("self.js", os.path.join(d, "self.js"))
    run = c.scanned("symbolic link loops and links out", d)
    if not run:
        return
    for name, words in (("loop", ("loop",)), ("sub/up", ("loop",)), ("etc", ()),
                        ("passwd.js", ()), ("self.js", ())):
        c.named_incomplete("links", run, name, words)
    outside = [e for ep in run.report.get("endpoints") or [] for e in ep.get("evidence") or []
               if (e.get("file") or "").startswith(("etc/", "/etc"))]
    c.tally.check(not outside, "links: nothing under /etc was scanned", json.dumps(outside)[:2000])
    c.host_found("links", run, OK_HOST)


def check_unreadable(c):
    # Permission bits do not stop root: as root the scan runs without the two capabilities
    # that bypass them (once this case was skipped as root, that is on every CI run).
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            c.tally.skip("unreadable file", "running as root and setpriv (util-linux) is not installed")
            return
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    d = case_folder(c.work, "unreadable")
    good_file(d)
    make_unreadable(os.path.join(d, "secret.js"))
    run = c.scanned("unreadable file", d, prefix=prefix)
    if run:
        c.named_incomplete("unreadable file", run, "secret.js", ("permission",))


def check_empty(c):
    d = case_folder(c.work, "with-empty")
    good_file(d)
    os.makedirs(os.path.join(d, "empty"))
    run = c.scanned("empty folder inside a tree", d)
    if run:
        c.host_found("empty folder inside a tree", run, OK_HOST)
    d = case_folder(c.work, "empty")
    os.makedirs(d)
    run = c.run("empty folder", d)
    if c.no_crash("empty folder", run):
        ok = run.code == 2 and run.stderr.strip() != ""
        if not ok and run.code in (0, 1) and run.report:
            # Accepted only when the report says nothing was scanned and why.
            target = run.report.get("target") or {}
            scanned = target.get("files_parsed", target.get("files_scanned"))
            ok = scanned == 0 and bool(run.report.get("incomplete"))
        c.tally.check(ok, "empty folder: exit 2 with a message, or a report saying nothing "
                      "was scanned", describe(run))


def check_missing(c):
    path = os.path.join(c.work, "cases", "does-not-exist")
    run = c.run("path that does not exist", path)
    if c.no_crash("path that does not exist", run):
        c.tally.check(run.code == 2, "path that does not exist: exit 2", describe(run))
        c.tally.check("does-not-exist" in run.stderr,
                      "path that does not exist: stderr names it", describe(run))


def check_syntax_error(c):
    d = case_folder(c.work, "syntax")
    good_file(d)
    write(os.path.join(d, "broken.js"),
          'fetch("https://s.example.net/");\nfunction ( { if ) ] = => ;\nvar = "unclosed\n')
    write(os.path.join(d, "broken.py"), 'def f(:\n    return [1, 2\nclass\n')
    run = c.scanned("syntax errors", d)
    if run:
        c.named_anywhere("syntax errors", run, "broken.js")
        c.named_anywhere("syntax errors", run, "broken.py")
        c.host_found("syntax errors", run, OK_HOST)


def check_resolver_bound(c):
    """A destination built by a chain longer than the resolver follows is partly known, and
    the file says so, at the call; a bound hit on a value no call needs (a loop accumulator)
    does not make a file incomplete."""
    d = case_folder(c.work, "bound")
    good_file(d)
    chain = ["let a0 = 'https://deep.example.com/';"] + ["let a%d = a%d + 'x';" % (i, i - 1) for i in range(1, 80)]
    write(os.path.join(d, "chain.js"), "\n".join(chain + ["fetch(a79);", ""]))
    write(os.path.join(d, "loop.js"),
          "let buffer = '';\nprocess.stdin.on('data', (c) => { buffer += c.toString();"
          " const f = buffer.split('\\n'); buffer = f.pop(); });\n"
          "fetch('https://api.example.com/' + 'v1');\n")
    run = c.scanned("resolver bound", d)
    if run:
        inc = incomplete_for(run.report, "chain.js")
        c.tally.check(any("line 81" in e["reason"] for e in inc), "resolver bound: chain.js incomplete at the call (line 81)",
                      str(inc))
        c.tally.check(not incomplete_for(run.report, "loop.js"), "resolver bound: loop.js is complete",
                      str(incomplete_for(run.report, "loop.js")))
        c.host_found("resolver bound", run, "api.example.com")


# ---- Hostile inputs that hung or crashed the static stage (issue 13) ----
#
# Each failed before the budgets and checks in analyzer/budget.c, analyzer/wide.c and the
# arena's failure flag: checked by running this file against a build of the commit before
# them (b7a3d2a): the arrows took 90 s and the wide nodes 95 s (killed at HOSTILE_BOUND,
# "no hang" failed), the template literal crashed with SIGSEGV, and nothing named a budget.
# The bound is generous so that a loaded machine does not make the test flaky; the time
# is printed, and the real speed targets belong in bench/.

HOSTILE_BOUND = 20
HOSTILE_BOUND_SANITIZED = 60   # the budgets are CPU time, three times larger under ASan


def sanitized(binary):
    """Whether the binary was built with AddressSanitizer (it runs several times slower)."""
    try:
        with open(binary, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False
ARROWS = 60000
WIDE_RUN = 150000
SUBSTITUTIONS = 5000


def hostile_scan(c, label, folder, name, words, host=OK_HOST):
    """Scan with one thread; check the time bound, the exit code, that `incomplete` names
    the file with the budget's words, and that the rest of the package was scanned."""
    bound = HOSTILE_BOUND_SANITIZED if sanitized(c.bin) else HOSTILE_BOUND
    started = time.monotonic()
    run = c.run(label, folder, timeout=bound, extra=("-j", "1"))
    elapsed = time.monotonic() - started
    print("# %s: %.2f s" % (label, elapsed))
    if not c.no_crash(label, run) or not c.report_ok(label, run):
        return None
    c.tally.check(elapsed < bound, "%s: ends within %d s (took %.2f s)" % (label, bound, elapsed))
    c.named_incomplete(label, run, name, words)
    c.host_found(label, run, host)
    return run


def check_parse_budget(c):
    """A syntax error, then arrow functions nested 60,000 deep: tree-sitter's error
    recovery is quadratic there (90 s). The parse budget stops it."""
    d = case_folder(c.work, "parse-budget")
    good_file(d)
    write(os.path.join(d, "arrows.js"), "({ a: 1, b(c): 1,\nx = " + "() => " * ARROWS + "1\n")
    run = hostile_scan(c, "nested arrows after a syntax error", d, "arrows.js", ("parse budget", " s "))
    if run:
        c.named_unparsed("nested arrows after a syntax error", run, "arrows.js")


def check_wide_nodes(c):
    """One node with 150,000 unnamed children: an unterminated template literal or string
    followed by '{' (an ERROR node), or valid JavaScript, an array of 150,000 holes. Query
    matching looks ahead from each child to the next named sibling: quadratic (95 s)."""
    cases = (("wide.js", "x = `" + "{" * WIDE_RUN + "\n"),
             ("wide.py", 'x = "' + "{" * WIDE_RUN + "\n"),
             ("holes.js", "const a = [" + "," * WIDE_RUN + "];\n"))
    for name, text in cases:
        d = case_folder(c.work, "wide-" + name.replace(".", "-"))
        good_file(d)
        write(os.path.join(d, name), text)
        hostile_scan(c, "one node with %d unnamed children (%s)" % (WIDE_RUN, name), d, name,
                     ("wide node", "cost cap"))


def check_arena_cap(c):
    """5,000 substitutions of an imported name in a template literal filled the file's
    256 MiB arena; the failed allocation was dereferenced (SIGSEGV). Then the same failure
    at every allocation site: MCPAUDIT_ARENA_CAP lowers the cap for samples that use
    imports, decoders, code strings and several modules."""
    d = case_folder(c.work, "arena-cap")
    good_file(d)
    write(os.path.join(d, "m.js"), "export const u = 'seg';\n")
    write(os.path.join(d, "t.js"), "import { u } from './m.js';\nconst t = `https://h.example.com/"
          + "${u}/" * SUBSTITUTIONS + "`;\nfetch(t);\n")
    hostile_scan(c, "template literal with %d imported substitutions" % SUBSTITUTIONS, d, "t.js",
                 ("memory cap", "256 MiB"))
    samples = os.path.join(c.source, "samples")
    for sample in ARENA_SWEEP_SAMPLES:
        path = os.path.join(samples, sample)
        if not os.path.isdir(path):
            c.tally.check(False, "arena sweep: sample %s exists" % sample)
            continue
        for cap in ARENA_SWEEP_CAPS:
            label = "arena capped at %d bytes (%s)" % (cap, sample)
            run = c.run(label, path, extra=("-j", "1"), env_extra={"MCPAUDIT_ARENA_CAP": str(cap)})
            if c.no_crash(label, run) and c.report_ok(label, run) and cap <= 4096:
                c.tally.check(any("memory cap" in i.get("reason", "") for i in run.report["incomplete"]),
                              "%s: the memory cap is in incomplete" % label,
                              json.dumps(run.report["incomplete"])[:2000])


ARENA_SWEEP_CAPS = (600, 4096, 32768, 262144)
ARENA_SWEEP_SAMPLES = ("08-esm-imports-js", "12-obfuscated-urls-js", "13-dynamic-code-js",
                       "20-multi-module-ts", "25-obfuscated-urls-py", "26-dynamic-code-py")


def check_empty_client_config(c):
    """A client configuration with no servers printed a note, wrote no report and exited 0:
    a pass. Nothing to audit is exit 2 with a message naming the file, and no -o file."""
    for rel, text in (("claude_desktop_config.json", '{"mcpServers": {}}\n'),
                      (os.path.join(".vscode", "mcp.json"), '{"servers": {}}\n')):
        d = case_folder(c.work, "empty-config-" + rel.replace("/", "-").replace(".", ""))
        path = os.path.join(d, rel)
        write(path, text)
        out = os.path.join(d, "report.json")
        label = "client configuration without servers (%s)" % rel
        proc = subprocess.run([c.bin, "audit", "--static-only", "-o", out, path], capture_output=True,
                              timeout=TIMEOUT)
        err = proc.stderr.decode("utf-8", "replace")
        c.tally.check(proc.returncode == 2, "%s: exit 2" % label, "exit %d\n%s" % (proc.returncode, err))
        c.tally.check(rel in err and "nothing to audit" in err, "%s: stderr names the file" % label, err)
        c.tally.check(not os.path.exists(out) or os.path.getsize(out) == 0,
                      "%s: no report that could pass for a clean one" % label)


def check_skipped_by_design(c):
    """Declaration files and source maps hold no code that runs: never parsed, but counted
    and named in the report (target.skipped_by_design, the text summary), never dropped
    silently. Failed before issue 10 item 2 (checked on the old binary: the files were left
    out of the walk with no trace, so the listing checks failed; the endpoint checks held)."""
    d = case_folder(c.work, "by-design")
    good_file(d)
    write(os.path.join(d, "types", "api.d.ts"),
          '/** @see https://dts.example.net/docs */\n'
          'export declare const BASE = "https://dts.example.net/v1";\n'
          'export declare function call(u: string): Promise<Response>;\n')
    write(os.path.join(d, "lib", "mod.d.mts"), 'export declare const U: "https://dmts.example.net/";\n')
    write(os.path.join(d, "lib", "mod.D.CTS"), 'export declare const U: "https://dcts.example.net/";\n')
    write(os.path.join(d, "ok.js.map"), json.dumps({
        "version": 3, "file": "ok.js", "sources": ["ok.ts"], "mappings": "AAAA",
        "sourcesContent": ['fetch("https://map.example.net/x");\n']}))
    run = c.scanned("declaration files and source maps", d)
    if not run:
        return
    label = "declaration files and source maps"
    hosts = endpoint_hosts(run.report)
    urls = {u.get("url") for u in run.report.get("url_strings") or []}
    for h in ("dts.example.net", "dmts.example.net", "dcts.example.net", "map.example.net"):
        c.tally.check(h not in hosts and not any(h in (u or "") for u in urls),
                      "%s: no endpoint or URL string for %s" % (label, h), json.dumps(sorted(hosts)))
    c.host_found(label, run, OK_HOST)
    listed = {(e.get("file"), e.get("reason")) for e in
              (run.report.get("target") or {}).get("skipped_by_design") or []}
    want = {"types/api.d.ts": "declaration", "lib/mod.d.mts": "declaration",
            "lib/mod.D.CTS": "declaration", "ok.js.map": "source map"}
    for f, word in want.items():
        c.tally.check(any(lf == f and word in (why or "") for lf, why in listed),
                      "%s: %s listed as skipped by design (%s)" % (label, f, word), repr(sorted(listed)))
    c.tally.check(len(listed) == len(want), "%s: nothing else listed as skipped by design" % label,
                  repr(sorted(listed)))
    c.tally.check(not incomplete_for(run.report, "api.d.ts"),
                  "%s: a file skipped by design is not an incomplete entry" % label)
    proc = subprocess.run([c.bin, "scan", d], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    text = proc.stdout.decode("utf-8", "replace")
    c.tally.check("4 skipped by design" in text, "%s: the text summary counts them" % label, text[:2000])


CASES = (check_binary, check_nul, check_bad_utf8, check_minified, check_deep, check_links,
         check_unreadable, check_empty, check_missing, check_syntax_error, check_resolver_bound,
         check_parse_budget, check_wide_nodes, check_arena_cap, check_empty_client_config,
         check_skipped_by_design)


def clean(work):
    """Empty WORKDIR, even where a previous run left unreadable files."""
    if not os.path.lexists(work):
        return
    for top, dirs, files in os.walk(work):
        for name in dirs + files:
            p = os.path.join(top, name)
            if not os.path.islink(p):
                os.chmod(p, stat.S_IRWXU)
    shutil.rmtree(work)


def analyzer_present(c):
    """False when the binary answers that the static stage is not built yet."""
    d = case_folder(c.work, "probe")
    good_file(d)
    run = c.run("probe", d)
    if run.code == 2 and "static stage not built yet" in run.stderr:
        return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mcpaudit", required=True)
    ap.add_argument("--source", required=True, help="the source tree (its samples/ for the arena sweep)")
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    clean(args.work)
    os.makedirs(args.work)
    tally = Tally()
    c = Checker(args, tally)
    if not analyzer_present(c):
        tally.check(False, "static stage is built",
                    "mcpaudit says: static stage not built yet (the analyzer has not landed)")
        return tally.finish()
    for case in CASES:
        case(c)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
