/* redirect: an nftables NAT rule that brings every other TCP port to the catch-all. */
#include "tracer/redirect.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/strbuf.h"

#ifdef MCPAUDIT_HAVE_LIBNFTABLES
#include <nftables/libnftables.h>
#endif

#ifndef MCPAUDIT_HAVE_LIBNFTABLES
static const char *const nft_paths[] = {"/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft", NULL};

static const char *find_nft(void)
{
	for (const char *const *p = nft_paths; *p; p++)
		if (access(*p, X_OK) == 0)
			return *p;
	return NULL;
}
#endif

/* The ruleset: one table, one NAT output chain, one rule per family. */
static int ruleset(struct strbuf *b, uint16_t catch_port, const uint16_t *keep, size_t nkeep)
{
	struct strbuf ports = STRBUF_INIT(0);
	int rc;

	strbuf_printf(&ports, "53, %u", catch_port);
	for (size_t i = 0; i < nkeep; i++)
		strbuf_printf(&ports, ", %u", keep[i]);
	rc = strbuf_printf(b,
			   "table inet mcpaudit_catch_all {\n"
			   "  chain output {\n"
			   "    type nat hook output priority -100; policy accept;\n"
			   "    ip daddr != 127.0.0.0/8 tcp dport != { %s } redirect to :%u\n"
			   "    ip6 daddr != ::1 tcp dport != { %s } redirect to :%u\n"
			   "  }\n"
			   "}\n",
			   strbuf_str(&ports), catch_port, strbuf_str(&ports), catch_port);
	strbuf_free(&ports);
	return rc;
}

#ifndef MCPAUDIT_HAVE_LIBNFTABLES
/* Run nft -f - with text on its standard input; its error output, if any, into err. */
static int run_nft(const char *nft, const char *text, char *err, size_t errlen)
{
	int in[2], out[2], status = 0;
	pid_t pid;
	ssize_t n;

	if (pipe2(in, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		goto fail;
	}
	pid = fork();
	if (pid == 0) {
		char *const argv[] = {(char *)nft, "-f", "-", NULL};
		char *const envp[] = {NULL};
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		execve(nft, argv, envp);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (pid < 0) {
		close(in[1]);
		close(out[0]);
		goto fail;
	}
	signal(SIGPIPE, SIG_IGN);
	if (write(in[1], text, strlen(text)) < 0)
		status = -1;
	close(in[1]);
	n = read(out[0], err, errlen ? errlen - 1 : 0);
	if (errlen)
		err[n > 0 ? n : 0] = '\0';
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (errlen && !err[0])
		snprintf(err, errlen, "nft failed");
	return -1;
fail:
	snprintf(err, errlen, "nft: %s", strerror(errno));
	return -1;
}
#endif

#ifdef MCPAUDIT_HAVE_LIBNFTABLES
/* The ruleset through libnftables, in this process (already inside the sandbox's network
 * namespace): no program to find or start. Its error text, if any, into err. */
static int load_rules(const char *text, char *err, size_t errlen)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	int rc;

	if (!ctx) {
		snprintf(err, errlen, "libnftables: no context");
		return -1;
	}
	(void)nft_ctx_buffer_output(ctx);
	(void)nft_ctx_buffer_error(ctx);
	rc = nft_run_cmd_from_buffer(ctx, text);
	if (rc != 0) {
		const char *e = nft_ctx_get_error_buffer(ctx);
		snprintf(err, errlen, "libnftables: %s", e && *e ? e : "the ruleset was refused");
	}
	nft_ctx_free(ctx);
	return rc == 0 ? 0 : -1;
}
#else
static int load_rules(const char *text, char *err, size_t errlen)
{
	const char *nft = find_nft();

	if (!nft) {
		snprintf(err, errlen, "the nft program (Debian package nftables) is not installed");
		return -1;
	}
	return run_nft(nft, text, err, errlen);
}
#endif

int redirect_other_ports(uint16_t catch_port, const uint16_t *keep, size_t nkeep, char *err, size_t errlen)
{
	struct strbuf b = STRBUF_INIT(0);
	int rc = -1;

	if (!catch_port) {
		snprintf(err, errlen, "no catch-all listener");
		return -1;
	}
	if (ruleset(&b, catch_port, keep, nkeep) == 0)
		rc = load_rules(strbuf_str(&b), err, errlen);
	strbuf_free(&b);
	return rc;
}
