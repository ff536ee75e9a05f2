/* driver over streamable HTTP: sessions against a fake MCP server (Python, written at test time) on
 * 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "tracer/driver.h"

/* argv: mode port logfile. Every request is logged as
 * "METHOD|rpc-method|session-id|protocol-version|accept|content-type". */
static const char fake_server_py[] =
    "import json, os, sys, threading, time, http.server\n"
    "mode, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n"
    "SID = 'sess-4f2a9c0e'\n"
    "lock = threading.Lock()\n"
    "answered = {}\n"
    "def logline(*a):\n"
    "    with lock:\n"
    "        with open(log, 'a') as f: f.write('|'.join(str(x) for x in a) + '\\n')\n"
    "TOOLS = [{'name': 'echo', 'inputSchema': {'type': 'object', 'properties': {'text': {'type': "
    "'string'}},\n"
    "          'required': ['text']}},\n"
    "         {'name': 'fetch', 'inputSchema': {'type': 'object', 'properties': {'url': {'type': 'string', "
    "'format': 'uri'}}}}]\n"
    "def result(m, r): return {'jsonrpc': '2.0', 'id': m['id'], 'result': r}\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    protocol_version = 'HTTP/1.1'\n"
    "    def log_message(self, *a): pass\n"
    "    def json_reply(self, status, obj, headers=()):\n"
    "        body = json.dumps(obj).encode()\n"
    "        self.send_response(status)\n"
    "        self.send_header('Content-Type', 'application/json')\n"
    "        self.send_header('Content-Length', str(len(body)))\n"
    "        for k, v in headers: self.send_header(k, v)\n"
    "        self.end_headers(); self.wfile.write(body); self.wfile.flush()\n"
    "    def accepted(self):\n"
    "        self.send_response(202); self.send_header('Content-Length', '0'); self.end_headers()\n"
    "    def do_DELETE(self):\n"
    "        logline('DELETE', '-', self.headers.get('Mcp-Session-Id'), "
    "self.headers.get('MCP-Protocol-Version'))\n"
    "        self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()\n"
    "    def chunk(self, data):\n"
    "        self.wfile.write(b'%x\\r\\n%s\\r\\n' % (len(data), data)); self.wfile.flush()\n"
    "    def tools_call(self, m):\n"
    "        # SSE in chunks that split lines: a comment, a notification, a request to the client,\n"
    "        # then the answer over several data lines once the client has answered the ping\n"
    "        self.send_response(200)\n"
    "        self.send_header('Content-Type', 'text/event-stream')\n"
    "        self.send_header('Transfer-Encoding', 'chunked')\n"
    "        self.end_headers()\n"
    "        pid = 'srv-%d' % m['id']\n"
    "        ev = answered.setdefault(pid, threading.Event())\n"
    "        self.chunk(b': keep-alive\\n\\n')\n"
    "        note = json.dumps({'jsonrpc': '2.0', 'method': 'notifications/message',\n"
    "                           'params': {'level': 'info', 'data': 'working on it'}})\n"
    "        data = ('id: 1\\nevent: message\\ndata: %s\\n\\n' % note).encode()\n"
    "        for i in range(0, len(data), 7): self.chunk(data[i:i + 7])\n"
    "        self.chunk(('id: 2\\ndata: %s\\n\\n' % json.dumps({'jsonrpc': '2.0', 'id': pid, 'method': "
    "'ping'})).encode())\n"
    "        ok = ev.wait(5)\n"
    "        text = ('pong seen ' if ok else 'ping unanswered ') + m['params']['name'] + ' ' + "
    "json.dumps(m['params'].get('arguments'))\n"
    "        r = json.dumps(result(m, {'content': [{'type': 'text', 'text': text}], 'isError': not ok}), "
    "indent=1)\n"
    "        self.chunk(('id: 3\\n' + ''.join('data: %s\\n' % l for l in r.split('\\n')) + '\\n').encode())\n"
    "        self.wfile.write(b'0\\r\\n\\r\\n'); self.wfile.flush()\n"
    "    def resources_read(self, m):\n"
    "        # SSE to the end of the connection (no length, not chunked), CRLF line ends\n"
    "        self.send_response(200)\n"
    "        self.send_header('Content-Type', 'text/event-stream; charset=utf-8')\n"
    "        self.send_header('Connection', 'close')\n"
    "        self.end_headers()\n"
    "        r = result(m, {'contents': [{'uri': m['params']['uri'], 'text': 'the note body'}]})\n"
    "        self.wfile.write(('data: %s\\r\\n\\r\\n' % json.dumps(r)).encode()); self.wfile.flush()\n"
    "        self.close_connection = True\n"
    "    def do_POST(self):\n"
    "        m = json.loads(self.rfile.read(int(self.headers.get('Content-Length', '0'))))\n"
    "        sid = self.headers.get('Mcp-Session-Id')\n"
    "        meth = m.get('method', 'answer')\n"
    "        logline('POST', meth, sid, self.headers.get('MCP-Protocol-Version'), "
    "self.headers.get('Accept'),\n"
    "                self.headers.get('Content-Type'))\n"
    "        if mode == 'silent':\n"
    "            time.sleep(60)\n"
    "        if meth == 'initialize':\n"
    "            hdrs = [] if mode == 'nosid' else [('Mcp-Session-Id', SID)]\n"
    "            return self.json_reply(200, result(m, {'protocolVersion': '2025-06-18', 'capabilities': "
    "{'tools': {}},\n"
    "                                   'serverInfo': {'name': 'fake-http', 'version': '1.2'}}), hdrs)\n"
    "        if sid != SID:\n"
    "            return self.json_reply(400, {'jsonrpc': '2.0', 'id': None, 'error': {'code': -32000,\n"
    "                                   'message': 'Bad Request: No valid session ID provided'}})\n"
    "        if mode == 'expire' and meth not in ('notifications/initialized', 'tools/list'):\n"
    "            return self.json_reply(404, {'jsonrpc': '2.0', 'id': None, 'error': {'code': -32001, "
    "'message': 'Session not found'}})\n"
    "        if 'id' not in m or 'method' not in m:\n"
    "            if meth == 'answer' and 'result' in m:\n"
    "                answered.setdefault(m['id'], threading.Event()).set()\n"
    "            return self.accepted()\n"
    "        if meth == 'tools/list':\n"
    "            if mode == 'flood':\n"
    "                return self.json_reply(200, result(m, {'tools': TOOLS, 'pad': 'x' * 20000}))\n"
    "            return self.json_reply(200, result(m, {'tools': TOOLS}))\n"
    "        if mode == 'crash':\n"
    "            os._exit(3)\n"
    "        if meth == 'resources/list':\n"
    "            return self.json_reply(200, result(m, {'resources': [{'uri': 'mem://note', 'name': "
    "'note'}]}))\n"
    "        if meth == 'prompts/list': return self.json_reply(200, result(m, {'prompts': []}))\n"
    "        if meth == 'resources/read': return self.resources_read(m)\n"
    "        if meth == 'tools/call': return self.tools_call(m)\n"
    "        if meth == 'ping': return self.json_reply(200, result(m, {}))\n"
    "        self.json_reply(200, {'jsonrpc': '2.0', 'id': m['id'], 'error': {'code': -32601, 'message': 'no "
    "' + meth}})\n"
    "time.sleep(0.3)  # the driver must wait for the server to listen\n"
    "srv = http.server.ThreadingHTTPServer(('127.0.0.1', port), H)\n"
    "srv.daemon_threads = True\n"
    "srv.serve_forever()\n";

/* The legacy HTTP+SSE transport (MCP 2024-11-05): POST /mcp gets 405; GET /mcp opens the
 * stream whose first event names where to POST; answers come on the stream. argv: mode port
 * logfile; every request logged as "METHOD|path|rpc-method or Accept". Modes: legacy (a
 * relative endpoint), absolute (an absolute URL naming another host), noendpoint (the first
 * event is a message), noget (GET gets 405 too), drop (the stream ends after tools/list). */
static const char legacy_server_py[] =
    "import json, queue, sys, threading, http.server\n"
    "mode, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n"
    "stream = queue.Queue()\n"
    "lock = threading.Lock()\n"
    "def logline(*a):\n"
    "    with lock:\n"
    "        with open(log, 'a') as f: f.write('|'.join(str(x) for x in a) + '\\n')\n"
    "def answer(m):\n"
    "    meth = m['method']\n"
    "    if meth == 'initialize':\n"
    "        r = {'protocolVersion': '2024-11-05', 'capabilities': {'tools': {}}, 'serverInfo': {'name': 'fake-sse', 'version': '0.9'}}\n"
    "    elif meth == 'tools/list':\n"
    "        r = {'tools': [{'name': 'echo', 'inputSchema': {'type': 'object', 'properties': {'text': {'type': 'string'}}}}]}\n"
    "    elif meth == 'tools/call':\n"
    "        r = {'content': [{'type': 'text', 'text': 'sse echo ' + json.dumps(m['params'].get('arguments'))}]}\n"
    "    elif meth in ('ping', 'resources/list', 'prompts/list'):\n"
    "        r = {}\n"
    "    else:\n"
    "        return {'jsonrpc': '2.0', 'id': m['id'], 'error': {'code': -32601, 'message': 'no ' + meth}}\n"
    "    return {'jsonrpc': '2.0', 'id': m['id'], 'result': r}\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    protocol_version = 'HTTP/1.1'\n"
    "    def log_message(self, *a): pass\n"
    "    def plain(self, status, text):\n"
    "        b = text.encode()\n"
    "        self.send_response(status); self.send_header('Content-Length', str(len(b))); self.end_headers()\n"
    "        self.wfile.write(b); self.wfile.flush()\n"
    "    def do_GET(self):\n"
    "        logline('GET', self.path, self.headers.get('Accept'))\n"
    "        if mode == 'noget' or self.path != '/mcp': return self.plain(405, 'Method Not Allowed')\n"
    "        self.send_response(200); self.send_header('Content-Type', 'text/event-stream')\n"
    "        self.send_header('Connection', 'close'); self.end_headers()\n"
    "        if mode == 'noendpoint':\n"
    "            self.wfile.write(b'event: message\\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\\n\\n')\n"
    "        else:\n"
    "            url = 'http://203.0.113.7:8080/rpc/messages?sessionId=s1' if mode == 'absolute' else 'messages?sessionId=s1'\n"
    "            self.wfile.write((': hello\\nevent: endpoint\\ndata: %s\\n\\n' % url).encode())\n"
    "        self.wfile.flush()\n"
    "        while True:\n"
    "            m = stream.get()\n"
    "            if m is None: return\n"
    "            self.wfile.write(('event: message\\r\\ndata: %s\\r\\n\\r\\n' % json.dumps(m)).encode()); self.wfile.flush()\n"
    "    def do_POST(self):\n"
    "        body = self.rfile.read(int(self.headers.get('Content-Length', '0')))\n"
    "        m = json.loads(body)\n"
    "        logline('POST', self.path, m.get('method', 'answer'))\n"
    "        if self.path == '/mcp': return self.plain(405, 'Method Not Allowed')\n"
    "        if self.path != ('/rpc/messages?sessionId=s1' if mode == 'absolute' else '/messages?sessionId=s1'):\n"
    "            return self.plain(404, 'no such session')\n"
    "        if 'id' in m and 'method' in m:\n"
    "            stream.put(answer(m))\n"
    "            if mode == 'drop' and m['method'] == 'tools/list': stream.put(None)\n"
    "        self.plain(202, 'Accepted')\n"
    "srv = http.server.ThreadingHTTPServer(('127.0.0.1', port), H)\n"
    "srv.daemon_threads = True\n"
    "srv.serve_forever()\n";

static char tmpdir[64];
static char script[128];
static char legacy_script[128];
static char logfile[128];

struct phases {
	struct strbuf list; /* "phase\n" per transition */
};

static void on_phase(void *ctx, const char *phase, uint64_t ms)
{
	struct phases *p = ctx;

	strbuf_printf(&p->list, "%s\n", phase);
}

/* A script of the test's own into the temporary folder; false when it cannot be written. */
static bool write_script(char *path, size_t size, const char *name, const char *text)
{
	FILE *f;

	snprintf(path, size, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return fclose(f) == 0;
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/drvhttp.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(logfile, sizeof logfile, "%s/requests.log", tmpdir);
	if (!write_script(script, sizeof script, "server.py", fake_server_py) ||
	    !write_script(legacy_script, sizeof legacy_script, "legacy.py", legacy_server_py))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	unlink(script);
	unlink(legacy_script);
	unlink(logfile);
	rmdir(tmpdir);
	return 0;
}

/* A port nothing listens on now (the kernel's choice, released at once). */
static uint16_t free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static pid_t spawn_script(const char *path, const char *mode, uint16_t port)
{
	char portstr[16];
	pid_t pid;

	snprintf(portstr, sizeof portstr, "%u", (unsigned)port);
	unlink(logfile);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execlp("python3", "python3", path, mode, portstr, logfile, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int stop_server(pid_t pid)
{
	int status = 0;

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return status;
}

static void quick_config(struct driver_config *cfg, struct phases *ph)
{
	driver_config_init(cfg);
	cfg->server_dir = tmpdir;
	cfg->init_timeout_ms = 10000; /* python starts slowly on a busy machine */
	cfg->call_timeout_ms = 8000;
	cfg->quiet_ms = 50;
	cfg->shutdown_ms = 1000;
	cfg->phase = on_phase;
	cfg->phase_ctx = ph;
	ph->list = (struct strbuf)STRBUF_INIT(0);
}

/* Run the fake server (script) in mode; *elapsed_ms is the driver's run time. */
static struct driver_result *run_script(const char *path, const char *mode, struct driver_config *cfg,
                                        uint64_t *elapsed_ms)
{
	uint16_t port = free_port();
	pid_t pid = spawn_script(path, mode, port);
	struct driver_result *r = NULL;
	char err[256] = "";
	uint64_t t0 = driver_clock_ms();

	assert_int_equal(driver_run_http(cfg, "127.0.0.1", port, "/mcp", &r, err, sizeof err), DRIVER_OK);
	if (elapsed_ms)
		*elapsed_ms = driver_clock_ms() - t0;
	stop_server(pid);
	assert_non_null(r);
	return r;
}

static struct driver_result *run_fake(const char *mode, struct driver_config *cfg, uint64_t *elapsed_ms)
{
	return run_script(script, mode, cfg, elapsed_ms);
}

static const struct driver_call *find_call(const struct driver_result *r, const char *method,
                                           const char *target)
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

/* The request log, one request a line. Caller frees. */
static char *read_log(void)
{
	FILE *f = fopen(logfile, "r");
	struct strbuf b = STRBUF_INIT(0);
	char line[1024];

	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		strbuf_puts(&b, line);
	fclose(f);
	return strbuf_take(&b);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_session(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_call *c;
	char *log;

	quick_config(&cfg, &ph);
	r = run_fake("normal", &cfg, NULL);
	for (size_t i = 0; i < r->problems.len; i++)
		print_message("problem: %s %s\n", driver_problem_name(r->problems.items[i].kind),
		              r->problems.items[i].detail);
	assert_int_equal(r->problems.len, 0);
	assert_string_equal(r->server_name, "fake-http");
	assert_string_equal(r->protocol_version, "2025-06-18");
	assert_int_equal(r->tools.len, 2);
	assert_int_equal(r->resources.len, 1);
	assert_false(r->crashed);
	for (size_t i = 0; i < r->calls.len; i++)
		assert_int_equal(r->calls.items[i].outcome, DRIVER_CALL_OK);
	assert_int_equal(r->calls.len, 8); /* initialize, 3 lists, 1 read, 2 calls, ping */
	/* The tool results came over SSE, after the driver answered the ping in the stream. */
	c = find_call(r, "tools/call", "echo");
	assert_non_null(c);
	assert_null(c->detail);
	assert_non_null(strstr(strbuf_str(&r->text), "pong seen echo {\"text\": \"test\"}"));
	assert_non_null(
	    strstr(strbuf_str(&r->text), "pong seen fetch {\"url\": \"https://" DRIVER_PROBE_HOST));
	assert_non_null(strstr(strbuf_str(&r->text), "working on it"));
	assert_non_null(strstr(strbuf_str(&r->text), "the note body"));
	assert_int_equal(r->server_requests.len, 2);
	assert_string_equal(r->server_requests.items[0], "ping");
	/* the items in an order drawn per run, between the lists and the idle period */
	assert_true(strncmp(strbuf_str(&ph.list), "startup\ninitialize\ntools/list\nresources/list\nprompts/list\n", 58) == 0);
	assert_non_null(strstr(strbuf_str(&ph.list), "\nresources/read mem://note\n"));
	assert_non_null(strstr(strbuf_str(&ph.list), "\ntools/call echo\n"));
	assert_non_null(strstr(strbuf_str(&ph.list), "\ntools/call fetch\n"));
	assert_int_equal(ph.list.len, strlen("startup\ninitialize\ntools/list\nresources/list\nprompts/list\n"
	                                     "resources/read mem://note\ntools/call echo\ntools/call fetch\nidle\nshutdown\n"));
	assert_non_null(strstr(strbuf_str(&ph.list), "\nidle\nshutdown\n"));

	/* Headers: the session id from initialize on every later request, the version after
	 * initialize, the right Accept and Content-Type; the session ended with a DELETE. */
	log = read_log();
	assert_non_null(
	    strstr(log, "POST|initialize|None|None|application/json, text/event-stream|application/json\n"));
	assert_int_equal(
	    count(log, "|sess-4f2a9c0e|2025-06-18|application/json, text/event-stream|application/json\n"),
	    count(log, "POST|") - 1);
	assert_int_equal(count(log, "POST|notifications/initialized|"), 1);
	assert_int_equal(count(log, "POST|answer|"), 2);
	assert_int_equal(count(log, "POST|tools/call|"), 2);
	assert_non_null(strstr(log, "DELETE|-|sess-4f2a9c0e|2025-06-18\n"));
	/* notifications/initialized reached the server before tools/list */
	assert_true(strstr(log, "POST|notifications/initialized|") < strstr(log, "POST|tools/list|"));
	free(log);
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* Without the session header every request after initialize gets 400: an error each, recorded. */
static void test_no_session_id(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_call *c;

	quick_config(&cfg, &ph);
	r = run_fake("nosid", &cfg, NULL);
	c = find_call(r, "tools/list", NULL);
	assert_non_null(c);
	assert_int_equal(c->outcome, DRIVER_CALL_ERROR);
	assert_non_null(strstr(c->detail, "HTTP 400"));
	assert_non_null(strstr(c->detail, "No valid session ID"));
	assert_true(has_problem(r, DRIVER_PROBLEM_HTTP));
	assert_int_equal(r->tools.len, 0);
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* A 404 to a request with the session id: the session expired, nothing more is sent. */
static void test_expired(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_call *c;
	char *log;

	quick_config(&cfg, &ph);
	r = run_fake("expire", &cfg, NULL);
	assert_int_equal(r->tools.len, 2);
	c = find_call(r, "resources/list", NULL);
	assert_non_null(c);
	assert_int_equal(c->outcome, DRIVER_CALL_ERROR);
	assert_non_null(strstr(c->detail, "HTTP 404"));
	assert_true(has_problem(r, DRIVER_PROBLEM_SESSION_EXPIRED));
	assert_null(find_call(r, "prompts/list", NULL));
	assert_null(find_call(r, "tools/call", NULL));
	log = read_log();
	assert_null(strstr(log, "DELETE"));
	free(log);
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* A server that accepts and never answers: initialize times out within its timeout. */
static void test_silent(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	uint64_t elapsed;

	quick_config(&cfg, &ph);
	cfg.init_timeout_ms = 1500;
	r = run_fake("silent", &cfg, &elapsed);
	assert_int_equal(r->calls.len, 1);
	assert_int_equal(r->calls.items[0].outcome, DRIVER_CALL_TIMEOUT);
	assert_true(r->calls.items[0].end_ms - r->calls.items[0].start_ms >= 1400);
	assert_true(has_problem(r, DRIVER_PROBLEM_TIMEOUT));
	assert_true(elapsed < 1500 + 50 + 1000 + 500 + 1000);
	assert_string_equal(strbuf_str(&ph.list), "startup\ninitialize\nidle\nshutdown\n");
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* Nothing ever listens: connections are retried until the initialize timeout. */
static void test_never_listens(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r = NULL;
	char err[256] = "";
	uint64_t t0 = driver_clock_ms(), elapsed;

	quick_config(&cfg, &ph);
	cfg.init_timeout_ms = 700;
	assert_int_equal(driver_run_http(&cfg, "127.0.0.1", free_port(), NULL, &r, err, sizeof err),
	                 DRIVER_OK);
	elapsed = driver_clock_ms() - t0;
	assert_int_equal(r->calls.len, 1);
	assert_int_equal(r->calls.items[0].outcome, DRIVER_CALL_TIMEOUT);
	assert_false(r->crashed);
	assert_true(elapsed >= 700 && elapsed < 700 + 50 + 1000 + 500 + 1000);
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* The session deadline cuts a silent server short, whatever the request timeout. */
static void test_deadline(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	uint64_t elapsed;

	quick_config(&cfg, &ph);
	cfg.init_timeout_ms = 30000;
	cfg.deadline_ms = driver_clock_ms() + 1200;
	r = run_fake("silent", &cfg, &elapsed);
	assert_true(elapsed < 2500);
	assert_int_equal(r->calls.items[0].outcome, DRIVER_CALL_TIMEOUT);
	assert_true(r->deadline_hit || has_problem(r, DRIVER_PROBLEM_TIMEOUT));
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* The server exits on resources/list: that exchange ends without an answer, a later
 * connection is refused: a crash. */
static void test_crash(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_call *c;

	quick_config(&cfg, &ph);
	r = run_fake("crash", &cfg, NULL);
	assert_int_equal(r->tools.len, 2);
	assert_true(r->crashed);
	assert_true(has_problem(r, DRIVER_PROBLEM_CRASH));
	c = find_call(r, "resources/list", NULL);
	assert_non_null(c);
	assert_int_equal(c->outcome, DRIVER_CALL_CLOSED);
	assert_true(has_problem(r, DRIVER_PROBLEM_HTTP));
	/* A connection or two may still be taken from the dying server's backlog and
	 * reset; the first refused one ends the session. */
	for (size_t i = 2; i < r->calls.len; i++)
		assert_int_equal(r->calls.items[i].outcome, DRIVER_CALL_CLOSED);
	assert_null(find_call(r, "ping", NULL));
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* A JSON body over max_line is skipped and reported; the request has no answer. */
static void test_flood(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	const struct driver_call *c;

	quick_config(&cfg, &ph);
	cfg.max_line = 4096;
	r = run_fake("flood", &cfg, NULL);
	assert_true(has_problem(r, DRIVER_PROBLEM_FLOOD));
	assert_int_equal(r->long_lines, 1);
	c = find_call(r, "tools/list", NULL);
	assert_non_null(c);
	assert_int_equal(c->outcome, DRIVER_CALL_CLOSED);
	assert_int_equal(r->tools.len, 0);
	assert_non_null(find_call(r, "resources/list", NULL)); /* the session goes on */
	strbuf_free(&ph.list);
	driver_result_free(r);
}

static void test_bad_config(void **state)
{
	struct driver_config cfg;
	struct driver_result *r = (struct driver_result *)&cfg;
	char err[256] = "";

	driver_config_init(&cfg);
	cfg.server_dir = tmpdir;
	assert_int_equal(driver_run_http(&cfg, "localhost", 8080, NULL, &r, err, sizeof err),
	                 DRIVER_BAD_CONFIG);
	assert_null(r);
	assert_non_null(strstr(err, "numeric"));
	assert_int_equal(driver_run_http(&cfg, "127.0.0.1", 0, NULL, &r, err, sizeof err), DRIVER_BAD_CONFIG);
	assert_int_equal(driver_run_http(&cfg, "::1", 80, "mcp", &r, err, sizeof err), DRIVER_BAD_CONFIG);
	assert_int_equal(driver_run_http(&cfg, "::1", 80, "/m\r\nX: y", &r, err, sizeof err),
	                 DRIVER_BAD_CONFIG);
	cfg.server_dir = NULL;
	assert_int_equal(driver_run_http(&cfg, "127.0.0.1", 80, NULL, &r, err, sizeof err),
	                 DRIVER_BAD_CONFIG);
	assert_null(r);
}

static void print_problems(const struct driver_result *r)
{
	for (size_t i = 0; i < r->problems.len; i++)
		print_message("problem: %s %s\n", driver_problem_name(r->problems.items[i].kind),
		              r->problems.items[i].detail);
}

/* A server of the legacy HTTP+SSE transport is driven through it: the 405 to the first POST
 * leads to a GET of the same path, the endpoint event's relative URL is where every message
 * goes, and the answers come on the stream. Failed before the fallback existed (initialize
 * ended with "HTTP 405", nothing listed): checked by running it on the old driver_http.c. */
static void test_legacy_sse(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;
	char *log;

	quick_config(&cfg, &ph);
	r = run_script(legacy_script, "legacy", &cfg, NULL);
	print_problems(r);
	assert_true(r->legacy_sse);
	assert_int_equal(r->problems.len, 0);
	assert_string_equal(r->server_name, "fake-sse");
	assert_string_equal(r->protocol_version, "2024-11-05");
	assert_int_equal(r->tools.len, 1);
	assert_false(r->crashed);
	for (size_t i = 0; i < r->calls.len; i++)
		assert_int_equal(r->calls.items[i].outcome, DRIVER_CALL_OK);
	assert_non_null(find_call(r, "tools/call", "echo"));
	assert_non_null(strstr(strbuf_str(&r->text), "sse echo {\"text\": \"test\"}"));
	log = read_log();
	/* one POST to the URL, one GET of it, then everything to the endpoint, initialize again first */
	assert_non_null(strstr(log, "POST|/mcp|initialize\nGET|/mcp|text/event-stream\n"
	                            "POST|/messages?sessionId=s1|initialize\n"));
	assert_int_equal(count(log, "POST|/mcp|"), 1);
	assert_int_equal(count(log, "GET|"), 1);
	assert_int_equal(count(log, "POST|/messages?sessionId=s1|notifications/initialized\n"), 1);
	assert_int_equal(count(log, "POST|/messages?sessionId=s1|tools/call\n"), 1);
	free(log);
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* An absolute endpoint URL naming another host: its path is used, on the server's own address. */
static void test_legacy_absolute(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_script(legacy_script, "absolute", &cfg, NULL);
	print_problems(r);
	assert_true(r->legacy_sse);
	assert_int_equal(r->tools.len, 1);
	assert_non_null(find_call(r, "tools/call", "echo"));
	strbuf_free(&ph.list);
	driver_result_free(r);
}

/* The fallback fails (GET refused, or the stream does not start with endpoint): initialize
 * is an error naming both attempts, and the session is not taken for a legacy one. */
static void test_legacy_fails(void **state)
{
	static const char *const modes[] = {"noget", "noendpoint"};
	static const char *const words[] = {"GET /mcp for the legacy HTTP+SSE transport: HTTP 405",
	                                    "its first event is not `endpoint`"};

	for (size_t i = 0; i < 2; i++) {
		struct driver_config cfg;
		struct phases ph;
		struct driver_result *r;
		const struct driver_call *c;

		quick_config(&cfg, &ph);
		r = run_script(legacy_script, modes[i], &cfg, NULL);
		print_problems(r);
		assert_false(r->legacy_sse);
		c = find_call(r, "initialize", NULL);
		assert_non_null(c);
		assert_int_equal(c->outcome, DRIVER_CALL_ERROR);
		assert_non_null(strstr(c->detail, "POST /mcp: HTTP 405: Method Not Allowed"));
		assert_non_null(strstr(c->detail, words[i]));
		assert_int_equal(r->tools.len, 0);
		strbuf_free(&ph.list);
		driver_result_free(r);
	}
}

/* The stream ends mid-session: the server is gone, as when a stdio server closes stdout. */
static void test_legacy_drop(void **state)
{
	struct driver_config cfg;
	struct phases ph;
	struct driver_result *r;

	quick_config(&cfg, &ph);
	r = run_script(legacy_script, "drop", &cfg, NULL);
	print_problems(r);
	assert_int_equal(r->tools.len, 1);
	assert_true(r->crashed);
	assert_true(has_problem(r, DRIVER_PROBLEM_CRASH));
	assert_null(find_call(r, "tools/call", NULL));
	strbuf_free(&ph.list);
	driver_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_session),       cmocka_unit_test(test_no_session_id),
	    cmocka_unit_test(test_expired),       cmocka_unit_test(test_silent),
	    cmocka_unit_test(test_never_listens), cmocka_unit_test(test_deadline),
	    cmocka_unit_test(test_crash),         cmocka_unit_test(test_flood),
	    cmocka_unit_test(test_bad_config),    cmocka_unit_test(test_legacy_sse),
	    cmocka_unit_test(test_legacy_absolute), cmocka_unit_test(test_legacy_fails),
	    cmocka_unit_test(test_legacy_drop),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
