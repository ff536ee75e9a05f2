#!/usr/bin/env python3
"""The command line: usage, help per command, typo suggestions, strict values, man page,
shell completions.

  python3 tests/cli/test_cli.py --mcpaudit BIN --source SRCDIR --work WORKDIR

Each option a command's --help lists is then given to that command (with an argument of the
kind its help names) and must be accepted, and an option of another command must be refused
naming the command it belongs to: the help and the parser come from one table, and this
checks that they agree. Every check failed on the build before the option table (checked by
running this file with --mcpaudit pointing at that build): bare `mcpaudit` said "unknown
command ''", `help` was unknown, the three --help texts were one, `--color sometimes` was
accepted, no suggestion was made and there was no man page.
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

COMMANDS = ("scan", "trace", "audit", "batch", "baseline", "help")


def run(binary, *args, **kw):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60, **kw)


def help_options(text):
    """(name, argument name or None) of every option line of a --help text."""
    out = []
    for m in re.finditer(r"^(?:  -\w, |      )--([a-z][a-z-]*)(?: (\S+))?", text, re.M):
        out.append((m.group(1), m.group(2)))
    return out


def sample_argument(arg, work):
    """An argument of the kind arg names, good enough for the parser."""
    policy = os.path.join(work, "policy.json")
    with open(policy, "w") as f:
        f.write("{}\n")
    return {"FILE": policy, "DIR": work, "PATH": work, "PATTERN": "api.example.com",
            "SEV": "high", "FMT": "json", "WHEN": "never", "N": "2", "S": "5",
            "NAME=VALUE": "A=b", "PORT[/PATH]": "8080/mcp", "I/N": "0/2",
            "SHELL": "bash", "DATE": "2099-01-01", "TEXT": "reviewed"}.get(arg, "x")


def check_bare(t, binary):
    r = run(binary)
    t.check(r.returncode == 2 and r.stdout == "" and "Usage: mcpaudit" in r.stderr
            and all(c in r.stderr for c in COMMANDS),
            f"bare mcpaudit: usage on stderr, exit 2 (got {r.returncode}, stderr {r.stderr[:80]!r})")
    r = run(binary, "help")
    t.check(r.returncode == 0 and "Usage: mcpaudit" in r.stdout and r.stderr == "",
            f"mcpaudit help: usage on stdout, exit 0 (got {r.returncode})")


def check_per_command(t, binary, work):
    texts = {}
    for cmd in COMMANDS:
        a, b = run(binary, cmd, "--help"), run(binary, "help", cmd)
        t.check(a.returncode == 0 and a.stdout == b.stdout and f"Usage: mcpaudit {cmd}" in a.stdout,
                f"{cmd} --help and help {cmd} print the command's own usage")
        texts[cmd] = a.stdout
    t.check(len(set(texts.values())) == len(COMMANDS), "every command's help differs")
    own = {cmd: {n for n, _ in help_options(texts[cmd])} for cmd in COMMANDS}
    t.check("pcap" in own["trace"] and "pcap" not in own["scan"] and "pcap" not in own["audit"],
            "--pcap is listed by trace only")
    t.check("output-dir" in own["audit"] and "output-dir" not in own["scan"],
            "--output-dir is listed by audit only")
    t.check("queries" in own["scan"] and "queries" not in own["trace"], "--queries is listed by scan only")
    t.check("shard" in own["batch"] and "shard" not in own["audit"], "--shard is listed by batch only")
    t.check("fail-on-incomplete" not in texts["baseline"] and "policy was written" in texts["baseline"],
            "baseline's help has its own exit codes")
    for cmd in ("scan", "trace", "audit", "batch", "baseline"):
        for name, arg in help_options(texts[cmd]):
            argv = [cmd, f"--{name}"] + ([sample_argument(arg, work)] if arg else []) + ["--help"]
            r = run(binary, *argv)
            t.check(r.returncode == 0 and "Usage:" in r.stdout,
                    f"{cmd} accepts --{name} as its help lists it ({r.returncode}: {r.stderr.strip()[:120]})")
    for cmd, name in (("scan", "pcap"), ("scan", "output-dir"), ("audit", "queries"), ("trace", "shard")):
        owners = [c for c in ("scan", "trace", "audit", "batch") if name in own[c]]
        r = run(binary, cmd, f"--{name}", "x", "y")
        t.check(r.returncode == 2 and all(f"'{o}'" in r.stderr for o in owners),
                f"{cmd} --{name}: refused, naming {owners} ({r.stderr.strip()[:120]})")


def check_typos(t, binary):
    cases = [
        (("scna", "."), "'scan'"),
        (("audti", "."), "'audit'"),
        (("help", "tarce"), "'trace'"),
        (("scan", "--formt", "json", "."), "'--format'"),
        (("scan", "--fail-ob", "high", "."), "'--fail-on'"),
        (("batch", "--polcy", "x", "l"), "'--policy'"),
        (("scan", "-f", "jsn", "."), "'json'"),
        (("scan", "--fail-on", "hihg", "."), "'high'"),
    ]
    for argv, want in cases:
        r = run(binary, *argv)
        t.check(r.returncode == 2 and "did you mean " + want in r.stderr,
                f"{' '.join(argv)}: exit 2, suggests {want} ({r.stderr.strip()[:120]})")
    r = run(binary, "scan", "--zzzzzz", ".")
    t.check(r.returncode == 2 and "did you mean" not in r.stderr and "--zzzzzz" in r.stderr,
            "a far option gets no suggestion, only its name")


def check_strict_values(t, binary):
    for argv, words in ((("scan", "--color", "sometimes", "."), ("auto", "always", "never")),
                        (("trace", "--format", "yaml", "--", "true"), ("text", "json", "sarif")),
                        (("audit", "--review-on", "severe", "."), ("medium", "high"))):
        r = run(binary, *argv)
        t.check(r.returncode == 2 and argv[2] in r.stderr and all(w in r.stderr for w in words),
                f"{' '.join(argv[:3])}: refused, naming the values ({r.stderr.strip()[:120]})")
    r = run(binary, "scan", "--quiet=yes", ".")
    t.check(r.returncode == 2 and "takes no argument" in r.stderr, "--quiet=yes: takes no argument")
    r = run(binary, "scan", "-f")
    t.check(r.returncode == 2 and "wants an argument" in r.stderr, "-f at the end: wants an argument")


def check_man(t, binary, source):
    r = run(binary, "help", "--man")
    path = os.path.join(source, "docs", "mcpaudit.1")
    committed = open(path).read() if os.path.exists(path) else ""
    t.check(r.returncode == 0 and r.stdout == committed,
            "docs/mcpaudit.1 is what 'mcpaudit help --man' writes (regenerate: "
            "mcpaudit help --man > docs/mcpaudit.1)")
    for cmd in ("scan", "trace", "audit", "batch"):
        for name, _ in help_options(run(binary, cmd, "--help").stdout):
            if name != "help" and f"\\-\\-{name.replace('-', chr(92) + '-')}" not in r.stdout:
                t.check(False, f"the man page lists {cmd} --{name}")
    if shutil.which("groff"):
        g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=r.stdout, capture_output=True,
                           text=True, timeout=60)
        t.check(g.returncode == 0 and g.stderr == "", f"groff reads the man page without a warning {g.stderr[:200]}")


def bash_complete(script, words):
    """COMPREPLY of the bash completion for the words typed (the last is being completed)."""
    prog = (f"source {script}\nCOMP_WORDS=({' '.join(json.dumps(w) for w in words)})\n"
            f"COMP_CWORD={len(words) - 1}\n_mcpaudit\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    r = subprocess.run(["bash", "-c", prog], capture_output=True, text=True, timeout=30)
    return set(r.stdout.split())


def check_completions(t, binary, work):
    scripts = {}
    for shell in ("bash", "zsh", "fish"):
        r = run(binary, "help", "--completion", shell)
        scripts[shell] = r.stdout
        t.check(r.returncode == 0 and "--include-deps" in r.stdout or "include-deps" in r.stdout,
                f"help --completion {shell}")
    r = run(binary, "help", "--completion", "tcsh")
    t.check(r.returncode == 2 and "bash" in r.stderr, "help --completion tcsh: refused, naming the shells")
    path = os.path.join(work, "mcpaudit.bash")
    with open(path, "w") as f:
        f.write(scripts["bash"])
    t.check(bash_complete(path, ["mcpaudit", "sc"]) == {"scan"}, "bash: 'sc' completes to scan")
    t.check("--pcap" in bash_complete(path, ["mcpaudit", "trace", "--pc"]), "bash: trace --pc offers --pcap")
    t.check(not bash_complete(path, ["mcpaudit", "scan", "--pc"]), "bash: scan --pc offers nothing")
    t.check(bash_complete(path, ["mcpaudit", "scan", "--color", ""]) == {"auto", "always", "never"},
            "bash: --color offers its three values")
    t.check("--shard" in bash_complete(path, ["mcpaudit", "batch", "--sh"]), "bash: batch --sh offers --shard")
    for shell, check in (("zsh", ["zsh", "-n"]), ("fish", ["fish", "-n"])):
        if shutil.which(check[0]):
            r = subprocess.run(check, input=scripts[shell], capture_output=True, text=True, timeout=30)
            t.check(r.returncode == 0, f"{shell} -n reads its completion script {r.stderr[:200]}")
        # zsh and fish themselves are optional: the script's content is checked either way
        t.check("--pcap" in scripts[shell] or "-l pcap" in scripts[shell], f"{shell}: lists trace's --pcap")


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    check_bare(t, args.mcpaudit)
    check_per_command(t, args.mcpaudit, args.work)
    check_typos(t, args.mcpaudit)
    check_strict_values(t, args.mcpaudit)
    check_man(t, args.mcpaudit, args.source)
    check_completions(t, args.mcpaudit, args.work)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
