/* The rule catalogue: stable ids, default severities, and the text each report shows. */
#ifndef MCPAUDIT_RULES_H
#define MCPAUDIT_RULES_H

#include <stdbool.h>

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

struct rule {
	const char *id;           /* "undocumented-egress" */
	enum severity severity;   /* default severity */
	const char *title;        /* one line */
	const char *help;         /* what it means and what to do, a paragraph */
};

/* The catalogue, ending with an entry whose id is NULL. */
extern const struct rule rules[];

/* Borrowed pointer to the rule called id, or NULL. */
const struct rule *rule_find(const char *id);

const char *severity_name(enum severity s);
/* Parse "info".."critical"; returns false when name is none of them. */
bool severity_parse(const char *name, enum severity *out);

#endif
