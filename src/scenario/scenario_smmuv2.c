// SPDX-License-Identifier: MIT
/*
 * Scenario files: the SMMUv2 keys (docs/scenarios.md, "SMMUv2").
 *
 *   smmus[]:   version: 2, context_banks, ss_asserts_irq, context_irqs,
 *              context_irq_affinity (tables in
 *              scenario_topology.c);
 *   devices[]: context_bank, stall, resume, resume_delay;
 *   workload:  fault: {device, pages, op, interval, count, start};
 *   top level: irq_storm: {count, window}, stall_timeout.
 *
 * And the rules that tie them together, checked after every section was
 * read (scn_check_smmuv2()): SMMUv2 keys only on a version 2 SMMU and its
 * devices, SMMUv3 keys never there; a device on an SMMUv2 names a
 * context bank of its SMMU that no other device uses, is in no domain's
 * attach list, takes no event and runs `fault` work only (and `fault`
 * work runs on such devices only).
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_internal.h"

const char *const scn_context_irqs_names[] = { "shared", "per-bank", NULL };
const char *const scn_resume_names[] = { "terminate", "retry", NULL };

static const char *const op_names[] = { "read", "write", NULL };

/* SMMUv2 id of the SMMU of device @d, or false. */
static bool dev_on_v2(const struct scenario *scn, uint32_t d)
{
	return d != SCN_NONE && d < scn->ndevices && scn->devices[d].smmu != SCN_NONE &&
	       scn->smmus[scn->devices[d].smmu].version == 2;
}

bool scenario_has_smmuv2(const struct scenario *scn)
{
	for (unsigned int i = 0; i < scn->nsmmus; i++)
		if (scn->smmus[i].version == 2)
			return true;
	return false;
}

/* ---- workload: fault ---- */

const struct scn_field scn_fault_fields[] = {
	F_REF("device", struct scn_work, device, REF_DEVICE),
	F_U32("pages", struct scn_work, pages, 1, 65536, "1"),
	F_ENUM("op", struct scn_work, op, op_names, "read"),
	F_TIME("interval", struct scn_work, interval, 1, "10us"),
	F_U64("count", struct scn_work, count, 0, UINT64_MAX, "0"),
	F_TIME("start", struct scn_work, start, 0, "0ns"),
	F_END
};

/** scn_parse_fault_work() - `fault:` accesses to unmapped IOVAs. */
bool scn_parse_fault_work(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scn_work *w = obj;
	char a[SCN_TIMEBUF], b[SCN_TIMEBUF];
	const struct yt_node *st;

	w->kind = SCN_WORK_FAULT;
	if (!scn_parse_fields(L, n, scn_fault_fields, w))
		return false;
	st = yt_map_get(n, "start");
	if (st && L->duration_ok && w->start >= L->scn->duration)
		scn_error(L, st, "fault starts at %s is not before the end of the run (duration: %s)",
			  scn_format_time(a, w->start), scn_format_time(b, L->scn->duration));
	return true;
}

/* ---- top level: irq_storm ---- */

const struct scn_field scn_irq_storm_fields[] = {
	F_U32("count", struct scenario, irq_storm_count, 1, 1000000, "1000"),
	F_TIME("window", struct scenario, irq_storm_window, 1, "1ms"),
	F_END
};

/** scn_parse_irq_storm() - `irq_storm: {count, window}`. */
bool scn_parse_irq_storm(struct loader *L, const struct yt_node *n, void *obj)
{
	return scn_parse_fields(L, n, scn_irq_storm_fields, L->scn);
}

/* ---- cross-checks ---- */

static const char *const v2_smmu_keys[] = {
	"context_banks", "ss_asserts_irq", "context_irqs", "context_irq_affinity", NULL
};
static const char *const v3_smmu_keys[] = {
	"cmdq_entries", "evtq_entries", "priq_entries", "sync", "irq_affinity",
	"ssid_bits", "ats", "pri", "stall", "stall_max", "tlb_entries",
	"cfg_cache_entries", "cmd_time", NULL
};
static const char *const v2_dev_keys[] = {
	"context_bank", "resume", "resume_delay", NULL
};
static const char *const v3_dev_keys[] = {
	"aliases", "ats", "atc_entries", "inv_queue_depth", "atc_inv_latency",
	"completion_timeout", "pri", "pri_max_requests", "prg_response_timeout",
	"pasid", "pasid_bits", "flr_capable", "flr_time", "knobs", NULL
};

/* Report every key of @keys present in @m, with @why. */
static void forbid_keys(struct loader *L, const struct yt_node *m, const char *const keys[],
			const char *why)
{
	for (size_t i = 0; i < m->map.n; i++)
		for (unsigned int k = 0; keys[k]; k++)
			if (!strcmp(m->map.pairs[i].key->scalar.text, keys[k]))
				scn_error(L, m->map.pairs[i].key, "key '%s' %s", keys[k], why);
}

/* The mapping items of list @key of @root, as the section loaders saw them. */
static size_t map_items(const struct yt_node *root, const char *key,
			const struct yt_node **out, size_t max)
{
	const struct yt_node *seq = yt_map_get(root, key);
	size_t n = 0;

	if (!seq || seq->kind != YT_SEQ)
		return 0;
	for (size_t i = 0; i < seq->seq.n && n < max; i++)
		if (seq->seq.items[i]->kind == YT_MAP)
			out[n++] = seq->seq.items[i];
	return n;
}

static void check_smmus(struct loader *L, const struct yt_node *root)
{
	struct scenario *scn = L->scn;
	const struct yt_node **m = scn_zalloc(scn->nsmmus + 1, sizeof(*m));
	size_t n = map_items(root, "smmus", m, scn->nsmmus);

	for (size_t i = 0; i < n; i++) {
		const struct scn_smmu *s = &scn->smmus[i];
		const struct yt_node *sb = yt_map_get(m[i], "sid_bits");

		if (s->version != 2) {
			forbid_keys(L, m[i], v2_smmu_keys, "is for an SMMUv2 (add version: 2)");
			/* An SMMUv3's register reads take no time unless asked. */
			if (!yt_map_get(m[i], "mmio_latency"))
				((struct scn_smmu *)s)->mmio_latency = 0;
			continue;
		}
		forbid_keys(L, m[i], v3_smmu_keys, "is for an SMMUv3 (this one has version: 2)");
		if (sb && s->sid_bits > 10)
			scn_error(L, sb, "an SMMUv2 has at most 10 stream ID bits here, got %u",
				  s->sid_bits);
		if (!sb)
			((struct scn_smmu *)s)->sid_bits = 7;
	}
	free(m);
}

/* A device on an SMMUv2: its bank, unique on its SMMU. */
static void check_v2_device(struct loader *L, const struct yt_node *m, uint32_t me)
{
	const struct scenario *scn = L->scn;
	const struct scn_device *dev = &scn->devices[me];
	const struct scn_smmu *s = &scn->smmus[dev->smmu];
	const struct yt_node *cb = yt_map_get(m, "context_bank");

	forbid_keys(L, m, v3_dev_keys, "is for a device on an SMMUv3");
	if (!dev->has_context_bank) {
		scn_error(L, m, "device '%s' on SMMUv2 '%s' needs context_bank", dev->name, s->name);
		return;
	}
	if (dev->context_bank >= s->context_banks) {
		scn_error(L, cb, "context bank %u does not exist on '%s' (context_banks: %u)",
			  dev->context_bank, s->name, s->context_banks);
		return;
	}
	for (unsigned int k = 0; k < dev->nsids; k++)
		if (dev->sids[k] >> s->sid_bits)
			scn_error(L, yt_map_get(m, "sids"),
				  "SID 0x%x does not fit SMMUv2 '%s' (sid_bits: %u)",
				  dev->sids[k], s->name, s->sid_bits);
	for (uint32_t o = 0; o < me; o++) {
		const struct scn_device *od = &scn->devices[o];

		if (od->smmu == dev->smmu && od->has_context_bank &&
		    od->context_bank == dev->context_bank && od->name)
			scn_error(L, cb, "context bank %u of '%s' is already used by device '%s'",
				  dev->context_bank, s->name, od->name);
	}
}

static void check_devices(struct loader *L, const struct yt_node *root)
{
	struct scenario *scn = L->scn;
	const struct yt_node **m = scn_zalloc(scn->ndevices + 1, sizeof(*m));
	size_t n = map_items(root, "devices", m, scn->ndevices);

	for (size_t i = 0; i < n; i++) {
		if (scn->devices[i].smmu == SCN_NONE)
			continue;
		if (dev_on_v2(scn, (uint32_t)i))
			check_v2_device(L, m[i], (uint32_t)i);
		else
			forbid_keys(L, m[i], v2_dev_keys, "is for a device on an SMMUv2");
	}
	free(m);
}

/* No device on an SMMUv2 in a domain's attach list. */
static void check_domains(struct loader *L, const struct yt_node *root)
{
	const struct scenario *scn = L->scn;
	const struct yt_node **m = scn_zalloc(scn->ndomains + 1, sizeof(*m));
	size_t n = map_items(root, "domains", m, scn->ndomains);

	for (size_t i = 0; i < n; i++) {
		const struct yt_node *at = yt_map_get(m[i], "attach");

		for (size_t k = 0; at && at->kind == YT_SEQ && k < at->seq.n; k++)
			for (uint32_t d = 0; d < scn->ndevices; d++)
				if (at->seq.items[k]->kind == YT_SCALAR && scn->devices[d].name &&
				    !strcmp(at->seq.items[k]->scalar.text, scn->devices[d].name) &&
				    dev_on_v2(scn, d))
					scn_error(L, at->seq.items[k],
						  "device '%s' is on an SMMUv2: its context_bank is its domain; it is not attached",
						  scn->devices[d].name);
	}
	free(m);
}

static void check_work(struct loader *L, const struct yt_node *root)
{
	const struct scenario *scn = L->scn;
	const struct yt_node **m = scn_zalloc(scn->nwork + 1, sizeof(*m));
	size_t n = map_items(root, "workload", m, scn->nwork);

	for (size_t i = 0; i < n; i++) {
		const struct scn_work *w = &scn->work[i];
		const struct yt_node *f = yt_map_get(m[i], "fault");
		const struct yt_node *dma = yt_map_get(m[i], "dma");

		if (w->kind == SCN_WORK_FAULT && f && w->device != SCN_NONE &&
		    !dev_on_v2(scn, w->device))
			scn_error(L, yt_map_get(f, "device"),
				  "fault work needs a device on an SMMUv2; '%s' is not",
				  scn->devices[w->device].name);
		if (w->kind == SCN_WORK_DMA && dma && dev_on_v2(scn, w->device))
			scn_error(L, yt_map_get(dma, "device"),
				  "device '%s' is on an SMMUv2: use fault work",
				  scn->devices[w->device].name);
	}
	free(m);
}

static void check_events(struct loader *L, const struct yt_node *root)
{
	const struct scenario *scn = L->scn;
	const struct yt_node *seq = yt_map_get(root, "events");

	for (size_t i = 0; seq && seq->kind == YT_SEQ && i < seq->seq.n; i++) {
		const struct yt_node *m = seq->seq.items[i];
		const struct yt_node *dn = m->kind == YT_MAP ? yt_map_get(m, "device") : NULL;
		const struct yt_node *sn = m->kind == YT_MAP ? yt_map_get(m, "smmu") : NULL;

		for (uint32_t d = 0; dn && dn->kind == YT_SCALAR && d < scn->ndevices; d++)
			if (scn->devices[d].name && !strcmp(dn->scalar.text, scn->devices[d].name) &&
			    dev_on_v2(scn, d))
				scn_error(L, dn, "events act on SMMUv3 devices; '%s' is on an SMMUv2",
					  scn->devices[d].name);
		for (uint32_t s = 0; sn && sn->kind == YT_SCALAR && s < scn->nsmmus; s++)
			if (scn->smmus[s].name && !strcmp(sn->scalar.text, scn->smmus[s].name) &&
			    scn->smmus[s].version == 2)
				scn_error(L, sn, "events act on SMMUv3s; '%s' has version: 2",
					  scn->smmus[s].name);
	}
}

/** scn_check_smmuv2() - the SMMUv2 rules (see the top of this file). */
void scn_check_smmuv2(struct loader *L, const struct yt_node *root)
{
	if (!root || root->kind != YT_MAP)
		return;
	check_smmus(L, root);
	check_devices(L, root);
	check_domains(L, root);
	check_work(L, root);
	check_events(L, root);
}
