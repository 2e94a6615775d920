// SPDX-License-Identifier: MIT
/*
 * hwtest: the SMMUv2 statements (docs/hwtest.md, "SMMUv2"):
 *
 *   smmuv2 NAME [cbs=N] [sid_bits=N] [ss_irq=0|1] [irqs=shared|per-bank]
 *   v2write NAME REG[.FIELD] VALUE|PT     (a field: read-modify-write)
 *   v2read NAME REG[.FIELD]
 *   v2expect NAME ITEM ==|!= VALUE
 *   v2access NAME slot=K sid=N iova=ADDR [write]
 *   v2map NAME iova=ADDR
 *
 * REG: a name smmuv2_reg_offset() knows (sCR0, ID0, ID1, S2CR<n>, CBAR<n>,
 * CB<n>_SCTLR, CB<n>_RESUME, CB<n>_TTBR0, CB<n>_FSR, CB<n>_FAR,
 * CB<n>_FSYNR0); FIELD: one of the table below.  ITEM: a REG[.FIELD], or
 * IRQ<n> (the level of bank n's context line, 0/1), DELIVERIES<n>, STALLS
 * (banks holding a transaction), ACCESS<k> (slot k: pending, ok, fault).
 * PT is the address of the object's own empty page table; v2map maps a
 * page of it.  A context line is delivered once and then held off (there
 * is no software in a script to handle it): IRQ<n> is what to check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/pgtable.h"
#include "kernel/types.h"
#include "hw/smmu/smmuv2_regs.h"
#include "scenario/hwtest_internal.h"

#define V2_MAX_CBS	8
#define V2_SLOTS	8

enum v2_item {
	V2_REG,
	V2_IRQ,
	V2_DELIVERIES,
	V2_STALLS,
	V2_ACCESS,
};

enum v2_outcome { V2_NONE, V2_PENDING, V2_OK, V2_FAULT };
static const char *const outcome_names[] = { "none", "pending", "ok", "fault", NULL };

static const struct {
	const char *reg, *field;
	uint32_t mask;
} v2_fields[] = {
	{ "SCTLR", "M", SMMUV2_SCTLR_M }, { "SCTLR", "CFRE", SMMUV2_SCTLR_CFRE },
	{ "SCTLR", "CFIE", SMMUV2_SCTLR_CFIE }, { "SCTLR", "CFCFG", SMMUV2_SCTLR_CFCFG },
	{ "FSR", "TF", SMMUV2_FSR_TF }, { "FSR", "PF", SMMUV2_FSR_PF },
	{ "FSR", "EF", SMMUV2_FSR_EF }, { "FSR", "SS", SMMUV2_FSR_SS },
	{ "FSR", "MULTI", SMMUV2_FSR_MULTI }, { "FSYNR0", "WNR", SMMUV2_FSYNR0_WNR },
	{ "RESUME", "TERMINATE", SMMUV2_RESUME_TERMINATE },
	{ "sCR0", "CLIENTPD", SMMUV2_sCR0_CLIENTPD },
	{ "S2CR", "TYPE", SMMUV2_S2CR_TYPE }, { "S2CR", "CBNDX", SMMUV2_S2CR_CBNDX },
	{ "ID1", "NUMCB", SMMUV2_ID1_NUMCB },
};

/* ---- parsing ---- */

static bool smmuv2_kv(struct ht_parser *p, const char *key, const char *val, unsigned kcol,
		      unsigned vcol, void *ctx)
{
	struct smmuv2_config *cfg = ctx;
	uint64_t v;

	if (!strcmp(key, "cbs")) {
		if (!ht_parse_u64(p, val, vcol, V2_MAX_CBS, &v))
			return false;
		if (!v)
			return ht_err(p, vcol, "cbs must be 1 to %d", V2_MAX_CBS);
		cfg->num_cbs = (unsigned)v;
	} else if (!strcmp(key, "sid_bits")) {
		if (!ht_parse_u64(p, val, vcol, SMMUV2_MAX_SID_BITS, &v))
			return false;
		if (!v)
			return ht_err(p, vcol, "sid_bits must be 1 to %d", SMMUV2_MAX_SID_BITS);
		cfg->sid_bits = (unsigned)v;
	} else if (!strcmp(key, "ss_irq")) {
		bool b;

		if (!ht_parse_flag(p, val, vcol, &b))
			return false;
		cfg->ss_asserts_irq = b;
	} else if (!strcmp(key, "irqs")) {
		static const char *const names[] = { "shared", "per-bank", NULL };

		if (!ht_parse_enum(p, val, vcol, names, 1, &v))
			return false;
		container_of(cfg, struct ht_smmuv2, cfg)->per_bank = v;
	} else {
		return ht_key_unknown(p, key, kcol, "cbs, sid_bits, ss_irq, irqs");
	}
	return true;
}

/** ht_parse_smmuv2() - `smmuv2 NAME [key=value...]`. */
bool ht_parse_smmuv2(struct ht_parser *p)
{
	struct ht_obj *o;

	if (!ht_need(p, 1, "a name"))
		return false;
	o = ht_obj_new(p, &p->ln->tok[1], HT_SMMUV2);
	if (!o)
		return false;
	smmuv2_config_default(&o->v2.cfg);
	o->v2.cfg.num_cbs = 2;
	o->v2.cfg.name = o->name;
	p->st->obj = p->sc->nobjs - 1;
	return ht_kv_loop(p, 2, smmuv2_kv, &o->v2.cfg);
}

/* "REG[.FIELD]" of @o: offset, width, mask. */
static bool parse_reg(struct ht_parser *p, const struct ht_obj *o, const struct ht_tok *t)
{
	char name[48], *dot;
	int off;

	snprintf(name, sizeof(name), "%s", t->s);
	dot = strchr(name, '.');
	if (dot)
		*dot++ = '\0';
	off = smmuv2_reg_offset_cfg(&o->v2.cfg, name, &p->st->v2.width);
	if (off < 0)
		return ht_err(p, t->col, "unknown SMMUv2 register '%s' of %s (%u banks)", name,
			      o->name, o->v2.cfg.num_cbs);
	p->st->v2.off = (uint32_t)off;
	p->st->v2.item = V2_REG;
	if (!dot)
		return true;
	{
		const char *base = strchr(name, '_') ? strchr(name, '_') + 1 : name;

		if (!strncmp(name, "S2CR", 4))
			base = "S2CR";
		for (size_t i = 0; i < sizeof(v2_fields) / sizeof(v2_fields[0]); i++)
			if (!strcmp(v2_fields[i].reg, base) && !strcmp(v2_fields[i].field, dot)) {
				p->st->v2.mask = v2_fields[i].mask;
				return true;
			}
	}
	return ht_err(p, t->col + (unsigned)(dot - name), "unknown field '%s' of %s", dot, name);
}

/* "ITEM" of v2expect: a register, or IRQ<n>, DELIVERIES<n>, STALLS, ACCESS<k>. */
static bool parse_item(struct ht_parser *p, const struct ht_obj *o, const struct ht_tok *t)
{
	static const struct { const char *pfx; enum v2_item item; int max; } items[] = {
		{ "DELIVERIES", V2_DELIVERIES, V2_MAX_CBS }, { "IRQ", V2_IRQ, V2_MAX_CBS },
		{ "ACCESS", V2_ACCESS, V2_SLOTS },
	};

	if (!strcmp(t->s, "STALLS")) {
		p->st->v2.item = V2_STALLS;
		return true;
	}
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		size_t n = strlen(items[i].pfx);
		char *end;
		long k;

		if (strncmp(t->s, items[i].pfx, n) || t->s[n] < '0' || t->s[n] > '9')
			continue;
		k = strtol(t->s + n, &end, 10);
		if (*end || k >= (items[i].item == V2_ACCESS ? V2_SLOTS : (long)o->v2.cfg.num_cbs))
			return ht_err(p, t->col, "no %s", t->s);
		p->st->v2.item = items[i].item;
		p->st->v2.slot = (int)k;
		return true;
	}
	return parse_reg(p, o, t);
}

static bool parse_value(struct ht_parser *p, const struct ht_tok *t)
{
	if (!strcmp(t->s, "PT")) {
		p->st->v2.val_is_pt = true;
		return true;
	}
	if (p->st->v2.item == V2_ACCESS)
		return ht_parse_enum(p, t->s, t->col, outcome_names, 3, &p->st->v2.val);
	return ht_parse_u64(p, t->s, t->col, UINT64_MAX, &p->st->v2.val);
}

static bool access_kv(struct ht_parser *p, const char *key, const char *val, unsigned kcol,
		      unsigned vcol, void *ctx)
{
	uint64_t v;

	if (!strcmp(key, "slot")) {
		if (!ht_parse_u64(p, val, vcol, V2_SLOTS - 1, &v))
			return false;
		p->st->v2.slot = (int)v;
	} else if (!strcmp(key, "sid")) {
		if (!ht_parse_u64(p, val, vcol, (1u << SMMUV2_MAX_SID_BITS) - 1, &v))
			return false;
		p->st->v2.sid = (uint32_t)v;
	} else if (!strcmp(key, "iova")) {
		if (!ht_parse_u64(p, val, vcol, (1ULL << 48) - 1, &p->st->v2.iova))
			return false;
	} else if (!strcmp(key, "write")) {
		if (!ht_parse_flag(p, val, vcol, &p->st->v2.write))
			return false;
	} else {
		return ht_key_unknown(p, key, kcol, *(const char **)ctx);
	}
	return true;
}

/** ht_parse_v2() - v2write, v2read, v2expect, v2access, v2map. */
bool ht_parse_v2(struct ht_parser *p)
{
	struct ht_line *ln = p->ln;
	const struct ht_obj *o;
	const char *keys;

	if (!ht_obj_arg(p, 1, HT_KMASK(HT_SMMUV2), "an SMMUv2"))
		return false;
	o = p->sc->objs[p->st->obj];
	p->st->v2.what = ln->ntok > 2 ? ln->tok[2].s : "";
	switch (p->st->op) {
	case HT_OP_V2WRITE:
		return ht_need(p, 2, "a register") && parse_reg(p, o, &ln->tok[2]) &&
		       ht_need(p, 3, "a value") && parse_value(p, &ln->tok[3]) && ht_no_more(p, 4);
	case HT_OP_V2READ:
		return ht_need(p, 2, "a register") && parse_reg(p, o, &ln->tok[2]) &&
		       ht_no_more(p, 3);
	case HT_OP_V2EXPECT:
		if (!ht_need(p, 2, "an item") || !parse_item(p, o, &ln->tok[2]) ||
		    !ht_need(p, 3, "== or !="))
			return false;
		if (!strcmp(ln->tok[3].s, "=="))
			p->st->v2.op = HC_EQ;
		else if (!strcmp(ln->tok[3].s, "!="))
			p->st->v2.op = HC_NE;
		else
			return ht_err(p, ln->tok[3].col, "expected == or !=, got '%s'", ln->tok[3].s);
		return ht_need(p, 4, "a value") && parse_value(p, &ln->tok[4]) && ht_no_more(p, 5);
	case HT_OP_V2ACCESS:
		keys = "slot, sid, iova, write";
		return ht_kv_loop(p, 2, access_kv, &keys);
	default:	/* v2map */
		keys = "iova";
		return ht_kv_loop(p, 2, access_kv, &keys);
	}
}

/* ---- running ---- */

struct v2_line {
	struct ht_run *r;
	int deliveries;
};

static void v2_line_handler(struct sim_irq *irq, void *arg)
{
	struct v2_line *l = arg;

	l->deliveries++;
	sim_irq_disable(irq);	/* no software to handle it: hold it off */
}

static void v2_free(struct sim *s, void *arg)
{
	free(arg);
}

static bool exec_create(struct ht_run *r, struct ht_obj *o)
{
	struct smmuv2_config cfg = o->v2.cfg;
	bool per_bank = o->v2.per_bank;
	for (unsigned cb = 0; cb < cfg.num_cbs; cb++) {
		struct v2_line *l;
		char name[SIM_NAME_LEN];

		if (cb && !per_bank) {
			cfg.cb_irq[cb] = cfg.cb_irq[0];
			continue;
		}
		l = calloc(1, sizeof(*l));
		if (!l || sim_at_destroy(r->sim, v2_free, l)) {
			free(l);
			return false;
		}
		snprintf(name, sizeof(name), "%.16s-cb%u", o->name, cb & 7);
		cfg.cb_irq[cb] = sim_irq_create(r->sim, name, 0, v2_line_handler, l);
	}
	o->v2.cfg = cfg;
	o->v2.hw = smmuv2_create(r->sim, r->mem, &cfg);
	if (!o->v2.hw || hw_mem_alloc(r->mem, 1, "hwtest smmuv2 pt", &o->v2.pt) ||
	    hw_mem_alloc(r->mem, 1, "hwtest smmuv2 page", &o->v2.page)) {
		ht_bad(r, "cannot create SMMUv2 %s", o->name);
		return false;
	}
	return true;
}

static uint64_t reg_read(struct smmuv2 *hw, const struct ht_stmt *st)
{
	uint64_t v = st->v2.width == 64 ? smmuv2_read64(hw, st->v2.off) :
					  smmuv2_read32(hw, st->v2.off);

	return st->v2.mask ? (v & st->v2.mask) >> __builtin_ctz(st->v2.mask) : v;
}

static void reg_write(struct ht_obj *o, const struct ht_stmt *st)
{
	struct smmuv2 *hw = o->v2.hw;
	uint64_t v = st->v2.val_is_pt ? o->v2.pt : st->v2.val;

	if (st->v2.mask) {
		uint64_t old = st->v2.width == 64 ? smmuv2_read64(hw, st->v2.off) :
						    smmuv2_read32(hw, st->v2.off);
		unsigned sh = __builtin_ctz(st->v2.mask);

		v = (old & ~(uint64_t)st->v2.mask) | ((v << sh) & st->v2.mask);
	}
	if (st->v2.width == 64)
		smmuv2_write64(hw, st->v2.off, v);
	else
		smmuv2_write32(hw, st->v2.off, (uint32_t)v);
}

struct v2_access {
	struct ht_obj *o;
	int slot;
	struct smmuv2_txn t;
};

static void access_fn(void *arg)
{
	struct v2_access *a = arg;
	uint64_t data = 0;

	a->o->v2.outcome[a->slot] = V2_PENDING;
	a->o->v2.outcome[a->slot] = smmuv2_access(a->o->v2.hw, &a->t, &data, sizeof(data)) ?
				    V2_FAULT : V2_OK;
}

static bool exec_access(struct ht_run *r, struct ht_obj *o, const struct ht_stmt *st)
{
	struct v2_access *a = calloc(1, sizeof(*a));

	if (!a || sim_at_destroy(r->sim, v2_free, a)) {
		free(a);
		return false;
	}
	a->o = o;
	a->slot = st->v2.slot;
	a->t = (struct smmuv2_txn){ .device = o->name, .sid = st->v2.sid, .iova = st->v2.iova,
				    .write = st->v2.write };
	o->v2.outcome[a->slot] = V2_PENDING;
	if (!sim_task_create(r->sim, "v2access", SIM_TASK_HW, -1, true, access_fn, a))
		return false;
	sim_settle();
	return true;
}

static uint64_t item_value(struct ht_obj *o, const struct ht_stmt *st)
{
	struct smmuv2_cb_state cs;
	uint64_t n = 0;

	switch (st->v2.item) {
	case V2_IRQ:
		return smmuv2_cb_irq(o->v2.hw, st->v2.slot)->level_asserted;
	case V2_DELIVERIES:
		return smmuv2_cb_irq(o->v2.hw, st->v2.slot)->delivered;
	case V2_STALLS:
		for (unsigned cb = 0; cb < o->v2.cfg.num_cbs; cb++)
			n += !smmuv2_cb_peek(o->v2.hw, cb, &cs) && cs.stalled;
		return n;
	case V2_ACCESS:
		return (uint64_t)o->v2.outcome[st->v2.slot];
	default:
		return reg_read(o->v2.hw, st);
	}
}

static bool exec_expect(struct ht_run *r, struct ht_obj *o, const struct ht_stmt *st)
{
	uint64_t got = item_value(o, st), want = st->v2.val_is_pt ? o->v2.pt : st->v2.val;
	bool eq = got == want;

	r->nexpects++;
	if (eq == (st->v2.op == HC_EQ))
		return true;
	if (st->v2.item == V2_ACCESS)
		ht_fail(r, "expect failed: %s: expected %s%s, got %s", st->text,
			st->v2.op == HC_EQ ? "" : "!= ", outcome_names[want],
			outcome_names[got]);
	else
		ht_fail(r, "expect failed: %s: expected %s0x%llx, got 0x%llx", st->text,
			st->v2.op == HC_EQ ? "" : "!= ", (unsigned long long)want,
			(unsigned long long)got);
	return false;
}

/** ht_exec_smmuv2_stmt() - run one SMMUv2 statement; false stops the script. */
bool ht_exec_smmuv2_stmt(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_obj *o = ht_o(r, st->obj);

	if (st->op == HT_OP_SMMUV2)
		return exec_create(r, o);
	switch (st->op) {
	case HT_OP_V2WRITE:
		reg_write(o, st);
		sim_settle();
		return true;
	case HT_OP_V2READ:
		fprintf(r->out, "%u: %s %s = 0x%llx\n", st->line, o->name, st->v2.what,
			(unsigned long long)reg_read(o->v2.hw, st));
		return true;
	case HT_OP_V2EXPECT:
		return exec_expect(r, o, st);
	case HT_OP_V2ACCESS:
		return exec_access(r, o, st);
	default:	/* v2map */
		if (hw_pgtable_map(r->mem, o->v2.pt, st->v2.iova & HW_PAGE_MASK, o->v2.page,
				   HW_PERM_R | HW_PERM_W, "hwtest")) {
			ht_bad(r, "cannot map 0x%llx", (unsigned long long)st->v2.iova);
			return false;
		}
		return true;
	}
}
