/* observe: join the two stages' views of each endpoint (is it in the code? did the run
 * contact it?) and judge the audit as a whole (the verdict). */
#ifndef MCPAUDIT_OBSERVE_H
#define MCPAUDIT_OBSERVE_H

#include "core/policy.h"
#include "core/report.h"

/* Set every endpoint's observed state from its evidence and the other endpoints' (a host
 * the code names is the same destination as the connection the run made to it, whatever
 * the port or protocol each stage saw). Needs r->static_ran and r->dynamic_ran. */
void observe_endpoints(struct report *r);

/* After policy_apply: a hidden-egress finding (high) for each hidden endpoint to an
 * undocumented host. Returns 0 or -1 (out of memory). */
int observe_hidden_egress(struct report *r);

/* The verdict, from the unsuppressed findings against p->fail_on and p->review_on, and
 * from what could not be checked. static_only: the user chose not to run the server.
 * Returns 0 or -1 (out of memory). */
int observe_verdict(struct report *r, const struct policy *p, bool static_only);

#endif
