#!/usr/bin/env python3
"""Golden and annotation tests over samples/.

For every sample server, run `mcpaudit scan --format json` and check:
  1. every `expect: RULE [HOST]` annotation has a finding with that rule, file, line (and host);
  2. no `ok: HOST` host gets an egress finding;
  3. no high or critical finding appears that no annotation expects (precision);
  4. the normalised JSON equals tests/golden/expected/<sample>.json (run with --update to
     rewrite them after a reviewed change).

Usage: test_samples.py --mcpaudit BIN --source SRCDIR --work DIR [--update] [--only NAME]
Prints `ok - ...` / `not ok - ...` lines and `N passed, N failed, 0 skipped` (it never skips).
"""

import argparse
import json
import os
import subprocess
import sys

EGRESS_RULES = {"undocumented-egress", "obfuscated-destination", "lookalike-domain", "exfil-prone-destination"}
# Rules whose unexpected appearance is a precision failure.
PRECISION_RULES = EGRESS_RULES | {"credential-flow", "subprocess-egress", "credential-access"}


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
            print(f"ok - {what}")
        else:
            self.failed += 1
            print(f"not ok - {what}")


def load_annotations(source):
    out = subprocess.run([sys.executable, os.path.join(source, "samples", "annotations.py"), "--json"],
                         capture_output=True, text=True, check=True)
    by_sample = {}
    for a in json.loads(out.stdout):
        by_sample.setdefault(a["sample"], []).append(a)
    return by_sample


def host_matches(expected, got):
    if got is None:
        return False
    return got == expected or got.lstrip("*") == expected.lstrip("*")


def normalise(report):
    """Drop what changes from run to run or machine to machine."""
    report = dict(report)
    report.pop("duration_seconds", None)
    report["tool"] = {"name": report["tool"]["name"]}
    target = dict(report["target"])
    target.pop("root", None)
    target["paths"] = [os.path.basename(os.path.normpath(p)) for p in target.get("paths", [])]
    report["target"] = target
    return report


def scan(binary, path, out):
    proc = subprocess.run([binary, "scan", "--format", "json", "--output", out, path],
                          capture_output=True, text=True, timeout=120)
    return proc


def check_sample(res, args, name, annotations, golden_dir):
    path = os.path.join(args.source, "samples", name)
    out = os.path.join(args.work, name + ".json")
    proc = scan(args.mcpaudit, path, out)
    res.check(proc.returncode in (0, 1), f"{name}: scan exits 0 or 1 (got {proc.returncode}) {proc.stderr.strip()[:200]}")
    if proc.returncode not in (0, 1):
        return
    with open(out) as f:
        report = json.load(f)
    findings = report["findings"]
    expected_keys = set()
    for a in annotations:
        if a["kind"] != "expect":
            continue
        hits = [f for f in findings if f["rule_id"] == a["rule_id"] and f.get("file") == a["file"]
                and f.get("line") == a["line"] and (a["host"] is None or host_matches(a["host"], f.get("host")))]
        res.check(bool(hits), f"{name}: {a['file']}:{a['line']} expect {a['rule_id']} {a['host'] or ''}".rstrip())
        for h in hits:
            expected_keys.add(id(h))
    ok_hosts = [a["host"] for a in annotations if a["kind"] == "ok"]
    for host in ok_hosts:
        bad = [f for f in findings if f["rule_id"] in EGRESS_RULES and host_matches(host, f.get("host"))]
        res.check(not bad, f"{name}: ok {host}" + (f" (got {bad[0]['rule_id']} at {bad[0].get('file')}:{bad[0].get('line')})" if bad else ""))
    for f in findings:
        if f["rule_id"] in PRECISION_RULES and f["severity"] in ("high", "critical") and id(f) not in expected_keys:
            if any(a["kind"] == "expect" and a["rule_id"] == f["rule_id"] and a["file"] == f.get("file")
                   and a["line"] == f.get("line") for a in annotations):
                continue
            res.check(False, f"{name}: unexpected {f['rule_id']} {f.get('host') or ''} at {f.get('file')}:{f.get('line')}")
    golden = os.path.join(golden_dir, name + ".json")
    got = normalise(report)
    if args.update:
        with open(golden, "w") as g:
            json.dump(got, g, indent=2, sort_keys=False)
            g.write("\n")
    if not os.path.exists(golden):
        res.check(False, f"{name}: golden file {golden} exists (run with --update after review)")
        return
    with open(golden) as g:
        want = json.load(g)
    res.check(got == want, f"{name}: output matches {os.path.relpath(golden, args.source)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcpaudit", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--only")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    golden_dir = os.path.join(args.source, "tests", "golden", "expected")
    os.makedirs(golden_dir, exist_ok=True)
    annotations = load_annotations(args.source)
    res = Results()
    samples = sorted(d for d in os.listdir(os.path.join(args.source, "samples"))
                     if d[:2].isdigit() and os.path.isdir(os.path.join(args.source, "samples", d)))
    res.check(len(samples) >= 20, f"at least 20 samples ({len(samples)})")
    for name in samples:
        if args.only and args.only != name:
            continue
        check_sample(res, args, name, annotations.get(name, []), golden_dir)
    print(f"{res.passed} passed, {res.failed} failed, 0 skipped")
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
