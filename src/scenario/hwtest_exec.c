// SPDX-License-Identifier: MIT
/*
 * hwtest execution, first half: settling the hardware, evaluating values
 * and items, and the statements that talk to the SMMU (register access,
 * commands, queues, faults injected, expect, print, stats).  Memory,
 * table and device statements are in hwtest_exec_mem.c.
 *
 * Everything here runs in the script task (a thread on CPU 0): MMIO and
 * configuration accesses are scheduling points, so the hardware tasks
 * run between them, as they would beside a real CPU.
 *
 * Errors at run time: a failed check (expect, an empty queue, a full
 * command queue) is ht_fail(): "FILE:LINE: message", exit 1; a request the
 * hardware cannot honour (memory exhausted, a mapping that exists, an
 * address outside memory) is ht_bad(): "FILE:LINE:COL: message", exit 2.
 * Either ends the script.
 */
#include "scenario/hwtest_internal.h"

#include <stdarg.h>
#include <string.h>

#include "check/violation.h"

/** ht_o() - object @idx of the running script. */
struct ht_obj *ht_o(struct ht_run *r, int idx)
{
	return r->sc->objs[idx];
}

/** ht_fail() - a check failed at the current statement: exit status 1. */
void ht_fail(struct ht_run *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->err, "%s:%u: ", r->sc->name, r->cur->line);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
	fflush(r->err);
	r->status = HWTEST_FAIL;
}

/** ht_bad() - the statement asked the impossible: exit status 2. */
void ht_bad(struct ht_run *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->err, "%s:%u:%u: ", r->sc->name, r->cur->line, r->cur->col);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
	fflush(r->err);
	r->status = HWTEST_BADINPUT;
}

/* ---- settling ---- */

/* ---- values ---- */

/**
 * ht_addr_eval() - the physical address @a stands for.
 * Return: false (after ht_bad()) when its object is not in memory yet or
 * the offset leaves the object.
 */
bool ht_addr_eval(struct ht_run *r, const struct ht_addr *a, uint64_t *pa)
{
	const struct ht_obj *o;
	uint64_t size = HW_PAGE_SIZE;

	if (a->obj < 0) {
		*pa = a->off;
		return true;
	}
	o = ht_o(r, a->obj);
	switch (o->kind) {
	case HT_BUF:
		*pa = o->buf.pa;
		size = o->buf.pages * HW_PAGE_SIZE;
		break;
	case HT_PGTABLE:
		*pa = o->pt.root;
		break;
	default:
		*pa = o->cd.pa;
		size = SMMUV3_CD_DWORDS * 8;
		break;
	}
	if (!*pa) {
		ht_bad(r, "%s is not in memory", o->name);
		return false;
	}
	if (a->off >= size) {
		ht_bad(r, "offset 0x%llx is beyond %s (%llu bytes)", (unsigned long long)a->off,
		       o->name, (unsigned long long)size);
		return false;
	}
	*pa += a->off;
	return true;
}

/** ht_eval() - the value of @v now. */
bool ht_eval(struct ht_run *r, const struct ht_val *v, uint64_t *out)
{
	switch (v->kind) {
	case HV_NUM:
		*out = v->num;
		return true;
	case HV_ADDR:
		return ht_addr_eval(r, &v->addr, out);
	default:
		return ht_item_read(r, &v->item, out);
	}
}

/* LOG2SIZE in force for the queue whose *_BASE is at @qbase (capped as the SMMU caps it). */
static unsigned queue_log2(struct smmuv3 *smmu, uint32_t qbase, unsigned max)
{
	unsigned l = FIELD_GET(SMMUV3_Q_BASE_LOG2SIZE, smmuv3_read64(smmu, qbase));

	return l > max ? max : l;
}

/* The mask of field @it of a register (queue fields by the size in force). */
static uint64_t field_mask(struct ht_run *r, const struct ht_item *it)
{
	unsigned l;

	if (!it->qfield)
		return it->mask;
	l = queue_log2(ht_o(r, it->obj)->smmu.smmu, it->qbase, it->qmax);
	switch (it->qfield) {
	case HQ_IDX:
		return (1ULL << l) - 1;
	case HQ_WRAP:
		return 1ULL << l;
	default:
		return (2ULL << l) - 1;
	}
}

static uint64_t get_field(uint64_t reg, uint64_t mask)
{
	return mask ? (reg & mask) >> __builtin_ctzll(mask) : reg;
}

static uint64_t put_field(uint64_t reg, uint64_t mask, uint64_t v)
{
	if (!mask)
		return v;
	return (reg & ~mask) | ((v << __builtin_ctzll(mask)) & mask);
}

static uint64_t reg_read(struct smmuv3 *smmu, uint32_t off, unsigned width)
{
	return width == 64 ? smmuv3_read64(smmu, off) : smmuv3_read32(smmu, off);
}

static void reg_write(struct smmuv3 *smmu, uint32_t off, unsigned width, uint64_t v)
{
	if (width == 64)
		smmuv3_write64(smmu, off, v);
	else
		smmuv3_write32(smmu, off, v);
}

static uint64_t stat_read(struct ht_run *r, const struct ht_item *it)
{
	const void *base;
	uint64_t v;

	if (it->idx == HS_MEM)
		base = hw_mem_stats(r->mem);
	else if (it->idx == HS_SMMU)
		base = smmuv3_stats(ht_o(r, it->obj)->smmu.smmu);
	else
		base = pcie_ep_stats(ht_o(r, it->obj)->dev.ep);
	memcpy(&v, (const char *)base + it->off, sizeof(v));
	return v;
}

static uint64_t viol_read(struct ht_run *r, int id)
{
	const struct violation_log *vl = r->sim->violations;

	if (!vl)
		return 0;
	return id < 0 ? vl->n : vl->count[id];
}

/** ht_item_read() - the current value of item @it (MMIO reads are scheduling points). */
bool ht_item_read(struct ht_run *r, const struct ht_item *it, uint64_t *out)
{
	struct ht_obj *o = it->obj >= 0 ? ht_o(r, it->obj) : NULL;

	switch (it->kind) {
	case HI_REG:
		*out = get_field(reg_read(o->smmu.smmu, it->off, it->width), field_mask(r, it));
		return true;
	case HI_EVT:
		*out = ht_evt_get(&o->smmu.evt, it->idx);
		return true;
	case HI_PRI:
		*out = ht_pri_get(&o->smmu.pri, it->idx);
		return true;
	case HI_STALLS:
		*out = smmuv3_stalls_held(o->smmu.smmu);
		return true;
	case HI_DMA:
		*out = o->dev.dma_outcome;
		return true;
	case HI_DMA_VALUE:
		*out = o->dev.dma_value;
		return true;
	case HI_DEV_STATE:
		*out = ht_dev_state_get(r, it);
		return true;
	case HI_CFG:
		return ht_cfg_read_item(r, it, out);
	case HI_STAT:
		*out = stat_read(r, it);
		return true;
	case HI_IRQ:
		*out = o->smmu.irq_count[it->idx];
		return true;
	case HI_VIOL:
		*out = viol_read(r, it->idx);
		return true;
	case HI_MEM:
		return ht_mem_read_item(r, it, out);
	default:
		*out = sim_now();
		return true;
	}
}

/* ---- register access ---- */

static void print_value(struct ht_run *r, const struct ht_item *it, uint64_t v)
{
	char buf[64];
	bool whole = !it->mask && !it->qfield;

	fprintf(r->out, "%u: %s = ", r->cur->line, it->name);
	if (whole && (it->kind == HI_REG || it->kind == HI_CFG || it->kind == HI_MEM))
		fprintf(r->out, "0x%0*llx\n", (int)it->width / 4, (unsigned long long)v);
	else if (it->fmt == HF_HEX)
		fprintf(r->out, "0x%llx\n", (unsigned long long)v);
	else
		fprintf(r->out, "0x%llx (%s)\n", (unsigned long long)v,
			ht_fmt_value(it->fmt, v, buf, sizeof(buf)));
	fflush(r->out);
}

static bool exec_read(struct ht_run *r, const struct ht_stmt *st)
{
	uint64_t v;

	if (!ht_item_read(r, &st->rw.item, &v))
		return false;
	print_value(r, &st->rw.item, v);
	return true;
}

/* Write @v to SMMU register item @it; a field is read, modified, written. */
static void smmu_reg_write(struct ht_run *r, const struct ht_item *it, uint64_t v)
{
	struct smmuv3 *smmu = ht_o(r, it->obj)->smmu.smmu;
	uint64_t mask = field_mask(r, it);

	if (mask)
		v = put_field(reg_read(smmu, it->off, it->width), mask, v);
	reg_write(smmu, it->off, it->width, v);
}

static bool exec_write(struct ht_run *r, const struct ht_stmt *st)
{
	const struct ht_item *it = &st->rw.item;
	uint64_t v;

	if (!ht_eval(r, &st->rw.val, &v))
		return false;
	switch (it->kind) {
	case HI_REG:
		smmu_reg_write(r, it, v);
		return true;
	case HI_CFG:
		return ht_cfg_write_item(r, it, v);
	default:
		return ht_mem_write_item(r, it, v);
	}
}

/* ---- queues in memory ---- */

struct q_view {
	uint32_t prod, cons;	/* register values */
	unsigned log2;
	uint64_t base;		/* aligned base address */
	uint32_t iw;		/* index|wrap mask */
};

/* Read a queue's registers as software sees them, by MMIO. */
static void q_view(struct smmuv3 *smmu, uint32_t base_off, uint32_t prod_off, uint32_t cons_off,
		   unsigned max, unsigned ent_bytes, struct q_view *q)
{
	uint64_t base = smmuv3_read64(smmu, base_off);
	uint64_t qbytes, align;

	q->log2 = FIELD_GET(SMMUV3_Q_BASE_LOG2SIZE, base);
	if (q->log2 > max)
		q->log2 = max;
	qbytes = (uint64_t)ent_bytes << q->log2;
	align = qbytes > 32 ? qbytes : 32;
	q->base = (base & SMMUV3_Q_BASE_ADDR) & ~(align - 1);
	q->iw = (2U << q->log2) - 1;
	q->prod = smmuv3_read32(smmu, prod_off);
	q->cons = smmuv3_read32(smmu, cons_off);
}

static bool q_empty(const struct q_view *q)
{
	return (q->prod & q->iw) == (q->cons & q->iw);
}

static bool q_full(const struct q_view *q)
{
	return ((q->prod ^ q->cons) & q->iw) == (1U << q->log2);
}

static uint64_t q_slot(const struct q_view *q, uint32_t p, unsigned ent_bytes)
{
	return q->base + (uint64_t)(p & ((1U << q->log2) - 1)) * ent_bytes;
}

static uint32_t q_next(const struct q_view *q, uint32_t p)
{
	return ((p & q->iw) + 1) & q->iw;
}

/* Place one command at CMDQ_PROD and move PROD on, as a driver does. */
static bool cmdq_put(struct ht_run *r, struct ht_smmu *sm, const uint64_t ent[2])
{
	struct q_view q;
	void *slot;

	q_view(sm->smmu, SMMUV3_CMDQ_BASE, SMMUV3_CMDQ_PROD, SMMUV3_CMDQ_CONS, sm->cmdq_log2,
	       16, &q);
	if (q_full(&q)) {
		ht_fail(r, "the command queue of %s is full (PROD 0x%x, CONS 0x%x)",
			sm->cfg.name, q.prod, q.cons);
		return false;
	}
	/* Outside memory (a CMDQ_BASE set to provoke CERROR_ABT): nothing to write. */
	slot = hw_mem_ptr(r->mem, q_slot(&q, q.prod, 16), 16);
	if (slot)
		memcpy(slot, ent, 16);
	smmuv3_write32(sm->smmu, SMMUV3_CMDQ_PROD, q_next(&q, q.prod));
	return true;
}

/*
 * Write a command over the entry at CMDQ_CONS, PROD untouched: what a
 * driver does before acknowledging CERROR_ILL (Linux replaces the bad
 * command with a CMD_SYNC in arm_smmu_cmdq_skip_err()).
 */
static bool cmdq_replace(struct ht_run *r, struct ht_smmu *sm, const uint64_t ent[2])
{
	struct q_view q;
	void *slot;

	q_view(sm->smmu, SMMUV3_CMDQ_BASE, SMMUV3_CMDQ_PROD, SMMUV3_CMDQ_CONS, sm->cmdq_log2,
	       16, &q);
	slot = hw_mem_ptr(r->mem, q_slot(&q, q.cons, 16), 16);
	if (!slot) {
		ht_bad(r, "the command queue of %s is outside memory", sm->cfg.name);
		return false;
	}
	memcpy(slot, ent, 16);
	return true;
}

static bool exec_cmd(struct ht_run *r, const struct ht_stmt *st)
{
	struct smmuv3_cmd c = { .opcode = st->cmd.opcode };
	uint64_t vals[HT_CMD_ARGS], ent[2];

	for (int i = 0; i < st->cmd.nargs; i++)
		if (!ht_eval(r, &st->cmd.args[i].v, &vals[i]))
			return false;
	ht_cmd_fill(&c, st->cmd.args, st->cmd.nargs, vals);
	if (smmuv3_cmd_encode(&c, ent)) {
		ht_bad(r, "the command cannot be encoded with these values");
		return false;
	}
	if (st->op == HT_OP_REPLACE)
		return cmdq_replace(r, &ht_o(r, st->obj)->smmu, ent);
	return cmdq_put(r, &ht_o(r, st->obj)->smmu, ent);
}

static bool exec_raw(struct ht_run *r, const struct ht_stmt *st)
{
	uint64_t ent[2];

	if (!ht_eval(r, &st->raw.dw[0], &ent[0]) || !ht_eval(r, &st->raw.dw[1], &ent[1]))
		return false;
	return cmdq_put(r, &ht_o(r, st->obj)->smmu, ent);
}

/* ---- event and PRI queues ---- */

struct q_desc {
	const char *what;
	uint32_t base, prod, cons;
	unsigned ent_bytes;
};

static const struct q_desc evtq_desc = { "event queue", SMMUV3_EVTQ_BASE, SMMUV3_EVTQ_PROD,
					 SMMUV3_EVTQ_CONS, 32 };
static const struct q_desc priq_desc = { "PRI queue", SMMUV3_PRIQ_BASE, SMMUV3_PRIQ_PROD,
					 SMMUV3_PRIQ_CONS, 16 };

static void print_evt(struct ht_run *r, const struct ht_obj *o, const struct smmuv3_event *e)
{
	char id[32];

	fprintf(r->out, "%u: %s EVT = %s sid=0x%x ssv=%d ssid=0x%x stall=%d stag=0x%x rnw=%d pnu=%d ind=%d class=%u addr=0x%llx ipa=0x%llx fetch_addr=0x%llx\n",
		r->cur->line, o->name, ht_fmt_value(HF_EVENT, e->id, id, sizeof(id)), e->sid,
		e->ssv, e->ssid, e->stall, e->stag, e->read, e->priv, e->inst, e->class,
		(unsigned long long)e->addr, (unsigned long long)e->ipa,
		(unsigned long long)e->fetch_addr);
}

static void print_pri(struct ht_run *r, const struct ht_obj *o, const struct smmuv3_pri_entry *e)
{
	fprintf(r->out, "%u: %s PRI = sid=0x%x ssv=%d ssid=0x%x priv=%d exec=%d read=%d write=%d last=%d prg_idx=%u addr=0x%llx\n",
		r->cur->line, o->name, e->sid, e->ssv, e->ssid, e->priv, e->exec, e->read,
		e->write, e->last, e->prg_idx, (unsigned long long)e->addr);
}

/* Read the entry at CONS into the SMMU object, then move CONS on by MMIO. */
static bool q_consume(struct ht_run *r, struct ht_obj *o, const struct q_desc *d,
		      const struct q_view *q, bool print)
{
	uint64_t ent[4];

	if (hw_mem_read(r->mem, q_slot(q, q->cons, d->ent_bytes), ent, d->ent_bytes)) {
		ht_bad(r, "the %s of %s is outside memory", d->what, o->name);
		return false;
	}
	if (d == &evtq_desc) {
		smmuv3_event_decode(ent, &o->smmu.evt);
		if (print)
			print_evt(r, o, &o->smmu.evt);
	} else {
		smmuv3_pri_decode(ent, &o->smmu.pri);
		if (print)
			print_pri(r, o, &o->smmu.pri);
	}
	smmuv3_write32(o->smmu.smmu, d->cons,
		       q_next(q, q->cons) | (q->cons & SMMUV3_Q_OVERFLOW_FLAG));
	return true;
}

static bool exec_queue(struct ht_run *r, const struct ht_stmt *st)
{
	const struct q_desc *d = st->op == HT_OP_EVTQ ? &evtq_desc : &priq_desc;
	struct ht_obj *o = ht_o(r, st->obj);
	unsigned max = st->op == HT_OP_EVTQ ? o->smmu.evtq_log2 : o->smmu.priq_log2;
	unsigned n = 0;
	struct q_view q;

	q_view(o->smmu.smmu, d->base, d->prod, d->cons, max, d->ent_bytes, &q);
	if (st->q.action == HQA_ACK) {
		smmuv3_write32(o->smmu.smmu, d->cons, (q.cons & ~SMMUV3_Q_OVERFLOW_FLAG) |
			       (q.prod & SMMUV3_Q_OVERFLOW_FLAG));
		return true;
	}
	if (q_empty(&q)) {
		if (st->q.action == HQA_NEXT) {
			ht_fail(r, "%s %s next: the %s is empty", st->op == HT_OP_EVTQ ? "evtq" : "priq",
				o->name, d->what);
			return false;
		}
		fprintf(r->out, "%u: %s %s: 0 entries drained\n", r->cur->line, o->name, d->what);
		return true;
	}
	do {
		if (!q_consume(r, o, d, &q, st->q.action == HQA_NEXT))
			return false;
		n++;
		q_view(o->smmu.smmu, d->base, d->prod, d->cons, max, d->ent_bytes, &q);
	} while (st->q.action == HQA_DRAIN && !q_empty(&q));
	if (st->q.action == HQA_DRAIN)
		fprintf(r->out, "%u: %s %s: %u entries drained\n", r->cur->line, o->name, d->what, n);
	return true;
}

/* ---- expect ---- */

static bool compare(enum ht_cmp op, uint64_t a, uint64_t b)
{
	switch (op) {
	case HC_EQ:
		return a == b;
	case HC_NE:
		return a != b;
	case HC_LT:
		return a < b;
	case HC_LE:
		return a <= b;
	case HC_GT:
		return a > b;
	default:
		return a >= b;
	}
}

static bool exec_expect(struct ht_run *r, const struct ht_stmt *st)
{
	const struct ht_val *l = &st->expect.lhs, *rv = &st->expect.rhs;
	enum ht_fmt fmt = l->kind == HV_ITEM ? l->fmt : rv->fmt;
	char want[64], got[64];
	uint64_t a, b;

	if (!ht_eval(r, l, &a) || !ht_eval(r, rv, &b))
		return false;
	r->nexpects++;
	if (compare(st->expect.op, a, b))
		return true;
	ht_fail(r, "expect failed: %s: expected %s%s%s, got %s", st->expect.text,
		st->expect.op == HC_EQ ? "" : ht_cmp_name(st->expect.op),
		st->expect.op == HC_EQ ? "" : " ", ht_fmt_value(fmt, b, want, sizeof(want)),
		ht_fmt_value(fmt, a, got, sizeof(got)));
	return false;
}

/* ---- SMMU set-up and actions ---- */

/**
 * ht_smmu_program() - what instantiation programs, by MMIO: the queue
 * bases (PROD and CONS zero) and the linear stream table.  CR0 and
 * IRQ_CTRL are left alone (every enable stays off).
 */
bool ht_smmu_program(struct ht_run *r, struct ht_smmu *s)
{
	struct smmuv3 *smmu = s->smmu;

	smmuv3_write64(smmu, SMMUV3_CMDQ_BASE, s->cmdq_pa | s->cmdq_log2);
	smmuv3_write32(smmu, SMMUV3_CMDQ_PROD, 0);
	smmuv3_write32(smmu, SMMUV3_CMDQ_CONS, 0);
	smmuv3_write64(smmu, SMMUV3_EVTQ_BASE, s->evtq_pa | s->evtq_log2);
	smmuv3_write32(smmu, SMMUV3_EVTQ_PROD, 0);
	smmuv3_write32(smmu, SMMUV3_EVTQ_CONS, 0);
	if (s->cfg.pri) {
		smmuv3_write64(smmu, SMMUV3_PRIQ_BASE, s->priq_pa | s->priq_log2);
		smmuv3_write32(smmu, SMMUV3_PRIQ_PROD, 0);
		smmuv3_write32(smmu, SMMUV3_PRIQ_CONS, 0);
	}
	smmuv3_write64(smmu, SMMUV3_STRTAB_BASE, s->strtab_pa);
	smmuv3_write32(smmu, SMMUV3_STRTAB_BASE_CFG,
		       FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_FMT, SMMUV3_STRTAB_BASE_CFG_FMT_LINEAR) |
		       FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_LOG2SIZE, s->sid_bits));
	return true;
}

static bool exec_stats(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_item it = { .kind = HI_STAT, .obj = st->obj, .idx = HS_MEM };
	const char *name = "mem";
	const struct ht_stat *s;

	if (st->obj >= 0) {
		it.idx = ht_o(r, st->obj)->kind == HT_SMMU ? HS_SMMU : HS_DEV;
		name = ht_o(r, st->obj)->name;
	}
	for (unsigned i = 0; (s = ht_stat_at(it.idx, i)); i++) {
		uint64_t v;

		it.off = s->off;
		v = stat_read(r, &it);
		if (v)
			fprintf(r->out, "%u: stats %s.%s = %llu\n", r->cur->line, name, s->name,
				(unsigned long long)v);
	}
	return true;
}

static bool exec_set(struct ht_run *r, const struct ht_stmt *st)
{
	struct pcie_ep *ep = ht_o(r, st->obj)->dev.ep;
	char err[160];

	for (int i = 0; i < st->set.n; i++) {
		if (pcie_ep_set_knob(ep, st->set.key[i], st->set.val[i], err, sizeof(err))) {
			ht_bad(r, "%s", err);
			return false;
		}
	}
	return true;
}

static bool exec_smmu_stmt(struct ht_run *r, const struct ht_stmt *st)
{
	struct ht_smmu *sm = st->obj >= 0 ? &ht_o(r, st->obj)->smmu : NULL;

	switch (st->op) {
	case HT_OP_SMMU:
		return ht_smmu_program(r, sm);
	case HT_OP_SFM:
		smmuv3_inject_sfm(sm->smmu);
		return true;
	case HT_OP_RESET:
		smmuv3_reset(sm->smmu);
		return ht_smmu_program(r, sm);
	case HT_OP_EVTQ:
	case HT_OP_PRIQ:
		return exec_queue(r, st);
	case HT_OP_CMD:
	case HT_OP_REPLACE:
		return exec_cmd(r, st);
	default:
		return exec_raw(r, st);
	}
}

/** ht_exec_stmt() - run statement @st.  Return: false when the script must stop. */
bool ht_exec_stmt(struct ht_run *r, const struct ht_stmt *st)
{
	switch (st->op) {
	case HT_OP_DEVICE:
		return true;	/* made before the run */
	case HT_OP_READ:
		return exec_read(r, st);
	case HT_OP_WRITE:
		return exec_write(r, st);
	case HT_OP_SET:
		return exec_set(r, st);
	case HT_OP_ADVANCE:
		sim_sleep_until(sim_now() + st->advance.ns);
		return true;
	case HT_OP_EXPECT:
		return exec_expect(r, st);
	case HT_OP_PRINT:
		fprintf(r->out, "%u: %s\n", st->line, st->print.text);
		return true;
	case HT_OP_STATS:
		return exec_stats(r, st);
	case HT_OP_SMMUV2:
	case HT_OP_V2WRITE:
	case HT_OP_V2READ:
	case HT_OP_V2EXPECT:
	case HT_OP_V2ACCESS:
	case HT_OP_V2MAP:
		return ht_exec_smmuv2_stmt(r, st);
	case HT_OP_SMMU:
	case HT_OP_SFM:
	case HT_OP_RESET:
	case HT_OP_EVTQ:
	case HT_OP_PRIQ:
	case HT_OP_CMD:
	case HT_OP_REPLACE:
	case HT_OP_RAW:
		return exec_smmu_stmt(r, st);
	default:
		return ht_exec_mem_stmt(r, st);
	}
}
