#!/usr/bin/env python3
"""Defaults before the command line: .mcpaudit.json found walking up, MCPAUDIT_* variables,
--config/--no-config, and `mcpaudit baseline` writing a policy that accepts every finding.

  python3 tests/cli/test_config.py --mcpaudit BIN --source SRCDIR --work WORKDIR

Order checked: the file, then the environment, then the command line, each overriding the
one before. An audit never takes the file from the package it audits. Every check failed on
the build before cli/config.c and cli/baseline.c (checked by running this file against it:
no file was read, no variable either, and 'baseline' was an unknown command).
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

SERVER = ("fetch('https://t.metrics.example.net/v1/boot');\n"
          "fetch('https://collect.example.org/ingest');\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def run(binary, *argv, cwd, env=None):
    full = {k: v for k, v in os.environ.items() if not k.startswith("MCPAUDIT_")}
    full.update(env or {})
    return subprocess.run([binary, *argv], capture_output=True, text=True, cwd=cwd, env=full, timeout=120)


def hosts(r):
    """The hosts of unsuppressed findings of a JSON report, or None when it is not JSON."""
    try:
        doc = json.loads(r.stdout)
    except json.JSONDecodeError:
        return None
    return sorted(f["host"] for f in doc["findings"] if not f.get("suppressed"))


def project(work):
    """work/proj/.mcpaudit.json (JSONC) above work/proj/sub (the working folder) and srv."""
    root = os.path.join(work, "proj")
    shutil.rmtree(root, ignore_errors=True)
    write(os.path.join(root, "srv", "index.js"), SERVER)
    write(os.path.join(root, "notes", "api.md"), "Boot pings go to https://t.metrics.example.net/.\n")
    write(os.path.join(root, ".mcpaudit.json"),
          '// the project\'s defaults\n{\n  "allow": ["collect.example.org"],\n'
          '  /* paths are the file\'s */\n  "options": {"format": "json", "docs": ["notes/api.md"],\n'
          '    "pcap": "trace-only.pcap", "fail_on": "high",},\n}\n')
    os.makedirs(os.path.join(root, "sub"))
    return root


def check_file(t, b, work):
    root = project(work)
    sub, srv = os.path.join(root, "sub"), os.path.join(root, "srv")
    r = run(b, "scan", srv, cwd=sub)
    t.check(r.returncode == 0 and hosts(r) == [],
            f"found walking up from the working folder: format, allow and docs (a relative path) apply; "
            f"another command's option (pcap) is left alone ({r.returncode} {r.stderr[-200:]})")
    r = run(b, "scan", srv, "-f", "text", cwd=sub)
    t.check(r.stdout.startswith("mcpaudit "), "the command line's -f text overrides the file's json")
    r = run(b, "scan", "--no-config", srv, cwd=sub)
    t.check(r.returncode == 1 and r.stdout.startswith("mcpaudit "), "--no-config: no file, text, exit 1")
    r = run(b, "scan", srv, cwd=sub, env={"MCPAUDIT_NO_CONFIG": "1"})
    t.check(r.returncode == 1 and r.stdout.startswith("mcpaudit "), "MCPAUDIT_NO_CONFIG=1: no file")
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere, exist_ok=True)
    r = run(b, "scan", srv, cwd=elsewhere)
    t.check(r.returncode == 0 and hosts(r) == [], "scan: found walking up from the target when the "
            "working folder has none")
    r = run(b, "scan", "--config", os.path.join(root, ".mcpaudit.json"), srv, "--no-docs", cwd=elsewhere)
    t.check(hosts(r) == [] , "--config FILE names the file (docs from its options still count)")
    # an audit's target is the package under review: its own file must not pass it
    r = run(b, "audit", "--static-only", "-f", "json", srv, cwd=elsewhere)
    t.check(r.returncode == 1 and hosts(r) == ["collect.example.org", "t.metrics.example.net"],
            f"audit ignores the file above its target ({r.returncode} {hosts(r)})")
    write(os.path.join(root, ".mcpaudit.json"), '{"options": {"formt": "json"}}')
    r = run(b, "scan", srv, cwd=sub)
    t.check(r.returncode == 2 and ".mcpaudit.json" in r.stderr and '"format"' in r.stderr,
            f"an unknown option in the file: exit 2, the file named, the closest option ({r.stderr.strip()})")
    write(os.path.join(root, ".mcpaudit.json"), '{"options": {"color": "sometimes"}}')
    r = run(b, "scan", srv, cwd=sub)
    t.check(r.returncode == 2 and ".mcpaudit.json" in r.stderr and "always" in r.stderr,
            "a bad value in the file: exit 2, the file named, the values")
    write(os.path.join(root, ".mcpaudit.json"), '{"alow": []}')
    r = run(b, "scan", srv, cwd=sub)
    t.check(r.returncode == 2 and 'unknown key "alow"' in r.stderr, "an unknown policy key in the file: exit 2")


def check_env(t, b, work):
    root = project(work)
    os.remove(os.path.join(root, ".mcpaudit.json"))
    srv = os.path.join(root, "srv")
    r = run(b, "scan", srv, cwd=root, env={"MCPAUDIT_FORMAT": "json", "MCPAUDIT_FAIL_ON": "critical"})
    t.check(r.returncode == 0 and hosts(r) is not None and len(hosts(r)) == 2,
            "MCPAUDIT_FORMAT and MCPAUDIT_FAIL_ON set the defaults")
    r = run(b, "scan", srv, "--fail-on", "high", cwd=root, env={"MCPAUDIT_FAIL_ON": "critical"})
    t.check(r.returncode == 1, "the command line's --fail-on overrides MCPAUDIT_FAIL_ON")
    r = run(b, "scan", srv, cwd=root, env={"MCPAUDIT_FORMAT": "yaml"})
    t.check(r.returncode == 2 and "environment" in r.stderr and "yaml" in r.stderr,
            "a bad MCPAUDIT_FORMAT: exit 2, saying it came from the environment")
    r = run(b, "scan", srv, cwd=root, env={"MCPAUDIT_NO_DOCS": "perhaps"})
    t.check(r.returncode == 2 and "MCPAUDIT_NO_DOCS" in r.stderr, "a flag variable takes only yes/no words")
    write(os.path.join(root, ".mcpaudit.json"), '{"options": {"fail-on": "critical"}}')
    r = run(b, "scan", srv, cwd=root, env={"MCPAUDIT_FAIL_ON": "high"})
    t.check(r.returncode == 1, "MCPAUDIT_FAIL_ON overrides the file's fail-on")


def check_baseline(t, b, work):
    root = project(work)
    os.remove(os.path.join(root, ".mcpaudit.json"))
    srv = os.path.join(root, "srv")
    report = os.path.join(root, "report.json")
    r = run(b, "scan", srv, "-f", "json", "-o", report, cwd=root)
    t.check(r.returncode == 1, "before the baseline: two findings, exit 1")
    r = run(b, "baseline", report, "-o", os.path.join(root, ".mcpaudit.json"), "--expires", "2099-12-31",
            "--reason", "first review", cwd=root)
    t.check(r.returncode == 0, f"baseline writes a policy ({r.stderr.strip()})")
    r = run(b, "scan", srv, "-f", "json", cwd=root)
    t.check(r.returncode == 0 and hosts(r) == [], "with the baseline as .mcpaudit.json: nothing fails")
    with open(os.path.join(srv, "index.js"), "a") as f:
        f.write("fetch('https://new.example.net/x');\n")
    r = run(b, "scan", srv, "-f", "json", cwd=root)
    t.check(r.returncode == 1 and hosts(r) == ["new.example.net"], "a new call still fails, alone")
    # a run's findings have no file: named by rule, host and phase
    dynamic = {"findings": [
        {"rule_id": "hidden-egress", "host": "beacon.example.net", "file": None, "phase": "tool:convert",
         "fingerprint": None, "message": "contacted", "suppressed": None},
        {"rule_id": "credential-exfiltration", "host": None, "file": None, "phase": "startup",
         "fingerprint": None, "message": "no host to name", "suppressed": None}]}
    envelope = {"reports": [dynamic]}
    write(os.path.join(root, "dyn.json"), json.dumps(envelope))
    r = run(b, "baseline", "dyn.json", "--reason", "reviewed in #7", cwd=root)
    try:
        entries = json.loads(r.stdout)["suppress"]
    except (json.JSONDecodeError, KeyError):
        entries = None
    t.check(entries == [{"rule": "hidden-egress", "host": "beacon.example.net", "phase": "tool:convert",
                         "reason": "reviewed in #7"}],
            f"baseline of an envelope: a file-less finding by rule, host and phase ({entries})")
    t.check("no host to name" in r.stderr, "a finding with nothing to name it by is listed on stderr")
    write(os.path.join(root, "dyn-policy.json"), r.stdout)
    r = run(b, "scan", "--no-config", "-p", os.path.join(root, "dyn-policy.json"), srv, cwd=root)
    t.check(r.returncode in (0, 1), f"the policy loader takes the file-less entry ({r.stderr.strip()})")
    # a finding the report shows as suppressed keeps its reason (failed before the fix: the
    # reason was looked for in "suppressed", which the JSON report writes as a boolean)
    run(b, "scan", srv, "-f", "json", "-o", report, cwd=root)
    r = run(b, "baseline", report, cwd=root)
    reasons = sorted(e.get("reason", "") for e in json.loads(r.stdout)["suppress"]) if r.returncode == 0 else []
    t.check(len(reasons) == 3 and reasons.count("first review") == 2 and reasons[0].startswith("baseline of "),
            f"a suppressed finding keeps its reason, a new one gets the default ({reasons})")
    r = run(b, "baseline", os.path.join(root, "missing.json"), cwd=root)
    t.check(r.returncode == 2 and "missing.json" in r.stderr, "baseline of a missing report: exit 2")


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    check_file(t, args.mcpaudit, args.work)
    check_env(t, args.mcpaudit, args.work)
    check_baseline(t, args.mcpaudit, args.work)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
