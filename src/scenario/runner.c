// SPDX-License-Identifier: MIT
/*
 * Running a scenario (scenario/run.h): the platform, the boot, the
 * workload, the timed events, and the result.
 *
 * Who runs where (docs/scenarios.md says the same):
 *   - the boot thread on CPU 0 probes each SMMU, then each device (PCI
 *     function + IOMMU core), allocates the domains, maps each domain's
 *     IOVA window, attaches the devices named in `attach:`, and starts the
 *     workload;
 *   - the i-th `churn` entry runs as a kernel thread on CPU (i + 1) mod
 *     cpus (CPU 0 keeps the boot thread and, by default, every interrupt);
 *   - each event runs as a kernel thread on the last CPU, woken at its time;
 *   - DMA runs in each endpoint's DMA engine (hardware, on no CPU).
 * A domain's IOVA window starts at RUN_IOVA_BASE and is as large as the
 * largest `pages` of the work on it; DMA streams walk its first `pages`
 * pages and churn remaps them (unmap + invalidate + free + allocate + map)
 * in one iommu_unmap per round, so a device that keeps a translation after
 * the unmap returns reaches a page that has a new owner.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/stall_hang.h"
#include "core/iommu.h"
#include "core/pci.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/smmuv3/smmuv3.h"
#include "kernel/kernel.h"
#include "kernel/kstate.h"
#include "scenario/run.h"
#include "scenario/runner_internal.h"
#include "scenario/runner_smmuv2.h"
#include "trace/diagram.h"
#include "trace/evlog.h"
#include "trace/trace.h"

struct run_job {
	struct runner *R;
	unsigned int idx;
};

static struct run_job *run_job_new(struct runner *R, unsigned int idx)
{
	struct run_job *job = calloc(1, sizeof(*job));

	job->R = R;
	job->idx = idx;
	R->jobs = realloc(R->jobs, (R->njobs + 1) * sizeof(*R->jobs));
	R->jobs[R->njobs++] = job;
	return job;
}

/* ---- Policies into the driver ---- */

static struct arm_smmu_policy run_driver_policy(const struct policy_set *p)
{
	return (struct arm_smmu_policy){
		.atc_timeout = policy_get(p, POLICY_ATC_TIMEOUT),
		.atc_batch_sync = policy_get(p, POLICY_ATC_BATCH_SYNC),
		.master_lookup = policy_get(p, POLICY_MASTER_LOOKUP),
		.cmdq_err_coclear = policy_get(p, POLICY_CMDQ_ERR_COCLEAR),
		.cmdq = policy_get(p, POLICY_CMDQ),
	};
}

/* ---- Platform: memory, SMMUs, endpoints, interrupt lines ---- */

static int run_build_smmu(struct runner *R, unsigned int i)
{
	const struct scn_smmu *ss = &R->scn->smmus[i];
	struct smmuv3_config cfg;
	static const char *const irq_names[SMMUV3_NR_IRQS] = {
		"gerror", "evtq", "priq", "cmdq-sync" };

	smmuv3_config_default(&cfg);
	cfg.name = ss->name;
	cfg.cmdq_entries = ss->cmdq_entries;
	cfg.evtq_entries = ss->evtq_entries;
	cfg.priq_entries = ss->priq_entries;
	cfg.sid_bits = ss->sid_bits;
	cfg.ssid_bits = ss->ssid_bits;
	cfg.ats = ss->ats;
	cfg.pri = ss->pri;
	cfg.stall_max = ss->stall_max;
	if (!ss->stall)
		cfg.stall_model = SMMUV3_IDR0_STALL_MODEL_NONE;
	cfg.tlb_entries = ss->tlb_entries;
	cfg.cfg_cache_entries = ss->cfg_cache_entries;
	cfg.cmd_ns = ss->cmd_time;
	cfg.walk_ns = ss->walk_time;
	cfg.mmio_read_ns = ss->mmio_latency;
	for (int l = 0; l < SMMUV3_NR_IRQS; l++) {
		char name[SIM_NAME_LEN];
		struct sim_irq *line;

		snprintf(name, sizeof(name), "%s-%s", ss->name, irq_names[l]);
		R->irq[i][l] = irq_line_create(name, ss->irq_affinity[l], &line);
		if (R->irq[i][l] < 0)
			return R->irq[i][l];
		cfg.irq[l] = line;
	}
	R->hw[i] = smmuv3_create(R->s, R->mem, &cfg);
	if (!R->hw[i])
		return -EINVAL;
	return stall_hang_watch_smmuv3(R->s, R->hw[i], R->scn->stall_timeout);
}

static int run_build_device(struct runner *R, unsigned int i)
{
	const struct scn_device *sd = &R->scn->devices[i];
	struct pcie_upstream up = smmuv3_upstream(R->hw[sd->smmu]);
	struct pcie_ep_config cfg;
	char err[128];

	pcie_ep_config_default(&cfg);
	cfg.name = sd->name;
	memcpy(cfg.sids, sd->sids, sd->nsids * sizeof(cfg.sids[0]));
	cfg.nsids = sd->nsids;
	memcpy(cfg.aliases, sd->aliases, sd->naliases * sizeof(cfg.aliases[0]));
	cfg.naliases = sd->naliases;
	cfg.ats = sd->ats;
	cfg.atc_entries = sd->atc_entries;
	cfg.inv_queue_depth = sd->inv_queue_depth;
	cfg.atc_inv_latency = sd->atc_inv_latency;
	cfg.completion_timeout = sd->completion_timeout;
	cfg.pri = sd->pri;
	cfg.pri_max_requests = sd->pri_max_requests;
	cfg.prg_response_timeout = sd->prg_response_timeout;
	cfg.pasid = sd->pasid;
	cfg.pasid_bits = sd->pasid_bits;
	cfg.flr_capable = sd->flr_capable;
	cfg.flr_time = sd->flr_time;
	for (unsigned int k = 0; k < sd->nknobs; k++)
		if (pcie_knob_parse(&cfg.knobs, sd->knobs[k].key, sd->knobs[k].value,
				    err, sizeof(err)))
			return -EINVAL;
	R->devs[i].sd = sd;
	R->devs[i].ep = pcie_ep_create(R->s, &cfg, &up);
	if (!R->devs[i].ep)
		return -EINVAL;
	for (unsigned int k = 0; k < sd->nsids; k++)
		if (smmuv3_connect(R->hw[sd->smmu], sd->sids[k], R->devs[i].ep,
				   sd->completion_timeout))
			return -EINVAL;
	for (unsigned int k = 0; k < sd->naliases; k++)
		smmuv3_connect(R->hw[sd->smmu], sd->aliases[k], R->devs[i].ep,
			       sd->completion_timeout);
	return 0;
}

static int run_build_platform(struct runner *R)
{
	const struct scenario *scn = R->scn;
	int ret = 0;

	R->mem = hw_mem_create(scn->memory);
	R->hw = calloc(scn->nsmmus, sizeof(*R->hw));
	R->smmu = calloc(scn->nsmmus, sizeof(*R->smmu));
	R->irq = calloc(scn->nsmmus, sizeof(*R->irq));
	R->devs = calloc(scn->ndevices, sizeof(*R->devs));
	R->doms = calloc(scn->ndomains, sizeof(*R->doms));
	if (!R->mem || !R->hw || !R->smmu || !R->irq || !R->devs || !R->doms)
		return -ENOMEM;
	ret = run_smmuv2_new(scn, R->o, R->s, R->mem, &R->v2);
	for (unsigned int i = 0; !ret && i < scn->nsmmus; i++)
		if (scn->smmus[i].version != 2)
			ret = run_build_smmu(R, i);
	for (unsigned int i = 0; !ret && i < scn->ndevices; i++)
		if (scn->smmus[scn->devices[i].smmu].version != 2)
			ret = run_build_device(R, i);
	return ret;
}

/* ---- Boot: driver probe, devices, domains, attach ---- */

static int run_probe_smmu(struct runner *R, unsigned int i)
{
	const struct scn_smmu *ss = &R->scn->smmus[i];
	struct arm_smmu_platform pf = {
		.name = ss->name, .hw = R->hw[i], .mem = R->mem,
		.cmdq_entries = ss->cmdq_entries, .evtq_entries = ss->evtq_entries,
		.priq_entries = ss->priq_entries, .sync_msi = ss->sync == SCN_SYNC_MSI,
		.policy = run_driver_policy(&R->o->policy),
		.bugs = R->o->bugs,
	};

	memcpy(pf.irq, R->irq[i], sizeof(pf.irq));
	R->smmu[i] = arm_smmu_device_probe(&pf);
	return IS_ERR(R->smmu[i]) ? (int)PTR_ERR(R->smmu[i]) : 0;
}

static int run_probe_device(struct runner *R, unsigned int i)
{
	struct run_dev *d = &R->devs[i];
	const struct scn_device *sd = d->sd;
	int ret;

	pci_dev_init(&d->pdev, d->ep, sd->name, sd->sids[0], sd->aliases, sd->naliases);
	d->rid_dom = -1;
	ret = iommu_fwspec_init(&d->pdev.dev, &arm_smmu_ops, R->smmu[sd->smmu], sd->sids,
				sd->nsids, IOMMU_FWSPEC_PCI_RC_ATS |
				(sd->stall ? IOMMU_FWSPEC_DMA_CAN_STALL : 0));
	if (!ret)
		ret = iommu_probe_device(&d->pdev.dev);
	if (!ret)
		ret = pci_write_config_word(&d->pdev, PCI_COMMAND,
					    PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	return ret;
}

unsigned int run_domain_pages(const struct scenario *scn, unsigned int dom)
{
	unsigned int pages = 1;

	for (unsigned int w = 0; w < scn->nwork; w++)
		if (scn->work[w].domain == dom)
			pages = max(pages, scn->work[w].pages);
	return pages;
}

struct device *run_domain_alloc_dev(struct runner *R, unsigned int dom)
{
	const struct scn_domain *sdom = &R->scn->domains[dom];

	unsigned int d = 0;

	while (!sdom->nattach && d + 1 < R->scn->ndevices && !R->devs[d].ep)
		d++;	/* a device of an SMMUv3 (SMMUv2 devices have no domain) */
	return &R->devs[sdom->nattach ? sdom->attach[0] : d].pdev.dev;
}

int run_map_page(struct runner *R, struct run_dom *rd, const char *name, unsigned int p)
{
	unsigned long iova = RUN_IOVA_BASE + (unsigned long)p * 4096;

	snprintf(rd->owner[p], RUN_OWNER_LEN, "%s iova 0x%lx", name, iova);
	if (hw_mem_alloc(R->mem, 1, rd->owner[p], &rd->pa[p]))
		return -ENOMEM;
	return iommu_map(rd->dom, iova, rd->pa[p], 4096, IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
}

static int run_setup_domain(struct runner *R, unsigned int i)
{
	const struct scn_domain *sdom = &R->scn->domains[i];
	struct run_dom *rd = &R->doms[i];
	const struct iommu_ops *ops = &arm_smmu_ops;
	int ret = 0;

	mutex_init(&rd->churn_lock);
	rd->R = R;
	rd->idx = i;
	switch (sdom->type) {
	case SCN_DOMAIN_IDENTITY:
		rd->dom = ops->identity_domain;
		break;
	case SCN_DOMAIN_BLOCKING:
		rd->dom = ops->blocked_domain;
		break;
	case SCN_DOMAIN_SVA:
		if (!R->scn->ndevices)
			return 0;
		ret = run_iopf_setup_domain(R, i);
		break;
	default:
		if (!R->scn->ndevices)
			return 0;
		rd->dom = iommu_paging_domain_alloc(run_domain_alloc_dev(R, i), sdom->name);
		if (IS_ERR(rd->dom))
			return (int)PTR_ERR(rd->dom);
		rd->pages = run_domain_pages(R->scn, i);
		rd->pa = calloc(rd->pages, sizeof(*rd->pa));
		rd->owner = calloc(rd->pages, sizeof(*rd->owner));
		for (unsigned int p = 0; !ret && p < rd->pages; p++)
			ret = run_map_page(R, rd, sdom->name, p);
		if (!ret && sdom->has_fault_handler)
			ret = run_iopf_setup_domain(R, i);
	}
	for (unsigned int a = 0; !ret && a < sdom->nattach; a++) {
		ret = iommu_attach_device(rd->dom, &R->devs[sdom->attach[a]].pdev.dev);
		if (!ret) {
			R->devs[sdom->attach[a]].rid_dom = (int)i;
			rd->users++;
		}
	}
	return ret;
}

static int run_churn_thread(void *arg);

static void run_start_workload(struct runner *R)
{
	const struct scenario *scn = R->scn;
	unsigned int nchurn = 0;

	for (unsigned int w = 0; w < scn->nwork; w++) {
		const struct scn_work *sw = &scn->work[w];

		if (sw->kind == SCN_WORK_FAULT) {
			continue;	/* run_smmuv2_start_workload() */
		} else if (sw->kind == SCN_WORK_DMA) {
			struct pcie_dma_stream st = {
				.iova = RUN_IOVA_BASE, .npages = sw->pages,
				.write = sw->op == SCN_DMA_WRITE, .interval = sw->interval,
				.count = sw->count, .start = max(sw->start, sim_now()),
				.pasid_valid = sw->has_pasid, .pasid = sw->pasid,
				.alias = -1, .prg_pages = sw->prg_pages, .prg_gap = sw->prg_gap,
			};

			for (unsigned int a = 0; sw->has_alias && a < scn->devices[sw->device].naliases; a++)
				if (scn->devices[sw->device].aliases[a] == sw->alias)
					st.alias = (int)a;
			pcie_ep_add_stream(R->devs[sw->device].ep, &st);
		} else {
			struct run_job *job = run_job_new(R, w);
			char name[SIM_NAME_LEN];

			snprintf(name, sizeof(name), "churn%u", nchurn);
			kthread_run_on_cpu(run_churn_thread, job, (int)((nchurn + 1) % scn->cpus), name);
			nchurn++;
		}
	}
}

static int run_event_thread(void *arg);

static void run_start_events(struct runner *R)
{
	for (unsigned int e = 0; e < R->scn->nevents; e++) {
		struct run_job *job = run_job_new(R, e);
		char name[SIM_NAME_LEN];

		snprintf(name, sizeof(name), "event%u", e);
		kthread_run_on_cpu(run_event_thread, job, (int)R->scn->cpus - 1, name);
	}
}

static int run_boot_thread(void *arg)
{
	struct runner *R = arg;
	const struct scenario *scn = R->scn;
	int ret = 0;

	iommu_core_configure(policy_get(&R->o->policy, POLICY_REPORT_BROKEN), R->o->bugs);
	iopf_configure(policy_get(&R->o->policy, POLICY_IOPF_DESIGN),
		       policy_get(&R->o->policy, POLICY_IOPF_DRAIN),
		       policy_get(&R->o->policy, POLICY_IOPF_DISCARD));
	for (unsigned int i = 0; !ret && i < scn->nsmmus; i++)
		if (R->hw[i])
			ret = run_probe_smmu(R, i);
	for (unsigned int i = 0; !ret && i < scn->ndevices; i++)
		if (R->devs[i].ep)
			ret = run_probe_device(R, i);
	if (!ret)
		ret = run_smmuv2_boot(R->v2);
	for (unsigned int i = 0; !ret && i < scn->ndomains; i++)
		ret = run_setup_domain(R, i);
	if (ret) {
		pr_err("iommusim: boot failed: %d\n", ret);
		R->boot_failed = true;
		sim_stop(SIM_END_IDLE);
		return ret;
	}
	evlog_add(R->s, "scenario", "boot complete: %u SMMU(s), %u device(s), %u domain(s)",
		  scn->nsmmus, scn->ndevices, scn->ndomains);
	run_start_workload(R);
	run_smmuv2_start_workload(R->v2);
	run_start_events(R);
	return 0;
}

/* ---- Workload: churn ---- */

static void run_churn_round(struct runner *R, const struct scn_work *sw)
{
	struct run_dom *rd = &R->doms[sw->domain];
	const char *name = R->scn->domains[sw->domain].name;
	size_t bytes = (size_t)sw->pages * 4096;

	mutex_lock(&rd->churn_lock);
	iommu_unmap(rd->dom, RUN_IOVA_BASE, bytes);
	for (unsigned int p = 0; p < sw->pages; p++)
		hw_mem_free(R->mem, rd->pa[p], 1);
	for (unsigned int p = 0; p < sw->pages; p++)
		run_map_page(R, rd, name, p);
	mutex_unlock(&rd->churn_lock);
}

static int run_churn_thread(void *arg)
{
	struct run_job *job = arg;
	struct runner *R = job->R;
	const struct scn_work *sw = &R->scn->work[job->idx];

	bool sva = R->scn->domains[sw->domain].type == SCN_DOMAIN_SVA;

	if (!R->doms[sw->domain].pa)
		return 0;	/* not a paging or sva domain: nothing to churn */
	if (sw->start > sim_now())
		sim_sleep_until(sw->start);
	for (uint64_t n = 0; !sw->count || n < sw->count; n++) {
		if (R->doms[sw->domain].freed)
			break;
		if (sva)
			run_iopf_churn_sva(R, sw->domain);
		else
			run_churn_round(R, sw);
		sim_delay(sw->interval);
	}
	return 0;
}

/* ---- Events ---- */

static void run_set_knobs(struct runner *R, struct run_dev *d, const struct scn_knob *k,
			  unsigned int n)
{
	char err[128];

	for (unsigned int i = 0; i < n; i++) {
		if (pcie_ep_set_knob(d->ep, k[i].key, k[i].value, err, sizeof(err)))
			pr_err("iommusim: %s: %s\n", d->sd->name, err);
		else
			evlog_add(R->s, "scenario", "%s: %s=%s (misbehaviour knob)",
				  d->sd->name, k[i].key, k[i].value);
	}
}

static void run_event_reset(struct runner *R, const struct scn_event *ev, struct run_dev *d)
{
	int ret;

	if (ev->reset == SCN_RESET_PROBE) {
		/* Probe mode: only asks whether a reset method exists (seed 003 patch 01) */
		ret = pci_probe_reset_function(&d->pdev);
		evlog_add(R->s, "scenario", "%s: pci_probe_reset_function() returned %d",
			  d->sd->name, ret);
		run_set_knobs(R, d, ev->set, ev->nset);
		return;
	}
	if (ev->has_outcome)
		pcie_ep_set_knob(d->ep, "flr", scn_outcome_name(ev->outcome), NULL, 0);
	evlog_add(R->s, "scenario", "%s: reset requested (FLR%s%s)", d->sd->name,
		  ev->has_outcome ? ", outcome " : "",
		  ev->has_outcome ? scn_outcome_name(ev->outcome) : "");
	ret = pci_reset_function(&d->pdev);
	evlog_add(R->s, "scenario", "%s: pci_reset_function() returned %d", d->sd->name, ret);
	run_set_knobs(R, d, ev->set, ev->nset);
}

static void run_event_inject(struct runner *R, unsigned int smmu)
{
	struct arm_smmu_cmd cmd = { .data = { 0xff, 0 } };	/* no such opcode */

	evlog_add(R->s, "scenario", "%s: illegal command injected", R->scn->smmus[smmu].name);
	arm_smmu_cmdq_issue_cmdlist(R->smmu[smmu], &R->smmu[smmu]->cmdq, &cmd, 1, true);
}

static void run_event(struct runner *R, const struct scn_event *ev)
{
	struct run_dev *d = ev->device != SCN_NONE ? &R->devs[ev->device] : NULL;
	const char *dom = ev->domain != SCN_NONE ? R->scn->domains[ev->domain].name : NULL;
	int ret = 0;

	switch (ev->kind) {
	case SCN_EV_SET:
		run_set_knobs(R, d, ev->set, ev->nset);
		break;
	case SCN_EV_RESET:
		run_event_reset(R, ev, d);
		break;
	case SCN_EV_ATTACH:
	case SCN_EV_REPLACE:
	case SCN_EV_DETACH:
	case SCN_EV_PASID_ATTACH:
	case SCN_EV_PASID_DETACH:
	case SCN_EV_PASID_REPLACE:
		ret = run_iopf_event(R, ev, d);
		break;
	case SCN_EV_PRI:
		if (ev->pri_enable)
			ret = pci_enable_pri(&d->pdev, 32);
		else
			pci_disable_pri(&d->pdev);
		break;
	case SCN_EV_SFM:
		evlog_add(R->s, "scenario", "%s: Service Failure Mode injected",
			  R->scn->smmus[ev->smmu].name);
		smmuv3_inject_sfm(R->hw[ev->smmu]);
		break;
	case SCN_EV_INJECT:
		run_event_inject(R, ev->smmu);
		break;
	}
	if (ev->kind >= SCN_EV_ATTACH && ev->kind <= SCN_EV_PRI) {
		evlog_add(R->s, "scenario", "%s: %s%s%s -> %d", d->sd->name,
			  scn_event_kind_name(ev->kind), dom ? " " : "", dom ? dom : "", ret);
		pr_info("iommusim: %s: %s%s%s -> %d\n", d->sd->name,
			scn_event_kind_name(ev->kind), dom ? " " : "", dom ? dom : "", ret);
	}
}

static int run_event_thread(void *arg)
{
	struct run_job *job = arg;
	const struct scn_event *ev = &job->R->scn->events[job->idx];

	if (ev->at > sim_now())
		sim_sleep_until(ev->at);
	run_event(job->R, ev);
	return 0;
}

/* ---- Result ---- */

static const char *const run_timeline_klog[] = {
	"ATC invalidate timeout",
	"IOMMU has quarantined the device",
	"Device is unblocked after successful reset",
	"Keep it blocked",
	"Service Failure Mode",
	"Illegal command",
};

static void run_timeline_add(struct run_result *r, sim_time_t t, const char *fmt, const char *a,
			     const char *b)
{
	struct run_event *e;

	r->timeline = realloc(r->timeline, (r->ntimeline + 1) * sizeof(*r->timeline));
	e = &r->timeline[r->ntimeline++];
	e->time = t;
	snprintf(e->text, sizeof(e->text), fmt, a, b);
}

static int run_event_cmp(const void *a, const void *b)
{
	const struct run_event *l = a, *r = b;

	return l->time < r->time ? -1 : l->time > r->time;
}

static void run_collect_timeline(struct runner *R, struct run_result *r)
{
	struct kstate *ks = kstate();
	bool seen[ARRAY_SIZE(run_timeline_klog)] = { false };
	bool vseen[V_NR] = { false };

	for (size_t i = 0; R->s->log && i < R->s->log->n; i++) {
		const struct evlog_entry *e = &R->s->log->e[i];

		if (!strcmp(e->subsys, "scenario") || !strcmp(e->subsys, "smmu"))
			run_timeline_add(r, e->time, "%s%s", e->text, "");
	}
	for (size_t i = 0; i < ks->nklog; i++)
		for (size_t k = 0; k < ARRAY_SIZE(run_timeline_klog); k++)
			if (!seen[k] && strstr(ks->klog[i].text, run_timeline_klog[k])) {
				seen[k] = true;
				run_timeline_add(r, ks->klog[i].time, "log: %s%s", ks->klog[i].text,
						 k == 0 ? " (first)" : "");
			}
	for (size_t i = 0; i < r->violations.n; i++) {
		const struct violation *v = &r->violations.v[i];

		if (vseen[v->id])
			continue;
		vseen[v->id] = true;
		run_timeline_add(r, v->time, "violation %s (first)", violation_name(v->id), "");
	}
	if (r->ntimeline)
		qsort(r->timeline, r->ntimeline, sizeof(*r->timeline), run_event_cmp);
}

static enum scn_blocked run_blocked(enum gdev_blocked b)
{
	switch (b) {
	case BLOCKED_RESETTING:
		return SCN_BLOCKED_RESETTING;
	case BLOCKED_RESET_FAILED:
		return SCN_BLOCKED_RESET_FAILED;
	case BLOCKED_BROKEN:
		return SCN_BLOCKED_BROKEN;
	default:
		return SCN_BLOCKED_NO;
	}
}

/* The run's schedule into @r (scenario/run.h: run_result.sched). */
static void run_collect_schedule(struct sim *s, struct run_result *r)
{
	r->sched.version = 2;
	r->sched.seed = s->cfg.seed;
	r->sched.steps = s->steps;
	r->sched.total_decisions = s->decisions_taken;
	r->sched.ndev = s->ndev;
	r->sched.dev = malloc((s->ndev + 1) * sizeof(*r->sched.dev));
	if (!r->sched.dev)
		abort();
	if (s->ndev)
		memcpy(r->sched.dev, s->dev, s->ndev * sizeof(*r->sched.dev));
	r->switches = s->switches;
	r->preemptions = s->preemptions;
	r->guide_missed = s->guide_missed;
}

static void run_collect(struct runner *R, struct run_result *r)
{
	struct sim *s = R->s;
	struct kstate *ks = kstate();

	r->end = s->end;
	r->vtime = s->now;
	r->steps = s->steps;
	r->violations = *s->violations;
	r->violations.v = malloc((s->violations->n + 1) * sizeof(*r->violations.v));
	if (s->violations->n)
		memcpy(r->violations.v, s->violations->v, s->violations->n * sizeof(*r->violations.v));
	r->violations.cap = s->violations->n + 1;
	r->ndevices = R->scn->ndevices;
	r->devices = calloc(r->ndevices + 1, sizeof(*r->devices));
	for (unsigned int i = 0; i < r->ndevices && !R->boot_failed; i++) {
		struct run_dev *d = &R->devs[i];
		struct run_device *o = &r->devices[i];
		struct arm_smmu_master *m = d->pdev.dev.iommu ? dev_iommu_priv_get(&d->pdev.dev) : NULL;
		struct iommu_domain *dom = d->pdev.dev.iommu ?
					   iommu_get_domain_for_dev(&d->pdev.dev) : NULL;

		if (!d->ep) {		/* on an SMMUv2: no PCI state */
			r->devices[i].domain = -1;
			continue;
		}

		o->blocked = run_blocked(iommu_dev_blocked(&d->pdev.dev));
		o->ats = pcie_ep_ats_enabled(d->ep);
		o->pri = pcie_ep_pri_enabled(d->ep);
		o->domain = -1;
		for (unsigned int k = 0; dom && k < R->scn->ndomains; k++)
			if (R->doms[k].dom == dom && dom->type != IOMMU_DOMAIN_BLOCKED)
				o->domain = (int)k;
		o->quarantined = m ? m->quarantines : 0;
	}
	for (unsigned int i = 0; i < r->ndevices; i++)
		r->devices[i].name = R->scn->devices[i].name;
	r->nlog = ks->nklog;
	r->log = calloc(r->nlog + 1, sizeof(*r->log));
	for (size_t i = 0; i < ks->nklog; i++) {
		r->log[i].time = ks->klog[i].time;
		r->log[i].level = ks->klog[i].level;
		r->log[i].text = strdup(ks->klog[i].text);
	}
	if (!R->boot_failed)
		run_iopf_collect(R, r);
	run_collect_timeline(R, r);
	run_collect_schedule(s, r);
}

static uint64_t run_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/** run_opts_default() - see run.h. */
void run_opts_default(struct run_opts *o, const struct scenario *scn)
{
	memset(o, 0, sizeof(*o));
	o->seed = scn->seed;
	sim_strategy_parse("random", &o->strategy);
	o->policy = scn->policy;
}

/** run_scenario() - see run.h. */
int run_scenario(const struct scenario *scn, const struct run_opts *o, struct run_result *r)
{
	struct runner R = { .scn = scn, .o = o };
	struct sim_config cfg;
	uint64_t t0 = run_wall_ns();
	int ret;

	memset(r, 0, sizeof(*r));
	r->scn = scn;
	r->opts = *o;
	sim_config_default(&cfg);
	cfg.ncpus = (int)scn->cpus;
	cfg.seed = o->seed;
	cfg.strategy = o->strategy;
	cfg.duration = scn->duration;
	cfg.keep_going = o->keep_going;
	cfg.soft_lockup = scn->soft_lockup;
	cfg.wfe_wake = scn->wfe_wake;
	R.s = sim_create(&cfg);
	if (!R.s)
		return -ENOMEM;
	if (o->trace_path || o->diagram) {
		ret = trace_open(R.s, o->trace_path, o->diagram);
		if (ret) {
			fprintf(stderr, "iommusim: cannot write the trace to '%s': %s\n",
				o->trace_path ? o->trace_path : "", strerror(-ret));
			sim_destroy(R.s);
			return ret;
		}
	}
	kstate_set_cpu_relax_ns(R.s, scn->cpu_relax_cost);
	kstate()->klog_echo = o->echo_log;
	ret = run_build_platform(&R);
	if (ret) {
		fprintf(stderr, "iommusim: %s: cannot build the platform: %s\n", scn->file,
			strerror(-ret));
	} else {
		kthread_run_on_cpu(run_boot_thread, &R, 0, "boot");
		sim_run(R.s);
		sim_cur = R.s;
		run_collect(&R, r);
	}
	r->trace_err = trace_close(R.s, &r->diagram);
	r->wall_ns = run_wall_ns() - t0;
	sim_destroy(R.s);
	if (R.mem)
		hw_mem_destroy(R.mem);
	for (unsigned int i = 0; R.doms && i < scn->ndomains; i++) {
		free(R.doms[i].pa);
		free(R.doms[i].owner);
	}
	for (unsigned int i = 0; i < R.njobs; i++)
		free(R.jobs[i]);
	free(R.jobs);
	run_smmuv2_free(R.v2);
	free(R.hw);
	free(R.smmu);
	free(R.irq);
	free(R.devs);
	free(R.doms);
	return ret;
}

/** run_result_free() - see run.h. */
void run_result_free(struct run_result *r)
{
	for (size_t i = 0; i < r->nlog; i++)
		free(r->log[i].text);
	free(r->log);
	free(r->devices);
	free(r->timeline);
	free(r->violations.v);
	free(r->prg_latency);
	diagram_free(r->diagram);
	sim_schedule_free(&r->sched);
	memset(r, 0, sizeof(*r));
}
