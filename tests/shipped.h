/* SPDX-License-Identifier: MIT */
/*
 * Test helper: load a shipped scenario (scenarios/NAME.yaml) by name.
 * Include after <cmocka.h> (simtest.h includes it).
 */
#ifndef IOMMUSIM_TESTS_SHIPPED_H
#define IOMMUSIM_TESTS_SHIPPED_H

#include <stdlib.h>

#include "scenario/diag.h"
#include "scenario/scenario.h"

/*
 * load_shipped() - load shipped scenario @name into @scn; any error fails
 * the test.  The caller frees @scn with scenario_free().
 */
static inline void load_shipped(const char *name, struct scenario *scn)
{
	char *path = NULL;
	struct diag d;

	assert_int_equal(scenario_find_shipped(name, &path), 0);
	diag_init(&d, path);
	assert_int_equal(scenario_load_file(path, scn, &d), 0);
	diag_fini(&d);
	free(path);
}

#endif
