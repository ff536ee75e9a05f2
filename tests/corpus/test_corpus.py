#!/usr/bin/env python3
"""Checks of the labelled npm corpus and of bench/score_static.py's arithmetic.

    python3 tests/corpus/test_corpus.py

1. tests/corpus/npm_corpus.json and npm_corpus2.json (batch 2) keep their own rules: every half is the one the sha256 rule
   gives, every pin is an exact version with a sha512 integrity, no package is one the
   realworld test already uses, labels have the documented shape.
2. score_report() on hand-written reports: a found host, a missed one, a '*.x' suffix, an
   undocumented host flagged by undocumented-egress or only by a medium egress rule, a
   documented host wrongly flagged, high findings on a negative control, '(user)' found by
   file. No network, no mcpaudit binary.
Prints `ok - ...` / `not ok - ...` and `N passed, M failed`; exit 1 on a failure.
"""

import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import score_static  # noqa: E402

PASSED, FAILED = [0], [0]


def check(ok, what, detail=""):
    if ok:
        PASSED[0] += 1
        print("ok - " + what)
    else:
        FAILED[0] += 1
        print("not ok - " + what + (": " + str(detail) if detail else ""))


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def check_corpus(name, halves, at_least, used):
    """One corpus file keeps its own rules; `halves` is (even, odd) of the sha256 rule."""
    corpus = load(name)
    pkgs = corpus["packages"]
    check(len(pkgs) >= at_least, "%s holds at least %d packages" % (name, at_least), len(pkgs))
    check(len({p["package"] for p in pkgs}) == len(pkgs), "%s: no package twice" % name)
    for p in pkgs:
        pkg = p["package"]
        want = halves[hashlib.sha256(pkg.encode("utf-8")).digest()[0] % 2]
        check(p["half"] == want, "%s: half follows the sha256 rule" % pkg, p["half"])
        check(re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", p["version"]) is not None,
              "%s: exact version" % pkg, p["version"])
        check(p["integrity"].startswith("sha512-"), "%s: sha512 integrity" % pkg)
        check(pkg not in used and not pkg.startswith("@modelcontextprotocol/"),
              "%s: not used elsewhere in the project" % pkg)
        for d in p["destinations"]:
            ok = (isinstance(d["host"], str) and d["host"]
                  and isinstance(d["file"], str) and isinstance(d["line"], int) and d["line"] > 0
                  and isinstance(d["documented"], bool))
            check(ok, "%s: label %s has host, file, line, documented" % (pkg, d.get("host")), d)
    return corpus


def check_corpora():
    with open(os.path.join(ROOT, "tests", "realworld", "servers.json"), encoding="utf-8") as f:
        used = {s["package"] for s in json.load(f)}
    batch1 = check_corpus("npm_corpus.json", ("dev", "blind"), 40, used)
    taken1 = {p["package"] for p in batch1["packages"]}
    # Batch 2 may not reuse a batch-1 package: its scores must be on code not seen before.
    batch2 = check_corpus("npm_corpus2.json", ("dev2", "blind2"), 20, used | taken1)
    taken2 = {p["package"] for p in batch2["packages"]}
    dropped = batch2.get("dropped", [])
    check(all(isinstance(d.get("package"), str) and d.get("why") for d in dropped),
          "npm_corpus2.json: every dropped package names a reason")
    check(not taken2 & {d["package"] for d in dropped},
          "npm_corpus2.json: no package both taken and dropped")
    check(set(score_static.CORPUS_SETS) == {"dev", "blind", "dev2", "blind2"},
          "score_static offers dev/blind (batch 1) and dev2/blind2 (batch 2)")


def endpoint(host, file="a.js", line=1, kind="literal", suffix=None):
    return {"host": host, "host_suffix": suffix, "kind": kind,
            "evidence": [{"file": file, "line": line}]}


def finding(rule, host, severity, file="a.js"):
    return {"rule_id": rule, "host": host, "severity": severity, "file": file, "line": 1}


def label(host, documented, file="a.js", line=1, user=False):
    return score_static.make_label(host, file, line, documented, user)


def check_scoring():
    server = {"name": "s", "labels": [
        label("api.example.com", True),
        label("t.example.net", False),
        label("m.example.net", False),
        label("missed.example.org", False, "b.js", 7),
        label("*.tenant.example.com", True),
        label("localhost", False),
        label("(user)", False, "c.js", 3, True),
    ]}
    rep = {"endpoints": [endpoint("api.example.com"), endpoint("t.example.net"),
                         endpoint("m.example.net"), endpoint(None, kind="partial",
                                                             suffix=".tenant.example.com"),
                         endpoint(None, "c.js", 9, kind="user-directed")],
           "findings": [finding("undocumented-egress", "t.example.net", "high"),
                        finding("exfil-prone-destination", "m.example.net", "medium"),
                        finding("undocumented-egress", "api.example.com", "high")]}
    s = score_static.score_report(server, rep)
    check((s["found"], s["labelled"]) == (4, 6), "recall counts each labelled host once", s)
    check([m["host"] for m in s["missed"]] == ["missed.example.org", "localhost"],
          "misses name host and place", s["missed"])
    check(s["missed"][0]["at"] == "b.js:7", "a miss carries the label's file:line")
    check((s["undocumented_flagged"], s["undocumented"]) == (2, 3),
          "undocumented: flagged by undocumented-egress or a medium egress rule; loopback left out",
          (s["undocumented_flagged"], s["undocumented"]))
    check(s["documented_flagged"] == 1 and s["wrongly_flagged"][0]["host"] == "api.example.com",
          "a documented host with undocumented-egress is counted", s["wrongly_flagged"])
    check((s["runtime_found"], s["runtime_labelled"]) == (1, 1),
          "a (user) label is found by a user-directed endpoint in its file")
    check(not s["negative_control"], "a server with undocumented hosts is no negative control")

    control = {"name": "c", "labels": [label("api.example.com", True)]}
    rep = {"endpoints": [endpoint("api.example.com")],
           "findings": [finding("subprocess-egress", None, "high"),
                        finding("exfil-prone-destination", "api.example.com", "medium"),
                        {**finding("dns-egress", None, "critical"), "suppressed": True}]}
    s = score_static.score_report(control, rep)
    check(s["negative_control"] and s["negative_control_high"] == 1,
          "high findings on a negative control are counted, suppressed ones are not", s)
    check(s["documented_flagged"] == 0,
          "a medium egress rule on a documented host is not 'documented flagged'")

    sample = score_static.make_label(".x.example.net", "i.js", 2, False)
    check(sample["kind"] == "suffix" and
          score_static.host_matches(sample, "abc.x.example.net"),
          "a sample's '.x.example.net' is a suffix label")


def main():
    check_corpora()
    check_scoring()
    print("%d passed, %d failed" % (PASSED[0], FAILED[0]))
    return 1 if FAILED[0] else 0


if __name__ == "__main__":
    sys.exit(main())
