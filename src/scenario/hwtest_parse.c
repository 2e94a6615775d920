// SPDX-License-Identifier: MIT
/*
 * hwtest parser: the statement table, the whole-script loop, and the
 * parsers of the SMMU-side statements (smmu, device, register access,
 * cmd, raw, set, advance, expect, sfm, reset, evtq, priq, print, stats).
 * The memory, table and device statements are in hwtest_parse_mem.c.
 *
 * Each parser fills p->st from the tokens of p->ln and returns false
 * after reporting an error; hwtest_parse() goes on with the next line so
 * that every malformed line is reported before anything runs.
 */
#include "scenario/hwtest_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- helpers shared with hwtest_parse_mem.c ---- */

/**
 * ht_kv_loop() - run @fn on every key=value token from token @from on.
 * Reports a token without '=' and a key given twice.  Stops at the first
 * error.
 */
bool ht_kv_loop(struct ht_parser *p, int from, ht_kv_fn fn, void *ctx)
{
	for (int i = from; i < p->ln->ntok; i++) {
		const struct ht_tok *t = &p->ln->tok[i];
		char key[32], prev[32];
		unsigned vcol, pcol;
		const char *val = ht_kv_split(t, key, sizeof(key), &vcol);

		if (!val)
			return ht_err(p, t->col, "expected key=value, got '%s'", t->s);
		for (int j = from; j < i; j++)
			if (ht_kv_split(&p->ln->tok[j], prev, sizeof(prev), &pcol) &&
			    !strcmp(prev, key))
				return ht_err(p, t->col, "key '%s' given twice", key);
		if (!fn(p, key, val, t->col, vcol, ctx))
			return false;
	}
	return true;
}

/** ht_obj_arg() - token @i names a live object of @kinds; sets p->st->obj. */
bool ht_obj_arg(struct ht_parser *p, int i, unsigned kinds, const char *what)
{
	if (!ht_need(p, i, what))
		return false;
	return ht_obj_ref(p, &p->ln->tok[i], kinds, &p->st->obj);
}

/** ht_key_unknown() - "unknown key" with the keys the statement takes. */
bool ht_key_unknown(struct ht_parser *p, const char *key, unsigned col, const char *keys)
{
	return ht_err(p, col, "unknown key '%s' for %s (keys: %s)", key, p->ln->tok[0].s, keys);
}

/* ---- smmu ---- */

#define SMMU_KEYS "cmdq, evtq, priq, ats, pri, msi, s2p, hyp, stall, sid_bits, ssid_bits, stall_max, tlb, cfg_cache, cmd_ns, walk_ns"

static bool queue_entries(struct ht_parser *p, const char *val, unsigned col, unsigned *out)
{
	uint64_t v = 0;

	if (!ht_parse_u64(p, val, col, 1U << 19, &v))
		return false;
	if (v < 2 || (v & (v - 1)))
		return ht_err(p, col, "queue size %s is not a power of two from 2 to 524288 entries", val);
	*out = v;
	return true;
}

static bool smmu_int_key(struct ht_parser *p, const char *key, const char *val,
			 unsigned col, struct smmuv3_config *c, unsigned *sid_bits)
{
	uint64_t v = 0;

	if (!strcmp(key, "sid_bits")) {
		if (!ht_parse_u64(p, val, col, 16, &v))
			return false;
		*sid_bits = v;
	} else if (!strcmp(key, "ssid_bits")) {
		if (!ht_parse_u64(p, val, col, 20, &v))
			return false;
		c->ssid_bits = v;
	} else if (!strcmp(key, "stall_max")) {
		if (!ht_parse_u64(p, val, col, 0xffff, &v))
			return false;
		c->stall_max = v;
	} else if (!strcmp(key, "tlb") || !strcmp(key, "cfg_cache")) {
		if (!ht_parse_u64(p, val, col, 65536, &v))
			return false;
		*(key[0] == 't' ? &c->tlb_entries : &c->cfg_cache_entries) = v;
	} else {
		return ht_key_unknown(p, key, col, SMMU_KEYS);
	}
	return true;
}

static bool smmu_key(struct ht_parser *p, const char *key, const char *val,
		     unsigned kcol, unsigned col, void *ctx)
{
	struct ht_smmu *s = ctx;
	struct smmuv3_config *c = &s->cfg;

	if (!strcmp(key, "cmdq"))
		return queue_entries(p, val, col, &c->cmdq_entries);
	if (!strcmp(key, "evtq"))
		return queue_entries(p, val, col, &c->evtq_entries);
	if (!strcmp(key, "priq"))
		return queue_entries(p, val, col, &c->priq_entries);
	if (!strcmp(key, "ats"))
		return ht_parse_flag(p, val, col, &c->ats);
	if (!strcmp(key, "pri"))
		return ht_parse_flag(p, val, col, &c->pri);
	if (!strcmp(key, "msi"))
		return ht_parse_flag(p, val, col, &c->msi);
	if (!strcmp(key, "s2p"))
		return ht_parse_flag(p, val, col, &c->s2p);
	if (!strcmp(key, "hyp"))
		return ht_parse_flag(p, val, col, &c->hyp);
	if (!strcmp(key, "stall")) {
		static const char *const names[] = { "0", "1", "force" };
		uint64_t v;

		if (!ht_parse_enum(p, val, col, names, 2, &v))
			return false;
		c->stall_model = v == 0 ? SMMUV3_IDR0_STALL_MODEL_NONE :
				 v == 1 ? SMMUV3_IDR0_STALL_MODEL_STALL :
				 SMMUV3_IDR0_STALL_MODEL_FORCE;
		return true;
	}
	if (!strcmp(key, "cmd_ns"))
		return ht_parse_time(p, val, col, &c->cmd_ns);
	if (!strcmp(key, "walk_ns"))
		return ht_parse_time(p, val, col, &c->walk_ns);
	return smmu_int_key(p, key, val, kcol, c, &s->sid_bits);
}

static unsigned log2u(unsigned v)
{
	return 31 - __builtin_clz(v);
}

static bool parse_smmu(struct ht_parser *p)
{
	struct ht_obj *o;
	struct ht_smmu *s;

	if (!ht_need(p, 1, "SMMU name"))
		return false;
	o = ht_obj_new(p, &p->ln->tok[1], HT_SMMU);
	if (!o)
		return false;
	p->st->obj = p->sc->nobjs - 1;
	s = &o->smmu;
	smmuv3_config_default(&s->cfg);
	s->cfg.name = o->name;
	s->sid_bits = 8;
	if (!ht_kv_loop(p, 2, smmu_key, s))
		return false;
	if (s->cfg.pri && !s->cfg.ats)
		return ht_err(p, p->ln->tok[1].col, "SMMU %s: pri=1 needs ats=1 (IDR0.PRI is RES0 without ATS)",
			      o->name);
	if (s->cfg.hyp && !s->cfg.s2p)
		return ht_err(p, p->ln->tok[1].col, "SMMU %s: hyp=1 needs s2p=1 (IDR0.Hyp is RES0 without stage 2)",
			      o->name);
	s->cfg.sid_bits = s->sid_bits;
	s->cmdq_log2 = log2u(s->cfg.cmdq_entries);
	s->evtq_log2 = log2u(s->cfg.evtq_entries);
	s->priq_log2 = log2u(s->cfg.priq_entries);
	return true;
}

/* ---- device ---- */

#define DEVICE_KEYS "smmu, sids, ats, pri, pasid, pasid_bits, atc, inv_queue, inv_latency, completion_timeout, prg_timeout, pri_max, flr, flr_time"

struct dev_ctx {
	struct ht_dev *d;
	unsigned sid_col[PCIE_EP_MAX_SIDS];
	unsigned smmu_col;
	bool has_smmu;
};

static bool parse_sids(struct ht_parser *p, const char *val, unsigned col, struct dev_ctx *x)
{
	const char *s = val;

	x->d->cfg.nsids = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		char one[24];
		uint64_t v;
		unsigned c = col + (unsigned)(s - val);

		snprintf(one, sizeof(one), "%.*s", comma ? (int)(comma - s) : (int)strlen(s), s);
		if (x->d->cfg.nsids == PCIE_EP_MAX_SIDS)
			return ht_err(p, c, "at most %d stream IDs", PCIE_EP_MAX_SIDS);
		if (!ht_parse_u64(p, one, c, 0xffffffffULL, &v))
			return false;
		x->sid_col[x->d->cfg.nsids] = c;
		x->d->cfg.sids[x->d->cfg.nsids++] = v;
		if (!comma)
			return true;
		s = comma + 1;
	}
}

static bool dev_count_key(struct ht_parser *p, const char *key, const char *val,
			  unsigned col, struct pcie_ep_config *c)
{
	uint64_t v = 0;

	if (!strcmp(key, "atc")) {
		if (!ht_parse_u64(p, val, col, 4096, &v))
			return false;
		c->atc_entries = v;
	} else if (!strcmp(key, "inv_queue")) {
		if (!ht_parse_u64(p, val, col, 32, &v))
			return false;
		c->inv_queue_depth = v;
	} else if (!strcmp(key, "pri_max")) {
		if (!ht_parse_u64(p, val, col, 512, &v))
			return false;
		c->pri_max_requests = v;
	} else if (!strcmp(key, "pasid_bits")) {
		if (!ht_parse_u64(p, val, col, 20, &v))
			return false;
		c->pasid_bits = v;
	} else {
		return ht_key_unknown(p, key, col, DEVICE_KEYS);
	}
	if (v == 0 && strcmp(key, "pri_max"))
		return ht_err(p, col, "%s must be at least 1", key);
	return true;
}

static bool dev_key(struct ht_parser *p, const char *key, const char *val,
		    unsigned kcol, unsigned col, void *ctx)
{
	struct dev_ctx *x = ctx;
	struct pcie_ep_config *c = &x->d->cfg;

	if (!strcmp(key, "smmu")) {
		struct ht_tok t = { (char *)val, col };

		x->has_smmu = true;
		x->smmu_col = col;
		return ht_obj_ref(p, &t, HT_KMASK(HT_SMMU), &x->d->smmu);
	}
	if (!strcmp(key, "sids"))
		return parse_sids(p, val, col, x);
	if (!strcmp(key, "ats"))
		return ht_parse_flag(p, val, col, &c->ats);
	if (!strcmp(key, "pri"))
		return ht_parse_flag(p, val, col, &c->pri);
	if (!strcmp(key, "pasid"))
		return ht_parse_flag(p, val, col, &c->pasid);
	if (!strcmp(key, "flr"))
		return ht_parse_flag(p, val, col, &c->flr_capable);
	if (!strcmp(key, "inv_latency"))
		return ht_parse_time(p, val, col, &c->atc_inv_latency);
	if (!strcmp(key, "prg_timeout"))
		return ht_parse_time(p, val, col, &c->prg_response_timeout);
	if (!strcmp(key, "flr_time"))
		return ht_parse_time(p, val, col, &c->flr_time);
	if (!strcmp(key, "completion_timeout")) {
		if (!ht_parse_time(p, val, col, &c->completion_timeout))
			return false;
		return c->completion_timeout ? true :
		       ht_err(p, col, "completion_timeout must be more than 0ns");
	}
	return dev_count_key(p, key, val, col, c);
}

/* A SID already routed to another device of the same SMMU. */
static int sid_owner(const struct ht_parser *p, int smmu, uint32_t sid)
{
	for (int i = 0; i < p->sc->nobjs - 1; i++) {
		const struct ht_obj *o = p->sc->objs[i];

		if (o->kind != HT_DEV || o->dev.smmu != smmu)
			continue;
		for (int k = 0; k < o->dev.cfg.nsids; k++)
			if (o->dev.cfg.sids[k] == sid)
				return i;
	}
	return -1;
}

static bool check_sids(struct ht_parser *p, struct dev_ctx *x)
{
	const struct ht_smmu *sm = &p->sc->objs[x->d->smmu]->smmu;

	for (int k = 0; k < x->d->cfg.nsids; k++) {
		uint32_t sid = x->d->cfg.sids[k];
		int owner = sid_owner(p, x->d->smmu, sid);

		if (sid >> sm->sid_bits)
			return ht_err(p, x->sid_col[k], "stream ID 0x%x is beyond the %u SID bits of %s",
				      sid, sm->sid_bits, p->sc->objs[x->d->smmu]->name);
		if (owner >= 0)
			return ht_err(p, x->sid_col[k], "stream ID 0x%x already belongs to %s",
				      sid, p->sc->objs[owner]->name);
		for (int j = 0; j < k; j++)
			if (x->d->cfg.sids[j] == sid)
				return ht_err(p, x->sid_col[k], "stream ID 0x%x given twice", sid);
	}
	return true;
}

static bool parse_device(struct ht_parser *p)
{
	struct dev_ctx x = { 0 };
	struct ht_obj *o;
	unsigned ncol = p->ln->ntok > 1 ? p->ln->tok[1].col : 1;

	if (!ht_need(p, 1, "device name"))
		return false;
	o = ht_obj_new(p, &p->ln->tok[1], HT_DEV);
	if (!o)
		return false;
	p->st->obj = p->sc->nobjs - 1;
	x.d = &o->dev;
	pcie_ep_config_default(&x.d->cfg);
	x.d->cfg.name = o->name;
	x.d->cfg.atc_entries = 16;
	if (!ht_kv_loop(p, 2, dev_key, &x))
		return false;
	if (!x.has_smmu)
		return ht_err(p, p->ln->end_col, "missing smmu=NAME");
	if (!x.d->cfg.nsids)
		return ht_err(p, p->ln->end_col, "missing sids=SID[,SID...]");
	if (x.d->cfg.pri && !x.d->cfg.ats)
		return ht_err(p, ncol, "device %s: pri=1 needs ats=1", o->name);
	return check_sids(p, &x);
}

/* ---- register, configuration and memory access ---- */

/* Width in bits from the digits ending @kw ("read32" -> 32). */
static unsigned kw_width(const char *kw)
{
	size_t n = strlen(kw);

	while (n && isdigit((unsigned char)kw[n - 1]))
		n--;
	return atoi(kw + n);
}

/* A whole-register value written to a field must fit it. */
static bool check_field_value(struct ht_parser *p, const struct ht_item *it,
			      const struct ht_val *v)
{
	uint64_t max;

	if (v->kind != HV_NUM)
		return true;
	if (it->mask)
		max = it->mask >> __builtin_ctzll(it->mask);
	else if (it->qfield == HQ_WRAP)
		max = 1;
	else if (it->qfield)
		max = (2ULL << it->qmax) - 1;
	else
		max = it->width == 64 ? UINT64_MAX : (1ULL << it->width) - 1;
	if (v->num > max)
		return ht_err(p, v->col, "value %s does not fit %s (at most 0x%llx)", v->text,
			      it->name, (unsigned long long)max);
	return true;
}

static bool parse_target(struct ht_parser *p, const char *kw, unsigned width)
{
	struct ht_item *it = &p->st->rw.item;
	const struct ht_tok *t;
	int r;

	if (!strncmp(kw, "mem_", 4)) {
		struct ht_val a;

		if (!ht_need(p, 1, "address") || !ht_parse_addr(p, p->ln->tok[1].s, p->ln->tok[1].col, &a))
			return false;
		memset(it, 0, sizeof(*it));
		it->kind = HI_MEM;
		it->width = width;
		it->obj = -1;
		it->addr = a.addr;
		if (a.kind == HV_NUM)
			it->addr.off = a.num;
		snprintf(it->name, sizeof(it->name), "mem%u %s", width, a.text);
		return true;
	}
	if (!ht_obj_arg(p, 1, HT_KMASK(strncmp(kw, "cfg_", 4) ? HT_SMMU : HT_DEV), "object name") ||
	    !ht_need(p, 2, "register"))
		return false;
	t = &p->ln->tok[2];
	r = ht_item_of(p, p->st->obj, t->s, t->col, width, false, it);
	if (r < 0)
		return false;
	if (it->kind != HI_REG && it->kind != HI_CFG)
		return ht_err(p, t->col, "%s accesses registers; '%s' is not one (use expect or print)",
			      kw, t->s);
	if (it->kind == HI_REG && (it->off & (width / 8 - 1)))
		return ht_err(p, t->col, "%s at offset 0x%x is not %u-byte aligned", kw, it->off, width / 8);
	return true;
}

static bool parse_access(struct ht_parser *p, bool write)
{
	const char *kw = p->ln->tok[0].s;
	unsigned width = kw_width(kw);
	int vi = strncmp(kw, "mem_", 4) ? 3 : 2;

	if (!parse_target(p, kw, width))
		return false;
	if (!write)
		return ht_no_more(p, vi);
	if (!ht_need(p, vi, "value to write"))
		return false;
	if (!ht_parse_value(p, p->ln->tok[vi].s, p->ln->tok[vi].col, p->st->obj, &p->st->rw.val))
		return false;
	return check_field_value(p, &p->st->rw.item, &p->st->rw.val) && ht_no_more(p, vi + 1);
}

static bool parse_read(struct ht_parser *p)
{
	return parse_access(p, false);
}

static bool parse_write(struct ht_parser *p)
{
	return parse_access(p, true);
}

/* ---- cmd and raw ---- */

static const char *const pri_resp_names[] = { "deny", "fail", "succ", NULL };
static const char *const resume_resp_names[] = { "term", "retry", "abort", NULL };

static const char *const *key_names(uint8_t opcode, enum ht_cmd_key k)
{
	if (k != CK_RESP)
		return ht_cmd_keys[k].names;
	return opcode == SMMUV3_CMD_RESUME ? resume_resp_names : pri_resp_names;
}

static void keys_of(uint32_t allowed, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int k = 0; k < CK_NR && n < len; k++)
		if (allowed & (1U << k))
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", ht_cmd_keys[k].name);
	if (!n)
		snprintf(buf, len, "none");
}

/* Constant checks: range and address alignment. */
static bool cmd_value_ok(struct ht_parser *p, enum ht_cmd_key k, const struct ht_val *v)
{
	uint64_t align = k == CK_ADDR ? 4096 : k == CK_MSIADDR ? 4 : 1;

	if (v->kind != HV_NUM)
		return true;
	if (v->num > ht_cmd_keys[k].max)
		return ht_err(p, v->col, "%s=%s is too large (at most 0x%llx)", ht_cmd_keys[k].name,
			      v->text, (unsigned long long)ht_cmd_keys[k].max);
	if (v->num & (align - 1))
		return ht_err(p, v->col, "%s=%s is not %llu-byte aligned", ht_cmd_keys[k].name,
			      v->text, (unsigned long long)align);
	return true;
}

static bool cmd_key(struct ht_parser *p, const char *key, const char *val,
		    unsigned kcol, unsigned col, void *ctx)
{
	struct ht_stmt *st = p->st;
	uint32_t allowed = ht_cmd_allowed(st->cmd.opcode);
	const char *const *names;
	struct ht_kv *kv;
	char list[160];
	int k;

	for (k = 0; k < CK_NR; k++)
		if (!strcmp(ht_cmd_keys[k].name, key))
			break;
	if (k == CK_NR || !(allowed & (1U << k))) {
		keys_of(allowed, list, sizeof(list));
		return ht_err(p, kcol, "%s takes no '%s' (keys: %s)", (const char *)ctx, key, list);
	}
	kv = &st->cmd.args[st->cmd.nargs++];
	kv->key = k;
	names = key_names(st->cmd.opcode, k);
	if (names && !isdigit((unsigned char)val[0])) {
		memset(&kv->v, 0, sizeof(kv->v));
		kv->v.kind = HV_NUM;
		kv->v.text = val;
		kv->v.col = col;
		return ht_parse_enum(p, val, col, names, ht_cmd_keys[k].max, &kv->v.num);
	}
	if (!ht_parse_value(p, val, col, st->obj, &kv->v))
		return false;
	return cmd_value_ok(p, k, &kv->v);
}

/* Encode once with the constant values: catches what the checks above do not. */
static bool cmd_trial_encode(struct ht_parser *p, const struct ht_tok *op)
{
	struct smmuv3_cmd c = { .opcode = p->st->cmd.opcode };
	uint64_t out[2];

	ht_cmd_fill(&c, p->st->cmd.args, p->st->cmd.nargs, NULL);
	if (smmuv3_cmd_encode(&c, out))
		return ht_err(p, op->col, "%s cannot be encoded with these values", op->s);
	return true;
}

static bool parse_cmd(struct ht_parser *p)
{
	const struct ht_tok *op;
	int opcode;

	if (!ht_obj_arg(p, 1, HT_KMASK(HT_SMMU), "SMMU name") || !ht_need(p, 2, "command name"))
		return false;
	op = &p->ln->tok[2];
	opcode = smmuv3_cmd_opcode_by_name(op->s);
	if (opcode < 0)
		return ht_err(p, op->col, "unknown command '%s' (write other opcodes with raw)", op->s);
	p->st->cmd.opcode = opcode;
	if (p->ln->ntok - 3 > HT_CMD_ARGS)
		return ht_err(p, p->ln->tok[3 + HT_CMD_ARGS].col, "too many arguments");
	if (!ht_kv_loop(p, 3, cmd_key, (void *)op->s))
		return false;
	/* CFGI_ALL is CFGI_STE_RANGE with Range 31, as Linux builds it. */
	if (strcasestr(op->s, "CFGI_ALL") && p->st->cmd.nargs < HT_CMD_ARGS) {
		bool has_range = false;

		for (int i = 0; i < p->st->cmd.nargs; i++)
			has_range |= p->st->cmd.args[i].key == CK_RANGE;
		if (!has_range) {
			struct ht_kv *kv = &p->st->cmd.args[p->st->cmd.nargs++];

			memset(kv, 0, sizeof(*kv));
			kv->key = CK_RANGE;
			kv->v.num = SMMUV3_CFGI_ALL_RANGE;
		}
	}
	return cmd_trial_encode(p, op);
}

static bool parse_raw(struct ht_parser *p)
{
	if (!ht_obj_arg(p, 1, HT_KMASK(HT_SMMU), "SMMU name"))
		return false;
	for (int i = 0; i < 2; i++) {
		const struct ht_tok *t;

		if (!ht_need(p, 2 + i, i ? "second command dword" : "first command dword"))
			return false;
		t = &p->ln->tok[2 + i];
		if (!ht_parse_value(p, t->s, t->col, p->st->obj, &p->st->raw.dw[i]))
			return false;
	}
	return ht_no_more(p, 4);
}

/* ---- set ---- */

static bool knob_value_ok(struct ht_parser *p, const char *key, const char *val,
			  unsigned kcol, unsigned col)
{
	static const char *const atc_inv[] = { "ok", "unresponsive", "lying", "duplicate",
					       "wrong_requester", NULL };
	static const char *const flr[] = { "ok", "fail", "enotty", "hang", NULL };
	static const char *const pri[] = { "ok", "flood", "never_stops", NULL };
	const char *const *names;
	uint64_t v = 0;
	bool b;

	if (!strcmp(key, "atc_inv")) {
		if (!strncmp(val, "slow:", 5))
			return ht_parse_time(p, val + 5, col + 5, &v);
		names = atc_inv;
	} else if (!strcmp(key, "flr")) {
		names = flr;
	} else if (!strcmp(key, "pri")) {
		names = pri;
	} else if (!strcmp(key, "atc_inv_survives_reset") || !strcmp(key, "flr_survives_reset") ||
		   !strcmp(key, "pri_survives_reset")) {
		return ht_parse_flag(p, val, col, &b);
	} else {
		return ht_err(p, kcol, "unknown knob '%s' (atc_inv, flr, pri, atc_inv_survives_reset, flr_survives_reset, pri_survives_reset)",
			      key);
	}
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], val))
			return true;
	return ht_err(p, col, "unknown value '%s' for knob %s%s", val, key,
		      !strcmp(key, "atc_inv") ? " (ok, unresponsive, slow:TIME, lying, duplicate, wrong_requester)" :
		      !strcmp(key, "flr") ? " (ok, fail, enotty, hang)" : " (ok, flood, never_stops)");
}

static bool set_key(struct ht_parser *p, const char *key, const char *val,
		    unsigned kcol, unsigned col, void *ctx)
{
	struct ht_stmt *st = p->st;
	int n = st->set.n;

	if (!knob_value_ok(p, key, val, kcol, col))
		return false;
	st->set.val[n] = val;	/* the key is cut out by parse_set() */
	st->set.col[n] = col;
	st->set.n++;
	return true;
}

static bool parse_set(struct ht_parser *p)
{
	if (!ht_obj_arg(p, 1, HT_KMASK(HT_DEV), "device name") || !ht_need(p, 2, "knob=value"))
		return false;
	if (p->ln->ntok - 2 > HT_SET_ARGS)
		return ht_err(p, p->ln->tok[2 + HT_SET_ARGS].col, "too many knobs (at most %d)", HT_SET_ARGS);
	if (!ht_kv_loop(p, 2, set_key, NULL))
		return false;
	for (int i = 0; i < p->st->set.n; i++) {
		char *t = p->ln->tok[2 + i].s;

		t[strcspn(t, "=")] = '\0';	/* key and value become two strings */
		p->st->set.key[i] = t;
	}
	return true;
}

/* ---- advance, expect ---- */

static bool parse_advance(struct ht_parser *p)
{
	const struct ht_tok *t;

	if (!ht_need(p, 1, "time (e.g. 2ms)"))
		return false;
	t = &p->ln->tok[1];
	return ht_parse_time(p, t->s, t->col, &p->st->advance.ns) && ht_no_more(p, 2);
}

static const char *const cmp_names[] = {
	[HC_EQ] = "==", [HC_NE] = "!=", [HC_LT] = "<", [HC_LE] = "<=", [HC_GT] = ">", [HC_GE] = ">=",
};

static bool parse_cmp(struct ht_parser *p, int i, enum ht_cmp *op)
{
	if (!ht_need(p, i, "comparison operator (==, !=, <, <=, >, >=)"))
		return false;
	for (int k = HC_EQ; k <= HC_GE; k++) {
		if (!strcmp(p->ln->tok[i].s, cmp_names[k])) {
			*op = k;
			return true;
		}
	}
	return ht_err(p, p->ln->tok[i].col, "expected a comparison operator (==, !=, <, <=, >, >=), got '%s'",
		      p->ln->tok[i].s);
}

/** ht_cmp_name() - "==", "!=", ... */
const char *ht_cmp_name(enum ht_cmp op)
{
	return cmp_names[op];
}

static bool parse_expect(struct ht_parser *p)
{
	struct ht_stmt *st = p->st;
	int i = 1, lobj, robj;

	if (!ht_parse_operand(p, &i, -1, &st->expect.lhs, &lobj) ||
	    !parse_cmp(p, i, &st->expect.op))
		return false;
	i++;
	if (!ht_parse_operand(p, &i, lobj, &st->expect.rhs, &robj) || !ht_no_more(p, i))
		return false;
	st->expect.text = st->text + (p->ln->tok[1].s - p->ln->tok[0].s);
	return true;
}

/* ---- SMMU actions ---- */

static bool parse_smmu_only(struct ht_parser *p)
{
	return ht_obj_arg(p, 1, HT_KMASK(HT_SMMU), "SMMU name") && ht_no_more(p, 2);
}

static bool parse_queue(struct ht_parser *p)
{
	static const char *const actions[] = { "next", "drain", "ack", NULL };
	bool pri = !strcmp(p->ln->tok[0].s, "priq");
	struct ht_smmu *sm;
	uint64_t a;

	if (!ht_obj_arg(p, 1, HT_KMASK(HT_SMMU), "SMMU name") || !ht_need(p, 2, "next, drain or ack"))
		return false;
	sm = &p->sc->objs[p->st->obj]->smmu;
	if (pri && !sm->cfg.pri)
		return ht_err(p, p->ln->tok[1].col, "SMMU %s has no PRI queue (pri=0)",
			      p->sc->objs[p->st->obj]->name);
	for (a = 0; actions[a]; a++)
		if (!strcmp(actions[a], p->ln->tok[2].s))
			break;
	if (!actions[a])
		return ht_err(p, p->ln->tok[2].col, "unknown action '%s' (next, drain or ack)",
			      p->ln->tok[2].s);
	p->st->q.action = a;
	if (a != HQA_ACK)
		*(pri ? &sm->pri_read : &sm->evt_read) = true;
	return ht_no_more(p, 3);
}

static bool parse_print(struct ht_parser *p)
{
	p->st->print.text = p->ln->ntok > 1 ?
			    p->st->text + (p->ln->tok[1].s - p->ln->tok[0].s) : "";
	return true;
}

static bool parse_stats(struct ht_parser *p)
{
	if (!ht_need(p, 1, "SMMU, device or mem"))
		return false;
	if (strcmp(p->ln->tok[1].s, "mem") &&
	    !ht_obj_arg(p, 1, HT_KMASK(HT_SMMU) | HT_KMASK(HT_DEV), "SMMU, device or mem"))
		return false;
	return ht_no_more(p, 2);
}

/* ---- the statement table and the script ---- */

static const struct {
	const char *kw;
	enum ht_op op;
	bool (*parse)(struct ht_parser *p);
} stmts[] = {
	{ "smmu", HT_OP_SMMU, parse_smmu },
	{ "device", HT_OP_DEVICE, parse_device },
	{ "read32", HT_OP_READ, parse_read },
	{ "read64", HT_OP_READ, parse_read },
	{ "write32", HT_OP_WRITE, parse_write },
	{ "write64", HT_OP_WRITE, parse_write },
	{ "cfg_read8", HT_OP_READ, parse_read },
	{ "cfg_read16", HT_OP_READ, parse_read },
	{ "cfg_read32", HT_OP_READ, parse_read },
	{ "cfg_write8", HT_OP_WRITE, parse_write },
	{ "cfg_write16", HT_OP_WRITE, parse_write },
	{ "cfg_write32", HT_OP_WRITE, parse_write },
	{ "mem_read32", HT_OP_READ, parse_read },
	{ "mem_read64", HT_OP_READ, parse_read },
	{ "mem_write32", HT_OP_WRITE, parse_write },
	{ "mem_write64", HT_OP_WRITE, parse_write },
	{ "cmd", HT_OP_CMD, parse_cmd },
	{ "replace", HT_OP_REPLACE, parse_cmd },
	{ "raw", HT_OP_RAW, parse_raw },
	{ "set", HT_OP_SET, parse_set },
	{ "advance", HT_OP_ADVANCE, parse_advance },
	{ "expect", HT_OP_EXPECT, parse_expect },
	{ "ste", HT_OP_STE, ht_parse_ste },
	{ "cd", HT_OP_CD, ht_parse_cd },
	{ "alloc", HT_OP_ALLOC, ht_parse_alloc },
	{ "free", HT_OP_FREE, ht_parse_free },
	{ "pgtable", HT_OP_PGTABLE, ht_parse_pgtable },
	{ "map", HT_OP_MAP, ht_parse_map },
	{ "unmap", HT_OP_UNMAP, ht_parse_unmap },
	{ "dma", HT_OP_DMA, ht_parse_dma },
	{ "flr", HT_OP_FLR, ht_parse_flr },
	{ "enable", HT_OP_ENABLE, ht_parse_enable },
	{ "disable", HT_OP_DISABLE, ht_parse_enable },
	{ "sfm", HT_OP_SFM, parse_smmu_only },
	{ "reset", HT_OP_RESET, parse_smmu_only },
	{ "evtq", HT_OP_EVTQ, parse_queue },
	{ "priq", HT_OP_PRIQ, parse_queue },
	{ "print", HT_OP_PRINT, parse_print },
	{ "stats", HT_OP_STATS, parse_stats },
	{ "smmuv2", HT_OP_SMMUV2, ht_parse_smmuv2 },
	{ "v2write", HT_OP_V2WRITE, ht_parse_v2 },
	{ "v2read", HT_OP_V2READ, ht_parse_v2 },
	{ "v2expect", HT_OP_V2EXPECT, ht_parse_v2 },
	{ "v2access", HT_OP_V2ACCESS, ht_parse_v2 },
	{ "v2map", HT_OP_V2MAP, ht_parse_v2 },
};

#define NSTMTS	(sizeof(stmts) / sizeof(stmts[0]))

static struct ht_stmt *stmt_new(struct ht_script *sc)
{
	if (sc->nstmts == sc->stmts_cap) {
		int cap = sc->stmts_cap ? 2 * sc->stmts_cap : 32;
		struct ht_stmt *n = realloc(sc->stmts, cap * sizeof(*n));

		if (!n)
			return NULL;
		sc->stmts = n;
		sc->stmts_cap = cap;
	}
	memset(&sc->stmts[sc->nstmts], 0, sizeof(sc->stmts[0]));
	return &sc->stmts[sc->nstmts];
}

static bool keep_line(struct ht_script *sc, struct ht_line *ln)
{
	if (sc->nlines == sc->lines_cap) {
		int cap = sc->lines_cap ? 2 * sc->lines_cap : 32;
		struct ht_line **n = realloc(sc->lines, cap * sizeof(*n));

		if (!n)
			return false;
		sc->lines = n;
		sc->lines_cap = cap;
	}
	sc->lines[sc->nlines++] = ln;
	return true;
}

/* Parse the statement of line @ln; false after an error. */
static bool parse_stmt(struct ht_parser *p, struct ht_line *ln)
{
	const struct ht_tok *kw = &ln->tok[0];
	struct ht_stmt *st = stmt_new(p->sc);

	if (!st)
		return ht_err(p, kw->col, "out of memory");
	p->st = st;
	st->line = ln->no;
	st->col = kw->col;
	st->text = ln->text + (kw->s - ln->buf);
	st->obj = -1;
	for (size_t i = 0; i < NSTMTS; i++) {
		if (strcmp(stmts[i].kw, kw->s))
			continue;
		st->op = stmts[i].op;
		if (!stmts[i].parse(p))
			return false;
		p->sc->nstmts++;
		return true;
	}
	return ht_err(p, kw->col, "unknown statement '%s' (see docs/hwtest.md)", kw->s);
}

/**
 * hwtest_parse() - parse @len bytes of @text into @sc (zeroed by the
 * caller, sc->name set).  Reports every malformed line to @d and goes on.
 * Return: true when no error was reported.
 */
bool hwtest_parse(struct ht_script *sc, struct diag *d, const char *text, size_t len)
{
	struct ht_parser p = { .sc = sc, .d = d };
	const char *s = text, *end = text + len;
	unsigned no = 0;

	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		struct ht_line *ln;

		no++;
		if (memchr(s, '\0', n)) {
			diag_error(d, no, 1, "NUL byte in the script");
		} else {
			ln = ht_lex_line(&p, no, s, n);
			if (ln && keep_line(sc, ln))
				parse_stmt(&p, ln);
		}
		s += n + 1;
	}
	return !diag_failed(d);
}

/** ht_script_free() - free what hwtest_parse() built (not @sc itself). */
void ht_script_free(struct ht_script *sc)
{
	for (int i = 0; i < sc->nlines; i++) {
		free(sc->lines[i]->buf);
		free(sc->lines[i]->text);
		free(sc->lines[i]);
	}
	for (int i = 0; i < sc->nobjs; i++)
		free(sc->objs[i]);
	free(sc->lines);
	free(sc->objs);
	free(sc->stmts);
	free(sc->name);
	memset(sc, 0, sizeof(*sc));
}
