/* driver: MCP sessions against real child processes (a bundled sample, fake Python servers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit_skip.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "tracer/driver.h"

/* A schema with every construct the generator knows; the fake server checks the
 * arguments against it with its own small validator. */
#define RICH_SCHEMA                                                                                     \
	"{\"type\":\"object\",\"properties\":{"                                                         \
	"\"url\":{\"type\":\"string\",\"format\":\"uri\"},"                                             \
	"\"path\":{\"type\":\"string\"},"                                                               \
	"\"query\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":10},"                             \
	"\"owner\":{\"type\":\"string\"},\"repo\":{\"type\":\"string\"},"                               \
	"\"email\":{\"type\":\"string\",\"format\":\"email\"},"                                         \
	"\"when\":{\"type\":\"string\",\"format\":\"date-time\"},"                                      \
	"\"target\":{\"type\":\"string\",\"format\":\"hostname\"},"                                     \
	"\"count\":{\"type\":\"integer\",\"minimum\":5,\"maximum\":9},"                                 \
	"\"ratio\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":1},"                \
	"\"page\":{\"type\":\"integer\",\"minimum\":-10,\"maximum\":0},"                                \
	"\"flag\":{\"type\":\"boolean\"},"                                                              \
	"\"mode\":{\"type\":\"string\",\"enum\":[\"fast\",\"slow\"]},"                                  \
	"\"kind\":{\"const\":\"fixed\"},"                                                               \
	"\"limit\":{\"type\":\"integer\",\"default\":42},"                                              \
	"\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":2,\"maxItems\":4},"  \
	"\"nested\":{\"type\":\"object\",\"required\":[\"deep\"],\"properties\":{"                      \
	"\"deep\":{\"type\":\"object\",\"properties\":{\"value\":{\"type\":\"number\","                 \
	"\"multipleOf\":0.5,\"minimum\":2.2}}},"                                                        \
	"\"list\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"id\"],"            \
	"\"properties\":{\"id\":{\"type\":\"integer\"}}}}}},"                                           \
	"\"maybe\":{\"type\":[\"string\",\"null\"]},"                                                   \
	"\"choice\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"integer\",\"minimum\":3}]},"            \
	"\"ref\":{\"$ref\":\"#/$defs/thing\"},"                                                         \
	"\"code\":{\"type\":\"string\",\"minLength\":8}},"                                              \
	"\"required\":[\"url\",\"path\",\"query\",\"count\"],"                                          \
	"\"$defs\":{\"thing\":{\"type\":\"object\",\"required\":[\"name\"],"                            \
	"\"properties\":{\"name\":{\"type\":\"string\"}}}}}"

/* The fake server: argv[1] is the mode. */
static const char fake_server_py[] =
	"import json, re, sys, os, time\n"
	"mode = sys.argv[1]\n"
	"RICH = json.loads(sys.argv[2])\n"
	"def send(m):\n"
	"    sys.stdout.write(json.dumps(m) + '\\n'); sys.stdout.flush()\n"
	"pending = []\n"
	"def recv():\n"
	"    if pending: return pending.pop(0)\n"
	"    while True:\n"
	"        line = sys.stdin.readline()\n"
	"        if not line: sys.exit(0)\n"
	"        if line.strip(): return json.loads(line)\n"
	"def ask(method, params, i):\n"
	"    send({'jsonrpc': '2.0', 'id': i, 'method': method, 'params': params})\n"
	"    while True:\n"
	"        line = sys.stdin.readline()\n"
	"        if not line: sys.exit(0)\n"
	"        m = json.loads(line)\n"
	"        if m.get('id') == i and 'method' not in m: return m\n"
	"        pending.append(m)\n"
	"def is_type(v, t):\n"
	"    num = isinstance(v, (int, float)) and not isinstance(v, bool)\n"
	"    return {'string': isinstance(v, str), 'integer': num and float(v).is_integer(),\n"
	"            'number': num, 'boolean': isinstance(v, bool), 'object': isinstance(v, dict),\n"
	"            'array': isinstance(v, list), 'null': v is None}[t]\n"
	"FORMATS = {'uri': r'^https://[a-z0-9.-]+/', 'email': r'^[^@\\s]+@[a-z0-9.-]+\\.[a-z]+$',\n"
	"           'date-time': r'^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$',\n"
	"           'hostname': r'^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$'}\n"
	"def check(v, s, where='$'):\n"
	"    if '$ref' in s:\n"
	"        t = RICH\n"
	"        for k in s['$ref'][2:].split('/'): t = t[k]\n"
	"        return check(v, t, where)\n"
	"    if 'anyOf' in s:\n"
	"        errs = [check(v, a, where) for a in s['anyOf']]\n"
	"        return None if None in errs else where + ': anyOf'\n"
	"    if 'const' in s and v != s['const']: return where + ': const'\n"
	"    if 'enum' in s and v not in s['enum']: return where + ': enum'\n"
	"    t = s.get('type'); types = t if isinstance(t, list) else ([t] if t else [])\n"
	"    if types and not any(is_type(v, x) for x in types): return where + ': type'\n"
	"    if isinstance(v, str):\n"
	"        if len(v) < s.get('minLength', 0) or len(v) > s.get('maxLength', 1 << 30): return where + ': length'\n"
	"        f = s.get('format')\n"
	"        if f in FORMATS and not re.match(FORMATS[f], v): return where + ': format'\n"
	"    if is_type(v, 'number'):\n"
	"        if 'minimum' in s and v < s['minimum']: return where + ': minimum'\n"
	"        if 'maximum' in s and v > s['maximum']: return where + ': maximum'\n"
	"        if 'exclusiveMinimum' in s and v <= s['exclusiveMinimum']: return where + ': exclusiveMinimum'\n"
	"        if 'exclusiveMaximum' in s and v >= s['exclusiveMaximum']: return where + ': exclusiveMaximum'\n"
	"        if 'multipleOf' in s and abs(v / s['multipleOf'] - round(v / s['multipleOf'])) > 1e-9: return where + ': multipleOf'\n"
	"    if isinstance(v, list):\n"
	"        if len(v) < s.get('minItems', 0) or len(v) > s.get('maxItems', 1 << 30): return where + ': items'\n"
	"        for i, x in enumerate(v):\n"
	"            e = check(x, s.get('items', {}), '%s[%d]' % (where, i))\n"
	"            if e: return e\n"
	"    if isinstance(v, dict):\n"
	"        for r in s.get('required', []):\n"
	"            if r not in v: return where + ': missing ' + r\n"
	"        for k, x in v.items():\n"
	"            e = check(x, s.get('properties', {}).get(k, {}), where + '.' + k)\n"
	"            if e: return e\n"
	"    return None\n"
	"TOOLS = [{'name': 'echo', 'inputSchema': {'type': 'object', 'properties': {'text': {'type': 'string'}}}},\n"
	"         {'name': 'rich', 'description': 'every schema construct', 'inputSchema': RICH},\n"
	"         {'name': 'third', 'inputSchema': {'type': 'object'}}]\n"
	"if mode == 'nulname':\n"
	"    TOOLS = [{'name': 'search_issues\\x00', 'inputSchema': {'type': 'object', 'properties': {'q\\x00': {'type': 'string'}}}},\n"
	"             {'name': 'echo', 'inputSchema': {'type': 'object'}}]\n"
	"if mode == 'surrogate':\n"
	"    TOOLS[0]['description'] = 'bad \\ud800 surrogate, and a lone low one \\udc00'\n"
	"if mode == 'many':\n"
	"    TOOLS = [{'name': 'filler%d' % i, 'inputSchema': {'type': 'object'}} for i in range(300)] + [{'name': 'real'}]\n"
	"if mode == 'decoys':\n"
	"    TOOLS = [{'name': 'decoy%d' % i} for i in range(12)] + [{'name': 'real'}]\n"
	"KNOWN = [t['name'] for t in TOOLS] + (['deep'] if mode == 'deep' else [])\n"
	"RESOURCES = [{'uri': 'file:///notes/a.txt', 'name': 'a'}, {'uri': 'mem://b', 'name': 'b'}]\n"
	"PROMPTS = [{'name': 'greet', 'arguments': [{'name': 'city', 'required': True}, {'name': 'style'}]}]\n"
	"def page(items, params, size):\n"
	"    start = int(params.get('cursor', '0'))\n"
	"    r = items[start:start + size]\n"
	"    return r, (str(start + size) if start + size < len(items) else None)\n"
	"def result(m, r): send({'jsonrpc': '2.0', 'id': m['id'], 'result': r})\n"
	"def text(t): return {'content': [{'type': 'text', 'text': t}]}\n"
	"def listing(m, key, items):\n"
	"    r, nxt = page(items, m.get('params') or {}, 1 if key != 'tools' else 1000 if mode in ('many', 'decoys') else 2)\n"
	"    if mode == 'deep' and key == 'tools':\n"
	"        # nesting far past cJSON's 1,000 levels inside one tool's schema\n"
	"        sys.stdout.write('{\"jsonrpc\":\"2.0\",\"id\":%d,\"result\":{\"tools\":[{\"name\":\"deep\",\"inputSchema\":'\n"
	"                         '{\"type\":\"object\",\"properties\":{\"z\":%s}}},{\"name\":\"echo\"}]}}\\n'\n"
	"                         % (m['id'], '[' * 5000 + ']' * 5000)); sys.stdout.flush(); return\n"
	"    out = {key: r}\n"
	"    if nxt: out['nextCursor'] = nxt\n"
	"    result(m, out)\n"
	"while True:\n"
	"    m = recv()\n"
	"    meth = m.get('method'); p = m.get('params') or {}\n"
	"    if 'id' not in m: continue\n"
	"    if mode == 'silent': continue\n"
	"    if meth == 'initialize':\n"
	"        if mode == 'invalid':\n"
	"            sys.stdout.write('this is not json {\\n{\"jsonrpc\": \"2.0\", \"id\": \\n42\\n\\n'); sys.stdout.flush()\n"
	"        result(m, {'protocolVersion': '2025-06-18', 'capabilities': {'tools': {}, 'resources': {}, 'prompts': {}},\n"
	"                   'serverInfo': {'name': 'fake', 'version': '9.9'}, 'offered': p.get('protocolVersion'),\n"
	"                   'caps': sorted(p.get('capabilities', {}).keys())})\n"
	"        if mode == 'exit': sys.exit(3)\n"
	"        if mode == 'bigline':\n"
	"            sys.stdout.write('A' * (20 << 20) + '\\n'); sys.stdout.flush()\n"
	"    elif meth == 'tools/list': listing(m, 'tools', TOOLS)\n"
	"    elif meth == 'resources/list': listing(m, 'resources', RESOURCES)\n"
	"    elif meth == 'prompts/list': listing(m, 'prompts', PROMPTS)\n"
	"    elif meth == 'resources/read':\n"
	"        result(m, {'contents': [{'uri': p['uri'], 'text': 'contents of ' + p['uri']}]})\n"
	"    elif meth == 'prompts/get':\n"
	"        a = p.get('arguments', {})\n"
	"        result(m, {'messages': [{'role': 'user', 'content': {'type': 'text', 'text': 'weather in ' + a.get('city', '?')}}]})\n"
	"    elif meth == 'tools/call':\n"
	"        if mode == 'hangtools': time.sleep(3600)\n"
	"        if mode == 'slowtools': continue\n"
	"        name = p.get('name'); args = p.get('arguments')\n"
	"        if mode == 'decoys' and name != 'real': continue\n"
	"        if name not in KNOWN:\n"
	"            result(m, {'content': [{'type': 'text', 'text': 'Unknown tool: ' + str(name)}], 'isError': True})\n"
	"        elif mode == 'unknown':\n"
	"            send({'jsonrpc': '2.0', 'id': m['id'], 'error': {'code': -32602, 'message': 'MCP error -32602: Tool %s not found' % name}})\n"
	"        elif name == 'search_issues\\x00': result(m, text('NUL-TOOL-RAN ' + json.dumps(args)))\n"
	"        elif name in ('real', 'deep', 'filler0'): result(m, text('RAN-' + name))\n"
	"        elif name == 'echo': result(m, text('echo:' + json.dumps(args)))\n"
	"        elif name == 'rich':\n"
	"            e = check(args, RICH)\n"
	"            result(m, text('INVALID ' + e if e else 'VALID ' + json.dumps(args)))\n"
	"        elif mode == 'asks':\n"
	"            roots = ask('roots/list', {}, 'r1')\n"
	"            s = ask('sampling/createMessage', {'messages': [{'role': 'user', 'content': {'type': 'text',\n"
	"                    'text': 'SECRET-IN-REQUEST'}}], 'maxTokens': 10}, 'r2')\n"
	"            e = ask('elicitation/create', {'message': 'name?', 'requestedSchema': {'type': 'object'}}, 'r3')\n"
	"            u = ask('no/such/method', {}, 'r4')\n"
	"            result(m, text(json.dumps({'roots': roots['result'], 'sampling': s['result'], 'elicit': e['result'],\n"
	"                                       'unknown': u.get('error', {}).get('code')})))\n"
	"        else:\n"
	"            result(m, {'content': [{'type': 'text', 'text': 'third failed'}], 'isError': True})\n"
	"    elif meth == 'ping': result(m, {})\n"
	"    else: send({'jsonrpc': '2.0', 'id': m['id'], 'error': {'code': -32601, 'message': 'no ' + str(meth)}})\n";

static char tmpdir[64];
static char script[128];

struct child {
	pid_t pid;
	int to, from;
};

struct phases {
	struct strbuf list; /* "phase\n" per transition */
	uint64_t last_ms;
	bool monotonic;
};

static void on_phase(void *ctx, const char *phase, uint64_t ms)
{
	struct phases *p = ctx;

	strbuf_printf(&p->list, "%s\n", phase);
	if (ms < p->last_ms)
		p->monotonic = false;
	p->last_ms = ms;
}

static int setup(void **state)
{
	FILE *f;

	snprintf(tmpdir, sizeof tmpdir, "/tmp/drvtest.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(script, sizeof script, "%s/server.py", tmpdir);
	f = fopen(script, "w");
	if (!f)
		return -1;
	fputs(fake_server_py, f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	char readme[160];

	unlink(script);
	snprintf(readme, sizeof readme, "%s/README.md", tmpdir);
	unlink(readme);
	rmdir(tmpdir);
	return 0;
}

static bool spawn(struct child *c, char *const argv[])
{
	int in[2], out[2];

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
		return false;
	c->pid = fork();
	if (c->pid < 0)
		return false;
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		if (chdir(tmpdir) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = in[1];
	c->from = out[0];
	return true;
}

static int reap(struct child *c)
{
	int status = 0;

	close(c->from);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
	return status;
}

static void quick_config(struct driver_config *cfg, struct phases *ph)
{
	driver_config_init(cfg);
	cfg->server_dir = tmpdir;
	cfg->init_timeout_ms = 10000; /* python starts slowly on a busy machine */
	cfg->call_timeout_ms = 5000;
	cfg->quiet_ms = 50;
	cfg->shutdown_ms = 500;
	cfg->phase = on_phase;
	cfg->phase_ctx = ph;
	ph->list = (struct strbuf)STRBUF_INIT(0);
	ph->last_ms = 0;
	ph->monotonic = true;
}

/* Run the fake server in mode; *elapsed_ms is the driver's run time. */
static struct driver_result *run_fake(const char *mode, struct driver_config *cfg, uint64_t *elapsed_ms)
{
	char *argv[] = {"python3", script, (char *)mode, RICH_SCHEMA, NULL};
	struct child c;
	struct driver_result *r = NULL;
	char err[256] = "";
	uint64_t t0;

	assert_true(spawn(&c, argv));
	t0 = driver_clock_ms();
	assert_int_equal(driver_run(cfg, c.to, c.from, &r, err, sizeof err), DRIVER_OK);
	if (elapsed_ms)
		*elapsed_ms = driver_clock_ms() - t0;
	reap(&c);
	assert_non_null(r);
	return r;
}

static const struct driver_call *find_call(const struct driver_result *r, const char *method, const char *target)
{
	for (size_t i = 0; i < r->calls.len; i++)
		if (strcmp(r->calls.items[i].method, method) == 0 &&
		    (!target || (r->calls.items[i].target && strcmp(r->calls.items[i].target, target) == 0)))
			return &r->calls.items[i];
	return NULL;
}

static bool has_problem(const struct driver_result *r, enum driver_problem_kind k)
{
	for (size_t i = 0; i < r->problems.len; i++)
		if (r->problems.items[i].kind == k)
			return true;
	return false;
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The phase list with the lines between the first head and the last tail sorted (in place). */
static const char *middle_sorted(struct strbuf *list, size_t head, size_t tail)
{
	char *lines[64], *text = strbuf_take(list), *nl;
	size_t n = 0;

	for (char *l = text; l && *l && n < 64; l = nl ? nl + 1 : NULL) {
		if ((nl = strchr(l, '\n')))
			*nl = '\0';
		lines[n++] = l;
	}
	if (n > head + tail)
		qsort(lines + head, n - head - tail, sizeof *lines, compare_lines);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(list, "%s\n", lines[i]);
	free(text);
	return strbuf_str(list);
}

static void test_normal_session(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_call *c;
	/* the items come in an order drawn per run: compared sorted */
	const char *want_phases = "startup\ninitialize\ntools/list\nresources/list\nprompts/list\n"
				  "prompts/get greet\nresources/read file:///notes/a.txt\nresources/read mem://b\n"
				  "tools/call echo\ntools/call rich\ntools/call third\nidle\nshutdown\n";

	quick_config(&cfg, &ph);
	r = run_fake("normal", &cfg, NULL);
	assert_string_equal(r->server_name, "fake");
	assert_string_equal(r->server_version, "9.9");
	assert_string_equal(r->protocol_version, "2025-06-18");
	/* pagination: tools come two per page, resources and prompts one per page */
	assert_int_equal(r->tools.len, 3);
	assert_int_equal(r->resources.len, 2);
	assert_int_equal(r->prompts.len, 1);
	assert_string_equal(r->tools.items[1].name, "rich");
	assert_string_equal(r->tools.items[1].description, "every schema construct");
	assert_string_equal(middle_sorted(&ph.list, 5, 2), want_phases);
	assert_true(ph.monotonic);
	/* the server saw our offer and capabilities */
	assert_non_null(strstr(strbuf_str(&r->text), DRIVER_PROTOCOL_VERSION));
	assert_non_null(strstr(strbuf_str(&r->text), "elicitation"));
	assert_non_null(strstr(strbuf_str(&r->text), "sampling"));
	assert_non_null(strstr(strbuf_str(&r->text), "contents of mem://b"));
	assert_non_null(strstr(strbuf_str(&r->text), "weather in "));
	c = find_call(r, "tools/call", "rich");
	assert_non_null(c);
	assert_int_equal(c->outcome, DRIVER_CALL_OK);
	assert_non_null(strstr(strbuf_str(&r->text), "VALID {"));
	assert_null(strstr(strbuf_str(&r->text), "INVALID"));
	c = find_call(r, "tools/call", "third");
	assert_int_equal(c->outcome, DRIVER_CALL_ERROR);
	assert_string_equal(c->detail, "third failed");
	assert_int_equal(find_call(r, "ping", NULL)->outcome, DRIVER_CALL_OK);
	assert_int_equal(find_call(r, "tools/list", NULL)->outcome, DRIVER_CALL_OK);
	assert_false(r->crashed);
	assert_false(r->hung);
	assert_int_equal(r->invalid_lines, 0);
	assert_int_equal(r->problems.len, 0);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_no_calls(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	cfg.no_calls = true;
	r = run_fake("normal", &cfg, NULL);
	assert_int_equal(r->tools.len, 3);
	assert_null(find_call(r, "tools/call", NULL));
	assert_null(find_call(r, "resources/read", NULL));
	assert_string_equal(strbuf_str(&ph.list),
			    "startup\ninitialize\ntools/list\nresources/list\nprompts/list\nidle\nshutdown\n");
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_invalid_json(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_fake("invalid", &cfg, NULL);
	/* "this is not json {", the cut object and the bare 42 (not a message) */
	assert_int_equal(r->invalid_lines, 3);
	assert_true(has_problem(r, DRIVER_PROBLEM_INVALID_JSON));
	assert_non_null(strstr(strbuf_str(&r->text), "this is not json"));
	/* and the session went on */
	assert_string_equal(r->server_name, "fake");
	assert_int_equal(r->tools.len, 3);
	assert_int_equal(find_call(r, "tools/call", "echo")->outcome, DRIVER_CALL_OK);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_long_line(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_fake("bigline", &cfg, NULL);
	assert_int_equal(r->long_lines, 1);
	assert_true(has_problem(r, DRIVER_PROBLEM_FLOOD));
	/* the rest of the line was skipped and the next message understood */
	assert_int_equal(r->tools.len, 3);
	assert_int_equal(r->invalid_lines, 0);
	assert_true(r->text.len < ((size_t)1 << 20));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_silent_server(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	uint64_t elapsed;

	quick_config(&cfg, &ph);
	cfg.init_timeout_ms = 300;
	r = run_fake("silent", &cfg, &elapsed);
	assert_int_equal(find_call(r, "initialize", NULL)->outcome, DRIVER_CALL_TIMEOUT);
	assert_int_equal(r->timeouts, 1);
	assert_true(has_problem(r, DRIVER_PROBLEM_TIMEOUT));
	assert_null(r->protocol_version);
	assert_int_equal(r->calls.len, 1);
	assert_string_equal(strbuf_str(&ph.list), "startup\ninitialize\nidle\nshutdown\n");
	assert_true(elapsed < 2000);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_hung_tools(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	uint64_t elapsed;

	quick_config(&cfg, &ph);
	cfg.call_timeout_ms = 200;
	cfg.max_timeouts = 2;
	r = run_fake("hangtools", &cfg, &elapsed);
	/* the server blocks on its first tool: that and the next request time out, then a ping
	 * does too, and nothing more is sent (a tool is at most fourth of six items) */
	assert_true(r->hung);
	assert_int_equal(r->timeouts, 3);
	assert_int_equal(r->calls.items[r->calls.len - 1].outcome, DRIVER_CALL_TIMEOUT);
	assert_string_equal(r->calls.items[r->calls.len - 1].method, "ping");
	assert_true(has_problem(r, DRIVER_PROBLEM_HUNG));
	assert_true(elapsed < 3000);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

/* Issue 8, item 9: tools that never answer while the server answers everything else (decoys)
 * are not a hung server: every tool is still called. Failed before the fix (checked by
 * running it against the old driver.c): after two timeouts in a row the driver stopped, and
 * "third" was never called. */
static void test_slow_tools_not_hung(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	cfg.call_timeout_ms = 300;
	cfg.max_timeouts = 2;
	r = run_fake("slowtools", &cfg, NULL);
	assert_false(r->hung);
	assert_false(has_problem(r, DRIVER_PROBLEM_HUNG));
	assert_int_equal(find_call(r, "tools/call", "echo")->outcome, DRIVER_CALL_TIMEOUT);
	assert_int_equal(find_call(r, "tools/call", "rich")->outcome, DRIVER_CALL_TIMEOUT);
	assert_int_equal(find_call(r, "tools/call", "third")->outcome, DRIVER_CALL_TIMEOUT);
	assert_int_equal(find_call(r, "prompts/get", "greet")->outcome, DRIVER_CALL_OK);
	assert_false(has_problem(r, DRIVER_PROBLEM_UNEXERCISED));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_deadline(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	uint64_t elapsed;

	quick_config(&cfg, &ph);
	cfg.init_timeout_ms = 60000;
	cfg.call_timeout_ms = 60000;
	cfg.quiet_ms = 60000;
	cfg.shutdown_ms = 60000;
	cfg.deadline_ms = driver_clock_ms() + 1500;
	/* (a python slower than 1.5 s to start fails initialize instead: still the deadline) */
	r = run_fake("hangtools", &cfg, &elapsed);
	assert_true(r->deadline_hit);
	assert_true(has_problem(r, DRIVER_PROBLEM_DEADLINE));
	assert_true(r->calls.len > 0);
	assert_int_equal(r->calls.items[r->calls.len - 1].outcome, DRIVER_CALL_TIMEOUT);
	assert_true(elapsed < 2500);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_exit_after_initialize(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_fake("exit", &cfg, NULL);
	assert_true(r->crashed);
	assert_true(has_problem(r, DRIVER_PROBLEM_CRASH));
	assert_string_equal(r->server_name, "fake");
	assert_int_equal(r->tools.len, 0);
	/* tools/list was sent (or failed to be) and found the server gone */
	assert_null(find_call(r, "tools/call", NULL));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_server_requests(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	char root[160];
	const char *text;

	quick_config(&cfg, &ph);
	r = run_fake("asks", &cfg, NULL);
	assert_int_equal(r->server_requests.len, 4);
	assert_string_equal(r->server_requests.items[0], "roots/list");
	assert_string_equal(r->server_requests.items[1], "sampling/createMessage");
	assert_string_equal(r->server_requests.items[2], "elicitation/create");
	assert_int_equal(find_call(r, "tools/call", "third")->outcome, DRIVER_CALL_OK);
	text = strbuf_str(&r->text);
	/* what the server put in its own requests is kept for the canary search */
	assert_non_null(strstr(text, "SECRET-IN-REQUEST"));
	/* the answers as the server saw them */
	snprintf(root, sizeof root, "\"uri\": \"file://%s\"", tmpdir);
	assert_non_null(strstr(text, root));
	assert_non_null(strstr(text, "\"action\": \"decline\""));
	assert_non_null(strstr(text, "\"stopReason\": \"endTurn\""));
	assert_non_null(strstr(text, "\"unknown\": -32601"));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	for (const char *p = path; p && *p;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
		if (access(buf, X_OK) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static void test_node_calculator(void **state)
{
	char sample[1024];
	char *slash;
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r = NULL;
	struct child c;
	char err[256];

	/* the source tree from this file's path: tests/unit/test_driver.c */
	snprintf(sample, sizeof sample, "%s", __FILE__);
	for (int i = 0; i < 3 && (slash = strrchr(sample, '/')); i++)
		*slash = '\0';
	strncat(sample, "/samples/01-clean-calculator/index.js", sizeof sample - strlen(sample) - 1);
	if (!in_path("node") || access(sample, R_OK) != 0)
		unit_skip("node is not installed, or samples/01-clean-calculator is missing");
	char *argv[] = {"node", sample, NULL};
	quick_config(&cfg, &ph);
	assert_true(spawn(&c, argv));
	assert_int_equal(driver_run(&cfg, c.to, c.from, &r, err, sizeof err), DRIVER_OK);
	reap(&c);
	assert_string_equal(r->server_name, "calculator-mcp");
	assert_string_equal(r->server_version, "1.2.0");
	assert_int_equal(r->tools.len, 3);
	for (size_t i = 0; i < r->tools.len; i++)
		assert_int_equal(find_call(r, "tools/call", r->tools.items[i].name)->outcome, DRIVER_CALL_OK);
	/* add(1, 1), multiply(1, 1), stats([1]) */
	assert_non_null(strstr(strbuf_str(&r->text), "\n2\n"));
	assert_non_null(strstr(strbuf_str(&r->text), "{\"mean\":1,\"median\":1,\"stddev\":0}"));
	/* the sample has no resources or prompts: those lists fail and the run goes on */
	assert_int_equal(find_call(r, "resources/list", NULL)->outcome, DRIVER_CALL_ERROR);
	assert_int_equal(find_call(r, "ping", NULL)->outcome, DRIVER_CALL_OK);
	assert_false(r->crashed);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static const cJSON *get(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_non_null(v);
	return v;
}

static void test_generated_arguments(void **state)
{
	struct driver_config cfg;
	cJSON *schema = cJSON_Parse(RICH_SCHEMA);
	cJSON *args;
	char path[160];

	driver_config_init(&cfg);
	cfg.server_dir = "/srv/server";
	args = driver_tool_arguments(&cfg, schema);
	assert_non_null(args);
	assert_string_equal(get(args, "url")->valuestring, "https://" DRIVER_PROBE_HOST "/page");
	snprintf(path, sizeof path, "%s/", cfg.server_dir);
	assert_memory_equal(get(args, "path")->valuestring, path, strlen(path));
	assert_string_equal(get(args, "query")->valuestring, "test");
	assert_string_equal(get(args, "owner")->valuestring, "example");
	assert_string_equal(get(args, "repo")->valuestring, "example");
	assert_string_equal(get(args, "email")->valuestring, "alex@" DRIVER_PROBE_HOST);
	assert_string_equal(get(args, "target")->valuestring, DRIVER_PROBE_HOST);
	assert_int_equal((int)get(args, "count")->valuedouble, 5);
	assert_true(get(args, "ratio")->valuedouble > 0 && get(args, "ratio")->valuedouble < 1);
	assert_int_equal((int)get(args, "page")->valuedouble, 0);
	assert_true(cJSON_IsBool(get(args, "flag")));
	assert_string_equal(get(args, "mode")->valuestring, "fast");
	assert_string_equal(get(args, "kind")->valuestring, "fixed");
	assert_int_equal((int)get(args, "limit")->valuedouble, 42);
	assert_int_equal(cJSON_GetArraySize(get(args, "tags")), 2);
	assert_true(get(get(get(args, "nested"), "deep"), "value")->valuedouble == 2.5);
	assert_true(cJSON_IsNumber(get(cJSON_GetArrayItem(get(get(args, "nested"), "list"), 0), "id")));
	assert_true(cJSON_IsString(get(args, "maybe")));
	assert_int_equal((int)get(args, "choice")->valuedouble, 3);
	assert_true(cJSON_IsString(get(get(args, "ref"), "name")));
	assert_int_equal(strlen(get(args, "code")->valuestring), 8);
	cJSON_Delete(args);
	/* no schema, or not an object: {} */
	args = driver_tool_arguments(&cfg, NULL);
	assert_true(cJSON_IsObject(args) && cJSON_GetArraySize(args) == 0);
	cJSON_Delete(args);
	cJSON_Delete(schema);
}

struct hint_case {
	const char *name;
	const char *want;
};

static void test_argument_names(void **state)
{
	static const struct hint_case cases[] = {
		{"baseUrl", "https://" DRIVER_PROBE_HOST "/page"},
		{"webhook_url", "https://" DRIVER_PROBE_HOST "/page"},
		{"endpoint", "https://" DRIVER_PROBE_HOST "/page"},
		{"hostname", DRIVER_PROBE_HOST},
		{"file_path", "/srv/s/README.md"},
		{"directory", "/srv/s"},
		{"q", "test"},
		{"searchQuery", "test"},
		{"repoOwner", "example"},
		{"repo", "example"},
		{"userEmail", "alex@" DRIVER_PROBE_HOST},
		{"color", "test"},
	};
	struct driver_config cfg;

	driver_config_init(&cfg);
	cfg.server_dir = "/srv/s";
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char schema_text[256];
		cJSON *schema, *args;
		snprintf(schema_text, sizeof schema_text, "{\"properties\":{\"%s\":{\"type\":\"string\"}}}",
			 cases[i].name);
		schema = cJSON_Parse(schema_text);
		args = driver_tool_arguments(&cfg, schema);
		assert_string_equal(get(args, cases[i].name)->valuestring, cases[i].want);
		cJSON_Delete(args);
		cJSON_Delete(schema);
	}
}

static void test_deep_schema(void **state)
{
	/* a self-referencing schema and deep nesting stay bounded */
	struct driver_config cfg;
	cJSON *schema = cJSON_Parse("{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#\"},"
				    "\"list\":{\"type\":\"array\",\"minItems\":1000000,\"items\":{\"$ref\":\"#\"}}}}");
	cJSON *args;
	char *text;

	driver_config_init(&cfg);
	cfg.server_dir = "/srv/s";
	args = driver_tool_arguments(&cfg, schema);
	assert_non_null(args);
	text = cJSON_PrintUnformatted(args);
	assert_true(strlen(text) < ((size_t)1 << 22));
	free(text);
	cJSON_Delete(args);
	cJSON_Delete(schema);
}

static void test_prompt_arguments(void **state)
{
	struct driver_config cfg;
	cJSON *a = cJSON_Parse("[{\"name\":\"url\",\"required\":true},{\"name\":\"topic\"},{\"nope\":1}]");
	cJSON *args;

	driver_config_init(&cfg);
	cfg.server_dir = "/srv/s";
	args = driver_prompt_arguments(&cfg, a);
	assert_int_equal(cJSON_GetArraySize(args), 2);
	assert_string_equal(get(args, "url")->valuestring, "https://" DRIVER_PROBE_HOST "/page");
	assert_string_equal(get(args, "topic")->valuestring, "test");
	cJSON_Delete(args);
	cJSON_Delete(a);
}

static const struct driver_problem *find_problem(const struct driver_result *r, enum driver_problem_kind k)
{
	for (size_t i = 0; i < r->problems.len; i++)
		if (r->problems.items[i].kind == k)
			return &r->problems.items[i];
	return NULL;
}

/* Issue 8, item 8: a tool named "search_issues\u0000" is called by that exact name (and an
 * argument key with a NUL keeps it too). Failed before the fix (checked against the old
 * driver.c): cJSON cut the name at the NUL, the driver called "search_issues", the server
 * said "Unknown tool" and nothing was incomplete. */
static void test_nul_in_tool_name(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_call *c;

	quick_config(&cfg, &ph);
	r = run_fake("nulname", &cfg, NULL);
	assert_int_equal(r->tools.len, 2);
	assert_memory_equal(r->tools.items[0].name, "search_issues\xff", 15);
	c = find_call(r, "tools/call", "search_issues\\u0000");
	assert_non_null(c);
	assert_int_equal(c->outcome, DRIVER_CALL_OK);
	assert_non_null(strstr(strbuf_str(&r->text), "NUL-TOOL-RAN {\"q\\u0000\""));
	assert_null(strstr(strbuf_str(&r->text), "Unknown tool"));
	assert_non_null(strstr(strbuf_str(&ph.list), "tools/call search_issues\\u0000\n"));
	assert_false(has_problem(r, DRIVER_PROBLEM_UNKNOWN_TARGET));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

/* Issue 8, item 8: a server whose listed tools all answer "not found" exercised nothing:
 * each is an unknown-target problem (incomplete in the report), never clean. Failed before
 * the fix: no problem at all. */
static void test_unknown_tools(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_problem *p;

	quick_config(&cfg, &ph);
	r = run_fake("unknown", &cfg, NULL);
	assert_int_equal(find_call(r, "tools/call", "echo")->outcome, DRIVER_CALL_ERROR);
	p = find_problem(r, DRIVER_PROBLEM_UNKNOWN_TARGET);
	assert_non_null(p);
	assert_non_null(strstr(p->detail, "not found"));
	assert_string_equal(driver_problem_name(DRIVER_PROBLEM_UNKNOWN_TARGET), "unknown-target");
	driver_result_free(r);
	strbuf_free(&ph.list);
}

/* Issue 8, item 9: a lone surrogate in a description no longer makes the tools/list answer
 * unreadable. Failed before the fix: invalid_lines 1, no tool listed, none called. */
static void test_lone_surrogate(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_fake("surrogate", &cfg, NULL);
	assert_int_equal(r->invalid_lines, 0);
	assert_int_equal(r->tools.len, 3);
	assert_string_equal(r->tools.items[0].description,
			    "bad \xef\xbf\xbd surrogate, and a lone low one \xef\xbf\xbd");
	assert_int_equal(find_call(r, "tools/call", "echo")->outcome, DRIVER_CALL_OK);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

/* Issue 8, item 9: 5,000 levels of nesting in one schema cost that value, not the answer.
 * Failed before the fix: cJSON refused the whole line (its limit is 1,000). */
static void test_deep_nesting(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_fake("deep", &cfg, NULL);
	assert_int_equal(r->invalid_lines, 0);
	assert_int_equal(r->tools.len, 2);
	assert_true(has_problem(r, DRIVER_PROBLEM_CAP));
	assert_int_equal(find_call(r, "tools/call", "deep")->outcome, DRIVER_CALL_OK);
	assert_non_null(strstr(strbuf_str(&r->text), "RAN-deep"));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

/* Issue 8, item 9: the 301st tool is called. Failed before the fix: the list stopped at 256. */
static void test_many_tools(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_fake("many", &cfg, NULL);
	assert_int_equal(r->tools.len, 301);
	assert_int_equal(find_call(r, "tools/call", "real")->outcome, DRIVER_CALL_OK);
	assert_false(has_problem(r, DRIVER_PROBLEM_CAP));
	assert_false(has_problem(r, DRIVER_PROBLEM_UNEXERCISED));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

/* Issue 8, item 9: twelve decoy tools that never answer, listed before the real one, cannot
 * use up the session: each item gets its share of the time left. Failed before the fix:
 * three decoys timed out, the driver called the server hung and "real" never ran. */
static void test_decoys_share_time(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	uint64_t elapsed;

	quick_config(&cfg, &ph);
	cfg.call_timeout_ms = 5000;
	cfg.deadline_ms = driver_clock_ms() + 9000;
	r = run_fake("decoys", &cfg, &elapsed);
	assert_non_null(find_call(r, "tools/call", "real"));
	assert_int_equal(find_call(r, "tools/call", "real")->outcome, DRIVER_CALL_OK);
	assert_false(r->hung);
	assert_false(has_problem(r, DRIVER_PROBLEM_UNEXERCISED));
	assert_true(elapsed < 10000);
	driver_result_free(r);
	strbuf_free(&ph.list);
}

/* Items the session never reached are named in one problem (incomplete, never clean). */
static void test_unexercised_named(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_problem *p;

	quick_config(&cfg, &ph);
	cfg.call_timeout_ms = 5000;
	cfg.deadline_ms = driver_clock_ms() + 2500;
	r = run_fake("decoys", &cfg, NULL);
	p = find_problem(r, DRIVER_PROBLEM_UNEXERCISED);
	assert_non_null(p);
	/* decoys' or the listed resources' and prompt's, whichever the order left out */
	assert_non_null(strstr(p->detail, "listed items never called (the session deadline): "));
	driver_result_free(r);
	strbuf_free(&ph.list);
}

static void test_names(void **state)
{
	assert_string_equal(driver_problem_name(DRIVER_PROBLEM_CRASH), "crash");
	assert_string_equal(driver_problem_name(DRIVER_PROBLEM_FLOOD), "flood");
	assert_string_equal(driver_problem_name((enum driver_problem_kind)99), "?");
	assert_string_equal(driver_outcome_name(DRIVER_CALL_TIMEOUT), "timeout");
	assert_true(driver_protocol_supported("2024-11-05"));
	assert_true(driver_protocol_supported("2025-11-25"));
	assert_false(driver_protocol_supported("2023-01-01"));
	assert_false(driver_protocol_supported(NULL));
}

static void test_bad_config(void **state)
{
	struct driver_config cfg;
	struct driver_result *r = (struct driver_result *)&cfg;
	char err[128] = "";
	int p[2];

	driver_config_init(&cfg); /* no server_dir */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(driver_run(&cfg, p[1], p[0], &r, err, sizeof err), DRIVER_BAD_CONFIG);
	assert_null(r);
	assert_true(err[0] != '\0');
	/* to_server was closed: the read end sees EOF */
	assert_int_equal(read(p[0], err, 1), 0);
	close(p[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_generated_arguments),
		cmocka_unit_test(test_argument_names),
		cmocka_unit_test(test_deep_schema),
		cmocka_unit_test(test_prompt_arguments),
		cmocka_unit_test(test_normal_session),
		cmocka_unit_test(test_no_calls),
		cmocka_unit_test(test_invalid_json),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_silent_server),
		cmocka_unit_test(test_hung_tools),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_slow_tools_not_hung),
		cmocka_unit_test(test_nul_in_tool_name),
		cmocka_unit_test(test_unknown_tools),
		cmocka_unit_test(test_lone_surrogate),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_tools),
		cmocka_unit_test(test_decoys_share_time),
		cmocka_unit_test(test_unexercised_named),
		cmocka_unit_test(test_exit_after_initialize),
		cmocka_unit_test(test_server_requests),
		cmocka_unit_test(test_node_calculator),
	};

	return unit_finish(cmocka_run_group_tests(tests, setup, teardown));
}
