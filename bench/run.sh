#!/usr/bin/env bash
# Benchmark mcpaudit against its floor (bare tree-sitter parsing of the same files) and a
# peer (ast-grep with an equivalent rule set) on a large real JavaScript tree, in one run.
#
# Usage: bench/run.sh [--jobs N] [--runs N] [--build DIR]
#   --jobs N     threads for all three tools (default: number of cores)
#   --runs N     timed runs of each, best wall time kept (default 3)
#   --build DIR  CMake build folder holding mcpaudit and bench_parse_only (default build)
# The tree is installed once into bench/work/tree (npm ci --ignore-scripts: nothing in it
# is ever run) from the pinned bench/package-lock.json. A benchmark, not a test: it prints
# figures and asserts nothing about them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
work="$here/work"
tree="$work/tree"
jobs=$(nproc)
runs=3
build="$top/build"

die() { echo "bench: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--jobs) jobs=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--build) build=$(cd "${2:?}" 2>/dev/null && pwd || echo "$2"); shift 2 ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$jobs$runs" in *[!0-9]*) die "--jobs and --runs take numbers" ;; esac

# ---- Tools ----

need_time() {
	[ -x /usr/bin/time ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		apt-get install -y --no-install-recommends time >/dev/null || die "apt-get install time failed"
	else
		die "GNU time is needed for peak memory: sudo apt-get install time"
	fi
}
need_time
command -v npm >/dev/null || die "npm is needed to install the tree (Debian: apt-get install npm)"

# ---- The tree ----

# Installed again only when the pinned lock file changes.
install_tree() {
	local stamp
	stamp=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
	if [ -f "$tree/.installed" ] && [ "$(cat "$tree/.installed")" = "$stamp" ]; then
		return 0
	fi
	echo "bench: installing the pinned tree into $tree (npm ci --ignore-scripts)"
	rm -rf "$tree"
	mkdir -p "$tree"
	cp "$here/package.json" "$here/package-lock.json" "$tree/"
	(cd "$tree" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) \
		|| die "npm ci failed"
	echo "$stamp" >"$tree/.installed"
}
install_tree

# The files mcpaudit reads (its extension table, declaration files left out), for the
# parse-only floor. Links are not followed here; npm's .bin links have no extension.
list="$work/files.txt"
find "$tree" -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' \
	-o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' -o -name '*.py' \
	-o -name '*.pyw' \) ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' | LC_ALL=C sort >"$list"
nfiles=$(wc -l <"$list")
sizes="$work/sizes.txt"
tr '\n' '\0' <"$list" | xargs -0 stat -c '%s %n' >"$sizes"
nbytes=$(awk '{s += $1} END {print s + 0}' "$sizes")
njs=$(grep -cE '\.(js|mjs|cjs|jsx)$' "$list" || true)
largest=$(awk '$1 > max {max = $1; name = $2} END {print max + 0, name}' "$sizes")
printf 'tree: %s source files, %.1f MB (%s JavaScript files); largest: %.1f MB %s\n' \
	"$nfiles" "$(echo "$nbytes" | awk '{print $1 / 1e6}')" "$njs" \
	"$(echo "$largest" | awk '{print $1 / 1e6}')" "${largest#* $tree/}"

# ---- Binaries ----

echo "bench: building mcpaudit and bench_parse_only in $build"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$jobs" --target bench_parse_only >/dev/null || die "bench_parse_only did not build"
mcpaudit_ok=1
cmake --build "$build" -j"$jobs" --target mcpaudit >/dev/null 2>&1 || mcpaudit_ok=0
astgrep=$(ls "$tree"/node_modules/@ast-grep/cli-*/ast-grep 2>/dev/null | head -1 || true)
[ -x "$astgrep" ] || die "no ast-grep binary for this platform under $tree/node_modules/@ast-grep"

# ast-grep rules: the JavaScript rules as written, plus TypeScript and TSX copies (mcpaudit
# runs its JavaScript queries on TypeScript too). Declaration files are left out by --globs
# below, at walk time (a rule's `ignores` would still have them parsed), as mcpaudit does.
rules="$work/ast-grep"
rm -rf "$rules"
mkdir -p "$rules/rules"
cp "$here/ast-grep/sgconfig.yml" "$rules/"
for f in "$here"/ast-grep/rules/*.yml; do
	base=$(basename "$f" .yml)
	cp "$f" "$rules/rules/"
	for lang in TypeScript Tsx; do
		sed -e "s/^id: .*/&-$lang/" -e "s/^language: JavaScript/language: $lang/" "$f" \
			>"$rules/rules/$base-$lang.yml"
	done
done

# ---- Measuring ----

. "$here/measure.sh"

echo "bench: $runs timed runs each, $jobs threads"
measure parse-only "$work/parse-only.txt" "$build/bench_parse_only" --jobs "$jobs" "$list"
record parse-only "$(head -1 "$work/parse-only.txt")"
parse_s=$best_s

mcp_s="" mcp_kb=""
if [ "$mcpaudit_ok" = 1 ]; then
	measure mcpaudit "$work/mcpaudit.out" "$build/mcpaudit" scan --include-deps --format json \
		--output "$work/mcpaudit.json" --jobs "$jobs" "$tree"
	if [ "$last_rc" -le 1 ]; then
		note=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))
t=r.get("target",{}); print("%s of %s files parsed, %d endpoints, %d findings, %d incomplete" % (
 t.get("files_parsed"), t.get("files_found"), len(r.get("endpoints",[])), len(r.get("findings",[])),
 len(r.get("incomplete",[]))))' "$work/mcpaudit.json" 2>/dev/null || echo "report unreadable")
		record mcpaudit "exit $last_rc; $note"
		mcp_s=$best_s mcp_kb=$peak_kb
	else
		echo "bench: mcpaudit exited $last_rc: $(head -3 "$work/mcpaudit.stderr")"
	fi
else
	echo "bench: mcpaudit did not build in $build: its row is missing"
fi

measure ast-grep "$work/ast-grep.json" "$astgrep" scan --config "$rules/sgconfig.yml" \
	--json=stream --threads "$jobs" --no-ignore hidden --no-ignore dot --no-ignore vcs \
	--no-ignore parent --no-ignore global --globs '!*.d.ts' --globs '!*.d.mts' --globs '!*.d.cts' \
	"$tree"
record ast-grep "exit $last_rc; $(wc -l <"$work/ast-grep.json") matches"
ag_s=$best_s ag_kb=$peak_kb

# ---- Report ----

echo
printf '%-11s %10s %14s  %s\n' tool "wall (s)" "peak RSS (MiB)" notes
for row in "${results[@]}"; do
	IFS='|' read -r name s kb note <<<"$row"
	printf '%-11s %10.2f %14.1f  %s\n' "$name" "$s" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$note"
done
echo
if [ -n "$mcp_s" ]; then
	awk -v m="$mcp_s" -v p="$parse_s" -v a="$ag_s" -v mk="$mcp_kb" -v ak="$ag_kb" 'BEGIN {
		printf "mcpaudit / parse-only: %.2fx   (target: at most 1.3x)\n", m / p
		printf "ast-grep / mcpaudit:   %.2fx   (target: at least 1.3x)\n", a / m
		printf "peak memory: mcpaudit %.1f MiB, ast-grep %.1f MiB (target: mcpaudit no higher)\n",
			mk / 1024, ak / 1024 }'
else
	echo "no mcpaudit figures: ratios not computed"
fi
echo "outputs and stderr of each tool: $work"
