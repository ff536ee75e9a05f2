/* `mcpaudit batch`: audit a list of targets, each in a child process, into one folder with a resumable summary. */
#ifndef MCPAUDIT_BATCH_H
#define MCPAUDIT_BATCH_H

/* Run `mcpaudit batch LIST --out DIR [options]` (docs/batch.md). argv[0] is "batch".
 * Each target is audited by this same binary (/proc/self/exe audit ...) in its own process
 * group; the results go to DIR/reports/SLUG/ and one line each to DIR/summary.jsonl.
 * Returns the process exit code: 0 every target has a verdict and none is fail, 1 a verdict
 * is fail, 2 a target could not be audited, the batch was interrupted, or a usage error
 * (2 wins over 1). Blocks SIGCHLD, SIGINT, SIGTERM and SIGHUP while children run (they are
 * taken with sigtimedwait, so no handler and no global state) and restores the mask. */
int batch_main(int argc, char **argv);

#endif
