; Outbound network calls in JavaScript and TypeScript.
; The callee is recognised through imports and aliases by #resolves-to?, which compares
; the callee's resolved name ("https.request" for `require('node:https').request`,
; `import {request} from 'https'` or `const {request} = require('https')`) with the list.
; "x.*" matches every member of x; "axios.create().*" the methods of its instances.
; @call.<kind> names the category, @dest.<role> the argument that says where it goes:
;   dest.any     a URL string, a URL object or an options object {hostname, host, port, path, protocol}
;   dest.url     a URL (relative ones are joined with the client's base URL)
;   dest.host / dest.port   separate host and port arguments
;   dest.command / dest.args  a command line, or a program and its arguments

; HTTP clients whose first argument says where
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.any)) @call.http
 (#resolves-to? @callee
   "fetch" "node-fetch" "node-fetch.default" "cross-fetch" "isomorphic-fetch" "undici.fetch" "undici.request"
   "undici.stream" "undici.pipeline" "http.request" "http.get" "https.request" "https.get"
   "http2.connect" "axios" "axios.default" "axios.get" "axios.post" "axios.put" "axios.patch" "axios.delete"
   "axios.head" "axios.options" "axios.request" "axios.default.*" "axios.create().*" "got" "got.*" "got.extend().*"
   "ky" "ky.*" "ky.create().*" "ky.extend().*" "superagent" "superagent.*" "needle.*" "request"
   "request.get" "request.post" "request.put" "request.delete" "request.patch" "request.head"
   "request-promise" "request-promise.*" "ofetch" "ofetch.*" "ofetch.create().*" "$fetch" "phin" "bent"
   "make-fetch-happen" "ky-universal" "wretch" "follow-redirects.http.*" "follow-redirects.https.*"
   "undici.Pool" "undici.Client" "undici.Agent().request" "undici.Pool().request" "undici.Client().request"))

((call_expression function: (_) @callee arguments: (arguments . (_) . (_) @dest.url)) @call.http
 (#resolves-to? @callee "XMLHttpRequest().open" "needle" "superagent().get"))

((new_expression constructor: (_) @callee arguments: (arguments . (_) @dest.url)) @call.websocket
 (#resolves-to? @callee "WebSocket" "ws" "ws.WebSocket" "ws.default" "isomorphic-ws" "EventSource"
   "eventsource" "eventsource.EventSource" "reconnecting-websocket" "undici.WebSocket" "undici.EventSource"
   "undici.Pool" "undici.Client" "socket.io-client" "socket.io-client.io"))
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.url)) @call.websocket
 (#resolves-to? @callee "socket.io-client" "socket.io-client.io" "socket.io-client.connect"))

; Raw sockets: (port, host) or ({host, port}) or a path
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.any)) @call.socket
 (#resolves-to? @callee "net.connect" "net.createConnection" "tls.connect" "net.Socket().connect"
   "tls.TLSSocket().connect"))
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.port . (_) @dest.host)) @call.socket
 (#resolves-to? @callee "net.connect" "net.createConnection" "tls.connect" "net.Socket().connect"))
((call_expression function: (_) @callee arguments: (arguments . (_) . (_) @dest.port . (_) @dest.host)) @call.udp
 (#resolves-to? @callee "dgram.createSocket().send" "dgram.Socket().send"))
((call_expression function: (_) @callee arguments: (arguments . (_) . (_) . (_) . (_) @dest.port . (_) @dest.host)) @call.udp
 (#resolves-to? @callee "dgram.createSocket().send"))

; DNS
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.host)) @call.dns
 (#resolves-to? @callee "dns.lookup" "dns.resolve" "dns.resolve4" "dns.resolve6" "dns.resolveAny"
   "dns.resolveTxt" "dns.resolveCname" "dns.resolveMx" "dns.resolveNs" "dns.resolveSrv"
   "dns.resolveCaa" "dns.resolveNaptr" "dns.resolvePtr" "dns.resolveSoa" "dns.reverse"
   "dns.promises.*" "dns/promises.*" "dns.Resolver().*" "dns.promises.Resolver().*"))

; Child processes
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.command)) @call.subprocess
 (#resolves-to? @callee "child_process.exec" "child_process.execSync" "execa.execaCommand"
   "execa.execaCommandSync" "shelljs.exec" "zx.$"))
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.command (_)? @dest.args)) @call.subprocess
 (#resolves-to? @callee "child_process.spawn" "child_process.spawnSync" "child_process.execFile"
   "child_process.execFileSync" "child_process.fork" "execa" "execa.execa" "execa.execaSync" "cross-spawn"))

; Databases and mail: a host, an options object or a connection string
((new_expression constructor: (_) @callee arguments: (arguments . (_) @dest.any)) @call.database
 (#resolves-to? @callee "pg.Client" "pg.Pool" "pg.default.Client" "pg.default.Pool" "ioredis" "ioredis.default"
   "mongodb.MongoClient" "sequelize" "sequelize.Sequelize" "knex" "mysql2.Connection"))
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.any)) @call.database
 (#resolves-to? @callee "mysql2.createConnection" "mysql2.createPool" "mysql2/promise.createConnection"
   "mysql2/promise.createPool" "mysql.createConnection" "mysql.createPool" "redis.createClient"
   "mongodb.MongoClient.connect" "mongoose.connect" "mongoose.createConnection" "postgres" "knex"))
((call_expression function: (_) @callee arguments: (arguments . (_) @dest.any)) @call.mail
 (#resolves-to? @callee "nodemailer.createTransport" "nodemailer.default.createTransport"))
