/* term: what mcpaudit prints for a person on a terminal besides the report (stderr
 * messages, the status line). Any of it may carry the audited target's own strings (a
 * server name from a client configuration, a file name, a server's stderr): each goes
 * through report_clean's CLEAN_TERMINAL, so an escape sequence (clear the screen, a fake
 * "VERDICT: PASS", OSC 52 writing the clipboard) or a bidi override shows as text
 * ("\x1b", "\u202e") instead of acting. */
#ifndef MCPAUDIT_TERM_H
#define MCPAUDIT_TERM_H

#include <stdarg.h>
#include <stdio.h>

/* printf to f, with every control character of the formatted text escaped except one
 * final newline (so a message stays one line). Nothing when memory runs out. */
void term_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void term_vprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The status line: carriage return, the cleaned text, erase to the end of the line. */
void term_status(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Erase the status line. */
void term_status_clear(FILE *f);

#endif
