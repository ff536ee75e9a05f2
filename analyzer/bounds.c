/* The table of the evaluator's bounds that can drop part of a destination. */
#include "analyzer/bounds.h"

#include "analyzer/eval.h"
#include "analyzer/flow.h"
#include "analyzer/value.h"

static const struct bound_info bounds[BOUND_COUNT] = {
	[BOUND_STEPS] = {"EVAL_MAX_STEPS", EVAL_MAX_STEPS, "evaluation steps"},
	[BOUND_DEPTH] = {"EVAL_MAX_DEPTH", EVAL_MAX_DEPTH, "levels of nesting"},
	[BOUND_REACHING] = {"MAX_REASSIGNED", MAX_REASSIGNED, "assignments reaching a read"},
	[BOUND_BINDINGS] = {"MAX_BINDINGS", MAX_BINDINGS, "assignments of one name"},
	[BOUND_CONDITIONAL] = {"MAX_CONDITIONAL", MAX_CONDITIONAL, "bindings that may not have run, followed back"},
	[BOUND_MEMBER_ALTS] = {"MEMBER_MAX_ALTS", MEMBER_MAX_ALTS, "alternatives a member is taken of"},
	[BOUND_MEMBER_WEIGHT] = {"MEMBER_MAX_WEIGHT", MEMBER_MAX_WEIGHT, "values in a member spread over alternatives"},
	[BOUND_CONCAT_ALTS] = {"CONCAT_MAX_ALTS", CONCAT_MAX_ALTS, "alternatives of a concatenation"},
	[BOUND_PARTS] = {"VALUE_MAX_PARTS", VALUE_MAX_PARTS, "pieces of one string"},
	[BOUND_PROPS] = {"VALUE_MAX_PROPS", VALUE_MAX_PROPS, "properties of one object"},
	[BOUND_ITEMS] = {"VALUE_MAX_ITEMS", VALUE_MAX_ITEMS, "items of one array or set of alternatives"},
	[BOUND_TEXT] = {"VALUE_MAX_TEXT", VALUE_MAX_TEXT, "bytes of one string"},
	[BOUND_LOCAL_CALLERS] = {"MAX_LOCAL_CALLERS", MAX_LOCAL_CALLERS, "callers read for a parameter"},
	[BOUND_CALLER_DEPTH] = {"MAX_CALLER_DEPTH", MAX_CALLER_DEPTH, "levels of callers in one file"},
	[BOUND_EMIT_ALTS] = {"EMIT_MAX_ALTS", EMIT_MAX_ALTS, "destinations of one call site"},
	[BOUND_FLOW_DEPTH] = {"FLOW_MAX_DEPTH", FLOW_MAX_DEPTH, "levels of callers in other modules"},
	[BOUND_FLOW_CALLERS] = {"FLOW_MAX_CALLERS", FLOW_MAX_CALLERS, "callers in other modules of one function"},
	[BOUND_WRAPPER_CALLERS] = {"WRAPPER_MAX_CALLERS", WRAPPER_MAX_CALLERS, "callers of a sink wrapper in its file"},
	[BOUND_CALLER_SITES] = {"MAX_CALLER_SITES", MAX_CALLER_SITES, "per-caller readings of one call site"},
	[BOUND_FLOW_SITES] = {"FLOW_MAX_SITES", FLOW_MAX_SITES, "readings of one sink through callers in other modules"},
};

const struct bound_info *bound_info(enum bound b)
{
	return &bounds[b];
}
