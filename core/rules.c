/* The rule catalogue, in one table (docs/rules.md is written from the same text). */
#include "core/rules.h"

#include <string.h>

const struct rule rules[] = {
	{"undocumented-egress", SEV_HIGH,
	 "Outbound destination not named in the server's documentation or policy",
	 "The server contacts a host that its README, docs, manifest and homepage do not name, and that no "
	 "--allow pattern or policy entry covers. Read the call site: telemetry, analytics or a copy of the "
	 "user's context sent to a third party all look like this. Document the endpoint, allow it in the "
	 "policy, or remove the call."},
	{"obfuscated-destination", SEV_HIGH,
	 "Destination built through decoding or dynamic code",
	 "The host or URL only appears after base64, hex, char-code, reversal or similar decoding, or inside "
	 "dynamically evaluated code. Legitimate servers name their APIs in plain text; hiding a destination "
	 "is a strong sign that it was meant to escape review."},
	{"dynamic-code-execution", SEV_MEDIUM,
	 "Code evaluated at run time (eval, new Function, vm, exec, compile, non-literal import)",
	 "The server builds and runs code at run time, so part of what it does cannot be read from its source. "
	 "High when the code string is itself decoded from an encoding."},
	{"subprocess-egress", SEV_HIGH,
	 "Child process that talks to the network (curl, wget, nc, ssh, ...)",
	 "A network tool run in a child process escapes the language's own HTTP clients and is easy to miss in "
	 "review. Check what it sends and where."},
	{"raw-socket-egress", SEV_MEDIUM,
	 "Raw TCP/UDP socket or a connection to a literal IP address",
	 "Plain sockets and raw IP addresses bypass the usual HTTP clients and name resolution; few MCP "
	 "servers need them."},
	{"dns-egress", SEV_MEDIUM,
	 "Explicit DNS lookup",
	 "An explicit lookup. When the name is computed from data (a label built from a hash, a hex string "
	 "or user content) it can carry that data out through any resolver, and the severity is high."},
	{"lookalike-domain", SEV_HIGH,
	 "Host that imitates a documented host",
	 "The host looks like a documented one but belongs to another site (a hyphen for a dot, an extra "
	 "label, the documented name used as a subdomain of another domain). Typical of exfiltration that "
	 "hopes to pass a quick review."},
	{"exfil-prone-destination", SEV_HIGH,
	 "Paste, webhook, tunnel, request-bin or chat-bot service",
	 "The destination is a service commonly used to receive exfiltrated data (from the curated list in "
	 "analyzer/data/exfil_services.txt). A server rarely has a documented reason to post there."},
	{"env-configurable-egress", SEV_INFO,
	 "Destination configurable through an environment variable",
	 "The destination comes from an environment variable, or from other configuration the server is "
	 "launched with (a command-line option, a configuration file it reads); its default is what is "
	 "checked. Whoever sets it decides where the traffic goes."},
	{"user-directed-egress", SEV_INFO,
	 "Destination taken from a tool argument",
	 "The URL or host comes from an MCP tool's arguments, so the model (or whoever controls the prompt) "
	 "picks it. Not an undocumented host, but a server-side request forgery surface worth knowing about."},
	{"credential-access", SEV_HIGH,
	 "Reads credential files or dumps the whole environment",
	 "The server reads SSH keys, cloud or package-manager credentials, .env files, browser profiles or "
	 "keychains, or serialises the entire environment. An MCP server rarely needs this."},
	{"host-socket-access", SEV_HIGH,
	 "Tries to reach a UNIX socket of the host",
	 "The traced server connected (or sent a datagram) to a UNIX socket it did not create: a path "
	 "under /run, the container runtime's or systemd's socket, a database's, an agent's, or an "
	 "abstract name. On a real machine that reaches a local daemon outside any network control, "
	 "and a container runtime's or systemd's socket means running commands as root. The sandbox "
	 "covers every such socket, so nothing answered."},
	{"credential-flow", SEV_CRITICAL,
	 "A secret or host identity flows into an outbound request",
	 "A value from a secret-looking environment variable, a credential file or the host's identity "
	 "reaches a network call's URL, headers or body. Sending a service's own token to that service's "
	 "documented endpoint is normal and not reported; anything else is credential exfiltration."},
	{"credential-exfiltration", SEV_CRITICAL,
	 "A planted canary credential left the sandbox",
	 "The traced server sent one of the canary secrets planted in its environment, fake HOME or "
	 ".env (as text, base64, hex, URL-encoded, reversed, or split over DNS labels) over the network, "
	 "or back to the client over MCP. Whatever the destination, the server reads secrets it was "
	 "not asked to use and sends them somewhere."},
	{"dns-exfiltration", SEV_HIGH,
	 "DNS lookups that carry data",
	 "Names with long or high-entropy labels, or many unique names under one domain: the name "
	 "itself carries data out through any resolver on the way."},
	{"doh-egress", SEV_MEDIUM,
	 "DNS over HTTPS",
	 "The server resolved names through a DNS-over-HTTPS service, hiding its lookups from the "
	 "system resolver and from ordinary DNS monitoring."},
	{"hidden-egress", SEV_HIGH,
	 "Destination contacted at run time but found nowhere in the code",
	 "The audit's run contacted a host that the static stage did not find in the package's code: "
	 "it is built at run time, decoded, downloaded, or comes from a dependency the static stage "
	 "did not read. To an undocumented host this is how hidden telemetry and exfiltration look."},
	{"install-script", SEV_MEDIUM,
	 "Package runs a script when it is installed (preinstall, install, postinstall, prepare)",
	 "npm runs these scripts on every install, before anyone has looked at the server, with the "
	 "user's full rights. High when the script (inline or the file it runs) makes or contains "
	 "network egress. Install with --ignore-scripts, or read the script first."},
	{"new-package", SEV_MEDIUM,
	 "Package or version published very recently",
	 "The package was first published only days ago, or has very few versions. Typosquats and "
	 "malicious look-alikes suggested by AI assistants are usually brand new; wait, or read it "
	 "closely."},
	{"typosquat-dependency", SEV_HIGH,
	 "Dependency whose name imitates a popular package",
	 "A dependency's name is one edit, a swapped separator or a changed scope away from a widely "
	 "used package (from the list in core/data/popular_packages.txt). Check that it is the package "
	 "the author meant."},
	{"no-lockfile", SEV_LOW,
	 "Application-style server without a lockfile",
	 "The server ships no lockfile (npm-shrinkwrap.json, package-lock.json, uv.lock, ...), so every "
	 "install resolves its dependencies afresh and a newly published malicious dependency version "
	 "reaches users without a change to the server."},
	{"remote-server", SEV_MEDIUM,
	 "Client configuration points at a remote MCP server",
	 "The server runs on someone else's machine: its code cannot be read or traced, and everything "
	 "the client sends it (prompts, files, tool results) leaves the machine. Review who runs it."},
	{"unparsed-file", SEV_LOW,
	 "Source file that could not be analysed",
	 "The file could not be read or parsed (binary content, invalid encoding, too large, unreadable, a "
	 "link out of the tree, or a parse error). What it does is unknown: look at it by hand."},
	{"duplicate-json-key", SEV_MEDIUM,
	 "A JSON file another program reads names the same key twice",
	 "package.json, a lockfile, server.json or a client configuration holds two members with the same "
	 "name (or a key or value with a NUL in it). npm, Node, the MCP clients and Python keep the last "
	 "one; a reader that keeps the first sees another package. mcpaudit reads the last, as they do, "
	 "and reports the pair: no tool writes such a file, so someone wrote it to be misread. High when "
	 "the key is one npm acts on (scripts, dependencies, bin, main, ...)."},
	{"client-config-sections", SEV_MEDIUM,
	 "Client configuration with more than one server section",
	 "The file has several server maps (\"mcpServers\", \"servers\", \"mcp\": {\"servers\"}, "
	 "\"mcp.servers\"), and each client runs only the one it reads (VS Code \"servers\", the others "
	 "\"mcpServers\"). A reviewer reading one section sees a decoy; every section is audited."},
	{"tls-interception-refused", SEV_INFO,
	 "A client refused the trace's certificate: its HTTPS content was not seen",
	 "The tracer reads HTTPS by answering it with a certificate of a per-run CA that the sandbox "
	 "trusts. This client refused it (the alert it sent is in the message): it pins a certificate "
	 "or carries its own CA bundle. Where it connected is known, what it sent is not; a client that "
	 "brings its own trust is worth a look."},
	{NULL, SEV_INFO, NULL, NULL},
};

static const char *const severity_names[] = {"info", "low", "medium", "high", "critical"};

const struct rule *rule_find(const char *id)
{
	for (const struct rule *r = rules; r->id; r++)
		if (strcmp(r->id, id) == 0)
			return r;
	return NULL;
}

const char *severity_name(enum severity s)
{
	return (unsigned)s <= SEV_CRITICAL ? severity_names[s] : "unknown";
}

bool severity_parse(const char *name, enum severity *out)
{
	for (unsigned i = 0; i <= SEV_CRITICAL; i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return true;
		}
	}
	return false;
}
