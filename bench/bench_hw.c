// SPDX-License-Identifier: MIT
/*
 * Hardware-model benchmarks (figures printed, never asserted):
 *   - commands per second through the SMMUv3 command engine: a TLBI stream
 *     with a CMD_SYNC every 64 commands, produced by a software task
 *     writing queue memory and CMDQ_PROD, consumed by the engine task, in
 *     the simulator (scheduler, MMIO scheduling points and all);
 *   - translations per second (TLB hits) through smmuv3_translate();
 *   - untranslated DMA per second from an endpoint (translation + the
 *     stale-translation check in memory).
 * For reference, the RISC-V IOMMU reference model processes about 4x10^7
 * invalidation commands/s in a single-step loop with no scheduler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/pgtable.h"
#include "hw/smmuv3/smmuv3.h"
#include "kernel/bits.h"
#include "sim/sim.h"

#define CMDQ_LOG2	10	/* 1024 entries */
#define BATCH		64	/* commands per CMD_SYNC (incl. the sync) */
#define SID		0x10

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct bench {
	struct hw_mem *mem;
	struct smmuv3 *smmu;
	struct pcie_ep *ep;
	uint64_t cmdq, evtq, strtab, cdtab, root, page;
	uint64_t n;		/* commands or translations to make */
	uint64_t done;
	int fail;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_hw: %s\n", what);
	exit(1);
}

static void setup_tables(struct bench *b)
{
	struct smmuv3_ste ste = { .valid = true, .config = SMMUV3_STE_CONFIG_S1_TRANS,
				  .s1ctxptr = 0 };
	struct smmuv3_cd cd = { .valid = true, .asid = 1, .t0sz = 16, .tg0 = SMMUV3_CD_TG0_4K,
				.ips = SMMUV3_IDR5_OAS_48_BIT, .epd1 = true, .aa64 = true,
				.r = true, .a = true };

	if (hw_mem_alloc(b->mem, (16U << CMDQ_LOG2) / 4096, "cmdq", &b->cmdq) ||
	    hw_mem_alloc(b->mem, 1, "evtq", &b->evtq) ||
	    hw_mem_alloc(b->mem, 4, "strtab", &b->strtab) ||
	    hw_mem_alloc(b->mem, 1, "cd", &b->cdtab) ||
	    hw_pgtable_alloc(b->mem, "dom0", &b->root) ||
	    hw_mem_alloc(b->mem, 1, "buf", &b->page))
		die("out of memory");
	ste.s1ctxptr = b->cdtab;
	cd.ttb0 = b->root;
	if (smmuv3_ste_encode(&ste, hw_mem_ptr(b->mem, b->strtab + 64ULL * SID, 64)) ||
	    smmuv3_cd_encode(&cd, hw_mem_ptr(b->mem, b->cdtab, 64)) ||
	    hw_pgtable_map(b->mem, b->root, 0x1000, b->page, HW_PERM_R | HW_PERM_W, "dom0"))
		die("table set-up");
	smmuv3_write64(b->smmu, SMMUV3_CMDQ_BASE, b->cmdq | CMDQ_LOG2);
	smmuv3_write64(b->smmu, SMMUV3_EVTQ_BASE, b->evtq | 4);
	smmuv3_write64(b->smmu, SMMUV3_STRTAB_BASE, b->strtab);
	smmuv3_write32(b->smmu, SMMUV3_STRTAB_BASE_CFG,
		       FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_LOG2SIZE, 8));
	smmuv3_write32(b->smmu, SMMUV3_CR0, SMMUV3_CR0_SMMUEN | SMMUV3_CR0_CMDQEN |
		       SMMUV3_CR0_EVTQEN);
}

/* Software: batches of 63 TLBI_NH_VA + 1 CMD_SYNC, waiting for CONS each time. */
static void producer(void *arg)
{
	struct bench *b = arg;
	const uint32_t mask = (2U << CMDQ_LOG2) - 1, imask = (1U << CMDQ_LOG2) - 1;
	uint32_t prod = 0;
	uint64_t ent[2];

	setup_tables(b);
	while (b->done < b->n) {
		for (int i = 0; i < BATCH; i++) {
			struct smmuv3_cmd c = { .opcode = SMMUV3_CMD_TLBI_NH_VA,
						.tlbi = { .asid = 1, .addr = 0x1000ULL * (i + 1) } };

			if (i == BATCH - 1)
				c = (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_SYNC };
			if (smmuv3_cmd_encode(&c, ent))
				die("encode");
			hw_mem_write(b->mem, b->cmdq + 16ULL * (prod & imask), ent, 16);
			prod = (prod + 1) & mask;
		}
		smmuv3_write32(b->smmu, SMMUV3_CMDQ_PROD, prod);
		while ((smmuv3_read32(b->smmu, SMMUV3_CMDQ_CONS) & mask) != prod) {
			if (FIELD_GET(SMMUV3_CMDQ_CONS_ERR, smmuv3_read32(b->smmu, SMMUV3_CMDQ_CONS)))
				die("command error");
			sim_delay(50);
		}
		b->done += BATCH;
	}
}

static struct sim *make_sim(struct bench *b, sim_time_t cmd_ns)
{
	struct sim_config cfg;
	struct smmuv3_config sc;
	struct sim *s;

	sim_config_default(&cfg);
	cfg.strategy.kind = SIM_STRAT_RR;
	cfg.record = false;
	cfg.end_when_threads_done = true;
	cfg.max_steps_same_time = 1ULL << 62;
	s = sim_create(&cfg);
	b->mem = hw_mem_create(64ULL << 20);
	smmuv3_config_default(&sc);
	sc.name = "smmu0";
	sc.cmdq_entries = 1U << CMDQ_LOG2;
	sc.cmd_ns = cmd_ns;
	b->smmu = smmuv3_create(s, b->mem, &sc);
	if (!b->mem || !b->smmu)
		die("set-up");
	return s;
}

/* Run @fn as the one software task of @s; return the wall time (s). */
static double run_timed(struct sim *s, const char *name, void (*fn)(void *), struct bench *b)
{
	double t0;

	sim_task_create(s, name, SIM_TASK_THREAD, 0, false, fn, b);
	t0 = wall_s();
	sim_run(s);
	return wall_s() - t0;
}

static void bench_free(struct sim *s, struct bench *b)
{
	sim_destroy(s);
	hw_mem_destroy(b->mem);
}

static void bench_cmds(void)
{
	struct bench b = { .n = 4000000 };
	struct sim *s = make_sim(&b, 10);
	double dt = run_timed(s, "producer", producer, &b);

	printf("SMMUv3 commands/s (TLBI stream, CMD_SYNC every %d): %.2f M  "
	       "(%llu commands, %.3f s wall, %llu scheduling points; "
	       "RISC-V IOMMU reference model ~40 M/s single-step, ratio %.2f)\n",
	       BATCH, b.done / dt / 1e6, (unsigned long long)smmuv3_stats(b.smmu)->cmds, dt,
	       (unsigned long long)s->steps, b.done / dt / 4e7);
	bench_free(s, &b);
}

static void translator(void *arg)
{
	struct bench *b = arg;
	struct pcie_txn t = { .device = "bench", .sid = SID, .addr = 0x1000 };
	struct hw_xlate x;

	setup_tables(b);
	for (b->done = 0; b->done < b->n; b->done++)
		if (smmuv3_translate(b->smmu, &t, &x))
			b->fail++;
}

static void bench_translate(void)
{
	struct bench b = { .n = 20000000 };
	struct sim *s = make_sim(&b, 10);
	double dt = run_timed(s, "translator", translator, &b);

	printf("SMMUv3 translations/s (TLB hits):           %.2f M  (%llu, %d failed, %.3f s)\n",
	       b.done / dt / 1e6, (unsigned long long)b.done, b.fail, dt);
	bench_free(s, &b);
}

static void dmaer(void *arg)
{
	struct bench *b = arg;
	uint64_t v = 1;

	setup_tables(b);
	pcie_ep_cfg_write(b->ep, PCI_COMMAND, 2, PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	for (b->done = 0; b->done < b->n; b->done++)
		if (pcie_ep_dma(b->ep, 0x1000, true, false, 0, &v))
			b->fail++;
}

static void bench_dma(void)
{
	struct bench b = { .n = 10000000 };
	struct sim *s = make_sim(&b, 10);
	struct pcie_ep_config ec;
	struct pcie_upstream up = smmuv3_upstream(b.smmu);
	double dt;

	pcie_ep_config_default(&ec);
	ec.name = "dev0";
	ec.sids[0] = SID;
	ec.nsids = 1;
	b.ep = pcie_ep_create(s, &ec, &up);
	if (!b.ep)
		die("endpoint");
	dt = run_timed(s, "dma", dmaer, &b);
	printf("endpoint untranslated DMA/s (TLB hits):     %.2f M  (%llu, %d failed, %.3f s)\n",
	       b.done / dt / 1e6, (unsigned long long)b.done, b.fail, dt);
	bench_free(s, &b);
}

int main(void)
{
	bench_cmds();
	bench_translate();
	bench_dma();
	return 0;
}
