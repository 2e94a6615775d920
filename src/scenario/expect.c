// SPDX-License-Identifier: MIT
/*
 * Judging a run against its scenario's `expect` block (DESIGN.md section
 * 7, docs/scenarios.md "expect"). See expect_eval() in run.h.
 *
 * The checks, in this order: every violation ID (its condition, "==0"
 * when the file does not name it), each `quarantined` and
 * `not_quarantined` device, each part of each `at_end` entry, each `log`
 * substring. Every check carries what was observed, passing or not.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/run.h"

struct checks {
	struct expect_check *v;
	unsigned int n, cap;
	bool pass;
};

static struct expect_check *add(struct checks *c, bool ok)
{
	struct expect_check *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		if (!c->v)
			abort();
	}
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->ok = ok;
	c->pass &= ok;
	return e;
}

static const char *blocked_name(enum scn_blocked b)
{
	const char *n = scn_blocked_name(b);

	return n ? n : "?";
}

/* The end state of scenario device @idx: by index, checked by name. */
static const struct run_device *find_dev(const struct scenario *scn,
					 const struct run_result *r, uint32_t idx)
{
	const char *name = idx < scn->ndevices ? scn->devices[idx].name : NULL;

	if (!name)
		return NULL;
	if (idx < r->ndevices && r->devices[idx].name &&
	    !strcmp(r->devices[idx].name, name))
		return &r->devices[idx];
	for (unsigned int i = 0; i < r->ndevices; i++)
		if (r->devices[i].name && !strcmp(r->devices[i].name, name))
			return &r->devices[i];
	return NULL;
}

static const char *dev_name_of(const struct scenario *scn, uint32_t idx)
{
	return idx < scn->ndevices ? scn->devices[idx].name : "?";
}

static const char *domain_name_of(const struct scenario *scn, int idx)
{
	if (idx < 0)
		return "none";
	return (unsigned int)idx < scn->ndomains ? scn->domains[idx].name : "?";
}

static void eval_count(struct checks *c, const char *what, struct count_cond cond,
		       uint64_t count)
{
	struct expect_check *e = add(c, count_cond_holds(cond, count));
	char buf[COUNT_COND_BUFSZ];

	snprintf(e->what, sizeof(e->what), "%s", what);
	snprintf(e->cond, sizeof(e->cond), "%s", count_cond_format(cond, buf));
	snprintf(e->observed, sizeof(e->observed), "%llu", (unsigned long long)count);
}

static void eval_quarantine(struct checks *c, const struct scenario *scn,
			    const struct run_result *r, uint32_t idx, bool want)
{
	const struct run_device *d = find_dev(scn, r, idx);
	struct expect_check *e;

	e = add(c, d && (d->quarantined > 0) == want);
	snprintf(e->what, sizeof(e->what), "%s %s",
		 want ? "quarantined" : "not_quarantined", dev_name_of(scn, idx));
	snprintf(e->cond, sizeof(e->cond), "%s", want ? ">0" : "==0");
	if (d)
		snprintf(e->observed, sizeof(e->observed), "%u", d->quarantined);
	else
		snprintf(e->observed, sizeof(e->observed), "no such device in the run");
}

static void eval_state(struct checks *c, const struct scenario *scn, uint32_t idx,
		       const char *part, const char *want, const char *got)
{
	struct expect_check *e = add(c, got && !strcmp(want, got));

	snprintf(e->what, sizeof(e->what), "at_end %s", dev_name_of(scn, idx));
	snprintf(e->cond, sizeof(e->cond), "%s: %s", part, want);
	snprintf(e->observed, sizeof(e->observed), "%s",
		 got ? got : "no such device in the run");
}

static void eval_at_end(struct checks *c, const struct scenario *scn,
			const struct run_result *r, const struct scn_at_end *a)
{
	const struct run_device *d = find_dev(scn, r, a->device);

	if (a->has_blocked)
		eval_state(c, scn, a->device, "blocked", blocked_name(a->blocked),
			   d ? blocked_name(d->blocked) : NULL);
	if (a->has_ats)
		eval_state(c, scn, a->device, "ats", a->ats ? "enabled" : "disabled",
			   d ? (d->ats ? "enabled" : "disabled") : NULL);
	if (a->has_pri)
		eval_state(c, scn, a->device, "pri", a->pri ? "enabled" : "disabled",
			   d ? (d->pri ? "enabled" : "disabled") : NULL);
	if (a->has_domain)
		eval_state(c, scn, a->device, "domain",
			   domain_name_of(scn, (int)a->domain),
			   d ? domain_name_of(scn, d->domain) : NULL);
}

static void eval_log(struct checks *c, const struct run_result *r,
		     const struct scn_log_expect *l)
{
	uint64_t n = 0;
	char what[sizeof(((struct expect_check *)0)->what)];
	size_t len = strlen(l->substring);

	for (size_t i = 0; i < r->nlog; i++)
		n += r->log[i].text && strstr(r->log[i].text, l->substring);
	/* log "SUBSTRING", shortened with "..." to fit. */
	if (len + 6 < sizeof(what))
		snprintf(what, sizeof(what), "log \"%s\"", l->substring);
	else
		snprintf(what, sizeof(what), "log \"%.*s...\"",
			 (int)(sizeof(what) - 10), l->substring);
	eval_count(c, what, l->cond, n);
}

bool expect_eval(const struct scenario *scn, const struct run_result *r,
		 struct expect_check **checks, unsigned int *nchecks)
{
	const struct scn_expect *x = &scn->expect;
	struct checks c = { .pass = true };

	for (int id = 0; id < V_NR; id++)
		eval_count(&c, violation_name(id), x->violations[id],
			   r->violations.count[id]);
	for (unsigned int i = 0; i < x->nquarantined; i++)
		eval_quarantine(&c, scn, r, x->quarantined[i], true);
	for (unsigned int i = 0; i < x->nnot_quarantined; i++)
		eval_quarantine(&c, scn, r, x->not_quarantined[i], false);
	for (unsigned int i = 0; i < x->nat_end; i++)
		eval_at_end(&c, scn, r, &x->at_end[i]);
	for (unsigned int i = 0; i < x->nlog; i++)
		eval_log(&c, r, &x->log[i]);
	for (unsigned int k = 0; k < SCN_IOPF_NR; k++) {
		char what[48];

		if (!x->iopf_pos[k].line)
			continue;
		snprintf(what, sizeof(what), "iopf %s", scn_iopf_counter_name(k));
		eval_count(&c, what, x->iopf[k], r->iopf[k]);
	}
	*checks = c.v;
	*nchecks = c.n;
	return c.pass;
}
