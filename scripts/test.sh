#!/usr/bin/env bash
# Build and run the whole test suite twice: a normal build, then the same suite under
# AddressSanitizer and UndefinedBehaviorSanitizer. Installs what it needs (scripts/setup.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

"$here/scripts/setup.sh" --build-dir "$here/build"
echo "== Tests (release build)"
ctest --test-dir "$here/build" --output-on-failure -j "$jobs"

"$here/scripts/setup.sh" --asan --build-dir "$here/build-asan"
echo "== Tests (AddressSanitizer + UndefinedBehaviorSanitizer)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$here/build-asan" --output-on-failure -j "$jobs"
