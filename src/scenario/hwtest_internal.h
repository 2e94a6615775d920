/* SPDX-License-Identifier: MIT */
/*
 * hwtest internals: the parsed form of a script, the objects it names,
 * and the functions the hwtest files share.  Not for use outside
 * src/scenario/hwtest*.c; the contract is hwtest.h, the language is
 * docs/hwtest.md.
 *
 * Files:
 *   hwtest.c          the command, options, the run (simulator, memory,
 *                     hardware instantiation, the script task, the end)
 *   hwtest_lex.c      lines and tokens, numbers, values, items, operands
 *   hwtest_parse.c    the statement table and the parsers of the SMMU-side
 *                     statements
 *   hwtest_parse_mem.c the parsers of memory, table and device statements
 *   hwtest_exec.c     evaluation, settling, and the register, command,
 *                     queue and expect statements
 *   hwtest_exec_mem.c memory, tables, device and DMA statements
 *   hwtest_names.c    name tables: register fields, config registers,
 *                     counters, constants, enumerations, record fields
 *
 * Life of a script: hwtest_parse() turns the text into struct ht_script
 * (every error reported, nothing run); run_script() in hwtest.c builds
 * the hardware and runs the statements in one task; ht_script_free().
 */
#ifndef IOMMUSIM_SCENARIO_HWTEST_INTERNAL_H
#define IOMMUSIM_SCENARIO_HWTEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hw/mem.h"
#include "hw/pcie/pcie_ep.h"
#include "hw/smmuv3/smmuv3.h"
#include "hw/smmu/smmuv2.h"
#include "scenario/diag.h"
#include "scenario/hwtest.h"
#include "sim/sim.h"

#define HT_NAME_LEN	32	/* object names, with the NUL */
#define HT_MAX_TOKS	40	/* tokens on one line */
#define HT_CMD_ARGS	16	/* key=value arguments of one `cmd` */
#define HT_SET_ARGS	8	/* knobs of one `set` */
#define HT_MEM_SIZE	(64ULL << 20)	/* the script's physical memory */

/* ---- lines and tokens ---- */

struct ht_tok {
	char *s;		/* NUL-terminated, inside the line's buffer */
	unsigned col;		/* 1-based column, in characters */
};

struct ht_line {
	unsigned no;		/* 1-based line number */
	char *buf;		/* owned: the tokens point into it */
	char *text;		/* owned: the statement as written, no comment */
	unsigned end_col;	/* column just past the last token */
	struct ht_tok tok[HT_MAX_TOKS];
	int ntok;
};

/* ---- objects ---- */

enum ht_kind {
	HT_SMMU,
	HT_DEV,
	HT_BUF,		/* `alloc` */
	HT_PGTABLE,	/* `pgtable` */
	HT_CD,		/* `cd` */
	HT_SMMUV2,	/* `smmuv2` (hwtest_smmuv2.c) */
};

#define HT_KMASK(k)	(1U << (k))
#define HT_KMEM		(HT_KMASK(HT_BUF) | HT_KMASK(HT_PGTABLE) | HT_KMASK(HT_CD))

struct ht_smmu {
	struct smmuv3_config cfg;	/* cfg.name points at the object's name */
	unsigned sid_bits;		/* linear stream table of 2^sid_bits STEs */
	unsigned cmdq_log2, evtq_log2, priq_log2;
	bool evt_read, pri_read;	/* parse time: `evtq`/`priq ... next` seen */
	/* run time */
	struct smmuv3 *smmu;
	uint64_t cmdq_pa, evtq_pa, priq_pa, strtab_pa;
	struct sim_irq *irq[SMMUV3_NR_IRQS];
	uint64_t irq_count[SMMUV3_NR_IRQS];
	struct smmuv3_event evt;	/* last `evtq ... next` */
	struct smmuv3_pri_entry pri;	/* last `priq ... next` */
};

/* Outcome of a device's last `dma` (constants ok, fault, ...). */
enum ht_dma_outcome {
	HT_DMA_NONE,		/* no DMA yet */
	HT_DMA_PENDING,		/* still in flight: stalled, waiting for a PRG */
	HT_DMA_OK,
	HT_DMA_FAULT,		/* aborted: fault, terminated, no translation */
	HT_DMA_REFUSED,		/* a translated request refused (EATS, ATSCHK) */
	HT_DMA_NOT_ISSUED,	/* the function could not issue DMA */
	HT_DMA_NR,
};

struct ht_dev {
	struct pcie_ep_config cfg;	/* cfg.name points at the object's name */
	int smmu;			/* object index of its SMMU */
	/* run time */
	struct pcie_ep *ep;
	uint64_t dma_seq;		/* `dma` statements issued */
	enum ht_dma_outcome dma_outcome;
	uint64_t dma_value;		/* data of the last read */
};

struct ht_obj {
	char name[HT_NAME_LEN];
	enum ht_kind kind;
	unsigned line;			/* where it was made */
	bool live;			/* parse time: not freed */
	union {
		struct ht_smmu smmu;
		struct ht_dev dev;
		struct {
			size_t pages;
			uint64_t pa;	/* run time */
		} buf;
		struct {
			uint64_t root;	/* run time */
		} pt;
		struct {
			uint64_t pa;	/* run time; 0 until first written */
		} cd;
		struct ht_smmuv2 {
			struct smmuv2_config cfg;	/* cfg.name: the object's name */
			bool per_bank;			/* irqs=per-bank */
			/* run time */
			struct smmuv2 *hw;
			uint64_t pt, page;		/* its empty table, a page */
			int outcome[8];			/* `v2access` slots */
		} v2;
	};
};

/* ---- values and items ---- */

/* How a value is printed (and compared values of an expect). */
enum ht_fmt {
	HF_HEX,
	HF_DEC,
	HF_CERROR,	/* CMDQ_CONS.ERR values */
	HF_EVENT,	/* event IDs */
	HF_DMA,		/* enum ht_dma_outcome */
	HF_TIME,	/* ns */
};

/* Fields whose position depends on a queue's LOG2SIZE. */
enum ht_qfield {
	HQ_NONE,
	HQ_IDX,		/* index bits */
	HQ_WRAP,	/* the wrap bit */
	HQ_IW,		/* index and wrap: PROD.WR, CONS.RD */
};

enum ht_item_kind {
	HI_REG,		/* SMMU register (or field) */
	HI_EVT,		/* field of the last event read */
	HI_PRI,		/* field of the last PRI entry read */
	HI_STALLS,	/* stalls held by the SMMU */
	HI_DMA,		/* outcome of the device's last DMA */
	HI_DMA_VALUE,	/* data of its last DMA read */
	HI_DEV_STATE,	/* ATC entries, outstanding PRGs, FLR, enables */
	HI_CFG,		/* configuration register (or field) */
	HI_STAT,	/* a counter of struct smmuv3_stats / pcie_ep_stats / hw_mem_stats */
	HI_IRQ,		/* deliveries on an SMMU interrupt line */
	HI_VIOL,	/* violations of one ID, or all */
	HI_MEM,		/* 32/64 bits of memory */
	HI_NOW,		/* virtual time, ns */
};

/* An address: an offset into a memory object, or absolute (obj < 0). */
struct ht_addr {
	int obj;
	uint64_t off;
};

/* Something the run can read (and, for HI_REG/HI_CFG/HI_MEM, write). */
struct ht_item {
	enum ht_item_kind kind;
	int obj;		/* SMMU or device; -1 */
	uint32_t off;		/* register or cfg offset; counter offset */
	unsigned width;		/* bits of the access: 8/16/32/64 */
	uint64_t mask;		/* field mask; 0: the whole register */
	enum ht_qfield qfield;	/* HQ_NONE, or a queue field (mask unused) */
	uint32_t qbase;		/* the queue's *_BASE offset, for qfield */
	unsigned qmax;		/* the queue's largest LOG2SIZE */
	int idx;		/* record field, counter table, line, violation id */
	enum ht_fmt fmt;
	struct ht_addr addr;	/* HI_MEM */
	char name[64];		/* as printed: "smmu0 CMDQ_CONS.ERR" */
};

enum ht_val_kind {
	HV_NUM,		/* a number, time or constant */
	HV_ADDR,	/* a memory object's address (+ offset) */
	HV_ITEM,	/* read at run time */
};

struct ht_val {
	enum ht_val_kind kind;
	uint64_t num;
	struct ht_addr addr;
	struct ht_item item;
	enum ht_fmt fmt;
	unsigned col;
	const char *text;	/* as written (first token) */
};

/* ---- statements ---- */

enum ht_op {
	HT_OP_SMMU,
	HT_OP_DEVICE,
	HT_OP_READ,	/* read32/read64, cfg_read*, mem_read* */
	HT_OP_WRITE,	/* write32/write64, cfg_write*, mem_write* */
	HT_OP_CMD,
	HT_OP_REPLACE,	/* a command written over the entry at CMDQ_CONS */
	HT_OP_RAW,
	HT_OP_SET,
	HT_OP_ADVANCE,
	HT_OP_EXPECT,
	HT_OP_STE,
	HT_OP_CD,
	HT_OP_ALLOC,
	HT_OP_FREE,
	HT_OP_PGTABLE,
	HT_OP_MAP,
	HT_OP_UNMAP,
	HT_OP_DMA,
	HT_OP_FLR,
	HT_OP_ENABLE,
	HT_OP_DISABLE,
	HT_OP_SFM,
	HT_OP_RESET,
	HT_OP_EVTQ,
	HT_OP_PRIQ,
	HT_OP_PRINT,
	HT_OP_STATS,
	HT_OP_SMMUV2,	/* hwtest_smmuv2.c: smmuv2, v2write, v2read, v2expect, v2access, v2map */
	HT_OP_V2WRITE,
	HT_OP_V2READ,
	HT_OP_V2EXPECT,
	HT_OP_V2ACCESS,
	HT_OP_V2MAP,
};

enum ht_cmp { HC_EQ, HC_NE, HC_LT, HC_LE, HC_GT, HC_GE };

/* Keys of a `cmd`; values of enum ht_cmd_key index ht_cmd_keys[]. */
enum ht_cmd_key {
	CK_SID, CK_SSID, CK_SSV, CK_LEAF, CK_RANGE, CK_ASID, CK_VMID,
	CK_NUM, CK_SCALE, CK_TTL, CK_TG, CK_ADDR, CK_SIZE, CK_GLOBAL,
	CK_GRPID, CK_RESP, CK_STAG, CK_CS, CK_MSH, CK_MSIATTR, CK_MSIDATA,
	CK_MSIADDR, CK_NR,
};

/* `enable`/`disable` features */
#define HT_EN_MASTER	0x1
#define HT_EN_ATS	0x2
#define HT_EN_PRI	0x4
#define HT_EN_PASID	0x8

/* `evtq`/`priq` actions */
enum ht_qaction { HQA_NEXT, HQA_DRAIN, HQA_ACK };

struct ht_kv {
	uint8_t key;
	struct ht_val v;
};

struct ht_stmt {
	enum ht_op op;
	unsigned line, col;
	const char *text;	/* the statement as written */
	int obj;		/* the object it acts on, or -1 */
	union {
		struct {
			struct ht_item item;
			struct ht_val val;	/* writes */
		} rw;
		struct {
			uint8_t opcode;
			int nargs;
			struct ht_kv args[HT_CMD_ARGS];
		} cmd;
		struct {
			struct ht_val dw[2];
		} raw;
		struct {
			int n;
			const char *key[HT_SET_ARGS];
			const char *val[HT_SET_ARGS];
			unsigned col[HT_SET_ARGS];
		} set;
		struct {
			uint64_t ns;
		} advance;
		struct {
			struct ht_val lhs, rhs;
			enum ht_cmp op;
			const char *text;	/* "smmu0 CMDQ_CONS.ERR == CERROR_ILL" */
		} expect;
		struct {
			uint32_t sid;
			struct smmuv3_ste ste;
			int cd;			/* CD object for S1ContextPtr, or -1 */
			bool has_cdptr;
			struct ht_val cdptr;
		} ste;
		struct {
			struct smmuv3_cd cd;
			int pt;			/* page table object for TTB0, or -1 */
			bool has_ttb0;
			struct ht_val ttb0;
		} cd;
		struct {
			uint64_t iova;
			struct ht_val pa;
			uint8_t perm;
		} map;
		struct {
			uint64_t iova;
		} unmap;
		struct {
			bool write;
			struct ht_val iova;
			struct ht_val value;
			bool pasid_valid;
			uint32_t pasid;
		} dma;
		struct {
			unsigned what;		/* HT_EN_* */
			bool has_alloc;
			uint32_t pri_alloc;
		} en;
		struct {
			enum ht_qaction action;
		} q;
		struct {
			const char *text;
		} print;
		struct {			/* the SMMUv2 statements */
			int item;		/* enum in hwtest_smmuv2.c */
			uint32_t off;		/* register offset */
			unsigned width;
			uint32_t mask;		/* field, or 0 */
			uint64_t val;
			bool val_is_pt;		/* the value is the object's table */
			enum ht_cmp op;
			int slot;
			uint32_t sid;
			uint64_t iova;
			bool write;
			const char *what;	/* the item as written */
		} v2;
	};
};

struct ht_script {
	char *name;			/* file name for messages */
	struct ht_line **lines;		/* every statement line, owned */
	int nlines, lines_cap;
	struct ht_obj **objs;
	int nobjs, objs_cap;
	struct ht_stmt *stmts;
	int nstmts, stmts_cap;
	uint32_t viol_named;		/* bit per enum violation_id an expect names */
	bool viol_all;			/* an expect names every violation */
};

/* ---- hwtest_lex.c ---- */

/* The parser's state for one line. */
struct ht_parser {
	struct ht_script *sc;
	struct diag *d;
	struct ht_line *ln;
	struct ht_stmt *st;
};

bool ht_err(struct ht_parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct ht_line *ht_lex_line(struct ht_parser *p, unsigned no, const char *s, size_t len);
bool ht_need(struct ht_parser *p, int i, const char *what);
bool ht_no_more(struct ht_parser *p, int i);
const char *ht_kv_split(const struct ht_tok *t, char *key, size_t keylen, unsigned *vcol);
bool ht_parse_u64(struct ht_parser *p, const char *s, unsigned col, uint64_t max, uint64_t *out);
bool ht_parse_time(struct ht_parser *p, const char *s, unsigned col, uint64_t *ns);
bool ht_parse_flag(struct ht_parser *p, const char *s, unsigned col, bool *out);
bool ht_parse_enum(struct ht_parser *p, const char *s, unsigned col,
		   const char *const names[], uint64_t max, uint64_t *out);
int ht_obj_find(const struct ht_script *sc, const char *name);
bool ht_obj_ref(struct ht_parser *p, const struct ht_tok *t, unsigned kinds, int *idx);
bool ht_name_ok(struct ht_parser *p, const struct ht_tok *t);
struct ht_obj *ht_obj_new(struct ht_parser *p, const struct ht_tok *t, enum ht_kind kind);
int ht_item_of(struct ht_parser *p, int obj, const char *s, unsigned col,
	       unsigned width, bool quiet, struct ht_item *it);
bool ht_parse_value(struct ht_parser *p, const char *s, unsigned col, int ctx,
		    struct ht_val *v);
bool ht_parse_addr(struct ht_parser *p, const char *s, unsigned col, struct ht_val *v);
bool ht_parse_operand(struct ht_parser *p, int *i, int ctx, struct ht_val *v, int *obj);

/* ---- hwtest_parse.c ---- */

typedef bool (*ht_kv_fn)(struct ht_parser *p, const char *key, const char *val,
			 unsigned kcol, unsigned vcol, void *ctx);

bool ht_kv_loop(struct ht_parser *p, int from, ht_kv_fn fn, void *ctx);
bool ht_obj_arg(struct ht_parser *p, int i, unsigned kinds, const char *what);
bool ht_key_unknown(struct ht_parser *p, const char *key, unsigned col, const char *keys);
const char *ht_cmp_name(enum ht_cmp op);

/**
 * hwtest_parse() - parse @len bytes of @text into @sc.
 * Every error is reported to @d as FILE:LINE:COL: message.
 * Return: true when the script is well formed.
 */
bool hwtest_parse(struct ht_script *sc, struct diag *d, const char *text, size_t len);
void ht_script_free(struct ht_script *sc);

/* ---- hwtest_parse_mem.c ---- */

bool ht_parse_ste(struct ht_parser *p);
bool ht_parse_cd(struct ht_parser *p);
bool ht_parse_alloc(struct ht_parser *p);
bool ht_parse_free(struct ht_parser *p);
bool ht_parse_pgtable(struct ht_parser *p);
bool ht_parse_map(struct ht_parser *p);
bool ht_parse_unmap(struct ht_parser *p);
bool ht_parse_dma(struct ht_parser *p);
bool ht_parse_flr(struct ht_parser *p);
bool ht_parse_enable(struct ht_parser *p);

/* ---- hwtest_names.c ---- */

struct ht_field {
	const char *name;
	uint64_t mask;
	enum ht_qfield q;
	enum ht_fmt fmt;
};

struct ht_cfgreg {
	const char *name;
	unsigned off;
	unsigned size;		/* bytes */
	const struct ht_field *fields;
};

struct ht_stat {
	const char *name;
	size_t off;		/* of a uint64_t in the stats struct */
};

enum ht_stat_set { HS_SMMU, HS_DEV, HS_MEM };

struct ht_cmd_keydesc {
	const char *name;
	uint64_t max;		/* largest value */
	const char *const *names;	/* symbolic values, index = value; may be NULL */
};

const struct ht_field *ht_reg_fields(uint32_t off, uint32_t *qbase);
const char *ht_reg_field_list(uint32_t off, char *buf, size_t len);
const struct ht_field *ht_field_find(const struct ht_field *f, const char *name);
const struct ht_cfgreg *ht_cfgreg_find(const char *name);
const struct ht_cfgreg *ht_cfgreg_at(unsigned off);
const struct ht_stat *ht_stat_find(enum ht_stat_set set, const char *name);
const struct ht_stat *ht_stat_at(enum ht_stat_set set, unsigned i);
int ht_irq_find(const char *name);
const char *ht_irq_name(int line);
bool ht_const_find(const char *name, uint64_t *val, enum ht_fmt *fmt);
int ht_evt_field(const char *name, enum ht_fmt *fmt);
uint64_t ht_evt_get(const struct smmuv3_event *e, int idx);
int ht_pri_field(const char *name, enum ht_fmt *fmt);
uint64_t ht_pri_get(const struct smmuv3_pri_entry *e, int idx);
int ht_dev_state(const char *name);
const char *ht_dev_state_name(int idx);
extern const struct ht_cmd_keydesc ht_cmd_keys[CK_NR];
uint32_t ht_cmd_allowed(uint8_t opcode);
void ht_cmd_fill(struct smmuv3_cmd *c, const struct ht_kv *args, int n, const uint64_t *vals);
extern const char *const ht_dma_names[];
extern const char *const ht_ste_config_names[];
extern const char *const ht_ste_eats_names[];
extern const char *const ht_ste_s1dss_names[];
extern const char *const ht_cd_tg0_names[];
const char *ht_fmt_value(enum ht_fmt fmt, uint64_t v, char *buf, size_t len);
bool ht_reserved_word(const char *s);

/* ---- hwtest_exec.c ---- */

struct ht_dma;

/* One run of a parsed script. */
struct ht_run {
	struct ht_script *sc;
	FILE *out, *err;
	struct sim *sim;
	struct hw_mem *mem;
	struct sim_task *task;		/* the script */
	int status;			/* HWTEST_* */
	const struct ht_stmt *cur;	/* the statement running */
	unsigned nexpects;
	struct ht_dma **dmas;		/* in-flight records, freed at the end */
	int ndmas, dmas_cap;
};

void ht_fail(struct ht_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ht_bad(struct ht_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool ht_eval(struct ht_run *r, const struct ht_val *v, uint64_t *out);
bool ht_addr_eval(struct ht_run *r, const struct ht_addr *a, uint64_t *pa);
bool ht_item_read(struct ht_run *r, const struct ht_item *it, uint64_t *out);
bool ht_exec_stmt(struct ht_run *r, const struct ht_stmt *st);
struct ht_obj *ht_o(struct ht_run *r, int idx);
bool ht_smmu_program(struct ht_run *r, struct ht_smmu *s);

/* ---- hwtest_smmuv2.c ---- */

bool ht_parse_smmuv2(struct ht_parser *p);
bool ht_parse_v2(struct ht_parser *p);
bool ht_exec_smmuv2_stmt(struct ht_run *r, const struct ht_stmt *st);

/* ---- hwtest_exec_mem.c ---- */

bool ht_exec_mem_stmt(struct ht_run *r, const struct ht_stmt *st);
bool ht_mem_write_item(struct ht_run *r, const struct ht_item *it, uint64_t v);
bool ht_mem_read_item(struct ht_run *r, const struct ht_item *it, uint64_t *out);
bool ht_cfg_write_item(struct ht_run *r, const struct ht_item *it, uint64_t v);
bool ht_cfg_read_item(struct ht_run *r, const struct ht_item *it, uint64_t *out);
uint64_t ht_dev_state_get(struct ht_run *r, const struct ht_item *it);
void ht_dmas_free(struct ht_run *r);

#endif /* IOMMUSIM_SCENARIO_HWTEST_INTERNAL_H */
