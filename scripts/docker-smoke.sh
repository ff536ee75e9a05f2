#!/bin/sh
# Build the container image from the Dockerfile and smoke-test it: it scans a sample (exit 1,
# the sample's undocumented host found), runs as a user other than root, and has node, npm,
# python3 and mcpaudit. tests/cli/test_packaging.py runs it; so can anyone:
#
#   scripts/docker-smoke.sh [--base IMAGE | --debootstrap-base] [--network NET] [--tag TAG] [SOURCE_DIR]
#
# --base IMAGE        the Debian 12 image both stages start from (default: the Dockerfile's,
#                     debian:12-slim from Docker Hub)
# --debootstrap-base  where Docker Hub cannot be reached: make that base with debootstrap
#                     from the Debian mirror ($DEBIAN_MIRROR, default deb.debian.org) and
#                     `docker import` it as mcpaudit-base:bookworm (kept for the next run)
# --network NET       the build's network (host, where the daemon has no bridge)
# --extra-ca FILE     PEM certificates the build trusts besides Debian's (an inspecting proxy)
# Environment: MCPAUDIT_DOCKER_BASE, MCPAUDIT_DOCKER_NETWORK, MCPAUDIT_DOCKER_EXTRA_CA stand
# for the options.
# Exit 0: built and every check passed; 1: a check failed; 2: bad usage; 77: docker is not
# usable here, or the default base cannot be pulled (skipped, and the message says why:
# never a failure for lack of docker).
set -eu

base=${MCPAUDIT_DOCKER_BASE:-}
network=${MCPAUDIT_DOCKER_NETWORK:-}
extra_ca=${MCPAUDIT_DOCKER_EXTRA_CA:-}
tag=mcpaudit-smoke:local
debootstrap_base=false
while [ $# -gt 0 ]; do
	case $1 in
	--base) base=$2; shift ;;
	--debootstrap-base) debootstrap_base=true ;;
	--network) network=$2; shift ;;
	--extra-ca) extra_ca=$2; shift ;;
	--tag) tag=$2; shift ;;
	-*) echo "docker-smoke: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
sample=06-startup-telemetry-js # undocumented destinations: exit 1

if ! command -v docker >/dev/null 2>&1; then
	echo "docker-smoke: skipped: no docker client on this machine"
	exit 77
fi
if ! why=$(docker info 2>&1 >/dev/null); then
	echo "docker-smoke: skipped: no docker daemon ($(printf '%s' "$why" | tail -n 1))"
	exit 77
fi

if $debootstrap_base; then
	base=mcpaudit-base:bookworm
	if ! docker image inspect "$base" >/dev/null 2>&1; then
		root=$(mktemp -d)
		trap 'rm -rf "$root"' EXIT
		debootstrap --variant=minbase bookworm "$root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
		tar -C "$root" -c . | docker import - "$base" >/dev/null
		echo "docker-smoke: base $base made by debootstrap"
	fi
fi

if [ -z "$base" ] && ! docker image inspect debian:12-slim >/dev/null 2>&1 &&
	! why=$(docker pull debian:12-slim 2>&1 >/dev/null); then
	echo "docker-smoke: skipped: the base image debian:12-slim cannot be pulled" \
		"($(printf '%s' "$why" | tail -n 1)); --base IMAGE or --debootstrap-base make one"
	exit 77
fi

start=$(date +%s)
set -- build -t "$tag"
[ -n "$base" ] && set -- "$@" --build-arg "BASE=$base"
[ -n "$network" ] && set -- "$@" --network "$network"
[ -n "$extra_ca" ] && set -- "$@" --build-arg "EXTRA_CA=$(cat "$extra_ca")"
if ! DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} docker "$@" "$src" >"${TMPDIR:-/tmp}/docker-smoke-build.log" 2>&1; then
	tail -n 30 "${TMPDIR:-/tmp}/docker-smoke-build.log" >&2
	echo "docker-smoke: FAIL: docker build (log: ${TMPDIR:-/tmp}/docker-smoke-build.log)" >&2
	exit 1
fi
echo "docker-smoke: built $tag in $(($(date +%s) - start)) s, $(docker image inspect -f '{{.Size}}' "$tag") bytes"

failed=0
rc=0
out=$(docker run --rm -v "$src/samples/$sample:/samples/$sample:ro" "$tag" scan -f json "/samples/$sample") || rc=$?
if [ "$rc" -eq 1 ] && printf '%s' "$out" | python3 -c '
import json, sys
hosts = {f.get("host") for f in json.load(sys.stdin)["findings"]}
sys.exit(0 if "t.metrics.example.net" in hosts else 1)'; then
	echo "docker-smoke: ok: the image scans /samples/$sample (exit 1, t.metrics.example.net found)"
else
	echo "docker-smoke: FAIL: scan /samples/$sample exited $rc" >&2
	failed=1
fi

facts=$(docker run --rm --entrypoint sh "$tag" -c \
	'id -u && node --version && npm --version && python3 --version && mcpaudit --version') || facts=
uid=$(printf '%s\n' "$facts" | head -n 1)
if [ -n "$uid" ] && [ "$uid" != 0 ] && [ "$(printf '%s\n' "$facts" | wc -l)" -ge 5 ]; then
	echo "docker-smoke: ok: uid $uid, $(printf '%s' "$facts" | tail -n +2 | tr '\n' ' ')"
else
	echo "docker-smoke: FAIL: the image's user, node, npm, python3, mcpaudit: '$facts'" >&2
	failed=1
fi
exit $failed
