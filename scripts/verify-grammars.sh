#!/bin/sh
# Check that a built mcpaudit parses each language with its compiled-in grammars: scan one
# bundled sample per language and require every file found to be parsed. Used by the
# Dockerfile after the build (the grammars' SHA-512 was already checked against
# grammars/grammars.lock when they were fetched) and usable on any build:
#   scripts/verify-grammars.sh BIN SOURCE_DIR
set -eu
bin=$1
src=$2
for sample in 02-weather-js 18-tides-ts 21-string-formats-py; do
	out=$("$bin" scan --no-config -f json "$src/samples/$sample") || [ $? -eq 1 ] || {
		echo "verify-grammars: mcpaudit scan $sample failed" >&2
		exit 2
	}
	printf '%s' "$out" | python3 -c '
import json, sys
t = json.load(sys.stdin)["target"]
found, parsed = t.get("files_found", 0), t.get("files_parsed", 0)
if not found or parsed != found:
    sys.exit("verify-grammars: %s: %d of %d files parsed" % (sys.argv[1], parsed, found))
print("verify-grammars: %s: %d of %d files parsed" % (sys.argv[1], parsed, found))
' "$sample"
done
