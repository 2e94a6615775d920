// SPDX-License-Identifier: MIT
/*
 * Scenario files: `workload:` (DMA streams and mapping churn) and
 * `events:` (timed actions on a device or an SMMU).
 * See scenario.h and docs/scenarios.md.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_internal.h"

#define PASID_MAX ((1u << SCN_PASID_BITS_MAX) - 1)

/* An optional key without a flag: the caller initialised the field. */
#define F_OPT(k, t, ty, f, lo, hi, vals) \
	F_(k, t, ty, f, lo, hi, vals, SCN_NODEF)

/* The name of a domain, device or SMMU for a message. */
static const char *nm(const char *name)
{
	return name ? name : "?";
}

/* "starts at T" / "event at T" must be before the end of the run. */
static bool before_end(struct loader *L, const struct yt_node *n,
		       const char *what, uint64_t t)
{
	char a[SCN_TIMEBUF], b[SCN_TIMEBUF];

	if (!n || !L->duration_ok || t < L->scn->duration)
		return true;
	scn_error(L, n, "%s %s is not before the end of the run (duration: %s)",
		  what, scn_format_time(a, t),
		  scn_format_time(b, L->scn->duration));
	return false;
}

/* Whether @dev has the PASID capability and @pasid fits it; reports. */
static bool pasid_ok(struct loader *L, const struct yt_node *n,
		     const struct scn_device *dev, uint32_t pasid)
{
	if (!dev->pasid) {
		scn_error(L, n, "device '%s' has no PASID capability (pasid: false)",
			  nm(dev->name));
		return false;
	}
	if (dev->pasid_bits < 32 && pasid >> dev->pasid_bits) {
		scn_error(L, n, "PASID %u does not fit device '%s' (pasid_bits: %u)",
			  pasid, nm(dev->name), dev->pasid_bits);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* workload                                                            */
/* ------------------------------------------------------------------ */

static const char *const op_names[] = { "read", "write", NULL };

const struct scn_field scn_dma_fields[] = {
	F_REF("device", struct scn_work, device, REF_DEVICE),
	F_REF("domain", struct scn_work, domain, REF_DOMAIN),
	F_U32("pages", struct scn_work, pages, 1, 65536, SCN_REQUIRED),
	F_ENUM("op", struct scn_work, op, op_names, "read"),
	F_TIME("interval", struct scn_work, interval, 1, "1us"),
	F_U64("count", struct scn_work, count, 0, UINT64_MAX, "0"),
	F_TIME("start", struct scn_work, start, 0, "0ns"),
	F_OPT_U32("pasid", struct scn_work, pasid, has_pasid, 0, PASID_MAX),
	F_OPT_U32("alias", struct scn_work, alias, has_alias, 0, UINT32_MAX),
	F_U32("prg_pages", struct scn_work, prg_pages, 1, 256, "1"),
	F_TIME("prg_gap", struct scn_work, prg_gap, 0, "0ns"),
	F_END
};

const struct scn_field scn_churn_fields[] = {
	F_REF("domain", struct scn_work, domain, REF_DOMAIN),
	F_U32("pages", struct scn_work, pages, 1, 65536, SCN_REQUIRED),
	F_TIME("interval", struct scn_work, interval, 1, "20us"),
	F_U64("count", struct scn_work, count, 0, UINT64_MAX, "0"),
	F_TIME("start", struct scn_work, start, 0, "0ns"),
	F_END
};

/* The DMA stream's PASID and alias against its device and domain. */
static void check_dma(struct loader *L, const struct yt_node *m,
		      const struct scn_work *w)
{
	const struct scenario *scn = L->scn;
	const struct scn_device *dev;
	unsigned int i;

	if (w->device == SCN_NONE)
		return;
	dev = &scn->devices[w->device];
	if (w->has_pasid)
		pasid_ok(L, yt_map_get(m, "pasid"), dev, w->pasid);
	if (w->has_alias) {
		for (i = 0; i < dev->naliases && dev->aliases[i] != w->alias; i++)
			;
		if (i == dev->naliases)
			scn_error(L, yt_map_get(m, "alias"),
				  "0x%x is not a DMA alias of device '%s' (see its aliases)",
				  w->alias, nm(dev->name));
	}
	if (w->domain != SCN_NONE && !w->has_pasid &&
	    scn->domains[w->domain].type == SCN_DOMAIN_SVA)
		scn_error(L, yt_map_get(m, "domain"),
			  "an sva domain is reached through a PASID: add pasid");
}

static bool parse_dma(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_work *w = obj;
	bool ok;

	w->kind = SCN_WORK_DMA;
	ok = scn_parse_fields(L, n, scn_dma_fields, w);
	if (ok) {
		check_dma(L, n, w);
		before_end(L, yt_map_get(n, "start"), "DMA starts at", w->start);
	}
	return ok;
}

static bool parse_churn(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_work *w = obj;
	enum scn_domain_type t;
	bool ok;

	w->kind = SCN_WORK_CHURN;
	ok = scn_parse_fields(L, n, scn_churn_fields, w);
	if (!ok)
		return false;
	t = L->scn->domains[w->domain].type;
	if (t != SCN_DOMAIN_PAGING && t != SCN_DOMAIN_SVA)
		scn_error(L, yt_map_get(n, "domain"),
			  "churn needs a paging or sva domain; '%s' is %s",
			  nm(L->scn->domains[w->domain].name),
			  scn_domain_type_name(t));
	before_end(L, yt_map_get(n, "start"), "churn starts at", w->start);
	return true;
}

const struct scn_field scn_work_fields[] = {
	F_CUSTOM("dma", parse_dma, SCN_NODEF),
	F_CUSTOM("churn", parse_churn, SCN_NODEF),
	F_CUSTOM("fault", scn_parse_fault_work, SCN_NODEF),
	F_END
};

/*
 * Of the keys of @m listed in @keys, the first (in file order) in *@first;
 * each later one is reported as combined with the first unless @may_pair
 * says the two may come together. Return: how many there are.
 */
static unsigned int one_of(struct loader *L, const struct yt_node *m,
			   const char *const keys[], const char *what,
			   bool (*may_pair)(const char *, const char *),
			   const struct yt_node **first)
{
	unsigned int cnt = 0, j;
	size_t i;

	*first = NULL;
	for (i = 0; i < m->map.n; i++) {
		const struct yt_node *k = m->map.pairs[i].key;

		for (j = 0; keys[j] && strcmp(keys[j], k->scalar.text); j++)
			;
		if (!keys[j])
			continue;
		cnt++;
		if (!*first) {
			*first = k;
		} else if (!may_pair ||
			   !may_pair((*first)->scalar.text, k->scalar.text)) {
			scn_error(L, k, "one %s per entry: '%s' cannot come with '%s'",
				  what, k->scalar.text, (*first)->scalar.text);
		}
	}
	return cnt;
}

static const char *const work_keys[] = { "dma", "churn", "fault", NULL };

/** scn_parse_workload() - the `workload:` list. */
bool scn_parse_workload(struct loader *L, const struct yt_node *n, void *obj)
{
	const struct scn_field *const tabs[] = { scn_work_fields };
	struct scenario *scn = L->scn;
	struct yt_node *const *items;
	size_t i, cnt = scn_items(L, n, &items);

	scn->work = scn_zalloc(cnt, sizeof(*scn->work));
	for (i = 0; i < cnt; i++) {
		struct scn_work *w = &scn->work[scn->nwork];
		const struct yt_node *m = items[i], *first;
		unsigned int nkeys;
		bool known;

		if (!yt_expect_map(L->d, m))
			continue;
		w->pos = scn_pos_of(m);
		w->device = SCN_NONE;
		w->domain = SCN_NONE;
		known = scn_check_keys(L, m, tabs, 1, NULL, NULL);
		nkeys = one_of(L, m, work_keys, "workload item", NULL,
			       &first);
		if (!nkeys && known)
			scn_error(L, m, "a workload entry needs one of: dma, churn, fault");
		if (nkeys == 1)
			scn_read_fields(L, m, scn_work_fields, w);
		scn->nwork++;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* events                                                              */
/* ------------------------------------------------------------------ */

static const char *const reset_names[] = { "flr", NULL };
static const char *const outcome_names[] = {
	"ok", "fail", "enotty", "hang", NULL
};
static const char *const enable_names[] = { "enable", "disable", NULL };
static const char *const inject_names[] = { "illegal", NULL };
static const char *const event_kind_names[] = {
	"set", "reset", "attach", "replace", "detach", "pasid_attach",
	"pasid_detach", "pasid_replace", "pri", "sfm", "inject", NULL
};

/** scn_event_kind_name() - "set", "reset", ...; NULL if invalid. */
const char *scn_event_kind_name(enum scn_event_kind k)
{
	return (unsigned int)k <= SCN_EV_INJECT ? event_kind_names[k] : NULL;
}

/** scn_outcome_name() - "ok", "fail", "enotty", "hang"; NULL if invalid. */
const char *scn_outcome_name(enum scn_outcome o)
{
	return (unsigned int)o <= SCN_OUTCOME_HANG ? outcome_names[o] : NULL;
}

/* A key whose only meaningful value is true. */
static bool parse_true(struct loader *L, const struct yt_node *n,
		       const char *key)
{
	bool b;

	if (!yt_get_bool(L->d, n, &b))
		return false;
	if (!b)
		scn_error(L, n, "'%s: false' does nothing (write true, or leave the key out)",
			  key);
	return b;
}

static bool parse_detach(struct loader *L, const struct yt_node *n, void *obj)
{
	return parse_true(L, n, "detach");
}

static bool parse_sfm(struct loader *L, const struct yt_node *n, void *obj)
{
	return parse_true(L, n, "sfm");
}

static bool parse_set(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_event *ev = obj;

	return scn_parse_knobs(L, n, &ev->set, &ev->nset);
}

const struct scn_field scn_pasid_attach_fields[] = {
	F_U32("pasid", struct scn_event, pasid, 0, PASID_MAX, SCN_REQUIRED),
	F_REF("domain", struct scn_event, domain, REF_DOMAIN),
	F_END
};

static bool parse_pasid_attach(struct loader *L, const struct yt_node *n,
			       void *obj)
{
	return scn_parse_fields(L, n, scn_pasid_attach_fields, obj);
}

const struct scn_field scn_inject_fields[] = {
	F_ENUM("command", struct scn_event, inject, inject_names, SCN_REQUIRED),
	F_END
};

static bool parse_inject(struct loader *L, const struct yt_node *n, void *obj)
{
	return scn_parse_fields(L, n, scn_inject_fields, obj);
}

const struct scn_field scn_dev_event_fields[] = {
	F_TIME("at", struct scn_event, at, 0, SCN_REQUIRED),
	F_REF("device", struct scn_event, device, REF_DEVICE),
	F_CUSTOM("set", parse_set, SCN_NODEF),
	F_OPT("reset", FT_ENUM, struct scn_event, reset, 0, 0, reset_names),
	F_OPT_ENUM("outcome", struct scn_event, outcome, has_outcome,
		   outcome_names),
	F_OPT("attach", FT_REF, struct scn_event, domain, REF_DOMAIN, 0, NULL),
	F_OPT("replace", FT_REF, struct scn_event, domain, REF_DOMAIN, 0, NULL),
	F_CUSTOM("detach", parse_detach, SCN_NODEF),
	F_CUSTOM("pasid_attach", parse_pasid_attach, SCN_NODEF),
	F_CUSTOM("pasid_replace", parse_pasid_attach, SCN_NODEF),
	F_OPT("pasid_detach", FT_U32, struct scn_event, pasid, 0, PASID_MAX,
	      NULL),
	F_OPT("pri", FT_ENUM_BOOL, struct scn_event, pri_enable, 0, 0,
	      enable_names),
	F_END
};

const struct scn_field scn_smmu_event_fields[] = {
	F_TIME("at", struct scn_event, at, 0, SCN_REQUIRED),
	F_REF("smmu", struct scn_event, smmu, REF_SMMU),
	F_CUSTOM("sfm", parse_sfm, SCN_NODEF),
	F_CUSTOM("inject", parse_inject, SCN_NODEF),
	F_END
};

/* The action keys of each target; `outcome` qualifies reset. */
static const char *const dev_actions[] = {
	"set", "reset", "attach", "replace", "detach", "pasid_attach",
	"pasid_detach", "pasid_replace", "pri", NULL
};
static const char *const smmu_actions[] = { "sfm", "inject", NULL };

static bool set_with_reset(const char *a, const char *b)
{
	return (!strcmp(a, "reset") && !strcmp(b, "set")) ||
	       (!strcmp(a, "set") && !strcmp(b, "reset"));
}

static const struct {
	const char *key;
	enum scn_event_kind kind;
} action_kinds[] = {
	{ "set", SCN_EV_SET }, { "attach", SCN_EV_ATTACH },
	{ "replace", SCN_EV_REPLACE }, { "detach", SCN_EV_DETACH },
	{ "pasid_attach", SCN_EV_PASID_ATTACH },
	{ "pasid_detach", SCN_EV_PASID_DETACH }, { "pri", SCN_EV_PRI },
	{ "pasid_replace", SCN_EV_PASID_REPLACE },
	{ "sfm", SCN_EV_SFM }, { "inject", SCN_EV_INJECT },
};

/* The kind of an event whose action keys are valid; reset wins over set. */
static enum scn_event_kind event_kind(const struct yt_node *m,
				      const struct yt_node *first)
{
	unsigned int i;

	if (yt_map_get(m, "reset"))
		return SCN_EV_RESET;
	for (i = 0; i < sizeof(action_kinds) / sizeof(action_kinds[0]); i++)
		if (!strcmp(first->scalar.text, action_kinds[i].key))
			return action_kinds[i].kind;
	abort();
}

/* What a device event asks of its device and domain. */
static void check_dev_event(struct loader *L, const struct yt_node *m,
			    const struct scn_event *ev)
{
	const struct scenario *scn = L->scn;
	const struct scn_device *dev = &scn->devices[ev->device];
	const struct scn_domain *dom = ev->domain == SCN_NONE ? NULL :
				       &scn->domains[ev->domain];
	const struct yt_node *n;

	switch (ev->kind) {
	case SCN_EV_ATTACH:
	case SCN_EV_REPLACE:
		n = yt_map_get(m, event_kind_names[ev->kind]);
		if (dom && dom->type == SCN_DOMAIN_SVA)
			scn_error(L, n,
				  "an sva domain is attached to PASIDs, not to a device's RID (use pasid_attach)");
		break;
	case SCN_EV_PASID_ATTACH:
	case SCN_EV_PASID_REPLACE:
		n = yt_map_get(m, event_kind_names[ev->kind]);
		pasid_ok(L, yt_map_get(n, "pasid"), dev, ev->pasid);
		if (dom && dom->type != SCN_DOMAIN_PAGING &&
		    dom->type != SCN_DOMAIN_SVA)
			scn_error(L, yt_map_get(n, "domain"),
				  "a PASID takes a paging or sva domain; '%s' is %s",
				  nm(dom->name), scn_domain_type_name(dom->type));
		break;
	case SCN_EV_PASID_DETACH:
		pasid_ok(L, yt_map_get(m, "pasid_detach"), dev, ev->pasid);
		break;
	case SCN_EV_PRI:
		if (!dev->pri)
			scn_error(L, yt_map_get(m, "pri"),
				  "device '%s' has no PRI capability (pri: false)",
				  nm(dev->name));
		break;
	default:
		break;
	}
}

/* The later (in file order) of two keys both present in @m. */
static const struct yt_node *later_key(const struct yt_node *m, const char *a,
				       const char *b)
{
	const struct yt_node *found = NULL;
	size_t i;

	for (i = 0; i < m->map.n; i++) {
		const struct yt_node *k = m->map.pairs[i].key;

		if (!strcmp(k->scalar.text, a) || !strcmp(k->scalar.text, b))
			found = k;
	}
	return found;
}

static void parse_event(struct loader *L, const struct yt_node *m,
			struct scn_event *ev)
{
	static const struct scn_field *const dev_tab[] = { scn_dev_event_fields };
	static const struct scn_field *const smmu_tab[] = { scn_smmu_event_fields };
	const struct yt_node *dn = yt_map_get(m, "device");
	const struct yt_node *sn = yt_map_get(m, "smmu");
	unsigned int before = diag_count(L->d);
	const struct scn_field *const *tab;
	const struct yt_node *first;
	bool known;

	if (dn && sn) {
		scn_error(L, later_key(m, "device", "smmu"),
			  "an event has one target: device or smmu, not both");
		return;
	}
	if (!dn && !sn) {
		scn_error(L, m, "an event needs a target: device or smmu");
		return;
	}
	tab = dn ? dev_tab : smmu_tab;
	known = scn_check_keys(L, m, tab, 1,
			       dn ? scn_smmu_event_fields : scn_dev_event_fields,
			       dn ? "is for events on an smmu, and this one is on a device" :
				    "is for events on a device, and this one is on an smmu");
	scn_read_fields(L, m, tab[0], ev);
	if (!one_of(L, m, dn ? dev_actions : smmu_actions, "action",
		    set_with_reset, &first)) {
		/* a misspelt action was reported as an unknown key */
		if (known)
			scn_error(L, m, "an event needs an action (one of: %s)",
				  dn ? "set, reset, attach, replace, detach, pasid_attach, pasid_detach, pasid_replace, pri" :
				       "sfm, inject");
		return;
	}
	if (yt_map_get(m, "outcome") && !yt_map_get(m, "reset"))
		scn_error(L, yt_map_get_pair(m, "outcome")->key,
			  "outcome goes with reset: add reset: flr");
	ev->kind = event_kind(m, first);
	before_end(L, yt_map_get(m, "at"), "event at", ev->at);
	if (diag_count(L->d) == before && ev->device != SCN_NONE)
		check_dev_event(L, m, ev);
}

/** scn_parse_events() - the `events:` list (sorted later). */
bool scn_parse_events(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scenario *scn = L->scn;
	struct yt_node *const *items;
	size_t i, cnt = scn_items(L, n, &items);

	scn->events = scn_zalloc(cnt, sizeof(*scn->events));
	for (i = 0; i < cnt; i++) {
		struct scn_event *ev = &scn->events[scn->nevents];
		const struct yt_node *m = items[i];

		if (!yt_expect_map(L->d, m))
			continue;
		ev->pos = scn_pos_of(m);
		ev->device = SCN_NONE;
		ev->smmu = SCN_NONE;
		ev->domain = SCN_NONE;
		parse_event(L, m, ev);
		scn->nevents++;
	}
	return true;
}

static int cmp_event(const void *a, const void *b)
{
	const struct scn_event *x = *(const struct scn_event *const *)a;
	const struct scn_event *y = *(const struct scn_event *const *)b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x < y ? -1 : x > y;	/* same array: file order */
}

/** scn_sort_events() - sort the events by time, ties in file order. */
void scn_sort_events(struct scenario *scn)
{
	struct scn_event **p, *sorted;
	unsigned int i;

	if (scn->nevents < 2)
		return;
	p = scn_zalloc(scn->nevents, sizeof(*p));
	sorted = scn_zalloc(scn->nevents, sizeof(*sorted));
	for (i = 0; i < scn->nevents; i++)
		p[i] = &scn->events[i];
	qsort(p, scn->nevents, sizeof(*p), cmp_event);
	for (i = 0; i < scn->nevents; i++)
		sorted[i] = *p[i];
	free(p);
	free(scn->events);
	scn->events = sorted;
}

/** scn_free_events() - free the workload and the events. */
void scn_free_events(struct scenario *scn)
{
	unsigned int i;

	for (i = 0; i < scn->nevents; i++)
		free(scn->events[i].set);
	free(scn->events);
	free(scn->work);
}
