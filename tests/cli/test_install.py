#!/usr/bin/env python3
"""`cmake --install` puts a working mcpaudit in place: the binary, the man page, the shell
completions and the documentation, and the installed binary works from any folder with no
source tree near it (its queries, knowledge lists and grammars are compiled in).

  python3 tests/cli/test_install.py --mcpaudit BIN --source SRCDIR --work WORKDIR

BIN's folder is the build tree (CMakeLists.txt puts the binary there). It installs into
WORK/dest with DESTDIR and a /usr/local prefix, copies a sample and a package with
typosquatted dependencies (which needs core/data/popular_packages.txt) out of the source
tree, and compares the installed binary's findings with the build tree's. Failed before
the install rules (checked: `cmake --install` installed nothing, so no binary was found).
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

PREFIX = "/usr/local"
WANT = ("bin/mcpaudit", "share/man/man1/mcpaudit.1", "share/bash-completion/completions/mcpaudit",
        "share/zsh/site-functions/_mcpaudit", "share/fish/vendor_completions.d/mcpaudit.fish",
        "share/doc/mcpaudit/README.md", "share/doc/mcpaudit/policy.md")


def findings(binary, argv, cwd):
    r = subprocess.run([binary, *argv, "-f", "json"], capture_output=True, text=True, cwd=cwd, timeout=300)
    try:
        doc = json.loads(r.stdout)
    except json.JSONDecodeError:
        return r.returncode, None, r.stderr[-300:]
    seen = [(f["rule_id"], f.get("host") or "", f.get("file") or "") for f in doc["findings"]]
    seen += [("endpoint", e.get("host") or "", "") for e in doc["endpoints"]]
    return r.returncode, sorted(seen), ""


def typosquat_package(folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "package.json"), "w") as f:
        json.dump({"name": "install-check", "version": "1.0.0", "dependencies": {"expresss": "^4.0.0"}}, f)
    with open(os.path.join(folder, "index.js"), "w") as f:
        f.write('const e = require("expresss");\nfetch("https://api.example.com/v1");\n')


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    build = os.path.dirname(args.mcpaudit)
    dest = os.path.join(args.work, "dest")
    shutil.rmtree(dest, ignore_errors=True)
    env = dict(os.environ, DESTDIR=dest)
    r = subprocess.run(["cmake", "--install", build, "--prefix", PREFIX], capture_output=True, text=True,
                       env=env, timeout=300)
    t.check(r.returncode == 0, f"cmake --install with DESTDIR {r.stderr[-300:]}")
    root = dest + PREFIX
    for rel in WANT:
        t.check(os.path.isfile(os.path.join(root, rel)), f"installed {rel}")
    installed = os.path.join(root, "bin", "mcpaudit")
    if not os.access(installed, os.X_OK):
        return t.finish()
    elsewhere = os.path.join(args.work, "elsewhere")
    targets = os.path.join(args.work, "targets")
    shutil.rmtree(targets, ignore_errors=True)
    os.makedirs(elsewhere, exist_ok=True)
    shutil.copytree(os.path.join(args.source, "samples", "06-startup-telemetry-js"), os.path.join(targets, "telemetry"))
    typosquat_package(os.path.join(targets, "squat"))
    for label, argv in (("scan", ["scan", os.path.join(targets, "telemetry")]),
                        ("audit --static-only", ["audit", "--static-only", os.path.join(targets, "squat")])):
        rc_b, built, _ = findings(args.mcpaudit, argv, elsewhere)
        rc_i, inst, err = findings(installed, argv, elsewhere)
        t.check(inst is not None and inst == built and rc_i == rc_b and inst,
                f"{label}: the installed binary finds what the build tree's does ({inst} vs {built}) {err}")
        if label.startswith("audit"):
            t.check(any(f[0] == "typosquat-dependency" for f in inst or ()),
                    "the installed binary has the popular-package list (typosquat found)")
    man = subprocess.run(["man", "-l", os.path.join(root, "share/man/man1/mcpaudit.1")], capture_output=True,
                         text=True, env=dict(os.environ, MANPAGER="cat", PAGER="cat"), timeout=60)
    if shutil.which("man"):
        t.check(man.returncode == 0 and "mcpaudit scan" in man.stdout, "man reads the installed page")
    prog = (f"source {os.path.join(root, 'share/bash-completion/completions/mcpaudit')}\n"
            "COMP_WORDS=(mcpaudit au); COMP_CWORD=1; _mcpaudit; echo ${COMPREPLY[@]}\n")
    r = subprocess.run(["bash", "-c", prog], capture_output=True, text=True, timeout=30)
    t.check(r.stdout.split() == ["audit"], "the installed bash completion completes 'au' to audit")
    r = subprocess.run([installed, "--version"], capture_output=True, text=True, cwd=elsewhere, timeout=30)
    t.check(r.returncode == 0 and r.stdout.startswith("mcpaudit "), "installed mcpaudit --version")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
