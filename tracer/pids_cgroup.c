/* pids_cgroup: see pids_cgroup.h. */
#include "tracer/pids_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Where a hierarchy is mounted and the path of its root inside it. */
struct mount {
	char point[PATH_MAX];
	char root[PATH_MAX];
};

static bool has_token(const char *list, const char *token)
{
	size_t n = strlen(token);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, token, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* The mount of cgroup v1's pids hierarchy (v2 false) or of cgroup v2 (v2 true). mountinfo:
 * "id parent maj:min root point options [optional...] - fstype source superoptions". */
static bool find_mount(bool v2, struct mount *m)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof line, f)) {
		char root[PATH_MAX], point[PATH_MAX], fstype[64], super[1024];
		const char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		if (strchr(point, '\\') || strchr(root, '\\'))
			continue;  /* an escaped name: never a cgroup mount of ours */
		if (v2 ? strcmp(fstype, "cgroup2") == 0 : strcmp(fstype, "cgroup") == 0 && has_token(super, "pids")) {
			snprintf(m->point, sizeof m->point, "%s", point);
			snprintf(m->root, sizeof m->root, "%s", root);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* The caller's cgroup in that hierarchy, from /proc/self/cgroup ("id:controllers:path"). */
static bool own_path(bool v2, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 128];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof line, f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		line[strcspn(line, ":")] = '\0';
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		if (v2 ? strcmp(line, "0") == 0 && c1[1] == '\0' : has_token(c1 + 1, "pids")) {
			snprintf(out, len, "%s", c2 + 1);
			found = true;
		}
	}
	fclose(f);
	return found;
}

static int write_text(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX + 32];
	int fd, rc = -1, saved;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) == (ssize_t)strlen(text))
		rc = 0;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* The caller's cgroup directory: the mount point plus its path, less the mount's root
 * (a container sees its own cgroup as the root of a bind mount). */
static bool parent_dir(bool v2, char *out, size_t len)
{
	struct mount m;
	char path[PATH_MAX];
	size_t rl;

	if (!find_mount(v2, &m) || !own_path(v2, path, sizeof path))
		return false;
	rl = strlen(m.root);
	const char *rest = strcmp(m.root, "/") != 0 && !strncmp(path, m.root, rl) ? path + rl : path;
	return snprintf(out, len, "%s%s", m.point, rest) < (int)len;
}

static int make_child(struct pids_cgroup *cg, const char *parent, unsigned long max, char *err, size_t errlen)
{
	char text[32];
	unsigned r = (unsigned)time(NULL) ^ (unsigned)getpid() << 8;

	snprintf(cg->dir, sizeof cg->dir, "%s/mcpaudit-%ld-%x", parent, (long)getpid(), r);
	if (mkdir(cg->dir, 0755) < 0) {
		snprintf(err, errlen, "mkdir %s: %s", cg->dir, strerror(errno));
		cg->dir[0] = '\0';
		return -1;
	}
	snprintf(text, sizeof text, "%lu", max);
	if (write_text(cg->dir, "pids.max", text) < 0) {
		snprintf(err, errlen, "%s/pids.max: %s", cg->dir, strerror(errno));
		pids_cgroup_remove(cg);
		return -1;
	}
	return 0;
}

int pids_cgroup_create(struct pids_cgroup *cg, unsigned long max, char *err, size_t errlen)
{
	char parent[PATH_MAX];

	cg->dir[0] = '\0';
	if (parent_dir(false, parent, sizeof parent))
		return make_child(cg, parent, max, err, errlen);
	if (!parent_dir(true, parent, sizeof parent)) {
		snprintf(err, errlen, "no cgroup v1 pids hierarchy or cgroup v2 mount in /proc/self/mountinfo");
		return -1;
	}
	/* v2: the controller must be on in the parent for the child to have pids.max; a parent
	 * that holds processes (other than the root) refuses, and says EBUSY */
	if (write_text(parent, "cgroup.subtree_control", "+pids") < 0) {
		snprintf(err, errlen, "cannot enable the pids controller in %s: %s", parent, strerror(errno));
		return -1;
	}
	return make_child(cg, parent, max, err, errlen);
}

int pids_cgroup_enter(const struct pids_cgroup *cg)
{
	/* "0" is the writer itself, in v1 and v2 alike */
	return write_text(cg->dir, "cgroup.procs", "0");
}

void pids_cgroup_remove(struct pids_cgroup *cg)
{
	/* the last processes are still being torn down for a moment after the wait returns */
	for (int i = 0; cg->dir[0] && i < 200; i++) {
		if (rmdir(cg->dir) == 0 || errno == ENOENT)
			break;
		if (errno != EBUSY)
			break;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	cg->dir[0] = '\0';
}
