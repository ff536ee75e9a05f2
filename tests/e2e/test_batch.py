#!/usr/bin/env python3
"""End to end: `mcpaudit batch` over a list of sample folders and one target that cannot
be audited (a folder that does not exist), with the real `mcpaudit audit` in each child.

Checks (docs/batch.md):
- one report folder per target, with every format and stderr.log; summary.jsonl has one
  valid line per target with the fields of the contract and the verdict the audit gave
  (the clean calculator passes, the start-up telemetry and obfuscated-URL samples do not);
  the broken target has an error, did not stop the others, and the exit code is 2;
- a repeated line is audited once; the progress on stderr has the done/total form;
- a rerun skips the done targets (their reports are not rewritten) and adds a line only
  for the errored one; once it can be audited, the exit code follows the verdicts; a torn
  last line is ignored with a warning naming its line;
- --jobs 2 gives the same verdicts; a list on standard input whose targets all pass exits
  with 0; --shard 0/2 and 1/2 (the second through
  JOB_COMPLETION_INDEX) cover the list exactly once, into one folder;
- GNU parallel running the two shards at once into one folder (skipped without parallel);
- the dynamic stage (no --static-only) on a self-contained copy of the clean calculator:
  a --target-timeout that kills the audit's whole process tree, SIGINT that stops the
  batch with exit 2 and leaves nothing running and no line, and the rerun that resumes and
  passes.

Usage: test_batch.py --mcpaudit BIN --source SRCDIR --work DIR
Whether the sandbox can run is decided by tests/lib/sandbox_probe.py, never by mcpaudit's
own failure. A part that cannot run here (no sandbox, no node, no GNU parallel) fails under
CI=true and is a counted skip, with its reason, elsewhere. Last line: `N passed, N failed,
N skipped`.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

# sample -> (the static audit's verdict, a host its reasons must name)
SAMPLES = {
    "01-clean-calculator": ("pass", None),
    # start-up telemetry to a host the README does not name: high undocumented-egress
    "06-startup-telemetry-js": ("fail", "t.metrics.example.net"),
    # hosts hidden behind base64, hex, char codes: high obfuscated-destination
    "12-obfuscated-urls-js": ("fail", "c2.example.net"),
}
FIELDS = {"target", "slug", "name", "version", "verdict", "exit_code", "findings", "endpoints", "undocumented",
          "duration_seconds", "error"}
SEVERITIES = {"critical", "high", "medium", "low", "info"}
REPORTS = ("report.txt", "report.json", "report.sarif", "report.md", "report.html", "stderr.log")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{12}$")
PROGRESS = re.compile(r"mcpaudit batch: (\d+)/(\d+) done\b")
STATIC_TIMEOUT = 900


class Results(testkit.Tally):
    def check(self, ok, what, detail=None):
        super().check(ok, what)
        if not ok and detail:
            for line in str(detail).splitlines()[-15:]:
                print("#   " + line)
        sys.stdout.flush()
        return ok

    def skip(self, what, why):
        super().skip(what, why)
        sys.stdout.flush()


def batch(args, listfile, out, *opts, env=None, timeout=STATIC_TIMEOUT):
    cmd = [args.mcpaudit, "batch", listfile, "--out", out] + list(opts)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


def read_summary(out):
    """(records, lines that are not JSON objects)."""
    path = os.path.join(out, "summary.jsonl")
    records, bad = [], []
    if not os.path.exists(path):
        return records, bad
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                (records if isinstance(rec, dict) else bad).append(rec if isinstance(rec, dict) else line)
            except json.JSONDecodeError:
                bad.append(line)
    return records, bad


def latest(records):
    by = {}
    for rec in records:
        by[rec["target"]] = rec
    return by


def write_list(path, lines):
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def tail(proc):
    return (proc.stderr or "")[-1500:]


# ---- processes (for the kill checks) ----

def process_table():
    """pid -> (ppid, start time) for every process now."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if fields[0] != "Z":   # a zombie has ended; whoever adopted it has yet to reap it
                table[int(name)] = (int(fields[1]), fields[19])
        except (OSError, IndexError, ValueError):
            continue
    return table


def descendants(root):
    """{pid: start time} of every process below root."""
    table = process_table()
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found[pid] = table[pid][1]
        todo.extend(children.get(pid, []))
    return found


def still_alive(seen):
    table = process_table()
    return sorted(pid for pid, start in seen.items() if pid in table and table[pid][1] == start)


def run_watched(cmd, stop_after=None, timeout=300):
    """Run cmd, noting every process below it; with stop_after, SIGINT it after that many
    seconds once an audit is running. Returns (returncode, stderr, seen descendants)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen, t0, sent = {}, time.monotonic(), False
    while proc.poll() is None and time.monotonic() - t0 < timeout:
        seen.update(descendants(proc.pid))
        if stop_after is not None and not sent and len(seen) >= 2 and time.monotonic() - t0 >= stop_after:
            proc.send_signal(signal.SIGINT)
            sent = True
        time.sleep(0.1)
    if proc.poll() is None:
        proc.kill()
    _, err = proc.communicate()
    return proc.returncode, err, seen


# ---- the parts ----

def check_first_run(res, args, listfile, out, targets, missing):
    proc = batch(args, listfile, out, "--static-only")
    res.check(proc.returncode == 2, f"first run: exit 2 (a target could not be audited), got {proc.returncode}",
              tail(proc))
    records, bad = read_summary(out)
    res.check(not bad, "first run: every summary line is a JSON object", bad)
    res.check(len(records) == len(targets) and {r.get("target") for r in records} == set(targets),
              f"first run: one line per target, the repeat audited once ({len(records)} lines)",
              json.dumps(records, indent=1))
    res.check(all(set(r) == FIELDS for r in records), "first run: every line has exactly the contract's fields",
              [sorted(set(r) ^ FIELDS) for r in records])
    progress = PROGRESS.findall(proc.stderr)
    res.check(len(progress) >= len(targets) and progress[-1] == (str(len(targets)), str(len(targets))),
              f"first run: progress lines in the done/total form ({len(progress)}, last {progress[-1:]})", tail(proc))
    slugs = [r.get("slug") or "" for r in records]
    res.check(len(set(slugs)) == len(slugs) and all(SLUG.match(s) for s in slugs),
              f"slugs are unique, safe and readable ({', '.join(slugs)})")
    by = latest(records)
    for sample, expected in SAMPLES.items():
        check_sample(res, out, by.get(os.path.join(args.source, "samples", sample)), sample, expected)
    broken = by.get(missing) or {}
    res.check(broken.get("verdict") is None and broken.get("exit_code") == 2 and
              isinstance(broken.get("error"), str) and broken["error"],
              f"the missing folder: no verdict, exit code 2, an error ({broken.get('error')!r})")
    res.check(broken.get("findings") is None and broken.get("endpoints") is None,
              "the missing folder: no counts (nothing was checked)")
    res.check(all(by.get(os.path.join(args.source, "samples", s), {}).get("verdict") for s in SAMPLES),
              "the broken target did not stop the others")
    return by


def check_sample(res, out, rec, sample, expected):
    verdict, host = expected
    if not res.check(rec is not None, f"{sample}: has a summary line"):
        return
    res.check(rec["verdict"] == verdict, f"{sample}: verdict {rec['verdict']} (expected {verdict})", rec.get("error"))
    res.check(rec["error"] is None and rec["exit_code"] == (1 if rec["verdict"] == "fail" else 0),
              f"{sample}: no error, exit code {rec['exit_code']} matches the verdict")
    res.check(isinstance(rec["findings"], dict) and set(rec["findings"]) == SEVERITIES and
              all(isinstance(v, int) for v in rec["findings"].values()) and isinstance(rec["endpoints"], int) and
              isinstance(rec["undocumented"], int) and rec["duration_seconds"] > 0,
              f"{sample}: findings by severity, endpoints, undocumented and duration")
    folder = os.path.join(out, "reports", rec["slug"])
    missing = [f for f in REPORTS if not os.path.isfile(os.path.join(folder, f))]
    res.check(not missing, f"{sample}: its folder holds every report and stderr.log (missing: {missing})")
    try:
        with open(os.path.join(folder, "report.json")) as fh:
            report = json.load(fh)
    except (OSError, json.JSONDecodeError):
        report = {}
    res.check((report.get("verdict") or {}).get("result") == rec["verdict"], f"{sample}: report.json has the same verdict")
    package = report.get("package") or {}
    res.check((rec["name"], rec["version"]) == (package.get("name"), package.get("version")) and rec["name"],
              f"{sample}: name and version from the package ({rec['name']} {rec['version']})")
    if host:
        reasons = " ".join((report.get("verdict") or {}).get("reasons") or [])
        res.check(host in reasons, f"{sample}: a reason names {host}", reasons)


def report_mtimes(out, by, targets):
    times = {}
    for t in targets:
        rec = by.get(t)
        if rec and rec.get("verdict"):
            path = os.path.join(out, "reports", rec["slug"], "report.json")
            times[t] = os.stat(path).st_mtime_ns if os.path.exists(path) else None
    return times


def check_resume(res, args, listfile, out, targets, missing, by):
    done = report_mtimes(out, by, targets)
    before, _ = read_summary(out)
    proc = batch(args, listfile, out, "--static-only")
    after, bad = read_summary(out)
    res.check(proc.returncode == 2, f"rerun: exit 2 again (the folder is still missing), got {proc.returncode}",
              tail(proc))
    res.check(f"{len(done)} already done" in proc.stderr, f"rerun: {len(done)} targets already done", tail(proc))
    res.check(report_mtimes(out, by, targets) == done, "rerun: the done targets' reports were not rewritten")
    new = after[len(before):]
    res.check(not bad and [r["target"] for r in new] == [missing],
              f"rerun: one new line, for the errored target only ({[r['target'] for r in new]})")
    # the missing folder appears: its next line supersedes the error
    shutil.copytree(os.path.join(args.source, "samples", "01-clean-calculator"), missing)
    proc = batch(args, listfile, out, "--static-only")
    records, _ = read_summary(out)
    by = latest(records)
    any_fail = any(r["verdict"] == "fail" for r in by.values())
    res.check(by[missing]["verdict"] == "pass" and by[missing]["error"] is None,
              f"rerun: the folder, now there, passes ({by[missing].get('verdict')})")
    res.check(proc.returncode == (1 if any_fail else 0),
              f"rerun: every target has a verdict: exit {1 if any_fail else 0}, got {proc.returncode}", tail(proc))
    check_torn_line(res, args, listfile, out, proc.returncode)


def check_torn_line(res, args, listfile, out, code):
    path = os.path.join(out, "summary.jsonl")
    with open(path) as fh:
        lines = fh.read().count("\n")
    with open(path, "a") as fh:
        fh.write('{"target": "' + listfile + '", "verd')   # a run killed mid-write
    proc = batch(args, listfile, out, "--static-only")
    res.check(proc.returncode == code and f"line {lines + 1} is cut off" in proc.stderr,
              f"a torn last line: ignored with a warning naming line {lines + 1}, exit {code}", tail(proc))
    records, bad = read_summary(out)
    res.check(len(bad) == 1 and len(records) == lines, "a torn last line: ended, nothing else added")
    proc = batch(args, listfile, out, "--static-only")
    records2, _ = read_summary(out)
    res.check(proc.returncode == code and len(records2) == len(records),
              "after the torn line: the next run still resumes cleanly", tail(proc))


def check_jobs(res, args, listfile, out, verdicts):
    t0 = time.monotonic()
    proc = batch(args, listfile, out, "--static-only", "--jobs", "2")
    records, bad = read_summary(out)
    got = {r["target"]: r["verdict"] for r in records}
    res.check(not bad and got == verdicts,
              f"--jobs 2: the same verdicts ({time.monotonic() - t0:.1f} s, exit {proc.returncode})",
              json.dumps(got, indent=1) + "\n" + tail(proc))


def check_stdin(res, args):
    """LIST "-": the targets come on standard input; every verdict pass: exit 0."""
    clean = os.path.join(args.source, "samples", "01-clean-calculator")
    out = os.path.join(args.work, "out-stdin")
    proc = subprocess.run([args.mcpaudit, "batch", "-", "--out", out, "--static-only"], input=f"# one\n{clean}\n",
                          capture_output=True, text=True, timeout=STATIC_TIMEOUT)
    records, _ = read_summary(out)
    res.check(proc.returncode == 0 and [(r["target"], r["verdict"]) for r in records] == [(clean, "pass")],
              f"LIST from standard input; every verdict pass: exit 0 (got {proc.returncode})", tail(proc))


def check_shards(res, args, listfile, out, targets):
    first = batch(args, listfile, out, "--static-only", "--shard", "0/2")
    shard0 = [r["target"] for r in read_summary(out)[0]]
    second = batch(args, listfile, out, "--static-only", "--shard", "2", env={"JOB_COMPLETION_INDEX": "1"})
    records, bad = read_summary(out)
    res.check(sorted(shard0) == sorted(targets[0::2]),
              f"--shard 0/2 takes positions 0, 2, ... of the list without repeats (exit {first.returncode})",
              tail(first))
    got = [r["target"] for r in records]
    res.check(not bad and sorted(got) == sorted(targets),
              f"--shard 0/2 and --shard 2 with JOB_COMPLETION_INDEX=1 cover the list exactly once "
              f"(exit {second.returncode})", tail(second))


def check_parallel(res, args, listfile, out, targets):
    parallel = shutil.which("parallel")
    if not parallel:
        res.skip("GNU parallel shards", testkit.missing_tools("parallel"))
        return
    cmd = [parallel, "--will-cite", "-j2", args.mcpaudit, "batch", listfile, "--out", out, "--shard", "{}/2",
           "--static-only", ":::", "0", "1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=STATIC_TIMEOUT)
    records, bad = read_summary(out)
    got = [r["target"] for r in records]
    res.check(not bad and sorted(got) == sorted(targets),
              f"parallel -j2 ... --shard {{}}/2 ::: 0 1: each target exactly once in one summary "
              f"(parallel exit {proc.returncode})", tail(proc) + "\n" + "\n".join(got))


def check_client_config(res, args):
    """A client configuration is one target whose audit writes a folder per server: its line
    adds them up, with the worst verdict."""
    samples = os.path.join(args.source, "samples")
    config = os.path.join(args.work, "config", "mcp.json")
    os.makedirs(os.path.dirname(config))
    with open(config, "w") as fh:
        json.dump({"mcpServers": {
            "calc": {"command": "node", "args": [os.path.join(samples, "01-clean-calculator", "index.js")]},
            "rates": {"command": "node", "args": [os.path.join(samples, "06-startup-telemetry-js", "index.js")]}}}, fh)
    listfile = os.path.join(args.work, "config", "list.txt")
    write_list(listfile, [config])
    out = os.path.join(args.work, "out-config")
    proc = batch(args, listfile, out, "--static-only")
    records, _ = read_summary(out)
    rec = records[0] if len(records) == 1 else {}
    folder = os.path.join(out, "reports", rec.get("slug", "?"))
    servers = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d))) \
        if os.path.isdir(folder) else []
    highs = 0
    for d in servers:
        with open(os.path.join(folder, d, "report.json")) as fh:
            highs += json.load(fh)["summary"]["findings_by_severity"]["high"]
    res.check(proc.returncode == 1 and rec.get("verdict") == "fail" and len(servers) == 2 and
              (rec.get("findings") or {}).get("high") == highs,
              f"a client configuration: one line, the worst verdict of its {len(servers)} servers, their findings "
              f"summed ({rec.get('verdict')}, high {(rec.get('findings') or {}).get('high')} of {highs})",
              json.dumps(rec) + "\n" + tail(proc))


# How long the batch's traced calculator blocks before it starts. The --target-timeout and
# SIGINT checks need an audit that is still running at TARGET_TIMEOUT_S and 3 s; since the quiet period
# ends once the server is idle, a traced audit of the calculator can end in under 2 s on a
# quiet machine (CI failed so), so the wait is the target's own, not the machine's.
STARTUP_BLOCK_MS = 15000
# The time-out the batch gives it: long enough for the audit to have its sandbox running on
# a loaded machine (the check wants to see the tree it kills), far below STARTUP_BLOCK_MS.
TARGET_TIMEOUT_S = 5


def self_contained_calculator(args):
    """The clean calculator with its shared MCP library inside its own folder, so the
    sandbox (which shows the server's folder) has all it needs; it blocks STARTUP_BLOCK_MS
    before it starts."""
    root = os.path.join(args.work, "dyn", "calculator")
    shutil.copytree(os.path.join(args.source, "samples", "01-clean-calculator"), root)
    shutil.copytree(os.path.join(args.source, "samples", "lib"), os.path.join(root, "lib"))
    index = os.path.join(root, "index.js")
    with open(index) as fh:
        code = fh.read()
    with open(index, "w") as fh:
        shebang, rest = code.split("\n", 1) if code.startswith("#!") else ("", code)
        fh.write(f"{shebang}\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, {STARTUP_BLOCK_MS});\n" +
                 rest.replace("'../lib/", "'./lib/"))
    return root


def check_dynamic(res, args):
    why = testkit.missing_tools("node") or testkit.sandbox_problem()
    if why:
        res.skip("dynamic batch", why)
        return
    target = self_contained_calculator(args)
    listfile = os.path.join(args.work, "dyn", "list.txt")
    write_list(listfile, [target])
    out = os.path.join(args.work, "out-dyn")
    # a timeout far below what a traced audit takes: the whole tree is killed
    rc, err, seen = run_watched([args.mcpaudit, "batch", listfile, "--out", out, "--target-timeout", str(TARGET_TIMEOUT_S)])
    records, _ = read_summary(out)
    rec = records[-1] if records else {}
    time.sleep(0.5)
    res.check(rc == 2 and rec.get("error") == f"timed out after {TARGET_TIMEOUT_S} s" and rec.get("exit_code") is None,
              f"--target-timeout {TARGET_TIMEOUT_S} on a traced audit: 'timed out after {TARGET_TIMEOUT_S} s', exit 2 "
              f"({rec.get('error')!r}, exit {rc})",
              err[-1500:])
    res.check(len(seen) >= 2 and not still_alive(seen),
              f"--target-timeout: nothing the audit started is left running ({len(seen)} processes seen, "
              f"alive: {still_alive(seen)})")
    check_interrupt(res, args, listfile, out)


def check_interrupt(res, args, listfile, out):
    shutil.rmtree(out)
    rc, err, seen = run_watched([args.mcpaudit, "batch", listfile, "--out", out], stop_after=3)
    time.sleep(0.5)
    records, bad = read_summary(out)
    res.check(rc == 2 and "stopping on SIGINT" in err, f"SIGINT: the batch stops with exit 2 (got {rc})", err[-1500:])
    res.check(not bad and not records, f"SIGINT: no line for the target cut short ({len(records)} lines)")
    res.check(len(seen) >= 2 and not still_alive(seen),
              f"SIGINT: nothing the audit started is left running ({len(seen)} processes seen, "
              f"alive: {still_alive(seen)})")
    t0 = time.monotonic()
    proc = batch(args, listfile, out, "--target-timeout", "300", timeout=400)
    took = time.monotonic() - t0
    records, _ = read_summary(out)
    rec = records[-1] if records else {}
    res.check(proc.returncode == 0 and rec.get("verdict") == "pass" and len(records) == 1,
              f"after SIGINT the rerun resumes: the traced clean calculator passes ({took:.1f} s, "
              f"verdict {rec.get('verdict')}, error {rec.get('error')!r})", tail(proc))
    if took >= 30:
        print(f"# note: the traced audit took {took:.1f} s")


def check_commands(res, args):
    """batch and audit exist (once a reason to skip; now a check: a binary without them is broken)."""
    help_ = subprocess.run([args.mcpaudit, "batch", "--help"], capture_output=True, text=True, timeout=30)
    audit = subprocess.run([args.mcpaudit, "audit", "--help"], capture_output=True, text=True, timeout=30)
    res.check(help_.returncode == 0 and "mcpaudit batch LIST" in help_.stdout, "mcpaudit batch --help", tail(help_))
    res.check(audit.returncode == 0, "mcpaudit audit --help", tail(audit))


def main():
    ap = testkit.arg_parser()
    args = testkit.parse(ap)
    args.source = os.path.abspath(args.source)
    args.work = os.path.abspath(args.work)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    samples = [os.path.join(args.source, "samples", s) for s in SAMPLES]
    missing = os.path.join(args.work, "does-not-exist", "calculator")
    targets = samples[:2] + [missing, samples[2]]
    listfile = os.path.join(args.work, "list.txt")
    write_list(listfile, ["# samples, and a folder that is not there (yet)", targets[0], "", targets[1],
                          "  " + targets[0] + "  ", targets[2], targets[3]])
    res = Results()
    check_commands(res, args)
    out = os.path.join(args.work, "out")
    by = check_first_run(res, args, listfile, out, targets, missing)
    verdicts = {t: (by.get(t) or {}).get("verdict") for t in targets}
    check_resume(res, args, listfile, out, targets, missing, by)
    shutil.rmtree(missing)
    check_jobs(res, args, listfile, os.path.join(args.work, "out-jobs"), verdicts)
    check_stdin(res, args)
    check_shards(res, args, listfile, os.path.join(args.work, "out-shards"), targets)
    check_parallel(res, args, listfile, os.path.join(args.work, "out-parallel"), targets)
    check_client_config(res, args)
    check_dynamic(res, args)
    return res.finish()


if __name__ == "__main__":
    sys.exit(main())
