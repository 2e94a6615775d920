// SPDX-License-Identifier: MIT
/*
 * hwtest parser, second half: the statements that build translation
 * structures in memory (ste, cd, alloc, free, pgtable, map, unmap) and
 * drive endpoints (dma, flr, enable, disable).
 */
#include "scenario/hwtest_internal.h"

#include <string.h>
#include <strings.h>

#include "hw/pgtable.h"

/* ---- ste ---- */

#define STE_KEYS "sid, v, config, eats, cd, cdptr, s1dss, s1stalld, s1cdmax, s1fmt, strw, shcfg, s2vmid"

struct ste_ctx {
	struct ht_smmu *sm;
	bool has_sid;
};

static bool ste_small_key(struct ht_parser *p, const char *key, const char *val,
			  unsigned kcol, unsigned col, struct smmuv3_ste *ste)
{
	uint64_t v = 0;

	if (!strcmp(key, "s1cdmax")) {
		if (!ht_parse_u64(p, val, col, 31, &v))
			return false;
		ste->s1cdmax = v;
	} else if (!strcmp(key, "s1fmt") || !strcmp(key, "strw") || !strcmp(key, "shcfg")) {
		if (!ht_parse_u64(p, val, col, 3, &v))
			return false;
		*(key[1] == '1' ? &ste->s1fmt : key[1] == 't' ? &ste->strw : &ste->shcfg) = v;
	} else if (!strcmp(key, "s2vmid")) {
		if (!ht_parse_u64(p, val, col, 0xffff, &v))
			return false;
		ste->s2vmid = v;
	} else {
		return ht_key_unknown(p, key, kcol, STE_KEYS);
	}
	return true;
}

static bool ste_key(struct ht_parser *p, const char *key, const char *val,
		    unsigned kcol, unsigned col, void *ctx)
{
	struct ste_ctx *x = ctx;
	struct ht_stmt *st = p->st;
	struct smmuv3_ste *ste = &st->ste.ste;
	uint64_t v = 0;
	bool ok;

	if (!strcmp(key, "sid")) {
		x->has_sid = true;
		ok = ht_parse_u64(p, val, col, (1ULL << x->sm->sid_bits) - 1, &v);
		st->ste.sid = v;
		return ok;
	}
	if (!strcmp(key, "v"))
		return ht_parse_flag(p, val, col, &ste->valid);
	if (!strcmp(key, "s1stalld"))
		return ht_parse_flag(p, val, col, &ste->s1stalld);
	if (!strcmp(key, "config")) {
		ok = ht_parse_enum(p, val, col, ht_ste_config_names, 7, &v);
		ste->config = v;
		return ok;
	}
	if (!strcmp(key, "eats") || !strcmp(key, "s1dss")) {
		ok = ht_parse_enum(p, val, col, key[0] == 'e' ? ht_ste_eats_names :
				   ht_ste_s1dss_names, 3, &v);
		*(key[0] == 'e' ? &ste->eats : &ste->s1dss) = v;
		return ok;
	}
	if (!strcmp(key, "cd")) {
		struct ht_tok t = { (char *)val, col };

		return ht_obj_ref(p, &t, HT_KMASK(HT_CD), &st->ste.cd);
	}
	if (!strcmp(key, "cdptr")) {
		st->ste.has_cdptr = true;
		return ht_parse_addr(p, val, col, &st->ste.cdptr);
	}
	return ste_small_key(p, key, val, kcol, col, ste);
}

/**
 * ht_parse_ste() - `ste SMMU sid=N key=value...`: an STE of the SMMU's
 * linear stream table (V=1, Config abort, everything else 0 unless set).
 */
bool ht_parse_ste(struct ht_parser *p)
{
	struct ht_stmt *st = p->st;
	struct ste_ctx x = { 0 };
	uint64_t out[8];

	if (!ht_obj_arg(p, 1, HT_KMASK(HT_SMMU), "SMMU name"))
		return false;
	x.sm = &p->sc->objs[st->obj]->smmu;
	st->ste.cd = -1;
	st->ste.ste.valid = true;
	st->ste.ste.config = SMMUV3_STE_CONFIG_ABORT;
	if (!ht_kv_loop(p, 2, ste_key, &x))
		return false;
	if (!x.has_sid)
		return ht_err(p, p->ln->end_col, "missing sid=N");
	if (st->ste.cd >= 0 && st->ste.has_cdptr)
		return ht_err(p, st->ste.cdptr.col, "give cd= or cdptr=, not both");
	if (st->ste.has_cdptr && st->ste.cdptr.kind == HV_NUM)
		st->ste.ste.s1ctxptr = st->ste.cdptr.num;
	if (smmuv3_ste_encode(&st->ste.ste, out))
		return ht_err(p, p->ln->tok[0].col, "this STE cannot be encoded (cdptr must be 64-byte aligned, below 2^52)");
	st->ste.ste.s1ctxptr = 0;
	return true;
}

/* ---- cd ---- */

#define CD_KEYS "v, asid, pgtable, ttb0, t0sz, tg0, ips, epd0, epd1, aa64, s, r, a, mair"

static bool cd_flag(const char *key, struct smmuv3_cd *cd, bool **f)
{
	static const struct {
		const char *key;
		size_t off;
	} flags[] = {
		{ "v", offsetof(struct smmuv3_cd, valid) },
		{ "epd0", offsetof(struct smmuv3_cd, epd0) },
		{ "epd1", offsetof(struct smmuv3_cd, epd1) },
		{ "aa64", offsetof(struct smmuv3_cd, aa64) },
		{ "s", offsetof(struct smmuv3_cd, s) },
		{ "r", offsetof(struct smmuv3_cd, r) },
		{ "a", offsetof(struct smmuv3_cd, a) },
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!strcmp(flags[i].key, key)) {
			*f = (bool *)((char *)cd + flags[i].off);
			return true;
		}
	}
	return false;
}

static bool cd_num_key(struct ht_parser *p, const char *key, const char *val,
		       unsigned kcol, unsigned col, struct smmuv3_cd *cd)
{
	uint64_t v = 0;
	bool ok;

	if (!strcmp(key, "asid")) {
		ok = ht_parse_u64(p, val, col, 0xffff, &v);
		cd->asid = v;
	} else if (!strcmp(key, "t0sz")) {
		ok = ht_parse_u64(p, val, col, 63, &v);
		cd->t0sz = v;
	} else if (!strcmp(key, "tg0")) {
		ok = ht_parse_enum(p, val, col, ht_cd_tg0_names, 3, &v);
		cd->tg0 = v;
	} else if (!strcmp(key, "ips")) {
		ok = ht_parse_u64(p, val, col, 7, &v);
		cd->ips = v;
	} else if (!strcmp(key, "mair")) {
		ok = ht_parse_u64(p, val, col, UINT64_MAX, &cd->mair);
	} else {
		return ht_key_unknown(p, key, kcol, CD_KEYS);
	}
	return ok;
}

static bool cd_key(struct ht_parser *p, const char *key, const char *val,
		   unsigned kcol, unsigned col, void *ctx)
{
	struct ht_stmt *st = p->st;
	bool *flag;

	if (cd_flag(key, &st->cd.cd, &flag))
		return ht_parse_flag(p, val, col, flag);
	if (!strcmp(key, "pgtable")) {
		struct ht_tok t = { (char *)val, col };

		return ht_obj_ref(p, &t, HT_KMASK(HT_PGTABLE), &st->cd.pt);
	}
	if (!strcmp(key, "ttb0")) {
		st->cd.has_ttb0 = true;
		return ht_parse_addr(p, val, col, &st->cd.ttb0);
	}
	return cd_num_key(p, key, val, kcol, col, &st->cd.cd);
}

/**
 * ht_parse_cd() - `cd NAME key=value...`: a context descriptor in memory.
 * The first `cd NAME` allocates it; a later one rewrites it in place.
 */
bool ht_parse_cd(struct ht_parser *p)
{
	struct ht_stmt *st = p->st;
	struct smmuv3_cd *cd = &st->cd.cd;
	uint64_t out[8];
	int idx;

	if (!ht_need(p, 1, "CD name"))
		return false;
	idx = ht_obj_find(p->sc, p->ln->tok[1].s);
	if (idx >= 0 && p->sc->objs[idx]->kind != HT_CD)
		return ht_obj_ref(p, &p->ln->tok[1], HT_KMASK(HT_CD), &idx);
	if (idx < 0) {
		if (!ht_obj_new(p, &p->ln->tok[1], HT_CD))
			return false;
		idx = p->sc->nobjs - 1;
	}
	st->obj = idx;
	st->cd.pt = -1;
	*cd = (struct smmuv3_cd){ .valid = true, .t0sz = 16, .tg0 = SMMUV3_CD_TG0_4K,
				  .ips = SMMUV3_IDR5_OAS_48_BIT, .epd1 = true, .aa64 = true,
				  .r = true, .a = true };
	if (!ht_kv_loop(p, 2, cd_key, NULL))
		return false;
	if (st->cd.pt >= 0 && st->cd.has_ttb0)
		return ht_err(p, st->cd.ttb0.col, "give pgtable= or ttb0=, not both");
	if (st->cd.has_ttb0 && st->cd.ttb0.kind == HV_NUM)
		cd->ttb0 = st->cd.ttb0.num;
	if (smmuv3_cd_encode(cd, out))
		return ht_err(p, p->ln->tok[0].col, "this CD cannot be encoded (ttb0 must be 16-byte aligned, below 2^52)");
	cd->ttb0 = 0;
	return true;
}

/* ---- memory ---- */

static bool pages_key(struct ht_parser *p, const char *key, const char *val,
		      unsigned kcol, unsigned col, void *ctx)
{
	uint64_t v = 0;

	if (strcmp(key, "pages"))
		return ht_key_unknown(p, key, kcol, "pages");
	if (!ht_parse_u64(p, val, col, 4096, &v))
		return false;
	if (!v)
		return ht_err(p, col, "pages must be at least 1");
	*(size_t *)ctx = v;
	return true;
}

/** ht_parse_alloc() - `alloc NAME [pages=N]`: zeroed pages of memory. */
bool ht_parse_alloc(struct ht_parser *p)
{
	struct ht_obj *o;

	if (!ht_need(p, 1, "buffer name"))
		return false;
	o = ht_obj_new(p, &p->ln->tok[1], HT_BUF);
	if (!o)
		return false;
	p->st->obj = p->sc->nobjs - 1;
	o->buf.pages = 1;
	return ht_kv_loop(p, 2, pages_key, &o->buf.pages);
}

/** ht_parse_free() - `free NAME`: give a buffer back to the allocator. */
bool ht_parse_free(struct ht_parser *p)
{
	if (!ht_obj_arg(p, 1, HT_KMASK(HT_BUF), "buffer name") || !ht_no_more(p, 2))
		return false;
	p->sc->objs[p->st->obj]->live = false;
	return true;
}

/** ht_parse_pgtable() - `pgtable NAME`: an empty L0 table. */
bool ht_parse_pgtable(struct ht_parser *p)
{
	if (!ht_need(p, 1, "page table name") || !ht_obj_new(p, &p->ln->tok[1], HT_PGTABLE))
		return false;
	p->st->obj = p->sc->nobjs - 1;
	return ht_no_more(p, 2);
}

static bool iova_ok(struct ht_parser *p, const char *val, unsigned col, uint64_t *iova)
{
	if (!ht_parse_u64(p, val, col, (1ULL << HW_PT_IA_BITS) - 1, iova))
		return false;
	if (*iova & ~HW_PAGE_MASK)
		return ht_err(p, col, "iova %s is not 4 KiB aligned", val);
	return true;
}

static bool parse_perm(struct ht_parser *p, const char *val, unsigned col, uint8_t *perm)
{
	*perm = 0;
	for (const char *c = val; *c; c++) {
		uint8_t bit = *c == 'r' ? HW_PERM_R : *c == 'w' ? HW_PERM_W :
			      *c == 'x' ? HW_PERM_X : 0;

		if (!bit || (*perm & bit))
			return ht_err(p, col, "invalid permissions '%s' (letters r, w, x, e.g. rw)", val);
		*perm |= bit;
	}
	if (!(*perm & HW_PERM_R))
		return ht_err(p, col, "permissions '%s' lack r (the page table format implies read)", val);
	return true;
}

struct map_ctx {
	bool has_iova, has_page;
};

static bool map_key(struct ht_parser *p, const char *key, const char *val,
		    unsigned kcol, unsigned col, void *ctx)
{
	struct map_ctx *x = ctx;
	struct ht_stmt *st = p->st;
	bool map = st->op == HT_OP_MAP;

	if (!strcmp(key, "iova")) {
		x->has_iova = true;
		return iova_ok(p, val, col, map ? &st->map.iova : &st->unmap.iova);
	}
	if (map && !strcmp(key, "page")) {
		x->has_page = true;
		if (!ht_parse_addr(p, val, col, &st->map.pa))
			return false;
		if (st->map.pa.kind == HV_NUM && (st->map.pa.num & ~HW_PAGE_MASK))
			return ht_err(p, col, "page %s is not 4 KiB aligned", val);
		return true;
	}
	if (map && !strcmp(key, "perm"))
		return parse_perm(p, val, col, &st->map.perm);
	return ht_key_unknown(p, key, kcol, map ? "iova, page, perm" : "iova");
}

/** ht_parse_map() - `map PT iova=A page=P [perm=rw]`, and `unmap PT iova=A`. */
bool ht_parse_map(struct ht_parser *p)
{
	struct map_ctx x = { 0 };

	if (!ht_obj_arg(p, 1, HT_KMASK(HT_PGTABLE), "page table name"))
		return false;
	p->st->map.perm = HW_PERM_R | HW_PERM_W;
	if (!ht_kv_loop(p, 2, map_key, &x))
		return false;
	if (!x.has_iova)
		return ht_err(p, p->ln->end_col, "missing iova=ADDRESS");
	if (p->st->op == HT_OP_MAP && !x.has_page)
		return ht_err(p, p->ln->end_col, "missing page=BUFFER (or page=ADDRESS)");
	return true;
}

/** ht_parse_unmap() - `unmap PT iova=A`. */
bool ht_parse_unmap(struct ht_parser *p)
{
	return ht_parse_map(p);
}

/* ---- devices ---- */

static bool dma_key(struct ht_parser *p, const char *key, const char *val,
		    unsigned kcol, unsigned col, void *ctx)
{
	struct ht_stmt *st = p->st;
	uint64_t v = 0;

	if (!strcmp(key, "value")) {
		if (!st->dma.write)
			return ht_err(p, kcol, "value= is for dma ... write");
		return ht_parse_value(p, val, col, -1, &st->dma.value);
	}
	if (!strcmp(key, "pasid")) {
		if (!ht_parse_u64(p, val, col, 0xfffff, &v))
			return false;
		st->dma.pasid_valid = true;
		st->dma.pasid = v;
		return true;
	}
	return ht_key_unknown(p, key, kcol, "value, pasid");
}

/** ht_parse_dma() - `dma DEV read|write IOVA [value=V] [pasid=N]`. */
bool ht_parse_dma(struct ht_parser *p)
{
	struct ht_stmt *st = p->st;
	const struct ht_tok *t;

	if (!ht_obj_arg(p, 1, HT_KMASK(HT_DEV), "device name") || !ht_need(p, 2, "read or write"))
		return false;
	t = &p->ln->tok[2];
	if (strcmp(t->s, "read") && strcmp(t->s, "write"))
		return ht_err(p, t->col, "expected read or write, got '%s'", t->s);
	st->dma.write = t->s[0] == 'w';
	st->dma.value.kind = HV_NUM;
	if (!ht_need(p, 3, "IOVA"))
		return false;
	t = &p->ln->tok[3];
	if (!ht_parse_value(p, t->s, t->col, -1, &st->dma.iova))
		return false;
	return ht_kv_loop(p, 4, dma_key, NULL);
}

/** ht_parse_flr() - `flr DEV`: initiate a Function Level Reset. */
bool ht_parse_flr(struct ht_parser *p)
{
	return ht_obj_arg(p, 1, HT_KMASK(HT_DEV), "device name") && ht_no_more(p, 2);
}

static bool feature(struct ht_parser *p, const struct ht_tok *t, const struct pcie_ep_config *c,
		    unsigned *what)
{
	static const struct {
		const char *name;
		unsigned bit;
	} feats[] = {
		{ "master", HT_EN_MASTER }, { "ats", HT_EN_ATS }, { "pri", HT_EN_PRI },
		{ "pasid", HT_EN_PASID },
	};
	bool has[] = { true, c->ats, c->pri, c->pasid };

	for (size_t i = 0; i < sizeof(feats) / sizeof(feats[0]); i++) {
		if (strcmp(feats[i].name, t->s))
			continue;
		if (!has[i])
			return ht_err(p, t->col, "device %s has no %s capability", c->name, t->s);
		*what |= feats[i].bit;
		return true;
	}
	return ht_err(p, t->col, "unknown feature '%s' (master, ats, pri, pasid)", t->s);
}

/**
 * ht_parse_enable() - `enable DEV FEATURE... [pri_alloc=N]` and
 * `disable DEV FEATURE...`; features master, ats, pri, pasid.
 */
bool ht_parse_enable(struct ht_parser *p)
{
	struct ht_stmt *st = p->st;
	const struct pcie_ep_config *c;
	uint64_t v = 0;

	if (!ht_obj_arg(p, 1, HT_KMASK(HT_DEV), "device name") ||
	    !ht_need(p, 2, "feature (master, ats, pri, pasid)"))
		return false;
	c = &p->sc->objs[st->obj]->dev.cfg;
	for (int i = 2; i < p->ln->ntok; i++) {
		const struct ht_tok *t = &p->ln->tok[i];
		char key[16];
		unsigned vcol;
		const char *val = ht_kv_split(t, key, sizeof(key), &vcol);

		if (!val) {
			if (!feature(p, t, c, &st->en.what))
				return false;
			continue;
		}
		if (strcmp(key, "pri_alloc") || st->op != HT_OP_ENABLE)
			return ht_err(p, t->col, "unknown key '%s' (enable takes pri_alloc=N)", key);
		if (!ht_parse_u64(p, val, vcol, 0xffffffffULL, &v))
			return false;
		st->en.has_alloc = true;
		st->en.pri_alloc = v;
	}
	return true;
}
