#!/usr/bin/env bash
# Build the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan) into BUILD_DIR (default
# build-fuzz), replay every kept regression input and seed, then fuzz each harness for
# FUZZ_SECONDS (default 15), FUZZ_JOBS (default 2) at a time. A crash, timeout, leak or
# out-of-memory input is copied to tests/fuzz/regressions/<harness>/ and fails the run.
#   scripts/fuzz.sh [--replay-only] [HARNESS...]
# Installs clang and the libFuzzer runtime like scripts/setup.sh does (as root with
# apt-get; otherwise it prints the command). docs/FUZZING.md says more.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build-fuzz}
seconds=${FUZZ_SECONDS:-15}
jobs=${FUZZ_JOBS:-2}
replay_only=false
fuzz="$here/tests/fuzz"
work="$build_dir/fuzz-work"

# Per harness: longest input, seconds one input may take, dictionary. The static stage is
# capped at 16 KiB: its known quadratic inputs (issue 13: error recovery over deep nesting,
# a wide ERROR node) grow past any timeout long before they find anything new.
declare -A max_len=([fuzz_static_js]=16384 [fuzz_static_ts]=16384 [fuzz_static_py]=16384
	[fuzz_static_folder]=16384 [fuzz_archive]=65536)
declare -A timeout_s=([fuzz_static_js]=10 [fuzz_static_ts]=10 [fuzz_static_py]=10 [fuzz_static_folder]=20)
declare -A dict=([fuzz_static_js]=js [fuzz_static_ts]=js [fuzz_static_folder]=js [fuzz_static_py]=py
	[fuzz_driver_stdio]=json [fuzz_driver_http]=http [fuzz_policy]=json [fuzz_clientconfig]=json
	[fuzz_manifest]=json [fuzz_docs]=json)

harnesses=()
for a in "$@"; do
	case "$a" in
	--replay-only) replay_only=true ;;
	-*) echo "fuzz.sh: unknown option $a" >&2; exit 2 ;;
	*) harnesses+=("$a") ;;
	esac
done

# clang and the libFuzzer runtime (libclang-rt-14-dev in Debian 12), and the build's libraries.
need=(clang libclang-rt-14-dev cmake pkg-config libcjson-dev libpsl-dev publicsuffix libpcap-dev
      libseccomp-dev libarchive-dev libidn2-dev zlib1g-dev libbrotli-dev)
missing=$(for p in "${need[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
done)
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "fuzz.sh needs: sudo apt-get install -y --no-install-recommends $missing" >&2; exit 2; }
	echo "== Installing $missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
command -v npm >/dev/null 2>&1 || { echo "fuzz.sh: npm is needed to fetch the grammars (scripts/setup.sh installs it)" >&2; exit 2; }

echo "== Building the fuzzers into $build_dir"
CC=clang cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPAUDIT_FUZZ=ON \
	-DMCPAUDIT_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j "$(nproc)" >"$build_dir/fuzz-build.log" 2>&1 ||
	{ grep -E "error" "$build_dir/fuzz-build.log" >&2; echo "fuzz.sh: the build failed ($build_dir/fuzz-build.log)" >&2; exit 2; }
if [ ${#harnesses[@]} -eq 0 ]; then
	mapfile -t harnesses < <(cd "$build_dir/fuzz" && ls fuzz_* | sort)
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

options() {
	local h=$1
	echo "-max_len=${max_len[$h]:-8192} -timeout=${timeout_s[$h]:-5} -rss_limit_mb=2048"
	[ -n "${dict[$h]:-}" ] && echo "-dict=$fuzz/dict/${dict[$h]}.dict"
	return 0
}

# Replay the kept regression inputs and the seeds: every one must pass.
replay() {
	local h=$1 dirs=() log="$work/$1/replay.log"
	[ -d "$fuzz/regressions/$h" ] && dirs+=("$fuzz/regressions/$h")
	[ -d "$fuzz/corpus/$h" ] && dirs+=("$fuzz/corpus/$h")
	[ ${#dirs[@]} -eq 0 ] && return 0
	# shellcheck disable=SC2046
	"$build_dir/fuzz/$h" $(options "$h") -runs=0 -artifact_prefix="$work/$1/replay-" "${dirs[@]}" >"$log" 2>&1
}

# Fuzz for $seconds from the seeds (new inputs go to a scratch corpus, never the committed
# one); keep whatever failed as a regression input.
run_one() {
	local h=$1 dir="$work/$1" rc=0
	rm -rf "$dir"
	mkdir -p "$dir/corpus" "$dir/artifacts"
	if ! replay "$h"; then
		echo "FAIL $h: a kept regression input or seed fails (see $dir/replay.log)" >"$dir/result"
		tail -n 30 "$dir/replay.log" >&2
		return
	fi
	if ! $replay_only; then
		# shellcheck disable=SC2046
		"$build_dir/fuzz/$h" $(options "$h") -max_total_time="$seconds" -print_final_stats=1 \
			-artifact_prefix="$dir/artifacts/" "$dir/corpus" "$fuzz/corpus/$h" >"$dir/fuzz.log" 2>&1 || rc=$?
	fi
	local found
	found=$(find "$dir/artifacts" -type f | wc -l)
	if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
		mkdir -p "$fuzz/regressions/$h"
		find "$dir/artifacts" -type f -exec cp {} "$fuzz/regressions/$h/" \;
		echo "FAIL $h: exit $rc, $found input(s) kept in tests/fuzz/regressions/$h (log: $dir/fuzz.log)" >"$dir/result"
		grep -E "ERROR|SUMMARY|Test unit written" "$dir/fuzz.log" | head -n 5 >&2 || true
		return
	fi
	if $replay_only; then
		echo "ok   $h: replayed" >"$dir/result"
		return
	fi
	local done_line execs
	done_line=$(grep -E "^#[0-9]+[[:space:]]+DONE" "$dir/fuzz.log" | tail -n 1 || true)
	execs=$(grep -E "stat::average_exec_per_sec" "$dir/fuzz.log" | awk '{print $2}' || true)
	{
		echo "ok   $h: ${execs:-?} exec/s, $(echo "$done_line" | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo 'cov: ?'), corpus $(echo "$done_line" | grep -oE 'corp: [^ ]+' | cut -d' ' -f2)" >"$dir/result"
	}
}

mkdir -p "$work"
echo "== Replaying kept inputs, then fuzzing ${#harnesses[@]} harnesses for ${seconds}s each, $jobs at a time"
running=0
for h in "${harnesses[@]}"; do
	if [ ! -x "$build_dir/fuzz/$h" ]; then
		echo "fuzz.sh: no harness $h in $build_dir/fuzz" >&2
		exit 2
	fi
	run_one "$h" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n || true
		running=$((running - 1))
	fi
done
wait

passed=0
failed=0
for h in "${harnesses[@]}"; do
	line=$(cat "$work/$h/result" 2>/dev/null || echo "FAIL $h: no result")
	echo "$line"
	case "$line" in ok*) passed=$((passed + 1)) ;; *) failed=$((failed + 1)) ;; esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
