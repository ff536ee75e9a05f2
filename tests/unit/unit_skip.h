/* A unit test that cannot run here, made visible: cmocka's skip() alone prints "SKIPPED"
 * but the executable still exits 0, so ctest showed a pass. */
#ifndef MCPAUDIT_TESTS_UNIT_SKIP_H
#define MCPAUDIT_TESTS_UNIT_SKIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a unit test executable exits with when a test skipped and none failed; ctest's
 * SKIP_RETURN_CODE (tests/CMakeLists.txt) shows it as "Skipped", and never under CI. */
#define UNIT_SKIP_EXIT 77

static int unit_skipped;

static inline int unit_in_ci(void)
{
	const char *ci = getenv("CI");
	return ci && strcmp(ci, "true") == 0;
}

/* Ends the current test because WHY keeps it from running here. Under CI (CI=true, as .ci/run
 * runs as root with everything installed) that is a failure naming WHY; elsewhere a skip
 * that unit_finish turns into UNIT_SKIP_EXIT and that prints "SKIP: <test>: WHY". */
#define unit_skip(why)                                                                                \
	do {                                                                                          \
		if (unit_in_ci())                                                                     \
			fail_msg("%s: cannot run under CI=true: %s", __func__, (why));                \
		unit_skipped++;                                                                       \
		printf("SKIP: %s: %s\n", __func__, (why));                                            \
		fflush(stdout);                                                                       \
		skip();                                                                               \
	} while (0)

/* main's exit code from cmocka_run_group_tests' count of failed tests. */
static inline int unit_finish(int failed)
{
	if (failed)
		return failed;
	return unit_skipped ? UNIT_SKIP_EXIT : 0;
}

#endif
