/* sandbox: namespaces, mounts, network and the server's confinement (issue 3, "Sandbox").
 *
 * Process tree of one run:
 *   caller --fork--> setup child: unshare(user when not root, net, mnt, pid, ipc, uts), uid/gid maps
 *                    --fork--> PID 1 of the new PID namespace: network, hostname, mounts, inside()
 *                              --sandbox_spawn--> a shell ("-bash": forwards signals, ends as the server did)
 *                                                 --fork--> the server (no capabilities, seccomp, limits)
 * Set-up errors travel to the caller as text over a close-on-exec pipe. When PID 1 returns from
 * inside(), the kernel kills the rest of its PID namespace, daemons included. */
#include "tracer/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <grp.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_SANITIZED 1
#endif
#endif
#ifdef SANDBOX_SANITIZED
#include <sanitizer/common_interface_defs.h>
#endif

#include "core/strbuf.h"
#include "tracer/host_scan.h"
#include "tracer/netlink.h"
#include "tracer/pids_cgroup.h"
#include "tracer/trust_store.h"

#define MSG_MAX 1024                          /* a set-up error, with the setting to change */
#define TMPFS_DEFAULT ((size_t)256 << 20)     /* /tmp, HOME, and the copied working folder */
#define SMALL_TMPFS "size=64k,mode=0755"      /* what hides a host directory: empty, tiny */
#define COPY_DEPTH_MAX 64                     /* working-folder copy: directory depth */
#define COPY_ENTRIES_MAX 200000               /* working-folder copy: files, dirs and links */
#define STAGE "/tmp"                          /* staging tmpfs, later covered by the private /tmp */
#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"
#define DEFAULT_LANG "C.UTF-8"

/* Host names a developer's machine might have, made of an owner and a machine (and at times
 * a number): a hundred and more, so no short list gives the sandbox away. */
static const char *const host_owners[] = {"alex", "sam", "jordan", "casey", "riley", "morgan", "taylor", "jamie",
					  "chris", "dana", "lee", "robin", "kim", "pat", "nico", "max"};
static const char *const host_machines[] = {"laptop", "carbon", "zenbook", "latitude", "workstation", "pc", "dev",
					    "mbp", "x1", "nuc", "framework", "tower"};

/* The host's runtime directories: the sockets of systemd, D-Bus, the container runtimes,
 * nscd and resolved, and secrets mounted by Kubernetes (/var/run/secrets) and Docker
 * (/run/secrets). Each gets an empty tmpfs; sockets elsewhere are found by socket_scan. */
static const char *const runtime_dirs[] = {"/run", "/var/run"};

/* Trees the sandbox replaces or hides whole: the socket walk need not enter them. */
static const char *const replaced_trees[] = {"/proc", "/sys", "/dev", "/tmp", "/run", "/var/run", "/home", "/root"};

/* Device nodes the sandbox's own /dev gets from the host's, as bubblewrap's --dev does:
 * harmless ones every runtime expects. No disk, loop, kvm, fuse or console. */
static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
static const struct {
	const char *name, *target;
} dev_links[] = {{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
		 {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"}};

static const char nsswitch_conf[] = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
				    "networks: files\nprotocols: files\nservices: files\n";

/* ---- set-up errors: text written to the caller's pipe ---- */

/* Formats the message into err (never fails; truncates). */
static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* In a set-up process: hands the message to the caller over the pipe and exits. */
static void __attribute__((noreturn, format(printf, 2, 3))) die(int msgfd, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)!write(msgfd, msg, strlen(msg));
	_exit(125);
}

static long read_sysctl(const char *path)
{
	char buf[32] = "";
	long v = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		char *end;
		v = strtol(buf, &end, 10);
		if (end == buf)
			v = -1;
	}
	return v;
}

/* Which system setting refuses unprivileged user namespaces, as advice to append to an error;
 * "" when none of the known ones does. */
static const char *userns_hint(void)
{
	if (read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		return " (AppArmor restricts unprivileged user namespaces: kernel.apparmor_restrict_unprivileged_userns"
		       " is 1; run as root, set it to 0 with sysctl, or give this program an AppArmor profile"
		       " that allows `userns,`)";
	if (read_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0)
		return " (unprivileged user namespaces are disabled: set kernel.unprivileged_userns_clone=1"
		       " with sysctl, or run as root)";
	if (read_sysctl("/proc/sys/user/max_user_namespaces") == 0)
		return " (user.max_user_namespaces is 0: set it to a positive value with sysctl, or run as root)";
	return "";
}

/* ---- small file helpers ---- */

/* Creates or truncates PATH (not through a final symlink) with CONTENT. */
static int write_file(const char *path, const char *content, size_t len, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return fail(err, errlen, "create %s: %s", path, strerror(errno));
	int rc = xwrite_all(fd, content, len);
	if (rc == 0 && fchmod(fd, mode) < 0)
		rc = -1;
	if (rc < 0)
		fail(err, errlen, "write %s: %s", path, strerror(errno));
	close(fd);
	return rc;
}

/* mkdir -p; existing directories are fine. */
static int mkdir_p(const char *path, mode_t mode, char *err, size_t errlen)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return fail(err, errlen, "mkdir %s: path too long", path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return fail(err, errlen, "mkdir %s: %s", buf, strerror(errno));
		*p = c;
		if (c == '\0')
			return 0;
	}
}

static int mount_tmpfs(const char *target, const char *opts, char *err, size_t errlen)
{
	if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		return fail(err, errlen, "mount tmpfs on %s: %s", target, strerror(errno));
	return 0;
}

static int bind_mount(const char *src, const char *target, char *err, size_t errlen)
{
	if (mount(src, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fail(err, errlen, "bind %s on %s: %s", src, target, strerror(errno));
	return 0;
}

/* ---- network namespace ---- */

/* IPv6 may be disabled on the host kernel (ipv6.disable=1): then there is nothing to route. */
static bool ipv6_missing(void)
{
	return errno == EAFNOSUPPORT || errno == EOPNOTSUPP;
}

/* lo up and every address local; a veth pair (or lo itself) carrying documentation-range
 * addresses. Returns 0, or -1 with err naming the request that failed. */
static int net_setup(char *err, size_t errlen)
{
	struct netlink nl = {.fd = -1};
	const char *ifname = "lo";
	char ignored[256];
	int rc = -1;

	if (netlink_open(&nl, err, errlen) < 0)
		goto out;
	if (netlink_link_up(&nl, "lo", err, errlen) < 0)
		goto out;
	if (netlink_route_local_all(&nl, "lo", AF_INET, err, errlen) < 0)
		goto out;
	if (netlink_route_local_all(&nl, "lo", AF_INET6, err, errlen) < 0 && !ipv6_missing())
		goto out;
	/* An ordinary-looking eth0; where veth is missing, the addresses go on lo (all that
	 * matters to AI_ADDRCONFIG is that they are not loopback addresses). */
	if (netlink_veth_add(&nl, "eth0", "eth1", ignored, sizeof(ignored)) == 0 &&
	    netlink_link_up(&nl, "eth1", ignored, sizeof(ignored)) == 0 &&
	    netlink_link_up(&nl, "eth0", ignored, sizeof(ignored)) == 0)
		ifname = "eth0";
	/* host routes only (/32, /128): a /24 route would beat `local 0.0.0.0/0` for its whole
	 * subnet in the merged IPv4 table, and connections there would leave by the veth,
	 * unseen by the sinkholes and the capture */
	if (netlink_addr_add(&nl, ifname, SANDBOX_ADDR4, 32, err, errlen) < 0)
		goto out;
	if (netlink_addr_add(&nl, ifname, SANDBOX_ADDR6, 128, err, errlen) < 0 && !ipv6_missing())
		goto out;
	rc = 0;
out:
	netlink_close(&nl);
	return rc;
}

/* ---- mounts ---- */

struct mount_plan {
	const struct sandbox_config *cfg;
	const char *hostname;
	bool rootless;
	char workdir[4096];      /* the working folder's resolved path; "" when none */
	char user_home[4096];    /* the invoking user's resolved HOME; "" when none */
	int workdir_fd;          /* the original working folder, opened before anything is hidden */
	int merged_fd;           /* O_PATH: the writable view of it prepared in the staging area */
	int empty_fd;            /* O_PATH: the staged empty file, bound over sockets after /tmp is covered */
	const struct host_scan *scan;
};

/* The credential decoys in place, for sandbox_covered_credentials: set in PID 1 only. */
static VEC(char *) covered;

/* An empty tmpfs over each runtime directory that is a directory of its own (/var/run is
 * mostly a symlink to /run, covered with it). */
static int hide_runtime_dirs(char *err, size_t errlen)
{
	struct stat st;

	for (size_t i = 0; i < sizeof runtime_dirs / sizeof runtime_dirs[0]; i++)
		if (lstat(runtime_dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    mount_tmpfs(runtime_dirs[i], SMALL_TMPFS, err, errlen))
			return -1;
	return 0;
}

/* The staged empty file bound over every socket file the host walk found that is still
 * there (the working folder's own view included). */
static int cover_sockets(const struct mount_plan *mp, char *err, size_t errlen)
{
	char src[64];
	struct stat st;

	snprintf(src, sizeof src, "/proc/self/fd/%d", mp->empty_fd);
	for (size_t i = 0; mp->scan && i < mp->scan->sockets.len; i++) {
		const char *path = mp->scan->sockets.items[i];
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && bind_mount(src, path, err, errlen))
			return -1;
	}
	return 0;
}

/* One decoy: an empty file of its own in the staging area, bound over a host file, or
 * created where the path lies in a hiding tmpfs (/run/secrets/...). Its path joins covered. */
static int cover_credential(const char *path, size_t n, char *err, size_t errlen)
{
	char staged[64];
	struct stat st;
	char *copy;

	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return 0;
		snprintf(staged, sizeof staged, STAGE "/c%zu", n);
		if (write_file(staged, "", 0, 0644, err, errlen) || bind_mount(staged, path, err, errlen))
			return -1;
	} else {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", path);
		*strrchr(dir, '/') = '\0';
		/* only inside a hiding tmpfs: a folder missing elsewhere is not the host's */
		if (strncmp(path, "/run/", 5) && strncmp(path, "/var/run/", 9))
			return 0;
		if ((dir[0] && mkdir_p(dir, 0755, err, errlen)) || write_file(path, "", 0, 0644, err, errlen))
			return -1;
	}
	if (!(copy = strdup(path)) || vec_push(&covered, copy) != 0) {
		free(copy);
		return fail(err, errlen, "out of memory");
	}
	return 0;
}

static int cover_credentials(const struct mount_plan *mp, char *err, size_t errlen)
{
	for (size_t i = 0; mp->scan && i < mp->scan->creds.len; i++)
		if (cover_credential(mp->scan->creds.items[i], i, err, errlen))
			return -1;
	return 0;
}

const char *const *sandbox_covered_credentials(size_t *n)
{
	*n = covered.len;
	return (const char *const *)covered.items;
}

/* Bind an empty staged file or an empty tmpfs over each host socket path that exists. */
static int hide_paths(const char *const *paths, size_t n, char *err, size_t errlen)
{
	struct stat st;
	for (size_t i = 0; i < n; i++) {
		if (!paths[i] || !*paths[i] || stat(paths[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) ? mount_tmpfs(paths[i], SMALL_TMPFS, err, errlen)
						: bind_mount(STAGE "/empty", paths[i], err, errlen))
			return -1;
	}
	return 0;
}

/* For a symlink whose target's folder is gone under a hiding tmpfs (/etc/resolv.conf ->
 * ../run/systemd/resolve/stub-resolv.conf): makes that folder in the tmpfs. */
static int symlink_parents(const char *link, char *err, size_t errlen)
{
	char target[4096], dir[8192];
	ssize_t n = readlink(link, target, sizeof target - 1);
	const char *slash = strrchr(link, '/');

	if (n <= 0 || !slash)
		return 0;
	target[n] = '\0';
	if (target[0] == '/')
		snprintf(dir, sizeof dir, "%s", target);
	else
		snprintf(dir, sizeof dir, "%.*s/%s", (int)(slash - link), link, target);
	*strrchr(dir, '/') = '\0';
	return dir[0] ? mkdir_p(dir, 0755, err, errlen) : 0;
}

/* Binds a staged file over a resolver file. A symlink into a directory hidden above (the
 * systemd-resolved stub) is dangling now: its target is created in the hiding tmpfs. */
static int bind_resolver_file(const char *staged, const char *target, char *err, size_t errlen)
{
	struct stat st;
	if (stat(target, &st) < 0) {
		if (lstat(target, &st) < 0)
			return 0; /* no such file on the host: the C library's defaults are local too */
		if (symlink_parents(target, err, errlen))
			return -1;
		int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return fail(err, errlen, "create the target of the symlink %s: %s", target, strerror(errno));
		close(fd);
	}
	return bind_mount(staged, target, err, errlen);
}

static int resolver_files(const struct mount_plan *mp, char *err, size_t errlen)
{
	char text[512];
	const char *ns = mp->cfg->nameserver ? mp->cfg->nameserver : SANDBOX_ADDR4;
	int n;

	n = snprintf(text, sizeof(text), "nameserver %s\n", ns);
	if (n >= (int)sizeof(text) || write_file(STAGE "/resolv.conf", text, (size_t)n, 0644, err, errlen))
		return fail(err, errlen, "write resolv.conf for nameserver %s", ns);
	n = snprintf(text, sizeof(text),
		     "127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n"
		     "ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
		     mp->hostname);
	if (n >= (int)sizeof(text) || write_file(STAGE "/hosts", text, (size_t)n, 0644, err, errlen))
		return fail(err, errlen, "write hosts");
	if (write_file(STAGE "/nsswitch.conf", nsswitch_conf, sizeof(nsswitch_conf) - 1, 0644, err, errlen))
		return -1;
	if (bind_resolver_file(STAGE "/resolv.conf", "/etc/resolv.conf", err, errlen) ||
	    bind_resolver_file(STAGE "/hosts", "/etc/hosts", err, errlen) ||
	    bind_resolver_file(STAGE "/nsswitch.conf", "/etc/nsswitch.conf", err, errlen))
		return -1;
	return 0;
}

#define ACCOUNTS_MAX ((size_t)4 << 20)  /* /etc/passwd or /etc/group read, at most */

/* A copy of the host's accounts file with one more line, bound over it. */
static int account_file(const char *host, const char *line, char *err, size_t errlen)
{
	char staged[64];
	char *text = malloc(ACCOUNTS_MAX + 512);
	size_t len = 0;
	ssize_t n = 0;
	int fd = open(host, O_RDONLY | O_CLOEXEC), rc = -1;

	if (fd < 0 || !text) {
		free(text);
		if (fd >= 0)
			close(fd);
		return fd < 0 ? 0 : fail(err, errlen, "out of memory");  /* no such file: the C library copes */
	}
	while (len < ACCOUNTS_MAX && (n = read(fd, text + len, ACCOUNTS_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n < 0 || len >= ACCOUNTS_MAX) {
		fail(err, errlen, "read %s: %s", host, n < 0 ? strerror(errno) : "too large");
		goto out;
	}
	if (len && text[len - 1] != '\n')
		text[len++] = '\n';
	len += (size_t)snprintf(text + len, 512, "%s\n", line);
	snprintf(staged, sizeof staged, STAGE "/%s", strrchr(host, '/') + 1);
	rc = write_file(staged, text, len, 0644, err, errlen) || bind_mount(staged, host, err, errlen) ? -1 : 0;
out:
	free(text);
	return rc;
}

/* As root the server's uid is SANDBOX_SERVER_ID, which the host's /etc/passwd does not know:
 * without an entry getpwuid fails (Node's os.userInfo() throws) and "I have no name!" would
 * say "sandbox". The fake HOME's user gets one, in /etc/passwd and /etc/group. */
static int server_account(const struct mount_plan *mp, char *err, size_t errlen)
{
	const char *home = mp->cfg->home, *user = home ? strrchr(home, '/') + 1 : NULL;
	char line[512];
	uid_t uid;
	gid_t gid;

	sandbox_server_ids(&uid, &gid);
	if (uid == geteuid() || !user || !*user)
		return 0;
	snprintf(line, sizeof line, "%s:x:%u:%u:%s:%s:/bin/bash", user, (unsigned)uid, (unsigned)gid, user, home);
	if (account_file("/etc/passwd", line, err, errlen))
		return -1;
	snprintf(line, sizeof line, "%s:x:%u:", user, (unsigned)gid);
	return account_file("/etc/group", line, err, errlen);
}

/* A relative path that stays below its base: no "..", no leading '/'. */
static bool relative_below(const char *p)
{
	if (!*p || *p == '/')
		return false;
	for (const char *s = p; *s; s = strchr(s, '/') ? strchr(s, '/') + 1 : s + strlen(s))
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0'))
			return false;
	return true;
}

/* Whether PATH is /root, or /home or /root below: a place the empty tmpfs cover. */
static bool under_hidden_home(const char *path)
{
	return !strncmp(path, "/home/", 6) || !strcmp(path, "/home") || !strncmp(path, "/root/", 6) ||
	       !strcmp(path, "/root");
}

/* The host's own user namespace maps every id to itself. */
static bool initial_userns(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long inside = 1, outside = 1, count = 0;
	bool initial;

	if (!f)
		return true;  /* cannot tell: assume the worst case, where NPROC counts the host */
	initial = fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0 && outside == 0 &&
		  count == 4294967295UL;
	fclose(f);
	return initial;
}

void sandbox_server_ids(uid_t *uid, gid_t *gid)
{
	bool host_root = geteuid() == 0 && initial_userns();

	*uid = host_root ? SANDBOX_SERVER_ID : geteuid();
	*gid = host_root ? SANDBOX_SERVER_ID : getegid();
}

/* Hands path to the server's ids, and dates it days back: a credential file made seconds
 * ago says "sandbox". age_s is how far back. */
static int give_to_server(const char *path, time_t age_s, char *err, size_t errlen)
{
	struct timespec when[2];
	uid_t uid;
	gid_t gid;

	sandbox_server_ids(&uid, &gid);
	clock_gettime(CLOCK_REALTIME, &when[0]);
	when[0].tv_sec -= age_s;
	when[1] = when[0];
	if (lchown(path, uid, gid) < 0 || utimensat(AT_FDCWD, path, when, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(err, errlen, "hand %s to the server: %s", path, strerror(errno));
	return 0;
}

/* A random age of 3 to 400 days, and a few hours more, for planted files. */
static time_t random_age(void)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (uint32_t)getpid() * 2654435761u;
	return (time_t)(3 + r % 398) * 86400 + (time_t)(r >> 9) % 86400;
}

int sandbox_give_to_server(const char *path)
{
	char ignored[256];

	return give_to_server(path, random_age(), ignored, sizeof ignored);
}

/* The folders from below home down to path's own, and path, handed to the server. */
static int give_path(const char *home, const char *path, char *err, size_t errlen)
{
	char buf[4096];
	time_t age = random_age();

	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + strlen(home) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		int rc = give_to_server(buf, age, err, errlen);
		*p = '/';
		if (rc)
			return -1;
	}
	return give_to_server(buf, age + 3600, err, errlen);
}

static int fake_home(const struct sandbox_config *cfg, char *err, size_t errlen)
{
	char path[4096];

	if (!cfg->home)
		return 0;
	/* The fake HOME must land on the tmpfs hiding /home or /root, never on the host's disk. */
	if (!relative_below(cfg->home + 1) || !under_hidden_home(cfg->home))
		return fail(err, errlen, "fake HOME %s: must be a path under /home/ or /root", cfg->home);
	if (mkdir_p(cfg->home, 0755, err, errlen))
		return -1;
	for (size_t i = 0; i < cfg->n_home_files; i++) {
		const struct sandbox_file *f = &cfg->home_files[i];
		if (!f->path || !relative_below(f->path))
			return fail(err, errlen, "HOME file %s: not a relative path below HOME", f->path ? f->path : "(null)");
		if (snprintf(path, sizeof(path), "%s/%s", cfg->home, f->path) >= (int)sizeof(path))
			return fail(err, errlen, "HOME file %s: path too long", f->path);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		if (mkdir_p(path, 0700, err, errlen))
			return -1;
		*slash = '/';
		if (write_file(path, f->content ? f->content : "", f->content_len, f->mode, err, errlen) ||
		    give_path(cfg->home, path, err, errlen))
			return -1;
	}
	return give_to_server(cfg->home, random_age() + 400 * 86400, err, errlen);
}

/* Hides /root, /home and the invoking user's HOME behind empty tmpfs; the fake HOME goes into
 * the one that holds it. */
static int homes(const struct mount_plan *mp, size_t tmp_max, char *err, size_t errlen)
{
	char opts[64];
	struct stat st;

	snprintf(opts, sizeof(opts), "size=%zu,mode=0755", tmp_max);
	if (stat("/root", &st) == 0 && mount_tmpfs("/root", opts, err, errlen))
		return -1;
	if (stat("/home", &st) == 0 && mount_tmpfs("/home", opts, err, errlen))
		return -1;
	/* A HOME elsewhere (/var/lib/ci, /work): hidden too, unless it is "/" itself. */
	if (mp->user_home[0] && strcmp(mp->user_home, "/") && !under_hidden_home(mp->user_home) &&
	    stat(mp->user_home, &st) == 0 && S_ISDIR(st.st_mode) && mount_tmpfs(mp->user_home, SMALL_TMPFS, err, errlen))
		return -1;
	return fake_home(mp->cfg, err, errlen);
}

/* Copies regular files, directories and symlinks from src to dst (both directory fds),
 * within *budget bytes and *entries entries. Returns 0, or -1 with err. */
static int copy_tree(int src, int dst, int depth, size_t *budget, size_t *entries, char *err, size_t errlen)
{
	char buf[65536];
	int rc = -1;
	int dfd = dup(src);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return fail(err, errlen, "copy the working folder: %s", strerror(errno));
	}
	if (depth > COPY_DEPTH_MAX) {
		fail(err, errlen, "copy the working folder: deeper than %d directories", COPY_DEPTH_MAX);
		goto out;
	}
	for (struct dirent *e; (e = readdir(d));) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(src, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (++*entries > COPY_ENTRIES_MAX) {
			fail(err, errlen, "copy the working folder: more than %d entries", COPY_ENTRIES_MAX);
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (mkdirat(dst, e->d_name, st.st_mode & 07777) < 0)
				goto io;
			int s = openat(src, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int t = openat(dst, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int sub = s >= 0 && t >= 0 ? copy_tree(s, t, depth + 1, budget, entries, err, errlen) : -2;
			if (s >= 0)
				close(s);
			if (t >= 0)
				close(t);
			if (sub == -2)
				goto io;
			if (sub < 0)
				goto out;
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlinkat(src, e->d_name, buf, sizeof(buf) - 1);
			if (n < 0)
				goto io;
			buf[n] = '\0';
			if (symlinkat(buf, dst, e->d_name) < 0)
				goto io;
		} else if (S_ISREG(st.st_mode)) {
			if ((size_t)st.st_size > *budget) {
				fail(err, errlen, "copy the working folder: larger than the cap (at %s)", e->d_name);
				goto out;
			}
			*budget -= (size_t)st.st_size;
			int s = openat(src, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			int t = openat(dst, e->d_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 07777);
			ssize_t n = 0;
			while (s >= 0 && t >= 0 && (n = read(s, buf, sizeof(buf))) > 0 && xwrite_all(t, buf, (size_t)n) == 0)
				;
			if (s >= 0)
				close(s);
			if (t >= 0)
				close(t);
			if (s < 0 || t < 0 || n != 0)
				goto io;
		}
		continue;
	io:
		fail(err, errlen, "copy the working folder: %s: %s", e->d_name, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	closedir(d);
	return rc;
}

/* The set-up's one walk of the working folder's view: every folder handed to uid/gid and,
 * when pem is set, the vendored certifi bundles given the run's CA on the way (walking the
 * overlay twice cost a fixed 50-100 ms on a node_modules tree). */
struct folder_walk {
	uid_t uid;
	gid_t gid;
	size_t entries;      /* folders seen, against COPY_ENTRIES_MAX */
	const char *pem;     /* the run's CA, or NULL: no bundles looked for, or one failed */
	int vendor_rc;       /* -1 once a bundle failed (vendor_err says why), else 0 */
	char vendor_err[MSG_MAX];
};

/* A bundle's failure stops the bundle search but not the handing over: the handing over's
 * own error, if it has one, is the one reported, as when the two were separate walks. */
static void vendor_folder(struct folder_walk *w, int dfd, const char *name, int depth)
{
	if (!w->pem || depth > TRUST_STORE_VENDORED_DEPTH)
		return;
	if (trust_store_vendored_folder(dfd, name, w->pem, w->vendor_err, sizeof w->vendor_err) < 0) {
		w->vendor_rc = -1;
		w->pem = NULL;
	}
}

/* Hands every folder of the tree at dfd (taken), named name, to w's uid/gid, so the server
 * may make files anywhere in its own folder, as it could after installing it itself. Files
 * keep their owner: a folder's copy-up in an overlay is metadata only, a file's would copy
 * its data. Links are not followed. */
static int give_folders(struct folder_walk *w, int dfd, const char *name, int depth, char *err, size_t errlen)
{
	DIR *d = fdopendir(dfd);
	int rc = 0;

	if (!d) {
		close(dfd);
		return fail(err, errlen, "hand the working folder to the server: %s", strerror(errno));
	}
	if (fchown(dirfd(d), w->uid, w->gid) < 0)
		rc = fail(err, errlen, "hand the working folder to the server: %s", strerror(errno));
	else
		vendor_folder(w, dirfd(d), name, depth);
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++w->entries > COPY_ENTRIES_MAX || depth >= COPY_DEPTH_MAX) {
			rc = fail(err, errlen, "hand the working folder to the server: more than %d folders, or deeper "
				  "than %d", COPY_ENTRIES_MAX, COPY_DEPTH_MAX);
			break;
		}
		int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		rc = sub < 0 ? fail(err, errlen, "hand the working folder to the server: %s: %s", e->d_name, strerror(errno))
			     : give_folders(w, sub, e->d_name, depth + 1, err, errlen);
	}
	closedir(d);
	return rc;
}

/* The working folder's view handed to the server's ids and its vendored bundles given pem
 * (may be NULL): one walk when both are to be done. */
static int workdir_own(const char *pem, char *err, size_t errlen)
{
	struct folder_walk w = {.pem = pem};

	sandbox_server_ids(&w.uid, &w.gid);
	if (w.uid == geteuid())
		return pem && trust_store_add_vendored(STAGE "/w/merged", pem, err, errlen) < 0 ? -1 : 0;
	if (give_folders(&w, open(STAGE "/w/merged", O_RDONLY | O_DIRECTORY | O_CLOEXEC), "", 0, err, errlen))
		return -1;
	if (w.vendor_rc < 0)
		snprintf(err, errlen, "%s", w.vendor_err);
	return w.vendor_rc;
}

/* Prepares STAGE/w/merged: an overlay over the original working folder (writes go to the
 * tmpfs under it), or a copy into that tmpfs where overlayfs is refused or unsuitable. */
static int workdir_prepare(struct mount_plan *mp, char *err, size_t errlen)
{
	const struct sandbox_config *cfg = mp->cfg;
	size_t max = cfg->workdir_max_bytes ? cfg->workdir_max_bytes : TMPFS_DEFAULT;
	char opts[256];
	struct stat st;

	snprintf(opts, sizeof(opts), "size=%zu,mode=0755", max);
	if (mkdir(STAGE "/w", 0700) < 0 || mount_tmpfs(STAGE "/w", opts, err, errlen))
		return fail(err, errlen, "staging the working folder: %s", strerror(errno));
	if (mkdir(STAGE "/w/merged", 0755) < 0 || fstat(mp->workdir_fd, &st) < 0)
		return fail(err, errlen, "staging the working folder: %s", strerror(errno));
	/* Rootless, files owned by a user outside the namespace's map cannot be copied up
	 * (EOVERFLOW on the first write), so overlay only a folder that is our own. */
	bool overlay = !cfg->workdir_copy && (!mp->rootless || st.st_uid == geteuid());
	if (overlay && mkdir(STAGE "/w/upper", 0755) == 0 && mkdir(STAGE "/w/work", 0755) == 0) {
		/* The original is reached through its fd: STAGE may be covering it right now. */
		snprintf(opts, sizeof(opts), "lowerdir=/proc/self/fd/%d,upperdir=%s,workdir=%s", mp->workdir_fd,
			 STAGE "/w/upper", STAGE "/w/work");
		if (mount("overlay", STAGE "/w/merged", "overlay", MS_NOSUID | MS_NODEV, opts) == 0)
			goto done;
	}
	int dst = open(STAGE "/w/merged", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t entries = 0;
	if (dst < 0)
		return fail(err, errlen, "staging the working folder: %s", strerror(errno));
	int rc = copy_tree(mp->workdir_fd, dst, 0, &max, &entries, err, errlen);
	if (rc == 0 && fchmod(dst, st.st_mode & 07777) < 0)
		rc = fail(err, errlen, "copy the working folder: %s", strerror(errno));
	close(dst);
	if (rc < 0)
		return -1;
done:
	/* As root the server is SANDBOX_SERVER_ID: its folders are its own, so it may make files
	 * anywhere in them (files keep the owners they had). A vendored certifi bundle is read by
	 * path, not through the variables: the CA is added to the working folder's copies (the
	 * sandbox's writable view). */
	if (workdir_own(cfg->trust_ca_pem, err, errlen))
		return -1;
	mp->merged_fd = open(STAGE "/w/merged", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (mp->merged_fd < 0)
		return fail(err, errlen, "staging the working folder: %s", strerror(errno));
	return 0;
}

static int workdir_bind(const struct mount_plan *mp, char *err, size_t errlen)
{
	char src[64];
	snprintf(src, sizeof(src), "/proc/self/fd/%d", mp->merged_fd);
	/* The target may sit under a tmpfs mounted above (/tmp, /root, a hidden HOME): the
	 * directories leading to it are created there; elsewhere it exists already. */
	if (mkdir_p(mp->workdir, 0755, err, errlen))
		return -1;
	return bind_mount(src, mp->workdir, err, errlen);
}

static long mount_setattr_call(int dirfd, const char *path, unsigned flags, struct mount_attr *attr)
{
#ifdef SYS_mount_setattr
	return syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof(*attr));
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* The whole tree read-only (mount_setattr with AT_RECURSIVE, Linux 5.12), then the sandbox's
 * own scratch mounts writable again. Without mount_setattr only / itself is made read-only:
 * the host mounts below it (/boot, /var on another disk) would stay writable, so that is an
 * error rather than a silent downgrade. */
static int read_only(const struct mount_plan *mp, char *err, size_t errlen)
{
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
	struct mount_attr rw = {.attr_clr = MOUNT_ATTR_RDONLY};
	struct stat st;
	const char *writable[] = {"/tmp", stat("/dev/shm", &st) == 0 ? "/dev/shm" : NULL, mp->cfg->home ? (strncmp(mp->cfg->home, "/root", 5) ? "/home" : "/root") : NULL,
				  mp->workdir[0] ? mp->workdir : NULL};

	if (mount_setattr_call(AT_FDCWD, "/", AT_RECURSIVE, &ro) < 0)
		return fail(err, errlen, "make the file system read-only (mount_setattr, Linux 5.12+): %s", strerror(errno));
	for (size_t i = 0; i < sizeof(writable) / sizeof(writable[0]); i++)
		if (writable[i] && mount_setattr_call(AT_FDCWD, writable[i], 0, &rw) < 0)
			return fail(err, errlen, "make %s writable again: %s", writable[i], strerror(errno));
	return 0;
}

static int resolve_paths(struct mount_plan *mp, char *err, size_t errlen)
{
	const char *home = getenv("HOME");
	if (home && *home && !realpath(home, mp->user_home))
		mp->user_home[0] = '\0';
	if (!mp->cfg->workdir)
		return 0;
	if (!realpath(mp->cfg->workdir, mp->workdir))
		return fail(err, errlen, "working folder %s: %s", mp->cfg->workdir, strerror(errno));
	mp->workdir_fd = open(mp->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mp->workdir_fd < 0)
		return fail(err, errlen, "working folder %s: %s", mp->workdir, strerror(errno));
	return 0;
}

/* A /dev of the sandbox's own, made in the staging area and moved over the host's: a
 * tmpfs with the harmless nodes bound from the host, a new devpts instance (no pty of the
 * host is reachable) with its ptmx, and an empty /dev/shm. */
static int dev_setup(char *err, size_t errlen)
{
	char path[128];

	if (mkdir(STAGE "/dev", 0755) < 0 || mount_tmpfs(STAGE "/dev", "size=64k,mode=0755", err, errlen))
		return fail(err, errlen, "the sandbox's /dev: %s", strerror(errno));
	for (size_t i = 0; i < sizeof dev_nodes / sizeof dev_nodes[0]; i++) {
		char host[64];
		snprintf(host, sizeof host, "/dev/%s", dev_nodes[i]);
		snprintf(path, sizeof path, STAGE "/dev/%s", dev_nodes[i]);
		if (write_file(path, "", 0, 0666, err, errlen) || bind_mount(host, path, err, errlen))
			return -1;
	}
	for (size_t i = 0; i < sizeof dev_links / sizeof dev_links[0]; i++) {
		snprintf(path, sizeof path, STAGE "/dev/%s", dev_links[i].name);
		if (symlink(dev_links[i].target, path) < 0)
			return fail(err, errlen, "symlink %s: %s", path, strerror(errno));
	}
	if (mkdir(STAGE "/dev/pts", 0755) < 0 || mkdir(STAGE "/dev/shm", 01777) < 0)
		return fail(err, errlen, "the sandbox's /dev: %s", strerror(errno));
	if (mount("devpts", STAGE "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") < 0)
		return fail(err, errlen, "mount a new devpts: %s", strerror(errno));
	if (mount_tmpfs(STAGE "/dev/shm", "size=64m,mode=1777", err, errlen))
		return -1;
	if (mount(STAGE "/dev", "/dev", NULL, MS_MOVE, NULL) < 0)
		return fail(err, errlen, "move the sandbox's /dev into place: %s", strerror(errno));
	return 0;
}

/* A sysfs of the sandbox's own network namespace: /sys/class/net then lists its interfaces,
 * as /proc/net/dev does, not the host's (and not the host's MAC addresses). Where the
 * kernel refuses (a container that masks parts of /sys), the host's stays: a signal that
 * remains, listed in docs/THREAT_MODEL.md. */
static void sysfs_setup(void)
{
	(void)mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
}

/* The mount namespace, in an order where each step still sees what it needs: paths resolved
 * first; the staging tmpfs on /tmp; resolver files and hidden sockets; homes; the working
 * folder prepared; the private /tmp stacked over the staging area (which stays mounted but
 * unreachable, keeping the bound files alive); a /proc of the new PID namespace; then
 * everything read-only except the scratch mounts. */
static int mounts_setup(struct mount_plan *mp, char *err, size_t errlen)
{
	const struct sandbox_config *cfg = mp->cfg;
	size_t tmp_max = cfg->tmp_max_bytes ? cfg->tmp_max_bytes : TMPFS_DEFAULT;
	const char *sockets[] = {getenv("XDG_RUNTIME_DIR"), getenv("SSH_AUTH_SOCK")};
	char opts[64];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail(err, errlen, "make mounts private: %s", strerror(errno));
	if (resolve_paths(mp, err, errlen))
		return -1;
	if (mount_tmpfs(STAGE, "size=1m,mode=0700", err, errlen))
		return -1;
	if (write_file(STAGE "/empty", "", 0, 0644, err, errlen))
		return -1;
	if ((mp->empty_fd = open(STAGE "/empty", O_PATH | O_CLOEXEC)) < 0)
		return fail(err, errlen, "staging: %s", strerror(errno));
	if (hide_runtime_dirs(err, errlen) || hide_paths(sockets, sizeof(sockets) / sizeof(sockets[0]), err, errlen))
		return -1;
	if (resolver_files(mp, err, errlen) || server_account(mp, err, errlen) || cover_credentials(mp, err, errlen))
		return -1;
	if (cfg->trust_ca_pem && trust_store_add(STAGE "/certs", cfg->trust_ca_pem, cfg->trust_ca_hashed_name, err, errlen) < 0)
		return -1;
	if (homes(mp, tmp_max, err, errlen))
		return -1;
	if (mp->workdir_fd >= 0 && workdir_prepare(mp, err, errlen))
		return -1;
	if (dev_setup(err, errlen))
		return -1;
	snprintf(opts, sizeof(opts), "size=%zu,mode=1777", tmp_max);
	if (mount_tmpfs("/tmp", opts, err, errlen))
		return -1;
	if (mp->merged_fd >= 0 && workdir_bind(mp, err, errlen))
		return -1;
	if (cover_sockets(mp, err, errlen))
		return -1;
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return fail(err, errlen, "mount /proc for the new PID namespace: %s", strerror(errno));
	sysfs_setup();
	return read_only(mp, err, errlen);
}

/* ---- the process tree ---- */

struct run {
	const struct sandbox_config *cfg;
	int (*inside)(void *arg);
	void *arg;
	int msgfd;          /* write end of the error pipe */
	bool rootless;
	char hostname[64];
	struct pids_cgroup cgroup;  /* as root with max_processes: the sandbox's; dir "" otherwise */
	struct host_scan scan;      /* the host's socket and credential files, found before the fork */
	volatile uint64_t *clock;   /* shared with PID 1: when inside() began and returned (ns) */
};

static uint64_t monotonic_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static double ms_between(uint64_t from, uint64_t to)
{
	return from && to >= from ? (double)(to - from) / 1e6 : -1;
}

/* The timing of one run, from the clocks taken around the walk and by PID 1 (timing may be NULL). */
static void timing_fill(struct sandbox_timing *timing, const struct run *run, const uint64_t t[3])
{
	if (!timing)
		return;
	timing->walk_ms = ms_between(t[0], t[1]);
	timing->walk_entries = run->scan.entries;
	timing->setup_ms = run->clock[0] ? ms_between(t[1], run->clock[0]) : -1;
	timing->teardown_ms = run->clock[1] ? ms_between(run->clock[1], t[2]) : -1;
}

static void __attribute__((noreturn)) pid1_main(struct run *run)
{
	char err[MSG_MAX];
	struct mount_plan mp = {.cfg = run->cfg, .hostname = run->hostname, .rootless = run->rootless,
				.workdir_fd = -1, .merged_fd = -1, .empty_fd = -1, .scan = &run->scan};

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Rootless, EPERM here is the AppArmor restriction: the user namespace was created but
	 * holds no capabilities. */
	if (net_setup(err, sizeof(err)) < 0)
		die(run->msgfd, "network namespace set-up: %s%s", err, run->rootless ? userns_hint() : "");
	if (sethostname(run->hostname, strlen(run->hostname)) < 0)
		die(run->msgfd, "sethostname: %s", strerror(errno));
	if (mounts_setup(&mp, err, sizeof(err)) < 0)
		die(run->msgfd, "%s", err);
	if (mp.workdir_fd >= 0)
		close(mp.workdir_fd);
	if (mp.merged_fd >= 0)
		close(mp.merged_fd);
	if (mp.empty_fd >= 0)
		close(mp.empty_fd);
	/* The caller's cwd may be under a path now hidden; a server spawned with no cwd of its
	 * own must not inherit a way back to it. */
	if (chdir(mp.workdir[0] ? mp.workdir : "/") < 0)
		die(run->msgfd, "chdir %s: %s", mp.workdir[0] ? mp.workdir : "/", strerror(errno));
	close(run->msgfd);
	run->clock[0] = monotonic_ns();
	int code = run->inside(run->arg);
	run->clock[1] = monotonic_ns();
	_exit(code & 0xff);
}

static int write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = xwrite_all(fd, text, strlen(text));
	close(fd);
	return rc;
}

/* Rootless: uid and gid 0 inside map to the caller's own ids (a process may map itself,
 * once setgroups is denied), so the set-up steps run with the namespace's capabilities. */
static int id_maps(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char line[64];
	snprintf(line, sizeof(line), "0 %u 1\n", (unsigned)uid);
	if (write_proc("/proc/self/uid_map", line) < 0)
		return fail(err, errlen, "write uid_map: %s", strerror(errno));
	if (write_proc("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		return fail(err, errlen, "write setgroups: %s", strerror(errno));
	snprintf(line, sizeof(line), "0 %u 1\n", (unsigned)gid);
	if (write_proc("/proc/self/gid_map", line) < 0)
		return fail(err, errlen, "write gid_map: %s", strerror(errno));
	return 0;
}

static int wait_exit_code(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 125;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A sanitizer build writes its reports to the file its log_path names, which the sandbox's
 * read-only view cannot create: the sanitizer then dies of that (exit 86) and the report is
 * lost, so a run looks like a server that never started. Inside the sandbox every report goes
 * to the process's stderr instead; for the server's child before execve that is the server's
 * stderr, whose end the trace keeps. Nothing in a release build. */
static void sanitizer_reports_to_stderr(void)
{
#ifdef SANDBOX_SANITIZED
	__sanitizer_set_report_fd((void *)(intptr_t)STDERR_FILENO);
#endif
}

static void __attribute__((noreturn)) setup_main(struct run *run)
{
	char err[MSG_MAX];
	int flags = CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;
	uid_t uid = getuid();
	gid_t gid = getgid();

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	sanitizer_reports_to_stderr();
	/* first, so that everything the sandbox ever starts is counted */
	if (run->cgroup.dir[0] && pids_cgroup_enter(&run->cgroup) < 0)
		die(run->msgfd, "entering the cgroup %s: %s", run->cgroup.dir, strerror(errno));
	if (run->rootless) {
		/* A process that changed uid (root -> nobody) is not dumpable, which makes its
		 * /proc/self/uid_map root's and unwritable to it. */
		(void)prctl(PR_SET_DUMPABLE, 1);
		flags |= CLONE_NEWUSER;
	}
	if (unshare(flags) < 0)
		die(run->msgfd, "unshare(%snet, mount, pid, ipc, uts): %s%s", run->rootless ? "user, " : "",
		    strerror(errno), run->rootless ? userns_hint() : "");
	if (run->rootless && id_maps(uid, gid, err, sizeof(err)) < 0)
		die(run->msgfd, "user namespace: %s%s", err, userns_hint());
	pid_t pid = fork();
	if (pid < 0)
		die(run->msgfd, "fork PID 1: %s", strerror(errno));
	if (pid == 0)
		pid1_main(run);
	close(run->msgfd);
	_exit(wait_exit_code(pid));
}

const char *sandbox_random_hostname(void)
{
	static char name[64];
	uint32_t r = 0;
	size_t owners = sizeof host_owners / sizeof host_owners[0], machines = sizeof host_machines / sizeof host_machines[0];

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = (uint32_t)getpid() * 2654435761u;
	if ((r >> 16) % 4 == 0)  /* one in four with a number, as second machines get */
		snprintf(name, sizeof name, "%s-%s%u", host_owners[r % owners], host_machines[(r >> 8) % machines],
			 2 + (r >> 20) % 8);
	else
		snprintf(name, sizeof name, "%s-%s", host_owners[r % owners], host_machines[(r >> 8) % machines]);
	return name;
}

static void pick_hostname(const struct sandbox_config *cfg, char *out, size_t len)
{
	snprintf(out, len, "%s", cfg->hostname ? cfg->hostname : sandbox_random_hostname());
}

/* As root, a pids cgroup; rootless, nothing to do here (RLIMIT_NPROC in sandbox_spawn). */
static void process_limit(struct run *run)
{
	const struct sandbox_config *cfg = run->cfg;
	char why[400];

	if (!cfg->max_processes || run->rootless)
		return;
	if (pids_cgroup_create(&run->cgroup, cfg->max_processes, why, sizeof why) < 0 && cfg->limit_note &&
	    cfg->limit_note_len)
		snprintf(cfg->limit_note, cfg->limit_note_len, "%s", why);
}

/* Whether path lies at or below one of the trees the sandbox replaces. */
static bool in_replaced_tree(const char *path)
{
	for (size_t i = 0; i < sizeof replaced_trees / sizeof replaced_trees[0]; i++) {
		size_t n = strlen(replaced_trees[i]);
		if (!strncmp(path, replaced_trees[i], n) && (path[n] == '/' || path[n] == '\0'))
			return true;
	}
	return false;
}

/* The credential paths named absolutely: a file as it is, a folder's files one level down
 * (Docker's /run/secrets/NAME, Kubernetes' .../serviceaccount/token through its symlinks). */
static int absolute_credentials(struct host_scan *scan, const char *const *paths)
{
	char path[4096];
	struct stat st;

	for (const char *const *p = paths; p && *p; p++) {
		DIR *d;
		if (stat(*p, &st) < 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			char *copy = S_ISREG(st.st_mode) ? strdup(*p) : NULL;
			if (copy && vec_push(&scan->creds, copy) != 0)
				free(copy);
			continue;
		}
		if (!(d = opendir(*p)))
			continue;
		for (struct dirent *e; (e = readdir(d));) {
			if (e->d_name[0] == '.' || snprintf(path, sizeof path, "%s/%s", *p, e->d_name) >= (int)sizeof path)
				continue;
			char *copy = stat(path, &st) == 0 && S_ISREG(st.st_mode) && scan->creds.len < HOST_SCAN_FOUND_MAX
					     ? strdup(path) : NULL;
			if (copy && vec_push(&scan->creds, copy) != 0)
				free(copy);
		}
		closedir(d);
	}
	return 0;
}

/* In the caller, before anything is hidden: every socket file and stray credential file of
 * the host, the working folder's sockets too when it lies in a tree the walk skips. */
static int scan_host(struct run *run, char *err, size_t errlen)
{
	const struct sandbox_config *cfg = run->cfg;
	char home[4096] = "", workdir[4096] = "";
	const char *skip[sizeof replaced_trees / sizeof replaced_trees[0] + 1];
	size_t n = 0;

	if (getenv("HOME") && !realpath(getenv("HOME"), home))
		home[0] = '\0';
	if (cfg->workdir && !realpath(cfg->workdir, workdir))
		workdir[0] = '\0';
	for (; n < sizeof replaced_trees / sizeof replaced_trees[0]; n++)
		skip[n] = replaced_trees[n];
	skip[n++] = strcmp(home, "/") ? home : NULL;
	struct host_scan_plan all = {"/", skip, n, cfg->cred_names, workdir[0] ? workdir : NULL};
	struct host_scan_plan own = {workdir, NULL, 0, NULL, NULL};
	if (host_scan_run(&run->scan, &all) < 0 || (workdir[0] && in_replaced_tree(workdir) &&
						      host_scan_run(&run->scan, &own) < 0) ||
	    absolute_credentials(&run->scan, cfg->cred_paths) < 0)
		return fail(err, errlen, "looking for the host's socket files: out of memory");
	if (run->scan.cut_short && cfg->hiding_note && cfg->hiding_note_len)
		snprintf(cfg->hiding_note, cfg->hiding_note_len, "the walk for the host's socket and credential files "
			 "stopped early (%s): sockets and files past that point were not covered", run->scan.why);
	return 0;
}

int sandbox_run(const struct sandbox_config *cfg, int (*inside)(void *arg), void *arg, int *exit_status, char *err,
		size_t errlen)
{
	struct run run = {.cfg = cfg, .inside = inside, .arg = arg, .rootless = geteuid() != 0};
	char msg[MSG_MAX];
	int fds[2];
	size_t got = 0;

	uint64_t t[3] = {monotonic_ns(), 0, 0};

	pick_hostname(cfg, run.hostname, sizeof(run.hostname));
	if (scan_host(&run, err, errlen) < 0) {
		host_scan_free(&run.scan);
		return -1;
	}
	t[1] = monotonic_ns();
	run.clock = mmap(NULL, 2 * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (run.clock == MAP_FAILED) {
		host_scan_free(&run.scan);
		return fail(err, errlen, "mmap: %s", strerror(errno));
	}
	process_limit(&run);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		pids_cgroup_remove(&run.cgroup);
		host_scan_free(&run.scan);
		munmap((void *)run.clock, 2 * sizeof(uint64_t));
		return fail(err, errlen, "pipe: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		pids_cgroup_remove(&run.cgroup);
		host_scan_free(&run.scan);
		munmap((void *)run.clock, 2 * sizeof(uint64_t));
		return fail(err, errlen, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		run.msgfd = fds[1];
		setup_main(&run);
	}
	close(fds[1]);
	int code = wait_exit_code(pid);
	pids_cgroup_remove(&run.cgroup);
	host_scan_free(&run.scan);
	/* Every writer has exited (the setup child waited for PID 1, which closed its copy before
	 * inside()), so this read ends at once. */
	for (ssize_t n; got < sizeof(msg) - 1 && (n = read(fds[0], msg + got, sizeof(msg) - 1 - got)) != 0;) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	t[2] = monotonic_ns();
	timing_fill(cfg->timing, &run, t);
	munmap((void *)run.clock, 2 * sizeof(uint64_t));
	msg[got] = '\0';
	if (got > 0)
		return fail(err, errlen, "sandbox: %s", msg);
	*exit_status = code;
	return 0;
}

/* ---- the server's confinement ---- */

/* Calls an MCP server never needs, refused with EPERM (clone3 and io_uring with ENOSYS, so
 * glibc falls back to clone, whose flags the filter can see, and libuv to plain I/O, whose
 * sockets it can see). Names unknown to this libseccomp or architecture are skipped. */
static const struct {
	const char *name;
	int err;
} refused_calls[] = {
	{"mount", EPERM}, {"umount2", EPERM}, {"umount", EPERM}, {"pivot_root", EPERM}, {"chroot", EPERM},
	{"unshare", EPERM}, {"setns", EPERM}, {"ptrace", EPERM}, {"process_vm_readv", EPERM},
	{"process_vm_writev", EPERM}, {"init_module", EPERM}, {"finit_module", EPERM}, {"delete_module", EPERM},
	{"kexec_load", EPERM}, {"kexec_file_load", EPERM}, {"bpf", EPERM}, {"perf_event_open", EPERM},
	{"keyctl", EPERM}, {"add_key", EPERM}, {"request_key", EPERM}, {"open_tree", EPERM}, {"move_mount", EPERM},
	{"fsopen", EPERM}, {"fsconfig", EPERM}, {"fsmount", EPERM}, {"fspick", EPERM}, {"mount_setattr", EPERM},
	{"open_by_handle_at", EPERM}, {"userfaultfd", EPERM}, {"clone3", ENOSYS}, {"io_uring_setup", ENOSYS},
	{"io_uring_enter", ENOSYS}, {"io_uring_register", ENOSYS},
};

/* Socket options that pick the interface a packet leaves by (SO_BINDTODEVICE,
 * SO_BINDTOIFINDEX, IP_UNICAST_IF, IPV6_UNICAST_IF; numbers from linux/socket.h and
 * linux/in.h, linux/in6.h, stable ABI). */
static const struct {
	int level, name;
} interface_binds[] = {{SOL_SOCKET, 25}, {SOL_SOCKET, 62}, {0 /* IPPROTO_IP */, 50}, {41 /* IPPROTO_IPV6 */, 76}};

/* Namespace flags refused in clone(2); its first argument is the flags on every architecture
 * libseccomp supports here except s390, where the filter would see the stack pointer. */
static const uint64_t clone_ns_flags[] = {CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWPID,
					  CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWTIME};

/* The filter as BPF: 0 with *prog owning a malloc'd program, or -1 with err. */
static int filter_export(scmp_filter_ctx ctx, struct sock_fprog *prog, char *err, size_t errlen)
{
	int memfd = memfd_create("filter", MFD_CLOEXEC), rc = -1;
	struct stat st;

	if (memfd < 0 || seccomp_export_bpf(ctx, memfd) < 0 || fstat(memfd, &st) < 0 || st.st_size <= 0 ||
	    st.st_size % (off_t)sizeof(struct sock_filter) != 0) {
		fail(err, errlen, "seccomp: export the filter: %s", strerror(errno));
		goto out;
	}
	prog->filter = malloc((size_t)st.st_size);
	prog->len = (unsigned short)((size_t)st.st_size / sizeof(struct sock_filter));
	if (!prog->filter || pread(memfd, prog->filter, (size_t)st.st_size, 0) != st.st_size) {
		fail(err, errlen, "seccomp: read the filter back");
		free(prog->filter);
		prog->filter = NULL;
		goto out;
	}
	rc = 0;
out:
	if (memfd >= 0)
		close(memfd);
	return rc;
}

/* Builds the filter in the caller (so the forked child only installs it, without allocating)
 * and exports it as BPF. Returns 0 with *prog owning a malloc'd program (caller frees
 * prog->filter), or -1 with err. */
static int filter_build(struct sock_fprog *prog, char *err, size_t errlen)
{
	static const int inet[] = {AF_INET, AF_INET6};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = -1;

	prog->filter = NULL;
	if (!ctx)
		return fail(err, errlen, "seccomp_init failed");
	for (size_t i = 0; i < sizeof(refused_calls) / sizeof(refused_calls[0]); i++) {
		int nr = seccomp_syscall_resolve_name(refused_calls[i].name);
		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(refused_calls[i].err), nr, 0) < 0) {
			fail(err, errlen, "seccomp rule for %s", refused_calls[i].name);
			goto out;
		}
	}
	for (size_t i = 0; i < sizeof(clone_ns_flags) / sizeof(clone_ns_flags[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, clone_ns_flags[i], clone_ns_flags[i])) < 0) {
			fail(err, errlen, "seccomp rule for clone");
			goto out;
		}
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_PACKET)) < 0) {
		fail(err, errlen, "seccomp rule for socket(AF_PACKET)");
		goto out;
	}
	/* The socket type carries SOCK_NONBLOCK/SOCK_CLOEXEC above its low four bits. */
	for (size_t i = 0; i < 2; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 2, SCMP_A0(SCMP_CMP_EQ, (uint64_t)inet[i]),
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_RAW)) < 0 ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 2, SCMP_A0(SCMP_CMP_EQ, (uint64_t)inet[i]),
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_PACKET)) < 0) {
			fail(err, errlen, "seccomp rule for raw sockets");
			goto out;
		}
	/* Binding a socket to an interface sends around the routes that take everything to lo
	 * (and its sinkholes): refused, so every datagram goes where the capture sees it. */
	for (size_t i = 0; i < sizeof interface_binds / sizeof interface_binds[0]; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setsockopt), 2,
				     SCMP_A1(SCMP_CMP_EQ, (uint64_t)interface_binds[i].level),
				     SCMP_A2(SCMP_CMP_EQ, (uint64_t)interface_binds[i].name)) < 0) {
			fail(err, errlen, "seccomp rule for setsockopt");
			goto out;
		}
	/* TIOCSTI pushes input into a terminal the tracer may share. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI)) < 0) {
		fail(err, errlen, "seccomp rule for ioctl(TIOCSTI)");
		goto out;
	}
	rc = filter_export(ctx, prog, err, errlen);
out:
	seccomp_release(ctx);
	return rc;
}

/* The calls that arm a timer whose signal or expiry can wake a process blocked with no
 * time-out: the listener sees them so that the quiet period never ends early after one
 * (unix_watch_timers). alarm(2) is absent on some architectures (aarch64). */
static int notify_timer_rules(scmp_filter_ctx ctx)
{
	int alarm_nr = seccomp_syscall_resolve_name("alarm");

	if (alarm_nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, alarm_nr, 1, SCMP_A0(SCMP_CMP_NE, 0)) < 0)
		return -1;
	if (seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(setitimer), 1, SCMP_A0(SCMP_CMP_EQ, ITIMER_REAL)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(timer_settime), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(timerfd_settime), 0) < 0)
		return -1;
	return 0;
}

/* The second filter: connect, and sendto with an address, go to a listener (unix_watch), and
 * the timer calls. Returns 0 with *prog owning a malloc'd program, or -1 with err. */
static int notify_filter_build(struct sock_fprog *prog, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = -1;

	prog->filter = NULL;
	if (!ctx)
		return fail(err, errlen, "seccomp_init failed");
	if (seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(connect), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(sendto), 1, SCMP_A4(SCMP_CMP_NE, 0)) < 0 ||
	    notify_timer_rules(ctx) < 0) {
		fail(err, errlen, "seccomp notify rules");
		goto out;
	}
	rc = filter_export(ctx, prog, err, errlen);
out:
	seccomp_release(ctx);
	return rc;
}

/* In the child: installs the notify filter and hands its listener to the parent over sock
 * (sendmsg, which the filter does not stop). Returns 0 or -1 with errno. */
static int listener_send(const struct sock_fprog *prog, int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte = 'L';
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	struct cmsghdr *c;

	if (fd < 0)
		return -1;
	memset(cbuf, 0, sizeof cbuf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	close(fd);
	return n == 1 ? 0 : -1;
}

/* In the parent: the listener the child sent, or -1 (it failed, or exited, first). */
static int listener_receive(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	struct cmsghdr *c;
	int fd = -1;
	ssize_t n;

	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

/* PATH, LANG and sc->env, as a NULL-terminated array (caller frees the array and its strings
 * with env_free). NULL on allocation failure. */
static char **env_build(const struct spawn_config *sc)
{
	size_t n = 0;
	while (sc->env && sc->env[n])
		n++;
	char **env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	size_t plen = strlen(sc->path ? sc->path : DEFAULT_PATH) + 6;
	size_t llen = strlen(sc->lang ? sc->lang : DEFAULT_LANG) + 6;
	env[0] = malloc(plen);
	env[1] = malloc(llen);
	for (size_t i = 0; i < n; i++)
		env[2 + i] = strdup(sc->env[i]);
	if (env[0])
		snprintf(env[0], plen, "PATH=%s", sc->path ? sc->path : DEFAULT_PATH);
	if (env[1])
		snprintf(env[1], llen, "LANG=%s", sc->lang ? sc->lang : DEFAULT_LANG);
	for (size_t i = 0; i < n + 2; i++)
		if (!env[i]) {
			for (size_t j = 0; j < n + 2; j++)
				free(env[j]);
			free(env);
			return NULL;
		}
	return env;
}

static void env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

/* stdin/stdout/stderr onto the given fds, every other fd close-on-exec (the report pipe must
 * live until execve). The given fds are first copied above 2 so that none is overwritten by
 * an earlier dup2. */
static int fds_setup(int in, int out, int errfd)
{
	int src[3] = {in, out, errfd};
	int tmp[3];
	for (int i = 0; i < 3; i++)
		if ((tmp[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) < 0)
			return -1;
	for (int i = 0; i < 3; i++)
		if (dup2(tmp[i], i) < 0)
			return -1;
	if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	/* close_range (Linux 5.11) missing: walk the open fds instead. */
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		int fd = (int)strtol(e->d_name, NULL, 10);
		if (fd > 2 && fd != dirfd(d))
			(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	closedir(d);
	return 0;
}

static int limits_set(const struct sandbox_limits *l)
{
	const struct {
		int resource;
		rlim_t value;
	} table[] = {{RLIMIT_DATA, l->memory_bytes}, {RLIMIT_NPROC, l->processes}, {RLIMIT_NOFILE, l->open_files},
		     {RLIMIT_FSIZE, l->file_bytes}, {RLIMIT_CPU, l->cpu_seconds}};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct rlimit r = {table[i].value, table[i].value};
		if (table[i].value && setrlimit(table[i].resource, &r) < 0)
			return -1;
	}
	return 0;
}

/* As root: the server's own host ids (SANDBOX_SERVER_ID), no supplementary groups. The
 * securebits set before keep the capabilities until caps_drop clears them. */
static int ids_set(void)
{
	uid_t uid;
	gid_t gid;

	sandbox_server_ids(&uid, &gid);
	if (uid == geteuid() && gid == getegid())
		return 0;  /* rootless: the namespace's uid 0 is the caller already */
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -1;
	return 0;
}

/* Every capability gone for good: securebits locked so uid 0 regains nothing at execve, the
 * bounding and ambient sets emptied, the server's ids taken, then the three process sets
 * zeroed. */
static int caps_drop(void)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3];

	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
					   SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED) < 0)
		return -1;
	for (unsigned long cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break; /* past the kernel's last capability */
			return -1;
		}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -1;
	if (ids_set() < 0)
		return -1;
	memset(none, 0, sizeof(none));
	return (int)syscall(SYS_capset, &hdr, none);
}

/* What the forked child installs: the refusing filter, and the notify one with the socket
 * its listener goes back over (-1: none). */
struct filters {
	struct sock_fprog refuse, notify;
	int listener_sock;
};

static void __attribute__((noreturn)) spawn_child(const struct spawn_config *sc, int in, int out, int errfd, char **env,
						  const struct filters *fl, int report)
{
	char msg[512];
	const char *step;

	if (fds_setup(in, out, errfd) < 0) {
		step = "redirect stdio";
		goto fail;
	}
	step = "chdir";
	if (sc->cwd && chdir(sc->cwd) < 0)
		goto fail;
	step = "drop capabilities";
	if (caps_drop() < 0)
		goto fail;
	step = "no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		goto fail;
	step = "seccomp";
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fl->refuse) < 0)
		goto fail;
	step = "seccomp listener";
	if (fl->listener_sock >= 0 && listener_send(&fl->notify, fl->listener_sock) < 0)
		goto fail;
	/* Last before execve: a sanitizer build's address space already counts terabytes of
	 * shadow towards RLIMIT_DATA, so any memory its runtime maps after this fails and kills
	 * the child before the server ever runs. execvpe maps nothing. */
	step = "setrlimit";
	if (limits_set(&sc->limits) < 0)
		goto fail;
	execvpe(sc->argv[0], (char *const *)sc->argv, env);
	snprintf(msg, sizeof(msg), "execvp %s: %s", sc->argv[0], strerror(errno));
	goto report;
fail:
	snprintf(msg, sizeof(msg), "%s: %s", step, strerror(errno));
report:
	(void)!write(report, msg, strlen(msg));
	_exit(127);
}

/* ---- the shell between PID 1 and the server ---- */

/* Where this process's arguments live ([start, end) of /proc/self/stat's arg_start and
 * arg_end). Only read(2) and strtoul: it runs in a child forked from a threaded process.
 * Returns 0, or -1 when unreadable. */
static int arg_area(unsigned long *start, unsigned long *end)
{
	char buf[2048];
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	char *p;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');  /* the name may hold spaces and parentheses */
	/* after the name: state is field 3, arg_start field 48, arg_end field 49 */
	for (int field = 2; p && field < 48; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -1;
	*start = strtoul(p + 1, &p, 10);
	*end = strtoul(p, NULL, 10);
	return *end > *start ? 0 : -1;
}

int sandbox_disguise(const char *cmdline, const char *comm)
{
	unsigned long start, end;
	size_t len = strlen(cmdline);

	if (arg_area(&start, &end) < 0 || end - start < len + 2)
		return -1;
	memset((char *)start, 0, end - start);
	memcpy((char *)start, cmdline, len);
	/* A last byte that is not NUL makes the kernel read the area up to its first NUL, as
	 * after setproctitle(3): /proc/self/cmdline is then the text alone, no trail of NULs. */
	((char *)start)[end - start - 1] = ' ';
	return prctl(PR_SET_NAME, comm, 0, 0, 0);
}

static volatile sig_atomic_t shell_server;  /* in the shell: the server's pid */
static volatile sig_atomic_t last_shell;    /* in PID 1: the shell sandbox_spawn made last */

bool sandbox_is_shell(pid_t pid)
{
	return pid > 0 && pid == (pid_t)last_shell;
}

static void shell_forward(int sig)
{
	if (shell_server > 0)
		kill((pid_t)shell_server, sig);
}

/* Every signal that can be caught, but SIGCHLD, goes on to the server. */
static void shell_forward_all(void)
{
	struct sigaction sa = {.sa_handler = shell_forward, .sa_flags = SA_RESTART};

	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			(void)sigaction(sig, &sa, NULL);  /* glibc's own signals give EINVAL */
}

/* Ends as the server ended: its exit code, or killed by the same signal (no core file). */
static void __attribute__((noreturn)) shell_exit_like(int status)
{
	if (WIFSIGNALED(status)) {
		struct rlimit no_core = {0, 0};
		sigset_t one;
		int sig = WTERMSIG(status);

		(void)setrlimit(RLIMIT_CORE, &no_core);
		(void)signal(sig, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, sig);
		(void)sigprocmask(SIG_UNBLOCK, &one, NULL);
		kill(getpid(), sig);
		_exit(128 + sig);  /* a signal whose default is not to end a process */
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 125);
}

/* The process sandbox_spawn returns: named like a login shell ("-bash", comm "bash"), so that
 * the server's parent is not PID 1, it forks the server, closes every fd (the server's pipes
 * must see their end when the server's copies close), forwards every signal it gets and
 * ends exactly as the server ended. Signals come in blocked (saved: the server's mask). Only
 * async-signal-safe calls: it is forked from a threaded process. */
static void __attribute__((noreturn)) shell_main(const struct spawn_config *sc, int in, int out, int errfd, char **env,
						 const struct filters *fl, int report, const sigset_t *server_mask)
{
	int status;
	pid_t server;

	(void)sandbox_disguise("-bash", "bash");
	server = fork();
	if (server < 0) {
		(void)!write(report, "fork: the shell could not fork", 30);
		_exit(127);
	}
	if (server == 0) {
		(void)sigprocmask(SIG_SETMASK, server_mask, NULL);
		spawn_child(sc, in, out, errfd, env, fl, report);
	}
	shell_server = server;
	if (syscall(SYS_close_range, 0u, ~0u, 0u) < 0) {
		struct rlimit r;
		int top = getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < 1048576 ? (int)r.rlim_cur : 1048576;
		for (int fd = 0; fd < top; fd++)
			(void)close(fd);  /* close_range (Linux 5.9) missing */
	}
	shell_forward_all();
	(void)sigprocmask(SIG_SETMASK, server_mask, NULL);
	for (;;) {
		pid_t w = waitpid(server, &status, 0);
		if (w == server)
			shell_exit_like(status);
		if (w < 0 && errno != EINTR)
			_exit(125);
	}
}

pid_t sandbox_spawn(const struct spawn_config *sc_in, int stdin_fd, int stdout_fd, int stderr_fd, char *err,
		    size_t errlen)
{
	struct spawn_config local = *sc_in, *sc = &local;
	struct filters fl = {{0, NULL}, {0, NULL}, -1};
	char **env = NULL;
	int fds[2] = {-1, -1}, socks[2] = {-1, -1};
	pid_t pid = -1;
	char msg[512];
	sigset_t all, mask;

	if (!sc->argv || !sc->argv[0])
		return fail(err, errlen, "spawn: no command");
	/* RLIMIT_NPROC counts per user namespace: in the host's it would count all of root's
	 * processes, and the sandbox's pids cgroup limits the server instead */
	if (sc->limits.processes && initial_userns())
		local.limits.processes = 0;
	if (sc->listener)
		*sc->listener = -1;
	if (filter_build(&fl.refuse, err, errlen) < 0)
		goto out;
	if (sc->listener && (notify_filter_build(&fl.notify, err, errlen) < 0 ||
			     socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, socks) < 0)) {
		fail(err, errlen, "spawn: the seccomp listener: %s", strerror(errno));
		goto out;
	}
	fl.listener_sock = socks[1];
	env = env_build(sc);
	if (!env) {
		fail(err, errlen, "spawn: out of memory");
		goto out;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		fail(err, errlen, "spawn: pipe: %s", strerror(errno));
		goto out;
	}
	sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &mask);
	pid = fork();
	if (pid == 0)
		shell_main(sc, stdin_fd, stdout_fd, stderr_fd, env, &fl, fds[1], &mask);
	(void)pthread_sigmask(SIG_SETMASK, &mask, NULL);
	last_shell = pid;
	if (pid < 0) {
		fail(err, errlen, "spawn: fork: %s", strerror(errno));
		goto out;
	}
	close(fds[1]);
	fds[1] = -1;
	if (socks[1] >= 0) {
		close(socks[1]);
		socks[1] = -1;
		*sc->listener = listener_receive(socks[0]);
	}
	/* EOF: execve closed the pipe, the server runs. Text: a step failed before it. */
	ssize_t n;
	while ((n = read(fds[0], msg, sizeof(msg) - 1)) < 0 && errno == EINTR)
		;
	if (n > 0) {
		msg[n] = '\0';
		fail(err, errlen, "spawn %s: %s", sc->argv[0], msg);
		(void)wait_exit_code(pid);
		pid = -1;
		if (sc->listener && *sc->listener >= 0) {
			close(*sc->listener);
			*sc->listener = -1;
		}
	}
out:
	for (int i = 0; i < 2; i++)
		if (socks[i] >= 0)
			close(socks[i]);
	free(fl.notify.filter);
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	env_free(env);
	free(fl.refuse.filter);
	return pid;
}
