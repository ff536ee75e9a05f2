/* pidns: whether the target still has a process in the sandbox (see the header). */
#include "tracer/pidns.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The state letter of /proc/PID/stat (proc(5): after the command in parentheses, which
 * may itself hold ") "), or 0 when it cannot be read (the process is gone). */
static char process_state(const char *pid)
{
	char path[64], buf[512];
	const char *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool pidns_others_alive(void)
{
	DIR *d = opendir("/proc");
	bool alive = false;

	if (!d)
		return true;
	for (struct dirent *e; !alive && (e = readdir(d));) {
		char state;
		if (!all_digits(e->d_name) || !strcmp(e->d_name, "1"))
			continue;
		state = process_state(e->d_name);
		/* Z: exited, not yet reaped; X: being torn down; 0: gone since readdir */
		alive = state && state != 'Z' && state != 'X';
	}
	closedir(d);
	return alive;
}
