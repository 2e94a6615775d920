// SPDX-License-Identifier: MIT
/*
 * RCU and tracked memory: a reader dereferencing an object that the updater
 * removed with list_del_rcu() and freed with kfree() instead of kfree_rcu()
 * is USE_AFTER_FREE (naming the object, the freer and the user); the fixed
 * twin, and synchronize_rcu(), are clean.
 */
#include "simtest.h"

struct item {
	int value;
	struct list_head node;
	struct rcu_head rcu;
};

static LIST_HEAD(items);
static DEFINE_SPINLOCK(items_lock);

static void reader_fn(void *arg)
{
	for (int k = 0; k < 4; k++) {
		struct item *it;

		rcu_read_lock();
		list_for_each_entry_rcu(it, &items, node) {
			sim_point();
			(void)kobj_use(it, "it->value")->value;
		}
		rcu_read_unlock();
	}
}

enum { BUGGY_KFREE, FIXED_KFREE_RCU, FIXED_SYNC };

static void updater_fn(void *arg)
{
	int mode = (int)(intptr_t)arg;
	struct item *it = list_first_entry(&items, struct item, node);

	sim_point();
	spin_lock(&items_lock);
	list_del_rcu(&it->node);
	spin_unlock(&items_lock);
	switch (mode) {
	case BUGGY_KFREE:
		kfree(it);
		break;
	case FIXED_KFREE_RCU:
		kfree_rcu(it, rcu);
		break;
	case FIXED_SYNC:
		synchronize_rcu();
		kfree(it);
		break;
	}
}

static void setup_rcu(struct sim *s, void *ctx)
{
	INIT_LIST_HEAD(&items);
	spin_lock_init(&items_lock);
	for (int i = 0; i < 3; i++) {
		struct item *it = kzalloc(sizeof(*it), GFP_KERNEL);

		it->value = i;
		kobj_set_name(it, "item %d", i);
		list_add_tail(&it->node, &items);
	}
	spawn(s, "reader", 0, reader_fn, NULL);
	spawn(s, "updater", 1, updater_fn, ctx);
}

static void test_kfree_instead_of_kfree_rcu(void **state)
{
	unsigned r = simtest_runs_to_find(2, "random", 0, 500, setup_rcu,
					  (void *)BUGGY_KFREE, V_USE_AFTER_FREE);
	unsigned p = simtest_runs_to_find(2, "pct:2", 60, 500, setup_rcu,
					  (void *)BUGGY_KFREE, V_USE_AFTER_FREE);
	struct sim *s;

	printf("# use-after-free found: random at run %u, pct:2 at run %u\n", r, p);
	assert_true(r > 0);
	assert_true(p > 0);
	s = simtest_new(2, r, "random");
	setup_rcu(s, (void *)BUGGY_KFREE);
	sim_run(s);
	const struct violation *v = &s->violations->v[0];

	assert_int_equal(v->id, V_USE_AFTER_FREE);
	assert_non_null(strstr(v->msg, "of freed item 0"));
	assert_non_null(strstr(v->msg, "by 'reader'"));
	assert_non_null(strstr(v->msg, "freed by 'updater'"));
	sim_destroy(s);

	for (int mode = FIXED_KFREE_RCU; mode <= FIXED_SYNC; mode++) {
		assert_int_equal(simtest_total_violations(2, "random", 500, setup_rcu,
							  (void *)(intptr_t)mode), 0);
		assert_int_equal(simtest_total_violations(2, "pct:2", 500, setup_rcu,
							  (void *)(intptr_t)mode), 0);
	}
}

/* synchronize_rcu() waits for readers that began before it, not later ones. */
static int in_reader, sync_returned_inside;

static void long_reader_fn(void *arg)
{
	rcu_read_lock();
	in_reader = 1;
	mdelay(5);	/* preempted readers are fine; sleeping is not */
	in_reader = 0;
	rcu_read_unlock();
}

static void syncer_fn(void *arg)
{
	msleep(1);
	synchronize_rcu();
	sync_returned_inside = in_reader;
	assert_true(sim_now() >= 5 * SIM_MS);
}

static void test_synchronize_rcu_waits(void **state)
{
	struct sim *s = simtest_new(2, 1, "random");

	in_reader = sync_returned_inside = 0;
	spawn(s, "reader", 0, long_reader_fn, NULL);
	spawn(s, "syncer", 1, syncer_fn, NULL);
	assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
	assert_int_equal(sync_returned_inside, 0);
	sim_destroy(s);
}

static int cb_ran;

static void cb_fn(struct rcu_head *h)
{
	cb_ran++;
}

static void call_rcu_fn(void *arg)
{
	static struct rcu_head h1, h2;

	call_rcu(&h1, cb_fn);
	call_rcu(&h2, cb_fn);
	rcu_barrier();
	assert_int_equal(cb_ran, 2);
}

static void test_call_rcu_barrier(void **state)
{
	for (uint64_t seed = 1; seed <= 50; seed++) {
		struct sim *s = simtest_new(2, seed, "random");

		cb_ran = 0;
		spawn(s, "t", 1, call_rcu_fn, NULL);
		assert_int_equal(sim_run(s), SIM_END_ALL_DONE);
		assert_int_equal(s->violations->n, 0);
		sim_destroy(s);
	}
}

static void double_free_fn(void *arg)
{
	void *p = kzalloc(16, GFP_KERNEL);

	kobj_set_name(p, "buffer");
	kfree(p);
	kfree(p);
}

static void test_double_free(void **state)
{
	struct sim *s = simtest_new(1, 1, "random");

	spawn(s, "t", 0, double_free_fn, NULL);
	sim_run(s);
	assert_int_equal(s->violations->count[V_USE_AFTER_FREE], 1);
	assert_non_null(strstr(s->violations->v[0].msg, "double free"));
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kfree_instead_of_kfree_rcu),
		cmocka_unit_test(test_synchronize_rcu_waits),
		cmocka_unit_test(test_call_rcu_barrier),
		cmocka_unit_test(test_double_free),
	};

	return cmocka_run_group_tests_name("rcu", tests, NULL, NULL);
}
