// SPDX-License-Identifier: MIT
/*
 * Scenario files: the `expect:` block, what must hold at the end of a run.
 * See scenario.h and docs/scenarios.md.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_internal.h"

static const char *const blocked_names[] = {
	"no", "resetting", "reset-failed", "broken", NULL
};
static const char *const enabled_names[] = { "enabled", "disabled", NULL };

/** scn_blocked_name() - "no", "resetting", ...; NULL if invalid. */
const char *scn_blocked_name(enum scn_blocked b)
{
	return (unsigned int)b <= SCN_BLOCKED_BROKEN ? blocked_names[b] : NULL;
}

/*
 * `violations:` - 0 (none at all), or a map from violation ID to a count
 * condition; IDs not named stay "==0" (load_root() set them).
 */
static bool parse_violations(struct loader *L, const struct yt_node *n,
			     void *obj)
{
	struct scn_expect *e = &L->scn->expect;
	const char *ids[V_NR + 1];
	char q[SCN_QBUF];
	bool ok = true;
	unsigned int v;
	size_t i;

	if (n->kind == YT_SCALAR && !n->scalar.quoted &&
	    !strcmp(n->scalar.text, "0"))
		return true;
	if (n->kind != YT_MAP) {
		scn_error(L, n,
			  "expected 0 or a map from violation ID to a count condition, got %s%s%s",
			  n->kind == YT_SCALAR && !yt_is_null(n) ? "'" : "",
			  n->kind == YT_SEQ ? "a sequence" :
			  yt_is_null(n) ? "no value" :
			  scn_qtext(q, n->scalar.text),
			  n->kind == YT_SCALAR && !yt_is_null(n) ? "'" : "");
		return false;
	}
	for (v = 0; v < V_NR; v++)
		ids[v] = violation_name(v);
	ids[V_NR] = NULL;
	for (i = 0; i < n->map.n; i++) {
		const struct yt_node *k = n->map.pairs[i].key;
		int id = violation_by_name(k->scalar.text);
		struct count_cond c;

		if (id < 0) {
			yt_report_not_in_list(L->d, k->line, k->col,
					      "unknown violation",
					      k->scalar.text, ids);
			ok = false;
			continue;
		}
		if (!yt_get_count_cond(L->d, n->map.pairs[i].value, &c)) {
			ok = false;
			continue;
		}
		e->violations[id] = c;
		e->violations_pos[id] = scn_pos_of(n->map.pairs[i].value);
	}
	return ok;
}

static bool parse_quarantined(struct loader *L, const struct yt_node *n,
			      void *obj)
{
	struct scn_expect *e = &L->scn->expect;
	const struct yt_node **at;
	bool ok = scn_ref_list(L, n, REF_DEVICE, &e->quarantined,
			       &e->nquarantined, &at);
	unsigned int i;

	for (i = 0; i < e->nquarantined; i++) {
		const struct scn_device *dev = &L->scn->devices[e->quarantined[i]];

		if (!dev->ats) {
			scn_error(L, at[i],
				  "device '%s' has no ATS capability (ats: false): it cannot be quarantined",
				  dev->name);
			ok = false;
		}
	}
	free(at);
	return ok;
}

static bool parse_not_quarantined(struct loader *L, const struct yt_node *n,
				  void *obj)
{
	struct scn_expect *e = &L->scn->expect;
	const struct yt_node **at;
	bool ok = scn_ref_list(L, n, REF_DEVICE, &e->not_quarantined,
			       &e->nnot_quarantined, &at);
	unsigned int i, j;

	for (i = 0; i < e->nnot_quarantined; i++) {
		for (j = 0; j < e->nquarantined; j++) {
			if (e->quarantined[j] != e->not_quarantined[i])
				continue;
			scn_error(L, at[i],
				  "device '%s' is also listed in quarantined",
				  L->scn->devices[e->quarantined[j]].name);
			ok = false;
		}
	}
	free(at);
	return ok;
}

const struct scn_field scn_at_end_fields[] = {
	F_OPT_ENUM("blocked", struct scn_at_end, blocked, has_blocked,
		   blocked_names),
	F_OPT_ENUM_BOOL("ats", struct scn_at_end, ats, has_ats, enabled_names),
	F_OPT_ENUM_BOOL("pri", struct scn_at_end, pri, has_pri, enabled_names),
	F_OPT_REF("domain", struct scn_at_end, domain, has_domain, REF_DOMAIN),
	F_END
};

/* An end state the device cannot reach is a mistake in the file. */
static void check_at_end(struct loader *L, const struct yt_node *m,
			 const struct scn_at_end *a)
{
	const struct scn_device *dev = &L->scn->devices[a->device];

	if (a->has_ats && a->ats && !dev->ats)
		scn_error(L, yt_map_get(m, "ats"),
			  "device '%s' has no ATS capability (ats: false)",
			  dev->name);
	if (a->has_pri && a->pri && !dev->pri)
		scn_error(L, yt_map_get(m, "pri"),
			  "device '%s' has no PRI capability (pri: false)",
			  dev->name);
}

/* `at_end:` - device name to its expected end state. */
static bool parse_at_end(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_expect *e = &L->scn->expect;
	bool ok = true;
	size_t i;

	if (!yt_expect_map(L->d, n))
		return false;
	e->at_end = scn_zalloc(n->map.n, sizeof(*e->at_end));
	for (i = 0; i < n->map.n; i++) {
		const struct yt_node *m = n->map.pairs[i].value;
		struct scn_at_end *a = &e->at_end[e->nat_end];

		if (!scn_ref(L, REF_DEVICE, n->map.pairs[i].key, &a->device)) {
			ok = false;
			continue;
		}
		a->pos = scn_pos_of(m);
		a->domain = SCN_NONE;
		if (!scn_parse_fields(L, m, scn_at_end_fields, a)) {
			ok = false;
			continue;
		}
		check_at_end(L, m, a);
		e->nat_end++;
	}
	return ok;
}

/* `log:` - substring of log lines to a count condition. */
static bool parse_log(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_expect *e = &L->scn->expect;
	bool ok = true;
	size_t i;

	if (!yt_expect_map(L->d, n))
		return false;
	e->log = scn_zalloc(n->map.n, sizeof(*e->log));
	for (i = 0; i < n->map.n; i++) {
		const struct yt_node *k = n->map.pairs[i].key;
		struct scn_log_expect *l = &e->log[e->nlog];

		if (!k->scalar.len) {
			scn_error(L, k, "empty log substring (it would match every line)");
			ok = false;
			continue;
		}
		if (!yt_get_count_cond(L->d, n->map.pairs[i].value, &l->cond)) {
			ok = false;
			continue;
		}
		l->substring = k->scalar.text;
		l->pos = scn_pos_of(k);
		e->nlog++;
	}
	return ok;
}

const struct scn_field scn_expect_fields[] = {
	F_CUSTOM("violations", parse_violations, "0"),
	F_CUSTOM("quarantined", parse_quarantined, "[]"),
	F_CUSTOM("not_quarantined", parse_not_quarantined, "[]"),
	F_CUSTOM("at_end", parse_at_end, "{}"),
	F_CUSTOM("log", parse_log, "{}"),
	F_CUSTOM("iopf", scn_parse_expect_iopf, "{}"),
	F_END
};

/** scn_parse_expect() - the `expect:` block. */
bool scn_parse_expect(struct loader *L, const struct yt_node *n, void *obj)
{
	return scn_parse_fields(L, n, scn_expect_fields, &L->scn->expect);
}

/** scn_free_expect() - free the expectations' lists. */
void scn_free_expect(struct scenario *scn)
{
	free(scn->expect.quarantined);
	free(scn->expect.not_quarantined);
	free(scn->expect.at_end);
	free(scn->expect.log);
}
