// SPDX-License-Identifier: MIT
/*
 * Schedule files: the decisions of a run, replayable without the seed's
 * strategy.  Two versions.
 *
 * Version 1, every decision (a strict replay: a recorded task that cannot
 * run ends the run as "replay-diverged"):
 *
 *   iommusim-schedule 1
 *   seed 42
 *   decisions 5
 *   3 1 0 2 2
 *
 * Version 2, only the deviations from the default order (sim.h), replayed
 * guided (a deviation that cannot apply is skipped, the run goes on):
 *
 *   iommusim-schedule 2
 *   seed 42
 *   steps 2478                         optional: steps of the recorded run
 *   decisions 812                      optional: its decisions
 *   option --policy=cfie_mask=unlocked zero or more: its run options
 *   deviations 3
 *   17:4 230:2 231:5                   DECISION:TASK, decisions increasing
 *
 * Decision values are task ids (creation order).  '#' starts a comment.
 * The seed still matters in version 2 and in version 1: model randomness
 * (latencies, workload choices) follows it.
 */
#include "sim/sim.h"

#include <errno.h>
#include <ctype.h>
#include <stdarg.h>
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

int sim_schedule_save(FILE *f, const struct sim_schedule *sch, const char *comment)
{
	fprintf(f, "iommusim-schedule 2\n");
	for (const char *p = comment; p && *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(f, "# %.*s\n", len, p);
		p += len + (nl != NULL);
	}
	fprintf(f, "seed %llu\n", (unsigned long long)sch->seed);
	if (sch->steps)
		fprintf(f, "steps %llu\n", (unsigned long long)sch->steps);
	if (sch->total_decisions)
		fprintf(f, "decisions %llu\n", (unsigned long long)sch->total_decisions);
	for (size_t i = 0; i < sch->noptions; i++)
		fprintf(f, "option %s\n", sch->options[i]);
	fprintf(f, "deviations %zu\n", sch->ndev);
	for (size_t i = 0; i < sch->ndev; i++)
		fprintf(f, "%llu:%u%c", (unsigned long long)sch->dev[i].decision,
			sch->dev[i].task, (i % 8 == 7 || i + 1 == sch->ndev) ? '\n' : ' ');
	return ferror(f) ? -EIO : 0;
}

void sim_schedule_free(struct sim_schedule *sch)
{
	free(sch->decisions);
	free(sch->dev);
	for (size_t i = 0; i < sch->noptions; i++)
		free(sch->options[i]);
	free(sch->options);
	free(sch->option_lines);
	memset(sch, 0, sizeof(*sch));
}

void sim_schedule_strategy(const struct sim_schedule *sch, struct sim_strategy *st)
{
	memset(st, 0, sizeof(*st));
	if (sch->version == 1) {
		st->kind = SIM_STRAT_REPLAY;
		st->replay = sch->decisions;
		st->replay_len = sch->ndecisions;
	} else {
		st->kind = SIM_STRAT_GUIDED;
		st->guide = sch->dev;
		st->guide_len = sch->ndev;
	}
}

/* ---- Reading ---- */

struct sparse {
	char *err;
	size_t errlen;
	unsigned int line;
	char *buf;		/* the current line */
};

static int __attribute__((format(printf, 3, 4)))
fail(struct sparse *ps, const char *at, const char *fmt, ...)
{
	int n = snprintf(ps->err, ps->errlen, "%u:%u: ", ps->line,
			 at ? (unsigned int)(at - ps->buf) + 1 : 1);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "KEY N" with N an unsigned decimal and nothing after. */
static bool key_number(const char *p, const char *key, uint64_t *v)
{
	size_t k = strlen(key);
	char *end;

	if (strncmp(p, key, k) || !isspace((unsigned char)p[k]))
		return false;
	p += k;
	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	*v = strtoull(p, &end, 10);
	if (errno)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	return !*end;
}

static int push_u16(uint16_t **v, size_t *n, size_t *cap, uint16_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		uint16_t *nv = realloc(*v, c * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static int push_dev(struct sim_schedule *o, size_t *cap, uint64_t d, uint16_t t)
{
	if (o->ndev == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct sim_deviation *nv = realloc(o->dev, c * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		o->dev = nv;
		*cap = c;
	}
	o->dev[o->ndev].decision = d;
	o->dev[o->ndev].task = t;
	o->ndev++;
	return 0;
}

static int push_option(struct sim_schedule *o, const char *text, unsigned int line)
{
	char **nv = realloc(o->options, (o->noptions + 1) * sizeof(*nv));
	unsigned int *nl;

	if (!nv)
		return -ENOMEM;
	o->options = nv;
	nl = realloc(o->option_lines, (o->noptions + 1) * sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	o->option_lines = nl;
	o->options[o->noptions] = strdup(text);
	if (!o->options[o->noptions])
		return -ENOMEM;
	o->option_lines[o->noptions++] = line;
	return 0;
}

/* A task id at @p: digits, below SIM_MAX_TASKS.  Sets *@end past it. */
static int task_id(struct sparse *ps, char *p, char **end, uint16_t *out)
{
	unsigned long x;

	if (!isdigit((unsigned char)*p))
		return fail(ps, p, "expected a task id");
	errno = 0;
	x = strtoul(p, end, 10);
	if (errno || x >= SIM_MAX_TASKS)
		return fail(ps, p, "task id out of range");
	*out = (uint16_t)x;
	return 0;
}

/* Version 1 body: task ids. */
static int body_v1(struct sparse *ps, char *p, struct sim_schedule *o, size_t *cap)
{
	while (*p) {
		char *end;
		uint16_t t;
		int ret = task_id(ps, p, &end, &t);

		if (ret)
			return ret;
		if (push_u16(&o->decisions, &o->ndecisions, cap, t))
			return -ENOMEM;
		p = end;
		while (isspace((unsigned char)*p))
			p++;
	}
	return 0;
}

/* Version 2 body: DECISION:TASK pairs, decisions strictly increasing. */
static int body_v2(struct sparse *ps, char *p, struct sim_schedule *o, size_t *cap)
{
	while (*p) {
		char *end;
		unsigned long long d;
		uint16_t t;
		int ret;

		if (!isdigit((unsigned char)*p))
			return fail(ps, p, "expected DECISION:TASK");
		errno = 0;
		d = strtoull(p, &end, 10);
		if (errno || *end != ':')
			return fail(ps, p, "expected DECISION:TASK");
		if (o->ndev && d <= o->dev[o->ndev - 1].decision)
			return fail(ps, p, "decision %llu is not after decision %llu "
				    "(deviations go in increasing order)", d,
				    (unsigned long long)o->dev[o->ndev - 1].decision);
		ret = task_id(ps, end + 1, &end, &t);
		if (ret)
			return ret;
		if (*end && !isspace((unsigned char)*end))
			return fail(ps, end, "expected a space after DECISION:TASK");
		if (push_dev(o, cap, d, t))
			return -ENOMEM;
		p = end;
		while (isspace((unsigned char)*p))
			p++;
	}
	return 0;
}

/* Version 2 header lines (any order, "deviations N" last). */
static int header_v2(struct sparse *ps, char *p, struct sim_schedule *o, int *state,
		     uint64_t *want, bool *has_seed)
{
	uint64_t v;

	if (key_number(p, "seed", &v)) {
		o->seed = v;
		*has_seed = true;
	} else if (key_number(p, "steps", &v)) {
		o->steps = v;
	} else if (key_number(p, "decisions", &v)) {
		o->total_decisions = v;
	} else if (key_number(p, "deviations", &v)) {
		if (!*has_seed)
			return fail(ps, p, "'seed N' must come before 'deviations N'");
		*want = v;
		*state = 4;
	} else if (!strncmp(p, "option", 6) && isspace((unsigned char)p[6])) {
		char *a = p + 6, *e;

		while (isspace((unsigned char)*a))
			a++;
		e = a + strlen(a);
		while (e > a && isspace((unsigned char)e[-1]))
			*--e = 0;
		if (!*a)
			return fail(ps, a, "'option' needs a run option (e.g. --policy=K=V)");
		if (push_option(o, a, ps->line))
			return -ENOMEM;
	} else {
		return fail(ps, p, "expected 'seed N', 'steps N', 'decisions N', "
			    "'option ARG' or 'deviations N'");
	}
	return 0;
}

int sim_schedule_load(FILE *f, struct sim_schedule *o, char *err, size_t errlen)
{
	char buf[4096];
	struct sparse ps = { err, errlen, 0, buf };
	/* 0 magic; v1: 1 seed, 2 decisions, 3 body; v2: 1 header, 4 body */
	int state = 0, ret = 0;
	uint64_t want = 0;
	size_t cap = 0;
	bool has_seed = false;

	memset(o, 0, sizeof(*o));
	if (errlen)
		err[0] = 0;
	while (!ret && fgets(buf, sizeof(buf), f)) {
		char *p = buf, *hash = strchr(buf, '#');
		uint64_t v;

		ps.line++;
		if (hash)
			*hash = 0;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			continue;
		if (state == 0) {
			char *e = p + strlen(p);

			while (e > p && isspace((unsigned char)e[-1]))
				*--e = 0;
			if (!strcmp(p, "iommusim-schedule 1"))
				o->version = 1;
			else if (!strcmp(p, "iommusim-schedule 2"))
				o->version = 2;
			else
				ret = fail(&ps, NULL, "not an iommusim schedule (expected "
					   "'iommusim-schedule 1' or 'iommusim-schedule 2')");
			state = 1;
		} else if (o->version == 2 && state == 1) {
			ret = header_v2(&ps, p, o, &state, &want, &has_seed);
		} else if (state == 1) {
			if (!key_number(p, "seed", &o->seed))
				ret = fail(&ps, NULL, "expected 'seed N'");
			state = 2;
		} else if (state == 2) {
			if (!key_number(p, "decisions", &v))
				ret = fail(&ps, NULL, "expected 'decisions N'");
			want = v;
			state = 3;
		} else if (state == 3) {
			ret = body_v1(&ps, p, o, &cap);
		} else {
			ret = body_v2(&ps, p, o, &cap);
		}
	}
	if (!ret && state != 3 && state != 4)
		ret = (ps.line++, fail(&ps, NULL, "truncated schedule header"));
	if (!ret && (o->version == 1 ? o->ndecisions : o->ndev) != want)
		ret = fail(&ps, NULL, "%s count does not match the header (%llu listed, "
			   "header says %llu)", o->version == 1 ? "decision" : "deviation",
			   (unsigned long long)(o->version == 1 ? o->ndecisions : o->ndev),
			   (unsigned long long)want);
	if (ret) {
		if (ret == -ENOMEM && errlen)
			snprintf(err, errlen, "%u:1: out of memory", ps.line);
		sim_schedule_free(o);
	}
	return ret;
}

int sim_schedule_read(FILE *f, uint16_t **out, size_t *len, uint64_t *seed,
		      char *err, size_t errlen)
{
	struct sim_schedule sch;
	int ret = sim_schedule_load(f, &sch, err, errlen);

	*out = NULL;
	*len = 0;
	if (ret)
		return ret;
	if (sch.version != 1) {
		snprintf(err, errlen, "1:1: a version 2 schedule (deviations): "
			 "read it with sim_schedule_load()");
		sim_schedule_free(&sch);
		return -EINVAL;
	}
	*seed = sch.seed;
	*out = sch.decisions;
	*len = sch.ndecisions;
	sch.decisions = NULL;
	sim_schedule_free(&sch);
	return 0;
}
