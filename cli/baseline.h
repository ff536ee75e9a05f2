/* `mcpaudit baseline REPORT.json`: write a policy accepting every finding of a report. */
#ifndef MCPAUDIT_CLI_BASELINE_H
#define MCPAUDIT_CLI_BASELINE_H

/* argv[0] is "baseline". Writes the policy ({"suppress": [...]}) to standard output or -o
 * FILE. Returns the exit code: 0 written (findings that cannot be named are listed on
 * stderr), 2 a usage error or a report that cannot be read. */
int baseline_main(int argc, char **argv);

#endif
