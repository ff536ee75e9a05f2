#!/usr/bin/env bash
# Benchmark mcpaudit against its floor (bare tree-sitter parsing of the same files) and a
# peer (ast-grep with an equivalent rule set) on two large real JavaScript trees, in one run.
#
# Usage: bench/run.sh [--runs N] [--jobs LIST] [--tree NAME]... [--build DIR]
#   --runs N     timed runs of each tool at each thread count, median kept (default 5)
#   --jobs LIST  thread counts, comma-separated, "all" for the cores (default 1,2,all)
#   --tree NAME  libs or servers (repeatable; default both)
#   --build DIR  CMake build folder holding mcpaudit and bench_parse_only (default build)
# Trees are installed once into bench/work/<name> (npm ci --ignore-scripts: nothing in them
# is ever run) from their pinned lock files: libs from bench/package-lock.json, servers from
# bench/servers/package-lock.json. Runs are interleaved (parse-only, mcpaudit, ast-grep,
# then again), so a machine that gets busier slows all three alike. A benchmark, not a test:
# it prints figures and a markdown table, and asserts nothing about them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
work="$here/work"
runs=5
jobs_list="1,2,all"
trees=()
build="$top/build"

die() { echo "bench: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=${2:?}; shift 2 ;;
	--jobs) jobs_list=${2:?}; shift 2 ;;
	--tree) trees+=("${2:?}"); shift 2 ;;
	--build) build=$(cd "${2:?}" 2>/dev/null && pwd || echo "$2"); shift 2 ;;
	-h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$runs" in ''|*[!0-9]*) die "--runs takes a number" ;; esac
[ ${#trees[@]} -gt 0 ] || trees=(libs servers)

# The thread counts, "all" replaced by the cores, duplicates dropped, in the order given.
thread_counts() {
	local n seen=" "
	for n in ${jobs_list//,/ }; do
		[ "$n" = all ] && n=$(nproc)
		case "$n" in ''|*[!0-9]*|0) die "--jobs takes numbers or all" ;; esac
		case "$seen" in *" $n "*) continue ;; esac
		seen="$seen$n "
		echo "$n"
	done
}
mapfile -t thread_list < <(thread_counts)

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
command -v npm >/dev/null || die "npm is needed to install the trees (Debian: apt-get install npm)"
command -v python3 >/dev/null || die "python3 is needed for the medians"

# ---- The trees ----

# The folder holding a tree's package.json and pinned package-lock.json.
tree_source() {
	case "$1" in
	libs) echo "$here" ;;
	servers) echo "$here/servers" ;;
	*) die "unknown tree $1 (libs or servers)" ;;
	esac
}

# install_tree NAME: installed again only when the pinned lock file changes.
install_tree() {
	local src dir stamp
	src=$(tree_source "$1")
	dir="$work/$1"
	stamp=$(sha256sum "$src/package-lock.json" | cut -d' ' -f1)
	if [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "$stamp" ]; then
		return 0
	fi
	echo "bench: installing the pinned $1 tree into $dir (npm ci --ignore-scripts)"
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$src/package.json" "$src/package-lock.json" "$dir/"
	(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) \
		|| die "npm ci of the $1 tree failed"
	echo "$stamp" >"$dir/.installed"
}

# list_files NAME: the files mcpaudit parses (its extension table, declaration files and
# source maps left out, as it does), for parse-only; prints the tree's figures. Links are
# not followed here; npm's .bin links have no extension.
list_files() {
	local dir="$work/$1" list="$work/$1.files" sizes="$work/$1.sizes" nbytes njs ndecl largest
	find "$dir" -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' \
		-o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' -o -name '*.py' \
		-o -name '*.pyw' \) ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' | LC_ALL=C sort >"$list"
	tr '\n' '\0' <"$list" | xargs -0 stat -c '%s %n' >"$sizes"
	nbytes=$(awk '{s += $1} END {print s + 0}' "$sizes")
	njs=$(grep -cE '\.(js|mjs|cjs|jsx)$' "$list" || true)
	ndecl=$(find "$dir" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) | wc -l)
	largest=$(awk '$1 > max {max = $1; name = $2} END {print max + 0, name}' "$sizes")
	printf '%s tree: %s source files, %.1f MB (%s JavaScript); %s declaration files not parsed; largest: %.1f MB %s\n' \
		"$1" "$(wc -l <"$list")" "$(echo "$nbytes" | awk '{print $1 / 1e6}')" "$njs" "$ndecl" \
		"$(echo "$largest" | awk '{print $1 / 1e6}')" "${largest#* "$dir"/}"
	printf '%s|%s|%s|%s\n' "$1" "$(wc -l <"$list")" "$nbytes" "$ndecl" >>"$work/trees.txt"
}

mkdir -p "$work"
: >"$work/trees.txt"
for t in "${trees[@]}"; do
	install_tree "$t"
	list_files "$t"
done

# ---- Binaries ----

echo "bench: building mcpaudit and bench_parse_only in $build"
[ -f "$build/CMakeCache.txt" ] || cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target bench_parse_only >/dev/null || die "bench_parse_only did not build"
cmake --build "$build" -j"$(nproc)" --target mcpaudit >/dev/null 2>&1 || die "mcpaudit did not build in $build"
astgrep=$(ls "$work/${trees[0]}"/node_modules/@ast-grep/cli-*/ast-grep 2>/dev/null | head -1 || true)
[ -x "$astgrep" ] || die "no ast-grep binary for this platform under $work/${trees[0]}/node_modules/@ast-grep"

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

# tool_cmd TOOL TREE JOBS: the command line of one run, one word a line.
tool_cmd() {
	local dir="$work/$2"
	case "$1" in
	parse-only) printf '%s\n' "$build/bench_parse_only" --jobs "$3" "$work/$2.files" ;;
	mcpaudit) printf '%s\n' "$build/mcpaudit" scan --include-deps --format json \
		--output "$work/$2.mcpaudit.json" --jobs "$3" "$dir" ;;
	ast-grep) printf '%s\n' "$astgrep" scan --config "$rules/sgconfig.yml" --json=stream \
		--threads "$3" --no-ignore hidden --no-ignore dot --no-ignore vcs --no-ignore parent \
		--no-ignore global --globs '!*.d.ts' --globs '!*.d.mts' --globs '!*.d.cts' "$dir" ;;
	esac
}

tools=(parse-only mcpaudit ast-grep)
samples="$work/samples.txt"
: >"$samples"

# one TOOL TREE JOBS [timed]: a whole-process run; timed ones append
# "tree|tool|jobs|wall|peak_kb|exit" to the samples.
one() {
	local -a cmd
	local rc=0 tv="$work/time.txt"
	mapfile -t cmd < <(tool_cmd "$1" "$2" "$3")
	if [ -z "${4:-}" ]; then
		"${cmd[@]}" >"$work/$2.$1.out" 2>"$work/$2.$1.stderr" || true
		return
	fi
	/usr/bin/time -f '%e %M' -o "$tv" "${cmd[@]}" >"$work/$2.$1.out" 2>"$work/$2.$1.stderr" || rc=$?
	read -r s kb < <(tail -1 "$tv")  # GNU time puts "Command exited with ..." first
	echo "$2|$1|$3|$s|$kb|$rc" >>"$samples"
}

echo "bench: ${#tools[@]} tools x ${#trees[@]} trees x threads ${thread_list[*]}, $runs interleaved runs each"
for t in "${trees[@]}"; do
	for tool in "${tools[@]}"; do one "$tool" "$t" "${thread_list[-1]}"; done  # fill the page cache
	for j in "${thread_list[@]}"; do
		for _ in $(seq "$runs"); do
			for tool in "${tools[@]}"; do one "$tool" "$t" "$j" timed; done
		done
	done
	python3 - "$work/$t.mcpaudit.json" <<'EOF' || echo "bench: mcpaudit's report on $t is unreadable"
import json, sys
r = json.load(open(sys.argv[1]))
t = r.get("target", {})
print("%s: mcpaudit parsed %s of %s files, %d skipped by design, %d endpoints, %d findings, %d incomplete" % (
    sys.argv[1].rsplit("/", 1)[-1].split(".")[0], t.get("files_parsed"), t.get("files_found"),
    len(t.get("skipped_by_design", [])), len(r.get("endpoints", [])), len(r.get("findings", [])),
    len(r.get("incomplete", []))))
EOF
done

# ---- Report ----

python3 - "$samples" "$work/trees.txt" <<'EOF'
import collections, statistics, sys

runs = collections.defaultdict(list)
bad = collections.Counter()
for line in open(sys.argv[1]):
    tree, tool, jobs, wall, kb, rc = line.strip().split("|")
    runs[tree, tool, int(jobs)].append((float(wall), int(kb)))
    # mcpaudit exits 1 when it has findings; the others 0
    if int(rc) > (1 if tool == "mcpaudit" else 0):
        bad[tree, tool, int(jobs)] += 1
trees = {}
for line in open(sys.argv[2]):
    name, files, nbytes, ndecl = line.strip().split("|")
    trees[name] = (int(files), int(nbytes), int(ndecl))

def med(key, i):
    return statistics.median(v[i] for v in runs[key])

print()
print("| tree | threads | parse-only | mcpaudit | ast-grep | mcpaudit / parse-only | ast-grep / mcpaudit |"
      " peak RSS parse-only / mcpaudit / ast-grep |")
print("|---|---|---|---|---|---|---|---|")
for name, (files, nbytes, ndecl) in trees.items():
    for jobs in sorted({k[2] for k in runs if k[0] == name}):
        p, m, a = ((name, t, jobs) for t in ("parse-only", "mcpaudit", "ast-grep"))
        if not all(runs[k] for k in (p, m, a)):
            continue
        print("| %s (%d files, %.1f MB) | %d | %.2f s | %.2f s | %.2f s | %.2fx | %.2fx | %.0f / %.0f / %.0f MiB |" % (
            name, files, nbytes / 1e6, jobs, med(p, 0), med(m, 0), med(a, 0),
            med(m, 0) / med(p, 0), med(a, 0) / med(m, 0),
            med(p, 1) / 1024, med(m, 1) / 1024, med(a, 1) / 1024))
print()
print("Medians of %d whole-process runs each (GNU time: wall, peak RSS), interleaved." %
      min(len(v) for v in runs.values()))
print("Targets (issue 10): mcpaudit / parse-only <= 1.3x; ast-grep / mcpaudit >= 1.3x; mcpaudit's RSS <= ast-grep's.")
print()
print("Raw wall times (s):")
for (tree, tool, jobs), v in sorted(runs.items()):
    print("  %-8s %-10s %d thread%s: %s" % (tree, tool, jobs, "" if jobs == 1 else "s",
                                         " ".join("%.2f" % w for w, _ in v)))
for k, n in bad.items():
    print("bench: %s %s at %d threads failed %d time(s): see its stderr in bench/work" % (k[0], k[1], k[2], n))
EOF
echo "outputs and stderr of each tool: $work"
