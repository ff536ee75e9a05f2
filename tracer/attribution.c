/* Attribution through /proc: net/{tcp,tcp6,udp,udp6} give the socket's inode (proc(5)),
 * /proc/PID/fd links name "socket:[INODE]", /proc/PID/stat gives the parent. */
#include "tracer/attribution.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "tracer/sandbox.h"

#define MAX_PROCESSES 4096
#define MAX_FDS 4096
#define CHAIN_DEPTH 4

/* /proc/net tables print addresses as the kernel's 32-bit words in hex, in host order. */
static void table_address(int family, const uint8_t addr[16], uint16_t port, char *out, size_t len)
{
	size_t n = 0;
	int words = family == 4 ? 1 : 4;

	for (int w = 0; w < words && n + 9 < len; w++) {
		uint32_t v;
		memcpy(&v, addr + 4 * w, 4);
		n += (size_t)snprintf(out + n, len - n, "%08X", v);
	}
	snprintf(out + n, len - n, ":%04X", port);
}

static unsigned long socket_inode(const char *table, const char *want)
{
	FILE *f = fopen(table, "r");
	char line[512], local[64];
	unsigned long inode = 0, ino;

	if (!f)
		return 0;
	if (!fgets(line, sizeof line, f)) {  /* the header */
		fclose(f);
		return 0;
	}
	while (!inode && fgets(line, sizeof line, f)) {
		/* sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(line, " %*s %63s %*s %*s %*s %*s %*s %*s %*s %lu", local, &ino) == 2 &&
		    strcmp(local, want) == 0)
			inode = ino;
	}
	fclose(f);
	return inode;
}

static bool owns_socket(const char *pid, const char *link_want)
{
	char dir[64], path[320], target[64];
	DIR *d;
	struct dirent *e;
	int seen = 0;
	bool hit = false;

	snprintf(dir, sizeof dir, "/proc/%.40s/fd", pid);
	if (!(d = opendir(dir)))
		return false;
	while (!hit && (e = readdir(d)) && seen++ < MAX_FDS) {
		ssize_t n;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		n = readlink(path, target, sizeof target - 1);
		if (n > 0) {
			target[n] = '\0';
			hit = strcmp(target, link_want) == 0;
		}
	}
	closedir(d);
	return hit;
}

static int owner_pid(unsigned long inode)
{
	char want[48];
	DIR *d = opendir("/proc");
	struct dirent *e;
	int seen = 0, pid = 0;

	if (!d)
		return 0;
	snprintf(want, sizeof want, "socket:[%lu]", inode);
	while (!pid && (e = readdir(d)) && seen < MAX_PROCESSES) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		seen++;
		if (owns_socket(e->d_name, want))
			pid = (int)strtol(e->d_name, NULL, 10);
	}
	closedir(d);
	return pid;
}

/* "PID cmdline" of one process, and its parent's pid (0 when unknown). */
static int describe(int pid, struct strbuf *out)
{
	char path[64], buf[300], stat[512];
	FILE *f;
	size_t n = 0;
	int ppid = 0;

	snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
	if ((f = fopen(path, "r"))) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	strbuf_printf(out, "%d %s", pid, n ? buf : "?");
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r"))) {
		if (fgets(stat, sizeof stat, f)) {
			/* pid (comm) state ppid: comm may hold spaces and parentheses */
			char *close = strrchr(stat, ')');
			if (close)
				sscanf(close + 1, " %*c %d", &ppid);
		}
		fclose(f);
	}
	return ppid;
}

char *attribution_find(int family, const uint8_t addr[16], uint16_t port, bool udp)
{
	char want[64];
	unsigned long inode;
	struct strbuf out = STRBUF_INIT(2048);
	int pid, depth = 0;
	int fam = family == 2 /* AF_INET */ ? 4 : 6;

	table_address(fam, addr, port, want, sizeof want);
	inode = socket_inode(udp ? (fam == 4 ? "/proc/net/udp" : "/proc/net/udp6")
				 : (fam == 4 ? "/proc/net/tcp" : "/proc/net/tcp6"), want);
	if (!inode || !(pid = owner_pid(inode)))
		return NULL;
	strbuf_puts(&out, "pid ");
	pid = describe(pid, &out);
	/* up to, not including, the sandbox's shell and PID 1: they are the tracer's */
	while (pid > 1 && !sandbox_is_shell(pid) && depth++ < CHAIN_DEPTH) {
		strbuf_puts(&out, depth == 1 ? " (parent " : ", ");
		pid = describe(pid, &out);
	}
	if (depth)
		strbuf_putc(&out, ')');
	return strbuf_take(&out);
}
