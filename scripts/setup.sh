#!/usr/bin/env bash
# Install what mcpaudit needs on Debian 12 (as root; otherwise print the apt command and
# stop), then configure and build into BUILD_DIR (default: build).
#   scripts/setup.sh [--asan] [--build-dir DIR]
# The pinned tree-sitter core and grammars are fetched by the CMake configure step with
# `npm pack` (no install scripts run), checked against grammars/grammars.lock, and cached
# in ~/.cache/mcpaudit/grammars; give -DMCPAUDIT_GRAMMAR_CACHE=DIR for an offline build.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build_dir="$here/build"
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPAUDIT_WERROR=ON)
while [ $# -gt 0 ]; do
	case "$1" in
	--asan) cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DMCPAUDIT_SANITIZE=ON -DMCPAUDIT_WERROR=ON) ;;
	--build-dir) shift; build_dir="$1" ;;
	*) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

# Debian packages: the build, the libraries, and what the tests drive the tool with
# (chromium renders the HTML report headless; GNU parallel runs the sharded batch test;
# nftables lets the tracer bring TCP to any port to its catch-all sinkhole; strace shows
# tests/e2e/test_host_tools.py every program a trace starts).
packages=(build-essential cmake pkg-config libcjson-dev libpsl-dev publicsuffix libcmocka-dev
	  libpcap-dev libseccomp-dev libarchive-dev libidn2-dev zlib1g-dev libbrotli-dev libssl-dev libnghttp2-dev
	  libnftables-dev python3 python3-urllib3 git ca-certificates
	  chromium parallel nftables strace)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm fetch the pinned grammars and run the schema tests; any install will do.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
	cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "mcpaudit needs these Debian packages: ${missing[*]}" >&2
		echo "Install them as root, then run this again:" >&2
		echo "  sudo sh -c '$cmd'" >&2
		exit 2
	fi
	echo "== Installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== Configuring $build_dir"
cmake -S "$here" -B "$build_dir" "${cmake_args[@]}" >/dev/null
echo "== Building"
# The whole log goes to a file; on failure the compiler's messages are printed and the script
# stops. Never filter the build through a pipe that can hide its status: once
# `cmake --build | grep || true` said "Built" after a compile error, and the tests ran the old
# binary.
log="$build_dir/build.log"
if ! cmake --build "$build_dir" -j "$(nproc)" >"$log" 2>&1; then
	echo "setup.sh: the build failed; its errors (the whole log: $log):" >&2
	grep -E -B2 -A6 -m 20 "error:|Error [0-9]+|fatal" "$log" >&2 || tail -n 40 "$log" >&2
	exit 2
fi
# With MCPAUDIT_WERROR a warning is an error; without it, show what the compiler said.
if grep -q "warning:" "$log"; then
	grep -E -A3 "warning:" "$log" >&2
fi
echo "== Built $build_dir/mcpaudit"
