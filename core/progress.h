/* progress: a status line on stderr for a person waiting at a terminal (files/s of a scan,
 * the phase of a trace), redrawn in place at most PROGRESS_HZ times a second and erased at
 * the end. Only ever on a terminal: the caller decides (isatty, --quiet) and passes
 * enabled; a disabled progress does nothing, so pipes and files never see it. */
#ifndef MCPAUDIT_PROGRESS_H
#define MCPAUDIT_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#define PROGRESS_HZ 10

struct progress;

/* Whether a status line belongs on stderr: it is a terminal and the user did not ask for
 * quiet (or for a per-item log, verbose, which the line would garble). */
bool progress_wanted(bool quiet, bool verbose);

/* A status line on f drawn by its own thread; with enabled false (or when the thread cannot
 * start) a progress that does nothing. Caller frees with progress_end. NULL only when
 * memory runs out, and every function accepts NULL. */
struct progress *progress_new(FILE *f, bool enabled);
/* The line to show now (printf-style, cleaned of control characters when drawn). Cheap:
 * it only stores the text; the thread draws it within 1/PROGRESS_HZ s. Thread-safe. */
void progress_set(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Seconds since progress_new (for rates). */
double progress_elapsed(const struct progress *p);
/* Stop the thread, erase the line, free p. */
void progress_end(struct progress *p);

#endif
