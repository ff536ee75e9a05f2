/* pep508: decide whether a Python requirement a package names may be handed to pip on the
 * auditing host, and read its name, extras and marker.
 *
 * A requirement reaches pip's command line (after "--", in an empty folder), so only the
 * registry form of PEP 508 is accepted: a project name, optional [extras], optional
 * version specifiers (PEP 440 operators), optional "; marker". Refused, with the reason:
 * a direct reference ("name @ URL"), anything pip reads as a path or an archive file
 * ("./dir", "evilsdist.tar.gz"), an option ("-e ./dir", "--index-url=..."), and anything
 * outside the grammar. https://peps.python.org/pep-0508/ */
#ifndef MCPAUDIT_PEP508_H
#define MCPAUDIT_PEP508_H

#include <stdbool.h>
#include <stddef.h>

#define PEP508_NAME_MAX 200   /* longer names are refused */
#define PEP508_EXTRAS_MAX 512 /* bytes of the extras list kept */

struct pep508 {
	char normal[PEP508_NAME_MAX + 1];    /* the name, PEP 503 normalised ("zope-interface") */
	char extras[PEP508_EXTRAS_MAX];      /* requested extras, normalised, ",a,b," ("" none) */
	char marker_extras[PEP508_EXTRAS_MAX]; /* extras the marker compares "extra" with, same form */
	size_t plain_off, plain_len;         /* where in the text the name, extras and
					      * specifiers are (without the marker and spaces) */
	bool has_marker;
};

/* Parse text as a registry requirement. Returns true and fills out, or false with why
 * saying what it is instead ("a direct URL reference", "an option"). */
bool pep508_parse(const char *text, struct pep508 *out, char *why, size_t whylen);

/* Whether list (",a,b," as in struct pep508) holds extra (normalised). */
bool pep508_has_extra(const char *list, const char *extra);

/* PEP 503 normalisation of a project or extra name into out ("Zope.Interface" ->
 * "zope-interface"); truncated to len. */
void pep508_normalise(const char *name, size_t n, char *out, size_t len);

#endif
