/* progress: see progress.h. A thread draws so that the callers (a scan's workers, a
 * trace's driver) never wait on the terminal, and so that a phase that lasts shows its
 * time going up instead of a frozen line. */
#include "core/progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/term.h"

#define PROGRESS_TEXT 200

struct progress {
	FILE *f;
	bool enabled;
	bool stop;
	bool changed;
	char text[PROGRESS_TEXT];
	struct timespec t0;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
};

bool progress_wanted(bool quiet, bool verbose)
{
	return !quiet && !verbose && isatty(STDERR_FILENO);
}

static void draw(struct progress *p)
{
	char text[PROGRESS_TEXT];

	pthread_mutex_lock(&p->lock);
	snprintf(text, sizeof text, "%s", p->text);
	p->changed = false;
	pthread_mutex_unlock(&p->lock);
	term_status(p->f, "%s", text);
	fflush(p->f);
}

/* Waits 1/PROGRESS_HZ s (or until stopped), then draws what changed meanwhile. */
static void *drawer(void *arg)
{
	struct progress *p = arg;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 1000000000L / PROGRESS_HZ;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->wake, &p->lock, &until);
		if (p->stop || !p->changed)
			continue;
		pthread_mutex_unlock(&p->lock);
		draw(p);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct progress *progress_new(FILE *f, bool enabled)
{
	struct progress *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->f = f;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->enabled = enabled && pthread_create(&p->thread, NULL, drawer, p) == 0;
	return p;
}

void progress_set(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (!p || !p->enabled)
		return;
	pthread_mutex_lock(&p->lock);
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof p->text, fmt, ap);
	va_end(ap);
	p->changed = true;
	pthread_mutex_unlock(&p->lock);
}

double progress_elapsed(const struct progress *p)
{
	struct timespec now;

	if (!p)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - p->t0.tv_sec) + (double)(now.tv_nsec - p->t0.tv_nsec) / 1e9;
}

void progress_end(struct progress *p)
{
	if (!p)
		return;
	if (p->enabled) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
		term_status_clear(p->f);
		fflush(p->f);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p);
}
