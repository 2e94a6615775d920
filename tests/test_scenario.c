// SPDX-License-Identifier: MIT
/*
 * Tests of the policy registry (src/scenario/policy.c) and the scenario
 * loader (src/scenario/scenario*.c): the DESIGN.md section 7 example with
 * its values, defaults, every class of malformed input with its exact
 * "FILE:LINE:COL: message" (inline and in tests/scenarios-bad/), the
 * agreement of docs/scenarios.md with the loader's key tables, shipped
 * scenario lookup, and a robustness run over mutated inputs (build with
 * -fsanitize=address to check that nothing leaks or overflows).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scenario/diag.h"
#include "scenario/policy.h"
#include "scenario/scenario.h"
#include "scenario/scenario_config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define EXAMPLE_PATH IOMMUSIM_SOURCE_ROOT "/scenarios/example-atc-timeout.yaml"
#define DOCS_PATH IOMMUSIM_SOURCE_ROOT "/docs/scenarios.md"
#define BAD_DIR IOMMUSIM_SOURCE_ROOT "/tests/scenarios-bad"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Load @yaml as "s.yaml" with a silent diag. */
static int load(struct scenario *scn, struct diag *d, const char *yaml)
{
	diag_init(d, "s.yaml");
	diag_set_sink(d, NULL);
	return scenario_load_string("s.yaml", yaml, strlen(yaml), scn, d);
}

/* @yaml loads without a message; the caller frees @scn. */
static void load_ok(struct scenario *scn, const char *yaml)
{
	struct diag d;
	int r = load(scn, &d, yaml);

	if (r || diag_count(&d))
		fail_msg("did not load (%d): %s\n--\n%s", r,
			 diag_message(&d, 0), yaml);
	diag_fini(&d);
}

/* The load of @yaml fails with exactly the messages @msgs (NULL-ended). */
static void expect_errors(const char *yaml, const char *const msgs[])
{
	static const struct scenario zero;
	struct scenario scn;
	struct diag d;
	unsigned int i;
	int r = load(&scn, &d, yaml);

	for (i = 0; msgs[i]; i++) {
		if (!diag_message(&d, i) || strcmp(diag_message(&d, i), msgs[i]))
			fail_msg("message %u:\n  got:  %s\n  want: %s\n--\n%s", i,
				 diag_message(&d, i), msgs[i], yaml);
	}
	if (diag_count(&d) != i)
		fail_msg("%u messages, want %u; extra: %s\n--\n%s",
			 diag_count(&d), i, diag_message(&d, i), yaml);
	assert_int_equal(r, -EINVAL);
	assert_memory_equal(&scn, &zero, sizeof(scn));
	diag_fini(&d);
}

static void expect_error(const char *yaml, const char *msg)
{
	const char *const msgs[] = { msg, NULL };

	expect_errors(yaml, msgs);
}

/*
 * A small valid base, lines 1 to 9; tests append sections from line 10:
 * 2 CPUs, 100ms, smmu0, dev0 (SID 0x10, ATS) attached to dom0.
 */
#define HEAD	"name: t\n"						\
		"duration: 100ms\n"					\
		"cpus: 2\n"						\
		"smmus:\n"						\
		"  - name: smmu0\n"					\
		"devices:\n"						\
		"  - {name: dev0, smmu: smmu0, sids: [0x10], ats: true}\n" \
		"domains:\n"						\
		"  - {name: dom0, attach: [dev0]}\n"

/* ------------------------------------------------------------------ */
/* Policies                                                            */
/* ------------------------------------------------------------------ */

static void test_policy_registry(void **state)
{
	/* DESIGN.md section 5, and cfie_mask's threaded-sync of the brief */
	static const struct {
		const char *name, *def;
		unsigned int nvalues;
	} want[POLICY_NR] = {
		{ "atc_timeout", "quarantine-retry", 3 },
		{ "atc_batch_sync", "per-batch", 2 },
		{ "master_lookup", "sid-lookup", 2 },
		{ "cmdq_err_coclear", "on", 2 },
		{ "cmdq", "lockfree", 2 },
		{ "report_broken", "worker-dev-iommu", 3 },
		{ "iopf_design", "linux", 2 },
		{ "iopf_drain", "ordered", 3 },
		{ "iopf_discard", "respond", 2 },
		{ "cfie_mask", "locked", 4 },
	};
	unsigned int i, j;

	for (i = 0; i < POLICY_NR; i++) {
		const struct policy_info *p = policy_info(i);

		assert_non_null(p);
		assert_string_equal(p->name, want[i].name);
		assert_string_equal(policy_names()[i], want[i].name);
		assert_int_equal(p->nvalues, want[i].nvalues);
		assert_null(p->values[p->nvalues]);
		assert_string_equal(p->values[p->def], want[i].def);
		assert_true(p->desc && *p->desc);
		for (j = 0; j < p->nvalues; j++) {
			assert_true(p->value_desc[j] && *p->value_desc[j]);
			assert_int_equal(policy_value_by_name(i, p->values[j]),
					 (int)j);
		}
		assert_int_equal(policy_by_name(p->name), (int)i);
	}
	assert_null(policy_names()[POLICY_NR]);
	assert_null(policy_info(POLICY_NR));
	assert_int_equal(policy_by_name("nope"), -EINVAL);
	assert_int_equal(policy_by_name(NULL), -EINVAL);
	assert_int_equal(policy_value_by_name(POLICY_CMDQ, "nope"), -EINVAL);
	assert_int_equal(policy_value_by_name(POLICY_NR, "on"), -EINVAL);
	/* the enums follow the value lists */
	assert_int_equal(policy_value_by_name(POLICY_CFIE_MASK, "threaded-sync"),
			 POL_CFIE_MASK_THREADED_SYNC);
	assert_int_equal(policy_value_by_name(POLICY_REPORT_BROKEN, "worker-rcu"),
			 POL_REPORT_BROKEN_WORKER_RCU);
	assert_int_equal(policy_value_by_name(POLICY_IOPF_DRAIN, "flush-wq"),
			 POL_IOPF_DRAIN_FLUSH_WQ);
}

static void test_policy_defaults_and_format(void **state)
{
	struct policy_set set;
	char buf[POLICY_FORMAT_BUFSZ], small[16];
	const char *all =
		"atc_timeout=quarantine-retry atc_batch_sync=per-batch "
		"master_lookup=sid-lookup cmdq_err_coclear=on cmdq=lockfree "
		"report_broken=worker-dev-iommu iopf_design=linux "
		"iopf_drain=ordered iopf_discard=respond cfie_mask=locked";
	size_t n;

	memset(&set, 0xff, sizeof(set));
	policy_set_default(&set);
	assert_int_equal(set.given, 0);
	assert_int_equal(policy_get(&set, POLICY_ATC_TIMEOUT),
			 POL_ATC_TIMEOUT_QUARANTINE_RETRY);
	assert_int_equal(policy_get(&set, POLICY_MASTER_LOOKUP),
			 POL_MASTER_LOOKUP_SID_LOOKUP);
	assert_int_equal(policy_get(&set, POLICY_REPORT_BROKEN),
			 POL_REPORT_BROKEN_WORKER_DEV_IOMMU);
	assert_int_equal(policy_get(&set, POLICY_IOPF_DRAIN),
			 POL_IOPF_DRAIN_ORDERED);
	assert_int_equal(policy_get(&set, POLICY_CFIE_MASK), POL_CFIE_MASK_LOCKED);
	assert_string_equal(policy_get_name(&set, POLICY_CMDQ), "lockfree");
	n = policy_format(&set, buf, sizeof(buf));
	assert_string_equal(buf, all);
	assert_int_equal(n, strlen(all));
	/* cut, still terminated, full length returned */
	assert_int_equal(policy_format(&set, small, sizeof(small)), strlen(all));
	assert_string_equal(small, "atc_timeout=qua");
}

static void test_policy_apply(void **state)
{
	struct policy_set set;
	char err[512];

	policy_set_default(&set);
	assert_int_equal(policy_set_apply(&set, "atc_timeout=ignore", err,
					  sizeof(err)), 0);
	assert_int_equal(policy_get(&set, POLICY_ATC_TIMEOUT),
			 POL_ATC_TIMEOUT_IGNORE);
	assert_true(policy_is_given(&set, POLICY_ATC_TIMEOUT));
	assert_false(policy_is_given(&set, POLICY_CMDQ));
	assert_int_equal(policy_set_apply_kv(&set, "cfie_mask", "threaded-sync",
					     err, sizeof(err)), 0);
	assert_string_equal(policy_get_name(&set, POLICY_CFIE_MASK),
			    "threaded-sync");
	assert_int_equal(set.given, (1u << POLICY_ATC_TIMEOUT) |
				    (1u << POLICY_CFIE_MASK));
	/* setting the default explicitly still counts as given */
	assert_int_equal(policy_set_apply(&set, "cmdq=lockfree", NULL, 0), 0);
	assert_true(policy_is_given(&set, POLICY_CMDQ));
	assert_int_equal(policy_set_apply(&set, "iopf_drain=flush-wq", err,
					  sizeof(err)), 0);
	assert_int_equal(policy_get(&set, POLICY_IOPF_DRAIN),
			 POL_IOPF_DRAIN_FLUSH_WQ);
}

static void test_policy_errors(void **state)
{
	struct policy_set set, before;
	char err[512];

	policy_set_default(&set);
	before = set;
	assert_int_equal(policy_set_apply(&set, "atc_timout=ignore", err,
					  sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"unknown policy 'atc_timout' (expected one of: atc_timeout, atc_batch_sync, master_lookup, cmdq_err_coclear, cmdq, report_broken, iopf_design, iopf_drain, iopf_discard, cfie_mask); did you mean 'atc_timeout'?");
	assert_int_equal(policy_set_apply(&set, "atc_timeout=quarantine-retyr",
					  err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"atc_timeout: invalid value 'quarantine-retyr' (expected one of: ignore, quarantine-batch, quarantine-retry); did you mean 'quarantine-retry'?");
	assert_int_equal(policy_set_apply(&set, "cmdq=zzz", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
		"cmdq: invalid value 'zzz' (expected one of: lockfree, spinlock)");
	assert_int_equal(policy_set_apply(&set, "cmdq", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "expected KEY=VALUE, got 'cmdq'");
	assert_int_equal(policy_set_apply(&set, "=on", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "expected KEY=VALUE, got '=on'");
	assert_int_equal(policy_set_apply(&set, "cmdq=", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
		"cmdq: invalid value '' (expected one of: lockfree, spinlock)");
	assert_int_equal(policy_set_apply_kv(&set, NULL, "x", NULL, 0), -EINVAL);
	assert_int_equal(policy_set_apply_kv(&set, "cmdq", NULL, err, 4),
			 -EINVAL);
	assert_string_equal(err, "cmd");	/* cut to the buffer */
	/* nothing changed */
	assert_memory_equal(&set, &before, sizeof(set));
}

/* ------------------------------------------------------------------ */
/* The DESIGN.md example and defaults                                   */
/* ------------------------------------------------------------------ */

static void test_design_example(void **state)
{
	struct scenario scn;
	const struct scn_smmu *s;
	const struct scn_device *nic, *nvme;
	const struct scn_event *ev;
	struct diag d;
	unsigned int v;

	diag_init(&d, EXAMPLE_PATH);
	diag_set_sink(&d, NULL);
	if (scenario_load_file(EXAMPLE_PATH, &scn, &d))
		fail_msg("%s", diag_message(&d, 0));
	diag_fini(&d);

	assert_string_equal(scn.file, EXAMPLE_PATH);
	assert_string_equal(scn.name, "atc-timeout-quarantine");
	assert_string_equal(scn.description,
		"An endpoint stops answering ATC invalidations while its mappings churn.");
	assert_int_equal(scn.duration, 260000000ull);	/* 200 ms in DESIGN.md: an FLR needs 100 ms+ */
	assert_int_equal(scn.cpus, 4);
	assert_int_equal(scn.seed, 1);
	assert_int_equal(scn.memory, 64ull << 20);
	assert_int_equal(scn.policy.given, 1u << POLICY_ATC_TIMEOUT);
	assert_int_equal(policy_get(&scn.policy, POLICY_ATC_TIMEOUT),
			 POL_ATC_TIMEOUT_QUARANTINE_RETRY);

	assert_int_equal(scn.nsmmus, 1);
	s = &scn.smmus[0];
	assert_string_equal(s->name, "smmu0");
	assert_int_equal(s->pos.line, 9);
	assert_int_equal(s->pos.col, 5);
	assert_int_equal(s->cmdq_entries, 256);
	assert_int_equal(s->evtq_entries, 128);
	assert_int_equal(s->priq_entries, 128);
	assert_int_equal(s->sync, SCN_SYNC_MSI);
	assert_int_equal(s->irq_affinity[SCN_IRQ_GERROR], 0);
	assert_int_equal(s->irq_affinity[SCN_IRQ_EVTQ], 1);
	assert_int_equal(s->irq_affinity[SCN_IRQ_PRIQ], 1);
	assert_int_equal(s->irq_affinity[SCN_IRQ_CMDQ_SYNC], 0);

	assert_int_equal(scn.ndevices, 2);
	nic = &scn.devices[0];
	nvme = &scn.devices[1];
	assert_string_equal(nic->name, "nic0");
	assert_int_equal(nic->smmu, 0);
	assert_int_equal(nic->nsids, 1);
	assert_int_equal(nic->sids[0], 0x10);
	assert_true(nic->ats);
	assert_false(nic->pri);
	assert_int_equal(nic->atc_entries, 64);
	assert_int_equal(nic->atc_inv_latency, 2000);
	assert_int_equal(nic->completion_timeout, 50000000);
	assert_int_equal(nic->domain, 0);
	assert_string_equal(nvme->name, "nvme0");
	assert_int_equal(nvme->nsids, 2);
	assert_int_equal(nvme->sids[0], 0x20);
	assert_int_equal(nvme->sids[1], 0x21);
	assert_true(nvme->ats);
	assert_int_equal(nvme->domain, 0);

	assert_int_equal(scn.ndomains, 1);
	assert_string_equal(scn.domains[0].name, "dom0");
	assert_int_equal(scn.domains[0].type, SCN_DOMAIN_PAGING);
	assert_int_equal(scn.domains[0].nattach, 2);
	assert_int_equal(scn.domains[0].attach[0], 0);
	assert_int_equal(scn.domains[0].attach[1], 1);

	assert_int_equal(scn.nwork, 3);
	assert_int_equal(scn.work[0].kind, SCN_WORK_DMA);
	assert_int_equal(scn.work[0].device, 0);
	assert_int_equal(scn.work[0].domain, 0);
	assert_int_equal(scn.work[0].pages, 32);
	assert_int_equal(scn.work[0].op, SCN_DMA_WRITE);
	assert_int_equal(scn.work[0].interval, 1000);
	assert_false(scn.work[0].has_pasid);
	assert_int_equal(scn.work[1].kind, SCN_WORK_CHURN);
	assert_int_equal(scn.work[1].device, SCN_NONE);
	assert_int_equal(scn.work[1].pages, 32);
	assert_int_equal(scn.work[1].interval, 20000);
	assert_int_equal(scn.work[2].device, 1);
	assert_int_equal(scn.work[2].op, SCN_DMA_READ);
	assert_int_equal(scn.work[2].interval, 3000);

	assert_int_equal(scn.nevents, 2);
	ev = &scn.events[0];
	assert_int_equal(ev->at, 10000000);
	assert_int_equal(ev->kind, SCN_EV_SET);
	assert_int_equal(ev->device, 0);
	assert_int_equal(ev->smmu, SCN_NONE);
	assert_int_equal(ev->nset, 1);
	assert_string_equal(ev->set[0].key, "atc_inv");
	assert_string_equal(ev->set[0].value, "unresponsive");
	assert_int_equal(ev->set[0].pos.line, 37);
	ev = &scn.events[1];
	assert_int_equal(ev->at, 120000000);
	assert_int_equal(ev->kind, SCN_EV_RESET);
	assert_int_equal(ev->reset, SCN_RESET_FLR);
	assert_true(ev->has_outcome);
	assert_int_equal(ev->outcome, SCN_OUTCOME_OK);
	assert_int_equal(ev->nset, 1);
	assert_string_equal(ev->set[0].value, "ok");

	for (v = 0; v < V_NR; v++) {
		assert_int_equal(scn.expect.violations[v].op, COUNT_EQ);
		assert_int_equal(scn.expect.violations[v].value, 0);
	}
	assert_int_equal(scn.expect.nquarantined, 1);
	assert_int_equal(scn.expect.quarantined[0], 0);
	assert_int_equal(scn.expect.nnot_quarantined, 1);
	assert_int_equal(scn.expect.not_quarantined[0], 1);
	assert_int_equal(scn.expect.nat_end, 1);
	assert_int_equal(scn.expect.at_end[0].device, 0);
	assert_true(scn.expect.at_end[0].has_blocked);
	assert_int_equal(scn.expect.at_end[0].blocked, SCN_BLOCKED_NO);
	assert_true(scn.expect.at_end[0].has_ats);
	assert_true(scn.expect.at_end[0].ats);
	assert_false(scn.expect.at_end[0].has_pri);
	assert_false(scn.expect.at_end[0].has_domain);
	assert_int_equal(scn.expect.nlog, 1);
	assert_string_equal(scn.expect.log[0].substring, "ATC invalidate timeout");
	assert_int_equal(scn.expect.log[0].cond.op, COUNT_LE);
	assert_int_equal(scn.expect.log[0].cond.value, 2);

	scenario_free(&scn);
	scenario_free(&scn);	/* zeroed: harmless */
	scenario_free(NULL);
}

static void test_defaults(void **state)
{
	struct scenario scn;
	const struct scn_smmu *s;
	const struct scn_device *dev;
	unsigned int i;

	load_ok(&scn, "name: t\nduration: 1s\n"
		"smmus: [{name: s}]\n"
		"devices: [{name: d, smmu: s, sids: [1]}]\n"
		"domains: [{name: x}]\n"
		"workload: [{dma: {device: d, domain: x, pages: 1}},"
		" {churn: {domain: x, pages: 2}}]\n"
		"events: [{at: 0ns, device: d, reset: flr}]\n");
	assert_string_equal(scn.description, "");
	assert_int_equal(scn.cpus, 4);
	assert_int_equal(scn.seed, 1);
	assert_int_equal(scn.memory, 64ull << 20);
	assert_int_equal(scn.cpu_relax_cost, 20);
	assert_int_equal(scn.soft_lockup, 20000000000ull);
	assert_int_equal(scn.policy.given, 0);
	s = &scn.smmus[0];
	assert_int_equal(s->cmdq_entries, 256);
	assert_int_equal(s->evtq_entries, 128);
	assert_int_equal(s->priq_entries, 128);
	assert_int_equal(s->sync, SCN_SYNC_MSI);
	for (i = 0; i < SCN_NR_IRQS; i++)
		assert_int_equal(s->irq_affinity[i], 0);
	assert_int_equal(s->sid_bits, 16);
	assert_int_equal(s->ssid_bits, 20);
	assert_true(s->ats && s->pri && s->stall);
	assert_int_equal(s->stall_max, 32);
	assert_int_equal(s->tlb_entries, 256);
	assert_int_equal(s->cfg_cache_entries, 64);
	assert_int_equal(s->cmd_time, 50);
	assert_int_equal(s->walk_time, 100);
	dev = &scn.devices[0];
	assert_int_equal(dev->naliases, 0);
	assert_false(dev->ats || dev->pri || dev->pasid);
	assert_int_equal(dev->atc_entries, 64);
	assert_int_equal(dev->inv_queue_depth, 32);
	assert_int_equal(dev->atc_inv_latency, 2000);
	assert_int_equal(dev->completion_timeout, 50000000);
	assert_int_equal(dev->pri_max_requests, 32);
	assert_int_equal(dev->prg_response_timeout, 100000000);
	assert_int_equal(dev->pasid_bits, 20);
	assert_true(dev->flr_capable);
	assert_int_equal(dev->flr_time, 100000000);
	assert_int_equal(dev->nknobs, 0);
	assert_int_equal(dev->domain, SCN_NONE);	/* in no attach list */
	assert_int_equal(scn.domains[0].type, SCN_DOMAIN_PAGING);
	assert_int_equal(scn.work[0].op, SCN_DMA_READ);
	assert_int_equal(scn.work[0].interval, 1000);
	assert_int_equal(scn.work[0].count, 0);
	assert_int_equal(scn.work[0].start, 0);
	assert_false(scn.work[0].has_pasid || scn.work[0].has_alias);
	assert_int_equal(scn.work[1].interval, 20000);
	assert_false(scn.events[0].has_outcome);
	assert_int_equal(scn.events[0].nset, 0);
	assert_int_equal(scn.expect.nquarantined + scn.expect.nnot_quarantined +
			 scn.expect.nat_end + scn.expect.nlog, 0);
	scenario_free(&scn);
}

/* Every kind of event, and their order: by time, ties in file order. */
static void test_events(void **state)
{
	static const struct {
		uint64_t at;
		enum scn_event_kind kind;
		unsigned int line;
	} want[] = {
		{ 0, SCN_EV_PRI, 16 },
		{ 1000000, SCN_EV_ATTACH, 12 },
		{ 1000000, SCN_EV_REPLACE, 13 },
		{ 1000000, SCN_EV_SFM, 18 },
		{ 2000000, SCN_EV_PASID_ATTACH, 14 },
		{ 2000000, SCN_EV_INJECT, 19 },
		{ 3000000, SCN_EV_DETACH, 11 },
		{ 3000000, SCN_EV_PASID_DETACH, 15 },
		{ 5000000, SCN_EV_RESET, 17 },
		{ 99999999, SCN_EV_SET, 10 },
	};
	struct scenario scn;
	const struct scn_event *e;
	unsigned int i;

	load_ok(&scn, "name: t\n"
		"duration: 100ms\n"
		"smmus: [{name: s0}, {name: s1}]\n"
		"devices:\n"
		"  - {name: d0, smmu: s0, sids: [1], ats: true, pri: true, pasid: true, pasid_bits: 4}\n"
		"  - {name: d1, smmu: s1, sids: [1]}\n"
		"domains:\n"
		"  - {name: p, type: paging}\n"
		"events:\n"
		"  - {at: 99999999ns, device: d0, set: {atc_inv: lying, flr_survives_reset: yes}}\n"
		"  - {at: 3ms, device: d1, detach: true}\n"
		"  - {at: 1ms, device: d0, attach: p}\n"
		"  - {at: 1000us, device: d1, replace: p}\n"
		"  - {at: 2ms, device: d0, pasid_attach: {pasid: 15, domain: p}}\n"
		"  - {at: 3ms, device: d0, pasid_detach: 15}\n"
		"  - {at: 0ns, device: d0, pri: disable}\n"
		"  - {at: 5ms, device: d0, reset: flr, outcome: hang}\n"
		"  - {at: 0.001s, smmu: s1, sfm: true}\n"
		"  - {at: 2ms, smmu: s0, inject: {command: illegal}}\n");
	assert_int_equal(scn.nevents, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		e = &scn.events[i];
		assert_int_equal(e->at, want[i].at);
		assert_int_equal(e->kind, want[i].kind);
		assert_int_equal(e->pos.line, want[i].line);
		assert_int_equal(e->pos.col, 5);
	}
	e = &scn.events[0];
	assert_int_equal(e->device, 0);
	assert_false(e->pri_enable);
	assert_int_equal(scn.events[1].domain, 0);
	assert_int_equal(scn.events[2].device, 1);
	assert_int_equal(scn.events[3].smmu, 1);
	assert_int_equal(scn.events[3].device, SCN_NONE);
	assert_int_equal(scn.events[4].pasid, 15);
	assert_int_equal(scn.events[4].domain, 0);
	assert_int_equal(scn.events[5].inject, SCN_INJECT_ILLEGAL);
	assert_int_equal(scn.events[5].smmu, 0);
	assert_int_equal(scn.events[7].pasid, 15);
	assert_int_equal(scn.events[8].outcome, SCN_OUTCOME_HANG);
	assert_int_equal(scn.events[8].nset, 0);
	e = &scn.events[9];
	assert_int_equal(e->nset, 2);
	assert_string_equal(e->set[0].key, "atc_inv");
	assert_string_equal(e->set[0].value, "lying");
	assert_string_equal(e->set[1].key, "flr_survives_reset");
	assert_string_equal(e->set[1].value, "yes");
	assert_int_equal(e->set[1].pos.line, 10);
	assert_int_equal(e->set[1].pos.col, 76);
	/* SID 1 on two SMMUs is fine */
	assert_int_equal(scn.devices[1].sids[0], 1);
	scenario_free(&scn);
}

static void test_values(void **state)
{
	struct scenario scn;
	const struct scn_expect *e;

	load_ok(&scn, "name: t\n"
		"duration: 100ms\n"
		"cpus: 2\n"
		"policy: {cmdq: spinlock, cfie_mask: threaded-sync}\n"
		"memory: 1GiB\n"
		"seed: 0xffffffffffffffff\n"
		"smmus:\n"
		"  - {name: smmu0, sync: cons, cmdq_entries: 524288, sid_bits: 5,"
		" irq_affinity: {cmdq-sync: 1}}\n"
		"devices:\n"
		"  - {name: dev0, smmu: smmu0, sids: [0x1f], aliases: [0x11, 0], ats: true,"
		" knobs: {atc_inv: 'slow:1.5us', pri: flood}}\n"
		"domains:\n"
		"  - {name: dom0, attach: [dev0]}\n"
		"workload:\n"
		"  - dma: {device: dev0, domain: dom0, pages: 65536, count: 7, start: 99ms, alias: 0x11}\n"
		"expect:\n"
		"  violations: {STALE_DMA_WRITE: \">0\", LOG_FLOOD: 0, WARN: \"!=3\"}\n"
		"  at_end: {dev0: {blocked: reset-failed, ats: disabled, domain: dom0}}\n"
		"  log: {\"a\": 1, 'b c': \">=2\"}\n");
	assert_int_equal(scn.policy.given,
			 (1u << POLICY_CMDQ) | (1u << POLICY_CFIE_MASK));
	assert_int_equal(policy_get(&scn.policy, POLICY_CMDQ), POL_CMDQ_SPINLOCK);
	assert_int_equal(scn.memory, 1ull << 30);
	assert_int_equal(scn.seed, UINT64_MAX);
	assert_int_equal(scn.smmus[0].sync, SCN_SYNC_CONS);
	assert_int_equal(scn.smmus[0].cmdq_entries, 524288);
	assert_int_equal(scn.smmus[0].irq_affinity[SCN_IRQ_CMDQ_SYNC], 1);
	assert_int_equal(scn.devices[0].naliases, 2);
	assert_int_equal(scn.devices[0].aliases[1], 0);
	assert_int_equal(scn.devices[0].nknobs, 2);
	assert_string_equal(scn.devices[0].knobs[0].value, "slow:1.5us");
	assert_string_equal(scn.devices[0].knobs[1].key, "pri");
	assert_int_equal(scn.work[0].pages, 65536);
	assert_int_equal(scn.work[0].count, 7);
	assert_int_equal(scn.work[0].start, 99000000);
	assert_true(scn.work[0].has_alias);
	assert_int_equal(scn.work[0].alias, 0x11);
	e = &scn.expect;
	assert_int_equal(e->violations[V_STALE_DMA_WRITE].op, COUNT_GT);
	assert_int_equal(e->violations[V_STALE_DMA_WRITE].value, 0);
	assert_int_equal(e->violations_pos[V_STALE_DMA_WRITE].line, 16);
	assert_int_equal(e->violations[V_LOG_FLOOD].op, COUNT_EQ);
	assert_int_equal(e->violations[V_WARN].op, COUNT_NE);
	assert_int_equal(e->violations[V_WARN].value, 3);
	assert_int_equal(e->violations[V_DEADLOCK].op, COUNT_EQ);
	assert_int_equal(e->violations_pos[V_DEADLOCK].line, 0);
	assert_int_equal(e->at_end[0].blocked, SCN_BLOCKED_RESET_FAILED);
	assert_true(e->at_end[0].has_ats);
	assert_false(e->at_end[0].ats);
	assert_true(e->at_end[0].has_domain);
	assert_int_equal(e->at_end[0].domain, 0);
	assert_int_equal(e->nlog, 2);
	assert_string_equal(e->log[1].substring, "b c");
	assert_int_equal(e->log[1].cond.op, COUNT_GE);
	scenario_free(&scn);
}

/* ------------------------------------------------------------------ */
/* Malformed input, one class at a time                                */
/* ------------------------------------------------------------------ */

#define TOP_KEYS "name, description, duration, cpus, seed, memory, cpu_relax_cost, soft_lockup, wfe_wake, stall_timeout, policy, smmus, devices, domains, workload, events, expect, irq_storm"

static void test_err_unknown_key(void **state)
{
	expect_error("name: t\nduration: 1ms\ncpuz: 2\n",
		     "s.yaml:3:1: unknown key 'cpuz' (expected one of: " TOP_KEYS "); did you mean 'cpus'?");
	expect_error(HEAD "expect: {violatons: 0}\n",
		     "s.yaml:10:10: unknown key 'violatons' (expected one of: violations, quarantined, not_quarantined, at_end, log, iopf); did you mean 'violations'?");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, irq_affinity: {gerorr: 0}}]\n",
		     "s.yaml:3:34: unknown key 'gerorr' (expected one of: gerror, evtq, priq, cmdq-sync); did you mean 'gerror'?");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, set: {atc_iv: ok}}]\n",
		     "s.yaml:10:40: unknown key 'atc_iv' (expected one of: atc_inv, flr, pri, atc_inv_survives_reset, flr_survives_reset, pri_survives_reset); did you mean 'atc_inv'?");
	/* a misspelt action: no cascade "needs an action" */
	expect_error(HEAD "events: [{at: 1ms, device: dev0, atach: dom0}]\n",
		     "s.yaml:10:34: unknown key 'atach' (expected one of: at, device, set, reset, outcome, attach, replace, detach, pasid_attach, pasid_replace, pasid_detach, pri); did you mean 'attach'?");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, inject: {command: illegal}}]\n",
		     "s.yaml:10:34: key 'inject' is for events on an smmu, and this one is on a device");
	expect_error(HEAD "events: [{at: 1ms, smmu: smmu0, reset: flr}]\n",
		     "s.yaml:10:33: key 'reset' is for events on a device, and this one is on an smmu");
	expect_error(HEAD "workload: [{dmaa: {}}]\n",
		     "s.yaml:10:13: unknown key 'dmaa' (expected one of: dma, churn, fault); did you mean 'dma'?");
}

static void test_err_type(void **state)
{
	expect_error("name: t\nduration: 1ms\ncpus: [2]\n",
		     "s.yaml:3:7: expected an integer, got a sequence");
	expect_error("name: t\nduration: 1ms\ncpus: \"2\"\n",
		     "s.yaml:3:7: expected an integer, got a quoted string '2' (numbers are written without quotes)");
	expect_error("name: t\nduration: 1ms\nsmmus: {name: s}\n",
		     "s.yaml:3:8: expected a sequence, got a mapping");
	expect_error("name: t\nduration: 1ms\nsmmus: [s]\n",
		     "s.yaml:3:9: expected a mapping, got 's'");
	expect_error("- name: t\n", "s.yaml:1:1: expected a mapping, got a sequence");
	expect_error(HEAD "devices2: 1\n",
		     "s.yaml:10:1: unknown key 'devices2' (expected one of: " TOP_KEYS "); did you mean 'devices'?");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\ndevices: [{name: d, smmu: s, sids: 0x10}]\n",
		     "s.yaml:4:36: expected a sequence, got '0x10'");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, ats: 1}]\n",
		     "s.yaml:3:24: invalid boolean '1' (expected true, false, yes, no, on or off, in lower case)");
	expect_error("name: [t]\nduration: 1ms\n",
		     "s.yaml:1:7: expected a string, got a sequence");
	expect_error(HEAD "expect: {violations: 3}\n",
		     "s.yaml:10:22: expected 0 or a map from violation ID to a count condition, got '3'");
	expect_error(HEAD "expect: {violations: [WARN]}\n",
		     "s.yaml:10:22: expected 0 or a map from violation ID to a count condition, got a sequence");
	expect_error(HEAD "expect: {violations: }\n",
		     "s.yaml:10:22: expected 0 or a map from violation ID to a count condition, got no value");
}

static void test_err_missing(void **state)
{
	expect_error("name: t\n", "s.yaml:1:1: missing required key 'duration'");
	expect_error("duration: 1ms\n", "s.yaml:1:1: missing required key 'name'");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\ndevices: [{name: d, smmu: s}]\n",
		     "s.yaml:4:11: missing required key 'sids'");
	expect_error(HEAD "workload: [{dma: {device: dev0, domain: dom0}}]\n",
		     "s.yaml:10:18: missing required key 'pages'");
	expect_error(HEAD "events: [{device: dev0, detach: true}]\n",
		     "s.yaml:10:10: missing required key 'at'");
	expect_error(HEAD "events: [{at: 1ms, smmu: smmu0, inject: {}}]\n",
		     "s.yaml:10:41: missing required key 'command'");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\ndevices: [{name: d, smmu: s, sids: []}]\n",
		     "s.yaml:4:36: a device needs at least one SID");
}

static void test_err_units(void **state)
{
	expect_error("name: t\nduration: 100\n",
		     "s.yaml:2:11: time '100' has no unit (a unit is required: ns, us, ms or s)");
	expect_error("name: t\nduration: 5xs\n",
		     "s.yaml:2:11: unknown time unit 'xs' in '5xs' (expected ns, us, ms or s)");
	expect_error("name: t\nduration: 0ms\n",
		     "s.yaml:2:11: value '0ms' is out of range (expected at least 1ns)");
	expect_error("name: t\nduration: 1ms\nmemory: 64MB\n",
		     "s.yaml:3:9: unknown size unit 'MB' in '64MB' (expected B, KiB, MiB or GiB); did you mean 'MiB'?");
	expect_error("name: t\nduration: 1ms\nmemory: 64\n",
		     "s.yaml:3:9: size '64' has no unit (a unit is required: B, KiB, MiB or GiB)");
	expect_error("name: t\nduration: 1ms\nmemory: 512KiB\n",
		     "s.yaml:3:9: value '512KiB' is out of range (expected 1MiB to 16GiB)");
	expect_error("name: t\nduration: 1ms\nmemory: 1025KiB\n",
		     "s.yaml:3:9: memory must be a whole number of 4KiB pages");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, set: {atc_inv: slow:5xs}}]\n",
		     "s.yaml:10:54: unknown time unit 'xs' in '5xs' (expected ns, us, ms or s)");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, set: {atc_inv: slow}}]\n",
		     "s.yaml:10:49: 'slow' needs a time: slow:<time>, e.g. slow:5ms");
	expect_error(HEAD "workload: [{dma: {device: dev0, domain: dom0, pages: 1, interval: 0ns}}]\n",
		     "s.yaml:10:67: value '0ns' is out of range (expected at least 1ns)");
}

static void test_err_enum(void **state)
{
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, sync: msix}]\n",
		     "s.yaml:3:25: invalid value 'msix' (expected one of: msi, cons); did you mean 'msi'?");
	expect_error("name: t\nduration: 1ms\ndomains: [{name: d, type: pagin}]\n",
		     "s.yaml:3:27: invalid value 'pagin' (expected one of: paging, identity, blocking, sva); did you mean 'paging'?");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, set: {flr: fial}}]\n",
		     "s.yaml:10:45: invalid value 'fial' (expected one of: ok, fail, enotty, hang); did you mean 'fail'?");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, set: {atc_inv: unresponsiv}}]\n",
		     "s.yaml:10:49: invalid value 'unresponsiv' (expected one of: ok, unresponsive, slow:<time>, lying, duplicate, wrong_requester); did you mean 'unresponsive'?");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, reset: flr, outcome: okay}]\n",
		     "s.yaml:10:55: invalid value 'okay' (expected one of: ok, fail, enotty, hang)");
	expect_error(HEAD "expect: {at_end: {dev0: {blocked: reset_failed}}}\n",
		     "s.yaml:10:35: invalid value 'reset_failed' (expected one of: no, resetting, reset-failed, broken); did you mean 'reset-failed'?");
	expect_error(HEAD "expect: {at_end: {dev0: {ats: on}}}\n",
		     "s.yaml:10:31: invalid value 'on' (expected one of: enabled, disabled)");
	expect_error(HEAD "workload: [{dma: {device: dev0, domain: dom0, pages: 1, op: rw}}]\n",
		     "s.yaml:10:61: invalid value 'rw' (expected one of: read, write)");
}

static void test_err_references(void **state)
{
	struct scenario scn;

	expect_error("name: t\nduration: 1ms\nsmmus: [{name: smmu0}]\ndevices: [{name: d, smmu: smmu1, sids: [1]}]\n",
		     "s.yaml:4:27: unknown smmu 'smmu1' (expected one of: smmu0); did you mean 'smmu0'?");
	expect_error("name: t\nduration: 1ms\ndevices: [{name: d, smmu: smmu1, sids: [1]}]\n",
		     "s.yaml:3:27: unknown smmu 'smmu1' (the scenario defines no smmus)");
	expect_error(HEAD "workload: [{churn: {domain: dom1, pages: 1}}]\n",
		     "s.yaml:10:29: unknown domain 'dom1' (expected one of: dom0); did you mean 'dom0'?");
	/* user text in a message is cut, control characters shown as '?' */
	expect_error("name: t\nduration: 1ms\ndevices: [{name: d, smmu: "
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		     ", sids: [1]}]\n",
		     "s.yaml:3:27: unknown smmu "
		     "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'"
		     " (the scenario defines no smmus)");
	expect_error("name: t\nduration: 1ms\ndevices: [{name: d, smmu: \"a\\tb\", sids: [1]}]\n",
		     "s.yaml:3:27: unknown smmu 'a?b' (the scenario defines no smmus)");
	expect_error(HEAD "events: [{at: 1ms, device: nic0, detach: true}]\n",
		     "s.yaml:10:28: unknown device 'nic0' (expected one of: dev0)");
	expect_error(HEAD "events: [{at: 1ms, smmu: smmu9, sfm: true}]\n",
		     "s.yaml:10:26: unknown smmu 'smmu9' (expected one of: smmu0); did you mean 'smmu0'?");
	expect_error(HEAD "expect: {at_end: {dev1: {blocked: no}}}\n",
		     "s.yaml:10:19: unknown device 'dev1' (expected one of: dev0); did you mean 'dev0'?");
	expect_error(HEAD "expect: {quarantined: [dev0, dev2]}\n",
		     "s.yaml:10:30: unknown device 'dev2' (expected one of: dev0); did you mean 'dev0'?");
	expect_error(HEAD "expect: {at_end: {dev0: {domain: dom2}}}\n",
		     "s.yaml:10:34: unknown domain 'dom2' (expected one of: dom0); did you mean 'dom0'?");
	/* domains refer to devices defined later in the file */
	load_ok(&scn, "name: t\nduration: 1ms\ndomains: [{name: x, attach: [d]}]\n"
		"devices: [{name: d, smmu: s, sids: [1]}]\nsmmus: [{name: s}]\n");
	assert_int_equal(scn.devices[0].domain, 0);
	scenario_free(&scn);
}

static void test_err_duplicates(void **state)
{
	expect_error(HEAD "  - {name: dom0}\n",
		     "s.yaml:10:12: duplicate domain name 'dom0' (first defined at 9:12)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: d, smmu: s, sids: [1]}, {name: d, smmu: s, sids: [2]}]\n",
		     "s.yaml:4:49: duplicate device name 'd' (first defined at 4:18)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}, {name: s}]\n",
		     "s.yaml:3:27: duplicate smmu name 's' (first defined at 3:16)");
	expect_error(HEAD "  - {name: dom1, attach: [dev0]}\n",
		     "s.yaml:10:27: device 'dev0' is already attached to domain 'dom0'");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: d, smmu: s, sids: [1]}]\n"
		     "domains: [{name: x, attach: [d, d]}]\n",
		     "s.yaml:5:33: device 'd' is listed twice");
	expect_error(HEAD "expect: {not_quarantined: [dev0, dev0]}\n",
		     "s.yaml:10:34: device 'dev0' is listed twice");
	/* a YAML mapping cannot have a key twice (reported by yamltree) */
	expect_error("name: t\nname: u\nduration: 1ms\n",
		     "s.yaml:2:1: duplicate key 'name' (first defined at line 1, column 1)");
}

static void test_err_sids(void **state)
{
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: a, smmu: s, sids: [0x10]}, {name: b, smmu: s, sids: [0x11, 0x10]}]\n",
		     "s.yaml:4:77: SID 0x10 is already used by device 'a' on smmu 's'");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: a, smmu: s, sids: [0x10, 16]}]\n",
		     "s.yaml:4:43: SID 0x10 is listed twice");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, sid_bits: 4}]\n"
		     "devices: [{name: a, smmu: s, sids: [0x10]}]\n",
		     "s.yaml:4:37: SID 0x10 does not fit smmu 's' (sid_bits: 4)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: a, smmu: s, sids: [1, 2, 3, 4, 5, 6, 7, 8, 9]}]\n",
		     "s.yaml:4:61: too many SIDs (at most 8)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: a, smmu: s, sids: [0x100000000]}]\n",
		     "s.yaml:4:37: value 0x100000000 is out of range (expected at most 0xffffffff)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: a, smmu: s, sids: [1], aliases: [1]}]\n",
		     "s.yaml:4:51: alias 0x1 is one of the device's own SIDs");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, sid_bits: 1}]\n"
		     "devices: [{name: a, smmu: s, sids: [1], aliases: [2]}]\n",
		     "s.yaml:4:51: alias 0x2 does not fit smmu 's' (sid_bits: 1)");
}

static void test_err_cpus(void **state)
{
	expect_error("name: t\nduration: 1ms\ncpus: 2\nsmmus: [{name: s, irq_affinity: {evtq: 2}}]\n",
		     "s.yaml:4:40: CPU 2 is out of range (the scenario has 2 CPUs: 0 to 1)");
	expect_error("name: t\nduration: 1ms\ncpus: 1\nsmmus: [{name: s, irq_affinity: {cmdq-sync: 1}}]\n",
		     "s.yaml:4:45: CPU 1 is out of range (the scenario has 1 CPU: 0 to 0)");
	/* default: 4 CPUs */
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, irq_affinity: {priq: 4}}]\n",
		     "s.yaml:3:40: CPU 4 is out of range (the scenario has 4 CPUs: 0 to 3)");
	expect_error("name: t\nduration: 1ms\ncpus: 65\n",
		     "s.yaml:3:7: value 65 is out of range (expected 1 to 64)");
	/* cpus itself is wrong: only that is reported */
	expect_error("name: t\nduration: 1ms\ncpus: 0\nsmmus: [{name: s, irq_affinity: {evtq: 2}}]\n",
		     "s.yaml:3:7: value 0 is out of range (expected 1 to 64)");
}

static void test_err_times(void **state)
{
	expect_error(HEAD "events: [{at: 100ms, smmu: smmu0, sfm: true}]\n",
		     "s.yaml:10:15: event at 100ms is not before the end of the run (duration: 100ms)");
	expect_error(HEAD "events: [{at: 1s, device: dev0, detach: true}]\n",
		     "s.yaml:10:15: event at 1s is not before the end of the run (duration: 100ms)");
	expect_error(HEAD "workload: [{churn: {domain: dom0, pages: 1, start: 101ms}}]\n",
		     "s.yaml:10:52: churn starts at 101ms is not before the end of the run (duration: 100ms)");
	/* a duration that did not parse is not compared with */
	expect_error("name: t\nduration: 1\nevents: []\n",
		     "s.yaml:2:11: time '1' has no unit (a unit is required: ns, us, ms or s)");
}

static void test_err_count_conditions(void **state)
{
	expect_error(HEAD "expect: {log: {\"x\": \"=>1\"}}\n",
		     "s.yaml:10:21: invalid count condition '=>1' (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')");
	expect_error(HEAD "expect: {violations: {WARN: \"<0\"}}\n",
		     "s.yaml:10:29: count condition '<0' can never hold");
	expect_error(HEAD "expect: {log: {\"\": 1}}\n",
		     "s.yaml:10:16: empty log substring (it would match every line)");
}

static void test_err_violations(void **state)
{
	expect_error(HEAD "expect: {violations: {STALE_DMA_WRTE: \">0\"}}\n",
		     "s.yaml:10:23: unknown violation 'STALE_DMA_WRTE' (expected one of: STALE_DMA_WRITE, STALE_DMA_READ, USE_AFTER_FREE, DEADLOCK, SLEEP_IN_ATOMIC, PRQ_UNANSWERED, PRQ_DOUBLE_RESPONSE, FAULT_WRONG_DOMAIN, STALL_HANG, IRQ_STORM, LOG_FLOOD, QUARANTINE_ESCAPE, STALE_QUARANTINE, SOFT_LOCKUP, WARN); did you mean 'STALE_DMA_WRITE'?");
	expect_error(HEAD "expect: {violations: {warn: 0}}\n",
		     "s.yaml:10:23: unknown violation 'warn' (expected one of: STALE_DMA_WRITE, STALE_DMA_READ, USE_AFTER_FREE, DEADLOCK, SLEEP_IN_ATOMIC, PRQ_UNANSWERED, PRQ_DOUBLE_RESPONSE, FAULT_WRONG_DOMAIN, STALL_HANG, IRQ_STORM, LOG_FLOOD, QUARANTINE_ESCAPE, STALE_QUARANTINE, SOFT_LOCKUP, WARN); did you mean 'WARN'?");
}

static void test_err_policy(void **state)
{
	expect_error("name: t\nduration: 1ms\npolicy: {atc_timout: ignore}\n",
		     "s.yaml:3:10: unknown policy 'atc_timout' (expected one of: atc_timeout, atc_batch_sync, master_lookup, cmdq_err_coclear, cmdq, report_broken, iopf_design, iopf_drain, iopf_discard, cfie_mask); did you mean 'atc_timeout'?");
	expect_error("name: t\nduration: 1ms\npolicy:\n  iopf_drain: flush_wq\n",
		     "s.yaml:4:15: invalid value 'flush_wq' (expected one of: none, flush-wq, ordered); did you mean 'flush-wq'?");
	expect_error("name: t\nduration: 1ms\npolicy: [cmdq]\n",
		     "s.yaml:3:9: expected a mapping, got a sequence");
}

static void test_err_events(void **state)
{
	expect_error(HEAD "events: [{at: 1ms, device: dev0, smmu: smmu0, sfm: true}]\n",
		     "s.yaml:10:34: an event has one target: device or smmu, not both");
	expect_error(HEAD "events: [{at: 1ms, sfm: true}]\n",
		     "s.yaml:10:10: an event needs a target: device or smmu");
	expect_error(HEAD "events: [{at: 1ms, device: dev0}]\n",
		     "s.yaml:10:10: an event needs an action (one of: set, reset, attach, replace, detach, pasid_attach, pasid_detach, pasid_replace, pri)");
	expect_error(HEAD "events: [{at: 1ms, smmu: smmu0}]\n",
		     "s.yaml:10:10: an event needs an action (one of: sfm, inject)");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, detach: true, attach: dom0}]\n",
		     "s.yaml:10:48: one action per entry: 'attach' cannot come with 'detach'");
	expect_error(HEAD "events: [{at: 1ms, smmu: smmu0, sfm: true, inject: {command: illegal}}]\n",
		     "s.yaml:10:44: one action per entry: 'inject' cannot come with 'sfm'");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, set: {flr: ok}, outcome: ok}]\n",
		     "s.yaml:10:50: outcome goes with reset: add reset: flr");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, detach: false}]\n",
		     "s.yaml:10:42: 'detach: false' does nothing (write true, or leave the key out)");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, pri: enable}]\n",
		     "s.yaml:10:39: device 'dev0' has no PRI capability (pri: false)");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, pasid_detach: 1}]\n",
		     "s.yaml:10:48: device 'dev0' has no PASID capability (pasid: false)");
	expect_error(HEAD "  - {name: sv, type: sva}\n"
		     "events: [{at: 1ms, device: dev0, attach: sv}]\n",
		     "s.yaml:11:42: an sva domain is attached to PASIDs, not to a device's RID (use pasid_attach)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: d, smmu: s, sids: [1], pasid: true, pasid_bits: 2}]\n"
		     "domains: [{name: p, type: paging}]\n"
		     "events: [{at: 0ns, device: d, pasid_attach: {pasid: 4, domain: p}}]\n",
		     "s.yaml:6:53: PASID 4 does not fit device 'd' (pasid_bits: 2)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: d, smmu: s, sids: [1], pasid: true}]\n"
		     "domains: [{name: i, type: identity}]\n"
		     "events: [{at: 0ns, device: d, pasid_attach: {pasid: 4, domain: i}}]\n",
		     "s.yaml:6:64: a PASID takes a paging or sva domain; 'i' is identity");
	expect_error(HEAD "events: [{at: 1ms, device: dev0, reset: sbr}]\n",
		     "s.yaml:10:41: invalid value 'sbr' (expected one of: flr, probe)");
	expect_error(HEAD "events: [{at: 1ms, smmu: smmu0, inject: {command: bad}}]\n",
		     "s.yaml:10:51: invalid value 'bad' (expected one of: illegal)");
}

static void test_err_rules(void **state)
{
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: d, smmu: s, sids: [1], pri: true}]\n",
		     "s.yaml:4:46: pri: true needs ats: true (page requests ride on ATS)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, evtq_entries: 96}]\n",
		     "s.yaml:3:33: evtq_entries must be a power of two, got 96");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s, cmdq_entries: 1}]\n",
		     "s.yaml:3:33: value 1 is out of range (expected 2 to 524288)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: 0s}]\n",
		     "s.yaml:3:16: invalid name '0s' (a name is a letter, then letters, digits, '_', '-' or '.')");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: \"a b\"}]\n",
		     "s.yaml:3:16: invalid name 'a b' (a name is a letter, then letters, digits, '_', '-' or '.')");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: a23456789012345678901234567890123}]\n",
		     "s.yaml:3:16: name 'a23456789012345678901234567890123' is too long (at most 31 characters)");
	expect_error("name: \"\"\nduration: 1ms\n", "s.yaml:1:7: empty name");
	expect_error(HEAD "  - {name: sv, type: sva, attach: [dev0]}\n",
		     "s.yaml:10:35: an sva domain is attached to PASIDs, not to a device's RID (use a pasid_attach event)");
	expect_error(HEAD "  - {name: id, type: identity}\n"
		     "workload: [{churn: {domain: id, pages: 1}}]\n",
		     "s.yaml:11:29: churn needs a paging or sva domain; 'id' is identity");
	expect_error(HEAD "workload: [{dma: {device: dev0, domain: dom0, pages: 1, pasid: 1}}]\n",
		     "s.yaml:10:64: device 'dev0' has no PASID capability (pasid: false)");
	expect_error(HEAD "workload: [{dma: {device: dev0, domain: dom0, pages: 1, alias: 0x11}}]\n",
		     "s.yaml:10:64: 0x11 is not a DMA alias of device 'dev0' (see its aliases)");
	expect_error(HEAD "  - {name: sv, type: sva}\n"
		     "workload: [{dma: {device: dev0, domain: sv, pages: 1}}]\n",
		     "s.yaml:11:41: an sva domain is reached through a PASID: add pasid");
	expect_error(HEAD "workload: [{dma: {device: dev0, domain: dom0, pages: 1}, churn: {domain: dom0, pages: 1}}]\n",
		     "s.yaml:10:58: one workload item per entry: 'churn' cannot come with 'dma'");
	expect_error(HEAD "workload: [{}]\n",
		     "s.yaml:10:12: a workload entry needs one of: dma, churn, fault");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: d, smmu: s, sids: [1]}]\n"
		     "expect: {quarantined: [d]}\n",
		     "s.yaml:5:24: device 'd' has no ATS capability (ats: false): it cannot be quarantined");
	expect_error(HEAD "expect: {quarantined: [dev0], not_quarantined: [dev0]}\n",
		     "s.yaml:10:49: device 'dev0' is also listed in quarantined");
	expect_error(HEAD "expect: {at_end: {dev0: {pri: enabled}}}\n",
		     "s.yaml:10:31: device 'dev0' has no PRI capability (pri: false)");
	expect_error("name: t\nduration: 1ms\nsmmus: [{name: s}]\n"
		     "devices: [{name: d, smmu: s, sids: [1]}]\n"
		     "expect: {at_end: {d: {ats: enabled}}}\n",
		     "s.yaml:5:28: device 'd' has no ATS capability (ats: false)");
}

/* Every error of a file is reported, in order. */
static void test_err_all_reported(void **state)
{
	const char *const msgs[] = {
		"s.yaml:3:1: unknown key 'cpuz' (expected one of: " TOP_KEYS "); did you mean 'cpus'?",
		"s.yaml:4:25: invalid value 'msix' (expected one of: msi, cons); did you mean 'msi'?",
		"s.yaml:5:27: unknown smmu 't' (expected one of: s); did you mean 's'?",
		"s.yaml:6:15: event at 2ms is not before the end of the run (duration: 1ms)",
		"s.yaml:7:23: unknown violation 'NOPE' (expected one of: STALE_DMA_WRITE, STALE_DMA_READ, USE_AFTER_FREE, DEADLOCK, SLEEP_IN_ATOMIC, PRQ_UNANSWERED, PRQ_DOUBLE_RESPONSE, FAULT_WRONG_DOMAIN, STALL_HANG, IRQ_STORM, LOG_FLOOD, QUARANTINE_ESCAPE, STALE_QUARANTINE, SOFT_LOCKUP, WARN)",
		NULL
	};

	expect_errors("name: t\nduration: 1ms\ncpuz: 2\n"
		      "smmus: [{name: s, sync: msix}]\n"
		      "devices: [{name: d, smmu: t, sids: [1]}]\n"
		      "events: [{at: 2ms, smmu: s, sfm: true}]\n"
		      "expect: {violations: {NOPE: 1}}\n", msgs);
}

/* YAML-level errors come through with their positions. */
static void test_err_yaml(void **state)
{
	expect_error("", "s.yaml:1:1: empty file: expected one YAML document");
	expect_error("name: t\nduration: [1ms\n",
		     "s.yaml:3:1: syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 11)");
}

/* ------------------------------------------------------------------ */
/* tests/scenarios-bad/                                                */
/* ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Each file there is a malformed scenario whose comment lines
 * "# error: LINE:COL: message" give, in order, every message its load
 * must report (as "NAME.yaml:LINE:COL: message").
 */
static void test_bad_files(void **state)
{
	DIR *dir = opendir(BAD_DIR);
	struct dirent *e;
	char *names[256];
	size_t n = 0, i;

	assert_non_null(dir);
	while ((e = readdir(dir))) {
		size_t len = strlen(e->d_name);

		if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) {
			assert_true(n < ARRAY_SIZE(names));
			names[n++] = strdup(e->d_name);
		}
	}
	closedir(dir);
	qsort(names, n, sizeof(names[0]), cmp_str);
	assert_true(n >= 14);
	for (i = 0; i < n; i++) {
		char path[512], want[1024], *text, *line, *save = NULL;
		struct scenario scn;
		struct diag d;
		unsigned int k = 0;

		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, names[i]);
		text = read_file(path, NULL);
		diag_init(&d, names[i]);
		diag_set_sink(&d, NULL);
		assert_int_equal(scenario_load_file(path, &scn, &d), -EINVAL);
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "# error: ", 9))
				continue;
			snprintf(want, sizeof(want), "%s:%s", names[i], line + 9);
			if (!diag_message(&d, k) || strcmp(diag_message(&d, k), want))
				fail_msg("%s: message %u:\n  got:  %s\n  want: %s",
					 names[i], k, diag_message(&d, k), want);
			k++;
		}
		if (!k)
			fail_msg("%s has no '# error:' line", names[i]);
		if (diag_count(&d) != k)
			fail_msg("%s: %u messages, want %u; extra: %s", names[i],
				 diag_count(&d), k, diag_message(&d, k));
		diag_fini(&d);
		free(text);
		free(names[i]);
	}
}

/* ------------------------------------------------------------------ */
/* docs/scenarios.md against the loader's key tables                   */
/* ------------------------------------------------------------------ */

struct doc_row {
	char section[64];
	char key[64];
	char def[128];
	char example[512];
};

/* Copy @s trimmed of spaces, and of one pair of backticks, into @out. */
static void cell_text(char *out, size_t size, const char *s, size_t len)
{
	while (len && (*s == ' '))
		s++, len--;
	while (len && s[len - 1] == ' ')
		len--;
	if (len >= 2 && s[0] == '`' && s[len - 1] == '`')
		s++, len -= 2;
	if (len >= size)
		fail_msg("cell too long: %.*s", (int)len, s);
	memcpy(out, s, len);
	out[len] = '\0';
}

/* Split a table row into its cells (unescaped '|'); return the count. */
static unsigned int split_row(const char *row, const char *cells[],
			      size_t lens[], unsigned int max)
{
	unsigned int n = 0;
	const char *p = row + 1, *start = p;

	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p != '|')
			continue;
		if (n < max) {
			cells[n] = start;
			lens[n] = (size_t)(p - start);
		}
		n++;
		start = p + 1;
	}
	return n;
}

static struct doc_row *read_doc(size_t *nrows)
{
	char *text = read_file(DOCS_PATH, NULL), *line, *save = NULL;
	struct doc_row *rows = NULL;
	size_t n = 0, cap = 0;
	char section[64] = "";
	unsigned int in_table = 0;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *cells[8];
		size_t lens[8];
		unsigned int nc;

		if (!strncmp(line, "<!-- keys: ", 11)) {
			const char *end = strstr(line, " -->");

			if (!end || end - line - 11 >= (long)sizeof(section))
				fail_msg("docs: bad marker: %s", line);
			memcpy(section, line + 11, (size_t)(end - line - 11));
			section[end - line - 11] = '\0';
			in_table = 1;
			continue;
		}
		if (!in_table)
			continue;
		if (line[0] != '|') {
			in_table = 0;
			continue;
		}
		if (in_table++ <= 2)	/* header and separator rows */
			continue;
		nc = split_row(line, cells, lens, 8);
		if (nc != 5)
			fail_msg("docs: row of %u cells in %s: %s", nc, section,
				 line);
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			rows = realloc(rows, cap * sizeof(*rows));
			assert_non_null(rows);
		}
		strcpy(rows[n].section, section);
		cell_text(rows[n].key, sizeof(rows[n].key), cells[0], lens[0]);
		cell_text(rows[n].def, sizeof(rows[n].def), cells[2], lens[2]);
		cell_text(rows[n].example, sizeof(rows[n].example), cells[3],
			  lens[3]);
		n++;
	}
	free(text);
	*nrows = n;
	return rows;
}

/*
 * Where each section's example goes: a flow-style scenario with "%s" for
 * the entry's pairs, and the pairs of a minimal valid entry. @a scenario
 * with one SMMU, a device with every capability and three domains.
 */
#define PFX "name: t, duration: 100ms, cpus: 4, smmus: [{name: smmu0}, " \
	"{name: smmu1, version: 2}], " \
	"devices: [{name: dev0, smmu: smmu0, sids: [0x10], aliases: [0x11], " \
	"ats: true, pri: true, pasid: true}, " \
	"{name: gpu0, smmu: smmu1, sids: [0], context_bank: 0}], domains: [{name: dom0, " \
	"attach: [dev0]}, {name: dom1}, {name: sva0, type: sva}]"

static const struct doc_context {
	const char *section;
	const char *doc;	/* printf format with one %s */
	const char *base;	/* the pairs the example completes */
} contexts[] = {
	{ "scenario", "{%s}", "name: t, duration: 100ms" },
	{ "policy", "{name: t, duration: 100ms, policy: {%s}}", "" },
	{ "smmus[]", "{name: t, duration: 100ms, smmus: [{%s}]}", "name: smmu0" },
	{ "smmus[].irq_affinity",
	  "{name: t, duration: 100ms, cpus: 4, smmus: [{name: smmu0, irq_affinity: {%s}}]}",
	  "" },
	{ "devices[]",
	  "{name: t, duration: 100ms, smmus: [{name: smmu0}, {name: smmu1, version: 2}], devices: [{%s}]}",
	  "name: dev0, smmu: smmu0, sids: [0x10]" },
	{ "knobs",
	  "{name: t, duration: 100ms, smmus: [{name: smmu0}], devices: [{name: dev0, smmu: smmu0, sids: [0x10], knobs: {%s}}]}",
	  "" },
	{ "domains[]",
	  "{name: t, duration: 100ms, smmus: [{name: smmu0}], devices: [{name: dev0, smmu: smmu0, sids: [0x10]}], domains: [{%s}]}",
	  "name: dom0" },
	{ "workload[]", "{" PFX ", workload: [{%s}]}", "" },
	{ "workload[].dma", "{" PFX ", workload: [{dma: {%s}}]}",
	  "device: dev0, domain: dom0, pages: 1" },
	{ "workload[].churn", "{" PFX ", workload: [{churn: {%s}}]}",
	  "domain: dom0, pages: 1" },
	{ "events[] device", "{" PFX ", events: [{%s}]}", "at: 1ms, device: dev0" },
	{ "events[] smmu", "{" PFX ", events: [{%s}]}", "at: 1ms, smmu: smmu0" },
	{ "events[].pasid_attach",
	  "{" PFX ", events: [{at: 1ms, device: dev0, pasid_attach: {%s}}]}",
	  "pasid: 1, domain: sva0" },
	{ "events[].inject",
	  "{" PFX ", events: [{at: 1ms, smmu: smmu0, inject: {%s}}]}",
	  "command: illegal" },
	{ "expect", "{" PFX ", expect: {%s}}", "" },
	{ "expect.violations", "{" PFX ", expect: {violations: {%s}}}", "" },
	{ "expect.at_end.DEVICE", "{" PFX ", expect: {at_end: {dev0: {%s}}}}", "" },
	{ "workload[].fault", "{" PFX ", workload: [{fault: {%s}}]}", "device: gpu0" },
	{ "irq_storm", "{name: t, duration: 100ms, irq_storm: {%s}}", "" },
	{ "domains[].mm",
	  "{name: t, duration: 100ms, smmus: [{name: smmu0}], devices: [{name: dev0, smmu: smmu0, sids: [0x10]}], domains: [{name: sva0, type: sva, mm: {%s}}]}",
	  "" },
	{ "domains[].fault_handler",
	  "{name: t, duration: 100ms, smmus: [{name: smmu0}], devices: [{name: dev0, smmu: smmu0, sids: [0x10]}], domains: [{name: dom0, fault_handler: {%s}}]}",
	  "" },
	{ "events[].pasid_replace",
	  "{" PFX ", events: [{at: 1ms, device: dev0, pasid_replace: {%s}}]}",
	  "pasid: 1, domain: sva0" },
	{ "expect.iopf", "{" PFX ", expect: {iopf: {%s}}}", "" },
};

static const struct doc_context *find_context(const char *section)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(contexts); i++)
		if (!strcmp(contexts[i].section, section))
			return &contexts[i];
	return NULL;
}

/* Split flow pairs "k: v, k2: {a: b}" at top-level commas. */
static unsigned int split_pairs(const char *s, char out[][256], unsigned int max)
{
	unsigned int n = 0, depth = 0;
	char quote = 0;
	size_t len = 0;

	for (;; s++) {
		char c = *s;

		if (!c || (c == ',' && !depth && !quote)) {
			while (len && out[n][len - 1] == ' ')
				len--;
			out[n][len] = '\0';
			if (len)
				n++;
			len = 0;
			if (!c || n == max)
				return n;
			continue;
		}
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
		if (!len && c == ' ')
			continue;
		assert_true(len < 255);
		out[n][len++] = c;
	}
}

/* The key of a pair "key: value" (quotes kept), into @key. */
static void pair_key(const char *pair, char key[256])
{
	const char *colon = strstr(pair, ": ");

	if (!colon)
		fail_msg("not a 'key: value' pair: %s", pair);
	memcpy(key, pair, (size_t)(colon - pair));
	key[colon - pair] = '\0';
}

/* Load the example of @row in its section's context. */
static void check_example(const struct doc_row *row)
{
	const struct doc_context *ctx = find_context(row->section);
	char ex[16][256], base[16][256], key[256], k2[256];
	char merged[4352] = "", doc[8192];
	unsigned int nex, nbase, i, j;
	struct scenario scn;
	struct diag d;

	if (!ctx)
		fail_msg("docs: no test context for section '%s'", row->section);
	nex = split_pairs(row->example, ex, 16);
	if (!nex)
		fail_msg("docs: %s/%s has no example", row->section, row->key);
	pair_key(ex[0], key);
	if (strcmp(key, row->key))
		fail_msg("docs: the example of %s/%s starts with key '%s'",
			 row->section, row->key, key);
	nbase = split_pairs(ctx->base, base, 16);
	for (i = 0; i < nbase; i++) {
		pair_key(base[i], key);
		for (j = 0; j < nex; j++) {
			pair_key(ex[j], k2);
			if (!strcmp(key, k2))
				break;
		}
		if (j == nex)
			snprintf(merged + strlen(merged),
				 sizeof(merged) - strlen(merged), "%s%s",
				 *merged ? ", " : "", base[i]);
	}
	for (j = 0; j < nex; j++)
		snprintf(merged + strlen(merged), sizeof(merged) - strlen(merged),
			 "%s%s", *merged ? ", " : "", ex[j]);
	snprintf(doc, sizeof(doc), ctx->doc, merged);
	diag_init(&d, "doc.yaml");
	diag_set_sink(&d, NULL);
	if (scenario_load_string("doc.yaml", doc, strlen(doc), &scn, &d))
		fail_msg("docs: example of %s/%s does not load: %s\n--\n%s",
			 row->section, row->key, diag_message(&d, 0), doc);
	diag_fini(&d);
	scenario_free(&scn);
}

static void test_docs_agree(void **state)
{
	size_t nrows, r;
	struct doc_row *rows = read_doc(&nrows);
	unsigned int s, i;

	assert_true(nrows > 100);
	/* every documented key is the loader's, with its default, and loads */
	for (r = 0; r < nrows; r++) {
		struct scenario_key_info ki;
		bool found = false;

		for (s = 0; s < scenario_nsections(); s++)
			if (!strcmp(scenario_section_name(s), rows[r].section))
				break;
		if (s == scenario_nsections())
			fail_msg("docs: section '%s' is not the loader's",
				 rows[r].section);
		for (i = 0; scenario_section_key(s, i, &ki); i++) {
			if (strcmp(ki.key, rows[r].key))
				continue;
			found = true;
			if (strcmp(ki.def ? ki.def : "required", rows[r].def))
				fail_msg("docs: %s/%s: default '%s', the loader's is '%s'",
					 rows[r].section, rows[r].key, rows[r].def,
					 ki.def ? ki.def : "required");
		}
		if (!found)
			fail_msg("docs: %s/%s is not a key the loader accepts",
				 rows[r].section, rows[r].key);
		for (i = 0; i < r; i++)
			if (!strcmp(rows[i].section, rows[r].section) &&
			    !strcmp(rows[i].key, rows[r].key))
				fail_msg("docs: %s/%s is listed twice",
					 rows[r].section, rows[r].key);
		check_example(&rows[r]);
	}
	/* every key the loader accepts is documented */
	for (s = 0; s < scenario_nsections(); s++) {
		struct scenario_key_info ki;

		if (!find_context(scenario_section_name(s)))
			fail_msg("section '%s' has no test context",
				 scenario_section_name(s));
		for (i = 0; scenario_section_key(s, i, &ki); i++) {
			for (r = 0; r < nrows; r++)
				if (!strcmp(rows[r].section, scenario_section_name(s)) &&
				    !strcmp(rows[r].key, ki.key))
					break;
			if (r == nrows)
				fail_msg("key %s/%s is not documented in docs/scenarios.md",
					 scenario_section_name(s), ki.key);
		}
		assert_true(i > 0);
	}
	assert_null(scenario_section_name(scenario_nsections()));
	free(rows);
}

/* The example in the reference is the shipped example, and loads. */
static void test_docs_example(void **state)
{
	char *doc = read_file(DOCS_PATH, NULL);
	char *file = read_file(EXAMPLE_PATH, NULL);
	char *start = strstr(doc, "<!-- example -->\n```yaml\n"), *end;
	struct scenario scn;

	assert_non_null(start);
	start += strlen("<!-- example -->\n```yaml\n");
	end = strstr(start, "```\n");
	assert_non_null(end);
	*end = '\0';
	assert_string_equal(start, file);
	load_ok(&scn, start);
	scenario_free(&scn);
	free(doc);
	free(file);
}

/* ------------------------------------------------------------------ */
/* Shipped scenarios, names                                            */
/* ------------------------------------------------------------------ */

static void test_shipped(void **state)
{
	char *path, **names;
	size_t n, i;
	bool found = false;

	assert_int_equal(scenario_find_shipped("example-atc-timeout", &path), 0);
	assert_non_null(strstr(path, "scenarios/example-atc-timeout.yaml"));
	assert_int_equal(access(path, R_OK), 0);
	free(path);
	assert_int_equal(scenario_find_shipped("no-such-scenario", &path),
			 -ENOENT);
	assert_null(path);
	assert_int_equal(scenario_find_shipped("scenarios/x.yaml", &path),
			 -EINVAL);
	assert_int_equal(scenario_find_shipped("x.yaml", &path), -EINVAL);
	assert_int_equal(scenario_find_shipped("../x", &path), -EINVAL);
	assert_int_equal(scenario_find_shipped(".hidden", &path), -EINVAL);
	assert_int_equal(scenario_find_shipped("", &path), -EINVAL);
	assert_int_equal(scenario_list_shipped(&names, &n), 0);
	for (i = 0; i < n; i++) {
		found |= !strcmp(names[i], "example-atc-timeout");
		if (i)
			assert_true(strcmp(names[i - 1], names[i]) < 0);
	}
	assert_true(found);
	scenario_free_names(names, n);
}

static void test_names(void **state)
{
	assert_string_equal(scn_domain_type_name(SCN_DOMAIN_SVA), "sva");
	assert_null(scn_domain_type_name(SCN_DOMAIN_SVA + 1));
	assert_string_equal(scn_event_kind_name(SCN_EV_PASID_ATTACH),
			    "pasid_attach");
	assert_string_equal(scn_event_kind_name(SCN_EV_INJECT), "inject");
	assert_null(scn_event_kind_name(SCN_EV_INJECT + 1));
	assert_string_equal(scn_blocked_name(SCN_BLOCKED_RESET_FAILED),
			    "reset-failed");
	assert_null(scn_blocked_name(SCN_BLOCKED_BROKEN + 1));
	assert_string_equal(scn_outcome_name(SCN_OUTCOME_ENOTTY), "enotty");
	assert_string_equal(scn_irq_name(SCN_IRQ_CMDQ_SYNC), "cmdq-sync");
	assert_null(scn_irq_name(SCN_NR_IRQS));
}

/* ------------------------------------------------------------------ */
/* Robustness: mutated inputs                                          */
/* ------------------------------------------------------------------ */

/* Every reference of a loaded scenario is in range. */
static void check_consistent(const struct scenario *scn)
{
	unsigned int i, j;

	assert_true(scn->name && scn->duration && scn->cpus);
	for (i = 0; i < scn->nsmmus; i++) {
		assert_non_null(scn->smmus[i].name);
		for (j = 0; j < SCN_NR_IRQS; j++)
			assert_true(scn->smmus[i].irq_affinity[j] < scn->cpus);
	}
	for (i = 0; i < scn->ndevices; i++) {
		const struct scn_device *dev = &scn->devices[i];

		assert_true(dev->smmu < scn->nsmmus);
		assert_true(dev->nsids >= 1 && dev->nsids <= SCN_MAX_SIDS);
		assert_true(dev->domain == SCN_NONE || dev->domain < scn->ndomains);
	}
	for (i = 0; i < scn->nwork; i++) {
		assert_true(scn->work[i].domain < scn->ndomains);
		assert_true(scn->work[i].kind == SCN_WORK_CHURN ||
			    scn->work[i].device < scn->ndevices);
	}
	for (i = 0; i < scn->nevents; i++) {
		const struct scn_event *e = &scn->events[i];

		assert_true(e->at < scn->duration);
		assert_true(i == 0 || scn->events[i - 1].at <= e->at);
		assert_true((e->device < scn->ndevices) != (e->smmu < scn->nsmmus));
	}
	for (i = 0; i < scn->expect.nat_end; i++)
		assert_true(scn->expect.at_end[i].device < scn->ndevices);
}

/* A message is "s.yaml:LINE:COL: text" with LINE within the input. */
static void check_message(const char *msg, unsigned int nlines,
			  const char *input)
{
	unsigned int line, col;
	int off = 0;

	if (sscanf(msg, "s.yaml:%u:%u: %n", &line, &col, &off) != 2 || !off ||
	    !msg[off])
		fail_msg("not FILE:LINE:COL: message: '%s'\n--\n%s", msg, input);
	if (!line || !col || line > nlines + 1)
		fail_msg("position out of the input: '%s' (%u lines)\n--\n%s",
			 msg, nlines, input);
}

/* A second seed for the mutations: every kind of entry and event. */
static const char rich[] =
	"name: t\nduration: 100ms\n"
	"smmus: [{name: s0, irq_affinity: {gerror: 1, cmdq-sync: 2}}, {name: s1}]\n"
	"devices:\n"
	"  - {name: d0, smmu: s0, sids: [1, 2], aliases: [3], ats: true, pri: true,"
	" pasid: true, pasid_bits: 4, knobs: {atc_inv: 'slow:5ms'}}\n"
	"  - {name: d1, smmu: s1, sids: [1]}\n"
	"domains:\n  - {name: p, type: paging, attach: [d0]}\n  - {name: v, type: sva}\n"
	"workload:\n  - dma: {device: d0, domain: p, pages: 4, alias: 3}\n"
	"  - dma: {device: d0, domain: v, pages: 4, pasid: 3}\n"
	"  - churn: {domain: p, pages: 2}\n"
	"events:\n"
	"  - {at: 99ms, device: d0, set: {atc_inv: lying, flr_survives_reset: yes}}\n"
	"  - {at: 3ms, device: d1, detach: true}\n"
	"  - {at: 1ms, device: d0, attach: p}\n"
	"  - {at: 2ms, device: d0, pasid_attach: {pasid: 15, domain: p}}\n"
	"  - {at: 3ms, device: d0, pasid_detach: 15}\n"
	"  - {at: 0ns, device: d0, pri: disable}\n"
	"  - {at: 5ms, device: d0, reset: flr, outcome: hang}\n"
	"  - {at: 1ms, smmu: s1, sfm: true}\n"
	"  - {at: 2ms, smmu: s0, inject: {command: illegal}}\n"
	"expect:\n  violations: {WARN: \"<=2\", DEADLOCK: 0}\n"
	"  quarantined: [d0]\n  not_quarantined: [d1]\n"
	"  at_end: {d0: {blocked: broken, ats: disabled, pri: enabled, domain: p}}\n"
	"  log: {\"x\": \">0\"}\n";

static void test_mutations(void **state)
{
	static const char alphabet[] = ":-{}[],# \n\"'0123456789xabmsu_&*!|>dpv";
	size_t elen, i;
	char *example = read_file(EXAMPLE_PATH, &elen);
	unsigned int loaded = 0, rejected = 0, round;
	struct scenario scn;

	load_ok(&scn, rich);
	check_consistent(&scn);
	scenario_free(&scn);
	for (round = 0; round < 800; round++) {
		const char *orig = round & 1 ? rich : example;
		size_t len = round & 1 ? strlen(rich) : elen;
		uint64_t rng = round;
		char *buf = malloc(len + 64);
		size_t n = len, pos, k;
		unsigned int nlines = 1, kind = (round / 2) % 5, flips;
		struct diag d;
		int r;

		memcpy(buf, orig, len);
		pos = splitmix64(&rng) % len;
		switch (kind) {
		case 0:		/* flip a few bytes to YAML-ish characters */
		case 1:
			flips = 1 + splitmix64(&rng) % 3;
			for (k = 0; k < flips; k++)
				buf[splitmix64(&rng) % len] =
					alphabet[splitmix64(&rng) % (sizeof(alphabet) - 1)];
			break;
		case 2:		/* truncate */
			n = pos;
			break;
		case 3:		/* delete a range */
			k = 1 + splitmix64(&rng) % 16;
			if (pos + k > n)
				k = n - pos;
			memmove(buf + pos, buf + pos + k, n - pos - k);
			n -= k;
			break;
		case 4:		/* any byte, including NUL and high bytes */
			buf[pos] = (char)(splitmix64(&rng) & 0xff);
			break;
		}
		for (i = 0; i < n; i++)
			nlines += buf[i] == '\n';
		diag_init(&d, "s.yaml");
		diag_set_sink(&d, NULL);
		r = scenario_load_string("s.yaml", buf, n, &scn, &d);
		if (!r) {
			assert_int_equal(diag_count(&d), 0);
			check_consistent(&scn);
			loaded++;
		} else {
			char *copy = strndup(buf, n);

			assert_int_equal(r, -EINVAL);
			assert_true(diag_count(&d) > 0);
			for (k = 0; diag_message(&d, k); k++)
				check_message(diag_message(&d, k), nlines, copy);
			free(copy);
			rejected++;
		}
		scenario_free(&scn);
		diag_fini(&d);
		free(buf);
	}
	print_message("# mutations: %u loaded, %u rejected\n", loaded, rejected);
	assert_true(loaded > 20 && rejected > 200);
	free(example);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_registry),
		cmocka_unit_test(test_policy_defaults_and_format),
		cmocka_unit_test(test_policy_apply),
		cmocka_unit_test(test_policy_errors),
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_err_unknown_key),
		cmocka_unit_test(test_err_type),
		cmocka_unit_test(test_err_missing),
		cmocka_unit_test(test_err_units),
		cmocka_unit_test(test_err_enum),
		cmocka_unit_test(test_err_references),
		cmocka_unit_test(test_err_duplicates),
		cmocka_unit_test(test_err_sids),
		cmocka_unit_test(test_err_cpus),
		cmocka_unit_test(test_err_times),
		cmocka_unit_test(test_err_count_conditions),
		cmocka_unit_test(test_err_violations),
		cmocka_unit_test(test_err_policy),
		cmocka_unit_test(test_err_events),
		cmocka_unit_test(test_err_rules),
		cmocka_unit_test(test_err_all_reported),
		cmocka_unit_test(test_err_yaml),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_docs_agree),
		cmocka_unit_test(test_docs_example),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
