; Constructions and calls of client libraries that do their own I/O (OpenAI(),
; anthropic.Anthropic(), sentry_sdk.init(dsn=...)). Every call matches here; the analyzer
; keeps those whose callee resolves to a name in analyzer/data/catalog_pypi.tsv and reads
; the destination from the catalog's option paths over @dest, the argument list.
((call function: (_) @callee arguments: (argument_list) @dest) @call.sdk)
