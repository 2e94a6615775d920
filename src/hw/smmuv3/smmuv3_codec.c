// SPDX-License-Identifier: MIT
/*
 * SMMUv3 record codec: commands, event records, PRI queue entries, STEs
 * and CDs to and from their architectural dword encodings. See
 * smmuv3_codec.h for the contract of every function.
 *
 * Pure code: constant tables only, no state, no scheduling points.
 */
#include "hw/smmuv3/smmuv3_codec.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#define CODEC_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Whether @val fits the field described by the contiguous @mask. */
static inline bool field_fits(uint64_t mask, uint64_t val)
{
	return val <= (mask >> __builtin_ctzll(mask));
}

/* Whether a full byte address can be stored in the address field @mask. */
static inline bool addr_fits(uint64_t mask, uint64_t addr)
{
	return !(addr & ~mask);
}

void smmuv3_caps_from_idr(struct smmuv3_caps *caps, uint32_t idr0,
			  uint32_t idr1, uint32_t idr5)
{
	memset(caps, 0, sizeof(*caps));
	caps->s1p = idr0 & SMMUV3_IDR0_S1P;
	caps->s2p = idr0 & SMMUV3_IDR0_S2P;
	caps->ats = idr0 & SMMUV3_IDR0_ATS;
	caps->pri = idr0 & SMMUV3_IDR0_PRI;
	caps->cd2l = idr0 & SMMUV3_IDR0_CD2L;
	caps->stall_model = FIELD_GET(SMMUV3_IDR0_STALL_MODEL, idr0);
	caps->ttf = FIELD_GET(SMMUV3_IDR0_TTF, idr0);
	caps->ssid_bits = FIELD_GET(SMMUV3_IDR1_SSIDSIZE, idr1);
	caps->gran4k = idr5 & SMMUV3_IDR5_GRAN4K;
	caps->gran16k = idr5 & SMMUV3_IDR5_GRAN16K;
	caps->gran64k = idr5 & SMMUV3_IDR5_GRAN64K;
	caps->vax52 = FIELD_GET(SMMUV3_IDR5_VAX, idr5) ==
		      SMMUV3_IDR5_VAX_52_BIT;
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

enum cmd_family {
	FAM_PREFETCH,
	FAM_CFGI,
	FAM_TLBI,
	FAM_ATC_INV,
	FAM_PRI_RESP,
	FAM_RESUME,
	FAM_SYNC,
};

/*
 * One modelled opcode: its family (which union member and field layout)
 * and the bits the architecture defines in each dword.
 */
struct cmd_desc {
	uint8_t opcode;
	uint8_t family;
	const char *name;
	uint64_t def0;
	uint64_t def1;
};

#define CMD_DESC(op, fam)						\
	{ SMMUV3_CMD_##op, fam, #op,					\
	  SMMUV3_CMD_##op##_DEF0, SMMUV3_CMD_##op##_DEF1 }

static const struct cmd_desc cmd_descs[] = {
	CMD_DESC(PREFETCH_CFG, FAM_PREFETCH),
	CMD_DESC(CFGI_STE, FAM_CFGI),
	CMD_DESC(CFGI_STE_RANGE, FAM_CFGI),
	CMD_DESC(CFGI_CD, FAM_CFGI),
	CMD_DESC(CFGI_CD_ALL, FAM_CFGI),
	CMD_DESC(TLBI_NH_ALL, FAM_TLBI),
	CMD_DESC(TLBI_NH_ASID, FAM_TLBI),
	CMD_DESC(TLBI_NH_VA, FAM_TLBI),
	CMD_DESC(TLBI_NH_VAA, FAM_TLBI),
	CMD_DESC(TLBI_EL2_ALL, FAM_TLBI),
	CMD_DESC(TLBI_EL2_ASID, FAM_TLBI),
	CMD_DESC(TLBI_EL2_VA, FAM_TLBI),
	CMD_DESC(TLBI_S12_VMALL, FAM_TLBI),
	CMD_DESC(TLBI_S2_IPA, FAM_TLBI),
	CMD_DESC(TLBI_NSNH_ALL, FAM_TLBI),
	CMD_DESC(ATC_INV, FAM_ATC_INV),
	CMD_DESC(PRI_RESP, FAM_PRI_RESP),
	CMD_DESC(RESUME, FAM_RESUME),
	{ SMMUV3_CMD_SYNC, FAM_SYNC, "CMD_SYNC",
	  SMMUV3_CMD_SYNC_DEF0, SMMUV3_CMD_SYNC_DEF1 },
};

static const struct cmd_desc *cmd_desc_find(unsigned int opcode)
{
	for (size_t i = 0; i < CODEC_ARRAY_SIZE(cmd_descs); i++)
		if (cmd_descs[i].opcode == opcode)
			return &cmd_descs[i];
	return NULL;
}

/* Each encoder fills d[0] (without the opcode) and d[1]. */
static int enc_prefetch(const struct smmuv3_cmd *c, uint64_t d[2])
{
	if (!field_fits(SMMUV3_CMD_PREFETCH_0_SSID, c->prefetch.ssid))
		return -EINVAL;
	d[0] = FIELD_PREP(SMMUV3_CMD_0_SSV, c->prefetch.ssv) |
	       FIELD_PREP(SMMUV3_CMD_PREFETCH_0_SSID, c->prefetch.ssid) |
	       FIELD_PREP(SMMUV3_CMD_PREFETCH_0_SID, c->prefetch.sid);
	return 0;
}

static int enc_cfgi(const struct smmuv3_cmd *c, uint64_t d[2])
{
	bool is_range = c->opcode == SMMUV3_CMD_CFGI_STE_RANGE;

	/* LEAF and RANGE share bit 0: a command carries only one of them. */
	if (is_range ? c->cfgi.leaf : c->cfgi.range)
		return -EINVAL;
	if (!field_fits(SMMUV3_CMD_CFGI_0_SSID, c->cfgi.ssid) ||
	    !field_fits(SMMUV3_CMD_CFGI_1_RANGE, c->cfgi.range))
		return -EINVAL;
	d[0] = FIELD_PREP(SMMUV3_CMD_CFGI_0_SSID, c->cfgi.ssid) |
	       FIELD_PREP(SMMUV3_CMD_CFGI_0_SID, c->cfgi.sid);
	d[1] = is_range ? FIELD_PREP(SMMUV3_CMD_CFGI_1_RANGE, c->cfgi.range) :
			  FIELD_PREP(SMMUV3_CMD_CFGI_1_LEAF, c->cfgi.leaf);
	return 0;
}

static int enc_tlbi(const struct smmuv3_cmd *c, uint64_t d[2])
{
	if (!field_fits(SMMUV3_CMD_TLBI_0_NUM, c->tlbi.num) ||
	    !field_fits(SMMUV3_CMD_TLBI_0_SCALE, c->tlbi.scale) ||
	    !field_fits(SMMUV3_CMD_TLBI_1_TTL, c->tlbi.ttl) ||
	    !field_fits(SMMUV3_CMD_TLBI_1_TG, c->tlbi.tg) ||
	    !addr_fits(SMMUV3_CMD_TLBI_1_VA, c->tlbi.addr))
		return -EINVAL;
	d[0] = FIELD_PREP(SMMUV3_CMD_TLBI_0_NUM, c->tlbi.num) |
	       FIELD_PREP(SMMUV3_CMD_TLBI_0_SCALE, c->tlbi.scale) |
	       FIELD_PREP(SMMUV3_CMD_TLBI_0_VMID, c->tlbi.vmid) |
	       FIELD_PREP(SMMUV3_CMD_TLBI_0_ASID, c->tlbi.asid);
	d[1] = FIELD_PREP(SMMUV3_CMD_TLBI_1_LEAF, c->tlbi.leaf) |
	       FIELD_PREP(SMMUV3_CMD_TLBI_1_TTL, c->tlbi.ttl) |
	       FIELD_PREP(SMMUV3_CMD_TLBI_1_TG, c->tlbi.tg) |
	       c->tlbi.addr;
	return 0;
}

static int enc_atc_inv(const struct smmuv3_cmd *c, uint64_t d[2])
{
	if (!field_fits(SMMUV3_CMD_ATC_0_SSID, c->atc_inv.ssid) ||
	    !field_fits(SMMUV3_CMD_ATC_1_SIZE, c->atc_inv.size) ||
	    !addr_fits(SMMUV3_CMD_ATC_1_ADDR, c->atc_inv.addr))
		return -EINVAL;
	d[0] = FIELD_PREP(SMMUV3_CMD_0_SSV, c->atc_inv.ssv) |
	       FIELD_PREP(SMMUV3_CMD_ATC_0_GLOBAL, c->atc_inv.global) |
	       FIELD_PREP(SMMUV3_CMD_ATC_0_SSID, c->atc_inv.ssid) |
	       FIELD_PREP(SMMUV3_CMD_ATC_0_SID, c->atc_inv.sid);
	d[1] = FIELD_PREP(SMMUV3_CMD_ATC_1_SIZE, c->atc_inv.size) |
	       c->atc_inv.addr;
	return 0;
}

static int enc_pri_resp(const struct smmuv3_cmd *c, uint64_t d[2])
{
	if (!field_fits(SMMUV3_CMD_PRI_0_SSID, c->pri_resp.ssid) ||
	    !field_fits(SMMUV3_CMD_PRI_1_GRPID, c->pri_resp.grpid) ||
	    !field_fits(SMMUV3_CMD_PRI_1_RESP, c->pri_resp.resp))
		return -EINVAL;
	d[0] = FIELD_PREP(SMMUV3_CMD_0_SSV, c->pri_resp.ssv) |
	       FIELD_PREP(SMMUV3_CMD_PRI_0_SSID, c->pri_resp.ssid) |
	       FIELD_PREP(SMMUV3_CMD_PRI_0_SID, c->pri_resp.sid);
	d[1] = FIELD_PREP(SMMUV3_CMD_PRI_1_GRPID, c->pri_resp.grpid) |
	       FIELD_PREP(SMMUV3_CMD_PRI_1_RESP, c->pri_resp.resp);
	return 0;
}

static int enc_resume(const struct smmuv3_cmd *c, uint64_t d[2])
{
	if (!field_fits(SMMUV3_CMD_RESUME_0_RESP, c->resume.resp))
		return -EINVAL;
	d[0] = FIELD_PREP(SMMUV3_CMD_RESUME_0_RESP, c->resume.resp) |
	       FIELD_PREP(SMMUV3_CMD_RESUME_0_SID, c->resume.sid);
	d[1] = FIELD_PREP(SMMUV3_CMD_RESUME_1_STAG, c->resume.stag);
	return 0;
}

static int enc_sync(const struct smmuv3_cmd *c, uint64_t d[2])
{
	if (!field_fits(SMMUV3_CMD_SYNC_0_CS, c->sync.cs) ||
	    !field_fits(SMMUV3_CMD_SYNC_0_MSH, c->sync.msh) ||
	    !field_fits(SMMUV3_CMD_SYNC_0_MSIATTR, c->sync.msiattr) ||
	    !addr_fits(SMMUV3_CMD_SYNC_1_MSIADDR, c->sync.msiaddr))
		return -EINVAL;
	d[0] = FIELD_PREP(SMMUV3_CMD_SYNC_0_CS, c->sync.cs) |
	       FIELD_PREP(SMMUV3_CMD_SYNC_0_MSH, c->sync.msh) |
	       FIELD_PREP(SMMUV3_CMD_SYNC_0_MSIATTR, c->sync.msiattr) |
	       FIELD_PREP(SMMUV3_CMD_SYNC_0_MSIDATA, c->sync.msidata);
	d[1] = c->sync.msiaddr;
	return 0;
}

static int enc_family(const struct cmd_desc *desc,
		      const struct smmuv3_cmd *c, uint64_t d[2])
{
	switch (desc->family) {
	case FAM_PREFETCH:
		return enc_prefetch(c, d);
	case FAM_CFGI:
		return enc_cfgi(c, d);
	case FAM_TLBI:
		return enc_tlbi(c, d);
	case FAM_ATC_INV:
		return enc_atc_inv(c, d);
	case FAM_PRI_RESP:
		return enc_pri_resp(c, d);
	case FAM_RESUME:
		return enc_resume(c, d);
	case FAM_SYNC:
		return enc_sync(c, d);
	}
	return -EINVAL;
}

int smmuv3_cmd_encode(const struct smmuv3_cmd *cmd, uint64_t out[2])
{
	const struct cmd_desc *desc;
	uint64_t d[2] = { 0, 0 };
	int ret;

	if (!out)
		return -EINVAL;
	out[0] = 0;
	out[1] = 0;
	if (!cmd)
		return -EINVAL;
	desc = cmd_desc_find(cmd->opcode);
	if (!desc)
		return -EINVAL;
	ret = enc_family(desc, cmd, d);
	if (ret)
		return ret;
	d[0] |= FIELD_PREP(SMMUV3_CMD_0_OP, cmd->opcode);
	/*
	 * A value in a field this opcode does not define (an ASID on
	 * TLBI_S12_VMALL, an IPA above bit 51) cannot be represented.
	 */
	if ((d[0] & ~desc->def0) || (d[1] & ~desc->def1))
		return -EINVAL;
	out[0] = d[0];
	out[1] = d[1];
	return 0;
}

/* Each decoder fills its union member; it returns the CERROR it finds. */
static int dec_prefetch(const uint64_t d[2], struct smmuv3_cmd *c)
{
	c->prefetch.ssv = FIELD_GET(SMMUV3_CMD_0_SSV, d[0]);
	c->prefetch.ssid = FIELD_GET(SMMUV3_CMD_PREFETCH_0_SSID, d[0]);
	c->prefetch.sid = FIELD_GET(SMMUV3_CMD_PREFETCH_0_SID, d[0]);
	return SMMUV3_CERROR_NONE;
}

static int dec_cfgi(const uint64_t d[2], struct smmuv3_cmd *c)
{
	c->cfgi.ssid = FIELD_GET(SMMUV3_CMD_CFGI_0_SSID, d[0]);
	c->cfgi.sid = FIELD_GET(SMMUV3_CMD_CFGI_0_SID, d[0]);
	if (c->opcode == SMMUV3_CMD_CFGI_STE_RANGE)
		c->cfgi.range = FIELD_GET(SMMUV3_CMD_CFGI_1_RANGE, d[1]);
	else
		c->cfgi.leaf = FIELD_GET(SMMUV3_CMD_CFGI_1_LEAF, d[1]);
	return SMMUV3_CERROR_NONE;
}

static int dec_tlbi(const uint64_t d[2], struct smmuv3_cmd *c)
{
	c->tlbi.num = FIELD_GET(SMMUV3_CMD_TLBI_0_NUM, d[0]);
	c->tlbi.scale = FIELD_GET(SMMUV3_CMD_TLBI_0_SCALE, d[0]);
	c->tlbi.vmid = FIELD_GET(SMMUV3_CMD_TLBI_0_VMID, d[0]);
	c->tlbi.asid = FIELD_GET(SMMUV3_CMD_TLBI_0_ASID, d[0]);
	c->tlbi.leaf = FIELD_GET(SMMUV3_CMD_TLBI_1_LEAF, d[1]);
	c->tlbi.ttl = FIELD_GET(SMMUV3_CMD_TLBI_1_TTL, d[1]);
	c->tlbi.tg = FIELD_GET(SMMUV3_CMD_TLBI_1_TG, d[1]);
	c->tlbi.addr = d[1] & SMMUV3_CMD_TLBI_1_VA;
	return SMMUV3_CERROR_NONE;
}

static int dec_atc_inv(const uint64_t d[2], struct smmuv3_cmd *c)
{
	c->atc_inv.ssv = FIELD_GET(SMMUV3_CMD_0_SSV, d[0]);
	c->atc_inv.global = FIELD_GET(SMMUV3_CMD_ATC_0_GLOBAL, d[0]);
	c->atc_inv.ssid = FIELD_GET(SMMUV3_CMD_ATC_0_SSID, d[0]);
	c->atc_inv.sid = FIELD_GET(SMMUV3_CMD_ATC_0_SID, d[0]);
	c->atc_inv.size = FIELD_GET(SMMUV3_CMD_ATC_1_SIZE, d[1]);
	c->atc_inv.addr = d[1] & SMMUV3_CMD_ATC_1_ADDR;
	/* Architecture: Size > 52 is reserved. */
	if (c->atc_inv.size > SMMUV3_ATC_INV_SIZE_ALL)
		return SMMUV3_CERROR_ILL;
	return SMMUV3_CERROR_NONE;
}

static int dec_pri_resp(const uint64_t d[2], struct smmuv3_cmd *c)
{
	c->pri_resp.ssv = FIELD_GET(SMMUV3_CMD_0_SSV, d[0]);
	c->pri_resp.ssid = FIELD_GET(SMMUV3_CMD_PRI_0_SSID, d[0]);
	c->pri_resp.sid = FIELD_GET(SMMUV3_CMD_PRI_0_SID, d[0]);
	c->pri_resp.grpid = FIELD_GET(SMMUV3_CMD_PRI_1_GRPID, d[1]);
	c->pri_resp.resp = FIELD_GET(SMMUV3_CMD_PRI_1_RESP, d[1]);
	/* Architecture: Resp = 0b11 is reserved. */
	if (c->pri_resp.resp > SMMUV3_PRI_RESP_SUCC)
		return SMMUV3_CERROR_ILL;
	return SMMUV3_CERROR_NONE;
}

static int dec_resume(const uint64_t d[2], struct smmuv3_cmd *c)
{
	c->resume.sid = FIELD_GET(SMMUV3_CMD_RESUME_0_SID, d[0]);
	c->resume.resp = FIELD_GET(SMMUV3_CMD_RESUME_0_RESP, d[0]);
	c->resume.stag = FIELD_GET(SMMUV3_CMD_RESUME_1_STAG, d[1]);
	/* Ac (bit 12) set means retry; AB (bit 13) is then ignored. */
	if (c->resume.resp & SMMUV3_RESUME_RETRY)
		c->resume.resp = SMMUV3_RESUME_RETRY;
	return SMMUV3_CERROR_NONE;
}

static int dec_sync(const uint64_t d[2], struct smmuv3_cmd *c)
{
	c->sync.cs = FIELD_GET(SMMUV3_CMD_SYNC_0_CS, d[0]);
	c->sync.msh = FIELD_GET(SMMUV3_CMD_SYNC_0_MSH, d[0]);
	c->sync.msiattr = FIELD_GET(SMMUV3_CMD_SYNC_0_MSIATTR, d[0]);
	c->sync.msidata = FIELD_GET(SMMUV3_CMD_SYNC_0_MSIDATA, d[0]);
	c->sync.msiaddr = d[1] & SMMUV3_CMD_SYNC_1_MSIADDR;
	/* Architecture: CS = 0b11 is reserved. */
	if (c->sync.cs > SMMUV3_CMD_SYNC_CS_SEV)
		return SMMUV3_CERROR_ILL;
	return SMMUV3_CERROR_NONE;
}

static int dec_family(const struct cmd_desc *desc, const uint64_t d[2],
		      struct smmuv3_cmd *c)
{
	switch (desc->family) {
	case FAM_PREFETCH:
		return dec_prefetch(d, c);
	case FAM_CFGI:
		return dec_cfgi(d, c);
	case FAM_TLBI:
		return dec_tlbi(d, c);
	case FAM_ATC_INV:
		return dec_atc_inv(d, c);
	case FAM_PRI_RESP:
		return dec_pri_resp(d, c);
	case FAM_RESUME:
		return dec_resume(d, c);
	case FAM_SYNC:
		return dec_sync(d, c);
	}
	return SMMUV3_CERROR_ILL;
}

int smmuv3_cmd_decode(const uint64_t in[2], struct smmuv3_cmd *cmd,
		      bool ats_supported, bool pri_supported)
{
	const struct cmd_desc *desc;
	int cerror;

	if (!cmd)
		return SMMUV3_CERROR_ILL;
	memset(cmd, 0, sizeof(*cmd));
	if (!in)
		return SMMUV3_CERROR_ILL;
	cmd->opcode = FIELD_GET(SMMUV3_CMD_0_OP, in[0]);
	desc = cmd_desc_find(cmd->opcode);
	if (!desc)
		return SMMUV3_CERROR_ILL;	/* unknown opcode */

	cerror = dec_family(desc, in, cmd);

	/* Strict RES0 reading (see the header): undefined bits are illegal. */
	if ((in[0] & ~desc->def0) || (in[1] & ~desc->def1))
		return SMMUV3_CERROR_ILL;
	/* Architecture: ATS and PRI commands need IDR0.ATS / IDR0.PRI. */
	if (desc->family == FAM_ATC_INV && !ats_supported)
		return SMMUV3_CERROR_ILL;
	if (desc->family == FAM_PRI_RESP && !pri_supported)
		return SMMUV3_CERROR_ILL;
	return cerror;
}

/* ------------------------------------------------------------------ */
/* Event records                                                       */
/* ------------------------------------------------------------------ */

bool smmuv3_event_has_fetch_addr(unsigned int id)
{
	switch (id) {
	case SMMUV3_EVT_F_STE_FETCH:
	case SMMUV3_EVT_F_CD_FETCH:
	case SMMUV3_EVT_F_VMS_FETCH:
	case SMMUV3_EVT_F_WALK_EABT:
		return true;
	default:
		return false;
	}
}

static int event_dword3(const struct smmuv3_event *evt, uint64_t *d3)
{
	if (smmuv3_event_has_fetch_addr(evt->id)) {
		if (evt->ipa ||
		    !addr_fits(SMMUV3_EVT3_FETCH_ADDR, evt->fetch_addr))
			return -EINVAL;
		*d3 = evt->fetch_addr;
		return 0;
	}
	if (evt->fetch_addr || !addr_fits(SMMUV3_EVT3_IPA, evt->ipa))
		return -EINVAL;
	*d3 = evt->ipa;
	return 0;
}

int smmuv3_event_encode(const struct smmuv3_event *evt, uint64_t out[4])
{
	uint64_t d3;

	if (!out)
		return -EINVAL;
	memset(out, 0, 4 * sizeof(out[0]));
	if (!evt || !field_fits(SMMUV3_EVT0_SSID, evt->ssid) ||
	    !field_fits(SMMUV3_EVT1_CLASS, evt->class) ||
	    event_dword3(evt, &d3))
		return -EINVAL;

	out[0] = FIELD_PREP(SMMUV3_EVT0_ID, evt->id) |
		 FIELD_PREP(SMMUV3_EVT0_SSV, evt->ssv) |
		 FIELD_PREP(SMMUV3_EVT0_SSID, evt->ssid) |
		 FIELD_PREP(SMMUV3_EVT0_SID, evt->sid);
	out[1] = FIELD_PREP(SMMUV3_EVT1_STAG, evt->stag) |
		 FIELD_PREP(SMMUV3_EVT1_STALL, evt->stall) |
		 FIELD_PREP(SMMUV3_EVT1_PnU, evt->priv) |
		 FIELD_PREP(SMMUV3_EVT1_InD, evt->inst) |
		 FIELD_PREP(SMMUV3_EVT1_RnW, evt->read) |
		 FIELD_PREP(SMMUV3_EVT1_S2, evt->s2) |
		 FIELD_PREP(SMMUV3_EVT1_CLASS, evt->class) |
		 FIELD_PREP(SMMUV3_EVT1_TTRnW, evt->ttrnw);
	out[2] = evt->addr;
	out[3] = d3;
	return 0;
}

void smmuv3_event_decode(const uint64_t in[4], struct smmuv3_event *evt)
{
	memset(evt, 0, sizeof(*evt));
	evt->id = FIELD_GET(SMMUV3_EVT0_ID, in[0]);
	evt->ssv = FIELD_GET(SMMUV3_EVT0_SSV, in[0]);
	evt->ssid = FIELD_GET(SMMUV3_EVT0_SSID, in[0]);
	evt->sid = FIELD_GET(SMMUV3_EVT0_SID, in[0]);
	evt->stag = FIELD_GET(SMMUV3_EVT1_STAG, in[1]);
	evt->stall = FIELD_GET(SMMUV3_EVT1_STALL, in[1]);
	evt->priv = FIELD_GET(SMMUV3_EVT1_PnU, in[1]);
	evt->inst = FIELD_GET(SMMUV3_EVT1_InD, in[1]);
	evt->read = FIELD_GET(SMMUV3_EVT1_RnW, in[1]);
	evt->s2 = FIELD_GET(SMMUV3_EVT1_S2, in[1]);
	evt->class = FIELD_GET(SMMUV3_EVT1_CLASS, in[1]);
	evt->ttrnw = FIELD_GET(SMMUV3_EVT1_TTRnW, in[1]);
	evt->addr = in[2];
	if (smmuv3_event_has_fetch_addr(evt->id))
		evt->fetch_addr = in[3] & SMMUV3_EVT3_FETCH_ADDR;
	else
		evt->ipa = in[3] & SMMUV3_EVT3_IPA;
}

/* ------------------------------------------------------------------ */
/* PRI queue entries                                                   */
/* ------------------------------------------------------------------ */

int smmuv3_pri_encode(const struct smmuv3_pri_entry *pri, uint64_t out[2])
{
	if (!out)
		return -EINVAL;
	out[0] = 0;
	out[1] = 0;
	if (!pri || !field_fits(SMMUV3_PRIQ0_SSID, pri->ssid) ||
	    !field_fits(SMMUV3_PRIQ1_PRG_IDX, pri->prg_idx) ||
	    !addr_fits(SMMUV3_PRIQ1_ADDR, pri->addr))
		return -EINVAL;

	out[0] = FIELD_PREP(SMMUV3_PRIQ0_SID, pri->sid) |
		 FIELD_PREP(SMMUV3_PRIQ0_SSID, pri->ssid) |
		 FIELD_PREP(SMMUV3_PRIQ0_PERM_PRIV, pri->priv) |
		 FIELD_PREP(SMMUV3_PRIQ0_PERM_EXEC, pri->exec) |
		 FIELD_PREP(SMMUV3_PRIQ0_PERM_READ, pri->read) |
		 FIELD_PREP(SMMUV3_PRIQ0_PERM_WRITE, pri->write) |
		 FIELD_PREP(SMMUV3_PRIQ0_PRG_LAST, pri->last) |
		 FIELD_PREP(SMMUV3_PRIQ0_SSV, pri->ssv);
	out[1] = FIELD_PREP(SMMUV3_PRIQ1_PRG_IDX, pri->prg_idx) | pri->addr;
	return 0;
}

void smmuv3_pri_decode(const uint64_t in[2], struct smmuv3_pri_entry *pri)
{
	memset(pri, 0, sizeof(*pri));
	pri->sid = FIELD_GET(SMMUV3_PRIQ0_SID, in[0]);
	pri->ssid = FIELD_GET(SMMUV3_PRIQ0_SSID, in[0]);
	pri->priv = FIELD_GET(SMMUV3_PRIQ0_PERM_PRIV, in[0]);
	pri->exec = FIELD_GET(SMMUV3_PRIQ0_PERM_EXEC, in[0]);
	pri->read = FIELD_GET(SMMUV3_PRIQ0_PERM_READ, in[0]);
	pri->write = FIELD_GET(SMMUV3_PRIQ0_PERM_WRITE, in[0]);
	pri->last = FIELD_GET(SMMUV3_PRIQ0_PRG_LAST, in[0]);
	pri->ssv = FIELD_GET(SMMUV3_PRIQ0_SSV, in[0]);
	pri->prg_idx = FIELD_GET(SMMUV3_PRIQ1_PRG_IDX, in[1]);
	pri->addr = in[1] & SMMUV3_PRIQ1_ADDR;
}

/* ------------------------------------------------------------------ */
/* Stream Table Entries                                                */
/* ------------------------------------------------------------------ */

static bool ste_fits(const struct smmuv3_ste *ste)
{
	return field_fits(SMMUV3_STE0_CONFIG, ste->config) &&
	       field_fits(SMMUV3_STE0_S1FMT, ste->s1fmt) &&
	       field_fits(SMMUV3_STE0_S1CDMAX, ste->s1cdmax) &&
	       field_fits(SMMUV3_STE1_S1DSS, ste->s1dss) &&
	       field_fits(SMMUV3_STE1_EATS, ste->eats) &&
	       field_fits(SMMUV3_STE1_STRW, ste->strw) &&
	       field_fits(SMMUV3_STE1_SHCFG, ste->shcfg) &&
	       addr_fits(SMMUV3_STE0_S1CTXPTR, ste->s1ctxptr) &&
	       addr_fits(SMMUV3_STE3_S2TTB, ste->s2ttb);
}

int smmuv3_ste_encode(const struct smmuv3_ste *ste, uint64_t out[8])
{
	if (!out)
		return -EINVAL;
	memset(out, 0, SMMUV3_STE_DWORDS * sizeof(out[0]));
	if (!ste || !ste_fits(ste))
		return -EINVAL;

	out[0] = FIELD_PREP(SMMUV3_STE0_V, ste->valid) |
		 FIELD_PREP(SMMUV3_STE0_CONFIG, ste->config) |
		 FIELD_PREP(SMMUV3_STE0_S1FMT, ste->s1fmt) |
		 ste->s1ctxptr |
		 FIELD_PREP(SMMUV3_STE0_S1CDMAX, ste->s1cdmax);
	out[1] = FIELD_PREP(SMMUV3_STE1_S1DSS, ste->s1dss) |
		 FIELD_PREP(SMMUV3_STE1_S1STALLD, ste->s1stalld) |
		 FIELD_PREP(SMMUV3_STE1_EATS, ste->eats) |
		 FIELD_PREP(SMMUV3_STE1_STRW, ste->strw) |
		 FIELD_PREP(SMMUV3_STE1_SHCFG, ste->shcfg);
	out[2] = FIELD_PREP(SMMUV3_STE2_S2VMID, ste->s2vmid);
	out[3] = ste->s2ttb;
	return 0;
}

void smmuv3_ste_decode(const uint64_t in[8], struct smmuv3_ste *ste)
{
	memset(ste, 0, sizeof(*ste));
	ste->valid = FIELD_GET(SMMUV3_STE0_V, in[0]);
	ste->config = FIELD_GET(SMMUV3_STE0_CONFIG, in[0]);
	ste->s1fmt = FIELD_GET(SMMUV3_STE0_S1FMT, in[0]);
	ste->s1ctxptr = in[0] & SMMUV3_STE0_S1CTXPTR;
	ste->s1cdmax = FIELD_GET(SMMUV3_STE0_S1CDMAX, in[0]);
	ste->s1dss = FIELD_GET(SMMUV3_STE1_S1DSS, in[1]);
	ste->s1stalld = FIELD_GET(SMMUV3_STE1_S1STALLD, in[1]);
	ste->eats = FIELD_GET(SMMUV3_STE1_EATS, in[1]);
	ste->strw = FIELD_GET(SMMUV3_STE1_STRW, in[1]);
	ste->shcfg = FIELD_GET(SMMUV3_STE1_SHCFG, in[1]);
	ste->s2vmid = FIELD_GET(SMMUV3_STE2_S2VMID, in[2]);
	ste->s2ttb = in[3] & SMMUV3_STE3_S2TTB;
}

/* Config bit 0 enables stage 1, bit 1 stage 2 (bit 2: not abort). */
static bool ste_s1_enabled(const struct smmuv3_ste *ste)
{
	return ste->config == SMMUV3_STE_CONFIG_S1_TRANS ||
	       ste->config == SMMUV3_STE_CONFIG_NESTED;
}

static bool ste_s2_enabled(const struct smmuv3_ste *ste)
{
	return ste->config == SMMUV3_STE_CONFIG_S2_TRANS ||
	       ste->config == SMMUV3_STE_CONFIG_NESTED;
}

static enum smmuv3_ste_verdict ste_check_s1(const struct smmuv3_ste *ste,
					    const struct smmuv3_caps *caps)
{
	if (ste->s1cdmax > caps->ssid_bits)
		return SMMUV3_STE_BAD_S1CDMAX;
	if (!ste->s1cdmax)
		return SMMUV3_STE_OK;	/* one CD: S1Fmt, S1DSS unused */
	if (ste->s1fmt > SMMUV3_STE_S1FMT_64K_L2 ||
	    (ste->s1fmt != SMMUV3_STE_S1FMT_LINEAR && !caps->cd2l))
		return SMMUV3_STE_BAD_S1FMT;
	if (ste->s1dss > SMMUV3_STE_S1DSS_SSID0)
		return SMMUV3_STE_BAD_S1DSS;
	return SMMUV3_STE_OK;
}

static enum smmuv3_ste_verdict ste_check_eats(const struct smmuv3_ste *ste,
					      const struct smmuv3_caps *caps)
{
	if (ste->eats > SMMUV3_STE_EATS_S1CHK)
		return SMMUV3_STE_BAD_EATS;
	if (ste->eats == SMMUV3_STE_EATS_S1CHK &&
	    ste->config != SMMUV3_STE_CONFIG_NESTED)
		return SMMUV3_STE_BAD_EATS;
	if (ste->eats && !caps->ats)	/* strict model choice */
		return SMMUV3_STE_BAD_EATS;
	return SMMUV3_STE_OK;
}

enum smmuv3_ste_verdict smmuv3_ste_check(const struct smmuv3_ste *ste,
					 const struct smmuv3_caps *caps)
{
	enum smmuv3_ste_verdict v;

	if (!ste || !caps || !ste->valid)
		return SMMUV3_STE_INVALID;
	if (ste->config > SMMUV3_STE_CONFIG_NESTED ||
	    (ste->config != SMMUV3_STE_CONFIG_ABORT &&
	     ste->config < SMMUV3_STE_CONFIG_BYPASS))
		return SMMUV3_STE_BAD_CONFIG;
	if (ste->config == SMMUV3_STE_CONFIG_ABORT)
		return SMMUV3_STE_OK;
	if ((ste_s1_enabled(ste) && !caps->s1p) ||
	    (ste_s2_enabled(ste) && !caps->s2p))
		return SMMUV3_STE_BAD_STAGE;
	if (ste_s1_enabled(ste)) {
		v = ste_check_s1(ste, caps);
		if (v != SMMUV3_STE_OK)
			return v;
	}
	v = ste_check_eats(ste, caps);
	if (v != SMMUV3_STE_OK)
		return v;
	if (ste_s1_enabled(ste) && ste->s1stalld &&
	    caps->stall_model == SMMUV3_IDR0_STALL_MODEL_FORCE)
		return SMMUV3_STE_BAD_S1STALLD;
	return SMMUV3_STE_OK;
}

static const char *const ste_verdict_names[] = {
	[SMMUV3_STE_OK]			= "OK",
	[SMMUV3_STE_INVALID]		= "INVALID",
	[SMMUV3_STE_BAD_CONFIG]		= "BAD_CONFIG",
	[SMMUV3_STE_BAD_STAGE]		= "BAD_STAGE",
	[SMMUV3_STE_BAD_S1CDMAX]	= "BAD_S1CDMAX",
	[SMMUV3_STE_BAD_S1FMT]		= "BAD_S1FMT",
	[SMMUV3_STE_BAD_S1DSS]		= "BAD_S1DSS",
	[SMMUV3_STE_BAD_EATS]		= "BAD_EATS",
	[SMMUV3_STE_BAD_S1STALLD]	= "BAD_S1STALLD",
};

const char *smmuv3_ste_verdict_name(enum smmuv3_ste_verdict v)
{
	if ((unsigned int)v >= CODEC_ARRAY_SIZE(ste_verdict_names))
		return NULL;
	return ste_verdict_names[v];
}

/* ------------------------------------------------------------------ */
/* Context Descriptors                                                 */
/* ------------------------------------------------------------------ */

int smmuv3_cd_encode(const struct smmuv3_cd *cd, uint64_t out[8])
{
	if (!out)
		return -EINVAL;
	memset(out, 0, SMMUV3_CD_DWORDS * sizeof(out[0]));
	if (!cd || !field_fits(SMMUV3_CD0_T0SZ, cd->t0sz) ||
	    !field_fits(SMMUV3_CD0_TG0, cd->tg0) ||
	    !field_fits(SMMUV3_CD0_IPS, cd->ips) ||
	    !addr_fits(SMMUV3_CD1_TTB0, cd->ttb0))
		return -EINVAL;

	out[0] = FIELD_PREP(SMMUV3_CD0_T0SZ, cd->t0sz) |
		 FIELD_PREP(SMMUV3_CD0_TG0, cd->tg0) |
		 FIELD_PREP(SMMUV3_CD0_EPD0, cd->epd0) |
		 FIELD_PREP(SMMUV3_CD0_EPD1, cd->epd1) |
		 FIELD_PREP(SMMUV3_CD0_V, cd->valid) |
		 FIELD_PREP(SMMUV3_CD0_IPS, cd->ips) |
		 FIELD_PREP(SMMUV3_CD0_AA64, cd->aa64) |
		 FIELD_PREP(SMMUV3_CD0_S, cd->s) |
		 FIELD_PREP(SMMUV3_CD0_R, cd->r) |
		 FIELD_PREP(SMMUV3_CD0_A, cd->a) |
		 FIELD_PREP(SMMUV3_CD0_ASID, cd->asid);
	out[1] = cd->ttb0;
	out[3] = cd->mair;
	return 0;
}

void smmuv3_cd_decode(const uint64_t in[8], struct smmuv3_cd *cd)
{
	memset(cd, 0, sizeof(*cd));
	cd->t0sz = FIELD_GET(SMMUV3_CD0_T0SZ, in[0]);
	cd->tg0 = FIELD_GET(SMMUV3_CD0_TG0, in[0]);
	cd->epd0 = FIELD_GET(SMMUV3_CD0_EPD0, in[0]);
	cd->epd1 = FIELD_GET(SMMUV3_CD0_EPD1, in[0]);
	cd->valid = FIELD_GET(SMMUV3_CD0_V, in[0]);
	cd->ips = FIELD_GET(SMMUV3_CD0_IPS, in[0]);
	cd->aa64 = FIELD_GET(SMMUV3_CD0_AA64, in[0]);
	cd->s = FIELD_GET(SMMUV3_CD0_S, in[0]);
	cd->r = FIELD_GET(SMMUV3_CD0_R, in[0]);
	cd->a = FIELD_GET(SMMUV3_CD0_A, in[0]);
	cd->asid = FIELD_GET(SMMUV3_CD0_ASID, in[0]);
	cd->ttb0 = in[1] & SMMUV3_CD1_TTB0;
	cd->mair = in[3];
}

static bool cd_granule_ok(const struct smmuv3_cd *cd,
			  const struct smmuv3_caps *caps)
{
	switch (cd->tg0) {
	case SMMUV3_CD_TG0_4K:
		return caps->gran4k;
	case SMMUV3_CD_TG0_16K:
		return caps->gran16k;
	case SMMUV3_CD_TG0_64K:
		return caps->gran64k;
	default:
		return false;	/* 0b11 reserved */
	}
}

#define CD_T0SZ_MIN		16	/* 48-bit input */
#define CD_T0SZ_MIN_VAX		12	/* 52-bit input with IDR5.VAX */
#define CD_T0SZ_MAX		39	/* 25-bit input */

static bool cd_t0sz_ok(const struct smmuv3_cd *cd,
		       const struct smmuv3_caps *caps)
{
	unsigned int min = caps->vax52 ? CD_T0SZ_MIN_VAX : CD_T0SZ_MIN;

	return cd->t0sz >= min && cd->t0sz <= CD_T0SZ_MAX;
}

static bool cd_format_ok(const struct smmuv3_cd *cd,
			 const struct smmuv3_caps *caps)
{
	/* TTF: bit 0 = AArch32 (LPAE) tables, bit 1 = AArch64 tables. */
	return cd->aa64 ? caps->ttf & SMMUV3_IDR0_TTF_AARCH64 :
			  caps->ttf & 1;
}

enum smmuv3_cd_verdict smmuv3_cd_check(const struct smmuv3_cd *cd,
				       const struct smmuv3_caps *caps,
				       bool ste_s1stalld)
{
	if (!cd || !caps || !cd->valid)
		return SMMUV3_CD_INVALID;
	if (!cd_format_ok(cd, caps))
		return SMMUV3_CD_BAD_AA64;
	if (!cd->epd0 && !cd_granule_ok(cd, caps))
		return SMMUV3_CD_BAD_TG0;
	if (!cd->epd0 && cd->aa64 && !cd_t0sz_ok(cd, caps))
		return SMMUV3_CD_BAD_T0SZ;
	if (cd->s && ste_s1stalld)
		return SMMUV3_CD_BAD_STALL;
	if (cd->s && caps->stall_model == SMMUV3_IDR0_STALL_MODEL_NONE)
		return SMMUV3_CD_BAD_STALL;	/* strict model choice */
	return SMMUV3_CD_OK;
}

static const char *const cd_verdict_names[] = {
	[SMMUV3_CD_OK]		= "OK",
	[SMMUV3_CD_INVALID]	= "INVALID",
	[SMMUV3_CD_BAD_AA64]	= "BAD_AA64",
	[SMMUV3_CD_BAD_TG0]	= "BAD_TG0",
	[SMMUV3_CD_BAD_T0SZ]	= "BAD_T0SZ",
	[SMMUV3_CD_BAD_STALL]	= "BAD_STALL",
};

const char *smmuv3_cd_verdict_name(enum smmuv3_cd_verdict v)
{
	if ((unsigned int)v >= CODEC_ARRAY_SIZE(cd_verdict_names))
		return NULL;
	return cd_verdict_names[v];
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

const char *smmuv3_cmd_name(unsigned int opcode)
{
	const struct cmd_desc *desc = cmd_desc_find(opcode);

	return desc ? desc->name : NULL;
}

/* Names scripts may use besides the table's own. */
static const struct {
	const char *name;
	uint8_t opcode;
} cmd_aliases[] = {
	{ "CFGI_ALL", SMMUV3_CMD_CFGI_ALL },
	{ "PREFETCH_CONFIG", SMMUV3_CMD_PREFETCH_CFG },
	{ "SYNC", SMMUV3_CMD_SYNC },
};

static int cmd_lookup(const char *name)
{
	for (size_t i = 0; i < CODEC_ARRAY_SIZE(cmd_descs); i++)
		if (!strcasecmp(name, cmd_descs[i].name))
			return cmd_descs[i].opcode;
	for (size_t i = 0; i < CODEC_ARRAY_SIZE(cmd_aliases); i++)
		if (!strcasecmp(name, cmd_aliases[i].name))
			return cmd_aliases[i].opcode;
	return -ENOENT;
}

int smmuv3_cmd_opcode_by_name(const char *name)
{
	int ret;

	if (!name)
		return -EINVAL;
	ret = cmd_lookup(name);
	if (ret == -ENOENT && !strncasecmp(name, "CMD_", 4))
		ret = cmd_lookup(name + 4);
	return ret;
}

#define EVT_NAME(sym)	{ SMMUV3_EVT_##sym, #sym }

static const struct {
	uint8_t id;
	const char *name;
} event_names[] = {
	EVT_NAME(F_UUT),
	EVT_NAME(C_BAD_STREAMID),
	EVT_NAME(F_STE_FETCH),
	EVT_NAME(C_BAD_STE),
	EVT_NAME(F_BAD_ATS_TREQ),
	EVT_NAME(F_STREAM_DISABLED),
	EVT_NAME(F_TRANSL_FORBIDDEN),
	EVT_NAME(C_BAD_SUBSTREAMID),
	EVT_NAME(F_CD_FETCH),
	EVT_NAME(C_BAD_CD),
	EVT_NAME(F_WALK_EABT),
	EVT_NAME(F_TRANSLATION),
	EVT_NAME(F_ADDR_SIZE),
	EVT_NAME(F_ACCESS),
	EVT_NAME(F_PERMISSION),
	EVT_NAME(F_TLB_CONFLICT),
	EVT_NAME(F_CFG_CONFLICT),
	EVT_NAME(E_PAGE_REQUEST),
	EVT_NAME(F_VMS_FETCH),
};

const char *smmuv3_event_name(unsigned int id)
{
	for (size_t i = 0; i < CODEC_ARRAY_SIZE(event_names); i++)
		if (event_names[i].id == id)
			return event_names[i].name;
	return NULL;
}

int smmuv3_event_id_by_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (size_t i = 0; i < CODEC_ARRAY_SIZE(event_names); i++)
		if (!strcasecmp(name, event_names[i].name))
			return event_names[i].id;
	return -ENOENT;
}

static const char *const cerror_names[] = {
	[SMMUV3_CERROR_NONE]		= "CERROR_NONE",
	[SMMUV3_CERROR_ILL]		= "CERROR_ILL",
	[SMMUV3_CERROR_ABT]		= "CERROR_ABT",
	[SMMUV3_CERROR_ATC_INV_SYNC]	= "CERROR_ATC_INV_SYNC",
};

const char *smmuv3_cerror_name(unsigned int cerror)
{
	if (cerror >= CODEC_ARRAY_SIZE(cerror_names))
		return NULL;
	return cerror_names[cerror];
}

/* ------------------------------------------------------------------ */
/* Named constants for register-level test scripts                     */
/* ------------------------------------------------------------------ */

#define K_REG(sym)	{ "SMMU_" #sym, SMMUV3_##sym }
#define K(sym)		{ #sym, SMMUV3_##sym }
#define K_CMD(sym)	{ "CMD_" #sym, SMMUV3_CMD_##sym }
#define K_EVT(sym)	{ #sym, SMMUV3_EVT_##sym }

static const struct smmuv3_const consts[] = {
	/* §6.2 register offsets */
	K_REG(IDR0), K_REG(IDR1), K_REG(IDR3), K_REG(IDR5), K_REG(IIDR),
	K_REG(AIDR), K_REG(CR0), K_REG(CR0ACK), K_REG(CR1), K_REG(CR2),
	K_REG(GBPA), K_REG(IRQ_CTRL), K_REG(IRQ_CTRLACK), K_REG(GERROR),
	K_REG(GERRORN), K_REG(GERROR_IRQ_CFG0), K_REG(GERROR_IRQ_CFG1),
	K_REG(GERROR_IRQ_CFG2), K_REG(STRTAB_BASE), K_REG(STRTAB_BASE_CFG),
	K_REG(CMDQ_BASE), K_REG(CMDQ_PROD), K_REG(CMDQ_CONS),
	K_REG(EVTQ_BASE), K_REG(EVTQ_PROD), K_REG(EVTQ_CONS),
	K_REG(EVTQ_IRQ_CFG0), K_REG(EVTQ_IRQ_CFG1), K_REG(EVTQ_IRQ_CFG2),
	K_REG(PRIQ_BASE), K_REG(PRIQ_PROD), K_REG(PRIQ_CONS),
	K_REG(PRIQ_IRQ_CFG0), K_REG(PRIQ_IRQ_CFG1), K_REG(PRIQ_IRQ_CFG2),

	/* §6.3 register bits */
	K(IDR0_S2P), K(IDR0_S1P), K(IDR0_COHACC), K(IDR0_HYP), K(IDR0_ATS),
	K(IDR0_ASID16), K(IDR0_MSI), K(IDR0_SEV), K(IDR0_PRI),
	K(IDR0_VMID16), K(IDR0_CD2L), K(IDR0_TERM_MODEL),
	K(IDR0_STALL_MODEL_STALL), K(IDR0_STALL_MODEL_NONE),
	K(IDR0_STALL_MODEL_FORCE),
	K(CR0_SMMUEN), K(CR0_PRIQEN), K(CR0_EVTQEN), K(CR0_CMDQEN),
	K(CR0_ATSCHK),
	K(GBPA_UPDATE), K(GBPA_ABORT),
	K(IRQ_CTRL_GERROR_IRQEN), K(IRQ_CTRL_PRIQ_IRQEN),
	K(IRQ_CTRL_EVTQ_IRQEN),
	K(STRTAB_BASE_CFG_FMT_LINEAR), K(STRTAB_BASE_CFG_FMT_2LVL),
	K(Q_OVERFLOW_FLAG), K(CMDQ_CONS_ERR),

	/* §7.5 GERROR */
	K(GERROR_CMDQ_ERR), K(GERROR_EVTQ_ABT_ERR), K(GERROR_PRIQ_ABT_ERR),
	K(GERROR_MSI_CMDQ_ABT_ERR), K(GERROR_MSI_EVTQ_ABT_ERR),
	K(GERROR_MSI_PRIQ_ABT_ERR), K(GERROR_MSI_GERROR_ABT_ERR),
	K(GERROR_SFM_ERR), K(GERROR_ERR_MASK),

	/* §7.1 CMDQ_CONS.ERR values */
	K(CERROR_NONE), K(CERROR_ILL), K(CERROR_ABT), K(CERROR_ATC_INV_SYNC),

	/* §4 opcodes and command field values */
	K_CMD(PREFETCH_CFG), K_CMD(CFGI_STE), K_CMD(CFGI_STE_RANGE),
	K_CMD(CFGI_ALL), K_CMD(CFGI_CD), K_CMD(CFGI_CD_ALL),
	K_CMD(TLBI_NH_ALL), K_CMD(TLBI_NH_ASID), K_CMD(TLBI_NH_VA),
	K_CMD(TLBI_NH_VAA), K_CMD(TLBI_EL2_ALL), K_CMD(TLBI_EL2_ASID),
	K_CMD(TLBI_EL2_VA), K_CMD(TLBI_S12_VMALL), K_CMD(TLBI_S2_IPA),
	K_CMD(TLBI_NSNH_ALL), K_CMD(ATC_INV), K_CMD(PRI_RESP),
	K_CMD(RESUME), { "CMD_SYNC", SMMUV3_CMD_SYNC },
	K(CMD_SYNC_CS_NONE), K(CMD_SYNC_CS_IRQ), K(CMD_SYNC_CS_SEV),
	K(PRI_RESP_DENY), K(PRI_RESP_FAIL), K(PRI_RESP_SUCC),
	K(RESUME_TERM), K(RESUME_RETRY), K(RESUME_ABORT),
	K(ATC_INV_SIZE_ALL), K(CFGI_ALL_RANGE),
	K(TLBI_TG_NONE), K(TLBI_TG_4K), K(TLBI_TG_16K), K(TLBI_TG_64K),

	/* §5.2 STE field values */
	K(STE_CONFIG_ABORT), K(STE_CONFIG_BYPASS), K(STE_CONFIG_S1_TRANS),
	K(STE_CONFIG_S2_TRANS), K(STE_CONFIG_NESTED),
	K(STE_S1FMT_LINEAR), K(STE_S1FMT_4K_L2), K(STE_S1FMT_64K_L2),
	K(STE_S1DSS_TERMINATE), K(STE_S1DSS_BYPASS), K(STE_S1DSS_SSID0),
	K(STE_EATS_ABT), K(STE_EATS_TRANS), K(STE_EATS_S1CHK),
	K(STE_STRW_NSEL1), K(STE_STRW_EL2),

	/* §5.4 CD field values */
	K(CD_TG0_4K), K(CD_TG0_64K), K(CD_TG0_16K),

	/* §7.3 event IDs and classes */
	K_EVT(F_UUT), K_EVT(C_BAD_STREAMID), K_EVT(F_STE_FETCH),
	K_EVT(C_BAD_STE), K_EVT(F_BAD_ATS_TREQ), K_EVT(F_STREAM_DISABLED),
	K_EVT(F_TRANSL_FORBIDDEN), K_EVT(C_BAD_SUBSTREAMID),
	K_EVT(F_CD_FETCH), K_EVT(C_BAD_CD), K_EVT(F_WALK_EABT),
	K_EVT(F_TRANSLATION), K_EVT(F_ADDR_SIZE), K_EVT(F_ACCESS),
	K_EVT(F_PERMISSION), K_EVT(F_TLB_CONFLICT), K_EVT(F_CFG_CONFLICT),
	K_EVT(E_PAGE_REQUEST), K_EVT(F_VMS_FETCH),
	K(EVT_CLASS_CD), K(EVT_CLASS_TT), K(EVT_CLASS_IN),
};

int smmuv3_const_by_name(const char *name, uint64_t *value)
{
	if (!name || !value)
		return -EINVAL;
	for (size_t i = 0; i < CODEC_ARRAY_SIZE(consts); i++) {
		if (!strcasecmp(name, consts[i].name)) {
			*value = consts[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

const struct smmuv3_const *smmuv3_const_at(unsigned int i)
{
	return i < CODEC_ARRAY_SIZE(consts) ? &consts[i] : NULL;
}
