// SPDX-License-Identifier: MIT
/*
 * Conformance test of the SMMUv3 driver's STE/CD builders and entry writer
 * (src/drivers/arm-smmu-v3/arm-smmu-v3-entry.c): a port of Linux's KUnit
 * test drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-test.c, the version whose
 * STE writer ops carry arm_smmu_get_ste_update_safe() (EATS=TRANS and MEV
 * update-safe) and which has the nested cases.
 *
 * Ported, each with KUnit's sync count and hitless-or-not:
 *   STE  bypass_to_abort (2)            abort_to_bypass (2)
 *        cdtable_to_abort (2)           abort_to_cdtable (2)
 *        cdtable_to_bypass (3)          bypass_to_cdtable (3)
 *        cdtable_s1dss_change (1, 1)    s1dssbypass_to_stebypass (2)
 *        stebypass_to_s1dssbypass (2)   s2_to_abort (2)
 *        abort_to_s2 (2)                s2_to_bypass (2)
 *        bypass_to_s2 (2)               s1_to_s2 (3)
 *        s2_to_s1 (3)                   non_hitless (3, breaking)
 *        s1_to_s2_stall (3)             s2_to_s1_stall (3)
 *        nested_s1dssbypass_to_s1bypass (3)
 *        nested_s1bypass_to_s1dssbypass (2)
 *   CD   s1_clear (2, 2, breaking)      s1_change_asid (1, 1)
 *        sva_clear (2, 2, breaking)     sva_release (2, 2)
 * Not ported:
 *   arm_smmu_v3_invs_test - it tests the invalidation arrays
 *        (arm_smmu_invs_merge/unref/purge), not entries; it belongs with
 *        the model of those arrays, not with this file.
 *
 * Stronger than KUnit: KUnit looks at the entry only at each sync.  Here
 * the writer's observe_store hook shows the test the entry after every
 * single-qword store, i.e. every value the SMMU could fetch.  For a
 * transition expected hitless each such value must, on the bits it uses
 * (less the update-safe bits), equal the initial entry or the target and
 * have V=1; for a breaking one each value that is neither must have V=0.
 * KUnit's own checks are kept as they are: the sync count, "an all-zero
 * qword 0 was seen at a sync" == !hitless, and final entry == target.
 * checker_catches_naive_writer proves these checks fire on a writer that
 * stores every qword in one step.
 */
#include "simtest.h"

#include "drivers/arm-smmu-v3/arm-smmu-v3-entry.h"
#include "hw/smmuv3/smmuv3_regs.h"

#define ENTRY_BYTES	(NUM_ENTRY_QWORDS * sizeof(u64))

/* ------------------------------------------------------------------ */
/* The test writer                                                     */
/* ------------------------------------------------------------------ */

struct test_writer {
	struct arm_smmu_entry_writer writer;
	u64 v_bit;			/* SMMUV3_STE0_V or SMMUV3_CD0_V */
	const u64 *init, *target;
	u64 *entry;
	bool hitless;			/* expected: any V=0 value is a failure */
	unsigned int num_syncs, num_stores, stores_since_sync, empty_syncs;
	bool invalid_at_sync;		/* KUnit: qword 0 == 0 at a sync */
	unsigned int invalid_states;	/* fetchable values: V=0, neither side */
	unsigned int mixed_states;	/* fetchable values: V=1, neither side */
};

static struct test_writer *to_test_writer(struct arm_smmu_entry_writer *w)
{
	return container_of(w, struct test_writer, writer);
}

/* Does @entry equal @ref on the bits @entry uses, update-safe bits aside? */
static bool entry_looks_like(const struct arm_smmu_entry_writer_ops *ops,
			     const u64 *entry, const u64 *ref)
{
	u64 used[NUM_ENTRY_QWORDS], safe[NUM_ENTRY_QWORDS] = { 0 };

	ops->get_used(entry, used);
	if (ops->get_update_safe)
		ops->get_update_safe(entry, ref, safe);
	for (unsigned int i = 0; i < NUM_ENTRY_QWORDS; i++) {
		u64 m = used[i] & ~safe[i];

		if ((entry[i] & m) != (ref[i] & m))
			return false;
	}
	return true;
}

static void dump_entry(const char *what, const u64 *e)
{
	fprintf(stderr, "  %-8s", what);
	for (unsigned int i = 0; i < NUM_ENTRY_QWORDS; i++)
		fprintf(stderr, " %016llx", (unsigned long long)e[i]);
	fprintf(stderr, "\n");
}

/* Classify one value the SMMU could fetch now. */
static void check_fetchable(struct test_writer *tw, const char *when)
{
	const struct arm_smmu_entry_writer_ops *ops = tw->writer.ops;
	bool valid = tw->entry[0] & tw->v_bit;

	if (entry_looks_like(ops, tw->entry, tw->init) ||
	    entry_looks_like(ops, tw->entry, tw->target))
		return;
	if (valid)
		tw->mixed_states++;
	else
		tw->invalid_states++;
	if (!valid && !tw->hitless)
		return;		/* the V=0 window of a breaking update */
	fprintf(stderr, "# %s: %s entry after store %u\n", when,
		valid ? "MIXED valid" : "invalid", tw->num_stores);
	dump_entry("init", tw->init);
	dump_entry("now", tw->entry);
	dump_entry("target", tw->target);
}

static void test_observe_store(struct arm_smmu_entry_writer *w, const u64 *entry,
			       unsigned int qword)
{
	struct test_writer *tw = to_test_writer(w);

	assert_ptr_equal(entry, tw->entry);
	assert_true(qword < NUM_ENTRY_QWORDS);
	tw->num_stores++;
	tw->stores_since_sync++;
	check_fetchable(tw, "store");
}

static void test_sync(struct arm_smmu_entry_writer *w)
{
	struct test_writer *tw = to_test_writer(w);

	tw->num_syncs++;
	if (!tw->stores_since_sync)
		tw->empty_syncs++;
	tw->stores_since_sync = 0;
	if (!tw->entry[0])
		tw->invalid_at_sync = true;
	check_fetchable(tw, "sync");
}

static const struct arm_smmu_entry_writer_ops test_ste_ops = {
	.get_used = arm_smmu_get_ste_used,
	.get_update_safe = arm_smmu_get_ste_update_safe,
	.sync = test_sync,
	.observe_store = test_observe_store,
};

static const struct arm_smmu_entry_writer_ops test_cd_ops = {
	.get_used = arm_smmu_get_cd_used,
	.sync = test_sync,
	.observe_store = test_observe_store,
};

typedef void (*entry_writer_fn)(struct arm_smmu_entry_writer *writer, u64 *entry,
				const u64 *target);

static void run_writer(struct test_writer *tw, entry_writer_fn write,
		       const struct arm_smmu_entry_writer_ops *ops, u64 v_bit,
		       bool hitless, const u64 *cur, const u64 *target, u64 *copy)
{
	memcpy(copy, cur, ENTRY_BYTES);
	*tw = (struct test_writer) {
		.writer = { .ops = ops },
		.v_bit = v_bit,
		.hitless = hitless,
		.init = cur,
		.target = target,
		.entry = copy,
	};
	write(&tw->writer, copy, target);
}

static void expect_transition(const struct arm_smmu_entry_writer_ops *ops, u64 v_bit,
			      const u64 *cur, const u64 *target,
			      unsigned int num_syncs, bool hitless)
{
	struct test_writer tw;
	u64 copy[NUM_ENTRY_QWORDS];

	run_writer(&tw, arm_smmu_write_entry, ops, v_bit, hitless, cur, target, copy);
	/* KUnit's checks. */
	assert_int_equal(tw.num_syncs, num_syncs);
	assert_int_equal(tw.invalid_at_sync, !hitless);
	assert_memory_equal(copy, target, ENTRY_BYTES);
	/* Per store: the SMMU never fetches a mix, nor V=0 if hitless. */
	assert_int_equal(tw.mixed_states, 0);
	if (hitless)
		assert_int_equal(tw.invalid_states, 0);
	else
		assert_true(tw.invalid_at_sync || tw.invalid_states);
	/* The hook is wired: something was stored, and no sync was idle. */
	assert_true(tw.num_stores >= tw.num_syncs);
	assert_int_equal(tw.empty_syncs, 0);
	assert_int_equal(tw.stores_since_sync, 0);
}

static void expect_ste_hitless(const u64 *cur, const u64 *target, unsigned int syncs)
{
	expect_transition(&test_ste_ops, SMMUV3_STE0_V, cur, target, syncs, true);
}

static void expect_ste_breaking(const u64 *cur, const u64 *target, unsigned int syncs)
{
	expect_transition(&test_ste_ops, SMMUV3_STE0_V, cur, target, syncs, false);
}

static void expect_cd_hitless(const u64 *cur, const u64 *target, unsigned int syncs)
{
	expect_transition(&test_cd_ops, SMMUV3_CD0_V, cur, target, syncs, true);
}

static void expect_cd_breaking(const u64 *cur, const u64 *target, unsigned int syncs)
{
	expect_transition(&test_cd_ops, SMMUV3_CD0_V, cur, target, syncs, false);
}

/* ------------------------------------------------------------------ */
/* KUnit's entries                                                     */
/* ------------------------------------------------------------------ */

enum test_master_feat {
	TEST_ATS = BIT(0),
	TEST_STALL = BIT(1),
	TEST_NESTED = BIT(2),
};

static const u64 fake_cdtab_dma = 0xF0F0F0F0F0F0ULL;
static const u64 fake_ttbr = 0xdaedbeefdeadbeefULL;
/* KUnit's s1cdmax 0xFF, as Linux's FIELD_PREP() truncates it to 5 bits. */
#define TEST_S1CDMAX	0x1f

static u64 abort_ste[NUM_ENTRY_QWORDS], bypass_ste[NUM_ENTRY_QWORDS];

static void make_s2_ste(u64 *ste, unsigned int feat)
{
	const struct arm_smmu_s2_pgtbl_cfg cfg = {
		.vttbr = fake_ttbr,
		.ps = 1, .tg = 2, .sh = 3, .orgn = 1, .irgn = 2, .sl = 3, .tsz = 4,
	};

	arm_smmu_make_s2_domain_ste(ste, 0, &cfg, feat & TEST_ATS, feat & TEST_STALL);
}

/* KUnit builds the nested STE itself: CD table + CONFIG=NESTED + MEV + S2. */
static void make_cdtable_ste(u64 *ste, unsigned int s1dss, u64 dma, unsigned int feat)
{
	u64 s2[NUM_ENTRY_QWORDS];

	arm_smmu_make_cdtable_ste_fmt(ste, dma, SMMUV3_STE_S1FMT_64K_L2, TEST_S1CDMAX,
				      feat & TEST_ATS, s1dss, feat & TEST_STALL);
	if (!(feat & TEST_NESTED))
		return;
	make_s2_ste(s2, feat & ~TEST_NESTED);
	ste[0] |= FIELD_PREP(SMMUV3_STE0_CONFIG, SMMUV3_STE_CONFIG_NESTED);
	ste[1] |= SMMUV3_STE1_MEV;
	for (unsigned int i = 2; i < NUM_ENTRY_QWORDS; i++)
		ste[i] = s2[i];
}

static void make_s1_cd(u64 *cd, u16 asid)
{
	const struct arm_smmu_s1_pgtbl_cfg cfg = {
		.ttbr = fake_ttbr,
		.mair = 0xabcdef012345678ULL,
		.ips = 1, .tg = 2, .sh = 3, .orgn = 1, .irgn = 2, .tsz = 4,
	};

	arm_smmu_make_s1_cd_cfg(cd, asid, &cfg, false);
}

static void make_sva_cd(u64 *cd, u16 asid)
{
	arm_smmu_make_sva_cd(cd, asid, true, fake_ttbr, false);
}

static void make_sva_release_cd(u64 *cd, u16 asid)
{
	arm_smmu_make_sva_cd(cd, asid, false, 0, false);
}

/* ------------------------------------------------------------------ */
/* STE cases                                                           */
/* ------------------------------------------------------------------ */

static void ste_bypass_to_abort(void **state)
{
	(void)state;
	/* Qword 0 turns it into an abort STE, then qword 1 is cleaned up. */
	expect_ste_hitless(bypass_ste, abort_ste, 2);
}

static void ste_abort_to_bypass(void **state)
{
	(void)state;
	/* Qword 1 (SHCFG, unused by abort) first, then qword 0. */
	expect_ste_hitless(abort_ste, bypass_ste, 2);
}

static void ste_cdtable_to_abort(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(ste, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	expect_ste_hitless(ste, abort_ste, 2);
}

static void ste_abort_to_cdtable(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(ste, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	expect_ste_hitless(abort_ste, ste, 2);
}

static void ste_cdtable_to_bypass(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(ste, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	expect_ste_hitless(ste, bypass_ste, 3);
}

static void ste_bypass_to_cdtable(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(ste, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	expect_ste_hitless(bypass_ste, ste, 3);
}

static void ste_cdtable_s1dss_change(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS], s1dss_bypass[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(ste, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	make_cdtable_ste(s1dss_bypass, SMMUV3_STE_S1DSS_BYPASS, fake_cdtab_dma, TEST_ATS);
	/* Only qword 1 changes: one store, one sync. */
	expect_ste_hitless(ste, s1dss_bypass, 1);
	expect_ste_hitless(s1dss_bypass, ste, 1);
}

static void ste_s1dssbypass_to_stebypass(void **state)
{
	u64 s1dss_bypass[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1dss_bypass, SMMUV3_STE_S1DSS_BYPASS, fake_cdtab_dma, TEST_ATS);
	expect_ste_hitless(s1dss_bypass, bypass_ste, 2);
}

static void ste_stebypass_to_s1dssbypass(void **state)
{
	u64 s1dss_bypass[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1dss_bypass, SMMUV3_STE_S1DSS_BYPASS, fake_cdtab_dma, TEST_ATS);
	expect_ste_hitless(bypass_ste, s1dss_bypass, 2);
}

static void ste_s2_to_abort(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_s2_ste(ste, TEST_ATS);
	expect_ste_hitless(ste, abort_ste, 2);
}

static void ste_abort_to_s2(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_s2_ste(ste, TEST_ATS);
	expect_ste_hitless(abort_ste, ste, 2);
}

static void ste_s2_to_bypass(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_s2_ste(ste, TEST_ATS);
	expect_ste_hitless(ste, bypass_ste, 2);
}

static void ste_bypass_to_s2(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_s2_ste(ste, TEST_ATS);
	expect_ste_hitless(bypass_ste, ste, 2);
}

static void ste_s1_to_s2(void **state)
{
	u64 s1[NUM_ENTRY_QWORDS], s2[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	make_s2_ste(s2, TEST_ATS);
	expect_ste_hitless(s1, s2, 3);
}

static void ste_s2_to_s1(void **state)
{
	u64 s1[NUM_ENTRY_QWORDS], s2[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	make_s2_ste(s2, TEST_ATS);
	expect_ste_hitless(s2, s1, 3);
}

static void ste_non_hitless(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS], ste_2[NUM_ENTRY_QWORDS];

	(void)state;
	/* CD table pointer (qword 0) and S1DSS (qword 1) both change. */
	make_cdtable_ste(ste, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	make_cdtable_ste(ste_2, SMMUV3_STE_S1DSS_BYPASS, 0x4B4B4b4B4BULL, TEST_ATS);
	expect_ste_breaking(ste, ste_2, 3);
}

static void ste_s1_to_s2_stall(void **state)
{
	u64 s1[NUM_ENTRY_QWORDS], s2[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_STALL);
	make_s2_ste(s2, TEST_STALL);
	expect_ste_hitless(s1, s2, 3);
}

static void ste_s2_to_s1_stall(void **state)
{
	u64 s1[NUM_ENTRY_QWORDS], s2[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_STALL);
	make_s2_ste(s2, TEST_STALL);
	expect_ste_hitless(s2, s1, 3);
}

static void ste_nested_s1dssbypass_to_s1bypass(void **state)
{
	u64 s1[NUM_ENTRY_QWORDS], s2[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1, SMMUV3_STE_S1DSS_BYPASS, fake_cdtab_dma,
			 TEST_ATS | TEST_NESTED);
	make_s2_ste(s2, 0);
	/* One more sync than usual, to clear the ignored EATS and MEV first. */
	expect_ste_hitless(s1, s2, 3);
}

static void ste_nested_s1bypass_to_s1dssbypass(void **state)
{
	u64 s1[NUM_ENTRY_QWORDS], s2[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(s1, SMMUV3_STE_S1DSS_BYPASS, fake_cdtab_dma,
			 TEST_ATS | TEST_NESTED);
	make_s2_ste(s2, 0);
	expect_ste_hitless(s2, s1, 2);
}

/* ------------------------------------------------------------------ */
/* CD cases                                                            */
/* ------------------------------------------------------------------ */

static void cd_s1_clear(void **state)
{
	u64 cd[NUM_ENTRY_QWORDS] = { 0 }, cd_2[NUM_ENTRY_QWORDS];

	(void)state;
	make_s1_cd(cd_2, 1997);
	expect_cd_breaking(cd, cd_2, 2);
	expect_cd_breaking(cd_2, cd, 2);
}

static void cd_s1_change_asid(void **state)
{
	u64 cd[NUM_ENTRY_QWORDS], cd_2[NUM_ENTRY_QWORDS];

	(void)state;
	make_s1_cd(cd, 778);
	make_s1_cd(cd_2, 1997);
	expect_cd_hitless(cd, cd_2, 1);
	expect_cd_hitless(cd_2, cd, 1);
}

static void cd_sva_clear(void **state)
{
	u64 cd[NUM_ENTRY_QWORDS] = { 0 }, cd_2[NUM_ENTRY_QWORDS];

	(void)state;
	make_sva_cd(cd_2, 1997);
	expect_cd_breaking(cd, cd_2, 2);
	expect_cd_breaking(cd_2, cd, 2);
}

static void cd_sva_release(void **state)
{
	u64 cd[NUM_ENTRY_QWORDS], cd_2[NUM_ENTRY_QWORDS];

	(void)state;
	make_sva_cd(cd, 1997);
	make_sva_release_cd(cd_2, 1997);
	/* EPD0 makes TTB0 ignored: qword 1 moves before or after qword 0. */
	expect_cd_hitless(cd, cd_2, 2);
	expect_cd_hitless(cd_2, cd, 2);
}

/* ------------------------------------------------------------------ */
/* Beyond KUnit                                                        */
/* ------------------------------------------------------------------ */

static void assert_entry(const u64 *got, const u64 *want)
{
	for (unsigned int i = 0; i < NUM_ENTRY_QWORDS; i++) {
		if (got[i] != want[i])
			fprintf(stderr, "# qword %u: %016llx, want %016llx\n", i,
				(unsigned long long)got[i], (unsigned long long)want[i]);
	}
	assert_memory_equal(got, want, ENTRY_BYTES);
}

/* The builders' output, bit by bit, computed by hand from §5.2 and §5.4. */
static void builders_bit_exact(void **state)
{
	const u64 want_abort[NUM_ENTRY_QWORDS] = { 0x1 };
	const u64 want_bypass[NUM_ENTRY_QWORDS] = { 0x9, 0x0000100000000000ULL };
	const u64 want_cdtable[NUM_ENTRY_QWORDS] = {
		0xF800F0F0F0F0F0EBULL, 0x00000000180000D6ULL };
	const u64 want_s2[NUM_ENTRY_QWORDS] = {
		0xD, 0x0000100010000000ULL, 0x0449B6C400000000ULL,
		0x000DBEEFDEADBEE0ULL };
	const u64 want_s1_cd[NUM_ENTRY_QWORDS] = {
		0x07CDE201C0003684ULL, 0x000DBEEFDEADBEE0ULL, 0,
		0x0abcdef012345678ULL };
	const u64 want_sva_cd[NUM_ENTRY_QWORDS] = {
		0x07CDE205C0003510ULL, 0x000DBEEFDEADBEE0ULL, 0,
		0x00000000ff440400ULL };
	const u64 want_sva_release[NUM_ENTRY_QWORDS] = {
		0x07CDC205C0004000ULL, 0, 0, 0x00000000ff440400ULL };
	u64 e[NUM_ENTRY_QWORDS];

	(void)state;
	assert_entry(abort_ste, want_abort);
	assert_entry(bypass_ste, want_bypass);
	make_cdtable_ste(e, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	assert_entry(e, want_cdtable);
	make_s2_ste(e, TEST_ATS);
	assert_entry(e, want_s2);
	make_s1_cd(e, 1997);
	assert_entry(e, want_s1_cd);
	make_sva_cd(e, 1997);
	assert_entry(e, want_sva_cd);
	make_sva_release_cd(e, 1997);
	assert_entry(e, want_sva_release);
}

/* Used and update-safe bits at their edges. */
static void used_and_safe_bits(void **state)
{
	u64 ste[NUM_ENTRY_QWORDS], cd[NUM_ENTRY_QWORDS];
	u64 used[NUM_ENTRY_QWORDS], safe[NUM_ENTRY_QWORDS];
	const u64 eats_trans = FIELD_PREP(SMMUV3_STE1_EATS, SMMUV3_STE_EATS_TRANS);

	(void)state;
	/* An invalid STE uses V alone, whatever else it holds. */
	make_s2_ste(ste, TEST_ATS);
	ste[0] &= ~SMMUV3_STE0_V;
	arm_smmu_get_ste_used(ste, used);
	assert_true(used[0] == SMMUV3_STE0_V && !used[1] && !used[2] && !used[3]);
	/* Abort uses V and CONFIG only. */
	arm_smmu_get_ste_used(abort_ste, used);
	assert_true(used[0] == (SMMUV3_STE0_V | SMMUV3_STE0_CONFIG) && !used[1]);
	/* EATS=TRANS is safe, unless S2S is set on either side. */
	memset(safe, 0, sizeof(safe));
	arm_smmu_get_ste_update_safe(bypass_ste, abort_ste, safe);
	assert_true(safe[1] == (eats_trans | SMMUV3_STE1_MEV));
	make_s2_ste(ste, TEST_STALL);
	memset(safe, 0, sizeof(safe));
	arm_smmu_get_ste_update_safe(bypass_ste, ste, safe);
	assert_true(safe[1] == SMMUV3_STE1_MEV);
	/* A CD with EPD0 ignores TTB0. */
	make_sva_release_cd(cd, 1);
	arm_smmu_get_cd_used(cd, used);
	assert_true(!(used[1] & SMMUV3_CD1_TTB0) && (used[0] & SMMUV3_CD0_EPD0));
}

static void no_change_no_sync(void **state)
{
	struct test_writer tw;
	u64 copy[NUM_ENTRY_QWORDS], ste[NUM_ENTRY_QWORDS];

	(void)state;
	make_cdtable_ste(ste, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	run_writer(&tw, arm_smmu_write_entry, &test_ste_ops, SMMUV3_STE0_V, true,
		   ste, ste, copy);
	assert_int_equal(tw.num_syncs, 0);
	assert_int_equal(tw.num_stores, 0);
}

/* A wrong writer: every qword in one step, one sync (what the V=0 and
 * hitless sequences exist to avoid). */
static void naive_write_entry(struct arm_smmu_entry_writer *writer, u64 *entry,
			      const u64 *target)
{
	for (unsigned int i = 0; i < NUM_ENTRY_QWORDS; i++) {
		if (entry[i] == target[i])
			continue;
		WRITE_ONCE(entry[i], target[i]);
		writer->ops->observe_store(writer, entry, i);
	}
	writer->ops->sync(writer);
}

/* The per-store checks fire on the naive writer where KUnit's do not. */
static void checker_catches_naive_writer(void **state)
{
	struct test_writer tw;
	u64 copy[NUM_ENTRY_QWORDS], s1[NUM_ENTRY_QWORDS], s1b[NUM_ENTRY_QWORDS];

	(void)state;
	fprintf(stderr, "# expected: the checker reports the naive writer's mixes\n");
	/* Hitless bypass -> CD table: qword 0 lands before qword 1. */
	make_cdtable_ste(s1, SMMUV3_STE_S1DSS_SSID0, fake_cdtab_dma, TEST_ATS);
	run_writer(&tw, naive_write_entry, &test_ste_ops, SMMUV3_STE0_V, true,
		   bypass_ste, s1, copy);
	assert_memory_equal(copy, s1, ENTRY_BYTES);	/* KUnit's end check passes */
	assert_false(tw.invalid_at_sync);		/* so does its sync check */
	assert_true(tw.mixed_states > 0);		/* the SMMU could fetch a mix */
	assert_int_not_equal(tw.num_syncs, 3);
	/* Breaking CD table change: valid mix instead of V=0. */
	make_cdtable_ste(s1b, SMMUV3_STE_S1DSS_BYPASS, 0x4B4B4b4B4BULL, TEST_ATS);
	run_writer(&tw, naive_write_entry, &test_ste_ops, SMMUV3_STE0_V, false,
		   s1, s1b, copy);
	assert_true(tw.mixed_states > 0);
	assert_false(tw.invalid_at_sync);
}

/* ------------------------------------------------------------------ */

static struct sim *test_sim;

static int group_setup(void **state)
{
	(void)state;
	/* WRITE_ONCE() is a scheduling point: it needs a simulator (main context). */
	test_sim = simtest_new(1, 1, NULL);
	arm_smmu_make_bypass_ste(bypass_ste);
	arm_smmu_make_abort_ste(abort_ste);
	return test_sim ? 0 : -1;
}

static int group_teardown(void **state)
{
	/* No WARN (e.g. a builder setting a bit its used function ignores). */
	unsigned int n = test_sim->violations->n;

	(void)state;
	sim_destroy(test_sim);
	return n ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ste_bypass_to_abort),
		cmocka_unit_test(ste_abort_to_bypass),
		cmocka_unit_test(ste_cdtable_to_abort),
		cmocka_unit_test(ste_abort_to_cdtable),
		cmocka_unit_test(ste_cdtable_to_bypass),
		cmocka_unit_test(ste_bypass_to_cdtable),
		cmocka_unit_test(ste_cdtable_s1dss_change),
		cmocka_unit_test(ste_s1dssbypass_to_stebypass),
		cmocka_unit_test(ste_stebypass_to_s1dssbypass),
		cmocka_unit_test(ste_s2_to_abort),
		cmocka_unit_test(ste_abort_to_s2),
		cmocka_unit_test(ste_s2_to_bypass),
		cmocka_unit_test(ste_bypass_to_s2),
		cmocka_unit_test(ste_s1_to_s2),
		cmocka_unit_test(ste_s2_to_s1),
		cmocka_unit_test(ste_non_hitless),
		cmocka_unit_test(cd_s1_clear),
		cmocka_unit_test(cd_s1_change_asid),
		cmocka_unit_test(ste_s1_to_s2_stall),
		cmocka_unit_test(ste_s2_to_s1_stall),
		cmocka_unit_test(ste_nested_s1dssbypass_to_s1bypass),
		cmocka_unit_test(ste_nested_s1bypass_to_s1dssbypass),
		cmocka_unit_test(cd_sva_clear),
		cmocka_unit_test(cd_sva_release),
		cmocka_unit_test(builders_bit_exact),
		cmocka_unit_test(used_and_safe_bits),
		cmocka_unit_test(no_change_no_sync),
		cmocka_unit_test(checker_catches_naive_writer),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
