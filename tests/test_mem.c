// SPDX-License-Identifier: MIT
/*
 * Physical memory (owner + generation, stale-DMA check) and the simplified
 * page-table format.
 */
#include "simtest.h"

#include <errno.h>

#include "hw/mem.h"
#include "hw/pgtable.h"

#define MEM_SIZE (1ULL << 20)	/* 256 pages */

static void alloc_free_generations(void **state)
{
	struct hw_mem *m = hw_mem_create(MEM_SIZE);
	uint64_t pa, pa2, gen;

	(void)state;
	assert_non_null(m);
	assert_int_equal(hw_mem_alloc(m, 1, "dom0 iova 0x1000", &pa), 0);
	assert_true(pa >= HW_MEM_BASE);
	assert_int_equal(pa & ~HW_PAGE_MASK, 0);
	gen = hw_mem_gen(m, pa);
	assert_false(hw_mem_is_free(m, pa));
	assert_string_equal(hw_mem_owner(m, pa), "dom0 iova 0x1000");

	assert_int_equal(hw_mem_set_owner(m, pa, "dom1"), 0);
	assert_int_equal(hw_mem_gen(m, pa), gen + 1);

	assert_int_equal(hw_mem_free(m, pa, 1), 0);
	assert_int_equal(hw_mem_gen(m, pa), gen + 2);
	assert_true(hw_mem_is_free(m, pa));
	assert_string_equal(hw_mem_owner(m, pa), "free");
	assert_int_equal(hw_mem_free(m, pa, 1), -EINVAL);	/* double free */
	assert_int_equal(hw_mem_set_owner(m, pa, "x"), -EINVAL);

	/* the most recently freed page is handed out next */
	assert_int_equal(hw_mem_alloc(m, 1, "nvme0 buffer", &pa2), 0);
	assert_int_equal(pa2, pa);
	assert_int_equal(hw_mem_gen(m, pa), gen + 3);
	assert_null(hw_mem_invariant(m));

	assert_int_equal(hw_mem_alloc(m, 0, "x", &pa), -EINVAL);
	assert_int_equal(hw_mem_alloc(m, 1000, "x", &pa), -ENOMEM);
	assert_int_equal(hw_mem_free(m, pa2 + 8, 1), -EINVAL);	/* misaligned */
	assert_int_equal(hw_mem_free(m, 0x1000, 1), -EINVAL);	/* outside */
	hw_mem_destroy(m);
}

static void contiguous_and_bounds(void **state)
{
	struct hw_mem *m = hw_mem_create(MEM_SIZE);
	uint64_t a, b, v = 0;

	(void)state;
	assert_null(hw_mem_create(0));
	assert_null(hw_mem_create(4095));
	assert_int_equal(hw_mem_alloc(m, 16, "cmdq", &a), 0);
	assert_int_equal(hw_mem_alloc(m, 16, "evtq", &b), 0);
	assert_true(b >= a + 16 * HW_PAGE_SIZE || a >= b + 16 * HW_PAGE_SIZE);
	/* naturally aligned, as a buddy allocator's order-4 block */
	assert_int_equal((a - HW_MEM_BASE) % (16 * HW_PAGE_SIZE), 0);
	assert_int_equal((b - HW_MEM_BASE) % (16 * HW_PAGE_SIZE), 0);
	{
		uint64_t one, three;

		assert_int_equal(hw_mem_alloc(m, 1, "one", &one), 0);
		assert_int_equal(hw_mem_alloc(m, 3, "three", &three), 0);
		assert_int_equal((three - HW_MEM_BASE) % (4 * HW_PAGE_SIZE), 0);
		assert_int_equal(hw_mem_free(m, one, 1), 0);
		assert_int_equal(hw_mem_free(m, three, 3), 0);
	}
	for (int i = 0; i < 16; i++)
		assert_false(hw_mem_is_free(m, a + i * HW_PAGE_SIZE));

	/* what the CPU writes through the direct map, hardware reads */
	uint64_t *p = hw_mem_ptr(m, a + 8, 8);
	assert_non_null(p);
	*p = 0x1234;
	assert_int_equal(hw_mem_read64(m, a + 8, &v), 0);
	assert_int_equal(v, 0x1234);
	assert_int_equal(hw_mem_write64(m, a + 16, 0x55), 0);
	assert_int_equal(p[1], 0x55);

	/* external aborts outside memory */
	assert_int_equal(hw_mem_read64(m, HW_MEM_BASE - 8, &v), -EFAULT);
	assert_int_equal(hw_mem_read64(m, HW_MEM_BASE + MEM_SIZE - 4, &v), -EFAULT);
	assert_int_equal(hw_mem_write64(m, HW_MEM_BASE + MEM_SIZE, 1), -EFAULT);
	assert_null(hw_mem_ptr(m, HW_MEM_BASE + MEM_SIZE - 4, 8));
	assert_int_equal(hw_mem_free(m, a, 16), 0);
	assert_null(hw_mem_invariant(m));
	hw_mem_destroy(m);
}

/* The scenario the check exists for, run in a simulator so it can report. */
struct stale_ctx {
	struct hw_mem *m;
	bool fresh;		/* re-translate after the reuse: nothing stale */
	bool read;
	int rc;
};

static void stale_task(void *arg)
{
	struct stale_ctx *c = arg;
	uint64_t pa, pa2, data = 0xdead;
	struct hw_xlate x;
	struct hw_dma d = { .device = "nic0", .sid = 0x10, .iova = 0x4008, .write = !c->read };

	assert_int_equal(hw_mem_alloc(c->m, 1, "dom0 iova 0x4000", &pa), 0);
	x = (struct hw_xlate){ .iova = 0x4000, .pa = pa, .gen = hw_mem_gen(c->m, pa),
			       .made_at = sim_now(), .perm = HW_PERM_R | HW_PERM_W,
			       .src = HW_XLATE_ATC };
	d.x = &x;
	assert_int_equal(hw_mem_dma(c->m, &d, &data, 8), 0);	/* fine */
	sim_delay(1000);
	assert_int_equal(hw_mem_free(c->m, pa, 1), 0);
	assert_int_equal(hw_mem_alloc(c->m, 1, "dom1 iova 0x9000", &pa2), 0);
	assert_int_equal(pa2, pa);
	sim_delay(500);
	if (c->fresh)
		x.gen = hw_mem_gen(c->m, pa);
	c->rc = hw_mem_dma(c->m, &d, &data, 8);
}

static unsigned run_stale(bool fresh, bool read, enum violation_id id, char *msg, size_t len)
{
	struct sim *s = simtest_new(1, 1, "rr");
	struct stale_ctx c = { .m = hw_mem_create(MEM_SIZE), .fresh = fresh, .read = read };
	unsigned n;

	spawn(s, "t", 0, stale_task, &c);
	sim_run(s);
	n = s->violations->count[id];
	if (msg && s->violations->n)
		snprintf(msg, len, "%s", s->violations->v[0].msg);
	assert_int_equal(c.rc, 0);
	sim_destroy(s);
	hw_mem_destroy(c.m);
	return n;
}

static void stale_dma_reported(void **state)
{
	char msg[VIOLATION_MSG_LEN] = "";

	(void)state;
	assert_int_equal(run_stale(false, false, V_STALE_DMA_WRITE, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "nic0"));
	assert_non_null(strstr(msg, "sid 0x10"));
	assert_non_null(strstr(msg, "iova 0x4008"));
	assert_non_null(strstr(msg, "device ATC"));
	assert_non_null(strstr(msg, "made 1500 ns ago"));
	assert_non_null(strstr(msg, "dom1 iova 0x9000"));
	assert_int_equal(run_stale(false, true, V_STALE_DMA_READ, NULL, 0), 1);
	/* the same access with a translation made after the reuse is fine */
	assert_int_equal(run_stale(true, false, V_STALE_DMA_WRITE, NULL, 0), 0);
}

static void stale_write_lands_in_new_owner(void **state)
{
	struct hw_mem *m = hw_mem_create(MEM_SIZE);
	struct sim *s = simtest_new(1, 1, "rr");
	uint64_t pa, pa2, data = 0xbad, *p;
	struct hw_xlate x;
	struct hw_dma d = { .device = "dev", .iova = 0x10, .write = true, .x = &x };

	(void)state;
	assert_int_equal(hw_mem_alloc(m, 1, "a", &pa), 0);
	x = (struct hw_xlate){ .pa = pa, .gen = hw_mem_gen(m, pa), .src = HW_XLATE_SMMU_TLB };
	assert_int_equal(hw_mem_free(m, pa, 1), 0);
	/* free page: stale too */
	s->cfg.keep_going = true;
	assert_int_equal(hw_mem_dma(m, &d, &data, 8), 0);
	assert_int_equal(s->violations->count[V_STALE_DMA_WRITE], 1);
	assert_int_equal(hw_mem_alloc(m, 1, "b", &pa2), 0);
	assert_int_equal(hw_mem_dma(m, &d, &data, 8), 0);
	assert_int_equal(s->violations->count[V_STALE_DMA_WRITE], 2);
	p = hw_mem_ptr(m, pa2 + 0x10, 8);
	assert_int_equal(*p, 0xbad);	/* the stale write corrupted the new owner's page */
	assert_int_equal(hw_mem_stats(m)->stale_writes, 2);
	/* crossing a page, or outside memory */
	d.iova = HW_PAGE_SIZE - 4;
	assert_int_equal(hw_mem_dma(m, &d, &data, 8), -EINVAL);
	x.pa = HW_MEM_BASE + MEM_SIZE;
	x.gen = HW_GEN_ANY;
	d.iova = 0;
	assert_int_equal(hw_mem_dma(m, &d, &data, 8), -EFAULT);
	sim_destroy(s);
	hw_mem_destroy(m);
}

static void bypass_never_stale(void **state)
{
	struct hw_mem *m = hw_mem_create(MEM_SIZE);
	struct sim *s = simtest_new(1, 1, "rr");
	uint64_t data = 1;
	struct hw_xlate x = { .pa = HW_MEM_BASE, .gen = HW_GEN_ANY, .src = HW_XLATE_BYPASS };
	struct hw_dma d = { .device = "dev", .iova = 0, .write = true, .x = &x };

	(void)state;
	assert_int_equal(hw_mem_dma(m, &d, &data, 8), 0);
	assert_int_equal(s->violations->n, 0);
	sim_destroy(s);
	hw_mem_destroy(m);
}

static void pgtable_map_walk_unmap(void **state)
{
	struct hw_mem *m = hw_mem_create(MEM_SIZE);
	uint64_t root, page, ro, pa;
	struct hw_pt_walk w;

	(void)state;
	assert_int_equal(hw_pgtable_alloc(m, "dom0", &root), 0);
	assert_int_equal(hw_mem_alloc(m, 1, "buf", &page), 0);
	assert_int_equal(hw_mem_alloc(m, 1, "ro", &ro), 0);
	assert_int_equal(hw_pgtable_map(m, root, 0x7f0000001000ULL, page, HW_PERM_R | HW_PERM_W, "dom0"), 0);
	assert_int_equal(hw_pgtable_map(m, root, 0x2000, ro, HW_PERM_R, "dom0"), 0);
	assert_int_equal(hw_pgtable_map(m, root, 0x2000, ro, HW_PERM_R, "dom0"), -EEXIST);
	assert_int_equal(hw_pgtable_map(m, root, 0x2001, ro, HW_PERM_R, "dom0"), -EINVAL);
	assert_int_equal(hw_pgtable_map(m, root, 1ULL << 48, ro, HW_PERM_R, "dom0"), -EINVAL);

	hw_pgtable_walk(m, root, 0x7f0000001abcULL, HW_PERM_W, false, &w);
	assert_int_equal(w.fault, HW_PT_OK);
	assert_int_equal(w.pa, page);
	assert_int_equal(w.level, 3);
	assert_int_equal(w.perm, HW_PERM_R | HW_PERM_W);

	hw_pgtable_walk(m, root, 0x2000, HW_PERM_W, false, &w);
	assert_int_equal(w.fault, HW_PT_PERMISSION);
	hw_pgtable_walk(m, root, 0x2000, HW_PERM_X, true, &w);
	assert_int_equal(w.fault, HW_PT_PERMISSION);
	hw_pgtable_walk(m, root, 0x2000, HW_PERM_R, false, &w);
	assert_int_equal(w.fault, HW_PT_OK);

	hw_pgtable_walk(m, root, 0x3000, HW_PERM_R, false, &w);
	assert_int_equal(w.fault, HW_PT_TRANSLATION);
	assert_int_equal(w.level, 3);
	hw_pgtable_walk(m, root, 0x100000000000ULL, HW_PERM_R, false, &w);
	assert_int_equal(w.fault, HW_PT_TRANSLATION);
	assert_int_equal(w.level, 0);
	hw_pgtable_walk(m, root, 1ULL << 48, HW_PERM_R, false, &w);
	assert_int_equal(w.fault, HW_PT_ADDR_SIZE);
	hw_pgtable_walk(m, HW_MEM_BASE + MEM_SIZE, 0x1000, HW_PERM_R, false, &w);
	assert_int_equal(w.fault, HW_PT_WALK_EABT);
	assert_int_equal(w.fetch_addr, HW_MEM_BASE + MEM_SIZE);

	/* AF clear is an access fault; AP[1] clear refuses unprivileged */
	uint64_t *pte;
	assert_int_equal(hw_pgtable_unmap(m, root, 0x2000, &pa), 0);
	assert_int_equal(pa, ro);
	assert_int_equal(hw_pgtable_unmap(m, root, 0x2000, &pa), -ENOENT);
	hw_pgtable_walk(m, root, 0x2000, HW_PERM_R, false, &w);
	assert_int_equal(w.fault, HW_PT_TRANSLATION);
	assert_int_equal(hw_pgtable_map(m, root, 0x2000, ro, HW_PERM_R | HW_PERM_W, "dom0"), 0);
	hw_pgtable_walk(m, root, 0x2000, HW_PERM_R, false, &w);
	assert_int_equal(w.fault, HW_PT_OK);
	{
		/* find the L3 descriptor by following the table descriptors */
		uint64_t t = root, d;
		for (int lvl = 0; lvl < 3; lvl++) {
			unsigned idx = (0x2000ULL >> (12 + 9 * (3 - lvl))) & 511;
			assert_int_equal(hw_mem_read64(m, t + 8 * idx, &d), 0);
			t = d & HW_PTE_ADDR;
		}
		pte = hw_mem_ptr(m, t + 8 * 2, 8);
		*pte &= ~HW_PTE_AF;
		hw_pgtable_walk(m, root, 0x2000, HW_PERM_R, true, &w);
		assert_int_equal(w.fault, HW_PT_ACCESS);
		*pte |= HW_PTE_AF;
		*pte &= ~HW_PTE_AP_UNPRIV;
		hw_pgtable_walk(m, root, 0x2000, HW_PERM_R, false, &w);
		assert_int_equal(w.fault, HW_PT_PERMISSION);
		hw_pgtable_walk(m, root, 0x2000, HW_PERM_R, true, &w);
		assert_int_equal(w.fault, HW_PT_OK);
	}
	assert_int_equal(hw_pgtable_free(m, root), 0);
	assert_true(hw_mem_is_free(m, root));
	assert_false(hw_mem_is_free(m, page));	/* mapped pages are not the table's */
	assert_null(hw_mem_invariant(m));
	hw_mem_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_free_generations),
		cmocka_unit_test(contiguous_and_bounds),
		cmocka_unit_test(stale_dma_reported),
		cmocka_unit_test(stale_write_lands_in_new_owner),
		cmocka_unit_test(bypass_never_stale),
		cmocka_unit_test(pgtable_map_walk_unmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
