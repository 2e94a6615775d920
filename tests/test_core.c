// SPDX-License-Identifier: MIT
/*
 * The IOMMU core and the PCI reset slice (seed 003 v4 patches 01-11 and
 * the review) against a fake IOMMU driver and real PCIe endpoint models.
 *
 * The fake driver records every call it gets (attach_dev, set_dev_pasid,
 * map/unmap/iotlb_sync, reset_device_done, probe/release) with the
 * virtual time, and keeps what its "hardware" has per device (the RID's
 * domain, each PASID's domain), so a test can see what the device could
 * reach at any moment and in which order the core did things.
 *
 * Each test runs its body as a task in a fresh simulator; checks inside
 * the task are recorded (CHECK) and asserted after the run, together
 * with the violations the run produced (the core WARNs when its group
 * invariant breaks, so every step of every test is checked).
 */
#include "simtest.h"

#include <errno.h>

#include "core/iommu.h"
#include "core/iommu_internal.h"
#include "core/pci.h"
#include "hw/pcie/pcie_ep.h"

/* ------------------------------------------------------------------ */
/* The fake IOMMU driver                                               */
/* ------------------------------------------------------------------ */

enum ev_kind { EV_ATTACH, EV_SET_PASID, EV_MAP, EV_UNMAP, EV_SYNC, EV_RESET_DONE,
	       EV_PROBE, EV_RELEASE };

struct ev {
	enum ev_kind k;
	struct device *dev;
	struct iommu_domain *dom;	/* EV_RESET_DONE: the RID's domain at the time */
	struct iommu_domain *old;
	ioasid_t pasid;
	unsigned long start, end;	/* map/unmap/sync ranges, end inclusive */
	sim_time_t t;
};

#define MAXEV 512

static struct fake {
	struct ev ev[MAXEV];
	int n;
	struct device *fail_dev;	/* attach_dev of @fail_dom to it fails -EIO */
	struct iommu_domain *fail_dom;
	int in_unmap;			/* nesting: iommu_unmap() still running */
} fk;

/* What the fake hardware has for one device. */
struct fake_master {
	struct iommu_domain *rid;
	struct iommu_domain *pasid[IOMMU_MAX_PASIDS];
};

static const struct iommu_ops fake_ops;
static struct iommu_domain fake_blocked;

static void ev_add(struct ev e)
{
	if (fk.n < MAXEV) {
		e.t = sim_now();
		fk.ev[fk.n++] = e;
	}
}

static int fake_attach_dev(struct iommu_domain *dom, struct device *dev, struct iommu_domain *old)
{
	struct fake_master *m = dev_iommu_priv_get(dev);

	if (dev == fk.fail_dev && dom == fk.fail_dom)
		return -EIO;
	ev_add((struct ev){ .k = EV_ATTACH, .dev = dev, .dom = dom, .old = old });
	m->rid = dom;
	return 0;
}

static int fake_set_dev_pasid(struct iommu_domain *dom, struct device *dev, ioasid_t pasid,
			      struct iommu_domain *old)
{
	struct fake_master *m = dev_iommu_priv_get(dev);

	if (dev == fk.fail_dev && dom == fk.fail_dom)
		return -EIO;
	ev_add((struct ev){ .k = EV_SET_PASID, .dev = dev, .dom = dom, .old = old,
			    .pasid = pasid });
	m->pasid[pasid] = dom->type == IOMMU_DOMAIN_BLOCKED ? NULL : dom;
	return 0;
}

static int fake_map_pages(struct iommu_domain *dom, unsigned long iova, phys_addr_t paddr,
			  size_t pgsize, size_t pgcount, int prot, gfp_t gfp, size_t *mapped)
{
	(void)paddr; (void)prot; (void)gfp;
	ev_add((struct ev){ .k = EV_MAP, .dom = dom, .start = iova,
			    .end = iova + pgsize * pgcount - 1 });
	*mapped = pgsize * pgcount;
	return 0;
}

static size_t fake_unmap_pages(struct iommu_domain *dom, unsigned long iova, size_t pgsize,
			       size_t pgcount, struct iommu_iotlb_gather *g)
{
	unsigned long end = iova + pgsize * pgcount - 1;

	ev_add((struct ev){ .k = EV_UNMAP, .dom = dom, .start = iova, .end = end });
	if (iova < g->start)
		g->start = iova;
	if (end > g->end)
		g->end = end;
	g->pgsize = pgsize;
	return pgsize * pgcount;
}

static void fake_iotlb_sync(struct iommu_domain *dom, struct iommu_iotlb_gather *g)
{
	msleep(1);			/* the invalidation and its wait take time */
	ev_add((struct ev){ .k = EV_SYNC, .dom = dom, .start = g->start, .end = g->end });
}

static void fake_domain_free(struct iommu_domain *dom)
{
	kfree(dom);
}

static const struct iommu_domain_ops fake_paging_ops = {
	.attach_dev = fake_attach_dev,
	.set_dev_pasid = fake_set_dev_pasid,
	.map_pages = fake_map_pages,
	.unmap_pages = fake_unmap_pages,
	.iotlb_sync = fake_iotlb_sync,
	.free = fake_domain_free,
};

static const struct iommu_domain_ops fake_static_ops = {
	.attach_dev = fake_attach_dev,
	.set_dev_pasid = fake_set_dev_pasid,
};

static struct iommu_domain fake_blocked = {
	.type = IOMMU_DOMAIN_BLOCKED, .ops = &fake_static_ops, .owner = &fake_ops,
	.name = "blocking",
};

static struct iommu_domain fake_identity = {
	.type = IOMMU_DOMAIN_IDENTITY, .ops = &fake_static_ops, .owner = &fake_ops,
	.name = "identity",
};

static int fake_probe(struct device *dev)
{
	struct fake_master *m = kzalloc(sizeof(*m), GFP_KERNEL);

	kobj_set_name(m, "fake_master %s", dev_name(dev));
	dev_iommu_priv_set(dev, m);
	ev_add((struct ev){ .k = EV_PROBE, .dev = dev });
	return 0;
}

static void fake_release(struct device *dev)
{
	ev_add((struct ev){ .k = EV_RELEASE, .dev = dev });
	kfree(dev_iommu_priv_get(dev));
}

static void fake_reset_device_done(struct device *dev)
{
	struct fake_master *m = dev_iommu_priv_get(dev);

	/* record what the RID had when the driver was told */
	ev_add((struct ev){ .k = EV_RESET_DONE, .dev = dev, .dom = m->rid });
}

static struct iommu_domain *fake_alloc_paging(struct device *dev)
{
	struct iommu_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);

	(void)dev;
	kobj_set_name(d, "fake paging domain");
	d->ops = &fake_paging_ops;
	return d;
}

static const struct iommu_ops fake_ops = {
	.probe_device = fake_probe,
	.release_device = fake_release,
	.reset_device_done = fake_reset_device_done,
	.domain_alloc_paging = fake_alloc_paging,
	.identity_domain = &fake_identity,
	.blocked_domain = &fake_blocked,
};

/* Index of the first event at or after @from matching (NULL/-1: any), or -1. */
static int ev_find(int from, enum ev_kind k, struct device *dev, struct iommu_domain *dom,
		   struct iommu_domain *old, int pasid)
{
	for (int i = from; i < fk.n; i++) {
		const struct ev *e = &fk.ev[i];

		if (e->k == k && (!dev || e->dev == dev) && (!dom || e->dom == dom) &&
		    (!old || e->old == old) && (pasid < 0 || (int)e->pasid == pasid))
			return i;
	}
	return -1;
}

static int ev_count(int from, enum ev_kind k, struct device *dev)
{
	int n = 0;

	for (int i = from; i < fk.n; i++)
		if (fk.ev[i].k == k && (!dev || fk.ev[i].dev == dev))
			n++;
	return n;
}

static struct fake_master *master(struct device *dev)
{
	return dev_iommu_priv_get(dev);
}

/* ------------------------------------------------------------------ */
/* Test environment                                                    */
/* ------------------------------------------------------------------ */

struct devspec {
	const char *name;
	u32 rid;
	u32 aliases[2];
	unsigned int naliases;
	bool ats;
	bool pasid;
};

#define MAXDEV 6

struct env {
	struct sim *s;
	int ndev;
	struct devspec spec[MAXDEV];
	struct pcie_ep *ep[MAXDEV];
	struct pci_dev pdev[MAXDEV];
	void (*body)(struct env *e);
	int nfail;
	char failmsg[1024];
	/* scratch for bodies */
	struct iommu_domain *dom1, *dom2;
	struct sim_irq *irq;
	int report_dev;
	int scratch[4];
	struct iommu_core_stats stats;	/* copied at the end of the body */
	enum sim_end end;
};

static void env_fail(struct env *e, const char *file, int line, const char *what)
{
	if (!e->nfail++)
		snprintf(e->failmsg, sizeof(e->failmsg), "%s:%d: %s (t=%llu ns)", file, line,
			 what, (unsigned long long)sim_now());
	else
		fprintf(stderr, "  also %s:%d: %s\n", file, line, what);
}

#define CHECK(cond) do { if (!(cond)) env_fail(e, __FILE__, __LINE__, #cond); } while (0)
#define CHECK_INT(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		char __m[256];						\
		snprintf(__m, sizeof(__m), "%s == %s (%lld != %lld)", #a, #b, __a, __b); \
		env_fail(e, __FILE__, __LINE__, __m);			\
	}								\
} while (0)

#define DEV(i)	(&e->pdev[i].dev)

/* Every group's invariant, from the test's side. */
static void inv_all(struct env *e, int line)
{
	for (int i = 0; i < e->ndev; i++) {
		struct iommu_group *g = iommu_group_get(DEV(i));
		const char *msg = g ? iommu_group_invariant(g) : NULL;

		if (msg) {
			char m[256];

			snprintf(m, sizeof(m), "invariant after step at line %d: %s", line, msg);
			env_fail(e, __FILE__, line, m);
		}
	}
}
#define INV() inv_all(e, __LINE__)

static int up_mem(void *iommu, const struct pcie_txn *t, void *buf, unsigned len)
{
	(void)iommu; (void)t; (void)buf; (void)len;
	return -EFAULT;
}

static void up_translate(void *iommu, const struct pcie_txn *t, struct pcie_ats_cpl *cpl)
{
	(void)iommu; (void)t;
	cpl->status = PCIE_ATS_UR;
}

static void up_inv_cpl(void *iommu, const struct pcie_inv_cpl *c) { (void)iommu; (void)c; }
static void up_page_req(void *iommu, const struct pcie_page_req *r) { (void)iommu; (void)r; }

static const struct pcie_upstream_ops up_ops = {
	.mem_request = up_mem,
	.ats_translate = up_translate,
	.inv_completion = up_inv_cpl,
	.page_request = up_page_req,
};
static const struct pcie_upstream upstream = { .ops = &up_ops, .iommu = NULL };

static void env_init(struct env *e, int ncpus, uint64_t seed, enum pol_report_broken pol,
		     unsigned long bugs, const struct devspec *spec, int ndev,
		     void (*body)(struct env *e))
{
	memset(e, 0, sizeof(*e));
	memset(&fk, 0, sizeof(fk));
	e->s = simtest_new(ncpus, seed, NULL);
	assert_non_null(e->s);
	iommu_core_configure(pol, bugs);
	e->ndev = ndev;
	e->body = body;
	for (int i = 0; i < ndev; i++) {
		struct pcie_ep_config cfg;

		e->spec[i] = spec[i];
		pcie_ep_config_default(&cfg);
		cfg.name = spec[i].name;
		cfg.sids[0] = spec[i].rid;
		cfg.nsids = 1;
		for (unsigned int a = 0; a < spec[i].naliases; a++)
			cfg.aliases[a] = spec[i].aliases[a];
		cfg.naliases = (int)spec[i].naliases;
		cfg.ats = spec[i].ats;
		cfg.atc_entries = 8;
		cfg.inv_queue_depth = 4;
		cfg.pasid = spec[i].pasid;
		cfg.pasid_bits = 5;
		e->ep[i] = pcie_ep_create(e->s, &cfg, &upstream);
		assert_non_null(e->ep[i]);
		pci_dev_init(&e->pdev[i], e->ep[i], spec[i].name, spec[i].rid,
			     spec[i].aliases, spec[i].naliases);
	}
}

/* fwspec + probe every device; from the body. */
static void probe_all(struct env *e)
{
	for (int i = 0; i < e->ndev; i++) {
		CHECK_INT(iommu_fwspec_init(DEV(i), &fake_ops, NULL, &e->spec[i].rid, 1, 0), 0);
		CHECK_INT(iommu_probe_device(DEV(i)), 0);
	}
	INV();
}

static void body_tramp(void *arg)
{
	struct env *e = arg;

	e->body(e);
	e->stats = *iommu_core_stats();
}

/* Run the body; return the violations of @id (and print any others). */
static unsigned env_run(struct env *e)
{
	spawn(e->s, "test", 0, body_tramp, e);
	e->end = sim_run(e->s);
	return e->s->violations->n;
}

static void env_print_violations(struct env *e)
{
	for (size_t i = 0; i < e->s->violations->n; i++)
		violation_print(stderr, &e->s->violations->v[i]);
}

/* Run, expect no failed check and no violation, destroy. */
static void env_run_clean(struct env *e)
{
	unsigned nv = env_run(e);

	if (nv)
		env_print_violations(e);
	if (e->nfail)
		fprintf(stderr, "%s\n", e->failmsg);
	assert_int_equal(e->nfail, 0);
	assert_int_equal(nv, 0);
	sim_destroy(e->s);
}

static unsigned klog(struct env *e, const char *needle)
{
	return (unsigned)klog_count(e->s, needle);
}

static const struct devspec one_ats[] = {
	{ .name = "nic0", .rid = 0x10, .ats = true, .pasid = true },
};

/* ------------------------------------------------------------------ */
/* Groups                                                              */
/* ------------------------------------------------------------------ */

static const struct devspec alias_spec[] = {
	{ .name = "fnA", .rid = 0x10, .ats = true },
	{ .name = "fnB", .rid = 0x18, .aliases = { 0x10 }, .naliases = 1, .ats = true },
	{ .name = "fnC", .rid = 0x20, .ats = true },
	{ .name = "fnD", .rid = 0x28, .aliases = { 0x30 }, .naliases = 1 },
	{ .name = "fnE", .rid = 0x30 },
};

static void body_groups(struct env *e)
{
	struct pci_dev stray;

	probe_all(e);
	CHECK(iommu_group_get(DEV(0)) != NULL);
	CHECK(iommu_group_get(DEV(0)) == iommu_group_get(DEV(1)));	/* B aliases A's RID */
	CHECK(iommu_group_get(DEV(2)) != iommu_group_get(DEV(0)));
	CHECK(iommu_group_get(DEV(3)) == iommu_group_get(DEV(4)));	/* D aliases E's RID */
	CHECK(iommu_group_get(DEV(3)) != iommu_group_get(DEV(2)));
	for (int i = 0; i < e->ndev; i++) {
		/* a fresh device starts blocked at the hardware: nothing translates */
		CHECK(ev_find(0, EV_ATTACH, DEV(i), &fake_blocked, NULL, -1) >= 0);
		CHECK(master(DEV(i))->rid == &fake_blocked);
		CHECK(iommu_get_domain_for_dev(DEV(i)) == &fake_blocked);
		CHECK_INT(iommu_dev_blocked(DEV(i)), BLOCKED_NO);
		CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(i))), 0);
	}
	/* fwspec errors, probe without one */
	CHECK_INT(iommu_fwspec_init(DEV(0), &fake_ops, NULL, &e->spec[0].rid, 1, 0), -EEXIST);
	pci_dev_init(&stray, e->ep[2], "stray", 0x40, NULL, 0);
	CHECK_INT(iommu_probe_device(&stray.dev), -ENODEV);

	/* removal: the group lives on with its other device, then goes */
	iommu_release_device(DEV(1));
	CHECK(iommu_group_get(DEV(1)) == NULL);
	CHECK(DEV(1)->iommu == NULL);
	CHECK(ev_find(0, EV_RELEASE, DEV(1), NULL, NULL, -1) >= 0);
	INV();
	iommu_release_device(DEV(0));
	CHECK(iommu_group_get(DEV(0)) == NULL);
	/* and a new device with that RID makes a fresh group */
	CHECK_INT(iommu_fwspec_init(DEV(0), &fake_ops, NULL, &e->spec[0].rid, 1, 0), 0);
	CHECK_INT(iommu_probe_device(DEV(0)), 0);
	CHECK(iommu_group_get(DEV(0)) != iommu_group_get(DEV(2)));
	INV();
}

static void test_groups_by_alias(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, alias_spec, 5, body_groups);
	env_run_clean(&e);
}

/* ------------------------------------------------------------------ */
/* Attach, replace, detach                                             */
/* ------------------------------------------------------------------ */

static void body_attach(struct env *e)
{
	struct iommu_domain *d1, *d2;
	int mark;

	probe_all(e);
	d1 = iommu_paging_domain_alloc(DEV(0), "dom1");
	d2 = iommu_paging_domain_alloc(DEV(0), "dom2");
	CHECK(!IS_ERR(d1) && !IS_ERR(d2));
	CHECK_INT(d1->type, IOMMU_DOMAIN_PAGING);

	mark = fk.n;
	CHECK_INT(iommu_attach_device(d1, DEV(0)), 0);		/* the whole group A+B */
	CHECK(ev_find(mark, EV_ATTACH, DEV(0), d1, &fake_blocked, -1) >= 0);
	CHECK(ev_find(mark, EV_ATTACH, DEV(1), d1, &fake_blocked, -1) >= 0);
	CHECK(iommu_get_domain_for_dev(DEV(1)) == d1);
	CHECK(master(DEV(2))->rid == &fake_blocked);		/* other group untouched */
	INV();

	mark = fk.n;
	CHECK_INT(iommu_attach_device(d2, DEV(0)), -EBUSY);	/* already has one */
	CHECK_INT(fk.n, mark);
	CHECK(iommu_get_domain_for_dev(DEV(0)) == d1);

	CHECK_INT(iommu_replace_device(d2, DEV(1)), 0);
	CHECK(ev_find(mark, EV_ATTACH, DEV(0), d2, d1, -1) >= 0);
	CHECK(ev_find(mark, EV_ATTACH, DEV(1), d2, d1, -1) >= 0);
	CHECK(iommu_get_domain_for_dev(DEV(0)) == d2);
	INV();

	/* the driver refuses B: A goes back, the group keeps d2 */
	fk.fail_dev = DEV(1);
	fk.fail_dom = d1;
	mark = fk.n;
	CHECK_INT(iommu_replace_device(d1, DEV(0)), -EIO);
	CHECK(ev_find(mark, EV_ATTACH, DEV(0), d1, d2, -1) >= 0);
	CHECK(ev_find(mark, EV_ATTACH, DEV(0), d2, d1, -1) >= 0);	/* rolled back */
	CHECK(iommu_get_domain_for_dev(DEV(0)) == d2);
	CHECK(master(DEV(0))->rid == d2 && master(DEV(1))->rid == d2);
	fk.fail_dev = NULL;
	INV();

	mark = fk.n;
	iommu_detach_device(d2, DEV(0));
	CHECK(ev_find(mark, EV_ATTACH, DEV(0), &fake_blocked, d2, -1) >= 0);
	CHECK(ev_find(mark, EV_ATTACH, DEV(1), &fake_blocked, d2, -1) >= 0);
	CHECK(iommu_get_domain_for_dev(DEV(0)) == &fake_blocked);
	INV();

	/* identity is a non-blocking domain like any other */
	CHECK_INT(iommu_attach_device(&fake_identity, DEV(2)), 0);
	CHECK(master(DEV(2))->rid == &fake_identity);
	iommu_detach_device(&fake_identity, DEV(2));
	INV();
	iommu_domain_free(d1);
	iommu_domain_free(d2);
}

static void test_attach_replace_detach(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, alias_spec, 3, body_attach);
	env_run_clean(&e);
}

static const struct devspec pasid_spec[] = {
	{ .name = "acc0", .rid = 0x10, .ats = true, .pasid = true },
	{ .name = "nopasid", .rid = 0x20, .ats = true },
};

static void body_pasid(struct env *e)
{
	struct iommu_attach_handle h1 = { 0 }, h2 = { 0 };
	struct iommu_group *g;
	struct iommu_domain *d1, *d2;
	int mark;

	probe_all(e);
	g = iommu_group_get(DEV(0));
	d1 = iommu_paging_domain_alloc(DEV(0), "sva1");
	d2 = iommu_paging_domain_alloc(DEV(0), "sva2");

	mark = fk.n;
	CHECK_INT(iommu_attach_device_pasid(d1, DEV(0), 1, &h1), 0);
	CHECK(ev_find(mark, EV_SET_PASID, DEV(0), d1, NULL, 1) >= 0);
	CHECK(iommu_attach_handle_get(g, 1) == &h1);
	CHECK(h1.domain == d1);
	CHECK(master(DEV(0))->pasid[1] == d1);
	CHECK(master(DEV(0))->rid == &fake_blocked);		/* the RID is separate */
	INV();

	CHECK_INT(iommu_attach_device_pasid(d2, DEV(0), 1, &h2), -EBUSY);
	CHECK_INT(iommu_attach_device_pasid(d2, DEV(0), IOMMU_NO_PASID, &h2), -EINVAL);
	CHECK_INT(iommu_attach_device_pasid(d2, DEV(0), IOMMU_MAX_PASIDS, &h2), -EINVAL);
	CHECK_INT(iommu_attach_device_pasid(d2, DEV(0), 32, &h2), -EINVAL);	/* 5 bits */
	CHECK_INT(iommu_attach_device_pasid(d2, DEV(1), 1, &h2), -EINVAL);	/* no PASIDs */
	CHECK(IS_ERR(iommu_attach_handle_get(g, 2)));

	mark = fk.n;
	CHECK_INT(iommu_replace_device_pasid(d2, DEV(0), 1, &h2), 0);
	CHECK(ev_find(mark, EV_SET_PASID, DEV(0), d2, d1, 1) >= 0);
	CHECK(iommu_attach_handle_get(g, 1) == &h2);
	CHECK(master(DEV(0))->pasid[1] == d2);
	INV();

	CHECK_INT(iommu_attach_device_pasid(d1, DEV(0), 7, NULL), 0);
	CHECK(IS_ERR(iommu_attach_handle_get(g, 7)));		/* no handle given */
	CHECK(master(DEV(0))->pasid[7] == d1);

	mark = fk.n;
	iommu_detach_device_pasid(d2, DEV(0), 1);
	CHECK(ev_find(mark, EV_SET_PASID, DEV(0), &fake_blocked, d2, 1) >= 0);
	CHECK(IS_ERR(iommu_attach_handle_get(g, 1)));
	CHECK(master(DEV(0))->pasid[1] == NULL);
	iommu_detach_device_pasid(d1, DEV(0), 7);
	INV();
}

static void test_pasid(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, pasid_spec, 2, body_pasid);
	env_run_clean(&e);
}

/* ------------------------------------------------------------------ */
/* -EBUSY while in recovery; blocked devices skipped on domain change  */
/* ------------------------------------------------------------------ */

static const struct devspec alias_pasid_spec[] = {
	{ .name = "fnA", .rid = 0x10, .ats = true, .pasid = true },
	{ .name = "fnB", .rid = 0x18, .aliases = { 0x10 }, .naliases = 1, .ats = true,
	  .pasid = true },
};

static void body_recovery_busy(struct env *e)
{
	struct iommu_group *g;
	struct iommu_domain *d1, *d2;
	struct iommu_attach_handle h = { 0 };
	int mark;

	probe_all(e);
	g = iommu_group_get(DEV(0));
	d1 = iommu_paging_domain_alloc(DEV(0), "dom1");
	d2 = iommu_paging_domain_alloc(DEV(0), "dom2");
	CHECK_INT(iommu_attach_device(d1, DEV(0)), 0);

	mark = fk.n;
	CHECK_INT(pci_dev_reset_iommu_prepare(&e->pdev[0]), 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_RESETTING);
	CHECK_INT(iommu_dev_blocked(DEV(1)), BLOCKED_NO);
	CHECK_INT(iommu_group_recovery_cnt(g), 1);
	CHECK(ev_find(mark, EV_ATTACH, DEV(0), &fake_blocked, d1, -1) >= 0);
	CHECK(master(DEV(0))->rid == &fake_blocked);
	CHECK(master(DEV(1))->rid == d1);			/* the sibling keeps working */
	CHECK(iommu_get_domain_for_dev(DEV(0)) == d1);		/* retained */
	INV();

	/* no translation may be handed out while the group is in recovery */
	mark = fk.n;
	CHECK_INT(iommu_replace_device(d2, DEV(1)), -EBUSY);
	CHECK_INT(iommu_replace_device(&fake_identity, DEV(1)), -EBUSY);
	CHECK_INT(iommu_attach_device_pasid(d2, DEV(1), 2, &h), -EBUSY);
	CHECK_INT(iommu_replace_device_pasid(d2, DEV(1), 2, &h), -EBUSY);
	CHECK_INT(fk.n, mark);					/* nothing reached the driver */
	CHECK(iommu_get_domain_for_dev(DEV(1)) == d1);
	CHECK(IS_ERR(iommu_attach_handle_get(g, 2)));
	INV();

	/* going to blocking is allowed; the blocked device is skipped */
	mark = fk.n;
	iommu_detach_device(d1, DEV(1));
	CHECK(ev_find(mark, EV_ATTACH, DEV(1), &fake_blocked, d1, -1) >= 0);
	CHECK_INT(ev_count(mark, EV_ATTACH, DEV(0)), 0);
	CHECK(iommu_get_domain_for_dev(DEV(0)) == &fake_blocked);
	CHECK_INT(iommu_attach_device(d2, DEV(1)), -EBUSY);
	INV();

	/* the reset ends: group->domain is blocking now, nothing to re-attach */
	mark = fk.n;
	pci_dev_reset_iommu_done(&e->pdev[0], 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK_INT(iommu_group_recovery_cnt(g), 0);
	CHECK_INT(ev_count(mark, EV_RESET_DONE, DEV(0)), 1);
	CHECK_INT(ev_count(mark, EV_ATTACH, DEV(0)), 0);
	INV();

	CHECK_INT(iommu_attach_device(d2, DEV(1)), 0);
	CHECK(master(DEV(0))->rid == d2 && master(DEV(1))->rid == d2);
	INV();
}

static void test_busy_in_recovery(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, alias_pasid_spec, 2,
		 body_recovery_busy);
	env_run_clean(&e);
}

/* ------------------------------------------------------------------ */
/* Strict unmap                                                        */
/* ------------------------------------------------------------------ */

static void body_unmap(struct env *e)
{
	struct iommu_domain *d;
	int mark, iu, is;
	size_t n;

	probe_all(e);
	d = iommu_paging_domain_alloc(DEV(0), "dma");
	CHECK_INT(iommu_attach_device(d, DEV(0)), 0);
	CHECK_INT(iommu_map(d, 0x10000, 0x80000000, 4 * 4096, IOMMU_READ | IOMMU_WRITE,
			    GFP_KERNEL), 0);
	CHECK(ev_find(0, EV_MAP, NULL, d, NULL, -1) >= 0);
	CHECK_INT(iommu_map(d, 0x10800, 0x80000000, 4096, IOMMU_READ, GFP_KERNEL), -EINVAL);
	CHECK_INT(iommu_map(&fake_blocked, 0x10000, 0x80000000, 4096, IOMMU_READ, GFP_KERNEL),
		  -EINVAL);

	mark = fk.n;
	n = iommu_unmap(d, 0x10000, 4 * 4096);
	/* when iommu_unmap() returns, the invalidation has completed */
	CHECK_INT(n, 4 * 4096);
	iu = ev_find(mark, EV_UNMAP, NULL, d, NULL, -1);
	is = ev_find(mark, EV_SYNC, NULL, d, NULL, -1);
	CHECK(iu >= 0 && is > iu);
	if (is >= 0) {
		CHECK_INT(fk.ev[is].start, 0x10000);
		CHECK_INT(fk.ev[is].end, 0x10000 + 4 * 4096 - 1);
	}
	CHECK_INT(iommu_unmap(d, 0x10800, 4096), 0);		/* misaligned */
	CHECK_INT(ev_count(mark, EV_UNMAP, NULL), 1);
	iommu_detach_device(d, DEV(0));
	iommu_domain_free(d);
	INV();
}

static void test_strict_unmap(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_unmap);
	env_run_clean(&e);
}

/* ------------------------------------------------------------------ */
/* Resets                                                              */
/* ------------------------------------------------------------------ */

/* Attach dom1 to the RID and dom2 to PASID 3 of device 0. */
static void setup_domains(struct env *e)
{
	static struct iommu_attach_handle h;

	probe_all(e);
	e->dom1 = iommu_paging_domain_alloc(DEV(0), "dom1");
	e->dom2 = iommu_paging_domain_alloc(DEV(0), "dom2");
	CHECK_INT(iommu_attach_device(e->dom1, DEV(0)), 0);
	CHECK_INT(iommu_attach_device_pasid(e->dom2, DEV(0), 3, &h), 0);
	INV();
}

/* Watches device 0 halfway through a reset, from another CPU. */
static void observer(void *arg)
{
	struct env *e = arg;
	struct iommu_group *g = iommu_group_get(DEV(0));

	msleep(50);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_RESETTING);
	CHECK_INT(iommu_group_recovery_cnt(g), 1);
	CHECK(iommu_get_domain_for_dev(DEV(0)) == e->dom1);	/* kept for done() */
	CHECK(master(DEV(0))->rid == &fake_blocked);
	CHECK(master(DEV(0))->pasid[3] == NULL);
	mutex_lock(&g->mutex);
	CHECK(iommu_driver_get_domain_for_dev(DEV(0)) == &fake_blocked);
	mutex_unlock(&g->mutex);
	INV();
}

static void body_reset_ok(struct env *e)
{
	int mark, irid, ipasid, idone, ireat, irepasid;
	u16 cmd;

	setup_domains(e);
	pci_write_config_word(&e->pdev[0], PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	spawn(e->s, "observer", 1, observer, e);

	mark = fk.n;
	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);

	irid = ev_find(mark, EV_ATTACH, DEV(0), &fake_blocked, e->dom1, -1);
	ipasid = ev_find(mark, EV_SET_PASID, DEV(0), &fake_blocked, e->dom2, 3);
	idone = ev_find(mark, EV_RESET_DONE, DEV(0), NULL, NULL, -1);
	ireat = ev_find(mark, EV_ATTACH, DEV(0), e->dom1, &fake_blocked, -1);
	irepasid = ev_find(mark, EV_SET_PASID, DEV(0), e->dom2, &fake_blocked, 3);
	CHECK(irid >= 0 && ipasid > irid);
	/* the driver hears "reset done" before translation comes back */
	CHECK(idone > ipasid && ireat > idone && irepasid > ireat);
	if (idone >= 0)
		CHECK(fk.ev[idone].dom == &fake_blocked);
	/* the device was blocked for the whole FLR */
	if (irid >= 0 && ireat >= 0)
		CHECK(fk.ev[ireat].t - fk.ev[irid].t >= 100 * SIM_MS);

	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 0);
	CHECK(master(DEV(0))->rid == e->dom1 && master(DEV(0))->pasid[3] == e->dom2);
	CHECK_INT(e->pdev[0].resets, 1);
	CHECK_INT(e->pdev[0].resets_failed, 0);
	CHECK(!e->pdev[0].reset_failed);
	CHECK(e->pdev[0].last_reset_ok_time >= 100 * SIM_MS);
	CHECK_INT(pcie_ep_stats(e->ep[0])->flrs, 1);
	pci_read_config_word(&e->pdev[0], PCI_COMMAND, &cmd);
	CHECK(cmd & PCI_COMMAND_MASTER);			/* restored */
	CHECK_INT(klog(e, "Device is unblocked"), 0);		/* only after > RESETTING */
	INV();
}

static void test_reset_ok(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 2, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_reset_ok);
	env_run_clean(&e);
}

static void body_reset_fail(struct env *e)
{
	int mark;

	setup_domains(e);
	CHECK_INT(pcie_ep_set_knob(e->ep[0], "flr", "fail", NULL, 0), 0);
	mark = fk.n;
	/* the function never gets ready: pci_dev_wait() gives up with -ENOTTY */
	CHECK_INT(pci_reset_function(&e->pdev[0]), -ENOTTY);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_RESET_FAILED);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 1);
	CHECK_INT(ev_count(mark, EV_RESET_DONE, NULL), 0);
	CHECK(master(DEV(0))->rid == &fake_blocked && master(DEV(0))->pasid[3] == NULL);
	CHECK(iommu_get_domain_for_dev(DEV(0)) == e->dom1);
	CHECK(e->pdev[0].reset_failed);
	CHECK_INT(e->pdev[0].resets_failed, 1);
	CHECK(klog(e, "Reset may have been skipped. Keep it blocked conservatively") >= 1);
	CHECK_INT(iommu_replace_device(e->dom2, DEV(0)), -EBUSY);
	INV();

	/* a reset that fails with anything else: the error line, still blocked */
	CHECK_INT(pci_dev_reset_iommu_prepare(&e->pdev[0]), 0);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 1);	/* no double count */
	pci_dev_reset_iommu_done(&e->pdev[0], -EIO);
	CHECK_INT(klog(e, "Reset failed. Keep it blocked to protect memory"), 1);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_RESET_FAILED);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 1);
	INV();

	/* the function comes back; a good reset lifts the block */
	CHECK_INT(pcie_ep_set_knob(e->ep[0], "flr", "ok", NULL, 0), 0);
	mark = fk.n;
	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 0);
	CHECK_INT(ev_count(mark, EV_RESET_DONE, DEV(0)), 1);
	CHECK(master(DEV(0))->rid == e->dom1 && master(DEV(0))->pasid[3] == e->dom2);
	CHECK(!e->pdev[0].reset_failed);
	CHECK_INT(klog(e, "Device is unblocked after successful reset"), 1);
	INV();
}

static void test_reset_fail_kept_until_ok(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_reset_fail);
	env_run_clean(&e);
}

static void body_reset_enotty(struct env *e)
{
	int mark;

	setup_domains(e);
	CHECK_INT(pcie_ep_set_knob(e->ep[0], "flr", "enotty", NULL, 0), 0);
	CHECK_INT(pci_probe_reset_function(&e->pdev[0]), -ENOTTY);	/* nothing works */
	mark = fk.n;
	/* "flr" says -ENOTTY; "bus" is tried and has no bridge: -ENOTTY */
	CHECK_INT(pci_reset_function(&e->pdev[0]), -ENOTTY);
	CHECK_INT(pcie_ep_stats(e->ep[0])->flrs, 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_RESET_FAILED);
	CHECK_INT(klog(e, "Reset may have been skipped. Keep it blocked conservatively"), 1);
	CHECK_INT(klog(e, "Reset failed"), 0);
	CHECK_INT(ev_count(mark, EV_RESET_DONE, NULL), 0);
	CHECK(master(DEV(0))->rid == &fake_blocked);
	INV();
}

static void test_reset_enotty_kept(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_reset_enotty);
	env_run_clean(&e);
}

static void body_reset_nested(struct env *e)
{
	struct pci_dev *p = &e->pdev[0];
	int mark;

	setup_domains(e);
	mark = fk.n;
	CHECK_INT(pci_dev_reset_iommu_prepare(p), 0);
	CHECK_INT(pci_dev_reset_iommu_prepare(p), 0);
	CHECK_INT(ev_count(mark, EV_ATTACH, DEV(0)), 1);	/* only the outermost blocks */
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 1);
	pci_dev_reset_iommu_done(p, -EIO);			/* inner: does nothing */
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_RESETTING);
	CHECK_INT(klog(e, "Reset failed"), 0);
	INV();
	/* an FLR inside the outer reset window: its done() is inner too */
	CHECK_INT(pcie_flr(p), 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_RESETTING);
	CHECK_INT(ev_count(mark, EV_RESET_DONE, NULL), 0);
	INV();
	pci_dev_reset_iommu_done(p, 0);				/* outermost */
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK_INT(ev_count(mark, EV_RESET_DONE, DEV(0)), 1);
	CHECK(master(DEV(0))->rid == e->dom1);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 0);
	INV();
}

static void test_reset_nested(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_reset_nested);
	env_run_clean(&e);
}

static void body_reset_broken(struct env *e)
{
	int mark;

	setup_domains(e);
	iommu_report_device_broken(DEV(0));
	msleep(1);						/* the worker runs */
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_BROKEN);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 1);
	CHECK_INT(klog(e, "IOMMU has quarantined the device"), 1);
	CHECK(master(DEV(0))->rid == &fake_blocked);
	CHECK_INT(iommu_replace_device(e->dom2, DEV(0)), -EBUSY);
	INV();

	/* a reset of a broken device: no new blocking, severity kept */
	mark = fk.n;
	CHECK_INT(pci_dev_reset_iommu_prepare(&e->pdev[0]), 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_BROKEN);
	CHECK_INT(ev_count(mark, EV_ATTACH, NULL), 0);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 1);
	pci_dev_reset_iommu_done(&e->pdev[0], -EIO);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_BROKEN);	/* not lowered to RESET_FAILED */
	INV();

	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK_INT(ev_count(mark, EV_RESET_DONE, DEV(0)), 1);
	CHECK(master(DEV(0))->rid == e->dom1);
	CHECK_INT(klog(e, "Device is unblocked after successful reset"), 1);
	INV();
}

static void test_reset_while_broken(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_reset_broken);
	env_run_clean(&e);
}

static void body_probe_mode(struct env *e)
{
	u16 cmd;
	int mark;

	setup_domains(e);
	pci_write_config_word(&e->pdev[0], PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	mark = fk.n;
	CHECK_INT(pci_probe_reset_function(&e->pdev[0]), 0);		/* FLR would work */
	CHECK_INT(fk.n, mark);						/* the IOMMU saw nothing */
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK(master(DEV(0))->rid == e->dom1);
	CHECK_INT(pcie_ep_stats(e->ep[0])->flrs, 0);			/* nor did the device */
	CHECK_INT(e->pdev[0].resets, 0);
	pci_read_config_word(&e->pdev[0], PCI_COMMAND, &cmd);
	CHECK(cmd & PCI_COMMAND_MASTER);
	INV();
}

static void test_probe_mode_touches_nothing(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_probe_mode);
	env_run_clean(&e);
}

/* The bug switch recreates the code before patch 01: the probe blocks DMA. */
static void body_probe_bug(struct env *e)
{
	int mark;

	setup_domains(e);
	mark = fk.n;
	CHECK_INT(pci_probe_reset_function(&e->pdev[0]), 0);
	e->scratch[0] = ev_count(mark, EV_ATTACH, DEV(0));
	e->scratch[1] = iommu_dev_blocked(DEV(0));
}

static void test_probe_bug_is_visible(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, IOMMU_BUG_PROBE_RESET_TOUCHES,
		 one_ats, 1, body_probe_bug);
	spawn(e.s, "test", 0, body_tramp, &e);
	sim_run(e.s);
	assert_int_equal(e.nfail, 0);
	/* the probe moved the device to the blocking domain, and left it there */
	assert_true(e.scratch[0] >= 1);
	assert_int_equal(e.scratch[1], BLOCKED_RESET_FAILED);
	sim_destroy(e.s);
}

static void body_remove_blocked(struct env *e)
{
	struct iommu_group *g;
	struct iommu_domain *d1, *d2;

	probe_all(e);
	g = iommu_group_get(DEV(0));
	d1 = iommu_paging_domain_alloc(DEV(0), "dom1");
	d2 = iommu_paging_domain_alloc(DEV(0), "dom2");
	CHECK_INT(iommu_attach_device(d1, DEV(0)), 0);
	CHECK_INT(pci_dev_reset_iommu_prepare(&e->pdev[0]), 0);
	CHECK_INT(iommu_group_recovery_cnt(g), 1);
	CHECK_INT(iommu_replace_device(d2, DEV(1)), -EBUSY);
	/* the blocked device goes away in the middle of its reset */
	iommu_release_device(DEV(0));
	CHECK_INT(iommu_group_recovery_cnt(g), 0);
	CHECK(iommu_group_get(DEV(1)) == g);
	pci_dev_reset_iommu_done(&e->pdev[0], 0);		/* no IOMMU any more: nothing */
	INV();
	CHECK_INT(iommu_replace_device(d2, DEV(1)), 0);	/* the group is usable again */
	INV();
}

static void test_remove_blocked_drops_recovery(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, alias_spec, 2,
		 body_remove_blocked);
	env_run_clean(&e);
}

static void body_alias_sibling(struct env *e)
{
	struct iommu_domain *d1;

	probe_all(e);
	d1 = iommu_paging_domain_alloc(DEV(0), "dom1");
	CHECK_INT(iommu_attach_device(d1, DEV(0)), 0);
	CHECK_INT(pci_dev_reset_iommu_prepare(&e->pdev[0]), 0);
	CHECK_INT(pci_dev_reset_iommu_prepare(&e->pdev[1]), 0);
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 2);
	pci_dev_reset_iommu_done(&e->pdev[0], 0);
	CHECK_INT(klog(e, "DMA-aliased sibling may be prematurely unblocked"), 1);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK_INT(iommu_dev_blocked(DEV(1)), BLOCKED_RESETTING);	/* the sibling's own state kept */
	CHECK_INT(iommu_group_recovery_cnt(iommu_group_get(DEV(0))), 1);
	INV();
	pci_dev_reset_iommu_done(&e->pdev[1], 0);
	CHECK_INT(klog(e, "DMA-aliased sibling may be prematurely unblocked"), 1);
	CHECK_INT(iommu_dev_blocked(DEV(1)), BLOCKED_NO);
	CHECK(master(DEV(0))->rid == d1 && master(DEV(1))->rid == d1);
	INV();
}

static void test_dma_alias_sibling(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, alias_spec, 2,
		 body_alias_sibling);
	env_run_clean(&e);
}

/* ------------------------------------------------------------------ */
/* iommu_report_device_broken() in the three policies                  */
/* ------------------------------------------------------------------ */

static void report_irq(struct sim_irq *irq, void *arg)
{
	struct env *e = arg;

	(void)irq;
	iommu_report_device_broken(DEV(e->report_dev));	/* hard-IRQ context */
}

static void body_report(struct env *e, enum pol_report_broken pol)
{
	struct iommu_group *g;

	setup_domains(e);
	g = iommu_group_get(DEV(0));
	e->irq = sim_irq_create(e->s, "evtq", 0, report_irq, e);
	sim_irq_raise(e->irq);
	msleep(1);
	if (pol == POL_REPORT_BROKEN_NONE) {
		CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
		CHECK(master(DEV(0))->rid == e->dom1);
		CHECK_INT(klog(e, "left to the driver"), 1);
		CHECK_INT(iommu_core_stats()->broken_quarantines, 0);
	} else {
		CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_BROKEN);
		CHECK_INT(iommu_group_recovery_cnt(g), 1);
		CHECK(master(DEV(0))->rid == &fake_blocked);
		CHECK(master(DEV(0))->pasid[3] == NULL);
		CHECK(iommu_get_domain_for_dev(DEV(0)) == e->dom1);
		CHECK_INT(klog(e, "IOMMU has quarantined the device"), 1);
		CHECK_INT(iommu_core_stats()->broken_quarantines, 1);
		/* a second report of an already quarantined device changes nothing */
		sim_irq_raise(e->irq);
		msleep(1);
		CHECK_INT(iommu_group_recovery_cnt(g), 1);
	}
	INV();
	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK(master(DEV(0))->rid == e->dom1 && master(DEV(0))->pasid[3] == e->dom2);
	INV();

	/* a report racing the device's removal: cancelled with the device */
	iommu_detach_device_pasid(e->dom2, DEV(0), 3);
	iommu_detach_device(e->dom1, DEV(0));
	iommu_report_device_broken(DEV(0));
	iommu_release_device(DEV(0));
	msleep(1);
	CHECK(DEV(0)->iommu == NULL);
	/* and a report for a device with no IOMMU is ignored */
	iommu_report_device_broken(DEV(0));
	msleep(1);
}

static void body_report_none(struct env *e) { body_report(e, POL_REPORT_BROKEN_NONE); }
static void body_report_rcu(struct env *e) { body_report(e, POL_REPORT_BROKEN_WORKER_RCU); }
static void body_report_devi(struct env *e) { body_report(e, POL_REPORT_BROKEN_WORKER_DEV_IOMMU); }

static void test_report_none(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_NONE, 0, one_ats, 1, body_report_none);
	env_run_clean(&e);
}

static void test_report_worker_rcu(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_RCU, 0, one_ats, 1, body_report_rcu);
	env_run_clean(&e);
}

static void test_report_worker_dev_iommu(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_report_devi);
	env_run_clean(&e);
}

/*
 * A report racing a successful reset.  CPU0 resets the device (FLR, 100
 * ms).  Halfway, the driver's fault path on CPU1 reports the device broken
 * for a fault from before the reset, which queues the work on CPU1's pool.
 * The report also releases a hog on CPU1 that keeps the CPU for 150 ms
 * (polling with a lock held).  If the hog takes CPU1 before the kworker
 * of CPU1 starts the work, the work runs only after the reset is over:
 * the report must then be found moot.  If the hog takes it while the work
 * holds group->mutex, the core's done() waits for the work: the work's
 * quarantine precedes done(), which lifts it (not STALE_QUARANTINE).
 */
static DEFINE_SPINLOCK(race_lock);
static struct completion race_reported;

static void race_reporter(void *arg)
{
	struct env *e = arg;

	msleep(50);
	iommu_report_device_broken(DEV(0));
	complete(&race_reported);
}

static void race_hog(void *arg)
{
	(void)arg;
	wait_for_completion(&race_reported);
	spin_lock(&race_lock);
	mdelay(150);
	spin_unlock(&race_lock);
}

static void body_race(struct env *e)
{
	spin_lock_init(&race_lock);
	init_completion(&race_reported);
	setup_domains(e);
	spawn(e->s, "hog", 1, race_hog, NULL);
	spawn(e->s, "reporter", 1, race_reporter, e);
	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);
	msleep(300);				/* every worker has run */
	/* either the worker ran during the reset (and the reset undid it) or after it (moot) */
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_NO);
	CHECK_INT(iommu_core_stats()->broken_reports, 1);
	INV();
}

/* Seeds 1..@runs; counts STALE_QUARANTINE runs and runs where the worker came late. */
static unsigned race_runs(enum pol_report_broken pol, unsigned long bugs, unsigned runs,
			  unsigned *late, unsigned *first)
{
	unsigned stale = 0;

	*late = 0;
	*first = 0;
	for (unsigned seed = 1; seed <= runs; seed++) {
		struct env e;
		unsigned nv;

		env_init(&e, 2, seed, pol, bugs, one_ats, 1, body_race);
		nv = env_run(&e);
		if (e.s->violations->count[V_STALE_QUARANTINE]) {
			stale++;
			if (!*first)
				*first = seed;
		} else {
			if (nv)
				env_print_violations(&e);
			assert_int_equal(nv, 0);
			if (e.nfail)
				fprintf(stderr, "seed %u: %s\n", seed, e.failmsg);
			assert_int_equal(e.nfail, 0);
			if (e.stats.broken_skipped)
				(*late)++;
		}
		sim_destroy(e.s);
	}
	return stale;
}

#define RACE_RUNS	40
#define RACE_FIND_WITHIN 20	/* the stated bound for the buggy variant */

static void test_report_races_reset(void **state)
{
	static const enum pol_report_broken pols[] = {
		POL_REPORT_BROKEN_WORKER_RCU, POL_REPORT_BROKEN_WORKER_DEV_IOMMU,
	};
	unsigned late, first;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(pols); i++) {
		/* the fix: a successful reset clears broken_pending */
		assert_int_equal(race_runs(pols[i], 0, RACE_RUNS, &late, &first), 0);
		/* ... and the race really happened: some workers came after the reset */
		fprintf(stderr, "# report_broken=%s: worker after the reset in %u/%u runs\n",
			pols[i] == POL_REPORT_BROKEN_WORKER_RCU ? "worker-rcu" : "worker-dev-iommu",
			late, RACE_RUNS);
		assert_true(late > 0);
		assert_true(late < RACE_RUNS);
		/* without the clear, the stale report quarantines the recovered device */
		assert_true(race_runs(pols[i], IOMMU_BUG_STALE_BROKEN_REPORT, RACE_FIND_WITHIN,
				      &late, &first) > 0);
		fprintf(stderr, "# with IOMMU_BUG_STALE_BROKEN_REPORT: STALE_QUARANTINE at run %u\n",
			first);
		assert_true(first >= 1 && first <= RACE_FIND_WITHIN);
	}
}

/*
 * The evidence time (iommu_broken_note_evidence()): the checker judges a
 * report by when its evidence was gathered, not when it is made.  After
 * a successful reset, a report on fresh evidence merged with one on
 * pre-reset evidence is justified (the latest counts); a report on
 * pre-reset evidence alone is STALE_QUARANTINE; a report with no note is
 * timed when made.
 */
static void body_evidence(struct env *e)
{
	sim_time_t before;

	setup_domains(e);
	before = sim_now();
	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);
	CHECK(e->pdev[0].last_reset_ok_time > before);

	/* one CPU, preemption off: both reports land before the worker */
	preempt_disable();
	iommu_broken_note_evidence(DEV(0), sim_now());
	iommu_report_device_broken(DEV(0));
	iommu_broken_note_evidence(DEV(0), before);	/* older, arrives later */
	iommu_report_device_broken(DEV(0));
	preempt_enable();
	msleep(1);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_BROKEN);
	CHECK_INT(e->s->violations->count[V_STALE_QUARANTINE], 0);

	/* no note: the report's own time, after the reset */
	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);
	iommu_report_device_broken(DEV(0));
	msleep(1);
	CHECK_INT(iommu_dev_blocked(DEV(0)), BLOCKED_BROKEN);
	CHECK_INT(e->s->violations->count[V_STALE_QUARANTINE], 0);

	/* pre-reset evidence alone: the worker quarantines a recovered device */
	CHECK_INT(pci_reset_function(&e->pdev[0]), 0);
	iommu_broken_note_evidence(DEV(0), before);
	iommu_report_device_broken(DEV(0));
	msleep(1);
}

static void test_report_evidence_time(void **state)
{
	static const enum pol_report_broken pols[] = {
		POL_REPORT_BROKEN_WORKER_RCU, POL_REPORT_BROKEN_WORKER_DEV_IOMMU,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(pols); i++) {
		struct env e;

		env_init(&e, 1, 1, pols[i], 0, one_ats, 1, body_evidence);
		assert_int_equal(env_run(&e), 1);
		if (e.nfail)
			fprintf(stderr, "%s\n", e.failmsg);
		assert_int_equal(e.nfail, 0);
		assert_int_equal(e.s->violations->v[0].id, V_STALE_QUARANTINE);
		assert_non_null(strstr(e.s->violations->v[0].msg, "nic0: quarantined on a report from"));
		sim_destroy(e.s);
	}
}

/* ------------------------------------------------------------------ */
/* The pre-series bug: a failed reset unblocks -> QUARANTINE_ESCAPE    */
/* ------------------------------------------------------------------ */

static void body_escape(struct env *e)
{
	setup_domains(e);
	CHECK_INT(pcie_ep_set_knob(e->ep[0], "flr", "fail", NULL, 0), 0);
	pci_reset_function(&e->pdev[0]);
}

static void test_failed_reset_unblocks_escapes(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, IOMMU_BUG_FAILED_RESET_UNBLOCKS,
		 one_ats, 1, body_escape);
	env_run(&e);
	/* the RID (and the PASID) get translation back after the failed reset */
	assert_true(e.s->violations->count[V_QUARANTINE_ESCAPE] >= 1);
	sim_destroy(e.s);

	/* the same program without the bug is clean (see also reset_fail) */
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_escape);
	env_run_clean(&e);
}

/* ------------------------------------------------------------------ */
/* The invariant breaks when each rule is broken                       */
/* ------------------------------------------------------------------ */

static void body_invariant(struct env *e)
{
	struct iommu_group *g;
	struct group_device *gdev;

	setup_domains(e);
	g = iommu_group_get(DEV(0));
	gdev = __dev_to_gdev(DEV(0));
	CHECK(iommu_group_invariant(g) == NULL);

	g->recovery_cnt = 1;				/* counts a device that is not blocked */
	CHECK(iommu_group_invariant(g) != NULL);
	g->recovery_cnt = 0;

	gdev->blocked = BLOCKED_RESETTING;		/* blocked, RID translating */
	g->recovery_cnt = 1;
	gdev->reset_depth = 1;
	CHECK(iommu_group_invariant(g) != NULL);
	gdev->rid_domain = g->blocking_domain;
	gdev->pasid_dom[3] = NULL;
	CHECK(iommu_group_invariant(g) == NULL);	/* a consistent blocked state */
	gdev->reset_depth = 0;				/* RESETTING with no reset */
	CHECK(iommu_group_invariant(g) != NULL);
	gdev->reset_depth = 1;
	gdev->pasid_dom[3] = e->dom2;			/* PASID left translating */
	CHECK(iommu_group_invariant(g) != NULL);
	gdev->pasid_dom[3] = NULL;

	gdev->blocked = BLOCKED_NO;			/* reset in flight, not blocked */
	g->recovery_cnt = 0;
	CHECK(iommu_group_invariant(g) != NULL);
	gdev->reset_depth = 0;
	CHECK(iommu_group_invariant(g) != NULL);	/* unblocked, RID on blocking */
	gdev->rid_domain = e->dom1;
	gdev->pasid_dom[3] = e->dom2;
	CHECK(iommu_group_invariant(g) == NULL);

	CHECK(strcmp(gdev_blocked_name(BLOCKED_RESET_FAILED), "reset-failed") == 0);
	CHECK(strcmp(gdev_blocked_name(BLOCKED_BROKEN), "broken") == 0);
}

static void test_invariant_catches(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, one_ats, 1, body_invariant);
	env_run_clean(&e);
}

/* ------------------------------------------------------------------ */
/* PCI slice                                                           */
/* ------------------------------------------------------------------ */

static void body_pci(struct env *e)
{
	struct pci_dev *p = &e->pdev[0];
	u16 ctrl;

	CHECK(pci_ats_supported(p));
	CHECK(!pci_ats_supported(&e->pdev[1]));
	CHECK_INT(pci_enable_ats(&e->pdev[1], 12), -EINVAL);
	CHECK_INT(pci_enable_ats(p, 11), -EINVAL);
	CHECK_INT(pci_enable_ats(p, 12), 0);
	CHECK(p->ats_enabled && pcie_ep_ats_enabled(e->ep[0]));
	pci_read_config_word(p, p->ats_cap + PCI_ATS_CTRL, &ctrl);
	CHECK_INT(ctrl, PCI_ATS_CTRL_ENABLE | PCI_ATS_CTRL_STU(0));
	pci_disable_ats(p);
	CHECK(!p->ats_enabled && !pcie_ep_ats_enabled(e->ep[0]));
	CHECK_INT(pci_enable_ats(p, 13), 0);
	pci_read_config_word(p, p->ats_cap + PCI_ATS_CTRL, &ctrl);
	CHECK_INT(ctrl, PCI_ATS_CTRL_ENABLE | PCI_ATS_CTRL_STU(1));

	/* a device without an IOMMU resets with no core involvement */
	CHECK_INT(pci_reset_function(p), 0);
	CHECK(!pcie_ep_ats_enabled(e->ep[0]));		/* the FLR cleared the enable */
	CHECK_INT(p->resets, 1);
	CHECK_INT(pci_read_config_word(p, 1, &ctrl), 0x87);	/* misaligned */
	/* the function hangs: pci_dev_wait() gives up after 60 s */
	CHECK_INT(pcie_ep_set_knob(e->ep[0], "flr", "hang", NULL, 0), 0);
	CHECK_INT(pcie_flr(p), -ENOTTY);
	CHECK(p->reset_failed);
	CHECK(sim_now() >= 60 * SIM_S);
	CHECK(klog(e, "not ready") >= 1);
}

static const struct devspec pci_spec[] = {
	{ .name = "nic0", .rid = 0x10, .ats = true },
	{ .name = "plain", .rid = 0x20 },
};

static void test_pci_slice(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, 1, 1, POL_REPORT_BROKEN_WORKER_DEV_IOMMU, 0, pci_spec, 2, body_pci);
	env_run_clean(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_by_alias),
		cmocka_unit_test(test_attach_replace_detach),
		cmocka_unit_test(test_pasid),
		cmocka_unit_test(test_busy_in_recovery),
		cmocka_unit_test(test_strict_unmap),
		cmocka_unit_test(test_reset_ok),
		cmocka_unit_test(test_reset_fail_kept_until_ok),
		cmocka_unit_test(test_reset_enotty_kept),
		cmocka_unit_test(test_reset_nested),
		cmocka_unit_test(test_reset_while_broken),
		cmocka_unit_test(test_probe_mode_touches_nothing),
		cmocka_unit_test(test_probe_bug_is_visible),
		cmocka_unit_test(test_remove_blocked_drops_recovery),
		cmocka_unit_test(test_dma_alias_sibling),
		cmocka_unit_test(test_report_none),
		cmocka_unit_test(test_report_worker_rcu),
		cmocka_unit_test(test_report_worker_dev_iommu),
		cmocka_unit_test(test_report_races_reset),
		cmocka_unit_test(test_report_evidence_time),
		cmocka_unit_test(test_failed_reset_unblocks_escapes),
		cmocka_unit_test(test_invariant_catches),
		cmocka_unit_test(test_pci_slice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
