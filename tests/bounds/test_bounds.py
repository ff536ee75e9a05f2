#!/usr/bin/env python3
"""Every static-engine bound that can drop part of a destination is reported (issue 9).

Usage:
    python3 tests/bounds/test_bounds.py --mcpaudit BIN --source SRCDIR --work WORKDIR

Each case writes a small server under WORKDIR whose one network call has a destination that
one bound cuts (more assignments, alternatives, callers, properties, characters ... than the
engine keeps), scans it with `BIN scan --format json`, and checks that `incomplete` has an
entry for the file that names the call's line and the bound, with the count of readings,
and only one entry per line and bound. A control case under every bound must get none.

MAX_CONDITIONAL (eval.c binding_value) is marked like the others but has no case: every
shape tried (assignments in if blocks, loops, try blocks, loop variables, in JavaScript and
Python) is read through reaching() first, which MAX_REASSIGNED bounds.

Each case failed before the bounds were reported (checked by running this script with the
binary built at 57c753c, /work/wt-base/build/mcpaudit: every case but the controls failed,
the breadth bounds dropped their values silently, the work bounds gave one entry per file
without the bound's name).

Python 3 standard library only.
"""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402


def hosts(n, prefix="h"):
    return [f"https://{prefix}{i}.example.com/v1" for i in range(n)]


def py_reaching():
    lines = ["import os", "import requests", f"BASE = '{hosts(1)[0]}'"]
    for i, h in enumerate(hosts(11)[1:]):
        lines.append(f"if os.getenv('E{i}'):")
        lines.append(f"    BASE = '{h}'")
    lines.append("requests.get(BASE)")
    return "server.py", "\n".join(lines) + "\n", len(lines), "MAX_REASSIGNED"


def py_bindings():
    lines = ["import os", "import requests"]
    for i, h in enumerate(hosts(70)):
        lines.append(f"if os.getenv('E{i}'):")
        lines.append(f"    BASE = '{h}'")
    lines.append("requests.get(BASE)")
    return "server.py", "\n".join(lines) + "\n", len(lines), "MAX_BINDINGS"


def js_table(n, member=None):
    entries = ",\n".join(f"  r{i}: {{ url: '{h}' }}" if member else f"  r{i}: '{h}'"
                         for i, h in enumerate(hosts(n)))
    access = "TABLE[region].url" if member else "TABLE[region]"
    lines = [f"const TABLE = {{\n{entries}\n}};", "export async function call(region) {",
             f"  return fetch({access});", "}"]
    text = "\n".join(lines) + "\n"
    return text, text.splitlines().index(f"  return fetch({access});") + 1


def js_member_alts():
    text, line = js_table(10, member=True)
    return "server.js", text, line, "MEMBER_MAX_ALTS"


def js_emit_alts():
    text, line = js_table(10)
    return "server.js", text, line, "EMIT_MAX_ALTS"


def js_member_weight():
    big = ", ".join(f"k{i}: 'v{i}'" for i in range(70))
    entries = ",\n".join(f"  r{i}: {{ cfg: {{ url: '{h}', {big} }} }}" for i, h in enumerate(hosts(3)))
    text = (f"const TABLE = {{\n{entries}\n}};\nexport async function call(region) {{\n"
            "  return fetch(TABLE[region].cfg.url);\n}\n")
    return "server.js", text, text.splitlines().index("  return fetch(TABLE[region].cfg.url);") + 1, \
        "MEMBER_MAX_WEIGHT"


def js_value_caps():
    """The cases of the caps on one value, and of a concatenation's alternatives: (name,
    file, text, line, bound)."""
    alts_h = ", ".join(f"a{i}: 'https://c{i}.example.com'" for i in range(3))
    alts_p = ", ".join(f"b{i}: '/p{i}'" for i in range(3))
    # a template string: flat, so the depth bound does not come first
    pieces = ".".join(f"${{x{i}}}" for i in range(70))
    filler = ", ".join(f"o{i}: {i}" for i in range(70))
    arr = ", ".join(f"'{h}'" for h in hosts(70))
    return [
        ("js_concat", f"const H = {{ {alts_h} }};\nconst P = {{ {alts_p} }};\n"
         "export async function call(h, p) {\n  return fetch(H[h] + P[p]);\n}\n", 4, "CONCAT_MAX_ALTS"),
        ("js_parts", f"export async function call() {{\n  return fetch(`https://{pieces}.example.com/`);\n}}\n",
         2, "VALUE_MAX_PARTS"),
        ("js_props", f"const http = require('http');\nhttp.request({{ {filler}, host: 'p.example.com', path: '/' }});\n",
         2, "VALUE_MAX_PROPS"),
        ("js_items", f"const HOSTS = [{arr}];\nexport async function call(i) {{\n  return fetch(HOSTS[i]);\n}}\n",
         3, "VALUE_MAX_ITEMS"),
        ("js_text", f"fetch('https://t.example.com/{'a' * 9000}');\n", 1, "VALUE_MAX_TEXT"),
        ("js_split", f"const parts = '{','.join(hosts(70))}'.split(',');\n"
         "export async function call(i) {\n  return fetch(parts[i]);\n}\n", 3, "VALUE_MAX_ITEMS"),
    ]


def js_wrapper_callers():
    # every caller of a sink wrapper is read on its own (analyze.c keep_per_caller) up to
    # WRAPPER_MAX_CALLERS: past that the rest are named (MAX_LOCAL_CALLERS, the combined
    # reading's 4, is reached only when per-caller readings cannot be made)
    calls = "\n".join(f"get('{h}');" for h in hosts(300))
    text = f"function get(u) {{\n  return fetch(u);\n}}\n{calls}\n"
    return "server.js", text, 2, "WRAPPER_MAX_CALLERS"


def js_caller_depth():
    lines = ["function f0(u) {", "  return fetch(u);", "}"]
    for i in range(1, 6):
        lines.append(f"function f{i}(u) {{ return f{i - 1}(u); }}")
    lines.append("f5('https://deep.example.com/');")
    return "server.js", "\n".join(lines) + "\n", 2, "MAX_CALLER_DEPTH"


def js_steps():
    # each level reads the one before twice and keeps one: 2^20 steps, a short value
    lines = ["const a0 = 's.example.com';"]
    for i in range(1, 20):
        lines.append(f"const a{i} = [a{i - 1}, a{i - 1}][0];")
    lines.append("fetch('https://' + a19 + '.example.com/');")
    return "server.js", "\n".join(lines) + "\n", len(lines), "EVAL_MAX_STEPS"


def js_depth():
    expr = "'s.example.com'"
    for _ in range(60):
        expr = f"({expr})"
    text = f"fetch('https://' + {expr});\n"
    return "server.js", text, 1, "EVAL_MAX_DEPTH"


def flow_callers():
    files = {"lib.js": "export function get(u) {\n  return fetch(u);\n}\n"}
    for i, h in enumerate(hosts(70)):
        files[f"c{i}.js"] = f"import {{ get }} from './lib.js';\nget('{h}');\n"
    return files, "lib.js", 2, "FLOW_MAX_CALLERS"


def flow_depth():
    files = {"m0.js": "export function f0(u) {\n  return fetch(u);\n}\n"}
    for i in range(1, 7):
        files[f"m{i}.js"] = (f"import {{ f{i - 1} }} from './m{i - 1}.js';\n"
                             f"export function f{i}(u) {{\n  return f{i - 1}(u);\n}}\n")
    files["main.js"] = "import { f6 } from './m6.js';\nf6('https://deep.example.com/');\n"
    return files, "m0.js", 2, "FLOW_MAX_DEPTH"


def control():
    text = ("const TABLE = { a: 'https://k1.example.com', b: 'https://k2.example.com' };\n"
            "export async function call(k) {\n  return fetch(TABLE[k]);\n}\n")
    return "server.js", text, 0, None


CASES = [py_reaching, py_bindings, js_member_alts, js_emit_alts, js_member_weight, js_wrapper_callers, js_caller_depth, js_steps, js_depth,
         flow_callers, flow_depth, control]

ENTRY = re.compile(r"^line (\d+): bound ([A-Z_]+) \(\d+ [^)]*\) hit: .* \((\d+) readings? of the call site\)$")


def scan(args, folder):
    out = os.path.join(folder + ".json")
    p = subprocess.run([args.mcpaudit, "scan", "--format", "json", "--output", out, folder],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    if p.returncode not in (0, 1):
        return None, p.stderr
    with open(out, encoding="utf-8") as f:
        return json.load(f), p.stderr


def write(folder, files):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)


def exit_codes(args, t):
    """A scan whose only incomplete entry is a bound gives the exit codes a parse error
    gives: 0 by default (scan's --no-fail-on-incomplete), 1 with --fail-on-incomplete, and
    the text summary says it is not a pass."""
    hs = hosts(10)
    readme = "Contacts:\n" + "\n".join("- " + h for h in hs) + "\n"
    table = ", ".join(f"r{i}: '{h}'" for i, h in enumerate(hs))
    cases = {
        "exit_bound": {"README.md": readme,
                       "server.js": f"const T = {{{table}}};\nexport async function call(k) {{\n"
                                    "  return fetch(T[k]);\n}\n"},
        "exit_parse": {"server.js": "function (\n"},
    }
    codes = {}
    for name, files in cases.items():
        folder = os.path.join(args.work, name)
        write(folder, files)
        got = []
        for extra in ([], ["--fail-on-incomplete"]):
            p = subprocess.run([args.mcpaudit, "scan", *extra, folder], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=120)
            got.append((p.returncode, "not a pass" in p.stdout))
        codes[name] = got
    t.check(codes["exit_bound"] == codes["exit_parse"] == [(0, True), (1, True)],
            f"a bound alone is treated as a parse error is: {codes}")


def entry_cap(args, t):
    """70 sites that each hit a bound: 64 entries, then one that says 6 more."""
    table = ", ".join(f"r{i}: '{h}'" for i, h in enumerate(hosts(10)))
    calls = "\n".join(f"export const f{i} = (k) => fetch(T[k]);" for i in range(70))
    folder = os.path.join(args.work, "entry_cap")
    write(folder, {"server.js": f"const T = {{{table}}};\n{calls}\n"})
    doc, err = scan(args, folder)
    if doc is None:
        t.check(False, f"entry cap: scan failed: {err.strip()[:300]}")
        return
    bounds = [e for e in doc["incomplete"] if ENTRY.match(e["reason"] or "")]
    more = [e for e in doc["incomplete"] if "and 6 more call sites" in (e["reason"] or "")]
    t.check(len(bounds) == 64 and len(more) == 1, f"entry cap: 64 entries and one 'and 6 more' "
            f"(got {len(bounds)}, {[e['reason'] for e in more]})")


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    exit_codes(args, t)
    entry_cap(args, t)
    made = [(case.__name__, case()) for case in CASES]
    made += [(name, ("server.js", text, line, bound)) for name, text, line, bound in js_value_caps()]
    for name, case in made:
        if isinstance(case[0], dict):
            files, target, line, bound = case
        else:
            target, text, line, bound = case
            files = {target: text}
        folder = os.path.join(args.work, name)
        write(folder, files)
        doc, err = scan(args, folder)
        if doc is None:
            t.check(False, f"{name}: scan failed: {err.strip()[:300]}")
            continue
        found = []
        for e in doc["incomplete"]:
            m = ENTRY.match(e["reason"] or "")
            if m:
                found.append((e["file"], int(m.group(1)), m.group(2), int(m.group(3))))
        if bound is None:
            t.check(not found, f"{name}: no bound reported ({found})")
            continue
        hit = [f for f in found if f[0] == target and f[1] == line and f[2] == bound]
        ok = len(hit) == 1 and hit[0][3] >= 1
        t.check(ok, f"{name}: {target}:{line} names {bound} once"
                + ("" if ok else f" (got {found}; incomplete {doc['incomplete']})"))
        keys = [(f[0], f[1], f[2]) for f in found]
        t.check(len(keys) == len(set(keys)), f"{name}: one entry per site and bound")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
