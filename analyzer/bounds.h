/* The evaluator's bounds that can drop part of a destination, as bits a value carries
 * (struct value.bounds): each bound that cut something out of a value sets its bit, the bits
 * travel with the value like its flags, and the report lists each bound that reached a call
 * site's destination under `incomplete`, naming the bound and the site (docs/static-engine.md). */
#ifndef MCPAUDIT_BOUNDS_H
#define MCPAUDIT_BOUNDS_H

/* The breadth bounds (the work bounds EVAL_MAX_STEPS and EVAL_MAX_DEPTH are in eval.h, the
 * value caps VALUE_MAX_* in value.h); why each figure is what it is is said where it is used. */
#define MAX_REASSIGNED 8        /* eval.c reaching(), reassigned() */
#define MAX_BINDINGS 64         /* eval.c reaching() */
#define MAX_CONDITIONAL 4       /* eval.c binding_value() */
#define MEMBER_MAX_ALTS 8       /* eval.c member_of_each() */
#define MEMBER_MAX_WEIGHT 64    /* eval.c member_of_each() */
#define CONCAT_MAX_ALTS 8       /* value.c value_concat() */
#define MAX_LOCAL_CALLERS 4     /* eval.c eval_local_callers() */
#define MAX_CALLER_DEPTH 3      /* eval.c param_value() */
#define EMIT_MAX_ALTS 8         /* emit.c alternatives() */
#define WRAPPER_MAX_CALLERS 256 /* analyze.c expand_callers(): callers of a sink wrapper read one by one */
#define MAX_CALLER_SITES 256    /* analyze.c expand_callers(): readings one call site becomes */

enum bound {
	BOUND_STEPS,          /* EVAL_MAX_STEPS: one evaluation's steps */
	BOUND_DEPTH,          /* EVAL_MAX_DEPTH: nesting of one evaluation */
	BOUND_REACHING,       /* MAX_REASSIGNED: assignments reaching a read */
	BOUND_BINDINGS,       /* MAX_BINDINGS: assignments of one name looked at */
	BOUND_CONDITIONAL,    /* MAX_CONDITIONAL: bindings that may not have run, followed back */
	BOUND_MEMBER_ALTS,    /* MEMBER_MAX_ALTS: alternatives a member is taken of */
	BOUND_MEMBER_WEIGHT,  /* MEMBER_MAX_WEIGHT: size of a member spread over alternatives */
	BOUND_CONCAT_ALTS,    /* CONCAT_MAX_ALTS: alternatives of a concatenation */
	BOUND_PARTS,          /* VALUE_MAX_PARTS: pieces of one string */
	BOUND_PROPS,          /* VALUE_MAX_PROPS: properties of one object */
	BOUND_ITEMS,          /* VALUE_MAX_ITEMS: items of one array or alternative */
	BOUND_TEXT,           /* VALUE_MAX_TEXT: bytes of one string */
	BOUND_LOCAL_CALLERS,  /* MAX_LOCAL_CALLERS: callers read for a parameter */
	BOUND_CALLER_DEPTH,   /* MAX_CALLER_DEPTH: levels of callers in one file */
	BOUND_EMIT_ALTS,      /* EMIT_MAX_ALTS: destinations reported for one call site */
	BOUND_FLOW_DEPTH,     /* FLOW_MAX_DEPTH: callers of callers in other modules */
	BOUND_FLOW_CALLERS,   /* FLOW_MAX_CALLERS: callers in other modules per parameter */
	BOUND_FLOW_SITES,
	BOUND_WRAPPER_CALLERS, /* WRAPPER_MAX_CALLERS: callers of a sink wrapper in its file */
	BOUND_CALLER_SITES,   /* MAX_CALLER_SITES: per-caller readings of one call site */     /* FLOW_MAX_SITES: readings of one sink through callers in other modules */
	BOUND_COUNT
};

struct bound_info {
	const char *name;     /* the #define, as the docs name it */
	unsigned limit;
	const char *what;     /* "assignments reaching a read" */
};

/* The table entry of b (b < BOUND_COUNT). */
const struct bound_info *bound_info(enum bound b);

#define BOUND_BIT(b) (1u << (b))

#endif
