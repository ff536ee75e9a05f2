/* sandbox: Linux namespaces (network, mount, PID, IPC, UTS, and user when not root) in which the
 * dynamic stage runs an MCP server: every address is local, nothing reaches the host or the
 * internet, the host's files are read-only and its homes hidden, and the server itself runs
 * without capabilities, with no_new_privs, resource limits and a seccomp filter. */
#ifndef MCPAUDIT_SANDBOX_H
#define MCPAUDIT_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/* The addresses given to the namespace's non-loopback interface (a veth pair, or lo when veth
 * is unavailable), so glibc's AI_ADDRCONFIG sees an ordinary network, and the nameserver's.
 * Private ranges (RFC 1918, RFC 4193), as on a home or office network: a documentation
 * range would say "sandbox" to anyone who looks. They exist only inside the sandbox's own
 * network namespace, where every address is local. */
#define SANDBOX_ADDR4 "192.168.1.23"
#define SANDBOX_ADDR6 "fd4e:9c2a:71b3:1::23"

/* As root, the server runs as this host uid and gid (no user namespace is made for root):
 * an id nothing on the host owns, so the device nodes, the files and the sockets of root
 * and of every user stay out of reach. Rootless the server is the caller, as uid 0 of its
 * user namespace. */
#define SANDBOX_SERVER_ID 2147000000u

/* A file written into the fake HOME before the server starts. */
struct sandbox_file {
	const char *path;    /* relative to HOME, e.g. ".aws/credentials"; parents are created 0700 */
	const char *content; /* content_len bytes */
	size_t content_len;
	mode_t mode;         /* e.g. 0600 */
};

/* A plausible host name for a sandbox ("sam-carbon", "alex-x12"), picked at random
 * (a static buffer, overwritten by the next call). */
const char *sandbox_random_hostname(void);

struct sandbox_config {
	const char *nameserver;  /* the only line of /etc/resolv.conf; NULL: SANDBOX_ADDR4 */
	const char *hostname;    /* NULL: a plausible one picked at random per run */
	const char *home;        /* the fake HOME, e.g. "/home/alex" (on a tmpfs); NULL: none */
	const struct sandbox_file *home_files;
	size_t n_home_files;
	/* The server's folder, given writable: an overlay over the original, or, where overlayfs
	 * is refused (older kernels rootless, or files owned by an unmapped user), a copy into a
	 * tmpfs of at most workdir_max_bytes (0: 256 MiB). The original is never written.
	 * It appears at the same path inside. NULL: none. */
	const char *workdir;
	size_t workdir_max_bytes;
	bool workdir_copy;       /* always copy, never overlay (tests; paranoid runs) */
	size_t tmp_max_bytes;    /* size of the private /tmp and HOME tmpfs; 0: 256 MiB */
	/* As root: processes and threads the whole sandbox may hold (a pids cgroup); 0: no
	 * limit. Rootless the server's RLIMIT_NPROC (spawn_config) does it. Where the cgroup
	 * cannot be made the run goes on, and limit_note (limit_note_len bytes, may be NULL)
	 * says why. */
	unsigned long max_processes;
	char *limit_note;
	size_t limit_note_len;
	/* Credential files outside any HOME (a Kubernetes token, Docker secrets, /etc/shadow, a
	 * CI's .env): cred_paths are absolute paths (a folder: the files in it), cred_names file
	 * names looked for anywhere but in the working folder; both NULL-terminated, may be NULL.
	 * Each one found on the host is covered inside by an empty decoy of its own, listed by
	 * sandbox_covered_credentials for the caller to watch. */
	const char *const *cred_paths;
	const char *const *cred_names;
	/* Set by sandbox_run (hiding_note_len bytes, may be NULL) when the walk for host socket
	 * files was cut short: sockets past that point may still be reachable. */
	char *hiding_note;
	size_t hiding_note_len;
	/* A CA the server is to trust (the run's TLS CA, in PEM) and its name in a hashed
	 * folder: the sandbox's own /etc/ssl/certs gets it (tracer/trust_store.h). NULL: the
	 * host's certificates as they are. */
	const char *trust_ca_pem;
	const char *trust_ca_hashed_name;
	/* Filled by sandbox_run when not NULL: what its fixed costs were. */
	struct sandbox_timing *timing;
};

/* The sandbox's own time, in ms of CLOCK_MONOTONIC (the same clock in every PID namespace):
 * set-up and tear-down exclude the walk and the run of inside(); -1 when inside() never ran. */
struct sandbox_timing {
	double walk_ms;         /* the host walk for socket and credential files */
	size_t walk_entries;    /* directory entries it read */
	double setup_ms;        /* from the walk's end until inside() began in PID 1 */
	double teardown_ms;     /* from inside()'s return until sandbox_run returned */
};

/* Resource limits for the server; 0 leaves a limit as inherited. */
struct sandbox_limits {
	rlim_t memory_bytes;  /* RLIMIT_DATA: private writable memory. Not RLIMIT_AS: V8 and WebAssembly
	                       * reserve tens of GB of address space they never touch */
	rlim_t processes;     /* RLIMIT_NPROC: counted per user namespace; in the host's (as root)
	                       * it would count every uid-0 process, so there it is not set and
	                       * sandbox_config.max_processes limits the sandbox instead */
	rlim_t open_files;    /* RLIMIT_NOFILE */
	rlim_t file_bytes;    /* RLIMIT_FSIZE */
	rlim_t cpu_seconds;   /* RLIMIT_CPU */
};

struct spawn_config {
	const char *const *argv;  /* argv[0] is looked up on PATH; NULL-terminated; not pointing
	                           * into this process's own argument area, which the shell
	                           * rewrites (sandbox_disguise) before it starts the server */
	const char *const *env;   /* extra "NAME=VALUE" entries, NULL-terminated; may be NULL */
	const char *path;         /* PATH; NULL: "/usr/local/bin:/usr/bin:/bin" */
	const char *lang;         /* LANG; NULL: "C.UTF-8" */
	const char *cwd;          /* NULL: stay where the caller is */
	struct sandbox_limits limits;
	/* Non-NULL: connect(2), and sendto(2) with an address, also stop at a seccomp user
	 * notification listener, whose fd is stored here (-1 when none could be made; the
	 * caller answers it, see unix_watch, and closes it). */
	int *listener;
};

/* Runs inside(arg) as PID 1 of new namespaces set up as described at the top of this file,
 * and waits for it. When inside returns, PID 1 exits and the kernel kills every other process
 * of the namespace (daemons included) before this function returns. The calling process is
 * untouched and may be root or not (rootless, it needs unprivileged user namespaces).
 *
 * Returns 0 when the sandbox was set up and inside ran: *exit_status is its return value
 * (0..255), or 128 + signal if PID 1 was killed. Returns -1 when the sandbox could not be set
 * up completely: err says which step failed and, where a system setting is the cause, which
 * one to change (kernel.apparmor_restrict_unprivileged_userns, kernel.unprivileged_userns_clone,
 * user.max_user_namespaces). It never falls back to the host's network.
 * File descriptors of the caller stay open inside (so it may pass pipes in). */
int sandbox_run(const struct sandbox_config *cfg, int (*inside)(void *arg), void *arg, int *exit_status, char *err,
		size_t errlen);

/* To be called from inside(): the ids the server will run as (SANDBOX_SERVER_ID as root,
 * 0 in a rootless sandbox), for files planted for it. */
void sandbox_server_ids(uid_t *uid, gid_t *gid);

/* To be called from inside(): makes a file planted for the server its own (its ids) and
 * dates it days to months back, as a user's own file would be. Returns 0 or -1 with errno. */
int sandbox_give_to_server(const char *path);

/* To be called from inside(): the credential decoys in place (borrowed; valid inside()). */
const char *const *sandbox_covered_credentials(size_t *n);

/* Rewrites this process's command line (as /proc/self/cmdline shows it, without a trail of
 * NULs) to CMDLINE and its name (/proc/self/comm) to COMM, so that the sandbox's own
 * processes do not name mcpaudit. Returns 0, or -1 when the argument area is too small or
 * unreadable. Only async-signal-safe calls (usable after fork in a threaded process). */
int sandbox_disguise(const char *cmdline, const char *comm);

/* To be called from inside(): forks a shell-like parent ("-bash", comm "bash") that forks the
 * server, so the server's parent is not PID 1. The shell forwards every signal it gets to the
 * server and ends as the server ended (the same exit code, or killed by the same signal), so
 * the returned pid is waited for and signalled as the server's own would be; only SIGKILL
 * ends the shell alone (the server is then PID 1's, which kills what is left when it ends).
 * The server runs with stdin/stdout/stderr on the given fds and every other fd closed, a
 * scrubbed environment (PATH, LANG and sc->env only), sc->cwd, the limits, the ids of
 * sandbox_server_ids, no capabilities at all (bounding, ambient, inheritable, permitted,
 * effective), no_new_privs and a seccomp filter that refuses with EPERM what an MCP server
 * never needs (mounts, namespaces, ptrace and process_vm_*, kernel modules, kexec, bpf,
 * perf_event_open, keyrings, raw and packet sockets), then execs sc->argv.
 * Returns the shell's pid once the exec succeeded, or -1 with err ("execvp node: No such
 * file or directory") when any step failed; the shell is then already reaped. */
pid_t sandbox_spawn(const struct spawn_config *sc, int stdin_fd, int stdout_fd, int stderr_fd, char *err,
		    size_t errlen);

/* Whether pid is the shell sandbox_spawn made last (process chains in the report stop
 * there: it is the sandbox's, not the server's). */
bool sandbox_is_shell(pid_t pid);

#endif
