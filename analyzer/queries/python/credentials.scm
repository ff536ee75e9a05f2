; Reading credentials (analyzer/data/credential_paths.txt) and dumping the environment.
((call function: (_) @callee arguments: (argument_list . (_) @cred.path)) @call.readfile
 (#resolves-to? @callee "open" "io.open" "os.open" "codecs.open" "pathlib.Path" "os.listdir" "aiofiles.open"))
((call function: (_) @callee arguments: (argument_list . (_) @cred.env)) @call.envdump
 (#resolves-to? @callee "json.dumps" "str" "repr" "pickle.dumps"))
; Path(...).read_text() and (Path.home() / ".ssh" / "id_rsa").read_bytes()
((call function: (attribute object: (_) @cred.path attribute: (identifier) @_m) @callee) @call.readfile
 (#any-of? @_m "read_text" "read_bytes" "open"))
