/* Placeholder until the analyzer lands. */
#include "analyzer/static_stage.h"
#include <stdio.h>
int static_stage_run(const struct scan_options *o, struct report *r, char *err, size_t errlen)
{
	(void)o; (void)r;
	snprintf(err, errlen, "static stage not built yet");
	return -1;
}
