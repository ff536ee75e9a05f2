#!/usr/bin/env python3
"""annotations.py: list and sanity-check the expectation comments in samples/.

    python3 samples/annotations.py           # check; exit 1 on a problem
    python3 samples/annotations.py --json    # print every expectation as JSON

Each `expect: RULE [HOST]` comment applies to its own line when code precedes
it, else to the first non-comment, non-blank line below it (so several can
stack). Each `ok: HOST` applies to the whole sample. See README.md.
"""

import ipaddress
import json
import os
import re
import sys

RULES = {
    "undocumented-egress", "obfuscated-destination", "dynamic-code-execution", "subprocess-egress",
    "raw-socket-egress", "dns-egress", "lookalike-domain", "exfil-prone-destination", "env-configurable-egress",
    "user-directed-egress", "credential-access", "credential-flow", "unparsed-file",
}
SOURCE_EXT = (".js", ".mjs", ".cjs", ".ts", ".py")
ANNOT = re.compile(r"(?:#|//)\s*(expect|ok):\s*(\S+)(?:\s+(\S+))?\s*$")
RESERVED_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("test", "invalid", "example")


def reserved(host):
    try:
        return any(ipaddress.ip_address(host) in net for net in RESERVED_NETS)
    except ValueError:
        pass
    host = host.lower().rstrip(".")
    return host.rsplit(".", 1)[-1] in RESERVED_TLDS or any(host == d or host.endswith("." + d) for d in RESERVED_DOMAINS)


def is_comment(line):
    s = line.strip()
    return s == "" or s.startswith(("//", "#", "/*", "*"))


def scan_file(sample, rel, lines, out, problems):
    for i, line in enumerate(lines):
        m = ANNOT.search(line)
        if not m:
            continue
        kind, a, b = m.groups()
        where = f"{sample}/{rel}:{i + 1}"
        if kind == "ok":
            if not reserved(a):
                problems.append(f"{where}: ok host {a} is not reserved")
            out.append({"sample": sample, "kind": "ok", "host": a, "file": rel, "line": i + 1})
            continue
        if a not in RULES:
            problems.append(f"{where}: unknown rule {a}")
        if b and not reserved(b):
            problems.append(f"{where}: host {b} is not reserved")
        target = i
        if is_comment(line):
            target = i + 1
            while target < len(lines) and is_comment(lines[target]):
                target += 1
            if target >= len(lines):
                problems.append(f"{where}: expect with no code below")
                continue
        out.append({"sample": sample, "kind": "expect", "rule_id": a, "host": b, "file": rel, "line": target + 1})


def main():
    root = os.path.dirname(os.path.abspath(__file__))
    out, problems = [], []
    for sample in sorted(os.listdir(root)):
        sdir = os.path.join(root, sample)
        if not os.path.isdir(sdir) or not re.match(r"\d\d-", sample):
            continue
        for dirpath, dirnames, filenames in os.walk(sdir):
            dirnames[:] = sorted(d for d in dirnames if d not in ("node_modules", "__pycache__"))
            for name in sorted(filenames):
                if name.endswith(SOURCE_EXT):
                    path = os.path.join(dirpath, name)
                    with open(path, encoding="utf-8") as f:
                        scan_file(sample, os.path.relpath(path, sdir), f.read().splitlines(), out, problems)
    if "--json" in sys.argv:
        json.dump(out, sys.stdout, indent=1)
        print()
    for p in problems:
        print("problem:", p, file=sys.stderr)
    if "--json" not in sys.argv:
        n = sum(1 for e in out if e["kind"] == "expect")
        print(f"{n} expectations, {len(out) - n} ok hosts, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
