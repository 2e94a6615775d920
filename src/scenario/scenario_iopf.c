// SPDX-License-Identifier: MIT
/*
 * Scenario files: the I/O page fault keys (DESIGN.md section 5, IOPF;
 * docs/scenarios.md "I/O page faults"):
 *   domains[]: mm {base, size}, fault_handler {delay, response}, free;
 *   expect: iopf {COUNTER: condition};
 * and the cross-checks that need the whole file (a device with
 * `stall: true` on an SMMUv3 that cannot stall).  The dma keys prg_pages
 * and prg_gap and the pasid_replace event are plain table entries in
 * scenario_events.c.
 */
#include <string.h>

#include "scenario/scenario_internal.h"

static const char *const response_names[] = { "success", "invalid", "failure", NULL };
const char *const scn_free_names[] = { "unused", "never", NULL };

static const char *const iopf_counter_names[SCN_IOPF_NR + 1] = {
	[SCN_IOPF_REPORTED] = "reported",
	[SCN_IOPF_PARTIAL] = "partial",
	[SCN_IOPF_GROUPS] = "groups",
	[SCN_IOPF_RESPONSES] = "responses",
	[SCN_IOPF_ERROR_RESPONSES] = "error_responses",
	[SCN_IOPF_DISCARDED] = "discarded",
	[SCN_IOPF_NOP] = "nop",
	[SCN_IOPF_FAULTED_IN] = "faulted_in",
	[SCN_IOPF_PRG_SENT] = "prg_sent",
	[SCN_IOPF_PRG_RESPONSES] = "prg_responses",
	[SCN_IOPF_PRG_TIMEOUTS] = "prg_timeouts",
	[SCN_IOPF_NR] = NULL,
};

/** scn_response_name() - "success", "invalid", "failure"; NULL if invalid. */
const char *scn_response_name(enum scn_response r)
{
	return (unsigned int)r <= SCN_RESP_FAILURE ? response_names[r] : NULL;
}

const char *scn_iopf_counter_name(enum scn_iopf_counter c)
{
	return (unsigned int)c < SCN_IOPF_NR ? iopf_counter_names[c] : NULL;
}

/* ---- domains[].mm ---- */

/* Largest process address space a domain may have: 1 TiB. */
#define SCN_MM_MAX	(1ULL << 40)

const struct scn_field scn_mm_fields[] = {
	F_U64("base", struct scn_domain, mm_base, 0, SCN_MM_MAX, "0x100000"),
	F_("size", FT_SIZE, struct scn_domain, mm_size, 4096, SCN_MM_MAX, NULL, SCN_NODEF),
	F_END
};

/** scn_parse_domain_mm() - `mm: {base, size}` of an sva domain. */
bool scn_parse_domain_mm(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_domain *dom = obj;

	if (!scn_parse_fields(L, n, scn_mm_fields, dom))
		return false;
	if (dom->mm_base & 4095) {
		scn_error(L, yt_map_get(n, "base"), "mm base 0x%llx is not 4 KiB aligned",
			  (unsigned long long)dom->mm_base);
		return false;
	}
	if (dom->mm_size & 4095) {
		scn_error(L, yt_map_get(n, "size"), "mm size %llu is not a multiple of 4 KiB",
			  (unsigned long long)dom->mm_size);
		return false;
	}
	return true;
}

/* ---- domains[].fault_handler ---- */

const struct scn_field scn_fault_handler_fields[] = {
	F_TIME("delay", struct scn_domain, fh_delay, 0, "0ns"),
	F_ENUM("response", struct scn_domain, fh_response, response_names, "success"),
	F_END
};

/** scn_parse_fault_handler() - `fault_handler: {delay, response}`. */
bool scn_parse_fault_handler(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_domain *dom = obj;

	dom->has_fault_handler = true;
	return scn_parse_fields(L, n, scn_fault_handler_fields, dom);
}

/**
 * scn_check_domain_iopf() - the IOPF keys of domain @dom against its type:
 * `mm` only on sva, `response` only on paging, no fault handler on
 * identity or blocking, `free: unused` only on paging and sva.
 */
void scn_check_domain_iopf(struct loader *L, const struct yt_node *m,
			   const struct scn_domain *dom)
{
	const struct yt_node *fh = yt_map_get(m, "fault_handler");

	if (yt_map_get(m, "mm") && dom->type != SCN_DOMAIN_SVA)
		scn_error(L, yt_map_get_pair(m, "mm")->key,
			  "mm is the process address space of an sva domain; '%s' is %s",
			  dom->name ? dom->name : "?", scn_domain_type_name(dom->type));
	if (fh && dom->type != SCN_DOMAIN_PAGING && dom->type != SCN_DOMAIN_SVA)
		scn_error(L, yt_map_get_pair(m, "fault_handler")->key,
			  "domain '%s' is %s and takes no faults (fault_handler is for paging and sva domains)",
			  dom->name ? dom->name : "?", scn_domain_type_name(dom->type));
	if (fh && dom->type == SCN_DOMAIN_SVA && yt_map_get(fh, "response"))
		scn_error(L, yt_map_get_pair(fh, "response")->key,
			  "an sva domain's handler answers by faulting pages in; response is for paging domains");
	if (dom->free_unused && dom->type != SCN_DOMAIN_PAGING && dom->type != SCN_DOMAIN_SVA)
		scn_error(L, yt_map_get(m, "free"),
			  "domain '%s' is %s, the driver's own, and is never freed",
			  dom->name ? dom->name : "?", scn_domain_type_name(dom->type));
}

/* ---- expect: iopf ---- */

/** scn_parse_expect_iopf() - `iopf:` - counter name to a count condition. */
bool scn_parse_expect_iopf(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_expect *e = &L->scn->expect;
	bool ok = true;

	(void)obj;
	if (!yt_expect_map(L->d, n))
		return false;
	for (size_t i = 0; i < n->map.n; i++) {
		const struct yt_node *k = n->map.pairs[i].key;
		unsigned int c;

		for (c = 0; c < SCN_IOPF_NR && strcmp(k->scalar.text, iopf_counter_names[c]); c++)
			;
		if (c == SCN_IOPF_NR) {
			yt_report_not_in_list(L->d, k->line, k->col, "unknown iopf counter",
					      k->scalar.text, iopf_counter_names);
			ok = false;
			continue;
		}
		if (!yt_get_count_cond(L->d, n->map.pairs[i].value, &e->iopf[c])) {
			ok = false;
			continue;
		}
		e->iopf_pos[c] = scn_pos_of(n->map.pairs[i].value);
	}
	return ok;
}

/* ---- whole-file checks ---- */

/**
 * scn_check_iopf() - a device with `stall: true` on an SMMUv3 needs an
 * SMMU that can stall (`stall: true` there too).
 */
void scn_check_iopf(struct loader *L, const struct yt_node *root)
{
	const struct scenario *scn = L->scn;
	const struct yt_node *seq = root && root->kind == YT_MAP ? yt_map_get(root, "devices") : NULL;
	size_t d = 0;

	for (size_t i = 0; seq && seq->kind == YT_SEQ && i < seq->seq.n; i++) {
		const struct yt_node *m = seq->seq.items[i];
		const struct scn_device *dev;
		const struct scn_smmu *smmu;

		if (m->kind != YT_MAP || d >= scn->ndevices)
			continue;	/* the devices loader skipped it too */
		dev = &scn->devices[d++];
		if (!dev->stall || dev->smmu == SCN_NONE)
			continue;
		smmu = &scn->smmus[dev->smmu];
		if (smmu->version != 2 && !smmu->stall)
			scn_error(L, yt_map_get(m, "stall"),
				  "device '%s' stalls but SMMU '%s' has stall: false",
				  dev->name ? dev->name : "?", smmu->name ? smmu->name : "?");
	}
}
