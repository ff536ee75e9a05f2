/* sandbox: the namespaces, mounts and server confinement, checked from inside a real sandbox,
 * as root and (re-run as user nobody) rootless. The checks inside run in PID 1 of the sandbox,
 * where cmocka's longjmp cannot reach: each prints what failed and the count is its exit code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit_skip.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tracer/sandbox.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define NOBODY 65534
#define SKIP_CODE 77
#define NAMESERVER "192.0.2.53"
#define FAKE_HOME "/home/alex"
#define HOST_SECRET_VAR "SANDBOX_TEST_HOST_SECRET"
#define ROOTLESS_PLANT "/root/.sbx-planted-rootless"
#define CHILD_TIMEOUT_S 60   /* one whole scenario, as root or nobody */
#define STEP_TIMEOUT_S 10    /* one spawned command, one socket wait */

static const char aws_credentials[] = "[default]\naws_access_key_id = AKIA2OGYBAH4QXKE7TNV\n";
static const struct sandbox_file home_files[] = {
	{".aws/credentials", aws_credentials, sizeof(aws_credentials) - 1, 0600},
	{".bashrc", "export EDITOR=vim\n", 18, 0644},
};

/* What the checks inside need to know about the host side. */
struct scenario {
	char exe[64];             /* this test binary as /proc/self/fd/N, spawned with --probe: the
	                           * build folder may be hidden inside (under /tmp or a HOME) */
	int host_port;            /* a listener on the host's 127.0.0.1 */
	int daemon_w;             /* write end a daemon keeps open past its parent */
	char planted_home[512];   /* a file in the real HOME (or /root) */
	char planted_tmp[512];    /* a file in the real /tmp */
	char workdir[512];        /* the server's folder, with orig.txt */
	bool rootless;
	bool copy;                /* the working folder is a copy, not an overlay */
};

/* ---- helpers usable both outside and inside (no cmocka) ---- */

/* Waits up to seconds for pid; kills it on timeout. Returns the exit code, 128+signal, or -1. */
static int wait_bounded(pid_t pid, int seconds)
{
	struct timespec tick = {0, 10 * 1000 * 1000};
	int st;
	for (int i = 0; i < seconds * 100; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0 && errno != EINTR)
			return -1;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* Closes those of the fds that are open (>= 0). */
static void close_fds(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static bool status_field(const char *field, const char *want)
{
	char buf[4096];
	if (read_text("/proc/self/status", buf, sizeof(buf)) < 0)
		return false;
	const char *p = strstr(buf, field);
	if (!p)
		return false;
	p += strlen(field);
	p += strspn(p, " \t");
	return strncmp(p, want, strlen(want)) == 0;
}

static int connect_to(int family, const char *addr, int port)
{
	struct sockaddr_storage ss = {0};
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		len = sizeof(*s6);
	}
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct timeval tv = {STEP_TIMEOUT_S, 0};
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (fd >= 0 && connect(fd, (struct sockaddr *)&ss, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int listen_any(int family, int type, int port)
{
	int one = 1;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);
	struct sockaddr_in s4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = IN6ADDR_ANY_INIT};
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, family == AF_INET ? (struct sockaddr *)&s4 : (struct sockaddr *)&s6,
			   family == AF_INET ? sizeof(s4) : sizeof(s6)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 8) < 0)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* ---- the checks, run inside the sandbox ---- */

static bool check_loopback_up(struct scenario *s)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	bool up = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
	if (fd >= 0)
		close(fd);
	return up;
}

/* AI_ADDRCONFIG needs a non-loopback address of each family. */
static bool check_ordinary_addresses(struct scenario *s)
{
	struct ifaddrs *ifa = NULL;
	bool v4 = false, v6 = false;
	char text[INET6_ADDRSTRLEN];
	if (getifaddrs(&ifa) < 0)
		return false;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (i->ifa_addr->sa_family == AF_INET &&
		    inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, text, sizeof(text)))
			v4 |= strcmp(text, SANDBOX_ADDR4) == 0;
		if (i->ifa_addr->sa_family == AF_INET6 &&
		    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, text, sizeof(text)))
			v6 |= strcmp(text, SANDBOX_ADDR6) == 0;
	}
	freeifaddrs(ifa);
	return v4 && v6;
}

static bool tcp_roundtrip(int family, const char *dest, int port)
{
	int l = listen_any(family, SOCK_STREAM, port);
	int c = l >= 0 ? connect_to(family, dest, port) : -1;
	struct pollfd p = {l, POLLIN, 0};
	int a = c >= 0 && poll(&p, 1, STEP_TIMEOUT_S * 1000) == 1 ? accept(l, NULL, NULL) : -1;
	close_fds((int[]){a, c, l}, 3);
	return a >= 0;
}

static bool check_every_address_local_tcp(struct scenario *s)
{
	return tcp_roundtrip(AF_INET, "203.0.113.5", 8080) && tcp_roundtrip(AF_INET6, "2001:db8:ffff::5", 8081);
}

static bool check_every_address_local_udp(struct scenario *s)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(53)};
	char buf[16] = "";
	int l = listen_any(AF_INET, SOCK_DGRAM, 53);
	int c = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct pollfd p = {l, POLLIN, 0};
	inet_pton(AF_INET, "198.51.100.7", &to.sin_addr);
	bool ok = l >= 0 && c >= 0 && sendto(c, "q", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1 &&
		  poll(&p, 1, STEP_TIMEOUT_S * 1000) == 1 && recv(l, buf, sizeof(buf), 0) == 1 && buf[0] == 'q';
	close_fds((int[]){l, c}, 2);
	return ok;
}

static bool check_host_loopback_unreachable(struct scenario *s)
{
	int fd = connect_to(AF_INET, "127.0.0.1", s->host_port);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == ECONNREFUSED;
}

static bool check_resolver_files(struct scenario *s)
{
	char buf[4096];
	return read_text("/etc/resolv.conf", buf, sizeof(buf)) == 0 && strcmp(buf, "nameserver " NAMESERVER "\n") == 0 &&
	       read_text("/etc/nsswitch.conf", buf, sizeof(buf)) == 0 && strstr(buf, "\nhosts: files dns\n") &&
	       read_text("/etc/hosts", buf, sizeof(buf)) == 0 && strstr(buf, "dev-laptop");
}

static bool check_hostname(struct scenario *s)
{
	char name[256] = "";
	return gethostname(name, sizeof(name)) == 0 && strcmp(name, "dev-laptop") == 0;
}

static bool check_homes(struct scenario *s)
{
	char buf[256];
	struct stat st;
	return read_text(FAKE_HOME "/.aws/credentials", buf, sizeof(buf)) == 0 && strcmp(buf, aws_credentials) == 0 &&
	       stat(FAKE_HOME "/.aws/credentials", &st) == 0 && (st.st_mode & 0777) == 0600 &&
	       stat(s->planted_home, &st) < 0 && errno == ENOENT && stat(s->planted_tmp, &st) < 0 && errno == ENOENT;
}

/* The file system type mounted at the working folder, from mountinfo ("- TYPE" after the
 * optional fields); the last mount there wins. */
static bool workdir_fstype(const char *dir, const char *want)
{
	char line[4096], mnt[600], type[64] = "";
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	snprintf(mnt, sizeof(mnt), " %s ", dir);
	while (fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");
		char *at = strstr(line, mnt);
		if (sep && at && at < sep && sscanf(sep + 3, "%63s", type) != 1)
			type[0] = '\0';
	}
	fclose(f);
	return strcmp(type, want) == 0;
}

static bool check_workdir(struct scenario *s)
{
	char buf[256], cwd[512];
	char path[600];
	snprintf(path, sizeof(path), "%s/orig.txt", s->workdir);
	bool ok = workdir_fstype(s->workdir, s->copy ? "tmpfs" : "overlay") && getcwd(cwd, sizeof(cwd)) && strcmp(cwd, s->workdir) == 0 &&
		  read_text(path, buf, sizeof(buf)) == 0 && strcmp(buf, "original\n") == 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	ok = ok && fd >= 0 && write(fd, "changed\n", 8) == 8;
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/new.txt", s->workdir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	return ok && fd >= 0;
}

static bool check_read_only(struct scenario *s)
{
	int fd = open("/usr/sandbox-test-file", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		close(fd);
		unlink("/usr/sandbox-test-file");
		return false;
	}
	int e = errno;
	fd = open("/tmp/scratch", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	return e == EROFS && fd >= 0;
}

/* /proc belongs to the new PID namespace: only a handful of processes, this one PID 1. */
static bool check_pid_namespace(struct scenario *s)
{
	return getpid() == 1;
}

static bool spawn_and_wait(const char *const *argv, const char *const *env, struct sandbox_limits limits, int out)
{
	char err[512];
	struct spawn_config sc = {.argv = argv, .env = env, .limits = limits};
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t pid = sandbox_spawn(&sc, in, out, 2, err, sizeof(err));
	close(in);
	if (pid < 0) {
		fprintf(stderr, "  sandbox_spawn: %s\n", err);
		return false;
	}
	int code = wait_bounded(pid, STEP_TIMEOUT_S);
	if (code != 0)
		fprintf(stderr, "  %s exited with %d\n", argv[0], code);
	return code == 0;
}

static struct sandbox_limits server_limits(const struct scenario *s)
{
	/* RLIMIT_NPROC counts every process of the uid: rootless that is the namespace's own
	 * user, as root it would be all of the host's root processes. */
	struct sandbox_limits l = {.open_files = 256, .file_bytes = 1 << 20, .cpu_seconds = 30};
	l.processes = s->rootless ? 64 : 0;
	return l;
}

/* The shell side: no capabilities, no_new_privs, seccomp on, namespaces and mounts refused,
 * the limits applied, only the given environment. Each failure has its own exit code. */
static bool check_spawned_shell(struct scenario *s)
{
	static const char script[] =
		"unshare -U true 2>/dev/null && exit 11\n"
		"unshare -n true 2>/dev/null && exit 12\n"
		"mount -t tmpfs none /mnt 2>/dev/null && exit 13\n"
		"grep -Eq '^CapEff:[[:space:]]+0+$' /proc/self/status || exit 14\n"
		"grep -Eq '^CapBnd:[[:space:]]+0+$' /proc/self/status || exit 15\n"
		"grep -Eq '^NoNewPrivs:[[:space:]]+1$' /proc/self/status || exit 16\n"
		"grep -Eq '^Seccomp:[[:space:]]+2$' /proc/self/status || exit 17\n"
		"[ \"$(ulimit -n)\" = 256 ] || exit 18\n"
		"[ \"$PROBE_VAR\" = yes ] || exit 19\n"
		"[ -z \"$" HOST_SECRET_VAR "\" ] || exit 20\n"
		"exit 0\n";
	const char *argv[] = {"/bin/sh", "-c", script, NULL};
	const char *env[] = {"PROBE_VAR=yes", NULL};
	return spawn_and_wait(argv, env, server_limits(s), 2);
}

/* The exact errno of each refused call, from a C probe (this binary with --probe). */
static bool check_spawned_probe(struct scenario *s)
{
	const char *argv[] = {s->exe, "--probe", NULL};
	struct sandbox_limits none = {0};
	return spawn_and_wait(argv, NULL, none, 2);
}

static bool check_spawn_failure_reported(struct scenario *s)
{
	char err[512] = "";
	const char *argv[] = {"/nonexistent/server", NULL};
	struct spawn_config sc = {.argv = argv};
	pid_t pid = sandbox_spawn(&sc, 0, 1, 2, err, sizeof(err));
	return pid < 0 && strstr(err, "/nonexistent/server") && strstr(err, "No such file");
}

/* Spawns argv; after delay_ms (0: never) sends sig to the returned pid. Returns the exit
 * code or 128+signal, as wait_bounded; -1 when the spawn failed. */
static int spawn_signal_wait(const char *const *argv, int delay_ms, int sig, bool *signaled)
{
	char err[512];
	struct spawn_config sc = {.argv = argv};
	int st = 0;
	pid_t pid = sandbox_spawn(&sc, 0, 2, 2, err, sizeof(err));

	if (pid < 0) {
		fprintf(stderr, "  sandbox_spawn: %s\n", err);
		return -1;
	}
	if (delay_ms) {
		struct timespec t = {delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L};
		nanosleep(&t, NULL);
		kill(pid, sig);
	}
	alarm(STEP_TIMEOUT_S);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	*signaled = WIFSIGNALED(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The server's parent is a shell, not PID 1 (issue 8 item 17): its comm is "bash", its
 * command line "-bash" with no trail of NULs. Failed before the shell (the parent was PID 1,
 * exit 21), checked on the build before it. */
static bool check_shell_parent(struct scenario *s)
{
	static const char script[] = "[ \"$PPID\" != 1 ] || exit 21\n"
				     "[ \"$(cat /proc/$PPID/comm)\" = bash ] || exit 22\n"
				     "[ \"$(od -An -c /proc/$PPID/cmdline | tr -d ' ')\" = '-bash\\0' ] || exit 23\n"
				     "exit 0\n";
	const char *argv[] = {"/bin/sh", "-c", script, NULL};
	bool signaled;
	int code = spawn_signal_wait(argv, 0, 0, &signaled);
	if (code != 0)
		fprintf(stderr, "  the shell parent check exited with %d\n", code);
	return code == 0;
}

/* Through the shell, the returned pid ends exactly as the server: its exit code, the signal
 * that killed it, and a signal sent to the pid reaches the server (its trap answers 42). */
static bool check_shell_forwards(struct scenario *s)
{
	const char *exits[] = {"/bin/sh", "-c", "exit 7", NULL};
	const char *killed[] = {"/bin/sh", "-c", "kill -TERM $$; sleep 5", NULL};
	const char *trapped[] = {"/bin/sh", "-c", "trap 'exit 42' TERM; while :; do sleep 0.05; done", NULL};
	const char *stopped[] = {"/bin/sh", "-c", "kill -STOP $$; exit 3", NULL};
	bool sig_exit, sig_killed, sig_trapped, sig_stopped;
	int a = spawn_signal_wait(exits, 0, 0, &sig_exit);
	int b = spawn_signal_wait(killed, 0, 0, &sig_killed);
	int c = spawn_signal_wait(trapped, 300, SIGTERM, &sig_trapped);
	int d = spawn_signal_wait(stopped, 300, SIGCONT, &sig_stopped);

	if (a != 7 || sig_exit || b != 128 + SIGTERM || !sig_killed || c != 42 || sig_trapped || d != 3 || sig_stopped)
		fprintf(stderr, "  exit 7 -> %d, killed by TERM -> %d (%s), trapped TERM -> %d, stopped then CONT -> %d\n",
			a, b, sig_killed ? "signalled" : "exited", c, d);
	return a == 7 && !sig_exit && b == 128 + SIGTERM && sig_killed && c == 42 && !sig_trapped && d == 3 &&
	       !sig_stopped;
}

/* Leaves a daemon holding daemon_w: the host side checks it dies with PID 1. */
static bool check_start_daemon(struct scenario *s)
{
	const char *argv[] = {"/bin/sh", "-c", "sleep 600 & exit 0", NULL};
	struct sandbox_limits none = {0};
	return spawn_and_wait(argv, NULL, none, s->daemon_w);
}

static const struct check {
	const char *name;
	bool (*run)(struct scenario *s);
} checks[] = {
	{"loopback is up", check_loopback_up},
	{"non-loopback " SANDBOX_ADDR4 " and " SANDBOX_ADDR6, check_ordinary_addresses},
	{"TCP to 203.0.113.5:8080 and [2001:db8:ffff::5]:8081 lands on a local listener", check_every_address_local_tcp},
	{"UDP to 198.51.100.7:53 lands on a local socket", check_every_address_local_udp},
	{"the host's 127.0.0.1 listener is unreachable", check_host_loopback_unreachable},
	{"resolv.conf, nsswitch.conf, hosts", check_resolver_files},
	{"hostname", check_hostname},
	{"fake HOME; real HOME and /tmp hidden", check_homes},
	{"working folder readable and writable", check_workdir},
	{"the rest is read-only", check_read_only},
	{"PID 1 of a new PID namespace", check_pid_namespace},
	{"spawned shell is confined", check_spawned_shell},
	{"spawned probe: each refused call gives EPERM", check_spawned_probe},
	{"a failed exec is reported", check_spawn_failure_reported},
	{"the server's parent is a shell", check_shell_parent},
	{"the shell ends as the server did and forwards signals", check_shell_forwards},
	{"daemon started", check_start_daemon},
};

static int inside(void *arg)
{
	struct scenario *s = arg;
	int failed = 0;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (!checks[i].run(s)) {
			fprintf(stderr, "inside the sandbox (%s): check failed: %s\n", s->rootless ? "rootless" : "root",
				checks[i].name);
			failed++;
		}
	return failed;
}

/* ---- the probe: this binary spawned inside with --probe ---- */

static int probe_main(void)
{
	int bad = 0;
	struct {
		const char *what;
		bool ok;
	} r[8];
	size_t n = 0;

	r[n].what = "unshare(CLONE_NEWUSER)";
	r[n++].ok = unshare(CLONE_NEWUSER) < 0 && errno == EPERM;
	r[n].what = "mount";
	r[n++].ok = mount("none", "/mnt", "tmpfs", 0, NULL) < 0 && errno == EPERM;
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	r[n].what = "socket(AF_PACKET)";
	r[n++].ok = fd < 0 && errno == EPERM;
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	r[n].what = "socket(AF_INET, SOCK_RAW)";
	r[n++].ok = fd < 0 && errno == EPERM;
	long pid = syscall(SYS_clone, (unsigned long)(CLONE_NEWNET | SIGCHLD), 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	r[n].what = "clone(CLONE_NEWNET)";
	r[n++].ok = pid < 0 && errno == EPERM;
	r[n].what = "ptrace(PTRACE_TRACEME)";
	r[n++].ok = ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 && errno == EPERM;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	r[n].what = "an ordinary TCP socket still works";
	r[n++].ok = fd >= 0;
	r[n].what = "CapEff 0, NoNewPrivs 1";
	r[n++].ok = status_field("CapEff:", "0000000000000000") && status_field("NoNewPrivs:", "1");
	for (size_t i = 0; i < n; i++)
		if (!r[i].ok) {
			fprintf(stderr, "  probe: %s: wrong result (%s)\n", r[i].what, strerror(errno));
			bad++;
		}
	/* _exit: LeakSanitizer's exit-time check would need ptrace, which the filter refuses. */
	_exit(bad);
}

/* ---- the host side ---- */

static int host_listener(int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static int plant(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	int rc = write(fd, "planted\n", 8) == 8 ? 0 : -1;
	close(fd);
	return rc;
}

static bool daemon_died(int r)
{
	struct pollfd p = {r, POLLIN, 0};
	char c;
	return poll(&p, 1, STEP_TIMEOUT_S * 1000) == 1 && read(r, &c, 1) == 0;
}

/* The original working folder is unchanged by what the server wrote. */
static bool workdir_untouched(const char *dir)
{
	char path[600], buf[64];
	struct stat st;
	snprintf(path, sizeof(path), "%s/orig.txt", dir);
	bool ok = read_text(path, buf, sizeof(buf)) == 0 && strcmp(buf, "original\n") == 0;
	snprintf(path, sizeof(path), "%s/new.txt", dir);
	return ok && stat(path, &st) < 0;
}

/* One whole run in the current process's identity. Returns 0, SKIP_CODE (reason on stderr),
 * or a failure count. Used directly as root and in a child that became nobody. */
static int scenario_run(const char *exe, bool copy, bool rootless)
{
	struct scenario s = {.rootless = rootless, .copy = copy};
	const char *home = getenv("HOME");
	char err[1024];
	int fails = 0, status = -1, daemon[2];
	int listener = host_listener(&s.host_port);
	char tmpl[] = "/tmp/sbx-wd-XXXXXX";

	int exe_fd = open(exe, O_RDONLY | O_CLOEXEC);
	snprintf(s.exe, sizeof(s.exe), "/proc/self/fd/%d", exe_fd);
	if (listener < 0 || exe_fd < 0 || pipe2(daemon, O_CLOEXEC) < 0 || !mkdtemp(tmpl)) {
		fprintf(stderr, "scenario set-up: %s\n", strerror(errno));
		return 1;
	}
	s.daemon_w = daemon[1];
	snprintf(s.workdir, sizeof(s.workdir), "%s", tmpl);
	snprintf(err, sizeof(err), "%s/orig.txt", tmpl);
	snprintf(s.planted_tmp, sizeof(s.planted_tmp), "/tmp/sbx-planted-%d", (int)getpid());
	/* Rootless, the planted HOME file is root's, planted before becoming nobody: the point
	 * is that /root is hidden, not merely unreadable. */
	if (rootless)
		snprintf(s.planted_home, sizeof(s.planted_home), "%s", ROOTLESS_PLANT);
	else
		snprintf(s.planted_home, sizeof(s.planted_home), "%s/.sbx-planted-%d", home && *home ? home : "/root",
			 (int)getpid());
	if (plant(err) < 0 || (!rootless && plant(s.planted_home) < 0) || plant(s.planted_tmp) < 0) {
		fprintf(stderr, "scenario set-up: plant: %s\n", strerror(errno));
		return 1;
	}
	FILE *f = fopen(err, "w");
	if (f) {
		fputs("original\n", f);
		fclose(f);
	}

	struct sandbox_config cfg = {.nameserver = NAMESERVER, .hostname = "dev-laptop", .home = FAKE_HOME,
				     .home_files = home_files, .n_home_files = 2, .workdir = s.workdir,
				     .workdir_copy = copy};
	if (sandbox_run(&cfg, inside, &s, &status, err, sizeof(err)) < 0) {
		fprintf(stderr, "sandbox_run: %s\n", err);
		/* Rootless is only as possible as the host allows: that is a skip, not a failure. */
		fails = rootless && (strstr(err, "apparmor") || strstr(err, "userns")) ? SKIP_CODE : 1;
		goto out;
	}
	if (status != 0) {
		fprintf(stderr, "%d check(s) failed inside the sandbox\n", status);
		fails += status;
	}
	close(daemon[1]);
	daemon[1] = -1;
	if (!daemon_died(daemon[0])) {
		fprintf(stderr, "a daemon outlived PID 1 of the sandbox\n");
		fails++;
	}
	if (!workdir_untouched(s.workdir)) {
		fprintf(stderr, "the original working folder was written\n");
		fails++;
	}
out:
	close(listener);
	close(daemon[0]);
	if (daemon[1] >= 0)
		close(daemon[1]);
	if (!rootless)
		unlink(s.planted_home);
	unlink(s.planted_tmp);
	snprintf(err, sizeof(err), "%s/orig.txt", tmpl);
	unlink(err);
	snprintf(err, sizeof(err), "%s/new.txt", tmpl);
	unlink(err);
	rmdir(tmpl);
	return fails;
}

static char self_exe[4096];

static void run_as_root(bool copy)
{
	if (geteuid() != 0)
		unit_skip("the root sandbox needs root (the rootless tests cover this user)");
	setenv(HOST_SECRET_VAR, "host-only", 1);
	alarm(CHILD_TIMEOUT_S);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(scenario_run(self_exe, copy, false));
	int code = wait_bounded(pid, CHILD_TIMEOUT_S);
	alarm(0);
	assert_int_equal(code, 0);
}

/* Can this user create a user namespace at all? Probed in a throwaway child. */
static bool userns_possible(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
	return pid > 0 && wait_bounded(pid, STEP_TIMEOUT_S) == 0;
}

static void run_rootless(bool copy)
{
	setenv(HOST_SECRET_VAR, "host-only", 1);
	if (geteuid() == 0)
		assert_int_equal(plant(ROOTLESS_PLANT), 0);
	alarm(CHILD_TIMEOUT_S);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)) {
			fprintf(stderr, "cannot become nobody: %s\n", strerror(errno));
			_exit(1);
		}
		if (!userns_possible()) {
			fprintf(stderr, "SKIP: unprivileged user namespaces are unavailable to uid %d here\n", (int)getuid());
			_exit(SKIP_CODE);
		}
		_exit(scenario_run(self_exe, copy, true));
	}
	int code = wait_bounded(pid, CHILD_TIMEOUT_S);
	alarm(0);
	if (geteuid() == 0)
		unlink(ROOTLESS_PLANT);
	if (code == SKIP_CODE)
		unit_skip("unprivileged user namespaces are unavailable to nobody here");
	assert_int_equal(code, 0);
}

static void test_root_overlay(void **state)
{
	run_as_root(false);
}

static void test_root_copy(void **state)
{
	run_as_root(true);
}

static void test_rootless_overlay(void **state)
{
	run_rootless(false);
}

static void test_rootless_copy(void **state)
{
	run_rootless(true);
}

static int inside_noop(void *arg)
{
	return 7;
}

/* Set-up errors come back as text; inside's return value comes back as the exit status. */
static void test_errors_and_status(void **state)
{
	char err[1024] = "";
	int status = -1;
	struct sandbox_config missing = {.workdir = "/nonexistent/server-folder"};
	struct sandbox_config bad_home = {.home = "/srv/alex"};
	struct sandbox_config plain = {0};

	if (geteuid() != 0 && !userns_possible())
		unit_skip("not root and no user namespace for this user");
	alarm(CHILD_TIMEOUT_S);
	assert_int_equal(sandbox_run(&missing, inside_noop, NULL, &status, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/server-folder"));
	assert_int_equal(sandbox_run(&bad_home, inside_noop, NULL, &status, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "under /home/"));
	assert_int_equal(sandbox_run(&plain, inside_noop, NULL, &status, err, sizeof(err)), 0);
	assert_int_equal(status, 7);
	alarm(0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		return probe_main();
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_and_status), cmocka_unit_test(test_root_overlay),
		cmocka_unit_test(test_root_copy), cmocka_unit_test(test_rootless_overlay),
		cmocka_unit_test(test_rootless_copy),
	};
	return unit_finish(cmocka_run_group_tests(tests, NULL, NULL));
}
