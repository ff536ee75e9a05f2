/* Finding wide nodes with one cursor walk, and matching around them without recursion
 * (a hostile file can nest a wide node 100,000 deep). */
#include "analyzer/wide.h"

/* The cost of n's children for ts_tree_cursor_current_status: each unnamed child scans
 * ahead to the next named sibling. Sets *longest to the longest run. */
static uint64_t run_cost(TSNode n, uint32_t *longest)
{
	TSTreeCursor cur = ts_tree_cursor_new(n);
	uint64_t cost = 0, run = 0;

	*longest = 0;
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			if (ts_node_is_named(ts_tree_cursor_current_node(&cur))) {
				cost += run * run / 2;
				run = 0;
			} else if (++run > *longest) {
				*longest = (uint32_t)run;
			}
		} while (ts_tree_cursor_goto_next_sibling(&cur));
	}
	cost += run * run / 2;
	ts_tree_cursor_delete(&cur);
	return cost;
}

bool cursor_skip_subtree(TSTreeCursor *cur)
{
	while (!ts_tree_cursor_goto_next_sibling(cur))
		if (!ts_tree_cursor_goto_parent(cur))
			return false;
	return true;
}

static bool is_wide(TSNode n, struct wide_list *out)
{
	uint32_t longest;

	if (ts_node_child_count(n) < WIDE_MIN_CHILDREN || run_cost(n, &longest) <= WIDE_COST)
		return false;
	if (out->n == WIDE_MAX) {
		out->overflow = true;
		return false;
	}
	out->nodes[out->n++] = n;
	if (longest > out->longest_run)
		out->longest_run = longest;
	return true;
}

/* Whether the subtree of n, at depth, can hold neither a wide node nor one deeper than
 * max_depth: a node's children and the depth below it are both fewer than its descendants
 * (ts_node_descendant_count counts n itself and the nodes a cursor visits, in O(1)). */
static bool nothing_below(TSNode n, uint32_t depth, uint32_t max_depth)
{
	uint32_t d = ts_node_descendant_count(n);

	return d <= WIDE_MIN_CHILDREN && depth + d <= max_depth + 1;
}

void wide_find(TSNode root, uint32_t max_depth, struct wide_list *out)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	uint32_t depth = 0;

	out->n = 0;
	out->overflow = false;
	out->too_deep = false;
	out->longest_run = 0;
	out->visited = 0;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		out->visited++;
		/* a wide node's children are not searched: the queries skip it whole; nor is a
		 * subtree too small to hold one or to nest too deep (most of a file: the walk
		 * over every node was 3-4% of a scan) */
		if (depth > max_depth)
			out->too_deep = true;
		else if (!nothing_below(n, depth, max_depth) && !is_wide(n, out) &&
			 ts_tree_cursor_goto_first_child(&cur)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&cur)) {
			if (!ts_tree_cursor_goto_parent(&cur))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&cur);
}

/* 1 when n is a wide node, 2 when it holds one, 0 otherwise. */
static int wide_relation(const struct wide_list *w, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	int rel = 0;

	for (size_t i = 0; i < w->n; i++) {
		if (ts_node_eq(w->nodes[i], n))
			return 1;
		if (ts_node_start_byte(w->nodes[i]) >= a && ts_node_end_byte(w->nodes[i]) <= b)
			rel = 2;
	}
	return rel;
}

bool wide_pieces(TSNode root, const struct wide_list *w, bool (*piece)(void *ctx, TSNode n), void *ctx)
{
	TSTreeCursor cur;
	unsigned calls = 0;
	bool whole = true;

	if (!w->n)
		return piece(ctx, root);
	cur = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		int rel = wide_relation(w, n);
		if (rel && ts_tree_cursor_goto_first_child(&cur))
			continue;
		/* the tokens of a wide node hold no calls: only its named children are matched */
		if (!rel && (ts_node_is_named(n) || ts_node_child_count(n))) {
			if (++calls > WIDE_MAX_PIECES || !piece(ctx, n)) {
				whole = false;
				break;
			}
		}
		if (!cursor_skip_subtree(&cur))
			break;
	}
	ts_tree_cursor_delete(&cur);
	return whole;
}
