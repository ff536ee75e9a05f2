/* fuzz_driver: the MCP driver's JSON-RPC reader against a scripted fake server, over stdio
 * (newline-delimited JSON, tracer/driver.c) or, built with FUZZ_HTTP, over streamable HTTP
 * (tracer/driver_http.c: status line, headers, chunked and Content-Length bodies, SSE).
 *
 * The input is split at FUZZ_SEPARATOR into the server's answers: each request the driver
 * sends (a message with "method" and "id": initialize, tools/list, ..., tools/call) gets the
 * next part, written as it is: over stdio, bytes on the server's stdout; over HTTP, the whole
 * response to that POST (status line and headers included), after which the connection is
 * closed. Other POSTs (notifications, answers to the server's own requests) get 202, a
 * DELETE 200. When the parts run out the server goes away (stdout closed; the listener
 * closed), so the session ends at once. The driver's ids count from 1, so a seed answers
 * "id":1 with an initialize result, "id":2 with tools/list, and so on. Timeouts are a few
 * tens of milliseconds, so a part that answers nothing costs little. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tracer/driver.h"
#include "tests/fuzz/fuzz_util.h"

#define MAX_PARTS 64
#define REQUEST_MAX (256 << 10)

struct script {
	struct fuzz_part parts[MAX_PARTS];
	size_t nparts, next;
	int in_fd;   /* what the driver sends (stdio: its stdin; HTTP: the listening socket) */
	int out_fd;  /* stdio: the server's stdout */
	int stop[2]; /* HTTP: the driver is done, the server stops waiting for connections */
};

/* Whether a message from the driver is a request that waits for an answer. */
static bool is_request(const char *msg)
{
	return strstr(msg, "\"method\"") && strstr(msg, "\"id\"");
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == ENOTSOCK)
			w = write(fd, p, n);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* FUZZ_VERBOSE=1: what the session did, to check that a seed gets as far as it should. */
static void describe(const struct driver_result *res)
{
	if (!res || !getenv("FUZZ_VERBOSE"))
		return;
	for (size_t i = 0; i < res->calls.len; i++)
		fprintf(stderr, "call %s %s: %s\n", res->calls.items[i].method,
			res->calls.items[i].target ? res->calls.items[i].target : "",
			driver_outcome_name(res->calls.items[i].outcome));
	for (size_t i = 0; i < res->problems.len; i++)
		fprintf(stderr, "problem %s: %s\n", driver_problem_name(res->problems.items[i].kind),
			res->problems.items[i].detail);
}

static void driver_config(struct driver_config *cfg)
{
	driver_config_init(cfg);
	cfg->server_dir = fuzz_dir();
	cfg->deadline_ms = driver_clock_ms() + 2000;
	cfg->init_timeout_ms = 30;
	cfg->call_timeout_ms = 30;
	cfg->quiet_ms = 0;
	cfg->shutdown_ms = 0;
	cfg->max_timeouts = 2;
	cfg->max_line = 64 << 10;
	cfg->max_text = 64 << 10;
	cfg->max_items = 8;
	cfg->max_pages = 4;
}

#ifndef FUZZ_HTTP

/* The server: a part on stdout per request line on stdin; stdout closed when they run out. */
static void *serve(void *arg)
{
	struct script *sc = arg;
	FILE *in = fdopen(sc->in_fd, "r");
	char *line = NULL;
	size_t cap = 0;

	while (in && getline(&line, &cap, in) > 0) {
		if (!is_request(line) || sc->out_fd < 0)
			continue;
		if (sc->next == sc->nparts ||
		    !write_all(sc->out_fd, sc->parts[sc->next].p, sc->parts[sc->next].n)) {
			close(sc->out_fd);
			sc->out_fd = -1;
			continue;
		}
		if (++sc->next == sc->nparts) {
			close(sc->out_fd);
			sc->out_fd = -1;
		}
	}
	free(line);
	if (in)
		fclose(in);
	if (sc->out_fd >= 0)
		close(sc->out_fd);
	return NULL;
}

static void run(struct script *sc)
{
	struct driver_config cfg;
	struct driver_result *res = NULL;
	int to_server[2], from_server[2];
	pthread_t t;
	char err[256];

	if (pipe(to_server) != 0 || pipe(from_server) != 0)
		abort();
	sc->in_fd = to_server[0];
	sc->out_fd = from_server[1];
	if (pthread_create(&t, NULL, serve, sc) != 0)
		abort();
	driver_config(&cfg);
	driver_run(&cfg, to_server[1], from_server[0], &res, err, sizeof err);
	pthread_join(t, NULL);
	close(from_server[0]);
	describe(res);
	driver_result_free(res);
}

#else

/* Read one HTTP request (headers, then a Content-Length body) into buf; false at EOF. */
static bool read_request(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	char *end = NULL;

	while (len + 1 < cap) {
		ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
		if (n <= 0)
			return false;
		len += (size_t)n;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n")))
			end += 4;
		if (end) {
			const char *cl = strcasestr(buf, "\r\ncontent-length:");
			size_t want = cl ? strtoul(cl + 17, NULL, 10) : 0;
			if (len - (size_t)(end - buf) >= want)
				return true;
		}
	}
	return true;
}

static void answer(struct script *sc, int conn, const char *req)
{
	static const char accepted[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

	if (strncmp(req, "DELETE ", 7) == 0)
		write_all(conn, (const uint8_t *)ok, sizeof ok - 1);
	else if (!is_request(req))
		write_all(conn, (const uint8_t *)accepted, sizeof accepted - 1);
	else if (sc->next < sc->nparts) {
		write_all(conn, sc->parts[sc->next].p, sc->parts[sc->next].n);
		sc->next++;
	}
}

/* The server: one exchange per connection; the listener closed when the parts run out. */
static void *serve(void *arg)
{
	struct script *sc = arg;
	char *req = malloc(REQUEST_MAX);

	while (req) {
		struct pollfd p[2] = {{sc->stop[0], POLLIN, 0}, {sc->in_fd, POLLIN, 0}};
		if (poll(p, sc->in_fd >= 0 ? 2 : 1, -1) <= 0 || p[0].revents)
			break;
		int conn = accept(sc->in_fd, NULL, NULL);
		if (conn < 0)
			continue;
		if (read_request(conn, req, REQUEST_MAX))
			answer(sc, conn, req);
		shutdown(conn, SHUT_WR);
		close(conn);
		if (sc->next == sc->nparts && is_request(req)) {
			close(sc->in_fd);
			sc->in_fd = -1;
		}
	}
	if (sc->in_fd >= 0)
		close(sc->in_fd);
	free(req);
	return NULL;
}

static void run(struct script *sc)
{
	struct driver_config cfg;
	struct driver_result *res = NULL;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t sl = sizeof sa;
	pthread_t t;
	char err[256];
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		abort();
	sc->in_fd = fd;
	if (pipe(sc->stop) != 0 || pthread_create(&t, NULL, serve, sc) != 0)
		abort();
	driver_config(&cfg);
	driver_run_http(&cfg, "127.0.0.1", ntohs(sa.sin_port), NULL, &res, err, sizeof err);
	if (write(sc->stop[1], "", 1) != 1)
		abort();
	pthread_join(t, NULL);
	close(sc->stop[0]);
	close(sc->stop[1]);
	describe(res);
	driver_result_free(res);
}

#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script sc = {0};

	sc.nparts = fuzz_split(data, size, sc.parts, MAX_PARTS);
	run(&sc);
	return 0;
}
