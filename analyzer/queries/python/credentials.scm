; Reading credentials (analyzer/data/credential_paths.txt) and dumping the environment.
((call function: (_) @callee arguments: (argument_list . (_) @cred.path)) @call.readfile
 (#resolves-to? @callee "open" "io.open" "os.open" "codecs.open" "pathlib.Path" "os.listdir" "aiofiles.open"))
((call function: (_) @callee arguments: (argument_list . (_) @cred.env)) @call.envdump
 (#resolves-to? @callee "json.dumps" "str" "repr" "pickle.dumps"))
