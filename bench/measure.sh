# Shared by bench/run.sh and bench/trace.sh (sourced): timing with GNU time.
# Expects $work and $runs to be set.

# measure NAME OUTFILE CMD...: best wall time of $runs runs (after one untimed warm-up that
# fills the page cache), and the highest peak RSS seen (GNU time: the largest single process of
# the tree, not their sum). Sets best_s, peak_kb, last_rc.
measure() {
	local name=$1 out=$2; shift 2
	local tv="$work/time.txt" s kb
	best_s="" peak_kb=0
	"$@" >"$out" 2>"$work/$name.stderr" || true
	for _ in $(seq "$runs"); do
		last_rc=0
		/usr/bin/time -v -o "$tv" "$@" >"$out" 2>"$work/$name.stderr" || last_rc=$?
		s=$(awk -F': ' '/Elapsed \(wall clock\)/ {
			n = split($2, p, ":"); t = 0; for (i = 1; i <= n; i++) t = t * 60 + p[i]; print t }' "$tv")
		kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
		if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN {exit !(a < b)}'; then
			best_s=$s
		fi
		if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
	done
}

results=()
record() { results+=("$1|$best_s|$peak_kb|$2"); }
