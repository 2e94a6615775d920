// SPDX-License-Identifier: MIT
/*
 * Schedule files: the recorded decisions of a run, replayable without the
 * seed's strategy.
 *
 *   iommusim-schedule 1
 *   seed 42
 *   decisions 5
 *   3 1 0 2 2
 *
 * Decision values are task ids (creation order).  '#' starts a comment.
 */
#include "sim/sim.h"

#include <errno.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int sim_schedule_write(const struct sim *s, FILE *f)
{
	fprintf(f, "iommusim-schedule 1\nseed %llu\ndecisions %zu\n",
		(unsigned long long)s->cfg.seed, s->nrec);
	for (size_t i = 0; i < s->nrec; i++)
		fprintf(f, "%u%c", s->rec[i], (i % 32 == 31 || i + 1 == s->nrec) ? '\n' : ' ');
	return ferror(f) ? -EIO : 0;
}

static int fail(char *err, size_t errlen, unsigned line, unsigned col, const char *msg)
{
	snprintf(err, errlen, "%u:%u: %s", line, col, msg);
	return -EINVAL;
}

int sim_schedule_read(FILE *f, uint16_t **out, size_t *len, uint64_t *seed,
		      char *err, size_t errlen)
{
	char buf[4096];
	unsigned line = 0;
	int header = 0;
	size_t n = 0, cap = 0, want = 0;
	uint16_t *v = NULL;

	*out = NULL;
	*len = 0;
	while (fgets(buf, sizeof(buf), f)) {
		char *p = buf, *hash = strchr(buf, '#');

		line++;
		if (hash)
			*hash = 0;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		if (header == 0) {
			if (strncmp(p, "iommusim-schedule 1", 19))
				return free(v), fail(err, errlen, line, 1, "not an iommusim schedule (expected 'iommusim-schedule 1')");
			header++;
			continue;
		}
		if (header == 1) {
			if (sscanf(p, "seed %llu", (unsigned long long *)seed) != 1)
				return free(v), fail(err, errlen, line, 1, "expected 'seed N'");
			header++;
			continue;
		}
		if (header == 2) {
			if (sscanf(p, "decisions %zu", &want) != 1)
				return free(v), fail(err, errlen, line, 1, "expected 'decisions N'");
			header++;
			continue;
		}
		while (*p) {
			char *end;
			unsigned long x;

			if (!isdigit((unsigned char)*p))
				return free(v), fail(err, errlen, line, (unsigned)(p - buf) + 1,
						     "expected a task id");
			x = strtoul(p, &end, 10);
			if (x >= SIM_MAX_TASKS)
				return free(v), fail(err, errlen, line, (unsigned)(p - buf) + 1,
						     "task id out of range");
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				v = realloc(v, cap * sizeof(*v));
				if (!v)
					return -ENOMEM;
			}
			v[n++] = (uint16_t)x;
			p = end;
			while (isspace((unsigned char)*p))
				p++;
		}
	}
	if (header < 3)
		return free(v), fail(err, errlen, line + 1, 1, "truncated schedule header");
	if (n != want)
		return free(v), fail(err, errlen, line, 1, "decision count does not match the header");
	*out = v;
	*len = n;
	return 0;
}
