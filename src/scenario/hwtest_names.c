// SPDX-License-Identifier: MIT
/*
 * hwtest name tables: the fields of SMMU registers (from the masks of
 * smmuv3_regs.h), the endpoint's configuration registers (pcie_regs.h),
 * the counters of struct smmuv3_stats / pcie_ep_stats / hw_mem_stats,
 * interrupt lines, named constants beyond smmuv3_const_by_name(), the
 * fields of decoded event and PRI records, and the keys of `cmd`.
 *
 * Every table is constant; every function here is pure.
 */
#include "scenario/hwtest_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hw/pcie/pcie_regs.h"
#include "trace/evlog.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#define F(n, m)		{ n, m, HQ_NONE, HF_HEX }
#define FQ(n, q)	{ n, 0, q, HF_HEX }
#define FEND		{ NULL, 0, HQ_NONE, HF_HEX }

/* ---- SMMU register fields ---- */

static const struct ht_field idr0_fields[] = {
	F("ST_LVL", SMMUV3_IDR0_ST_LVL), F("TERM_MODEL", SMMUV3_IDR0_TERM_MODEL),
	F("STALL_MODEL", SMMUV3_IDR0_STALL_MODEL), F("TTENDIAN", SMMUV3_IDR0_TTENDIAN),
	F("CD2L", SMMUV3_IDR0_CD2L), F("VMID16", SMMUV3_IDR0_VMID16),
	F("PRI", SMMUV3_IDR0_PRI), F("SEV", SMMUV3_IDR0_SEV), F("MSI", SMMUV3_IDR0_MSI),
	F("ASID16", SMMUV3_IDR0_ASID16), F("ATS", SMMUV3_IDR0_ATS), F("HYP", SMMUV3_IDR0_HYP),
	F("HTTU", SMMUV3_IDR0_HTTU), F("COHACC", SMMUV3_IDR0_COHACC), F("TTF", SMMUV3_IDR0_TTF),
	F("S1P", SMMUV3_IDR0_S1P), F("S2P", SMMUV3_IDR0_S2P), FEND
};

static const struct ht_field idr1_fields[] = {
	F("TABLES_PRESET", SMMUV3_IDR1_TABLES_PRESET),
	F("QUEUES_PRESET", SMMUV3_IDR1_QUEUES_PRESET), F("REL", SMMUV3_IDR1_REL),
	F("ATTR_TYPES_OVR", SMMUV3_IDR1_ATTR_TYPES_OVR), F("CMDQS", SMMUV3_IDR1_CMDQS),
	F("EVTQS", SMMUV3_IDR1_EVTQS), F("PRIQS", SMMUV3_IDR1_PRIQS),
	F("SSIDSIZE", SMMUV3_IDR1_SSIDSIZE), F("SIDSIZE", SMMUV3_IDR1_SIDSIZE), FEND
};

static const struct ht_field idr3_fields[] = {
	F("RIL", SMMUV3_IDR3_RIL), F("FWB", SMMUV3_IDR3_FWB), FEND
};

static const struct ht_field idr5_fields[] = {
	F("STALL_MAX", SMMUV3_IDR5_STALL_MAX), F("VAX", SMMUV3_IDR5_VAX),
	F("GRAN64K", SMMUV3_IDR5_GRAN64K), F("GRAN16K", SMMUV3_IDR5_GRAN16K),
	F("GRAN4K", SMMUV3_IDR5_GRAN4K), F("OAS", SMMUV3_IDR5_OAS), FEND
};

static const struct ht_field aidr_fields[] = {
	F("ARCH_MAJOR_REV", SMMUV3_AIDR_ARCH_MAJOR_REV),
	F("ARCH_MINOR_REV", SMMUV3_AIDR_ARCH_MINOR_REV), FEND
};

static const struct ht_field cr0_fields[] = {
	F("ATSCHK", SMMUV3_CR0_ATSCHK), F("CMDQEN", SMMUV3_CR0_CMDQEN),
	F("EVTQEN", SMMUV3_CR0_EVTQEN), F("PRIQEN", SMMUV3_CR0_PRIQEN),
	F("SMMUEN", SMMUV3_CR0_SMMUEN), FEND
};

static const struct ht_field cr1_fields[] = {
	F("TABLE_SH", SMMUV3_CR1_TABLE_SH), F("TABLE_OC", SMMUV3_CR1_TABLE_OC),
	F("TABLE_IC", SMMUV3_CR1_TABLE_IC), F("QUEUE_SH", SMMUV3_CR1_QUEUE_SH),
	F("QUEUE_OC", SMMUV3_CR1_QUEUE_OC), F("QUEUE_IC", SMMUV3_CR1_QUEUE_IC), FEND
};

static const struct ht_field cr2_fields[] = {
	F("PTM", SMMUV3_CR2_PTM), F("RECINVSID", SMMUV3_CR2_RECINVSID),
	F("E2H", SMMUV3_CR2_E2H), FEND
};

static const struct ht_field gbpa_fields[] = {
	F("UPDATE", SMMUV3_GBPA_UPDATE), F("ABORT", SMMUV3_GBPA_ABORT), FEND
};

static const struct ht_field irq_ctrl_fields[] = {
	F("EVTQ_IRQEN", SMMUV3_IRQ_CTRL_EVTQ_IRQEN),
	F("PRIQ_IRQEN", SMMUV3_IRQ_CTRL_PRIQ_IRQEN),
	F("GERROR_IRQEN", SMMUV3_IRQ_CTRL_GERROR_IRQEN), FEND
};

static const struct ht_field gerror_fields[] = {
	F("SFM_ERR", SMMUV3_GERROR_SFM_ERR),
	F("MSI_GERROR_ABT_ERR", SMMUV3_GERROR_MSI_GERROR_ABT_ERR),
	F("MSI_PRIQ_ABT_ERR", SMMUV3_GERROR_MSI_PRIQ_ABT_ERR),
	F("MSI_EVTQ_ABT_ERR", SMMUV3_GERROR_MSI_EVTQ_ABT_ERR),
	F("MSI_CMDQ_ABT_ERR", SMMUV3_GERROR_MSI_CMDQ_ABT_ERR),
	F("PRIQ_ABT_ERR", SMMUV3_GERROR_PRIQ_ABT_ERR),
	F("EVTQ_ABT_ERR", SMMUV3_GERROR_EVTQ_ABT_ERR),
	F("CMDQ_ERR", SMMUV3_GERROR_CMDQ_ERR), FEND
};

static const struct ht_field irq_cfg0_fields[] = {
	F("ADDR", SMMUV3_IRQ_CFG0_ADDR), FEND
};

static const struct ht_field irq_cfg2_fields[] = {
	F("SH", SMMUV3_IRQ_CFG2_SH), F("MEMATTR", SMMUV3_IRQ_CFG2_MEMATTR), FEND
};

static const struct ht_field strtab_base_fields[] = {
	F("RA", SMMUV3_STRTAB_BASE_RA), F("ADDR", SMMUV3_STRTAB_BASE_ADDR), FEND
};

static const struct ht_field strtab_cfg_fields[] = {
	F("FMT", SMMUV3_STRTAB_BASE_CFG_FMT), F("SPLIT", SMMUV3_STRTAB_BASE_CFG_SPLIT),
	F("LOG2SIZE", SMMUV3_STRTAB_BASE_CFG_LOG2SIZE), FEND
};

static const struct ht_field q_base_fields[] = {
	F("RWA", SMMUV3_Q_BASE_RWA), F("ADDR", SMMUV3_Q_BASE_ADDR),
	F("LOG2SIZE", SMMUV3_Q_BASE_LOG2SIZE), FEND
};

static const struct ht_field cmdq_prod_fields[] = {
	FQ("WR", HQ_IW), FQ("IDX", HQ_IDX), FQ("WRAP", HQ_WRAP), FEND
};

static const struct ht_field cmdq_cons_fields[] = {
	FQ("RD", HQ_IW), FQ("IDX", HQ_IDX), FQ("WRAP", HQ_WRAP),
	{ "ERR", SMMUV3_CMDQ_CONS_ERR, HQ_NONE, HF_CERROR }, FEND
};

static const struct ht_field q_prod_fields[] = {
	FQ("WR", HQ_IW), FQ("IDX", HQ_IDX), FQ("WRAP", HQ_WRAP),
	F("OVFLG", SMMUV3_Q_OVERFLOW_FLAG), FEND
};

static const struct ht_field q_cons_fields[] = {
	FQ("RD", HQ_IW), FQ("IDX", HQ_IDX), FQ("WRAP", HQ_WRAP),
	F("OVACKFLG", SMMUV3_Q_OVERFLOW_FLAG), FEND
};

static const struct {
	uint32_t off;
	const struct ht_field *fields;
	uint32_t qbase;		/* *_BASE of the queue a PROD/CONS belongs to */
} reg_fields[] = {
	{ SMMUV3_IDR0, idr0_fields, 0 },
	{ SMMUV3_IDR1, idr1_fields, 0 },
	{ SMMUV3_IDR3, idr3_fields, 0 },
	{ SMMUV3_IDR5, idr5_fields, 0 },
	{ SMMUV3_AIDR, aidr_fields, 0 },
	{ SMMUV3_CR0, cr0_fields, 0 },
	{ SMMUV3_CR0ACK, cr0_fields, 0 },
	{ SMMUV3_CR1, cr1_fields, 0 },
	{ SMMUV3_CR2, cr2_fields, 0 },
	{ SMMUV3_GBPA, gbpa_fields, 0 },
	{ SMMUV3_IRQ_CTRL, irq_ctrl_fields, 0 },
	{ SMMUV3_IRQ_CTRLACK, irq_ctrl_fields, 0 },
	{ SMMUV3_GERROR, gerror_fields, 0 },
	{ SMMUV3_GERRORN, gerror_fields, 0 },
	{ SMMUV3_GERROR_IRQ_CFG0, irq_cfg0_fields, 0 },
	{ SMMUV3_GERROR_IRQ_CFG2, irq_cfg2_fields, 0 },
	{ SMMUV3_EVTQ_IRQ_CFG0, irq_cfg0_fields, 0 },
	{ SMMUV3_EVTQ_IRQ_CFG2, irq_cfg2_fields, 0 },
	{ SMMUV3_PRIQ_IRQ_CFG0, irq_cfg0_fields, 0 },
	{ SMMUV3_PRIQ_IRQ_CFG2, irq_cfg2_fields, 0 },
	{ SMMUV3_STRTAB_BASE, strtab_base_fields, 0 },
	{ SMMUV3_STRTAB_BASE_CFG, strtab_cfg_fields, 0 },
	{ SMMUV3_CMDQ_BASE, q_base_fields, 0 },
	{ SMMUV3_EVTQ_BASE, q_base_fields, 0 },
	{ SMMUV3_PRIQ_BASE, q_base_fields, 0 },
	{ SMMUV3_CMDQ_PROD, cmdq_prod_fields, SMMUV3_CMDQ_BASE },
	{ SMMUV3_CMDQ_CONS, cmdq_cons_fields, SMMUV3_CMDQ_BASE },
	{ SMMUV3_EVTQ_PROD, q_prod_fields, SMMUV3_EVTQ_BASE },
	{ SMMUV3_EVTQ_CONS, q_cons_fields, SMMUV3_EVTQ_BASE },
	{ SMMUV3_PRIQ_PROD, q_prod_fields, SMMUV3_PRIQ_BASE },
	{ SMMUV3_PRIQ_CONS, q_cons_fields, SMMUV3_PRIQ_BASE },
};

/**
 * ht_reg_fields() - the fields of the SMMU register at byte offset @off.
 * @qbase:	set to the *_BASE offset of the queue a PROD/CONS register
 *		belongs to (0 for other registers); may be NULL.
 * Return: a table ending with a NULL name, or NULL for a register
 * without fields.
 */
const struct ht_field *ht_reg_fields(uint32_t off, uint32_t *qbase)
{
	for (size_t i = 0; i < ARRAY_LEN(reg_fields); i++) {
		if (reg_fields[i].off != off)
			continue;
		if (qbase)
			*qbase = reg_fields[i].qbase;
		return reg_fields[i].fields;
	}
	return NULL;
}

/** ht_field_find() - field @name (case-insensitive) of table @f, or NULL. */
const struct ht_field *ht_field_find(const struct ht_field *f, const char *name)
{
	for (; f && f->name; f++)
		if (!strcasecmp(f->name, name))
			return f;
	return NULL;
}

static const char *field_list(const struct ht_field *f, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; f && f->name && n < len; f++)
		n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", f->name);
	return buf;
}

/** ht_reg_field_list() - "ATSCHK, CMDQEN, ..." for messages. */
const char *ht_reg_field_list(uint32_t off, char *buf, size_t len)
{
	return field_list(ht_reg_fields(off, NULL), buf, len);
}

/* ---- configuration registers of the endpoint ---- */

static const struct ht_field command_fields[] = {
	F("MEMORY", PCI_COMMAND_MEMORY), F("MASTER", PCI_COMMAND_MASTER), FEND
};
static const struct ht_field status_fields[] = { F("CAP_LIST", PCI_STATUS_CAP_LIST), FEND };
static const struct ht_field devcap_fields[] = { F("FLR", PCI_EXP_DEVCAP_FLR), FEND };
static const struct ht_field devctl_fields[] = { F("BCR_FLR", PCI_EXP_DEVCTL_BCR_FLR), FEND };
static const struct ht_field devsta_fields[] = { F("TRPND", PCI_EXP_DEVSTA_TRPND), FEND };
static const struct ht_field ats_cap_fields[] = {
	F("QDEP", 0x1f), F("PAGE_ALIGNED", PCI_ATS_CAP_PAGE_ALIGNED), FEND
};
static const struct ht_field ats_ctrl_fields[] = {
	F("ENABLE", PCI_ATS_CTRL_ENABLE), F("STU", 0x1f), FEND
};
static const struct ht_field pri_ctrl_fields[] = {
	F("ENABLE", PCI_PRI_CTRL_ENABLE), F("RESET", PCI_PRI_CTRL_RESET), FEND
};
static const struct ht_field pri_status_fields[] = {
	F("RF", PCI_PRI_STATUS_RF), F("UPRGI", PCI_PRI_STATUS_UPRGI),
	F("STOPPED", PCI_PRI_STATUS_STOPPED), F("PASID", PCI_PRI_STATUS_PASID), FEND
};
static const struct ht_field pasid_ctrl_fields[] = {
	F("ENABLE", PCI_PASID_CTRL_ENABLE), F("EXEC", PCI_PASID_CTRL_EXEC),
	F("PRIV", PCI_PASID_CTRL_PRIV), FEND
};

static const struct ht_cfgreg cfgregs[] = {
	{ "VENDOR_ID", PCI_VENDOR_ID, 2, NULL },
	{ "DEVICE_ID", PCI_DEVICE_ID, 2, NULL },
	{ "COMMAND", PCI_COMMAND, 2, command_fields },
	{ "STATUS", PCI_STATUS, 2, status_fields },
	{ "DEVCAP", PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCAP, 4, devcap_fields },
	{ "DEVCTL", PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVCTL, 2, devctl_fields },
	{ "DEVSTA", PCIE_EXP_CAP_OFFSET + PCI_EXP_DEVSTA, 2, devsta_fields },
	{ "ATS_CAP", PCIE_ATS_CAP_OFFSET + PCI_ATS_CAP, 2, ats_cap_fields },
	{ "ATS_CTRL", PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL, 2, ats_ctrl_fields },
	{ "PRI_CTRL", PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL, 2, pri_ctrl_fields },
	{ "PRI_STATUS", PCIE_PRI_CAP_OFFSET + PCI_PRI_STATUS, 2, pri_status_fields },
	{ "PRI_MAX_REQ", PCIE_PRI_CAP_OFFSET + PCI_PRI_MAX_REQ, 4, NULL },
	{ "PRI_ALLOC_REQ", PCIE_PRI_CAP_OFFSET + PCI_PRI_ALLOC_REQ, 4, NULL },
	{ "PASID_CAP", PCIE_PASID_CAP_OFFSET + PCI_PASID_CAP, 2, NULL },
	{ "PASID_CTRL", PCIE_PASID_CAP_OFFSET + PCI_PASID_CTRL, 2, pasid_ctrl_fields },
};

/** ht_cfgreg_find() - configuration register @name (case-insensitive), or NULL. */
const struct ht_cfgreg *ht_cfgreg_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(cfgregs); i++)
		if (!strcasecmp(cfgregs[i].name, name))
			return &cfgregs[i];
	return NULL;
}

/** ht_cfgreg_at() - the named configuration register at offset @off, or NULL. */
const struct ht_cfgreg *ht_cfgreg_at(unsigned off)
{
	for (size_t i = 0; i < ARRAY_LEN(cfgregs); i++)
		if (cfgregs[i].off == off)
			return &cfgregs[i];
	return NULL;
}

/* ---- counters ---- */

#define SS(f)	{ #f, offsetof(struct smmuv3_stats, f) }
#define SE(n, i) { n, offsetof(struct smmuv3_stats, cmd_errors) + (i) * sizeof(uint64_t) }
#define DS(f)	{ #f, offsetof(struct pcie_ep_stats, f) }
#define MS(f)	{ #f, offsetof(struct hw_mem_stats, f) }

static const struct ht_stat smmu_stats[] = {
	SS(cmds), SS(syncs),
	SE("cmd_errors_none", SMMUV3_CERROR_NONE), SE("cmd_errors_ill", SMMUV3_CERROR_ILL),
	SE("cmd_errors_abt", SMMUV3_CERROR_ABT),
	SE("cmd_errors_atc_inv_sync", SMMUV3_CERROR_ATC_INV_SYNC),
	SS(cfgi), SS(tlbi), SS(tlb_hits), SS(tlb_misses), SS(walks), SS(cfg_hits),
	SS(cfg_misses), SS(translations), SS(faults), SS(events), SS(events_lost),
	SS(stalls), SS(resumes), SS(resumes_unmatched), SS(ats_requests), SS(ats_ur),
	SS(translated_ok), SS(translated_refused), SS(atc_inv_sent), SS(atc_inv_done),
	SS(atc_inv_timeouts), SS(atc_cpl_late), SS(atc_cpl_dup),
	SS(atc_cpl_wrong_requester), SS(page_requests), SS(pri_lost),
	SS(pri_auto_responses), SS(pri_resps), SS(pri_resps_unrouted), SS(msi_writes),
	SS(irqs_raised), SS(gerrors), { NULL, 0 }
};

static const struct ht_stat dev_stats[] = {
	DS(dma_ok), DS(dma_failed), DS(atc_hits), DS(atc_misses), DS(atc_evictions),
	DS(ats_requests), DS(ats_failed), DS(translated_refused), DS(inv_received),
	DS(inv_answered), DS(inv_dropped), DS(inv_lied), DS(page_requests), DS(prg_sent),
	DS(prg_responses), DS(prg_timeouts), DS(prg_unexpected), DS(flrs), DS(flrs_failed),
	{ NULL, 0 }
};

static const struct ht_stat mem_stats[] = {
	MS(allocs), MS(frees), MS(dma_reads), MS(dma_writes), MS(stale_reads),
	MS(stale_writes), { NULL, 0 }
};

static const struct ht_stat *stat_table(enum ht_stat_set set)
{
	switch (set) {
	case HS_SMMU:
		return smmu_stats;
	case HS_DEV:
		return dev_stats;
	default:
		return mem_stats;
	}
}

/** ht_stat_find() - counter @name (case-insensitive) of @set, or NULL. */
const struct ht_stat *ht_stat_find(enum ht_stat_set set, const char *name)
{
	for (const struct ht_stat *s = stat_table(set); s->name; s++)
		if (!strcasecmp(s->name, name))
			return s;
	return NULL;
}

/** ht_stat_at() - the @i-th counter of @set, or NULL past the end. */
const struct ht_stat *ht_stat_at(enum ht_stat_set set, unsigned i)
{
	const struct ht_stat *s = stat_table(set);

	while (i-- && s->name)
		s++;
	return s->name ? s : NULL;
}

/* ---- interrupt lines ---- */

static const char *const irq_names[SMMUV3_NR_IRQS] = {
	[SMMUV3_IRQ_GERROR] = "gerror",
	[SMMUV3_IRQ_EVTQ] = "evtq",
	[SMMUV3_IRQ_PRIQ] = "priq",
	[SMMUV3_IRQ_CMDQ_SYNC] = "cmdq_sync",
};

/** ht_irq_find() - the enum smmuv3_irq of line @name, or -1. */
int ht_irq_find(const char *name)
{
	for (int i = 0; i < SMMUV3_NR_IRQS; i++)
		if (!strcasecmp(irq_names[i], name))
			return i;
	return -1;
}

/** ht_irq_name() - "gerror", "evtq", "priq", "cmdq_sync". */
const char *ht_irq_name(int line)
{
	return line >= 0 && line < SMMUV3_NR_IRQS ? irq_names[line] : "?";
}

/* ---- constants ---- */

const char *const ht_dma_names[] = {
	[HT_DMA_NONE] = "none",
	[HT_DMA_PENDING] = "pending",
	[HT_DMA_OK] = "ok",
	[HT_DMA_FAULT] = "fault",
	[HT_DMA_REFUSED] = "refused",
	[HT_DMA_NOT_ISSUED] = "not_issued",
	NULL
};

static const struct {
	const char *name;
	uint64_t value;
} pci_consts[] = {
	{ "PCI_COMMAND_MEMORY", PCI_COMMAND_MEMORY },
	{ "PCI_COMMAND_MASTER", PCI_COMMAND_MASTER },
	{ "PCI_EXP_DEVCAP_FLR", PCI_EXP_DEVCAP_FLR },
	{ "PCI_EXP_DEVCTL_BCR_FLR", PCI_EXP_DEVCTL_BCR_FLR },
	{ "PCI_EXP_DEVSTA_TRPND", PCI_EXP_DEVSTA_TRPND },
	{ "PCI_ATS_CTRL_ENABLE", PCI_ATS_CTRL_ENABLE },
	{ "PCI_PRI_CTRL_ENABLE", PCI_PRI_CTRL_ENABLE },
	{ "PCI_PRI_CTRL_RESET", PCI_PRI_CTRL_RESET },
	{ "PCI_PRI_STATUS_RF", PCI_PRI_STATUS_RF },
	{ "PCI_PRI_STATUS_UPRGI", PCI_PRI_STATUS_UPRGI },
	{ "PCI_PRI_STATUS_STOPPED", PCI_PRI_STATUS_STOPPED },
	{ "PCI_PASID_CTRL_ENABLE", PCI_PASID_CTRL_ENABLE },
	{ "PRG_RESP_SUCCESS", PCIE_PRG_RESP_SUCCESS },
	{ "PRG_RESP_INVALID", PCIE_PRG_RESP_INVALID },
	{ "PRG_RESP_FAILURE", PCIE_PRG_RESP_FAILURE },
};

/**
 * ht_const_find() - a named constant: a DMA outcome (ok, fault, refused,
 * pending, not_issued, none), a PCI constant of the table above, or any
 * name smmuv3_const_by_name() knows (CERROR_*, event IDs, CR0_*, ...).
 * @fmt:	how values compared with it are best printed.
 * Return: true when found.
 */
bool ht_const_find(const char *name, uint64_t *val, enum ht_fmt *fmt)
{
	for (int i = 0; ht_dma_names[i]; i++) {
		if (!strcmp(ht_dma_names[i], name)) {
			*val = i;
			*fmt = HF_DMA;
			return true;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(pci_consts); i++) {
		if (!strcasecmp(pci_consts[i].name, name)) {
			*val = pci_consts[i].value;
			*fmt = HF_HEX;
			return true;
		}
	}
	if (smmuv3_const_by_name(name, val))
		return false;
	if (!strncasecmp(name, "CERROR_", 7))
		*fmt = HF_CERROR;
	else if (smmuv3_event_id_by_name(name) >= 0)
		*fmt = HF_EVENT;
	else
		*fmt = HF_HEX;
	return true;
}

/* ---- record fields ---- */

enum { EF_ID, EF_SID, EF_SSV, EF_SSID, EF_STALL, EF_STAG, EF_RNW, EF_PNU, EF_IND,
       EF_S2, EF_CLASS, EF_TTRNW, EF_ADDR, EF_IPA, EF_FETCH_ADDR, EF_NR };

static const char *const evt_fields[EF_NR] = {
	"ID", "SID", "SSV", "SSID", "STALL", "STAG", "RNW", "PNU", "IND", "S2",
	"CLASS", "TTRNW", "ADDR", "IPA", "FETCH_ADDR",
};

/** ht_evt_field() - index of event field @name (EVT.@name), or -1. */
int ht_evt_field(const char *name, enum ht_fmt *fmt)
{
	for (int i = 0; i < EF_NR; i++) {
		if (!strcasecmp(evt_fields[i], name)) {
			*fmt = i == EF_ID ? HF_EVENT : HF_HEX;
			return i;
		}
	}
	return -1;
}

/** ht_evt_get() - field @idx of the decoded event @e. */
uint64_t ht_evt_get(const struct smmuv3_event *e, int idx)
{
	switch (idx) {
	case EF_ID:		return e->id;
	case EF_SID:		return e->sid;
	case EF_SSV:		return e->ssv;
	case EF_SSID:		return e->ssid;
	case EF_STALL:		return e->stall;
	case EF_STAG:		return e->stag;
	case EF_RNW:		return e->read;
	case EF_PNU:		return e->priv;
	case EF_IND:		return e->inst;
	case EF_S2:		return e->s2;
	case EF_CLASS:		return e->class;
	case EF_TTRNW:		return e->ttrnw;
	case EF_ADDR:		return e->addr;
	case EF_IPA:		return e->ipa;
	default:		return e->fetch_addr;
	}
}

enum { PF_SID, PF_SSV, PF_SSID, PF_PRIV, PF_EXEC, PF_READ, PF_WRITE, PF_LAST,
       PF_PRG_IDX, PF_ADDR, PF_NR };

static const char *const pri_fields[PF_NR] = {
	"SID", "SSV", "SSID", "PRIV", "EXEC", "READ", "WRITE", "LAST", "PRG_IDX", "ADDR",
};

/** ht_pri_field() - index of PRI entry field @name (PRI.@name), or -1. */
int ht_pri_field(const char *name, enum ht_fmt *fmt)
{
	*fmt = HF_HEX;
	for (int i = 0; i < PF_NR; i++)
		if (!strcasecmp(pri_fields[i], name))
			return i;
	return -1;
}

/** ht_pri_get() - field @idx of the decoded PRI entry @e. */
uint64_t ht_pri_get(const struct smmuv3_pri_entry *e, int idx)
{
	switch (idx) {
	case PF_SID:		return e->sid;
	case PF_SSV:		return e->ssv;
	case PF_SSID:		return e->ssid;
	case PF_PRIV:		return e->priv;
	case PF_EXEC:		return e->exec;
	case PF_READ:		return e->read;
	case PF_WRITE:		return e->write;
	case PF_LAST:		return e->last;
	case PF_PRG_IDX:	return e->prg_idx;
	default:		return e->addr;
	}
}

/* ---- device state ---- */

static const char *const dev_states[] = {
	"ATC_ENTRIES", "PRG_OUTSTANDING", "FLR_IN_PROGRESS", "ATS_ENABLED", "PRI_ENABLED",
};

/** ht_dev_state() - index of device state @name, or -1. */
int ht_dev_state(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(dev_states); i++)
		if (!strcasecmp(dev_states[i], name))
			return (int)i;
	return -1;
}

/** ht_dev_state_name() - the name of device state @idx. */
const char *ht_dev_state_name(int idx)
{
	return idx >= 0 && idx < (int)ARRAY_LEN(dev_states) ? dev_states[idx] : "?";
}

/* ---- `cmd` keys and symbolic field values ---- */

static const char *const cs_names[] = { "none", "irq", "sev", NULL };
static const char *const tg_names[] = { "none", "4k", "16k", "64k", NULL };

const struct ht_cmd_keydesc ht_cmd_keys[CK_NR] = {
	[CK_SID]	= { "sid", 0xffffffffULL, NULL },
	[CK_SSID]	= { "ssid", 0xfffffULL, NULL },
	[CK_SSV]	= { "ssv", 1, NULL },
	[CK_LEAF]	= { "leaf", 1, NULL },
	[CK_RANGE]	= { "range", 31, NULL },
	[CK_ASID]	= { "asid", 0xffff, NULL },
	[CK_VMID]	= { "vmid", 0xffff, NULL },
	[CK_NUM]	= { "num", 31, NULL },
	[CK_SCALE]	= { "scale", 31, NULL },
	[CK_TTL]	= { "ttl", 3, NULL },
	[CK_TG]		= { "tg", 3, tg_names },
	[CK_ADDR]	= { "addr", UINT64_MAX, NULL },
	[CK_SIZE]	= { "size", 63, NULL },
	[CK_GLOBAL]	= { "global", 1, NULL },
	[CK_GRPID]	= { "grpid", 511, NULL },
	[CK_RESP]	= { "resp", 3, NULL },	/* names depend on the opcode */
	[CK_STAG]	= { "stag", 0xffff, NULL },
	[CK_CS]		= { "cs", 3, cs_names },
	[CK_MSH]	= { "msh", 3, NULL },
	[CK_MSIATTR]	= { "msiattr", 15, NULL },
	[CK_MSIDATA]	= { "msidata", 0xffffffffULL, NULL },
	[CK_MSIADDR]	= { "msiaddr", (1ULL << 52) - 1, NULL },
};

#define KB(k)		(1U << CK_##k)
#define K_RANGE_VA	(KB(NUM) | KB(SCALE) | KB(LEAF) | KB(TTL) | KB(TG) | KB(ADDR))

static const struct {
	uint8_t opcode;
	uint32_t keys;
} cmd_keys[] = {
	{ SMMUV3_CMD_PREFETCH_CFG, KB(SID) | KB(SSID) | KB(SSV) },
	{ SMMUV3_CMD_CFGI_STE, KB(SID) | KB(LEAF) },
	{ SMMUV3_CMD_CFGI_STE_RANGE, KB(SID) | KB(RANGE) },
	{ SMMUV3_CMD_CFGI_CD, KB(SID) | KB(SSID) | KB(LEAF) },
	{ SMMUV3_CMD_CFGI_CD_ALL, KB(SID) },
	{ SMMUV3_CMD_TLBI_NH_ALL, KB(VMID) },
	{ SMMUV3_CMD_TLBI_NH_ASID, KB(VMID) | KB(ASID) },
	{ SMMUV3_CMD_TLBI_NH_VA, KB(VMID) | KB(ASID) | K_RANGE_VA },
	{ SMMUV3_CMD_TLBI_NH_VAA, KB(VMID) | K_RANGE_VA },
	{ SMMUV3_CMD_TLBI_EL2_ALL, 0 },
	{ SMMUV3_CMD_TLBI_EL2_ASID, KB(ASID) },
	{ SMMUV3_CMD_TLBI_EL2_VA, KB(ASID) | K_RANGE_VA },
	{ SMMUV3_CMD_TLBI_S12_VMALL, KB(VMID) },
	{ SMMUV3_CMD_TLBI_S2_IPA, KB(VMID) | K_RANGE_VA },
	{ SMMUV3_CMD_TLBI_NSNH_ALL, 0 },
	{ SMMUV3_CMD_ATC_INV, KB(SID) | KB(SSID) | KB(SSV) | KB(GLOBAL) | KB(SIZE) | KB(ADDR) },
	{ SMMUV3_CMD_PRI_RESP, KB(SID) | KB(SSID) | KB(SSV) | KB(GRPID) | KB(RESP) },
	{ SMMUV3_CMD_RESUME, KB(SID) | KB(STAG) | KB(RESP) },
	{ SMMUV3_CMD_SYNC, KB(CS) | KB(MSH) | KB(MSIATTR) | KB(MSIDATA) | KB(MSIADDR) },
};

/** ht_cmd_allowed() - bit per enum ht_cmd_key the command @opcode takes. */
uint32_t ht_cmd_allowed(uint8_t opcode)
{
	for (size_t i = 0; i < ARRAY_LEN(cmd_keys); i++)
		if (cmd_keys[i].opcode == opcode)
			return cmd_keys[i].keys;
	return 0;
}

/* Which member of struct smmuv3_cmd's union a command uses. */
enum cmd_family { CF_PREFETCH, CF_CFGI, CF_TLBI, CF_ATC, CF_PRI, CF_RESUME, CF_SYNC };

static enum cmd_family cmd_family(uint8_t opcode)
{
	switch (opcode) {
	case SMMUV3_CMD_PREFETCH_CFG:
		return CF_PREFETCH;
	case SMMUV3_CMD_CFGI_STE:
	case SMMUV3_CMD_CFGI_STE_RANGE:
	case SMMUV3_CMD_CFGI_CD:
	case SMMUV3_CMD_CFGI_CD_ALL:
		return CF_CFGI;
	case SMMUV3_CMD_ATC_INV:
		return CF_ATC;
	case SMMUV3_CMD_PRI_RESP:
		return CF_PRI;
	case SMMUV3_CMD_RESUME:
		return CF_RESUME;
	case SMMUV3_CMD_SYNC:
		return CF_SYNC;
	default:
		return CF_TLBI;
	}
}

#define CM(fam, k, m)	{ fam, CK_##k, offsetof(struct smmuv3_cmd, m), \
			  sizeof(((struct smmuv3_cmd *)0)->m) }

/* Where the value of each key goes, per family. */
static const struct {
	uint8_t family;
	uint8_t key;
	uint8_t off;
	uint8_t size;
} cmd_members[] = {
	CM(CF_PREFETCH, SID, prefetch.sid), CM(CF_PREFETCH, SSID, prefetch.ssid),
	CM(CF_PREFETCH, SSV, prefetch.ssv),
	CM(CF_CFGI, SID, cfgi.sid), CM(CF_CFGI, SSID, cfgi.ssid), CM(CF_CFGI, LEAF, cfgi.leaf),
	CM(CF_CFGI, RANGE, cfgi.range),
	CM(CF_TLBI, ASID, tlbi.asid), CM(CF_TLBI, VMID, tlbi.vmid), CM(CF_TLBI, NUM, tlbi.num),
	CM(CF_TLBI, SCALE, tlbi.scale), CM(CF_TLBI, LEAF, tlbi.leaf), CM(CF_TLBI, TTL, tlbi.ttl),
	CM(CF_TLBI, TG, tlbi.tg), CM(CF_TLBI, ADDR, tlbi.addr),
	CM(CF_ATC, SID, atc_inv.sid), CM(CF_ATC, SSID, atc_inv.ssid), CM(CF_ATC, SSV, atc_inv.ssv),
	CM(CF_ATC, GLOBAL, atc_inv.global), CM(CF_ATC, SIZE, atc_inv.size),
	CM(CF_ATC, ADDR, atc_inv.addr),
	CM(CF_PRI, SID, pri_resp.sid), CM(CF_PRI, SSID, pri_resp.ssid), CM(CF_PRI, SSV, pri_resp.ssv),
	CM(CF_PRI, GRPID, pri_resp.grpid), CM(CF_PRI, RESP, pri_resp.resp),
	CM(CF_RESUME, SID, resume.sid), CM(CF_RESUME, STAG, resume.stag),
	CM(CF_RESUME, RESP, resume.resp),
	CM(CF_SYNC, CS, sync.cs), CM(CF_SYNC, MSH, sync.msh), CM(CF_SYNC, MSIATTR, sync.msiattr),
	CM(CF_SYNC, MSIDATA, sync.msidata), CM(CF_SYNC, MSIADDR, sync.msiaddr),
};

/* Store @v (already range-checked) into a member of @size bytes at @p. */
static void store(void *p, unsigned size, uint64_t v)
{
	uint8_t u8 = v;
	uint16_t u16 = v;
	uint32_t u32 = v;

	switch (size) {
	case 1:
		memcpy(p, &u8, 1);
		break;
	case 2:
		memcpy(p, &u16, 2);
		break;
	case 4:
		memcpy(p, &u32, 4);
		break;
	default:
		memcpy(p, &v, 8);
		break;
	}
}

/* Store value @v of key @k in the member of @c's union for its opcode. */
static void cmd_set(struct smmuv3_cmd *c, enum ht_cmd_key k, uint64_t v)
{
	enum cmd_family fam = cmd_family(c->opcode);

	for (size_t i = 0; i < ARRAY_LEN(cmd_members); i++) {
		if (cmd_members[i].family != fam || cmd_members[i].key != k)
			continue;
		store((char *)c + cmd_members[i].off, cmd_members[i].size, v);
		return;
	}
}

/**
 * ht_cmd_fill() - set the fields of @c (opcode set, the rest zero) from
 * the @n key=value arguments @args.
 * @vals:	the arguments' values in order, or NULL to take the constant
 *		ones (numbers) and 0 for those known only at run time.
 */
void ht_cmd_fill(struct smmuv3_cmd *c, const struct ht_kv *args, int n, const uint64_t *vals)
{
	for (int i = 0; i < n; i++) {
		uint64_t v = vals ? vals[i] : args[i].v.kind == HV_NUM ? args[i].v.num : 0;

		cmd_set(c, args[i].key, v);
	}
}

/* ---- STE and CD field values ---- */

const char *const ht_ste_config_names[] = {
	"abort", NULL, NULL, NULL, "bypass", "s1", "s2", "nested", NULL
};
const char *const ht_ste_eats_names[] = { "abt", "trans", "s1chk", NULL };
const char *const ht_ste_s1dss_names[] = { "terminate", "bypass", "ssid0", NULL };
const char *const ht_cd_tg0_names[] = { "4k", "64k", "16k", NULL };

/* ---- printing ---- */

/** ht_fmt_value() - @v as text in format @fmt, into @buf; returns @buf. */
const char *ht_fmt_value(enum ht_fmt fmt, uint64_t v, char *buf, size_t len)
{
	const char *name = NULL;

	switch (fmt) {
	case HF_DEC:
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return buf;
	case HF_TIME:
		return sim_format_time(v, buf, len);
	case HF_CERROR:
		name = smmuv3_cerror_name(v);
		break;
	case HF_EVENT:
		name = v <= 0xff ? smmuv3_event_name(v) : NULL;
		break;
	case HF_DMA:
		name = v < HT_DMA_NR ? ht_dma_names[v] : NULL;
		break;
	default:
		break;
	}
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)v);
	return buf;
}

static const char *const reserved[] = {
	"violations", "irq", "stats", "mem", "mem32", "mem64", "now", "all", NULL
};

/** ht_reserved_word() - @s is a keyword of expect operands (no object may take it). */
bool ht_reserved_word(const char *s)
{
	for (int i = 0; reserved[i]; i++)
		if (!strcasecmp(reserved[i], s))
			return true;
	return false;
}
