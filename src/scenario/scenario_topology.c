// SPDX-License-Identifier: MIT
/*
 * Scenario files: the topology sections, `smmus:`, `devices:` (with their
 * misbehaviour knobs, also used by `set` events) and `domains:`.
 * See scenario.h and docs/scenarios.md.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hw/pcie/pcie_ep.h"
#include "scenario/scenario_internal.h"

/* ------------------------------------------------------------------ */
/* smmus                                                               */
/* ------------------------------------------------------------------ */

static const char *const sync_names[] = { "msi", "cons", NULL };
static const char *const irq_names[] = {
	"gerror", "evtq", "priq", "cmdq-sync", NULL
};

/** scn_irq_name() - "gerror", "evtq", "priq", "cmdq-sync"; NULL if invalid. */
const char *scn_irq_name(enum scn_irq irq)
{
	return (unsigned int)irq < SCN_NR_IRQS ? irq_names[irq] : NULL;
}

#define IRQ_FIELD(k, i) F_CPU(k, struct scn_smmu, irq_affinity[i])

const struct scn_field scn_irq_fields[] = {
	IRQ_FIELD("gerror", SCN_IRQ_GERROR),
	IRQ_FIELD("evtq", SCN_IRQ_EVTQ),
	IRQ_FIELD("priq", SCN_IRQ_PRIQ),
	IRQ_FIELD("cmdq-sync", SCN_IRQ_CMDQ_SYNC),
	F_END
};

static bool parse_irq_affinity(struct loader *L, const struct yt_node *n,
			       void *obj)
{
	return scn_parse_fields(L, n, scn_irq_fields, obj);
}

#define QMAX (1u << 19)		/* largest queue: IDR1 sizes are log2 <= 19 */

const struct scn_field scn_smmu_fields[] = {
	F_NAME("name", struct scn_smmu, name, SCN_NAME_MAX, SCN_REQUIRED),
	F_U32("cmdq_entries", struct scn_smmu, cmdq_entries, 2, QMAX, "256"),
	F_U32("evtq_entries", struct scn_smmu, evtq_entries, 2, QMAX, "128"),
	F_U32("priq_entries", struct scn_smmu, priq_entries, 2, QMAX, "128"),
	F_ENUM("sync", struct scn_smmu, sync, sync_names, "msi"),
	F_CUSTOM("irq_affinity", parse_irq_affinity, "{}"),
	F_U32("sid_bits", struct scn_smmu, sid_bits, 1, 32, "16"),
	F_U32("ssid_bits", struct scn_smmu, ssid_bits, 0, 20, "20"),
	F_BOOL("ats", struct scn_smmu, ats, "true"),
	F_BOOL("pri", struct scn_smmu, pri, "true"),
	F_BOOL("stall", struct scn_smmu, stall, "true"),
	F_U32("stall_max", struct scn_smmu, stall_max, 1, 0xffff, "32"),
	F_U32("tlb_entries", struct scn_smmu, tlb_entries, 1, 1u << 20, "256"),
	F_U32("cfg_cache_entries", struct scn_smmu, cfg_cache_entries, 1,
	      1u << 20, "64"),
	F_TIME("cmd_time", struct scn_smmu, cmd_time, 1, "50ns"),
	F_TIME("walk_time", struct scn_smmu, walk_time, 0, "100ns"),
	F_U32("version", struct scn_smmu, version, 2, 3, "3"),
	F_U32("context_banks", struct scn_smmu, context_banks, 1, 128, "8"),
	F_BOOL("ss_asserts_irq", struct scn_smmu, ss_asserts_irq, "false"),
	F_ENUM("context_irqs", struct scn_smmu, context_irqs, scn_context_irqs_names,
	       "shared"),
	F_CPU("context_irq_affinity", struct scn_smmu, context_irq_affinity),
	F_TIME("mmio_latency", struct scn_smmu, mmio_latency, 0, "100ns"),
	F_END
};

/* A queue size must be a power of two (IDR1 gives log2 sizes). */
static void check_pow2(struct loader *L, const struct yt_node *map,
		       const char *key, unsigned int v)
{
	const struct yt_node *n = yt_map_get(map, key);

	if (n && v && (v & (v - 1)))
		scn_error(L, n, "%s must be a power of two, got %u", key, v);
}

/** scn_parse_smmus() - the `smmus:` list. */
bool scn_parse_smmus(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scenario *scn = L->scn;
	struct yt_node *const *items;
	size_t i, cnt = scn_items(L, n, &items);

	scn->smmus = scn_zalloc(cnt, sizeof(*scn->smmus));
	for (i = 0; i < cnt; i++) {
		struct scn_smmu *s = &scn->smmus[scn->nsmmus];
		const struct yt_node *m = items[i];

		if (!yt_expect_map(L->d, m))
			continue;
		s->pos = scn_pos_of(m);
		scn_parse_fields(L, m, scn_smmu_fields, s);
		check_pow2(L, m, "cmdq_entries", s->cmdq_entries);
		check_pow2(L, m, "evtq_entries", s->evtq_entries);
		check_pow2(L, m, "priq_entries", s->priq_entries);
		if (s->name)
			scn_define(L, REF_SMMU, yt_map_get(m, "name"), s->name,
				   scn->nsmmus);
		scn->nsmmus++;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Knobs                                                               */
/* ------------------------------------------------------------------ */

/* What the knob values parse into; only their validity is kept. */
struct knob_scratch {
	uint32_t flr;
	uint32_t pri;
	bool atc_inv_survives_reset;
	bool flr_survives_reset;
	bool pri_survives_reset;
};

/* The values pcie_ep_set_knob() accepts (hw/pcie/pcie_ep.h). */
static const char *const atc_inv_names[] = {
	"ok", "unresponsive", "slow:<time>", "lying", "duplicate",
	"wrong_requester", NULL
};
static const char *const flr_names[] = {
	"ok", "fail", "enotty", "hang", NULL
};
static const char *const pri_knob_names[] = {
	"ok", "flood", "never_stops", NULL
};

/* atc_inv: one of atc_inv_names, "slow:<time>" with a real time. */
static bool check_atc_inv(struct loader *L, const struct yt_node *n, void *obj)
{
	unsigned int idx;
	uint64_t ns;

	if (n->kind == YT_SCALAR && !strncmp(n->scalar.text, "slow:", 5))
		return yt_parse_time_ns(L->d, n->line,
					n->col + 5 + n->scalar.quoted,
					n->scalar.text + 5, &ns);
	if (n->kind == YT_SCALAR && !strcmp(n->scalar.text, "slow")) {
		scn_error(L, n, "'slow' needs a time: slow:<time>, e.g. slow:5ms");
		return false;
	}
	return yt_get_enum(L->d, n, atc_inv_names, &idx);
}

#define KNOB_BOOL(k) F_BOOL(#k, struct knob_scratch, k, "false")

const struct scn_field scn_knob_fields[] = {
	F_CUSTOM("atc_inv", check_atc_inv, "ok"),
	F_ENUM("flr", struct knob_scratch, flr, flr_names, "ok"),
	F_ENUM("pri", struct knob_scratch, pri, pri_knob_names, "ok"),
	KNOB_BOOL(atc_inv_survives_reset),
	KNOB_BOOL(flr_survives_reset),
	KNOB_BOOL(pri_survives_reset),
	F_END
};

/** scn_parse_knobs() - a knob map into settings, in file order. */
bool scn_parse_knobs(struct loader *L, const struct yt_node *n,
		     struct scn_knob **out, unsigned int *nout)
{
	struct knob_scratch scratch = { 0 };
	struct scn_knob *k;
	size_t i;

	if (!scn_parse_fields(L, n, scn_knob_fields, &scratch))
		return false;
	k = scn_zalloc(n->map.n, sizeof(*k));
	for (i = 0; i < n->map.n; i++) {
		const struct yt_node *v = n->map.pairs[i].value;
		struct pcie_ep_knobs hw = { 0 };
		char err[256];

		/* the endpoint model is the authority: never accept what it refuses */
		if (pcie_knob_parse(&hw, n->map.pairs[i].key->scalar.text, v->scalar.text,
				    err, sizeof(err))) {
			scn_error(L, v, "%s", err);
			free(k);
			return false;
		}

		k[i].key = n->map.pairs[i].key->scalar.text;
		k[i].value = v->scalar.text;
		k[i].pos = scn_pos_of(v);
	}
	*out = k;
	*nout = (unsigned int)n->map.n;
	return true;
}

/* ------------------------------------------------------------------ */
/* devices                                                             */
/* ------------------------------------------------------------------ */

static struct scn_device *cur_device(struct loader *L, void *obj, uint32_t *idx)
{
	struct scn_device *dev = obj;

	*idx = (uint32_t)(dev - L->scn->devices);
	return dev;
}

/* The SMMU a device is under, if its reference resolved. */
static const struct scn_smmu *dev_smmu(struct loader *L,
				       const struct scn_device *dev)
{
	return dev->smmu == SCN_NONE ? NULL : &L->scn->smmus[dev->smmu];
}

/* Whether @sid fits the SID width of @dev's SMMU; reports if not. */
static bool sid_fits(struct loader *L, const struct yt_node *n,
		     const struct scn_device *dev, uint64_t sid,
		     const char *what)
{
	const struct scn_smmu *s = dev_smmu(L, dev);

	if (!s || s->sid_bits >= 32 || sid < (1ull << s->sid_bits))
		return true;
	scn_error(L, n, "%s 0x%" PRIx64 " does not fit smmu '%s' (sid_bits: %u)",
		  what, sid, s->name, s->sid_bits);
	return false;
}

/*
 * A list of 1..SCN_MAX_SIDS (or 0.. for aliases) unique Stream IDs into
 * @v; each reported SID is left out.
 */
static bool parse_sid_list(struct loader *L, const struct yt_node *n,
			   const char *what, bool need_one, uint32_t *v,
			   unsigned int *nv)
{
	struct yt_node *const *items;
	size_t i, cnt = scn_items(L, n, &items);
	bool ok = n->kind == YT_SEQ;
	unsigned int j;
	uint64_t sid;

	*nv = 0;
	if (ok && need_one && !cnt) {
		scn_error(L, n, "a device needs at least one SID");
		return false;
	}
	for (i = 0; i < cnt; i++) {
		if (i == SCN_MAX_SIDS) {
			scn_error(L, items[i], "too many %ss (at most %d)",
				  what, SCN_MAX_SIDS);
			return false;
		}
		if (!yt_get_u64(L->d, items[i], 0, UINT32_MAX, &sid)) {
			ok = false;
			continue;
		}
		for (j = 0; j < *nv && v[j] != sid; j++)
			;
		if (j < *nv) {
			scn_error(L, items[i], "%s 0x%" PRIx64 " is listed twice",
				  what, sid);
			ok = false;
			continue;
		}
		v[(*nv)++] = (uint32_t)sid;
	}
	return ok;
}

/* `sids:` - unique among the devices of one SMMU, within its SID width. */
static bool parse_sids(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scenario *scn = L->scn;
	uint32_t me, d;
	struct scn_device *dev = cur_device(L, obj, &me);
	bool ok = parse_sid_list(L, n, "SID", true, dev->sids, &dev->nsids);
	unsigned int i, j;

	if (!ok)
		return false;
	for (i = 0; i < n->seq.n; i++) {
		const struct yt_node *item = n->seq.items[i];
		uint32_t sid = dev->sids[i];
		bool bad = !sid_fits(L, item, dev, sid, "SID");

		for (d = 0; !bad && dev->smmu != SCN_NONE && d < me; d++) {
			const struct scn_device *o = &scn->devices[d];

			if (o->smmu != dev->smmu || !o->name)
				continue;
			for (j = 0; j < o->nsids && o->sids[j] != sid; j++)
				;
			if (j < o->nsids) {
				scn_error(L, item,
					  "SID 0x%x is already used by device '%s' on smmu '%s'",
					  sid, o->name, scn->smmus[o->smmu].name);
				bad = true;
			}
		}
		ok &= !bad;
	}
	return ok;
}

/* `aliases:` - DMA aliases, none of them one of the device's own SIDs. */
static bool parse_aliases(struct loader *L, const struct yt_node *n, void *obj)
{
	uint32_t me;
	struct scn_device *dev = cur_device(L, obj, &me);
	bool ok = parse_sid_list(L, n, "alias", false, dev->aliases,
				 &dev->naliases);
	size_t i, cnt = ok ? n->seq.n : 0;
	unsigned int j;

	for (i = 0; i < cnt; i++) {
		const struct yt_node *item = n->seq.items[i];
		uint32_t a = dev->aliases[i];

		for (j = 0; j < dev->nsids && dev->sids[j] != a; j++)
			;
		if (j < dev->nsids) {
			scn_error(L, item,
				  "alias 0x%x is one of the device's own SIDs",
				  a);
			ok = false;
		} else {
			ok &= sid_fits(L, item, dev, a, "alias");
		}
	}
	if (!ok)
		dev->naliases = 0;
	return ok;
}

static bool parse_dev_knobs(struct loader *L, const struct yt_node *n,
			    void *obj)
{
	struct scn_device *dev = obj;

	return scn_parse_knobs(L, n, &dev->knobs, &dev->nknobs);
}

const struct scn_field scn_device_fields[] = {
	F_NAME("name", struct scn_device, name, SCN_NAME_MAX, SCN_REQUIRED),
	F_REF("smmu", struct scn_device, smmu, REF_SMMU),
	F_CUSTOM("sids", parse_sids, SCN_REQUIRED),
	F_CUSTOM("aliases", parse_aliases, "[]"),
	F_BOOL("ats", struct scn_device, ats, "false"),
	F_U32("atc_entries", struct scn_device, atc_entries, 1, 65536, "64"),
	F_U32("inv_queue_depth", struct scn_device, inv_queue_depth, 1, 32,
	      "32"),
	F_TIME("atc_inv_latency", struct scn_device, atc_inv_latency, 0, "2us"),
	F_TIME("completion_timeout", struct scn_device, completion_timeout, 1,
	       "50ms"),
	F_BOOL("pri", struct scn_device, pri, "false"),
	F_U32("pri_max_requests", struct scn_device, pri_max_requests, 1,
	      65536, "32"),
	F_TIME("prg_response_timeout", struct scn_device, prg_response_timeout,
	       1, "100ms"),
	F_BOOL("pasid", struct scn_device, pasid, "false"),
	F_U32("pasid_bits", struct scn_device, pasid_bits, 1,
	      SCN_PASID_BITS_MAX, "20"),
	F_BOOL("flr_capable", struct scn_device, flr_capable, "true"),
	F_TIME("flr_time", struct scn_device, flr_time, 0, "100ms"),
	F_CUSTOM("knobs", parse_dev_knobs, "{}"),
	F_OPT_U32("context_bank", struct scn_device, context_bank, has_context_bank, 0, 127),
	F_BOOL("stall", struct scn_device, stall, "false"),
	F_("resume", FT_ENUM_BOOL, struct scn_device, resume_terminate, 0, 0,
	   scn_resume_names, "terminate"),
	F_TIME("resume_delay", struct scn_device, resume_delay, 0, "50us"),
	F_END
};

/** scn_parse_devices() - the `devices:` list. */
bool scn_parse_devices(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scenario *scn = L->scn;
	struct yt_node *const *items;
	size_t i, cnt = scn_items(L, n, &items);

	scn->devices = scn_zalloc(cnt, sizeof(*scn->devices));
	for (i = 0; i < cnt; i++) {
		struct scn_device *dev = &scn->devices[scn->ndevices];
		const struct yt_node *m = items[i];

		if (!yt_expect_map(L->d, m))
			continue;
		dev->pos = scn_pos_of(m);
		dev->smmu = SCN_NONE;
		dev->domain = SCN_NONE;
		scn_parse_fields(L, m, scn_device_fields, dev);
		if (dev->pri && !dev->ats)
			scn_error(L, yt_map_get(m, "pri"),
				  "pri: true needs ats: true (page requests ride on ATS)");
		if (dev->name)
			scn_define(L, REF_DEVICE, yt_map_get(m, "name"),
				   dev->name, scn->ndevices);
		scn->ndevices++;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* domains                                                             */
/* ------------------------------------------------------------------ */

static const char *const domain_type_names[] = {
	"paging", "identity", "blocking", "sva", NULL
};

/** scn_domain_type_name() - "paging", ...; NULL if invalid. */
const char *scn_domain_type_name(enum scn_domain_type t)
{
	return (unsigned int)t <= SCN_DOMAIN_SVA ? domain_type_names[t] : NULL;
}

/* `attach:` - devices attached by RID; each in one domain at most. */
static bool parse_attach(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scenario *scn = L->scn;
	struct scn_domain *dom = obj;
	uint32_t me = (uint32_t)(dom - scn->domains);
	struct yt_node *const *items;
	size_t i, cnt = scn_items(L, n, &items);
	bool ok = n->kind == YT_SEQ;

	if (cnt && dom->type == SCN_DOMAIN_SVA) {
		scn_error(L, n,
			  "an sva domain is attached to PASIDs, not to a device's RID (use a pasid_attach event)");
		return false;
	}
	dom->attach = scn_zalloc(cnt, sizeof(*dom->attach));
	for (i = 0; i < cnt; i++) {
		struct scn_device *dev;
		uint32_t idx;

		if (!scn_ref(L, REF_DEVICE, items[i], &idx)) {
			ok = false;
			continue;
		}
		dev = &scn->devices[idx];
		if (dev->domain == me) {
			scn_error(L, items[i], "device '%s' is listed twice",
				  dev->name);
			ok = false;
		} else if (dev->domain != SCN_NONE) {
			scn_error(L, items[i],
				  "device '%s' is already attached to domain '%s'",
				  dev->name, scn->domains[dev->domain].name ?
				  scn->domains[dev->domain].name : "?");
			ok = false;
		} else {
			dev->domain = me;
			dom->attach[dom->nattach++] = idx;
		}
	}
	return ok;
}

const struct scn_field scn_domain_fields[] = {
	F_NAME("name", struct scn_domain, name, SCN_NAME_MAX, SCN_REQUIRED),
	F_ENUM("type", struct scn_domain, type, domain_type_names, "paging"),
	F_CUSTOM("attach", parse_attach, "[]"),
	F_CUSTOM("mm", scn_parse_domain_mm, "{}"),
	F_CUSTOM("fault_handler", scn_parse_fault_handler, SCN_NODEF),
	F_("free", FT_ENUM_BOOL, struct scn_domain, free_unused, 0, 0, scn_free_names, "never"),
	F_END
};

/** scn_parse_domains() - the `domains:` list. */
bool scn_parse_domains(struct loader *L, const struct yt_node *n, void *obj)
{
	struct scenario *scn = L->scn;
	struct yt_node *const *items;
	size_t i, cnt = scn_items(L, n, &items);

	scn->domains = scn_zalloc(cnt, sizeof(*scn->domains));
	for (i = 0; i < cnt; i++) {
		struct scn_domain *dom = &scn->domains[scn->ndomains];
		const struct yt_node *m = items[i];

		if (!yt_expect_map(L->d, m))
			continue;
		dom->pos = scn_pos_of(m);
		dom->mm_base = 0x100000;	/* mm: {} (scn_mm_fields) */
		if (scn_parse_fields(L, m, scn_domain_fields, dom))
			scn_check_domain_iopf(L, m, dom);
		if (dom->name)
			scn_define(L, REF_DOMAIN, yt_map_get(m, "name"),
				   dom->name, scn->ndomains);
		scn->ndomains++;
	}
	return true;
}

/** scn_free_topology() - free the smmus, devices and domains. */
void scn_free_topology(struct scenario *scn)
{
	unsigned int i;

	for (i = 0; i < scn->ndevices; i++)
		free(scn->devices[i].knobs);
	for (i = 0; i < scn->ndomains; i++)
		free(scn->domains[i].attach);
	free(scn->smmus);
	free(scn->devices);
	free(scn->domains);
}
