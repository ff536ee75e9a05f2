/* Unit tests for analyzer/api_model.c: the embedded model files parse, and each overload is
 * picked from the evaluated argument kinds (table-driven: API, argument kinds, the role and
 * argument of the destination part and of the port). The misread rows (net.connect with
 * options and a callback, dgram send with offset and length, tls.connect(port, host, options),
 * http.request(url, options, cb)) were read by position before the models: the old
 * queries took port = the options object and host = the callback; checked by running the
 * scan of tests/unit/test_resolve.c's "model:" cases on the parent commit (they failed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "analyzer/api_model.h"

#define NO_ARG (-2)

struct pick_case {
	const char *api;
	enum arg_kind kinds[8];
	size_t nargs;
	enum api_role role;  /* of the destination part */
	int arg;             /* its first path's argument (-1: a keyword or constant) */
	int port_arg;        /* the port part's first argument, NO_ARG: no port part */
};

#define S AK_STR
#define N AK_NUM
#define O AK_OBJ
#define F AK_FN
#define A AK_ARR
#define U AK_UNKNOWN

static const struct pick_case js_cases[] = {
	{"net.connect", {O, F}, 2, AR_TARGET, 0, NO_ARG},
	{"net.connect", {N, S}, 2, AR_HOST, 1, 0},
	{"net.connect", {N, S, F}, 3, AR_HOST, 1, 0},
	{"net.connect", {N, F}, 2, AR_HOST, -1, 0},
	{"net.connect", {S, F}, 2, AR_LOCAL, 0, NO_ARG},
	{"net.connect", {U, F}, 2, AR_TARGET, 0, NO_ARG},
	{"net.createConnection", {N, S}, 2, AR_HOST, 1, 0},
	{"net.createConnection", {S}, 1, AR_LOCAL, 0, NO_ARG},
	{"net.createConnection", {O}, 1, AR_TARGET, 0, NO_ARG},
	{"tls.connect", {O, F}, 2, AR_TARGET, 0, NO_ARG},
	{"tls.connect", {N, S, O, F}, 4, AR_HOST, 1, 0},
	{"tls.connect", {N, O}, 2, AR_TARGET, 1, 0},
	{"http.request", {S, O, F}, 3, AR_URL, 0, NO_ARG},
	{"http.request", {S, F}, 2, AR_URL, 0, NO_ARG},
	{"http.request", {O, F}, 2, AR_TARGET, 0, NO_ARG},
	{"https.get", {O}, 1, AR_TARGET, 0, NO_ARG},
	{"dgram.createSocket().send", {S, N, N, N, S, F}, 6, AR_HOST, 4, 3},
	{"dgram.createSocket().send", {U, N, N, N, S}, 5, AR_HOST, 4, 3},
	{"dgram.createSocket().send", {S, N, S}, 3, AR_HOST, 2, 1},
	{"dgram.createSocket().send", {S, N, S, F}, 4, AR_HOST, 2, 1},
	{"dgram.Socket().send", {S, N, F}, 3, AR_HOST, -1, 1},
	{"dns.lookup", {S, O, F}, 3, AR_HOST, 0, NO_ARG},
	{"dns.promises.resolveTxt", {S}, 1, AR_HOST, 0, NO_ARG},
	{"fetch", {S, O}, 2, AR_TARGET, 0, NO_ARG},
};

static const struct pick_case py_cases[] = {
	{"socket.create_connection", {A}, 1, AR_ADDRESS, 0, NO_ARG},
	{"socket.socket().sendto", {S, A}, 2, AR_ADDRESS, 1, NO_ARG},
	{"socket.socket().sendto", {S, N, A}, 3, AR_ADDRESS, 2, NO_ARG},
	{"http.client.HTTPConnection", {S, N}, 2, AR_HOST, 0, 1},
	{"http.client.HTTPConnection", {0}, 0, AR_HOST, -1, -1},
	{"smtplib.SMTP", {S, N}, 2, AR_HOST, 0, 1},
	{"asyncio.open_connection", {S, N}, 2, AR_HOST, 0, 1},
	{"urllib.request.urlopen", {S}, 1, AR_URL, 0, NO_ARG},
	{"ftplib.FTP", {S}, 1, AR_HOST, 0, NO_ARG},
};

static void check_cases(const char *language, const struct pick_case *cases, size_t n)
{
	char err[256] = "";
	const struct api_models *ms = api_models_get(language, err, sizeof err);

	if (!ms)
		fail_msg("%s models: %s", language, err);
	for (size_t i = 0; i < n; i++) {
		const struct pick_case *c = &cases[i];
		const struct api_overload *o = api_models_pick(ms, c->api, c->kinds, c->nargs);
		int port = NO_ARG;
		bool found = false;
		if (!o)
			fail_msg("%s/%zu: no overload fits", c->api, i);
		for (size_t k = 0; k < o->nparts; k++) {
			if (o->parts[k].role == AR_PORT) {
				port = o->parts[k].alts[0].arg;
			} else if (o->parts[k].role == c->role) {
				found = true;
				if (o->parts[k].alts[0].arg != c->arg)
					fail_msg("%s/%zu (line %u): destination from arg %d, want %d", c->api, i, o->line,
						 o->parts[k].alts[0].arg, c->arg);
			}
		}
		if (!found)
			fail_msg("%s/%zu (line %u): no part of role %d", c->api, i, o->line, (int)c->role);
		if (port != c->port_arg)
			fail_msg("%s/%zu (line %u): port from %d, want %d", c->api, i, o->line, port, c->port_arg);
	}
}

static void test_javascript_overloads(void **state)
{
	(void)state;
	check_cases("javascript", js_cases, sizeof js_cases / sizeof js_cases[0]);
}

static void test_python_overloads(void **state)
{
	(void)state;
	check_cases("python", py_cases, sizeof py_cases / sizeof py_cases[0]);
}

/* No overload of an arity the API does not have: the engine then reads it as unknown. */
static void test_no_fit(void **state)
{
	char err[256];
	const struct api_models *ms = api_models_get("javascript", err, sizeof err);
	enum arg_kind k[] = {F, F};

	(void)state;
	assert_non_null(ms);
	assert_null(api_models_pick(ms, "net.connect", k, 2));
	assert_false(api_models_has(ms, "net.connectx"));
}

/* A malformed line is rejected with file:line. */
static void test_bad_lines(void **state)
{
	static const char *const bad[] = {
		"x http str\n", "x http strr url=arg0\n", "x http str?,num url=arg0\n",
		"x http str colour=arg0\n", "x http str url=argx\n", "x http str url='open\n",
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct api_models *ms = api_models_parse(bad[i], "t.txt", err, sizeof err);
		assert_null(ms);
		assert_non_null(strstr(err, "t.txt:1:"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_javascript_overloads),
		cmocka_unit_test(test_python_overloads),
		cmocka_unit_test(test_no_fit),
		cmocka_unit_test(test_bad_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
