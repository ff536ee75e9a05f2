#!/usr/bin/env python3
"""Validate every JSON and SARIF report against its schema.

JSON against docs/report.schema.json (the contract), SARIF against the official OASIS
SARIF 2.1.0 schema plus the rules GitHub code scanning adds (a location on every result,
ruleIndex matching ruleId, 1-based lines). The documents come from `mcpaudit scan` over
every sample, and from the report-writer unit test, which dumps a hand-built report full of
hostile strings. A deliberately broken document checks that the validator can fail.

  python3 tests/schema/test_schema.py --mcpaudit BIN --source SRCDIR --work WORKDIR

Prints "ok - ..." / "not ok - ..." lines and "N passed, N failed, N skipped"; exits 1 on a
failure. Without node or npm, or without a sandbox for the traced documents
(tests/lib/sandbox_probe.py decides), it fails under CI=true and skips, saying why, elsewhere
(77 when nothing ran). A trace or audit that does not give its document is a failure.
"""
import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

HERE = Path(__file__).resolve().parent


class Tally(testkit.Tally):
    def ok(self, name):
        super().check(True, name)

    def not_ok(self, name, why=""):
        super().check(False, name + (f": {why}" if why else ""))

    def check(self, cond, name, why=""):
        (self.ok if cond else self.not_ok)(name, *([why] if not cond else []))
        return cond


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def install_validators(work: Path):
    """npm ci into work, skipped when the lock file has not changed since the last run."""
    lock = (HERE / "package-lock.json").read_bytes()
    stamp = work / ".lock-sha256"
    digest = hashlib.sha256(lock).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and (work / "node_modules/ajv").is_dir():
        return
    for name in ("package.json", "package-lock.json"):
        shutil.copy(HERE / name, work / name)
    res = run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=work)
    if res.returncode != 0:
        raise RuntimeError(f"npm ci failed:\n{res.stderr}")
    stamp.write_text(digest)


def fetch_sarif_schema(work: Path) -> Path:
    """The official schema out of its pinned package's tarball, checked twice: the tarball
    against its npm integrity, the file against its sha256."""
    pin = json.loads((HERE / "package.json").read_text())["sarifSchema"]
    out = work / "sarif-schema-2.1.0.json"
    if out.exists() and hashlib.sha256(out.read_bytes()).hexdigest() == pin["sha256"]:
        return out
    packs = work / "pack"
    packs.mkdir(exist_ok=True)
    res = run(["npm", "pack", "--json", "--pack-destination", str(packs), pin["package"]],
              cwd=work)
    if res.returncode != 0:
        raise RuntimeError(f"npm pack {pin['package']} failed:\n{res.stderr}")
    tarball = packs / json.loads(res.stdout)[0]["filename"]
    algo, _, want = pin["integrity"].partition("-")
    got = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode()
    if got != want:
        raise RuntimeError(f"{tarball.name}: integrity {algo}-{got}, pinned {pin['integrity']}")
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(pin["path"])
        if member is None:
            raise RuntimeError(f"{pin['path']} missing from {tarball.name}")
        data = member.read()
    if hashlib.sha256(data).hexdigest() != pin["sha256"]:
        raise RuntimeError(f"{pin['path']}: sha256 does not match the pin")
    out.write_bytes(data)
    tarball.unlink()
    return out


def writer_documents(mcpaudit: Path, work: Path, tally: Tally):
    """The unit test's hand-built report, in every format (tests/unit/test_report_writers)."""
    exe = mcpaudit.parent / "tests" / "test_report_writers"
    if not exe.exists():
        tally.not_ok("writer documents", f"{exe} not built")
        return []
    out = work / "writers"
    out.mkdir(exist_ok=True)
    res = run([str(exe), str(out)])
    tally.check(res.returncode == 0, "test_report_writers dumps its documents", res.stderr)
    return [out / "report.json", out / "report.sarif"]


def broken_document(work: Path, good: Path) -> Path:
    """A copy of a valid report with a contract violation: must be rejected."""
    doc = json.loads(good.read_text())
    doc["endpoints"].append({"host": "x.example", "kind": "teleport"})
    doc["surprise"] = True
    bad = work / "broken.json"
    bad.write_text(json.dumps(doc))
    return bad


def sample_documents(mcpaudit: Path, source: Path, work: Path, tally: Tally):
    """`mcpaudit scan` over every sample, as JSON and SARIF. Exit 1 (findings) is normal."""
    docs = []
    if not mcpaudit.exists():
        tally.not_ok(f"{mcpaudit} exists")
        return docs
    out = work / "samples"
    out.mkdir(exist_ok=True)
    for sample in sorted(p for p in (source / "samples").iterdir() if p.is_dir()):
        if not sample.name[:1].isdigit():
            continue  # lib/ (the shims) and clients/ (client configurations) are not servers
        for fmt, ext in (("json", "json"), ("sarif", "sarif")):
            res = run([str(mcpaudit), "scan", "--format", fmt, str(sample)])
            name = f"scan {sample.name} --format {fmt}"
            if res.returncode not in (0, 1):
                tally.not_ok(name, f"exit {res.returncode}: {res.stderr.strip()[:300]}")
                continue
            path = out / f"{sample.name}.{ext}"
            path.write_text(res.stdout)
            docs.append(path)
    return docs


def validate(work: Path, schema: Path, files, tally: Tally, expect_ok=True):
    """Run validate.mjs over files; each file's verdict becomes one tally line."""
    if not files:
        return
    res = run(["node", str(work / "validate.mjs"), str(schema), *map(str, files)], cwd=work)
    verdicts, errors = {}, None
    for line in res.stdout.splitlines():
        verdict, _, name = line.partition(" - ")
        if verdict in ("ok", "not ok"):
            errors = []
            verdicts[name] = (verdict == "ok", errors)
        elif line.startswith("#") and errors is not None:
            errors.append(line)
    for f in files:
        ok, why = verdicts.get(str(f), (False, [res.stderr.strip()[:500]]))
        name = f"{f.name} {'validates' if expect_ok else 'is rejected'} ({schema.name})"
        tally.check(ok == expect_ok, name, "\n".join(why) if ok != expect_ok else "")


def github_checks(path: Path, tally: Tally):
    """What GitHub code scanning demands beyond the schema."""
    run0 = json.loads(path.read_text())["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    problems = []
    for i, res in enumerate(run0.get("results", [])):
        idx = res.get("ruleIndex")
        if idx is None or idx >= len(rules) or rules[idx]["id"] != res["ruleId"]:
            problems.append(f"result {i}: ruleIndex {idx} is not {res['ruleId']}")
        locs = res.get("locations") or []
        phys = locs[0].get("physicalLocation", {}) if locs else {}
        if not phys.get("artifactLocation", {}).get("uri"):
            problems.append(f"result {i}: no physical location (GitHub rejects the upload)")
        if phys.get("region", {}).get("startLine", 1) < 1:
            problems.append(f"result {i}: startLine below 1")
    if "executionSuccessful" not in run0["invocations"][0]:
        problems.append("no invocations[0].executionSuccessful")
    tally.check(not problems, f"{path.name} meets GitHub code scanning's rules", "; ".join(problems))


def trace_documents(mcpaudit: Path, source: Path, work: Path, tally: Tally):
    """`mcpaudit trace` of two samples, as JSON and SARIF: the dynamic stage's output holds to
    the same contract. Where the probe says the sandbox cannot be made: tally.skip (a
    failure under CI); with a sandbox, a trace without its document is a failure."""
    docs = []
    why = testkit.sandbox_problem()
    if why:
        tally.skip("trace documents", why)
        return docs
    out = work / "traces"
    out.mkdir(exist_ok=True)
    # 35: HTTPS read inside TLS and a refused handshake (evidence "content", endpoint
    # "content_seen", rule tls-interception-refused): without them in the schema, whose
    # objects allow no other properties, its document fails (checked)
    for sample, cmd in (("06-startup-telemetry-js", ["node", "index.js"]),
                        ("31-canary-thief-py", ["python3", "server.py"]),
                        ("35-https-exfil-js", ["node", "index.js"])):
        for fmt in ("json", "sarif"):
            path = out / f"{sample}.{fmt}"
            res = subprocess.run([str(mcpaudit.resolve()), "trace", "--format", fmt, "--output", str(path),
                                  "--quiet-period", "1", "--root", str((source / "samples").resolve()), "--"] + cmd,
                                 cwd=source / "samples" / sample, capture_output=True, text=True, timeout=120)
            if not tally.check(res.returncode in (0, 1), f"trace {sample} --format {fmt} gives a document",
                               f"exit {res.returncode}: {res.stderr.strip()[:300]}"):
                continue
            docs.append(path)
    return docs


def audit_documents(mcpaudit: Path, source: Path, work: Path, tally: Tally):
    """`mcpaudit audit` (verdict, package, observed endpoints, install phase) as JSON and SARIF,
    one run with both stages and one static-only, plus a client configuration's servers."""
    docs = []
    out = work / "audits"
    out.mkdir(exist_ok=True)
    samples = (source / "samples").resolve()
    runs = (("33-dynamic", [str(samples / "33-postinstall-beacon-js")]),
            ("06-static", ["--static-only", str(samples / "06-startup-telemetry-js")]))
    for name, args in runs:
        for fmt in ("json", "sarif"):
            path = out / f"{name}.{fmt}"
            res = subprocess.run([str(mcpaudit.resolve()), "audit", "--format", fmt, "--output", str(path),
                                  "--quiet-period", "1"] + args, capture_output=True, text=True, timeout=300)
            if not tally.check(res.returncode in (0, 1), f"audit {name} --format {fmt} gives a document",
                               f"exit {res.returncode}: {res.stderr.strip()[:300]}"):
                continue
            docs.append(path)
    # several servers: --output-dir writes one folder each
    res = subprocess.run([str(mcpaudit.resolve()), "audit", "--static-only", "--output-dir", str(out / "clients"),
                          str(samples / "clients" / "claude_desktop_config.json")], capture_output=True, text=True,
                         timeout=300)
    docs += sorted((out / "clients").glob("*/report.json")) + sorted((out / "clients").glob("*/report.sarif"))
    # several servers in one document: the JSON envelope (a bare array of reports before it,
    # which failed the schema: checked on the old build) and a SARIF log with a run each
    for fmt in ("json", "sarif"):
        path = out / f"clients-all.{fmt}"
        res = subprocess.run([str(mcpaudit.resolve()), "audit", "--static-only", "--format", fmt, "--output",
                              str(path), str(samples / "clients" / "claude_desktop_config.json")],
                             capture_output=True, text=True, timeout=300)
        if tally.check(res.returncode in (0, 1) and path.exists(), f"audit of several servers --format {fmt}",
                       f"exit {res.returncode}: {res.stderr.strip()[:300]}"):
            docs.append(path)
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcpaudit", required=True, type=Path)
    ap.add_argument("--source", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    args = ap.parse_args()
    why = testkit.missing_tools("node", "npm")
    if why:
        return testkit.cannot_run(why)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    try:
        install_validators(work)
        sarif_schema = fetch_sarif_schema(work)
    except RuntimeError as err:
        tally.not_ok("set up the validators", str(err))
        return tally.finish()
    shutil.copy(HERE / "validate.mjs", work / "validate.mjs")  # imports resolve from work
    report_schema = args.source / "docs" / "report.schema.json"

    docs = writer_documents(args.mcpaudit, work, tally)
    docs += sample_documents(args.mcpaudit, args.source, work, tally)
    if args.mcpaudit.exists():
        docs += trace_documents(args.mcpaudit, args.source, work, tally)
        docs += audit_documents(args.mcpaudit, args.source, work, tally)
    jsons = [d for d in docs if d.suffix == ".json"]
    sarifs = [d for d in docs if d.suffix == ".sarif"]
    validate(work, report_schema, jsons, tally)
    validate(work, sarif_schema, sarifs, tally)
    for s in sarifs:
        github_checks(s, tally)
    if jsons:
        validate(work, report_schema, [broken_document(work, jsons[0])], tally, expect_ok=False)
    tally.check(bool(jsons) and bool(sarifs), "at least one JSON and one SARIF document checked")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
