// SPDX-License-Identifier: MIT
/*
 * Atomics and bitops, and the lost update on a plain counter: found by
 * random and pct:2 within 3,000 runs; the atomic twin is clean.
 */
#include "simtest.h"

#define INCS 10

static int plain_counter;
static atomic_t atomic_counter;
static DECLARE_COMPLETION(done);

static void inc_fn(void *arg)
{
	bool fixed = arg != NULL;

	for (int i = 0; i < INCS; i++) {
		if (fixed) {
			atomic_inc(&atomic_counter);
		} else {
			int v = READ_ONCE(plain_counter);

			WRITE_ONCE(plain_counter, v + 1);
		}
	}
	complete(&done);
}

static void check_fn(void *arg)
{
	bool fixed = arg != NULL;

	wait_for_completion(&done);
	wait_for_completion(&done);
	WARN(fixed ? atomic_read(&atomic_counter) != 2 * INCS :
		     READ_ONCE(plain_counter) != 2 * INCS,
	     "lost update: counter is %d, expected %d",
	     fixed ? atomic_read(&atomic_counter) : plain_counter, 2 * INCS);
}

static void setup_counter(struct sim *s, void *ctx)
{
	plain_counter = 0;
	atomic_set(&atomic_counter, 0);
	init_completion(&done);
	spawn(s, "inc0", 0, inc_fn, ctx);
	spawn(s, "inc1", 1, inc_fn, ctx);
	spawn(s, "check", 0, check_fn, ctx);
}

static void test_lost_update(void **state)
{
	unsigned r = simtest_runs_to_find(2, "random", 0, 3000, setup_counter, NULL, V_WARN);
	unsigned p = simtest_runs_to_find(2, "pct:2", 100, 3000, setup_counter, NULL, V_WARN);

	printf("# lost update found: random at run %u, pct:2 at run %u\n", r, p);
	assert_true(r > 0 && r <= 3000);
	assert_true(p > 0 && p <= 3000);
	assert_int_equal(simtest_total_violations(2, "random", 3000, setup_counter, (void *)1), 0);
	assert_int_equal(simtest_total_violations(2, "pct:2", 3000, setup_counter, (void *)1), 0);
}

static void atomic_ops_fn(void *arg)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic64_t b = ATOMIC_INIT(1);
	atomic_long_t c = ATOMIC_INIT(0);
	int old = 5;
	unsigned long bm[2] = { 0, 0 };
	u32 word = 3;

	assert_int_equal(atomic_add_return(2, &a), 7);
	assert_int_equal(atomic_fetch_sub(1, &a), 7);
	assert_int_equal(atomic_cmpxchg(&a, 6, 10), 6);
	assert_int_equal(atomic_read(&a), 10);
	assert_int_equal(atomic_cmpxchg(&a, 6, 11), 10);
	assert_false(atomic_try_cmpxchg(&a, &old, 1));
	assert_int_equal(old, 10);
	assert_true(atomic_try_cmpxchg(&a, &old, 1));
	assert_true(atomic_dec_and_test(&a));
	assert_false(atomic_inc_not_zero(&a));
	assert_int_equal(atomic_fetch_or(0x10, &a), 0);
	atomic_andnot(0x10, &a);
	assert_int_equal(atomic_read(&a), 0);
	atomic64_add(1LL << 40, &b);
	assert_true(atomic64_read(&b) == (1LL << 40) + 1);
	assert_int_equal(atomic_long_xchg(&c, 9), 0);
	/* one XOR toggles a whole range of bits of a word (the cmdq valid map) */
	atomic_long_xor(0xf0, &c);
	assert_int_equal(atomic_long_read(&c), 0xf9);
	assert_int_equal(atomic_long_fetch_xor(0xff, &c), 0xf9);
	assert_int_equal(atomic_long_read(&c), 0x06);
	atomic_long_xor(~0L, &c);
	assert_true(atomic_long_read(&c) == ~0x06L);
	assert_int_equal(atomic_fetch_xor(1, &a), 0);
	assert_int_equal(atomic_read(&a), 1);
	atomic_xor(1, &a);
	assert_int_equal(cmpxchg(&word, 3, 4), 3);
	assert_int_equal(word, 4);
	assert_int_equal(xchg(&word, 8), 4);

	assert_false(test_and_set_bit(70, bm));
	assert_true(test_and_set_bit(70, bm));
	assert_true(test_bit(70, bm));
	assert_int_equal(find_first_bit(bm, 128), 70);
	set_bit(3, bm);
	assert_int_equal(find_first_bit(bm, 128), 3);
	assert_int_equal(find_next_bit(bm, 128, 4), 70);
	assert_true(test_and_clear_bit(3, bm));
	assert_false(test_and_clear_bit(3, bm));
	clear_bit(70, bm);
	assert_true(bitmap_empty(bm, 128));
	assert_int_equal(find_first_zero_bit(bm, 128), 0);
}

static void test_atomic_ops(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	spawn(s, "t", 0, atomic_ops_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(s->violations->n, 0);
	assert_true(s->steps > 20);	/* every op was a scheduling point */
	sim_destroy(s);
}

/* test_and_set_bit as a lock: exclusive over many seeds. */
static unsigned long lockword[1];
static int holders, max_holders;

static void bitlock_fn(void *arg)
{
	for (int i = 0; i < 5; i++) {
		while (test_and_set_bit(0, lockword))
			cpu_relax();
		holders++;
		if (holders > max_holders)
			max_holders = holders;
		sim_point();
		holders--;
		clear_bit(0, lockword);
	}
}

static void test_bitlock(void **state)
{
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct sim *s = simtest_new(3, seed, seed & 1 ? "random" : "pct:3");

		lockword[0] = 0;
		holders = max_holders = 0;
		for (int i = 0; i < 3; i++)
			spawn(s, "t", i, bitlock_fn, NULL);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(max_holders, 1);
		sim_destroy(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atomic_ops),
		cmocka_unit_test(test_bitlock),
		cmocka_unit_test(test_lost_update),
	};

	return cmocka_run_group_tests_name("atomic", tests, NULL, NULL);
}
