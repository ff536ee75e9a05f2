#!/usr/bin/env python3
"""The ways mcpaudit is put to work: the container image, the GitHub Action, the
pre-commit hooks, and the README that shows them.

  python3 tests/cli/test_packaging.py --mcpaudit BIN --source SRCDIR --work WORKDIR

Without a docker daemon the image is not built: the Dockerfile is checked as text (Debian
12 in both stages, a build stage, a user without privileges, node, npm and python3, the
grammars verified after the build) and, outside CI, the build is counted as a skip; under
CI=true docker is not required (the README says the image is smoke-tested where docker
runs) and the test says so instead of failing. With a daemon, the image is built and run
on a sample. The Action's run step (scripts/action-run.sh) is run for real with the build
tree's binary, including inputs that try to become shell code; the pre-commit hook's entry
is run as pre-commit runs a `language: system` hook. All of it failed before these files
existed (checked: none of them was there).
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testkit  # noqa: E402

SAMPLE = "06-startup-telemetry-js"   # has undocumented destinations: exit 1, results in SARIF


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def stages(dockerfile):
    """The Dockerfile's stages: a list of (FROM line, the lines after it)."""
    out = []
    for line in dockerfile.splitlines():
        if line.startswith("FROM "):
            out.append((line, []))
        elif out:
            out[-1][1].append(line)
    return out


def base_default(text):
    """The default of the Dockerfile's ARG BASE (its stages start FROM ${BASE}), or None."""
    m = re.search(r"^ARG BASE=(\S+)", text, re.M)
    return m.group(1) if m else None


def check_dockerfile(t, src):
    path = os.path.join(src, "Dockerfile")
    text = read(path) if os.path.exists(path) else ""
    st = stages(text)
    base = base_default(text)
    froms = [f.replace("${BASE}", base) if base else f for f, _ in st]
    t.check(len(st) >= 2 and all(re.match(r"FROM debian:12(-slim)?\b", f) for f in froms),
            f"Dockerfile: multi-stage, every stage Debian 12 {froms}")
    t.check(any(" AS build" in f for f, _ in st) and "COPY --from=build" in text,
            "Dockerfile: the final stage copies from a build stage")
    final = "\n".join(st[-1][1]) if st else ""
    users = re.findall(r"^USER\s+(\S+)", final, re.M)
    t.check(bool(users) and users[-1] not in ("root", "0"), f"Dockerfile: the image runs as a non-root user {users}")
    t.check(all(re.search(rf"\b{p}\b", final) for p in ("nodejs", "npm", "python3")),
            "Dockerfile: node, npm and python3 in the image")
    t.check("verify-grammars.sh" in text and os.access(os.path.join(src, "scripts", "verify-grammars.sh"), os.X_OK),
            "Dockerfile: the grammars are verified after the build")
    ignore = read(os.path.join(src, ".dockerignore")) if os.path.exists(os.path.join(src, ".dockerignore")) else ""
    t.check(".git" in ignore and "build" in ignore, ".dockerignore keeps build trees and git history out")


def setup_dev_packages(src):
    """The -dev packages scripts/setup.sh installs for the build (the list CI builds with),
    without the test-only ones."""
    text = read(os.path.join(src, "scripts", "setup.sh"))
    m = re.search(r"^packages=\((.*?)\)", text, re.M | re.S)
    return [p for p in (m.group(1).split() if m else []) if p.endswith("-dev") and p != "libcmocka-dev"]


def check_build_deps(t, src):
    """The image's build stage and the Action install what the build needs. Both lacked
    libssl-dev and libnghttp2-dev (the tracer requires them): the docker build stopped at
    configure, found when the image was first built (issue 12)."""
    wanted = setup_dev_packages(src)
    docker = stages(read(os.path.join(src, "Dockerfile")))
    build = "\n".join(docker[0][1]) if docker else ""
    action = read(os.path.join(src, "action.yml"))
    for what, text in (("the Dockerfile's build stage", build), ("action.yml", action)):
        missing = [p for p in wanted if not re.search(rf"(?<![\w.-]){re.escape(p)}(?![\w.-])", text)]
        t.check(bool(wanted) and not missing, f"{what} installs every -dev package setup.sh builds with "
                f"(missing {missing})")


def check_verify_grammars(t, b, src):
    r = subprocess.run([os.path.join(src, "scripts", "verify-grammars.sh"), b, src], capture_output=True, text=True,
                       timeout=300)
    t.check(r.returncode == 0 and r.stdout.count("files parsed") == 3,
            f"scripts/verify-grammars.sh passes on this build ({r.stderr.strip()[-200:]})")


def docker_usable():
    if not shutil.which("docker"):
        return "no docker client"
    r = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    return None if r.returncode == 0 else "no docker daemon (docker info: " + r.stderr.strip()[-120:] + ")"


def check_image(t, src, work):
    why = docker_usable()
    if why:
        if testkit.in_ci():
            print(f"# the image is not built here: {why}; README.md says it is smoke-tested where docker runs")
        else:
            t.skip("docker image build and run", why)
        return
    # scripts/docker-smoke.sh builds and checks the image; MCPAUDIT_DOCKER_BASE and
    # MCPAUDIT_DOCKER_NETWORK reach it (a debootstrap base where Docker Hub is out of reach)
    r = subprocess.run([os.path.join(src, "scripts", "docker-smoke.sh"), "--tag", "mcpaudit-smoke:test", src],
                       capture_output=True, text=True, timeout=3600)
    print("\n".join("# " + line for line in r.stdout.splitlines()))
    if r.returncode == 77:  # docker or its base image out of reach: as without docker
        if not testkit.in_ci():
            t.skip("docker image build and run", r.stdout.strip())
        return
    t.check(r.returncode == 0 and r.stdout.count("docker-smoke: ok:") == 2,
            f"scripts/docker-smoke.sh: the image builds, scans a sample, runs unprivileged ({r.stderr.strip()[-400:]})")


def action_run(src, b, work, env_extra):
    out = os.path.join(work, "github_output")
    if os.path.exists(out):
        os.remove(out)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MCPAUDIT_", "INPUT_"))}
    env.update({"MCPAUDIT": b, "GITHUB_OUTPUT": out}, **env_extra)
    r = subprocess.run([os.path.join(src, "scripts", "action-run.sh")], capture_output=True, text=True, cwd=work,
                       env=env, timeout=300)
    outputs = dict(line.split("=", 1) for line in read(out).splitlines()) if os.path.exists(out) else {}
    return r, outputs


def check_action(t, src, b, work):
    path = os.path.join(src, "action.yml")
    text = read(path) if os.path.exists(path) else ""
    try:
        import yaml
        spec = yaml.safe_load(text) or {}
        steps = spec.get("runs", {}).get("steps", [])
        runs = [s.get("run", "") for s in steps]
        t.check(spec.get("runs", {}).get("using") == "composite" and {"command", "targets", "args"} <= set(spec.get("inputs", {})),
                "action.yml: a composite action with command, targets and args inputs")
        t.check(any("upload-sarif" in s.get("uses", "") for s in steps), "action.yml: uploads the SARIF")
        # an input pasted into a run script is shell code for whoever writes the input
        t.check(not any("${{" in r for r in runs), "action.yml: no ${{ }} inside a run script")
    except ImportError:
        t.check("using: composite" in text and "upload-sarif" in text, "action.yml: composite, uploads the SARIF")
    work = os.path.join(work, "action")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(os.path.join(src, "samples", SAMPLE), os.path.join(work, "server"))
    r, outputs = action_run(src, b, work, {"INPUT_COMMAND": "scan", "INPUT_TARGETS": "server",
                                          "INPUT_ARGS": "--no-config --fail-on high", "INPUT_SARIF_FILE": "out.sarif"})
    sarif = os.path.join(work, "out.sarif")
    log = json.loads(read(sarif)) if os.path.exists(sarif) else {}
    t.check(r.returncode == 0 and outputs.get("exit-code") == "1" and outputs.get("sarif-file") == "out.sarif"
            and log.get("runs") and log["runs"][0]["results"],
            f"action run step: SARIF written, exit-code 1 recorded for the fail step ({r.returncode} {outputs} {r.stderr[-200:]})")
    r, outputs = action_run(src, b, work, {"INPUT_COMMAND": "audit", "INPUT_TARGETS": "server",
                                          "INPUT_ARGS": "--static-only --no-config", "INPUT_SARIF_FILE": "audit.sarif"})
    t.check(r.returncode == 0 and outputs.get("exit-code") in ("0", "1") and os.path.getsize(os.path.join(work, "audit.sarif")),
            f"action run step: audit --static-only ({r.returncode} {r.stderr[-200:]})")
    r, outputs = action_run(src, b, work, {"INPUT_COMMAND": "scan", "INPUT_TARGETS": "server $(touch PWNED) `touch PWNED2`",
                                          "INPUT_ARGS": "--no-config;touch PWNED3", "INPUT_SARIF_FILE": "x.sarif"})
    t.check(not any(os.path.exists(os.path.join(work, p)) for p in ("PWNED", "PWNED2", "PWNED3")),
            "action run step: inputs are words, never shell code")
    r, _ = action_run(src, b, work, {"INPUT_COMMAND": "trace"})
    t.check(r.returncode == 2 and "scan or audit" in r.stderr, "action run step: only scan or audit")


def check_precommit(t, src, b, work):
    path = os.path.join(src, ".pre-commit-hooks.yaml")
    text = read(path) if os.path.exists(path) else ""
    try:
        import yaml
        hooks = yaml.safe_load(text) or []
    except ImportError:
        hooks = [{"id": m, "entry": "mcpaudit scan", "args": ["."], "language": "system"}
                 for m in re.findall(r"- id: (\S+)", text)]
    system = [h for h in hooks if h.get("language") == "system"]
    t.check(bool(system) and any(h.get("language") == "docker" for h in hooks),
            ".pre-commit-hooks.yaml: a system hook and a docker hook")
    if not system:
        return
    hook = system[0]
    repo = os.path.join(work, "precommit")
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(os.path.join(src, "samples", SAMPLE), repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCPAUDIT_")}
    env["PATH"] = os.path.dirname(b) + os.pathsep + env.get("PATH", "")
    # pre-commit runs ENTRY ARGS... in the repository, no file names (pass_filenames: false)
    r = subprocess.run(hook["entry"].split() + hook.get("args", []), cwd=repo, env=env, capture_output=True,
                       text=True, timeout=300)
    t.check(r.returncode == 1 and "t.metrics.example.net" in r.stdout and hook.get("pass_filenames") is False,
            f"the pre-commit hook's entry fails the commit on an undocumented destination ({r.returncode})")


def check_readme(t, src):
    text = read(os.path.join(src, "README.md"))
    for what, needle in (("install", "cmake --install"), ("image", "docker build"),
                         ("Action", "uses: "), ("pre-commit", ".pre-commit-config.yaml"),
                         ("image without docker", "docker is not")):
        t.check(needle in text, f"README shows the {what} ({needle!r})")


def main():
    args = testkit.parse(testkit.arg_parser())
    t = testkit.Tally()
    check_dockerfile(t, args.source)
    check_build_deps(t, args.source)
    check_verify_grammars(t, args.mcpaudit, args.source)
    check_action(t, args.source, args.mcpaudit, args.work)
    check_precommit(t, args.source, args.mcpaudit, args.work)
    check_readme(t, args.source)
    check_image(t, args.source, args.work)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
