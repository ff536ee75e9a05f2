/* From resolved call sites to endpoints and findings: what the destination is, how it
 * was learnt (literal, env default, user-directed, obfuscated, partial, IP), and the
 * intrinsic rules (subprocess, sockets, DNS, dynamic code, credentials). */
#include "analyzer/emit.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/catalog.h"
#include "analyzer/eval.h"
#include "core/own_service.h"
#include "core/policy.h"
#include "core/strbuf.h"
#include "core/url.h"

#define TEXT_MAX 2048

/* A port number from text, 0 when it is none (atoi would take "443abc" and overflow). */
static int port_of(const char *s)
{
	char *end;
	unsigned long v;

	if (!s)
		return 0;
	v = strtoul(s, &end, 10);
	return end != s && v > 0 && v < 65536 ? (int)v : 0;
}

struct destination {
	char host[URL_HOST_MAX];
	char suffix[URL_HOST_MAX];   /* known end of a partly known host */
	char scheme[16];
	char path[256];
	int port;
	bool known;                  /* host or suffix known */
};

/* Network tools that a child process may run, and what they talk (data, kept here). */
static const char *const network_tools[] = {
	"curl", "wget", "nc", "ncat", "netcat", "ssh", "scp", "sftp", "rsync", "ftp", "tftp", "telnet",
	"socat", "Invoke-WebRequest", "Invoke-RestMethod", "iwr", "irm", "aria2c", "lynx", "httpie", "http",
	"nslookup", "dig", "host", NULL};

static const char *const default_scheme[] = {
	/* category, scheme when the destination has none */
	"socket", "tcp", "udp", "udp", "dns", "dns", "mail", "smtp", "database", "tcp", NULL, NULL};

static const char *scheme_for(const char *category)
{
	for (size_t i = 0; default_scheme[i]; i += 2)
		if (strcmp(default_scheme[i], category) == 0)
			return default_scheme[i + 1];
	return NULL;
}

/* Host characters; anything else ends the host. */
static bool host_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
}

/* The URL parser of the file's runtime: Python's urllib.parse or the WHATWG URL Standard. */
static enum url_dialect dialect_of(const struct file_result *fr)
{
	return fr->grammar == GRAMMAR_PYTHON ? URL_PYTHON : URL_WHATWG;
}

/* A whole URL as the runtime reads it ("https:\\h", "http:h", "https://%65h", tabs inside),
 * when its host holds no unknown part. */
static bool parse_whole_url(const char *p, enum url_dialect dialect, struct destination *d)
{
	struct url_parts u;

	if (!url_parse_as(p, dialect, &u) || strchr(u.host, VALUE_HOLE_MARK))
		return false;
	snprintf(d->scheme, sizeof d->scheme, "%s", u.scheme);
	snprintf(d->host, sizeof d->host, "%s", u.host);
	d->port = u.port;
	snprintf(d->path, sizeof d->path, "%s", p + u.path_offset);
	d->known = true;
	return true;
}

/* Parse rendered text (holes marked) into a destination. */
static void parse_text(const char *text, const char *category, const char *role, enum url_dialect dialect,
		       struct destination *d)
{
	struct url_parts u;
	const char *p = text, *hole;
	char hostpart[URL_HOST_MAX];
	size_t n = 0;

	memset(d, 0, sizeof *d);
	while (*p == ' ')
		p++;
	if (strcmp(role, "host") != 0 && parse_whole_url(p, dialect, d))
		return;
	memset(d, 0, sizeof *d);
	if (strstr(p, "://") || strncmp(p, "//", 2) == 0) {
		const char *h = strncmp(p, "//", 2) == 0 ? p + 2 : strstr(p, "://") + 3;
		size_t sl = (size_t)(strstr(p, "://") ? strstr(p, "://") - p : 0);
		if (memchr(p, VALUE_HOLE_MARK, sl))
			snprintf(d->scheme, sizeof d->scheme, "%s", "");
		else
			snprintf(d->scheme, sizeof d->scheme, "%.*s", (int)(sl < 15 ? sl : 15), p);
		for (char *c = d->scheme; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (strchr(h, '@') && (!strchr(h, '/') || strchr(h, '@') < strchr(h, '/')))
			h = strchr(h, '@') + 1;
		while (h[n] && (host_char(h[n]) || h[n] == VALUE_HOLE_MARK) && n + 1 < sizeof hostpart) {
			hostpart[n] = h[n];
			n++;
		}
		hostpart[n] = '\0';
		if (!memchr(hostpart, VALUE_HOLE_MARK, n) && url_parse_as(p, dialect, &u)) {
			snprintf(d->host, sizeof d->host, "%s", u.host);
			d->port = u.port;
			snprintf(d->path, sizeof d->path, "%s", p + u.path_offset);
			d->known = d->host[0] != '\0';
			return;
		}
		p = h;
	} else if (!strcmp(role, "url") && (p[0] == '/' || p[0] == '.' || !strchr(p, '.'))) {
		return;  /* a relative URL with no base: not a destination we can name */
	} else {
		while (p[n] && (host_char(p[n]) || p[n] == VALUE_HOLE_MARK) && n + 1 < sizeof hostpart) {
			hostpart[n] = p[n];
			n++;
		}
		hostpart[n] = '\0';
	}
	/* host[:port] with possible holes */
	char *colon = strrchr(hostpart, ':');
	if (colon && !strchr(hostpart, ']') && strchr(hostpart, ':') == colon) {
		d->port = port_of(colon + 1);
		*colon = '\0';
	} else if (hostpart[0] == '[' && strchr(hostpart, ']')) {
		char *e = strchr(hostpart, ']');
		if (e[1] == ':')
			d->port = port_of(e + 2);
		*e = '\0';
		memmove(hostpart, hostpart + 1, strlen(hostpart));
	}
	if (!d->scheme[0] && scheme_for(category))
		snprintf(d->scheme, sizeof d->scheme, "%s", scheme_for(category));
	hole = strrchr(hostpart, VALUE_HOLE_MARK);
	if (!hole) {
		if (host_is_ip(hostpart) || host_is_name(hostpart)) {
			snprintf(d->host, sizeof d->host, "%s", hostpart);
			d->known = true;
		}
		return;
	}
	/* ${x}.t.example.net: the known suffix still names the site */
	if (hole[1] == '.' && host_is_name(hole + 2) && strchr(hole + 2, '.')) {
		snprintf(d->suffix, sizeof d->suffix, "%s", hole + 1);
		d->known = true;
	}
}

/* Destination from an options object {hostname|host, port, path, protocol} or {url}. */
static void parse_options(struct arena *a, const struct value *o, const char *category, enum url_dialect dialect,
			  struct destination *d)
{
	static const char *const url_keys[] = {"url", "uri", "baseURL", "baseUrl", "href", "connectionString",
					       "origin", "endpoint", NULL};
	static const char *const host_keys[] = {"hostname", "host", "address", "server", NULL};
	char text[TEXT_MAX];

	memset(d, 0, sizeof *d);
	for (size_t i = 0; url_keys[i]; i++) {
		const struct value *v = value_get_prop(o, url_keys[i]);
		if (v && value_is_stringish(v)) {
			value_render(v, text, sizeof text);
			parse_text(text, category, "url", dialect, d);
			return;
		}
	}
	for (size_t i = 0; host_keys[i]; i++) {
		const struct value *v = value_get_prop(o, host_keys[i]);
		if (v && value_is_stringish(v)) {
			value_render(v, text, sizeof text);
			parse_text(text, category, "host", dialect, d);
			break;
		}
	}
	const struct value *port = value_get_prop(o, "port");
	const char *pc = port ? value_constant(a, port) : NULL;
	if (pc)
		d->port = port_of(pc);
	const struct value *proto = value_get_prop(o, "protocol");
	const char *pr = proto ? value_constant(a, proto) : NULL;
	if (pr) {
		snprintf(d->scheme, sizeof d->scheme, "%.*s", (int)strcspn(pr, ":"), pr);
	}
}

static void destination_of(struct arena *a, const struct call_site *s, const struct value *v,
			   enum url_dialect dialect, struct destination *d)
{
	char text[TEXT_MAX];

	if (v->kind == VAL_OBJECT) {
		parse_options(a, v, s->category, dialect, d);
	} else if (v->kind == VAL_ARRAY && !strcmp(s->role, "address") && v->nitems) {
		/* python (host, port) */
		value_render(v->items[0], text, sizeof text);
		parse_text(text, s->category, "host", dialect, d);
		if (v->nitems > 1 && value_constant(a, v->items[1]))
			d->port = port_of(value_constant(a, v->items[1]));
	} else if (value_is_stringish(v)) {
		value_render(v, text, sizeof text);
		parse_text(text, s->category, s->role, dialect, d);
	} else {
		memset(d, 0, sizeof *d);
	}
	if (s->port && value_constant(a, s->port) && !d->port)
		d->port = port_of(value_constant(a, s->port));
	/* net.connect(port, host): the first argument is the port */
	if (!strcmp(s->role, "any") && (!strcmp(s->category, "socket") || !strcmp(s->category, "udp")) &&
	    value_constant(a, v) && strspn(value_constant(a, v), "0123456789") == strlen(value_constant(a, v))) {
		d->port = port_of(value_constant(a, v));
		snprintf(d->host, sizeof d->host, "localhost");
		d->known = true;
	}
}

static enum endpoint_kind kind_of(const struct value *v, const struct destination *d, bool dyncode)
{
	if (!d->known && (v->flags & VF_USER))
		return EK_USER_DIRECTED;
	if ((v->flags & VF_DECODED) || dyncode)
		return EK_OBFUSCATED;
	if (v->flags & VF_ENV)
		return EK_ENV_DEFAULT;
	if (v->flags & VF_SDK_DEFAULT)
		return EK_SDK_DEFAULT;
	if (d->host[0] && host_is_ip(d->host))
		return EK_IP;
	if (!d->host[0])
		return EK_PARTIAL;
	return EK_LITERAL;
}

static void fill_evidence(struct evidence *ev, const struct file_result *fr, const struct call_site *s,
			  const struct value *v)
{
	memset(ev, 0, sizeof *ev);
	ev->stage = "static";
	ev->file = (char *)fr->rel;
	ev->line = s->line;
	ev->column = s->column;
	ev->api = (char *)s->api;
	ev->expression = (char *)s->expression;
	ev->phase = (char *)s->context;
	ev->package = (char *)fr->package;
	ev->env_var = (char *)(v ? v->env_var : NULL);
	ev->decoded_by = (char *)(v && v->decoded_by ? v->decoded_by : s->in_dyncode ? "dynamic-code" : NULL);
}

static struct finding *add_finding(struct report *r, const char *rule, const struct file_result *fr,
				   const struct call_site *s, const char *host, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static struct finding *add_finding(struct report *r, const char *rule, const struct file_result *fr,
				   const struct call_site *s, const char *host, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT(2048);
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&msg, fmt, ap);
	va_end(ap);
	f = report_add_finding(r, rule, host, fr->rel, s->line, "%s", strbuf_str(&msg));
	strbuf_free(&msg);
	if (!f)
		return NULL;
	f->column = s->column;
	f->snippet = xstrdup(s->snippet);
	f->phase = xstrdup(s->context);
	f->package = xstrdup(fr->package);
	f->fingerprint = policy_fingerprint(rule, fr->rel, s->snippet);
	return f;
}

static const char *display_host(const struct destination *d, char *buf, size_t n)
{
	if (d->host[0])
		return d->host;
	snprintf(buf, n, "*%s", d->suffix);
	return buf;
}

static void add_chain(struct finding *f, const struct value *v)
{
	for (size_t i = 0; f && v && i < v->nchain; i++)
		finding_add_chain(f, "%s", v->chain[i]);
}

static const char *taint_source(unsigned t)
{
	if (t & VF_CREDFILE)
		return "a credential file";
	if (t & VF_ENVDUMP)
		return "the whole environment";
	if (t & VF_SECRET)
		return "a secret environment variable";
	return "the host's identity";
}

/* A value's taint; the environment object itself (json=dict(os.environ), os.environ.copy())
 * is the whole environment. */
static unsigned taint_of(const struct value *v)
{
	if (!v)
		return 0;
	return v->flags | (v->kind == VAL_ENVOBJ ? VF_ENVDUMP : 0);
}

/* The one secret variable whose value reaches the call, or NULL (none known, or several). */
static const char *secret_variable(const struct value *dest, const struct call_site *s)
{
	const struct value *parts[] = {dest, s->others, s->args};
	const char *one = NULL;

	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		const char *v = parts[i] ? parts[i]->secret_env : NULL;
		if (!v)
			continue;
		if (!*v || (one && strcmp(one, v) != 0))
			return NULL;
		one = v;
	}
	return one;
}

/* credential-flow when a secret reaches the call (URL, headers or body). */
static void check_flow(struct report *r, const struct file_result *fr, const struct call_site *s,
		       const struct value *dest, const char *host)
{
	unsigned t = (taint_of(dest) | taint_of(s->others) | taint_of(s->args)) & VF_TAINT;
	struct finding *f;

	if (!t)
		return;
	/* an API client sends its own key to a URL we could not resolve: no verdict
	 * possible; files, the whole environment and host identity are never normal */
	if (t == VF_SECRET && !host)
		return;
	f = add_finding(r, "credential-flow", fr, s, host, "%s flows into a request to %s", taint_source(t),
			host ? host : "an unresolved destination");
	if (!f)
		return;
	f->named_secret_only = t == VF_SECRET;
	/* at a documented host that is normal, unless the secret is known to be another
	 * service's (GITHUB_TOKEN to a documented discord.com) or which one it is is unknown */
	f->own_service = f->named_secret_only && host && secret_variable(dest, s) &&
			 !own_service_env_other(secret_variable(dest, s), host);
	add_chain(f, dest);
	add_chain(f, s->others);
	add_chain(f, s->args);
	finding_add_chain(f, "%s:%u: %s", fr->rel, s->line, s->snippet);
}

static bool emit_destination(struct report *r, const struct file_result *fr, const struct call_site *s,
			     const struct value *v)
{
	struct destination d;
	struct evidence ev;
	struct endpoint *ep;
	enum endpoint_kind kind;
	char buf[URL_HOST_MAX + 2];
	const char *host;

	destination_of(fr->arena, s, v, dialect_of(fr), &d);
	if (d.host[0] && host_is_local(d.host))
		return false;  /* loopback is not egress */
	kind = kind_of(v, &d, s->in_dyncode);
	ep = report_endpoint(r, d.host[0] ? d.host : NULL, d.suffix[0] ? d.suffix : NULL, d.port,
			     d.scheme[0] ? d.scheme : scheme_for(s->category), kind);
	if (!ep)
		return false;
	if (!ep->path && d.path[0])
		ep->path = xstrdup(d.path);
	if (kind == EK_SDK_DEFAULT && s->services && !ep->services)
		ep->services = xstrdup(s->services);
	fill_evidence(&ev, fr, s, v);
	ev.path = d.path[0] ? d.path : NULL;
	endpoint_add_evidence(ep, &ev);
	host = d.known ? display_host(&d, buf, sizeof buf) : NULL;
	if (kind == EK_USER_DIRECTED)
		add_finding(r, "user-directed-egress", fr, s, NULL,
			    "%s destination comes from a tool argument (%s)", s->api, s->expression);
	if (kind == EK_OBFUSCATED && d.known)
		add_finding(r, "obfuscated-destination", fr, s, host, "%s is hidden (%s)", host,
			    ev.decoded_by ? ev.decoded_by : "decoded");
	if ((v->flags & VF_ENV) && v->env_var)
		add_finding(r, "env-configurable-egress", fr, s, host, "destination comes from %s%s%s (default: %s)",
			    v->flags & VF_LAUNCH ? "" : "$", v->env_var,
			    v->flags & VF_LAUNCH ? ", set at launch" : "", host ? host : "none");
	if (d.host[0] && host_is_ip(d.host) && strcmp(s->category, "socket") && strcmp(s->category, "udp"))
		add_finding(r, "raw-socket-egress", fr, s, host, "%s connects to the literal address %s", s->api, host);
	if (!strcmp(s->category, "socket") || !strcmp(s->category, "udp"))
		add_finding(r, "raw-socket-egress", fr, s, host, "%s opens a raw socket to %s", s->api,
			    host ? host : s->expression);
	/* a name the tool's caller chose, looked up (an SSRF guard resolving the user's own host,
	 * a ping tool): user-directed, reported above as info; data it can carry is the caller's */
	if (!strcmp(s->category, "dns") && !(kind == EK_USER_DIRECTED && !(v->flags & VF_TAINT))) {
		struct finding *f = add_finding(r, "dns-egress", fr, s, host, "%s looks up %s", s->api,
						host ? host : s->expression);
		char text[TEXT_MAX];
		value_render(v, text, sizeof text);
		/* data the server holds (a secret, a credential file) in the name: it can leave */
		if (f && ((v->flags & VF_TAINT) || (strchr(text, VALUE_HOLE_MARK) && !(v->flags & VF_USER)))) {
			f->severity = SEV_HIGH;
			free(f->message);
			f->message = xasprintf("%s looks up a name computed from data (%s): it can carry data out",
					       s->api, host ? host : s->expression);
		}
	}
	check_flow(r, fr, s, v, host);
	return (v->flags & VF_LIMIT) && !d.known && kind != EK_USER_DIRECTED;
}

/* Split an ALT into its alternatives (at most cap: the rest are dropped, which
 * emit_site_bounds reports). */
static size_t alternatives(const struct value *v, const struct value **out, size_t cap)
{
	size_t n = 0;

	if (v->kind != VAL_ALT) {
		out[0] = v;
		return 1;
	}
	for (size_t i = 0; i < v->nitems && n < cap; i++) {
		if (v->items[i]->kind == VAL_ALT) {
			n += alternatives(v->items[i], out + n, cap - n);
			continue;
		}
		out[n++] = v->items[i];
	}
	return n;
}

/* A (host, port) pair whose host has alternatives (raw(host) called with two hosts) is one
 * destination per host, each with the pair's port: the pair is copied on the stack with its
 * first item replaced, the values themselves are only read. */
static bool emit_address(struct report *r, const struct file_result *fr, const struct call_site *s,
			 const struct value *v)
{
	const struct value *hosts[EMIT_MAX_ALTS];
	struct value *items[2];
	struct value pair;
	bool limited = false;
	size_t n;

	if (v->kind != VAL_ARRAY || strcmp(s->role, "address") || v->nitems == 0 || v->items[0]->kind != VAL_ALT)
		return emit_destination(r, fr, s, v);
	n = alternatives(v->items[0], hosts, EMIT_MAX_ALTS);
	for (size_t i = 0; i < n; i++) {
		pair = *v;
		items[0] = (struct value *)hosts[i];
		items[1] = v->nitems > 1 ? v->items[1] : NULL;
		pair.items = items;
		pair.nitems = v->nitems > 1 ? 2 : 1;
		limited |= emit_destination(r, fr, s, &pair);
	}
	return limited;
}

/* ---- child processes ---- */

static bool word_at(const char *text, const char *p, const char *word)
{
	size_t n = strlen(word);
	bool before = p == text || strchr(" \t;|&(`'\"/\\", p[-1]);
	bool after = !p[n] || strchr(" \t;|&)`'\".", p[n]);

	return before && after && strncmp(p, word, n) == 0 && (p[n] != '.' || strncmp(p + n, ".exe", 4) == 0);
}

static const char *network_tool_in(const char *cmd)
{
	for (size_t i = 0; network_tools[i]; i++)
		for (const char *p = strstr(cmd, network_tools[i]); p; p = strstr(p + 1, network_tools[i]))
			if (word_at(cmd, p, network_tools[i]))
				return network_tools[i];
	/* interpreters running network code inline */
	if ((strstr(cmd, "python") && strstr(cmd, "-c") &&
	     (strstr(cmd, "urllib") || strstr(cmd, "requests") || strstr(cmd, "socket") || strstr(cmd, "http"))) ||
	    (strstr(cmd, "node") && strstr(cmd, "-e") && (strstr(cmd, "fetch") || strstr(cmd, "http"))))
		return "interpreter";
	return NULL;
}

/* The text of a command: a string, or an argument vector joined with spaces. */
static void command_text(const struct call_site *s, char *out, size_t cap)
{
	size_t n;

	if (s->dest->kind == VAL_ARRAY) {
		n = 0;
		out[0] = '\0';
		for (size_t i = 0; i < s->dest->nitems && n + 2 < cap; i++) {
			if (i)
				out[n++] = ' ';
			n += value_render(s->dest->items[i], out + n, cap - n);
		}
	} else {
		n = value_render(s->dest, out, cap);
	}
	if (s->args && s->args->kind == VAL_ARRAY) {
		for (size_t i = 0; i < s->args->nitems && n + 2 < cap; i++) {
			out[n++] = ' ';
			n += value_render(s->args->items[i], out + n, cap - n);
		}
	}
}

/* Every URL in the command line cmd of s is a destination (with sub's category and role);
 * the first one's host goes to hostbuf. Returns hostbuf, or NULL when there was none. */
static const char *emit_command_urls(struct report *r, const struct file_result *fr, const struct call_site *s,
				     const struct call_site *sub, const char *cmd, char *hostbuf, size_t hostcap)
{
	const char *first = NULL;

	for (const char *p = strstr(cmd, "://"); p; p = strstr(p + 3, "://")) {
		const char *start = p;
		struct destination d;
		char url[1024];
		size_t n = 0;
		while (start > cmd && isalpha((unsigned char)start[-1]))
			start--;
		while (start[n] && !strchr(" \t'\"|;&)`", start[n]) && n + 1 < sizeof url) {
			url[n] = start[n];
			n++;
		}
		url[n] = '\0';
		struct value *v = value_text(fr->arena, url, n);
		value_absorb(fr->arena, v, s->dest);
		if (s->args)
			value_absorb(fr->arena, v, s->args);
		v->flags &= ~(unsigned)VF_USER;
		parse_text(url, "http", "url", URL_WHATWG, &d);  /* curl and wget: near enough */
		if (d.host[0] && !first) {
			snprintf(hostbuf, hostcap, "%s", d.host);
			first = hostbuf;
		}
		emit_destination(r, fr, sub, v);
	}
	return first;
}

/* Whether the tool's caller wrote part of the command line: the command, the argument
 * list, or one of its items (an array keeps its items' flags, not their union). */
static bool command_user(const struct call_site *s)
{
	if ((s->dest->flags & VF_USER) || (s->args && (s->args->flags & VF_USER)))
		return true;
	for (size_t i = 0; s->args && s->args->kind == VAL_ARRAY && i < s->args->nitems; i++)
		if (s->args->items[i]->flags & VF_USER)
			return true;
	return false;
}

/* The destination of a command line whose host is the user's part of it: everything the
 * command carries, marked as the tool's caller's. */
static struct value *command_user_value(const struct file_result *fr, const struct call_site *s)
{
	struct value *v = value_new(fr->arena, VAL_UNKNOWN);

	value_absorb(fr->arena, v, s->dest);
	if (s->args)
		value_absorb(fr->arena, v, s->args);
	v->flags |= VF_USER;
	return v;
}

/* A package manager or version control tool (analyzer/data/catalog_commands.tsv): the URLs
 * its command line names; else, for a tool with a registry, that registry as an sdk-default
 * endpoint checked against the docs like any other (no subprocess finding of its own: the
 * registry is often documented); else (git) the user's part of the command, if any. */
static void emit_catalogued_command(struct report *r, const struct file_result *fr, const struct call_site *s,
				    const char *cmd)
{
	const struct catalog_entry *lib = catalog_find_command(cmd);
	struct call_site sub = *s;
	char hostbuf[URL_HOST_MAX];
	struct value *v;

	if (!lib)
		return;
	sub.category = lib->category;
	sub.role = "url";
	if (emit_command_urls(r, fr, s, &sub, cmd, hostbuf, sizeof hostbuf))
		return;
	if (lib->default_url) {
		v = catalog_default_value(fr->arena, lib);
		sub.expression = catalog_describe(fr->arena, lib);
		sub.services = lib->services;
	} else if (command_user(s)) {
		v = command_user_value(fr, s);
	} else {
		return;
	}
	emit_destination(r, fr, &sub, v);
}

/* A child process inherits the whole environment whether or not its options hand it on
 * (exec(cmd, {env: {...process.env, LANG: 'C'}})): the environment as the options' env is no
 * flow of its own; what the command line or another option carries is. v unchanged unless
 * it is an options object whose env alone holds the whole environment. */
static struct value *without_inherited_env(struct arena *a, struct value *v)
{
	const struct value *env;
	struct value *c;

	if (!v || v->kind != VAL_OBJECT || !(v->flags & VF_ENVDUMP) || !(env = value_get_prop(v, "env")) ||
	    !(taint_of(env) & VF_ENVDUMP))
		return v;
	for (size_t i = 0; i < v->nprops; i++)
		if (strcmp(v->props[i].key, "env") && (taint_of(v->props[i].value) & VF_ENVDUMP))
			return v;
	if (!(c = value_copy(a, v)))
		return v;
	c->flags &= ~(unsigned)VF_ENVDUMP;
	for (size_t i = 0; i < c->nprops; i++)
		if (!strcmp(c->props[i].key, "env"))
			c->props[i].value = value_new(a, VAL_UNKNOWN);
	return c;
}

static void emit_subprocess(struct report *r, const struct file_result *fr, const struct call_site *s)
{
	char cmd[TEXT_MAX], hostbuf[URL_HOST_MAX];
	const char *tool = NULL, *first = NULL;
	struct call_site sub = *s;

	/* the other arguments keep flags only: the options' env, once known to be all of the
	 * environment they carry, is all of theirs too */
	if ((sub.args = without_inherited_env(fr->arena, s->args)) != s->args && s->others &&
	    (sub.others = value_copy(fr->arena, s->others)))
		sub.others->flags &= ~(unsigned)VF_ENVDUMP;
	s = &sub;

	command_text(s, cmd, sizeof cmd);
	tool = network_tool_in(cmd);
	if (!tool) {
		emit_catalogued_command(r, fr, s, cmd);
		return;
	}
	sub.category = "http";
	sub.role = "url";
	first = emit_command_urls(r, fr, s, &sub, cmd, hostbuf, sizeof hostbuf);
	if (!first) {
		/* nc host port / ssh user@host: the first word that looks like a host */
		char copy[TEXT_MAX], *save = NULL;
		snprintf(copy, sizeof copy, "%s", cmd);
		for (char *w = strtok_r(copy, " \t'\"", &save); w; w = strtok_r(NULL, " \t'\"", &save)) {
			const char *at = strchr(w, '@');
			const char *h = at ? at + 1 : w;
			char hb[URL_HOST_MAX];
			snprintf(hb, sizeof hb, "%.*s", (int)strcspn(h, ":/"), h);
			if ((host_is_ip(hb) || (host_is_name(hb) && strchr(hb, '.'))) && !host_is_local(hb)) {
				struct value *v = value_text(fr->arena, hb, strlen(hb));
				sub.category = "socket";
				sub.role = "host";
				snprintf(hostbuf, sizeof hostbuf, "%s", hb);
				first = hostbuf;
				emit_destination(r, fr, &sub, v);
				break;
			}
		}
	}
	if (!first && command_user(s)) {
		/* curl + the caller's text and no host of its own: the caller names the host
		 * (user-directed, info), unless the command also carries data the server holds */
		struct value *v = command_user_value(fr, s);
		struct finding *f;
		sub.category = "http";
		sub.role = "url";
		emit_destination(r, fr, &sub, v);
		f = add_finding(r, "subprocess-egress", fr, s, NULL, "child process runs %s to a host the tool's caller names",
				tool);
		if (f && !(v->flags & VF_TAINT))
			f->severity = SEV_INFO;
		return;
	}
	add_finding(r, "subprocess-egress", fr, s, first, "child process runs %s%s%s", tool,
		    first ? " to " : "", first ? first : "");
}

/* ---- dynamic code and credential reads ---- */

/* Whether every form of a module name ends in ".json": a computed path to a data file. */
static bool names_json(const struct value *v)
{
	const struct value *alts[8];
	size_t n = alternatives(v, alts, 8);

	for (size_t i = 0; i < n; i++) {
		char text[TEXT_MAX];
		size_t len;
		value_render(alts[i], text, sizeof text);
		len = strlen(text);
		if (len < 5 || strcmp(text + len - 5, ".json") != 0)
			return false;
	}
	return n > 0;
}

static void emit_dynamic(struct report *r, const struct file_result *fr, const struct call_site *s)
{
	struct finding *f;
	const char *c = value_constant(fr->arena, s->dest);

	/* new Function("return this") and the like: the code is in the source, and was
	 * analysed as code; only code built or decoded at run time hides anything */
	if (!strcmp(s->category, "dyncode") && c && !(s->dest->flags & VF_DECODED))
		return;
	if (!strcmp(s->category, "dynimport")) {
		if (c && !(s->dest->flags & VF_DECODED))
			return;  /* import('literal') / require('literal') are ordinary imports */
		if (!c && !strcmp(s->api, "import") && s->dest->kind == VAL_UNKNOWN)
			return;
		if (!(s->dest->flags & VF_DECODED) && names_json(s->dest))
			return;  /* require(path.join(dir, 'package.json')): data, not code */
	}
	f = add_finding(r, "dynamic-code-execution", fr, s, NULL, "%s %s %s", s->api,
			!strcmp(s->category, "dynimport") ? "of a module whose name is" : "runs code that is",
			(s->dest->flags & VF_DECODED) ? "decoded at run time" :
				c ? "a string literal" : "built at run time");
	if (f && (s->dest->flags & VF_DECODED))
		f->severity = SEV_HIGH;
}

static void emit_credential_read(struct report *r, const struct file_result *fr, const struct call_site *s)
{
	char path[1024];

	if (!strcmp(s->category, "envdump")) {
		if (s->dest->kind == VAL_ENVOBJ)
			add_finding(r, "credential-access", fr, s, NULL, "%s serialises the whole environment (%s)",
				    s->api, s->expression);
		return;
	}
	value_render(s->dest, path, sizeof path);
	for (char *p = path; *p; p++)
		if (*p == VALUE_HOLE_MARK)
			*p = '*';
	if (eval_is_credential_path(path))
		add_finding(r, "credential-access", fr, s, NULL, "%s reads the credential path %s", s->api, path);
}

bool emit_call_site(struct report *r, const struct file_result *fr, const struct call_site *s)
{
	const struct value *alts[EMIT_MAX_ALTS];
	bool limited = false;
	size_t n;

	if (!strcmp(s->category, "subprocess")) {
		/* a helper run(cmd) called with several command lines runs each of them */
		n = alternatives(s->dest, alts, 8);
		for (size_t i = 0; i < n; i++) {
			struct call_site one = *s;
			one.dest = (struct value *)alts[i];
			emit_subprocess(r, fr, &one);
		}
		return false;
	}
	if (!strcmp(s->category, "dyncode") || !strcmp(s->category, "dynimport")) {
		emit_dynamic(r, fr, s);
		return false;
	}
	if (!strcmp(s->category, "readfile") || !strcmp(s->category, "envdump")) {
		emit_credential_read(r, fr, s);
		return false;
	}
	n = alternatives(s->dest, alts, EMIT_MAX_ALTS);
	for (size_t i = 0; i < n; i++)
		limited |= emit_address(r, fr, s, alts[i]);
	return limited;
}

static size_t count_alternatives(const struct value *v)
{
	size_t n = 0;

	if (v->kind != VAL_ALT)
		return 1;
	for (size_t i = 0; i < v->nitems; i++)
		n += count_alternatives(v->items[i]);
	return n;
}

/* Categories emitted as something else than destinations: commands, code, files. */
static const char *const not_destinations[] = {"subprocess", "dyncode", "dynimport", "readfile", "envdump", NULL};

unsigned emit_site_bounds(const struct call_site *s)
{
	unsigned b = value_bounds(s->dest) | value_bounds(s->base);

	for (size_t i = 0; not_destinations[i]; i++)
		if (!strcmp(s->category, not_destinations[i]))
			return b;  /* the cap below is on destinations only */
	if (count_alternatives(s->dest) > EMIT_MAX_ALTS)
		b |= BOUND_BIT(BOUND_EMIT_ALTS);
	for (size_t i = 0; i < s->dest->nitems && s->dest->kind == VAL_ALT; i++) {
		const struct value *v = s->dest->items[i];
		if (v->kind == VAL_ARRAY && v->nitems && count_alternatives(v->items[0]) > EMIT_MAX_ALTS)
			b |= BOUND_BIT(BOUND_EMIT_ALTS);
	}
	if (s->dest->kind == VAL_ARRAY && s->dest->nitems && count_alternatives(s->dest->items[0]) > EMIT_MAX_ALTS)
		b |= BOUND_BIT(BOUND_EMIT_ALTS);
	return b;
}

void emit_url_strings(struct report *r, const struct file_result *fr)
{
	for (size_t i = 0; i < fr->urls.len; i++) {
		struct url_parts u;
		bool requested = false;
		if (!url_parse_as(fr->urls.items[i].url, dialect_of(fr), &u))
			continue;
		for (size_t k = 0; k < r->endpoints.len && !requested; k++)
			requested = r->endpoints.items[k]->host && strcmp(r->endpoints.items[k]->host, u.host) == 0;
		if (!requested)
			report_add_url_string(r, fr->urls.items[i].url, fr->rel, fr->urls.items[i].line);
	}
}
