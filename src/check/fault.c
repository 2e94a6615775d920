// SPDX-License-Identifier: MIT
/*
 * FAULT_WRONG_DOMAIN and PRQ_DOUBLE_RESPONSE.  See fault.h.
 *
 * Every raised fault is an entry of a vector indexed by its sequence
 * number - 1; a small open-addressing table maps a key (source, SID,
 * group index) to the newest entry with that key, so a reused STAG or PRG
 * index is seen.  Domains (by page-table root) and detach records are
 * short vectors searched linearly: a run has a handful of each.
 */
#include "check/fault.h"

#include <stdlib.h>
#include <string.h>

#include "check/violation.h"
#include "core/iommu.h"
#include "sim/sim.h"
#include "sim/vec.h"

struct fc_fault {
	unsigned int src;
	uint32_t sid, grpid;
	uint64_t root;			/* walked by the faulting translation */
	sim_time_t raised, reported;
	const void *domain;		/* reported to */
	bool was_reported, answered;
};

struct fc_domain {
	const void *domain;
	char name[32];
	uint64_t root;
};

struct fc_detach {
	uint32_t sid, pasid;
	const void *domain;
	sim_time_t when;
};

struct fc_state {
	uint64_t run_id;
	struct fc_fault *f;
	size_t nf, capf;
	uint64_t *keytab;		/* seq of the newest fault per key, 0 free */
	size_t keycap, nkeys;
	struct fc_domain *d;
	size_t nd, capd;
	struct fc_detach *x;
	size_t nx, capx;
	uint64_t reported, answered;
};

static __thread struct fc_state *fc_cur;

static void fc_free(struct sim *s, void *arg)
{
	struct fc_state *st = arg;

	(void)s;
	if (fc_cur == st)
		fc_cur = NULL;
	free(st->f);
	free(st->keytab);
	free(st->d);
	free(st->x);
	free(st);
}

static struct fc_state *fc_state(void)
{
	struct sim *s = sim_cur;
	struct fc_state *st = fc_cur;

	if (st && st->run_id == s->run_id)
		return st;
	st = calloc(1, sizeof(*st));
	if (!st || sim_at_destroy(s, fc_free, st))
		abort();
	st->run_id = s->run_id;
	fc_cur = st;
	return st;
}

static uint64_t fc_key_hash(unsigned int src, uint32_t sid, uint32_t grpid)
{
	uint64_t x = ((uint64_t)src << 56) ^ ((uint64_t)sid << 20) ^ grpid;

	x ^= x >> 31;
	x *= 0x9e3779b97f4a7c15ULL;
	return x ^ (x >> 29);
}

static bool fc_same_key(const struct fc_fault *a, unsigned int src, uint32_t sid,
			uint32_t grpid)
{
	return a->src == src && a->sid == sid && a->grpid == grpid;
}

/* The key table slot of (src, sid, grpid): its newest seq, or a free slot. */
static uint64_t *fc_key_slot(struct fc_state *st, unsigned int src, uint32_t sid,
			     uint32_t grpid)
{
	size_t i = fc_key_hash(src, sid, grpid) & (st->keycap - 1);

	while (st->keytab[i] && !fc_same_key(&st->f[st->keytab[i] - 1], src, sid, grpid))
		i = (i + 1) & (st->keycap - 1);
	return &st->keytab[i];
}

static void fc_key_grow(struct fc_state *st)
{
	size_t ocap = st->keycap;
	uint64_t *old = st->keytab;

	st->keycap = ocap ? ocap * 2 : 64;
	st->keytab = calloc(st->keycap, sizeof(*st->keytab));
	if (!st->keytab)
		abort();
	for (size_t i = 0; i < ocap; i++) {
		if (old[i]) {
			const struct fc_fault *f = &st->f[old[i] - 1];

			*fc_key_slot(st, f->src, f->sid, f->grpid) = old[i];
		}
	}
	free(old);
}

static const struct fc_domain *fc_domain_by_root(const struct fc_state *st, uint64_t root)
{
	for (size_t i = 0; root && i < st->nd; i++)
		if (st->d[i].root == root)
			return &st->d[i];
	return NULL;
}

static const char *fc_domain_name(const struct fc_state *st, const void *domain)
{
	for (size_t i = 0; i < st->nd; i++)
		if (st->d[i].domain == domain)
			return st->d[i].name;
	return "(unknown domain)";
}

void fault_chk_domain_root(const void *domain, const char *name, uint64_t root)
{
	struct fc_state *st = fc_state();

	for (size_t i = 0; i < st->nd; i++) {
		if (st->d[i].domain != domain)
			continue;
		if (!root) {
			st->d[i] = st->d[--st->nd];
			return;
		}
		st->d[i].root = root;
		return;
	}
	if (!root)
		return;
	VEC_RESERVE(st->d, st->nd, st->capd, 16);
	st->d[st->nd] = (struct fc_domain){ .domain = domain, .root = root };
	snprintf(st->d[st->nd].name, sizeof(st->d[st->nd].name), "%s", name ? name : "?");
	st->nd++;
}

void fault_chk_raise(unsigned int src, uint32_t sid, uint32_t grpid, uint64_t root)
{
	struct fc_state *st = fc_state();
	uint64_t *slot;

	if ((st->nkeys + 1) * 2 > st->keycap)
		fc_key_grow(st);
	VEC_RESERVE(st->f, st->nf, st->capf, 16);
	st->f[st->nf] = (struct fc_fault){
		.src = src, .sid = sid, .grpid = grpid, .root = root, .raised = sim_now(),
	};
	st->nf++;
	slot = fc_key_slot(st, src, sid, grpid);
	if (!*slot)
		st->nkeys++;
	*slot = st->nf;
}

/* The core names domains after the driver allocated them: refresh. */
static void fc_refresh_name(struct fc_state *st, const void *domain)
{
	for (size_t i = 0; domain && i < st->nd; i++)
		if (st->d[i].domain == domain)
			snprintf(st->d[i].name, sizeof(st->d[i].name), "%s",
				 ((const struct iommu_domain *)domain)->name);
}

void fault_chk_detached(struct device *dev, uint32_t pasid, const void *domain)
{
	struct fc_state *st = fc_state();
	struct iommu_fwspec *fw = dev_iommu_fwspec_get(dev);

	fc_refresh_name(st, domain);
	for (unsigned int i = 0; fw && i < fw->num_ids; i++) {
		VEC_RESERVE(st->x, st->nx, st->capx, 16);
		st->x[st->nx++] = (struct fc_detach){
			.sid = fw->ids[i], .pasid = pasid, .domain = domain, .when = sim_now(),
		};
	}
}

static struct fc_fault *fc_by_seq(struct fc_state *st, uint64_t seq)
{
	return seq && seq <= st->nf ? &st->f[seq - 1] : NULL;
}

uint64_t fault_chk_report(unsigned int src, uint32_t sid, uint32_t grpid,
			  const void *domain)
{
	struct fc_state *st = fc_state();
	uint64_t seq;
	struct fc_fault *f;

	if (!st->keycap)
		return 0;
	seq = *fc_key_slot(st, src, sid, grpid);
	f = fc_by_seq(st, seq);
	if (!f)
		return 0;
	fc_refresh_name(st, domain);
	f->was_reported = true;
	f->reported = sim_now();
	f->domain = domain;
	st->reported++;
	return seq;
}

/* When was @domain switched away from @sid, at or before @t?  0 if not. */
static sim_time_t fc_detached_before(const struct fc_state *st, uint32_t sid,
				     const void *domain, sim_time_t t)
{
	for (size_t i = 0; i < st->nx; i++)
		if (st->x[i].sid == sid && st->x[i].domain == domain && st->x[i].when <= t)
			return st->x[i].when ? st->x[i].when : 1;
	return 0;
}

void fault_chk_handled(uint64_t seq, const void *domain)
{
	struct fc_state *st = fc_state();
	struct fc_fault *f = fc_by_seq(st, seq);
	const struct fc_domain *tdom;
	sim_time_t gone;

	if (!f || !domain)
		return;
	tdom = fc_domain_by_root(st, f->root);
	if (!tdom || tdom->domain == domain)
		return;
	gone = fc_detached_before(st, f->sid, tdom->domain, f->reported);
	if (!gone)
		return;
	check_report(V_FAULT_WRONG_DOMAIN, NULL, 0,
		     "%s %#x of SID %#x, translated on %s (raised at %llu ns), was reported at %llu ns after %s was switched away (%llu ns) and handled by %s",
		     f->src == FAULT_CHK_STALL ? "stall STAG" : "page request group",
		     f->grpid, f->sid, tdom->name, (unsigned long long)f->raised,
		     (unsigned long long)f->reported, tdom->name,
		     (unsigned long long)gone, fc_domain_name(st, domain));
}

void fault_chk_respond(uint64_t seq)
{
	struct fc_state *st = fc_state();
	struct fc_fault *f = fc_by_seq(st, seq);
	uint64_t newest;

	if (!f)
		return;
	newest = *fc_key_slot(st, f->src, f->sid, f->grpid);
	if (f->answered)
		check_report(V_PRQ_DOUBLE_RESPONSE, NULL, 0,
			     "%s %#x of SID %#x answered twice (raised at %llu ns)",
			     f->src == FAULT_CHK_STALL ? "stall STAG" : "PRG index",
			     f->grpid, f->sid, (unsigned long long)f->raised);
	else if (newest != seq)
		check_report(V_PRQ_DOUBLE_RESPONSE, NULL, 0,
			     "answer to %s %#x of SID %#x (raised at %llu ns) reaches an index reused at %llu ns by a newer %s",
			     f->src == FAULT_CHK_STALL ? "stall STAG" : "PRG index",
			     f->grpid, f->sid, (unsigned long long)f->raised,
			     (unsigned long long)st->f[newest - 1].raised,
			     f->src == FAULT_CHK_STALL ? "stall" : "group");
	f->answered = true;
	st->answered++;
}

void fault_chk_counts(uint64_t *raised, uint64_t *reported, uint64_t *answered)
{
	struct fc_state *st = fc_state();

	if (raised)
		*raised = st->nf;
	if (reported)
		*reported = st->reported;
	if (answered)
		*answered = st->answered;
}
