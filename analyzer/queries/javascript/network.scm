; Outbound network calls in JavaScript and TypeScript, and the other calls the analyzer
; follows (child processes, dynamic code, credential reads), one pattern per argument shape.
;
; The callee is recognised through imports and aliases by #resolves-to?, which compares the
; callee's resolved name ("https.request" for `require('node:https').request`,
; `import {request} from 'https'` or `const {request} = require('https')`) with the names
; listed. "x.*" matches every member of x; "axios.create().*" the methods of its instances;
; "puppeteer.*.goto" every name under puppeteer that ends in ".goto" (page.goto, at any depth).
; A list entry "category=C role=R" starts a group: the names after it are calls of category
; C (http, websocket, socket, udp, dns, subprocess, database, mail, dyncode, readfile,
; envdump) whose @dest argument plays role R:
;   any      a URL string, a URL object or an options object {hostname, host, port, path, protocol}
;   url      a URL (a relative one is joined with the client's base URL)
;   host     a host name            command  a command line (with @dest.args: a program and arguments)
;   code     code to evaluate       path     a file path          env  a value that may be the environment

; ---- the first argument says where ----
((call_expression function: (_) @callee arguments: (arguments . (_) @dest . (_)? @dest.args)) @call
 (#resolves-to? @callee
   "category=http role=any"
   "node-fetch" "cross-fetch" "isomorphic-fetch" "undici.fetch" "undici.request"
   "undici.stream" "undici.pipeline" "axios" "axios.get" "axios.post" "axios.put" "axios.patch" "axios.delete"
   "axios.head" "axios.options" "axios.request" "axios.create().*" "got" "got.*" "got.extend().*"
   "ky" "ky.*" "ky.create().*" "ky.extend().*" "superagent" "superagent.*" "needle.*" "request"
   "request.get" "request.post" "request.put" "request.delete" "request.patch" "request.head"
   "request-promise" "request-promise.*" "ofetch" "ofetch.*" "ofetch.create().*" "$fetch" "phin" "bent"
   "make-fetch-happen" "ky-universal" "wretch" "follow-redirects.http.*" "follow-redirects.https.*"
   "undici.Pool" "undici.Client" "undici.Agent().request" "undici.Pool().request" "undici.Client().request"
   "category=http role=url"
   "puppeteer.*.goto" "puppeteer-core.*.goto" "playwright.*.goto" "playwright-core.*.goto"
   "@playwright/test.*.goto"
   "category=websocket role=url"
   "socket.io-client" "socket.io-client.io" "socket.io-client.connect"
   "category=subprocess role=command"
   "child_process.exec" "child_process.execSync" "child_process.spawn" "child_process.spawnSync"
   "child_process.execFile" "child_process.execFileSync" "child_process.fork" "execa" "execa.execa"
   "execa.execaSync" "execa.execaCommand" "execa.execaCommandSync" "cross-spawn" "shelljs.exec" "zx.$"
   "category=database role=any"
   "mysql2.createConnection" "mysql2.createPool" "mysql2/promise.createConnection"
   "mysql2/promise.createPool" "mysql.createConnection" "mysql.createPool" "redis.createClient"
   "mongodb.MongoClient.connect" "mongoose.connect" "mongoose.createConnection" "postgres" "knex"
   "category=mail role=any"
   "nodemailer.createTransport"
   "category=dyncode role=code"
   "eval" "vm.runInThisContext" "vm.runInNewContext" "vm.runInContext" "vm.compileFunction"
   "category=readfile role=path"
   "fs.readFileSync" "fs.readFile" "fs.createReadStream" "fs.promises.readFile" "fs/promises.readFile"
   "fs.openSync" "fs.open" "fs.promises.open" "fs/promises.open" "fs-extra.readFile" "fs-extra.readFileSync"
   "fs.readdirSync" "fs.readdir" "fs.promises.readdir" "fs/promises.readdir"
   "category=envdump role=env"
   "JSON.stringify" "util.inspect" "querystring.stringify" "v8.serialize"))

; ---- the second argument is the URL ----
((call_expression function: (_) @callee arguments: (arguments . (_) . (_) @dest)) @call
 (#resolves-to? @callee "category=http role=url" "XMLHttpRequest().open" "needle"))

; ---- modelled APIs: the overload is picked from the evaluated arguments (analyzer/models/) ----
((call_expression function: (_) @callee arguments: (arguments) @args) @call
 (#modelled? @callee "javascript"))
((new_expression constructor: (_) @callee arguments: (arguments) @args) @call
 (#modelled? @callee "javascript"))

; ---- constructors whose first argument says where ----
((new_expression constructor: (_) @callee arguments: (arguments . (_) @dest)) @call
 (#resolves-to? @callee
   "category=websocket role=url"
   "ws" "ws.WebSocket" "isomorphic-ws" "eventsource" "eventsource.EventSource"
   "reconnecting-websocket" "undici.WebSocket" "undici.EventSource" "socket.io-client" "socket.io-client.io"
   "category=http role=url"
   "undici.Pool" "undici.Client"
   "category=database role=any"
   "pg.Client" "pg.Pool" "ioredis" "mongodb.MongoClient" "sequelize" "sequelize.Sequelize" "knex"
   "mysql2.Connection"))

; ---- code in the last argument: new Function(a, b, body), Function(body), new vm.Script(code) ----
((new_expression constructor: (_) @callee arguments: (arguments (_) @dest .)) @call
 (#resolves-to? @callee "category=dyncode role=code" "Function" "vm.Script"))
((call_expression function: (_) @callee arguments: (arguments (_) @dest .)) @call
 (#resolves-to? @callee "category=dyncode role=code" "Function"))

; ---- import(x) and require(x) of something that is not a literal ----
((call_expression function: (import) arguments: (arguments . (_) @dyn.module)) @call.dynimport)
((call_expression function: (identifier) @_r arguments: (arguments . (_) @dyn.module)) @call.dynimport
 (#eq? @_r "require"))
