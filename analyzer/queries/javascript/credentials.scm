; Reading credentials: files under ~/.ssh, ~/.aws, .env, .npmrc ... (the list is
; analyzer/data/credential_paths.txt) and dumps of the whole environment.
((call_expression function: (_) @callee arguments: (arguments . (_) @cred.path)) @call.readfile
 (#resolves-to? @callee "fs.readFileSync" "fs.readFile" "fs.createReadStream" "fs.promises.readFile"
   "fs/promises.readFile" "fs.openSync" "fs.open" "fs.promises.open" "fs/promises.open" "fs-extra.readFile"
   "fs-extra.readFileSync" "fs.readdirSync" "fs.readdir" "fs.promises.readdir" "fs/promises.readdir"))
; (Object.keys/entries only iterate names, as config loaders do: a dump is serialising it.)
((call_expression function: (_) @callee arguments: (arguments . (_) @cred.env)) @call.envdump
 (#resolves-to? @callee "JSON.stringify" "util.inspect" "querystring.stringify" "v8.serialize"))
