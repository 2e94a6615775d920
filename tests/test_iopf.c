// SPDX-License-Identifier: MIT
/*
 * The IOPF core (src/iopf) and the fault checkers (src/check/fault.c)
 * against a fake IOMMU driver: the test task plays the driver's IRQ
 * thread (fault_chk_raise() as the hardware would, then
 * iommu_report_device_fault()), and the fake page_response records what
 * the device would receive.  Each design and policy is run on the
 * sequence the seeds name, and each checker is broken on purpose.
 */
#include "simtest.h"

#include <errno.h>

#include "check/fault.h"
#include "core/iommu.h"
#include "core/pci.h"
#include "hw/pcie/pcie_ep.h"
#include "iopf/iopf.h"

/* ---- The fake driver ---- */

#define MAXRESP 64

static struct {
	struct { u32 grpid, pasid, code; sim_time_t t; } resp[MAXRESP];
	int nresp;
	int drains;
	size_t last_group_faults;
} fk;

static int fake_attach(struct iommu_domain *d, struct device *dev, struct iommu_domain *old)
{
	(void)d; (void)dev; (void)old;
	return 0;
}

/* The seed-000 placement of the flush: in the driver, before the core switches the handle. */
static int fake_set_pasid(struct iommu_domain *d, struct device *dev, ioasid_t pasid,
			  struct iommu_domain *old)
{
	(void)d; (void)pasid;
	if (old && old->iopf_handler && iopf_drain_policy() != POL_IOPF_DRAIN_NONE)
		iopf_queue_flush_dev(dev);
	return 0;
}

static int fake_map(struct iommu_domain *d, unsigned long iova, phys_addr_t pa, size_t pgsize,
		    size_t pgcount, int prot, gfp_t gfp, size_t *mapped)
{
	(void)d; (void)iova; (void)pa; (void)prot; (void)gfp;
	*mapped = pgsize * pgcount;
	return 0;
}

static void fake_free(struct iommu_domain *d)
{
	fault_chk_domain_root(d, NULL, 0);
	kfree(d);
}

static const struct iommu_domain_ops fake_dom_ops = {
	.attach_dev = fake_attach, .set_dev_pasid = fake_set_pasid,
	.map_pages = fake_map, .free = fake_free,
};

static struct iommu_domain fake_blocked = {
	.type = IOMMU_DOMAIN_BLOCKED, .ops = &fake_dom_ops, .name = "blocking",
};

static int fake_probe(struct device *dev) { (void)dev; return 0; }
static void fake_release(struct device *dev) { (void)dev; }

static struct iommu_domain *fake_alloc(struct device *dev)
{
	struct iommu_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);

	(void)dev;
	kobj_set_name(d, "fake domain");
	d->ops = &fake_dom_ops;
	return d;
}

static void fake_page_response(struct device *dev, struct iopf_fault *evt,
			       struct iommu_page_response *msg)
{
	(void)dev; (void)evt;
	if (fk.nresp < MAXRESP) {
		fk.resp[fk.nresp].grpid = msg->grpid;
		fk.resp[fk.nresp].pasid = msg->pasid;
		fk.resp[fk.nresp].code = msg->code;
		fk.resp[fk.nresp].t = sim_now();
		fk.nresp++;
	}
}

static void fake_drain(struct device *dev) { (void)dev; fk.drains++; }

static const struct iommu_ops fake_ops = {
	.probe_device = fake_probe, .release_device = fake_release,
	.domain_alloc_paging = fake_alloc, .page_response = fake_page_response,
	.drain_faults = fake_drain, .blocked_domain = &fake_blocked,
	.identity_domain = &fake_blocked,
};

/* ---- Environment ---- */

struct env {
	struct sim *s;
	struct pcie_ep *ep;
	struct pci_dev pdev;
	struct iopf_queue *q;
	void (*body)(struct env *e);
	int nfail;
	char failmsg[512];
	struct iopf_stats stats;
};

#define DEV (&e->pdev.dev)
#define SID 0x10u
#define CHECK(c) do { if (!(c) && !e->nfail++) snprintf(e->failmsg, sizeof(e->failmsg), \
				"%s:%d: %s", __FILE__, __LINE__, #c); } while (0)

static int up_mem(void *i, const struct pcie_txn *t, void *b, unsigned l)
{ (void)i; (void)t; (void)b; (void)l; return -EFAULT; }
static void up_tr(void *i, const struct pcie_txn *t, struct pcie_ats_cpl *c)
{ (void)i; (void)t; c->status = PCIE_ATS_UR; }
static void up_inv(void *i, const struct pcie_inv_cpl *c) { (void)i; (void)c; }
static void up_pr(void *i, const struct pcie_page_req *r) { (void)i; (void)r; }
static const struct pcie_upstream_ops up_ops = {
	.mem_request = up_mem, .ats_translate = up_tr, .inv_completion = up_inv,
	.page_request = up_pr,
};
static const struct pcie_upstream upstream = { .ops = &up_ops };

static void body_tramp(void *arg)
{
	struct env *e = arg;
	u32 sid = SID;

	if (iommu_fwspec_init(DEV, &fake_ops, NULL, &sid, 1, 0) || iommu_probe_device(DEV)) {
		CHECK(!"probe");
		return;
	}
	e->q = iopf_queue_alloc("iopf-test");
	CHECK(e->q && !iopf_queue_add_device(e->q, DEV));
	e->body(e);
	e->stats = *iopf_get_stats();
}

/* Run @body under the policies; return the simulator (caller destroys). */
static struct sim *env_run(struct env *e, void (*body)(struct env *e), uint64_t seed,
			   enum pol_iopf_design design, enum pol_iopf_drain drain,
			   enum pol_iopf_discard discard)
{
	struct pcie_ep_config cfg;

	memset(e, 0, sizeof(*e));
	memset(&fk, 0, sizeof(fk));
	e->s = simtest_new(2, seed, NULL);
	e->s->cfg.keep_going = true;
	iopf_configure(design, drain, discard);
	pcie_ep_config_default(&cfg);
	cfg.name = "dev0";
	cfg.sids[0] = SID;
	cfg.nsids = 1;
	cfg.pasid = true;
	cfg.pasid_bits = 5;
	e->ep = pcie_ep_create(e->s, &cfg, &upstream);
	pci_dev_init(&e->pdev, e->ep, "dev0", SID, NULL, 0);
	e->body = body;
	spawn(e->s, "test", 0, body_tramp, e);
	sim_run(e->s);
	if (e->nfail)
		fprintf(stderr, "%s\n", e->failmsg);
	assert_int_equal(e->nfail, 0);
	return e->s;
}

static unsigned nviol(struct sim *s, enum violation_id id)
{
	return s->violations->count[id];
}

/* The hardware raises, the IRQ thread reports. */
static void fault(struct env *e, u32 pasid, u32 grpid, bool last, u64 root)
{
	struct iopf_fault evt = { .fault = { .type = IOMMU_FAULT_PAGE_REQ, .prm = {
		.flags = IOMMU_FAULT_PAGE_REQUEST_PASID_VALID |
			 (last ? IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE : 0),
		.pasid = pasid, .grpid = grpid, .perm = IOMMU_FAULT_PERM_READ,
		.addr = 0x1000ull * (grpid + 1),
		.private_data = { SID, IOPF_SRC_PRI },
	} } };

	if (root)
		fault_chk_raise(FAULT_CHK_PRI, SID, grpid, root);
	iommu_report_device_fault(DEV, &evt);
}

static struct iopf_delay delay_1ms = { .delay = 1000000, .code = IOMMU_PAGE_RESP_SUCCESS };
static struct iopf_delay delay_0 = { .delay = 0, .code = IOMMU_PAGE_RESP_SUCCESS };

static struct iommu_domain *dom(struct env *e, const char *name, struct iopf_delay *d, u64 root)
{
	struct iommu_domain *dm = iommu_paging_domain_alloc(DEV, name);

	dm->iopf_handler = iopf_delay_handler;
	dm->fault_data = d;
	fault_chk_domain_root(dm, name, root);
	return dm;
}

static struct iommu_attach_handle *handle(void)
{
	struct iommu_attach_handle *h = kzalloc(sizeof(*h), GFP_KERNEL);

	kobj_set_name(h, "attach handle");
	return h;
}

/* ---- Tests ---- */

static int count_handler(struct iopf_group *group)
{
	fk.last_group_faults = group->fault_count;
	iopf_group_response(group, IOMMU_PAGE_RESP_SUCCESS);
	return 0;
}

static void body_partial(struct env *e)
{
	struct iommu_domain *a = dom(e, "A", &delay_0, 0xa000);

	a->iopf_handler = count_handler;
	CHECK(!iommu_attach_device_pasid(a, DEV, 1, handle()));
	fault(e, 1, 3, false, 0xa000);
	fault(e, 1, 4, false, 0xa000);
	fault(e, 1, 3, false, 0xa000);
	fault(e, 1, 3, true, 0xa000);
	iopf_queue_flush_dev(DEV);
	CHECK(fk.nresp == 1 && fk.resp[0].grpid == 3 && fk.resp[0].code == IOMMU_PAGE_RESP_SUCCESS);
	CHECK(fk.last_group_faults == 3);
	/* no handle on PASID 2: answered INVALID at once */
	fault(e, 2, 5, true, 0xa000);
	CHECK(fk.nresp == 2 && fk.resp[1].grpid == 5 && fk.resp[1].code == IOMMU_PAGE_RESP_INVALID);
}

static void test_partial_groups(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_partial, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_ORDERED, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_int_equal(s->violations->n, 0);
	assert_int_equal(e.stats.partial, 3);
	assert_int_equal(e.stats.error_responses, 1);
	sim_destroy(s);
}

/*
 * Seed 000: a replace while the old domain's handler is in flight, then
 * the caller frees the old handle and domain.
 */
static void body_replace(struct env *e)
{
	struct iommu_domain *a = dom(e, "A", &delay_1ms, 0xa000);
	struct iommu_domain *b = dom(e, "B", &delay_0, 0xb000);
	struct iommu_attach_handle *ha = handle();

	CHECK(!iommu_attach_device_pasid(a, DEV, 1, ha));
	fault(e, 1, 1, true, 0xa000);
	CHECK(!iommu_replace_device_pasid(b, DEV, 1, handle()));
	kfree(ha);
	iommu_domain_free(a);
	iopf_queue_flush_dev(DEV);
}

static void test_replace_drain_none_uaf(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_replace, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_NONE, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_true(nviol(s, V_USE_AFTER_FREE) > 0);
	sim_destroy(s);
}

static void test_replace_flush_wq_clean(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_replace, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_FLUSH_WQ, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_int_equal(s->violations->n, 0);
	assert_int_equal(fk.nresp, 1);
	sim_destroy(s);
}

static void test_replace_group_counter_clean(void **state)
{
	struct env e;
	/* no drain at all: the pending counter alone keeps the domain alive */
	struct sim *s = env_run(&e, body_replace, 1, POL_IOPF_DESIGN_GROUP_COUNTER,
				POL_IOPF_DRAIN_NONE, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_int_equal(s->violations->n, 0);
	/* the light flush answered it (NOP); the handler's answer was dropped */
	assert_int_equal(fk.nresp, 1);
	assert_int_equal(e.stats.nop, 1);
	sim_destroy(s);
}

static void test_replace_ordered_drains(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_replace, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_ORDERED, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_int_equal(s->violations->n, 0);
	assert_int_equal(fk.drains, 1);
	sim_destroy(s);
}

/* Will Deacon's race: translated on A, reported after the switch to B. */
static void body_wrong_domain(struct env *e)
{
	struct iommu_domain *a = dom(e, "A", &delay_0, 0xa000);
	struct iommu_domain *b = dom(e, "B", &delay_0, 0xb000);

	CHECK(!iommu_attach_device_pasid(a, DEV, 1, handle()));
	fault_chk_raise(FAULT_CHK_PRI, SID, 2, 0xa000);	/* sits in the queue */
	/* a fault translated on B before the handle moves: not flagged */
	fault(e, 1, 3, true, 0xb000);
	CHECK(!iommu_replace_device_pasid(b, DEV, 1, handle()));
	fault(e, 1, 2, true, 0);			/* the thread reports it now */
	iopf_queue_flush_dev(DEV);
}

static void test_fault_wrong_domain(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_wrong_domain, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_FLUSH_WQ, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_int_equal(nviol(s, V_FAULT_WRONG_DOMAIN), 1);
	assert_non_null(strstr(s->violations->v[0].msg, "translated on A"));
	sim_destroy(s);
}

/* A PASID released with a partial group pending (seed 001). */
static void body_release_partial(struct env *e)
{
	struct iommu_domain *a = dom(e, "A", &delay_0, 0xa000);

	CHECK(!iommu_attach_device_pasid(a, DEV, 1, handle()));
	fault(e, 1, 9, false, 0xa000);
	iommu_detach_device_pasid(a, DEV, 1);
	fault(e, 1, 9, true, 0xa000);		/* the rest of the group */
	iopf_queue_flush_dev(DEV);
}

static void test_release_partial_respond(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_release_partial, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_ORDERED, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_int_equal(s->violations->n, 0);
	assert_int_equal(fk.nresp, 1);
	assert_int_equal(fk.resp[0].code, IOMMU_PAGE_RESP_INVALID);
	sim_destroy(s);
}

static void test_release_partial_discard(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_release_partial, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_ORDERED, POL_IOPF_DISCARD_DISCARD);

	(void)state;
	assert_int_equal(fk.nresp, 0);		/* the device would wait forever */
	assert_true(e.stats.discarded >= 2);
	sim_destroy(s);
}

/* The checker itself, broken on purpose: twice, and after reuse. */
static void body_double(struct env *e)
{
	u64 s1, s2;

	(void)e;
	fault_chk_raise(FAULT_CHK_PRI, SID, 7, 0);
	s1 = fault_chk_report(FAULT_CHK_PRI, SID, 7, NULL);
	fault_chk_respond(s1);
	fault_chk_respond(s1);				/* twice */
	fault_chk_raise(FAULT_CHK_PRI, SID, 8, 0);
	s2 = fault_chk_report(FAULT_CHK_PRI, SID, 8, NULL);
	fault_chk_raise(FAULT_CHK_PRI, SID, 8, 0);	/* index 8 reused (s2 timed out) */
	fault_chk_respond(s2);				/* reaches the new group */
}

static void test_double_response_checker(void **state)
{
	struct env e;
	struct sim *s = env_run(&e, body_double, 1, POL_IOPF_DESIGN_LINUX,
				POL_IOPF_DRAIN_ORDERED, POL_IOPF_DISCARD_RESPOND);

	(void)state;
	assert_int_equal(nviol(s, V_PRQ_DOUBLE_RESPONSE), 2);
	assert_non_null(strstr(s->violations->v[1].msg, "reused"));
	sim_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partial_groups),
		cmocka_unit_test(test_replace_drain_none_uaf),
		cmocka_unit_test(test_replace_flush_wq_clean),
		cmocka_unit_test(test_replace_group_counter_clean),
		cmocka_unit_test(test_replace_ordered_drains),
		cmocka_unit_test(test_fault_wrong_domain),
		cmocka_unit_test(test_release_partial_respond),
		cmocka_unit_test(test_release_partial_discard),
		cmocka_unit_test(test_double_response_checker),
	};

	return cmocka_run_group_tests_name("iopf", tests, NULL, NULL);
}
