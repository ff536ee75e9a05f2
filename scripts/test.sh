#!/usr/bin/env bash
# Build and run the whole test suite twice: a normal build, then the same suite under
# AddressSanitizer and UndefinedBehaviorSanitizer. Installs what it needs (scripts/setup.sh).
#
# Nothing here can pass by skipping: a test that cannot run prints why (`SKIP: ...`), and
# under CI (CI=true, as .ci/run runs this) it fails instead. The run ends with every skip
# reason and, alone on the last line, the checks of both passes added up:
#   N passed, N failed, N skipped
# Exit status: 0 only when the build, both test passes and the sanitizer-log check passed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
status=0
# every program's whole output in LastTest.log (tests/lib/ctest_summary.py counts its checks);
# a long one keeps its beginning and its end, where the counts are
ctest_args=(--output-on-failure -j "$jobs" --test-output-size-passed 1048576 --test-output-size-failed 1048576
	    --test-output-truncation middle)

# A build failure stops the run here (set -e): the tests must never run an old binary.
"$here/scripts/setup.sh" --build-dir "$here/build"
echo "== Tests (release build)"
ctest --test-dir "$here/build" "${ctest_args[@]}" || status=1

"$here/scripts/setup.sh" --asan --build-dir "$here/build-asan"
echo "== Tests (AddressSanitizer + UndefinedBehaviorSanitizer)"
# A sanitizer report has its own exit code (86; 1 means "findings" to mcpaudit, which many
# tests accept). ASan's and LSan's also go to a file in san_logs, so that one from a process
# whose exit code nobody reads (a forked helper, a rootless run) is still seen; GCC's UBSan
# beside ASan ignores log_path and writes to stderr, where ctest_summary.py looks for it.
san_logs="$here/build-asan/sanitizer-logs"
rm -rf "$san_logs"
mkdir -p "$san_logs"
chmod 1777 "$san_logs"  # the rootless passes run mcpaudit as nobody
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86:log_path=$san_logs/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$san_logs/ubsan"
ctest --test-dir "$here/build-asan" "${ctest_args[@]}" || status=1
extra=()
reports=("$san_logs"/*)
if [ -e "${reports[0]}" ]; then
	echo "== ${#reports[@]} sanitizer report(s) in $san_logs (each fails the run); the first three:"
	for f in "${reports[@]:0:3}"; do
		echo "--- $f"
		head -n 40 "$f"
	done
	for f in "${reports[@]}"; do
		extra+=("fail=sanitizer report $f: $(grep -m1 -E 'ERROR|runtime error' "$f" || echo '?')")
	done
	status=1
fi

# Fuzzing (docs/FUZZING.md): every libFuzzer harness replays its kept regression inputs and
# seeds, then runs FUZZ_SECONDS (default 15) under ASan + UBSan; a crash fails the run and
# is kept in tests/fuzz/regressions/. FUZZ_SECONDS=0 replays only.
echo "== Fuzzing"
fuzz_args=()
[ "${FUZZ_SECONDS:-15}" = 0 ] && fuzz_args=(--replay-only)
if ! (unset ASAN_OPTIONS UBSAN_OPTIONS; FUZZ_SECONDS="${FUZZ_SECONDS:-15}" "$here/scripts/fuzz.sh" ${fuzz_args[@]+"${fuzz_args[@]}"}); then
	extra+=("fail=fuzzing: scripts/fuzz.sh failed (see its lines above)")
	status=1
fi

echo "== Summary (checks inside every test program; a skip under CI=true is a failure)"
python3 "$here/tests/lib/ctest_summary.py" "release=$here/build" "sanitizers=$here/build-asan" ${extra[@]+"${extra[@]}"} || status=1
exit "$status"
