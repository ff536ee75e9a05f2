#!/usr/bin/env python3
"""SARIF as GitHub code scanning takes it, not only as the schema allows.

  python3 tests/schema/test_sarif_github.py --mcpaudit BIN --source SRCDIR --work WORKDIR

The rules checked are GitHub's documented ones ("SARIF support for code scanning",
docs.github.com/code-security/code-scanning/integrating-with-code-scanning/
sarif-support-for-code-scanning, and its upload limits), plus what makes an alert land on
the right line:
  - version 2.1.0; at most 20 runs per file; each run a tool.driver.name, and runs of the
    same tool told apart by runs[].automationDetails.id (GitHub refuses two runs with the
    same tool and category in one upload);
  - at most 25,000 rules and 25,000 results per run, 20 tags per rule, a security-severity
    between 0.0 and 10.0, the tool's informationUri and each rule's helpUri absolute URLs;
  - each result: ruleId of a rule, ruleIndex pointing at it, message.text, 1 to 1,000
    locations each with a physicalLocation whose artifactLocation.uri is relative (GitHub
    reads it from the repository root), a uriBaseId defined in originalUriBaseIds, 1-based
    startLine/startColumn, and partialFingerprints (GitHub's way to follow an alert);
  - run.columnKind declared, and startColumn counted in it (UTF-16 code units here);
  - no absolute local path and no file: URI anywhere in the log.
A monorepo (a .git folder, and a worktree's .git file) checks that uris start at the
repository root and name files that exist there; --sarif-root moves the root. An audit of
two targets gives one run each. Failed before (checked with the old build): uris were
relative to the scanned folder, %SRCROOT% carried the absolute local path, file-less
results pointed at "." without a fingerprint, no columnKind or helpUri, and several audit
targets could not be written as SARIF at all.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlparse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

MAX_RUNS, MAX_RULES, MAX_RESULTS, MAX_TAGS, MAX_LOCATIONS = 20, 25000, 25000, 20, 1000
SERVER_LINE = 'const s = "\U0001F600\u00e9"; fetch("https://x.example.net/a");\n'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def run(binary, *argv, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCPAUDIT_")}
    return subprocess.run([binary, *argv], capture_output=True, cwd=cwd, env=env, timeout=300)


def absolute_url(u):
    p = urlparse(u or "")
    return p.scheme in ("http", "https") and bool(p.netloc)


def github_rules(t, label, log_text, forbidden_paths):
    """Checks one log against GitHub's rules; returns the parsed log (or None)."""
    try:
        log = json.loads(log_text)
    except json.JSONDecodeError as e:
        t.check(False, f"{label}: SARIF is JSON ({e})")
        return None
    problems = []
    if log.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    runs = log.get("runs") or []
    if not 1 <= len(runs) <= MAX_RUNS:
        problems.append(f"{len(runs)} runs")
    ids = [(r.get("tool", {}).get("driver", {}).get("name"), (r.get("automationDetails") or {}).get("id"))
           for r in runs]
    if len(set(ids)) != len(ids):
        problems.append(f"runs of one tool without their own automationDetails.id: {ids}")
    for ri, run_ in enumerate(runs):
        problems += check_run(ri, run_)
    for p in forbidden_paths:
        if p in log_text:
            problems.append(f"the local path {p} is in the log")
    if "file:" in log_text:
        problems.append("a file: URI is in the log")
    t.check(not problems, f"{label}: GitHub's SARIF rules " + "; ".join(problems[:6]))
    return log


def check_run(ri, run_):
    problems = []
    driver = run_.get("tool", {}).get("driver", {})
    rules = driver.get("rules") or []
    if not driver.get("name"):
        problems.append(f"run {ri}: no tool.driver.name")
    if not absolute_url(driver.get("informationUri")):
        problems.append(f"run {ri}: informationUri")
    if run_.get("columnKind") not in ("utf16CodeUnits", "unicodeCodePoints"):
        problems.append(f"run {ri}: columnKind {run_.get('columnKind')}")
    if len(rules) > MAX_RULES or len(run_.get("results") or []) > MAX_RESULTS:
        problems.append(f"run {ri}: too many rules or results")
    for rule in rules:
        props = rule.get("properties") or {}
        sev = props.get("security-severity")
        if not rule.get("id") or not (rule.get("shortDescription") or {}).get("text") \
                or not (rule.get("help") or {}).get("text") or not absolute_url(rule.get("helpUri")):
            problems.append(f"rule {rule.get('id')}: id, shortDescription, help or helpUri missing")
        if len(props.get("tags") or []) > MAX_TAGS or sev is None or not 0.0 <= float(sev) <= 10.0:
            problems.append(f"rule {rule.get('id')}: tags or security-severity")
    bases = set((run_.get("originalUriBaseIds") or {}).keys())
    for res in run_.get("results") or []:
        problems += check_result(res, rules, bases)
    # GitHub follows an alert by rule and fingerprint: two results of one run with the same
    # pair become one alert, and the other result is lost from code scanning.
    keys = [(res.get("ruleId"), tuple(sorted((res.get("partialFingerprints") or {}).items())))
            for res in run_.get("results") or []]
    dups = {k[0] for k in keys if keys.count(k) > 1}
    if dups:
        problems.append(f"run {ri}: results share a rule and fingerprint: {sorted(dups)}")
    return problems


def check_result(res, rules, bases):
    problems = []
    idx = res.get("ruleIndex")
    if not isinstance(idx, int) or not 0 <= idx < len(rules) or rules[idx].get("id") != res.get("ruleId"):
        problems.append(f"{res.get('ruleId')}: ruleIndex does not name its rule")
    if not (res.get("message") or {}).get("text"):
        problems.append(f"{res.get('ruleId')}: no message.text")
    fps = res.get("partialFingerprints") or {}
    if not fps or not all(isinstance(v, str) and v for v in fps.values()):
        problems.append(f"{res.get('ruleId')}: no partialFingerprints")
    locs = res.get("locations") or []
    if not 1 <= len(locs) <= MAX_LOCATIONS:
        problems.append(f"{res.get('ruleId')}: {len(locs)} locations")
    for loc in locs:
        phys = loc.get("physicalLocation") or {}
        art = phys.get("artifactLocation") or {}
        uri = art.get("uri") or ""
        if not uri or urlparse(uri).scheme or uri.startswith("/") or uri == ".":
            problems.append(f"{res.get('ruleId')}: uri {uri!r} is not a file relative to the repository")
        if art.get("uriBaseId") and art["uriBaseId"] not in bases:
            problems.append(f"{res.get('ruleId')}: uriBaseId {art['uriBaseId']} not in originalUriBaseIds")
        region = phys.get("region")
        if region is not None and (region.get("startLine", 0) < 1 or region.get("startColumn", 1) < 1):
            problems.append(f"{res.get('ruleId')}: region not 1-based")
    return problems


def uris(log):
    return [loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"] for res in r["results"] for loc in res["locations"]]


def utf16_column(line_bytes, byte_column):
    return len(line_bytes[:byte_column - 1].decode("utf-8").encode("utf-16-le")) // 2 + 1


def check_monorepo(t, b, work, src):
    mono = os.path.join(work, "mono")
    shutil.rmtree(mono, ignore_errors=True)
    os.makedirs(os.path.join(mono, ".git"))
    write(os.path.join(mono, "services", "weather", "index.js"), SERVER_LINE)
    write(os.path.join(mono, "services", "weather", "package.json"), '{"name": "weather", "version": "1.0.0"}\n')
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere, exist_ok=True)
    target = os.path.join(mono, "services", "weather")
    r = run(b, "scan", "-f", "sarif", target, cwd=elsewhere)
    log = github_rules(t, "scan in a monorepo", r.stdout.decode(), [work, src])
    if not log:
        return
    got = uris(log)
    t.check(got and all(u == "services/weather/index.js" for u in got),
            f"uris start at the repository root ({got})")
    t.check(all(os.path.isfile(os.path.join(mono, unquote(u))) for u in got), "each uri names a file of the repository")
    j = json.loads(run(b, "scan", "-f", "json", target, cwd=elsewhere).stdout)
    f = next(x for x in j["findings"] if x["file"] == "index.js" and x["column"])
    res = next(x for x in log["runs"][0]["results"] if x["ruleId"] == f["rule_id"])
    want = utf16_column(SERVER_LINE.encode("utf-8"), f["column"])
    got_col = res["locations"][0]["physicalLocation"]["region"].get("startColumn")
    t.check(got_col == want and want != f["column"],
            f"startColumn in UTF-16 code units: {got_col}, want {want} (the JSON's byte column is {f['column']})")
    r = run(b, "scan", "-f", "sarif", "--sarif-root", os.path.join(mono, "services"), target, cwd=elsewhere)
    log = github_rules(t, "--sarif-root", r.stdout.decode(), [work, src])
    t.check(log and set(uris(log)) == {"weather/index.js"}, "--sarif-root DIR: uris from DIR")
    # a worktree or submodule has a .git file, not a folder
    shutil.rmtree(os.path.join(mono, ".git"))
    write(os.path.join(mono, ".git"), "gitdir: /nonexistent.invalid/worktrees/mono\n")
    r = run(b, "scan", "-f", "sarif", target, cwd=elsewhere)
    log = github_rules(t, "scan in a worktree", r.stdout.decode(), [work, src])
    t.check(log and set(uris(log)) == {"services/weather/index.js"}, "a .git file marks the root too")


def check_audit_runs(t, b, work, src):
    root = os.path.join(work, "audits")
    shutil.rmtree(root, ignore_errors=True)
    for name in ("alpha", "beta"):
        write(os.path.join(root, name, "package.json"),
              json.dumps({"name": f"srv-{name}", "version": "1.0.0", "dependencies": {"expresss": "^4.0.0"}}))
        write(os.path.join(root, name, "index.js"), SERVER_LINE)
    r = run(b, "audit", "--static-only", "-f", "sarif", os.path.join(root, "alpha"), os.path.join(root, "beta"),
            cwd=root)
    t.check(r.returncode in (0, 1), f"audit of two targets writes SARIF ({r.returncode} {r.stderr[-200:]!r})")
    log = github_rules(t, "audit of two targets", r.stdout.decode(), [work, src])
    if not log:
        return
    t.check(len(log["runs"]) == 2, f"one run per audited target ({len(log['runs'])})")
    files = {u for u in uris(log)}
    # under ctest the work folder is inside the source checkout, whose root the uris then start at
    t.check(any(u.split("/")[-1] == "package.json" for u in files) and "." not in files,
            f"results without a file point at the package's manifest, never at '.' ({files})")


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    check_monorepo(t, args.mcpaudit, args.work, args.source)
    check_audit_runs(t, args.mcpaudit, args.work, args.source)
    for sample in sorted(os.listdir(os.path.join(args.source, "samples"))):
        folder = os.path.join(args.source, "samples", sample)
        if not os.path.isdir(folder) or not re.match(r"\d\d-", sample):
            continue
        r = run(args.mcpaudit, "scan", "-f", "sarif", folder, cwd=args.work)
        github_rules(t, f"samples/{sample}", r.stdout.decode(), [args.work, os.path.realpath(args.source)])
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
