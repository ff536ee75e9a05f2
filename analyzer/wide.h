/* Wide nodes: a node with a long run of unnamed children (an ERROR node swallowing a
 * run of punctuation, an array of holes). tree-sitter's query cursor looks ahead from each
 * such child to the next named sibling, so matching over one costs the square of the run;
 * the queries are run around these nodes instead, piece by piece. */
#ifndef MCPAUDIT_WIDE_H
#define MCPAUDIT_WIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/* A run of r unnamed children costs about r*r/2 sibling steps per query pass: a node is
 * wide once its runs add up past this (one run of about 4,000 tokens). */
#define WIDE_COST ((uint64_t)8 << 20)
/* Nodes with fewer children than this cannot be wide: the walk does not count them. */
#define WIDE_MIN_CHILDREN 1024u
#define WIDE_MAX 64u
/* Around wide nodes, at most this many subtrees are matched one by one. */
#define WIDE_MAX_PIECES 50000u

struct wide_list {
	TSNode nodes[WIDE_MAX];
	size_t n;
	bool too_deep;          /* the tree nests deeper than the walk's max_depth */
	bool overflow;          /* more than WIDE_MAX: the ones past it are matched whole */
	uint32_t longest_run;   /* the longest run of unnamed children seen in a wide node */
	size_t visited;         /* nodes the walk looked at (subtrees too small are skipped whole) */
};

/* Move cur past its current node's subtree to the next node in document order (a sibling,
 * or an ancestor's sibling). False at the end of the tree the cursor was made on. */
bool cursor_skip_subtree(TSTreeCursor *cur);

/* Find the wide nodes under root, in document order (none nested in another), and whether
 * the tree nests deeper than max_depth (nodes below it are not searched: the queries start
 * no pattern there). One walk for both: it is a visible share of a scan's time. */
void wide_find(TSNode root, uint32_t max_depth, struct wide_list *out);

/* Call piece(ctx, n) for each subtree of root that holds no wide node, largest first: root
 * itself when there is none; otherwise the children of each ancestor of a wide node and the
 * named children of the wide node itself. Stops when piece returns false or after
 * WIDE_MAX_PIECES calls. Returns false when it stopped early. */
bool wide_pieces(TSNode root, const struct wide_list *w, bool (*piece)(void *ctx, TSNode n), void *ctx);

#endif
