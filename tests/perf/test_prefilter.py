#!/usr/bin/env python3
"""The sink pass's pre-filter (analyzer/prefilter.h) changes no result: every sample, the
corpus's dev half (from the tarball cache, fetched there when missing) and the bench trees when installed are
scanned with `--include-deps` with the pre-filter and without it (MCPAUDIT_NO_PREFILTER=1),
and the two JSON reports must be equal but for their duration: findings, endpoints,
incomplete, URL strings, coverage.

It was checked that this test fails when the pre-filter is unsound: with files holding URLs
treated as skippable (`prefilter_needs_sinks` ignoring "://" and the words http, https and
ws), it failed on two dev packages (dev/@softeria/ms-365-mcp-server: url_strings 17 vs 18,
https://graph.invalid missing; dev/dataforseo-mcp-server: 0 vs 1); restored, it passes.
Ignoring "://" alone does not fail it: every URL it lists starts with http, https or ws.

With --baseline BIN, the report is also compared with an older build's (the speed-ups of
issue 10 were checked so against 57c753c's).

Usage: test_prefilter.py --mcpaudit BIN --source DIR --work DIR [--tree DIR]... [--baseline BIN]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def scan(mcpaudit, target, out, cache, prefilter=True):
    env = dict(os.environ, MCPAUDIT_CACHE_DIR=cache)
    env.pop("MCPAUDIT_NO_PREFILTER", None)
    if not prefilter:
        env["MCPAUDIT_NO_PREFILTER"] = "1"
    r = subprocess.run([mcpaudit, "scan", "--include-deps", "--format", "json", "--output", out, target],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        return None, "exit %d: %s" % (r.returncode, r.stderr.strip()[-400:])
    with open(out, encoding="utf-8") as f:
        rep = json.load(f)
    rep.pop("duration_seconds", None)
    return rep, None


def first_difference(a, b):
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            va, vb = a.get(key), b.get(key)
            if isinstance(va, list) and isinstance(vb, list):
                extra = [x for x in va if x not in vb][:2]
                missing = [x for x in vb if x not in va][:2]
                return "%s: %d vs %d entries; only with the pre-filter %s; only without it %s" % (
                    key, len(va), len(vb), json.dumps(extra)[:600], json.dumps(missing)[:600])
            return "%s: %s vs %s" % (key, json.dumps(va)[:300], json.dumps(vb)[:300])
    return None


def dev_targets(source, work):
    """The corpus's dev half, unpacked from the tarball cache (bench/score_static.py's), a
    tarball not there fetched with `npm pack --ignore-scripts` and checked against its pinned
    integrity, as the scoring does; offline when npm is missing."""
    sys.path.insert(0, os.path.join(source, "bench"))
    import score_static  # noqa: E402  (its corpus reader and checking unpacker)
    args = argparse.Namespace(cache=os.path.expanduser("~/.cache/mcpaudit/corpus"),
                              offline=shutil.which("npm") is None)
    out, missing = [], []
    for server in score_static.corpus_servers("dev", None):
        target, err = score_static.unpack_package(server, args, "npm", os.path.join(work, "dev"))
        if target:
            out.append(("dev/" + server["name"], target))
        else:
            missing.append("%s (%s)" % (server["name"], err))
    return out, missing


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mcpaudit", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--tree", action="append", default=[], help="another tree to compare (bench/work/servers)")
    p.add_argument("--baseline", help="also compare with this mcpaudit's report (an older build: a change "
                   "meant to alter no result)")
    a = p.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    samples = os.path.join(a.source, "samples")
    targets = [("samples/" + d, os.path.join(samples, d)) for d in sorted(os.listdir(samples))
               if d[:2].isdigit() and os.path.isdir(os.path.join(samples, d))]  # not samples/clients: configs
    dev, missing = dev_targets(a.source, a.work)
    targets += dev
    for t in a.tree + [os.path.join(a.source, "bench", "work", n) for n in ("libs", "servers")]:
        if os.path.isdir(t) and t not in [x[1] for x in targets]:
            targets.append(("tree " + t, t))
    failures = []
    for name, target in targets:
        with tempfile.TemporaryDirectory(dir=a.work) as tmp:
            reps = []
            for mode in (True, False):
                rep, err = scan(a.mcpaudit, target, os.path.join(tmp, "%s.json" % mode),
                                os.path.join(tmp, "cache-%s" % mode), mode)
                if err:
                    failures.append("%s: scan failed (pre-filter %s): %s" % (name, "on" if mode else "off", err))
                reps.append(rep)
            if a.baseline and reps[0] is not None:
                rep, err = scan(a.baseline, target, os.path.join(tmp, "baseline.json"), os.path.join(tmp, "cache-b"))
                if err:
                    failures.append("%s: the baseline's scan failed: %s" % (name, err))
                elif first_difference(reps[0], rep):
                    failures.append("%s differs from the baseline's: %s" % (name, first_difference(reps[0], rep)))
            if None in reps:
                continue
            diff = first_difference(reps[0], reps[1])
            if diff:
                failures.append("%s differs: %s" % (name, diff))
            else:
                print("ok %s: %d findings, %d endpoints, %d incomplete" % (
                    name, len(reps[0].get("findings", [])), len(reps[0].get("endpoints", [])),
                    len(reps[0].get("incomplete", []))))
    for m in missing:
        print("note: dev package not fetched, not compared: %s" % m)
    for f in failures:
        print("FAIL " + f)
    print("%d targets compared, %d failed" % (len(targets), len(failures)))
    if not dev:
        print("FAIL: no package of the dev half could be fetched or found in the tarball cache")
        failures.append("no dev package")
    # the suite line tests/lib/ctest_summary.py counts
    print("%d passed, %d failed, 0 skipped" % (max(0, len(targets) - len(failures)) if dev else 0, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
