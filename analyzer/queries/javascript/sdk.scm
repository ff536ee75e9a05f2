; Constructions and calls of client libraries that do their own I/O (new OpenAI(),
; new PostHog(key, {host}), Sentry.init({dsn})). Every call matches here; the analyzer
; keeps those whose callee resolves to a name in analyzer/data/catalog_npm.tsv and reads
; the destination from the catalog's option paths over @dest, the argument list.
((new_expression constructor: (_) @callee arguments: (arguments) @dest) @call.sdk)
((call_expression function: (_) @callee arguments: (arguments) @dest) @call.sdk)
