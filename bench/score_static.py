#!/usr/bin/env python3
"""Score `mcpaudit scan` against hand-made labels of code we did not write.

Usage:
    python3 bench/score_static.py --mcpaudit build/mcpaudit --set dev --set blind
    python3 bench/score_static.py --mcpaudit build/mcpaudit --set samples
    python3 bench/score_static.py --mcpaudit build/mcpaudit --blind-servers tests/blind/servers

Sets:
  dev, blind     the halves of tests/corpus/npm_corpus.json (batch 1); dev2, blind2 the
                 halves of tests/corpus/npm_corpus2.json (batch 2): each package is fetched with
                 `npm pack --ignore-scripts` into --cache, checked against its pinned
                 integrity and unpacked with tests/realworld/run.py's checking extractor.
  samples        samples/NN-*: labels derived from their `expect:`/`ok:` comments
                 (samples/annotations.py --json).
  blind-servers  every DIR/*/labels.json ({"destinations": [{"host", "file", "line",
                 "documented", "user_directed", "how"}]}); the folder holding labels.json
                 is scanned.

Per set it reports (issue 9, "How it is measured"):
  recall               labelled hosts found as endpoints / labelled hosts (per package, each
                       host once; '*.x' labels match any endpoint under x)
  chosen at run time   '(user)'/'(env)' labels with a matching endpoint or finding in the
                       label's file / such labels
  undocumented flagged labelled undocumented hosts with an undocumented-egress finding, or a
                       high/medium egress finding, for that host / labelled undocumented hosts
  documented flagged   labelled documented (or user-directed) hosts with an
                       undocumented-egress finding (must be 0)
  negative-control high  high and critical findings on servers with no labelled undocumented
                       destination (must be 0)
Loopback hosts count for recall only. Misses name the host and the label's file:line.

Prints a table, writes everything to --json. Exit status: 0 scored, 1 a package could not be
fetched, unpacked or scanned (listed under "errors"), 2 bad usage, 77 npm needed and missing.
Python 3 standard library only; nothing of a scanned package is ever run.
"""

import argparse
import contextlib
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "realworld"))
import run as realworld  # noqa: E402  (fetch, verify and unpack exactly as the realworld test)

CORPUS = os.path.join(ROOT, "tests", "corpus", "npm_corpus.json")
CORPUS2 = os.path.join(ROOT, "tests", "corpus", "npm_corpus2.json")
# --set name -> (corpus file, value of "half"): batch 2 is its own file so that
# dev/blind keep meaning batch 1 exactly and each batch's before/after stays comparable.
CORPUS_SETS = {"dev": (CORPUS, "dev"), "blind": (CORPUS, "blind"),
               "dev2": (CORPUS2, "dev2"), "blind2": (CORPUS2, "blind2")}
SAMPLES = os.path.join(ROOT, "samples")
EXIT_SKIP = 77

# Rules that say "this destination is a problem"; a high or medium one counts as flagging
# an undocumented host even when it is not undocumented-egress itself.
EGRESS_RULES = {
    "undocumented-egress", "obfuscated-destination", "subprocess-egress", "raw-socket-egress",
    "dns-egress", "doh-egress", "lookalike-domain", "exfil-prone-destination", "hidden-egress",
    "credential-flow", "credential-exfiltration", "env-configurable-egress",
}
FLAG_SEVERITIES = {"critical", "high", "medium"}
HIGH_SEVERITIES = {"critical", "high"}


# ---- labels: one shape for every set ----

def is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_label(host, file, line, documented, user_directed=False, via=None):
    """A label as the scorer uses it: kind is host, suffix, user or env."""
    host = realworld.norm_host(host) if host else ""
    if host.startswith("."):  # the samples write a known suffix as '.x.example.net'
        host = "*" + host
    if host in ("", "(user)") or (user_directed and host.startswith("(")):
        kind = "user"
    elif host == "(env)":
        kind = "env"
    elif host.startswith("*."):
        kind = "suffix"
    else:
        kind = "host"
    return {"kind": kind, "host": host or "(user)", "file": file, "line": line,
            "documented": bool(documented), "user_directed": bool(user_directed) or kind == "user",
            "loopback": kind == "host" and is_loopback(host), "via": via, "recall": True}


def corpus_servers(set_name, only):
    path, half = CORPUS_SETS[set_name]
    with open(path, encoding="utf-8") as f:
        corpus = json.load(f)
    out = []
    for p in corpus["packages"]:
        if p["half"] != half or (only and p["package"] not in only):
            continue
        labels = [make_label(d["host"], d["file"], d["line"], d["documented"], via=d.get("via"))
                  for d in p["destinations"]]
        out.append({"name": p["package"], "version": p["version"],
                    "integrity": p["integrity"], "labels": labels})
    return out


def sample_servers(only):
    """Labels from the samples' own comments: `expect: undocumented-egress H` makes H
    undocumented, `ok: H` documented, `expect: user-directed-egress` a user label; a host
    named by another rule is labelled for recall only (documented unknown). A host named
    only by `ok:` need not be contacted (a URL in a comment): it is checked for not being
    flagged, not counted for recall."""
    r = subprocess.run([sys.executable, os.path.join(SAMPLES, "annotations.py"), "--json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    notes = json.loads(r.stdout.decode("utf-8"))
    by_sample = {}
    for n in notes:
        by_sample.setdefault(n["sample"], []).append(n)
    out = []
    for sample in sorted(os.listdir(SAMPLES)):
        # every sample, annotated or not: one without comments is a clean negative control
        if not (sample[:2].isdigit() and os.path.isdir(os.path.join(SAMPLES, sample))):
            continue
        if only and sample not in only:
            continue
        labels = {}
        for n in by_sample.get(sample, []):
            rule, host = n.get("rule_id"), n.get("host")
            if n["kind"] == "expect" and rule == "user-directed-egress" and not host:
                labels[("(user)", n["file"])] = make_label("(user)", n["file"], n["line"], False, True)
            if not host:
                continue
            lab = labels.get(realworld.norm_host(host))
            if lab is None:
                lab = make_label(host, n["file"], n["line"], False)
                lab["documented"] = None
                lab["recall"] = False
                labels[lab["host"]] = lab
            if n["kind"] == "ok":
                lab["documented"] = True if lab["documented"] is None else lab["documented"]
                lab["recall"] = lab.get("named_by_expect", False)
            else:
                lab["named_by_expect"] = lab["recall"] = True
                if rule == "undocumented-egress":
                    lab["documented"] = False
        out.append({"name": sample, "dir": os.path.join(SAMPLES, sample),
                    "labels": list(labels.values())})
    return out


def blind_servers(folder, only):
    out = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name, "labels.json")
        if not os.path.isfile(path) or (only and name not in only):
            continue
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        labels = [make_label(d.get("host"), d.get("file"), d.get("line"), d.get("documented"),
                             d.get("user_directed", False), d.get("how"))
                  for d in spec.get("destinations", [])]
        out.append({"name": name, "dir": os.path.join(folder, name), "labels": labels})
    return out


# ---- getting a package onto disk (the realworld test's own functions) ----

class QuietTally(realworld.Tally):
    """realworld.fetch/verify report through a tally; keep its verdicts, print only failures."""

    def check(self, ok, what, detail=None):
        if not ok:
            print("# %s: %s" % (what, detail or "failed"), file=sys.stderr)
        return ok


def unpack_package(server, args, npm, work):
    """Fetch, verify and unpack one corpus package. Returns (folder or None, error)."""
    tally = QuietTally()
    meta = {"package": server["name"], "version": server["version"],
            "integrity": server["integrity"]}
    with contextlib.redirect_stdout(sys.stderr):  # its "# using cached ..." notes
        path = realworld.fetch(meta, args.cache, npm, args.offline, tally)
    if not path:
        return None, "could not fetch %s@%s" % (server["name"], server["version"])
    if not realworld.verify(path, meta, tally):
        return None, "integrity mismatch for %s@%s" % (server["name"], server["version"])
    dest = os.path.join(work, realworld.tarball_name(server["name"], server["version"])[:-4])
    os.makedirs(dest, exist_ok=True)
    try:
        err, _ = realworld.safe_unpack(path, dest)
    except (tarfile.TarError, OSError, EOFError) as e:
        err = "cannot read archive: %s" % e
    if err:
        return None, err
    target = os.path.join(dest, "package")
    if not os.path.isdir(target):
        return None, "no package/ folder in the tarball"
    return target, None


# ---- scoring one report ----

def host_matches(label, host, suffix=None):
    if label["kind"] == "host":
        return host == label["host"]
    if label["kind"] == "suffix":
        tail = label["host"][1:]  # ".example.com"
        return (host or "").endswith(tail) or (suffix or "").endswith(tail)
    return False


def endpoint_found(label, endpoints):
    return any(host_matches(label, realworld.norm_host(e.get("host")), e.get("host_suffix"))
               for e in endpoints)


def runtime_found(label, rep):
    """A '(user)' or '(env)' label is found when an endpoint or finding of that nature sits
    in the label's file (the line may differ: the label may name the client construction)."""
    kinds = {"user": ("user-directed",), "env": ("env-default", "partial", "user-directed")}[label["kind"]]
    rules = {"user": ("user-directed-egress",),
             "env": ("env-configurable-egress", "user-directed-egress")}[label["kind"]]
    for e in rep["endpoints"]:
        if e.get("kind") in kinds or (label["kind"] == "env" and not e.get("host")):
            if any(ev.get("file") == label["file"] for ev in e.get("evidence") or []):
                return True
    return any(f.get("rule_id") in rules and f.get("file") == label["file"]
               for f in rep["findings"])


def live_findings(rep):
    return [f for f in rep["findings"] if not f.get("suppressed")]


def flagged(label, findings, strict):
    """Whether a finding calls this host a problem. strict: undocumented-egress only."""
    for f in findings:
        if not host_matches(label, realworld.norm_host(f.get("host"))):
            continue
        if f.get("rule_id") == "undocumented-egress":
            return True
        if not strict and f.get("rule_id") in EGRESS_RULES and f.get("severity") in FLAG_SEVERITIES:
            return True
    return False


def where(label):
    return "%s:%s" % (label["file"], label["line"])


def score_report(server, rep):
    findings = live_findings(rep)
    s = {"name": server["name"], "labelled": 0, "found": 0, "runtime_labelled": 0,
         "runtime_found": 0, "undocumented": 0, "undocumented_flagged": 0,
         "documented": 0, "documented_flagged": 0, "negative_control": False,
         "negative_control_high": 0, "missed": [], "runtime_missed": [], "not_flagged": [],
         "wrongly_flagged": [], "high_on_control": [], "unlabelled_endpoints": []}
    seen = set()
    for lab in server["labels"]:
        if lab["kind"] in ("user", "env"):
            s["runtime_labelled"] += 1
            if runtime_found(lab, rep):
                s["runtime_found"] += 1
            else:
                s["runtime_missed"].append({"host": lab["host"], "at": where(lab), "via": lab["via"]})
            continue
        if lab["host"] in seen:
            continue
        seen.add(lab["host"])
        if lab["recall"]:
            s["labelled"] += 1
            if endpoint_found(lab, rep["endpoints"]):
                s["found"] += 1
            else:
                s["missed"].append({"host": lab["host"], "at": where(lab), "via": lab["via"]})
        if lab["loopback"]:
            continue
        if lab["documented"] is False and not lab["user_directed"]:
            s["undocumented"] += 1
            if flagged(lab, findings, strict=False):
                s["undocumented_flagged"] += 1
            else:
                s["not_flagged"].append({"host": lab["host"], "at": where(lab), "via": lab["via"]})
        elif lab["documented"] or lab["user_directed"]:
            s["documented"] += 1
            if flagged(lab, findings, strict=True):
                s["documented_flagged"] += 1
                s["wrongly_flagged"].append({"host": lab["host"], "at": where(lab)})
    s["negative_control"] = s["undocumented"] == 0
    if s["negative_control"]:
        highs = [f for f in findings if f.get("severity") in HIGH_SEVERITIES]
        s["negative_control_high"] = len(highs)
        s["high_on_control"] = ["%s %s %s:%s" % (f.get("rule_id"), f.get("host"), f.get("file"),
                                                 f.get("line")) for f in highs]
    labelled_hosts = [lab for lab in server["labels"] if lab["kind"] in ("host", "suffix")]
    for e in rep["endpoints"]:
        h = realworld.norm_host(e.get("host"))
        if h and not any(host_matches(lab, h) for lab in labelled_hosts):
            ev = (e.get("evidence") or [{}])[0]
            s["unlabelled_endpoints"].append("%s (%s) %s:%s" % (h, e.get("kind"), ev.get("file"),
                                                                ev.get("line")))
    return s


# ---- running a set ----

def scan(args, server, target, work):
    out = os.path.join(work, "%s.report.json" % server["name"].replace("/", "_").lstrip("@"))
    t0 = time.monotonic()
    ok, msg = realworld.run_scan(args.mcpaudit, target, out)
    seconds = time.monotonic() - t0
    if not ok:
        return None, seconds, msg
    rep, err = realworld.load_report(out)
    return rep, seconds, err


def totals(scores):
    keys = ("labelled", "found", "runtime_labelled", "runtime_found", "undocumented",
            "undocumented_flagged", "documented", "documented_flagged", "negative_control_high")
    t = {k: sum(s[k] for s in scores) for k in keys}
    t["servers"] = len(scores)
    t["negative_controls"] = sum(1 for s in scores if s["negative_control"])
    t["recall"] = round(t["found"] / t["labelled"], 3) if t["labelled"] else None
    return t


def run_set(name, servers, args, npm, work):
    scores, errors, scan_seconds = [], [], 0.0
    for server in servers:
        target = server.get("dir")
        if target is None:
            target, err = unpack_package(server, args, npm, work)
            if err:
                errors.append({"server": server["name"], "error": err})
                continue
        rep, seconds, err = scan(args, server, target, work)
        scan_seconds += seconds
        if rep is None:
            errors.append({"server": server["name"], "error": err})
            continue
        s = score_report(server, rep)
        s["scan_seconds"] = round(seconds, 3)
        scores.append(s)
    return {"set": name, "totals": totals(scores), "scan_seconds": round(scan_seconds, 2),
            "servers": scores, "errors": errors}


# ---- output ----

def ratio(a, b):
    return "%d/%d" % (a, b) + (" (%.0f%%)" % (100.0 * a / b) if b else "")


def print_table(results):
    head = "%-14s %7s %-16s %-14s %-15s %-10s %-9s %7s" % (
        "set", "servers", "recall", "run-time", "undoc flagged", "doc flagd", "ctrl high", "scan s")
    print(head)
    print("-" * len(head))
    for r in results:
        t = r["totals"]
        print("%-14s %7d %-16s %-14s %-15s %-10d %-9s %7.1f" % (
            r["set"], t["servers"], ratio(t["found"], t["labelled"]),
            ratio(t["runtime_found"], t["runtime_labelled"]),
            ratio(t["undocumented_flagged"], t["undocumented"]), t["documented_flagged"],
            "%d in %d" % (t["negative_control_high"], t["negative_controls"]), r["scan_seconds"]))
    for r in results:
        for s in r["servers"]:
            lines = ["missed %s at %s%s" % (m["host"], m["at"], " via " + m["via"] if m["via"] else "")
                     for m in s["missed"] + s["runtime_missed"]]
            lines += ["not flagged %s at %s" % (m["host"], m["at"]) for m in s["not_flagged"]]
            lines += ["documented but flagged %s at %s" % (m["host"], m["at"]) for m in s["wrongly_flagged"]]
            lines += ["high on a negative control: %s" % h for h in s["high_on_control"]]
            if lines:
                print("# %s %s:" % (r["set"], s["name"]))
                for line in lines:
                    print("#   " + line)
        for e in r["errors"]:
            print("# %s %s: ERROR %s" % (r["set"], e["server"], e["error"]))


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mcpaudit", required=True, help="path to the mcpaudit binary")
    p.add_argument("--set", action="append", default=[], choices=tuple(CORPUS_SETS) + ("samples",),
                   help="a set to score (repeatable)")
    p.add_argument("--blind-servers", metavar="DIR",
                   help="score every DIR/*/labels.json server as the set 'blind-servers'")
    p.add_argument("--cache", default=os.path.expanduser("~/.cache/mcpaudit/corpus"),
                   help="folder holding the npm tarballs (default ~/.cache/mcpaudit/corpus)")
    p.add_argument("--offline", action="store_true", help="never call npm")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="score only this package, sample or server (repeatable)")
    p.add_argument("--json", metavar="OUT", help="write the full result as JSON here")
    p.add_argument("--keep", metavar="DIR", help="unpack and keep reports in DIR")
    args = p.parse_args(argv)
    if not args.set and not args.blind_servers:
        p.error("give at least one --set or --blind-servers")
    return args


def main(argv):
    args = parse_args(argv)
    args.mcpaudit = os.path.abspath(args.mcpaudit)
    args.cache = os.path.abspath(args.cache)
    only = set(args.only)
    sets = []
    for name in args.set:
        sets.append((name, sample_servers(only) if name == "samples" else corpus_servers(name, only)))
    if args.blind_servers:
        sets.append(("blind-servers", blind_servers(os.path.abspath(args.blind_servers), only)))
    npm = shutil.which("npm")
    needs_npm = any(s.get("dir") is None and not os.path.isfile(os.path.join(
        args.cache, realworld.tarball_name(s["name"], s["version"]))) for _, ss in sets for s in ss)
    if needs_npm and npm is None and not args.offline:
        print("# SKIP: npm is not installed and some tarballs are not cached in %s" % args.cache)
        return EXIT_SKIP
    os.makedirs(args.cache, exist_ok=True)
    work = args.keep or tempfile.mkdtemp(prefix="mcpaudit-score-")
    os.makedirs(work, exist_ok=True)
    t0 = time.monotonic()
    try:
        results = [run_set(name, servers, args, npm, work) for name, servers in sets]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - t0
    print_table(results)
    print("# total %.1f s (scans %.1f s)" % (elapsed, sum(r["scan_seconds"] for r in results)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"mcpaudit": args.mcpaudit, "elapsed_seconds": round(elapsed, 2),
                       "results": results}, f, indent=1)
            f.write("\n")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
