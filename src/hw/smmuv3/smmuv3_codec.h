/* SPDX-License-Identifier: MIT */
/*
 * Encoders and decoders for the SMMUv3 architectural records: commands
 * (§4), event records (§7.3), PRI queue entries (§8), Stream Table Entries
 * (§5.2) and Context Descriptors (§5.4), plus name tables for traces and
 * for test scripts that speak in register-level terms.
 *
 * Context: every function here is pure. No simulator, no locks, no
 * globals other than constant tables; callable from any task, hardware
 * engine or test, and never a scheduling point.
 *
 * Conventions:
 * - Records are arrays of host-order uint64_t dwords (the model keeps
 *   simulated memory in host order; byte order is not modelled).
 * - Address fields hold full byte addresses (low bits zero), not the
 *   shifted field value: tlbi.addr = 0x7fff0000f000, not 0x7fff0000f.
 * - Encoders return -EINVAL when a value does not fit its field; they do
 *   NOT check architectural legality, so a test or a fault-injection
 *   scenario can build an illegal-but-representable record (CMD_SYNC with
 *   CS=0b11, an STE with a reserved Config). Legality is the job of
 *   smmuv3_cmd_decode(), smmuv3_ste_check() and smmuv3_cd_check().
 */
#ifndef IOMMUSIM_HW_SMMUV3_CODEC_H
#define IOMMUSIM_HW_SMMUV3_CODEC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/smmuv3/smmuv3_regs.h"

/* ------------------------------------------------------------------ */
/* SMMU capabilities the legality checks depend on                     */
/* ------------------------------------------------------------------ */

/**
 * struct smmuv3_caps - ID-register facts that decide legality.
 * @s1p:	IDR0.S1P, stage 1 implemented.
 * @s2p:	IDR0.S2P, stage 2 implemented.
 * @ats:	IDR0.ATS.
 * @pri:	IDR0.PRI.
 * @cd2l:	IDR0.CD2L, 2-level CD tables supported.
 * @stall_model: IDR0.STALL_MODEL (SMMUV3_IDR0_STALL_MODEL_*).
 * @ttf:	IDR0.TTF (SMMUV3_IDR0_TTF_*).
 * @ssid_bits:	IDR1.SSIDSIZE, bits of SubstreamID supported (0..20).
 * @gran4k, @gran16k, @gran64k: IDR5.GRAN*, translation granules.
 * @vax52:	IDR5.VAX == 1, 52-bit stage-1 input addresses.
 */
struct smmuv3_caps {
	bool s1p;
	bool s2p;
	bool ats;
	bool pri;
	bool cd2l;
	uint8_t stall_model;
	uint8_t ttf;
	uint8_t ssid_bits;
	bool gran4k;
	bool gran16k;
	bool gran64k;
	bool vax52;
};

/**
 * smmuv3_caps_from_idr() - Fill @caps from ID register values.
 * @caps:	output.
 * @idr0:	SMMU_IDR0 value.
 * @idr1:	SMMU_IDR1 value.
 * @idr5:	SMMU_IDR5 value.
 *
 * Models the reading of §6.3 SMMU_IDR0/1/5. Pure; cannot fail.
 */
void smmuv3_caps_from_idr(struct smmuv3_caps *caps, uint32_t idr0,
			  uint32_t idr1, uint32_t idr5);

/* ------------------------------------------------------------------ */
/* §4 Commands                                                         */
/* ------------------------------------------------------------------ */

/**
 * struct smmuv3_cmd - one command queue entry, decoded.
 * @opcode:	SMMUV3_CMD_* opcode. CFGI_ALL is CFGI_STE_RANGE with
 *		cfgi.range = SMMUV3_CFGI_ALL_RANGE, as Linux builds it.
 *
 * Only the union member for @opcode's family is meaningful:
 * @prefetch:	PREFETCH_CFG: @sid, @ssid, @ssv.
 * @cfgi:	CFGI_STE (@sid, @leaf), CFGI_STE_RANGE (@sid, @range),
 *		CFGI_CD (@sid, @ssid, @leaf), CFGI_CD_ALL (@sid).
 * @tlbi:	TLBI_*: @asid, @vmid as each opcode defines them; for the
 *		by-address forms (NH_VA, NH_VAA, EL2_VA, S2_IPA) also @num,
 *		@scale (range), @leaf, @ttl (level hint), @tg
 *		(SMMUV3_TLBI_TG_*), @addr (VA, or IPA for S2_IPA; 4KB aligned).
 * @atc_inv:	ATC_INV: @sid, @ssid, @ssv, @global, @size (invalidate
 *		2^@size 4KB pages; SMMUV3_ATC_INV_SIZE_ALL = everything),
 *		@addr (4KB aligned).
 * @pri_resp:	PRI_RESP: @sid, @ssid, @ssv, @grpid (PRG index, 9 bits),
 *		@resp (SMMUV3_PRI_RESP_*).
 * @resume:	RESUME: @sid, @stag, @resp (SMMUV3_RESUME_*).
 * @sync:	CMD_SYNC: @cs (SMMUV3_CMD_SYNC_CS_*), @msh, @msiattr,
 *		@msidata, @msiaddr (4-byte aligned, < 2^52).
 */
struct smmuv3_cmd {
	uint8_t opcode;
	union {
		struct {
			uint32_t sid;
			uint32_t ssid;
			bool ssv;
		} prefetch;
		struct {
			uint32_t sid;
			uint32_t ssid;
			bool leaf;
			uint8_t range;
		} cfgi;
		struct {
			uint16_t asid;
			uint16_t vmid;
			uint8_t num;
			uint8_t scale;
			bool leaf;
			uint8_t ttl;
			uint8_t tg;
			uint64_t addr;
		} tlbi;
		struct {
			uint32_t sid;
			uint32_t ssid;
			bool ssv;
			bool global;
			uint8_t size;
			uint64_t addr;
		} atc_inv;
		struct {
			uint32_t sid;
			uint32_t ssid;
			bool ssv;
			uint16_t grpid;
			uint8_t resp;
		} pri_resp;
		struct {
			uint32_t sid;
			uint16_t stag;
			uint8_t resp;
		} resume;
		struct {
			uint8_t cs;
			uint8_t msh;
			uint8_t msiattr;
			uint32_t msidata;
			uint64_t msiaddr;
		} sync;
	};
};

/**
 * smmuv3_cmd_encode() - Build the 2-dword command queue entry for @cmd.
 * @cmd:	command to encode.
 * @out:	the 16-byte entry, dword 0 first.
 *
 * Models the encodings of §4.2-§4.7 as Linux builds them.
 * Pure; @out is fully written on success and zeroed on failure.
 *
 * Return: 0, or -EINVAL if @cmd is NULL, the opcode is not one the codec
 * models, or a field does not fit (SSID >= 2^20, NUM/SCALE > 31, TTL/TG/CS/
 * MSH/RESP > 3, MSIATTR > 15, SIZE > 63, GRPID > 511, RANGE > 31, an
 * address with bits set below its field or above it). Architecturally
 * illegal values that fit (CS=3, ATC_INV SIZE=60, PRI_RESP RESP=3) are
 * encoded as given.
 */
int smmuv3_cmd_encode(const struct smmuv3_cmd *cmd, uint64_t out[2]);

/**
 * smmuv3_cmd_decode() - Decode and check one command queue entry.
 * @in:		the 16-byte entry, dword 0 first.
 * @cmd:	output; zeroed, then filled with every field decoded (also
 *		when the command is illegal, so a trace can show it).
 * @ats_supported: SMMU_IDR0.ATS of the consuming SMMU.
 * @pri_supported: SMMU_IDR0.PRI of the consuming SMMU.
 *
 * Models the command consumer's legality check (§4.1 and §7.1): the value
 * the SMMU would place in SMMU_CMDQ_CONS.ERR if it stopped at this entry.
 *
 * Checks the architecture mandates:
 * - the opcode is one the SMMU implements (unknown opcode: CERROR_ILL);
 * - CMD_SYNC.CS = 0b11 (reserved) is CERROR_ILL;
 * - PRI_RESP.Resp = 0b11 (reserved) is CERROR_ILL;
 * - ATC_INV.Size > 52 is CERROR_ILL;
 * - ATC_INV when SMMU_IDR0.ATS == 0, PRI_RESP when SMMU_IDR0.PRI == 0,
 *   are CERROR_ILL.
 *
 * Simplifications (stricter or narrower than a real SMMU):
 * - RES0 bits: any bit outside the command's defined fields
 *   (SMMUV3_CMD_*_DEF0/DEF1) makes the command CERROR_ILL. The
 *   architecture tells software to write RES0 as zero; this model takes the
 *   strict reading so a driver encoding bug surfaces instead of being
 *   silently tolerated. A real SMMU may ignore such bits.
 * - Only the opcodes Linux builds are implemented. Architecturally valid
 *   commands Linux never issues (PREFETCH_ADDR 0x02, CFGI_VMS_PIDM,
 *   TLBI_EL2_VAA, TLBI_EL3_*, STALL_TERM 0x45, ...) decode as CERROR_ILL.
 * - Legality that depends on other ID bits is not checked: TLBI_EL2_* with
 *   IDR0.HYP == 0, stage-2 TLBIs with IDR0.S2P == 0, range fields
 *   (NUM/SCALE) with IDR3.RIL == 0, TTL/TG combinations, ATC_INV address
 *   alignment to its size.
 * - RESUME: the Resp field is the architecture's Ac (bit 12, retry) and
 *   AB (bit 13, abort; ignored when Ac is 1) pair, so 0b11 is legal and
 *   decodes as SMMUV3_RESUME_RETRY.
 * - CERROR_ABT (fetch abort) and CERROR_ATC_INV_SYNC (ATC invalidation
 *   timeout) are properties of execution, never of the encoding, and are
 *   never returned here.
 *
 * Return: SMMUV3_CERROR_NONE (0) for a legal command, SMMUV3_CERROR_ILL
 * otherwise (also when @in or @cmd is NULL).
 */
int smmuv3_cmd_decode(const uint64_t in[2], struct smmuv3_cmd *cmd,
		      bool ats_supported, bool pri_supported);

/* ------------------------------------------------------------------ */
/* §7.3 Event records                                                  */
/* ------------------------------------------------------------------ */

/**
 * struct smmuv3_event - one event queue record, decoded.
 * @id:		SMMUV3_EVT_* event ID.
 * @sid:	StreamID.
 * @ssv:	@ssid is valid.
 * @ssid:	SubstreamID (PASID), 20 bits.
 * @stall:	the transaction is stalled and awaits RESUME with @stag.
 * @stag:	stall tag.
 * @read:	RnW: the faulting access was a read (false: write).
 * @priv:	PnU: privileged access.
 * @inst:	InD: instruction fetch.
 * @s2:		the fault arose at stage 2.
 * @class:	SMMUV3_EVT_CLASS_* (what was being accessed).
 * @ttrnw:	TTRnW: the table-walk access was a read.
 * @addr:	InputAddr, the IOVA of the transaction (64 bits).
 * @ipa:	IPA (4KB aligned, < 2^52); records other than the fetch
 *		events below.
 * @fetch_addr:	FetchAddr (8-byte aligned, < 2^52); only F_STE_FETCH,
 *		F_CD_FETCH, F_VMS_FETCH and F_WALK_EABT, whose dword 3 holds
 *		it instead of the IPA.
 */
struct smmuv3_event {
	uint8_t id;
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	bool stall;
	uint16_t stag;
	bool read;
	bool priv;
	bool inst;
	bool s2;
	uint8_t class;
	bool ttrnw;
	uint64_t addr;
	uint64_t ipa;
	uint64_t fetch_addr;
};

/**
 * smmuv3_event_has_fetch_addr() - Whether dword 3 of event @id is FetchAddr.
 * @id:		event ID.
 *
 * Models §7.3: F_STE_FETCH, F_CD_FETCH, F_VMS_FETCH and F_WALK_EABT
 * report the address of the structure fetch that failed. Pure.
 *
 * Return: true for those four IDs, false otherwise.
 */
bool smmuv3_event_has_fetch_addr(unsigned int id);

/**
 * smmuv3_event_encode() - Build the 4-dword event record for @evt.
 * @evt:	event to encode.
 * @out:	the 32-byte record, dword 0 first.
 *
 * Models §7.3. Simplification: every event uses the common layout of the
 * translation faults (the layout Linux decodes every record with); the
 * caller leaves zero the fields an event type does not define. Pure;
 * @out is fully written on success and zeroed on failure.
 *
 * Return: 0, or -EINVAL if @evt is NULL, SSID >= 2^20, class > 3, @ipa is
 * not 4KB aligned or >= 2^52, @fetch_addr is not 8-byte aligned or
 * >= 2^52, or the record's dword 3 cannot hold what is set (an IPA on a
 * fetch event, a fetch address on any other).
 */
int smmuv3_event_encode(const struct smmuv3_event *evt, uint64_t out[4]);

/**
 * smmuv3_event_decode() - Decode a 4-dword event record.
 * @in:		the 32-byte record, dword 0 first.
 * @evt:	output, fully written.
 *
 * Models §7.3 with the common layout; dword 3 goes to @fetch_addr or
 * @ipa according to smmuv3_event_has_fetch_addr(). Pure; cannot fail.
 */
void smmuv3_event_decode(const uint64_t in[4], struct smmuv3_event *evt);

/* ------------------------------------------------------------------ */
/* §8 PRI queue entries                                                */
/* ------------------------------------------------------------------ */

/**
 * struct smmuv3_pri_entry - one PRI queue entry (a PCIe page request).
 * @sid:	StreamID of the requester.
 * @ssv:	@ssid is valid.
 * @ssid:	SubstreamID (PASID), 20 bits.
 * @priv, @exec, @read, @write: requested permissions.
 * @last:	last request of its page request group.
 * @prg_idx:	page request group index, 9 bits.
 * @addr:	requested page address (4KB aligned).
 */
struct smmuv3_pri_entry {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	bool priv;
	bool exec;
	bool read;
	bool write;
	bool last;
	uint16_t prg_idx;
	uint64_t addr;
};

/**
 * smmuv3_pri_encode() - Build the 2-dword PRI queue entry for @pri.
 * @pri:	page request to encode.
 * @out:	the 16-byte entry, dword 0 first.
 *
 * Models §8 (PRI queue entry format). Pure; @out is fully written on
 * success and zeroed on failure.
 *
 * Return: 0, or -EINVAL if @pri is NULL, SSID >= 2^20, PRG index > 511,
 * or @addr is not 4KB aligned.
 */
int smmuv3_pri_encode(const struct smmuv3_pri_entry *pri, uint64_t out[2]);

/**
 * smmuv3_pri_decode() - Decode a 2-dword PRI queue entry.
 * @in:		the 16-byte entry, dword 0 first.
 * @pri:	output, fully written.
 *
 * Models §8. Pure; cannot fail (every bit pattern decodes).
 */
void smmuv3_pri_decode(const uint64_t in[2], struct smmuv3_pri_entry *pri);

/* ------------------------------------------------------------------ */
/* §5.2 Stream Table Entries                                           */
/* ------------------------------------------------------------------ */

/**
 * struct smmuv3_ste - the STE fields fault handling depends on.
 * @valid:	V.
 * @config:	Config (SMMUV3_STE_CONFIG_*).
 * @s1fmt:	S1Fmt (SMMUV3_STE_S1FMT_*).
 * @s1ctxptr:	S1ContextPtr, CD table address (64-byte aligned, < 2^52).
 * @s1cdmax:	S1CDMax, log2 of the number of CDs (0: no substreams).
 * @s1dss:	S1DSS (SMMUV3_STE_S1DSS_*).
 * @s1stalld:	S1STALLD, stall disabled for stage 1 faults.
 * @eats:	EATS (SMMUV3_STE_EATS_*).
 * @strw:	STRW (SMMUV3_STE_STRW_*).
 * @shcfg:	SHCFG.
 * @s2vmid:	S2VMID.
 * @s2ttb:	S2TTB (16-byte aligned, < 2^52).
 *
 * A decoded view: other STE fields (cacheability, VTCR, ...) are not
 * carried, and encoding writes them as zero.
 */
struct smmuv3_ste {
	bool valid;
	uint8_t config;
	uint8_t s1fmt;
	uint64_t s1ctxptr;
	uint8_t s1cdmax;
	uint8_t s1dss;
	bool s1stalld;
	uint8_t eats;
	uint8_t strw;
	uint8_t shcfg;
	uint16_t s2vmid;
	uint64_t s2ttb;
};

/**
 * smmuv3_ste_encode() - Build an 8-dword STE from @ste.
 * @ste:	fields to encode.
 * @out:	the 64-byte STE, dword 0 first; dwords 4-7 are zero.
 *
 * Models the §5.2 layout. Pure; @out is fully written on success and
 * zeroed on failure.
 *
 * Return: 0, or -EINVAL if @ste is NULL or a field does not fit (config
 * > 7, s1fmt/s1dss/eats/strw/shcfg > 3, s1cdmax > 31, misaligned or
 * >= 2^52 s1ctxptr/s2ttb).
 */
int smmuv3_ste_encode(const struct smmuv3_ste *ste, uint64_t out[8]);

/**
 * smmuv3_ste_decode() - Extract the modelled fields of an 8-dword STE.
 * @in:		the 64-byte STE, dword 0 first.
 * @ste:	output, fully written.
 *
 * Models §5.2. Pure; cannot fail. Does not judge legality: see
 * smmuv3_ste_check().
 */
void smmuv3_ste_decode(const uint64_t in[8], struct smmuv3_ste *ste);

/**
 * enum smmuv3_ste_verdict - why an STE cannot be used.
 * @SMMUV3_STE_OK:		usable.
 * @SMMUV3_STE_INVALID:		V == 0.
 * @SMMUV3_STE_BAD_CONFIG:	Config is reserved (0b001..0b011).
 * @SMMUV3_STE_BAD_STAGE:	Config enables a stage the SMMU lacks.
 * @SMMUV3_STE_BAD_S1CDMAX:	S1CDMax > SMMU_IDR1.SSIDSIZE.
 * @SMMUV3_STE_BAD_S1FMT:	S1Fmt reserved, or 2-level without CD2L.
 * @SMMUV3_STE_BAD_S1DSS:	S1DSS reserved (0b11).
 * @SMMUV3_STE_BAD_EATS:	EATS reserved, S1CHK outside nesting, or
 *				non-zero without ATS.
 * @SMMUV3_STE_BAD_S1STALLD:	S1STALLD set where stalls are forced.
 */
enum smmuv3_ste_verdict {
	SMMUV3_STE_OK = 0,
	SMMUV3_STE_INVALID,
	SMMUV3_STE_BAD_CONFIG,
	SMMUV3_STE_BAD_STAGE,
	SMMUV3_STE_BAD_S1CDMAX,
	SMMUV3_STE_BAD_S1FMT,
	SMMUV3_STE_BAD_S1DSS,
	SMMUV3_STE_BAD_EATS,
	SMMUV3_STE_BAD_S1STALLD,
};

/**
 * smmuv3_ste_check() - Whether the SMMU may use @ste, or must raise
 *			C_BAD_STE.
 * @ste:	decoded STE.
 * @caps:	the SMMU's capabilities.
 *
 * Models the "ILLEGAL STE" conditions of §5.2. Fields are checked only
 * where the architecture says the SMMU uses them: nothing beyond V and
 * Config for an abort STE, stage-1 fields only when Config enables
 * stage 1, S1Fmt and S1DSS only when S1CDMax != 0, EATS only when Config
 * is not abort. The first failing condition, in enum order, is returned.
 *
 * Architecture: V == 0 (reported as C_BAD_STE); reserved Config; a stage
 * the SMMU does not implement; S1CDMax > SSIDSIZE; S1Fmt = 0b11 or a
 * 2-level format without IDR0.CD2L; S1DSS = 0b11; EATS = 0b11; EATS = S1CHK
 * when Config is not nested; S1STALLD = 1 when IDR0.STALL_MODEL is
 * "forced".
 * Strict model choice: EATS != 0 when IDR0.ATS == 0 is ILLEGAL here, so a
 * driver enabling ATS on an SMMU without it is caught.
 * Not checked (not modelled): STRW against IDR0.HYP, stage-2 VTCR/S2TTB
 * contents, VMID width, Secure-state fields.
 *
 * Pure. Return: SMMUV3_STE_OK, or the enum smmuv3_ste_verdict reason
 * (SMMUV3_STE_INVALID also for a NULL argument).
 */
enum smmuv3_ste_verdict smmuv3_ste_check(const struct smmuv3_ste *ste,
					 const struct smmuv3_caps *caps);

/**
 * smmuv3_ste_verdict_name() - Short name of a verdict for traces.
 * @v:		verdict.
 *
 * Pure. Return: a static string such as "BAD_EATS", or NULL if @v is out
 * of range.
 */
const char *smmuv3_ste_verdict_name(enum smmuv3_ste_verdict v);

/* ------------------------------------------------------------------ */
/* §5.4 Context Descriptors                                            */
/* ------------------------------------------------------------------ */

/**
 * struct smmuv3_cd - the CD fields fault handling depends on.
 * @valid:	V.
 * @asid:	ASID.
 * @ttb0:	TTB0, stage-1 table root (16-byte aligned, < 2^52).
 * @t0sz:	T0SZ: input region is 2^(64 - @t0sz) bytes.
 * @tg0:	TG0 (SMMUV3_CD_TG0_*).
 * @ips:	IPS (an SMMUV3_IDR5_OAS_* value).
 * @epd0:	EPD0: TTB0 walks disabled (faults instead).
 * @epd1:	EPD1: TTB1 walks disabled.
 * @aa64:	AA64: AArch64 table format.
 * @s:		S: stall on fault (instead of terminate).
 * @r:		R: record faults to the event queue.
 * @a:		A: terminated transactions get an abort (not RAZ/WI).
 * @mair:	MAIR (dword 3).
 *
 * A decoded view: other CD fields are not carried and encode as zero.
 */
struct smmuv3_cd {
	bool valid;
	uint16_t asid;
	uint64_t ttb0;
	uint8_t t0sz;
	uint8_t tg0;
	uint8_t ips;
	bool epd0;
	bool epd1;
	bool aa64;
	bool s;
	bool r;
	bool a;
	uint64_t mair;
};

/**
 * smmuv3_cd_encode() - Build an 8-dword CD from @cd.
 * @cd:		fields to encode.
 * @out:	the 64-byte CD, dword 0 first.
 *
 * Models the §5.4 layout. Pure; @out is fully written on success and
 * zeroed on failure.
 *
 * Return: 0, or -EINVAL if @cd is NULL or a field does not fit (t0sz
 * > 63, tg0 > 3, ips > 7, ttb0 misaligned or >= 2^52).
 */
int smmuv3_cd_encode(const struct smmuv3_cd *cd, uint64_t out[8]);

/**
 * smmuv3_cd_decode() - Extract the modelled fields of an 8-dword CD.
 * @in:		the 64-byte CD, dword 0 first.
 * @cd:		output, fully written.
 *
 * Models §5.4. Pure; cannot fail. Legality: see smmuv3_cd_check().
 */
void smmuv3_cd_decode(const uint64_t in[8], struct smmuv3_cd *cd);

/**
 * enum smmuv3_cd_verdict - why a CD cannot be used.
 * @SMMUV3_CD_OK:		usable.
 * @SMMUV3_CD_INVALID:		V == 0.
 * @SMMUV3_CD_BAD_AA64:		AA64 == 0 on an SMMU without AArch32 tables.
 * @SMMUV3_CD_BAD_TG0:		TG0 reserved or a granule the SMMU lacks.
 * @SMMUV3_CD_BAD_T0SZ:		T0SZ outside the supported input sizes.
 * @SMMUV3_CD_BAD_STALL:	S = 1 where stalls cannot be used.
 */
enum smmuv3_cd_verdict {
	SMMUV3_CD_OK = 0,
	SMMUV3_CD_INVALID,
	SMMUV3_CD_BAD_AA64,
	SMMUV3_CD_BAD_TG0,
	SMMUV3_CD_BAD_T0SZ,
	SMMUV3_CD_BAD_STALL,
};

/**
 * smmuv3_cd_check() - Whether the SMMU may use @cd, or must raise C_BAD_CD.
 * @cd:		decoded CD.
 * @caps:	the SMMU's capabilities.
 * @ste_s1stalld: S1STALLD of the STE that points at this CD.
 *
 * Models the "ILLEGAL CD" conditions of §5.4 (and §5.5 fault
 * configuration) for the AArch64 stage-1 the model translates with.
 * TG0 and T0SZ are checked only while TTB0 walks are enabled (EPD0 == 0).
 *
 * Architecture: V == 0 (reported as C_BAD_CD); AA64 == 0 when IDR0.TTF is
 * AArch64-only; TG0 = 0b11 or a granule IDR5 does not list; T0SZ below 16
 * (12 with IDR5.VAX 52-bit) or above 39; S = 1 with STE.S1STALLD = 1.
 * Strict model choice: S = 1 when IDR0.STALL_MODEL says stalls are not
 * supported is ILLEGAL here.
 * Not checked (not modelled): TTB1/T1SZ, IPS against OAS, ASID width,
 * HA/HD against IDR0.HTTU, the SMMUv3.2 small-translation-table T0SZ
 * extension.
 *
 * Pure. Return: SMMUV3_CD_OK or the enum smmuv3_cd_verdict reason
 * (SMMUV3_CD_INVALID also for a NULL argument).
 */
enum smmuv3_cd_verdict smmuv3_cd_check(const struct smmuv3_cd *cd,
				       const struct smmuv3_caps *caps,
				       bool ste_s1stalld);

/**
 * smmuv3_cd_verdict_name() - Short name of a verdict for traces.
 * @v:		verdict.
 *
 * Pure. Return: a static string such as "BAD_T0SZ", or NULL if @v is out
 * of range.
 */
const char *smmuv3_cd_verdict_name(enum smmuv3_cd_verdict v);

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/**
 * smmuv3_cmd_name() - Architectural name of a command opcode.
 * @opcode:	SMMUV3_CMD_* value.
 *
 * Names are the §4 command names without the "CMD_" prefix, except
 * CMD_SYNC ("CFGI_STE", "ATC_INV", "CMD_SYNC"); 0x04 is "CFGI_STE_RANGE".
 * Only opcodes the codec models are named. Pure.
 *
 * Return: a static string, or NULL for an opcode the codec does not model.
 */
const char *smmuv3_cmd_name(unsigned int opcode);

/**
 * smmuv3_cmd_opcode_by_name() - Opcode of a command named in a script.
 * @name:	command name, case-insensitive, with or without a leading
 *		"CMD_" ("CFGI_STE", "cmd_cfgi_ste", "CMD_SYNC", "SYNC").
 *		"CFGI_ALL" is accepted and yields CFGI_STE_RANGE's opcode.
 *
 * Pure. Return: the opcode (0..255), -EINVAL if @name is NULL, -ENOENT if
 * no modelled command has that name.
 */
int smmuv3_cmd_opcode_by_name(const char *name);

/**
 * smmuv3_event_name() - Architectural name of an event ID.
 * @id:		SMMUV3_EVT_* value.
 *
 * Names as in §7.3 ("F_TRANSLATION", "C_BAD_STE", "E_PAGE_REQUEST").
 * Pure. Return: a static string, or NULL for an unknown or IMPDEF ID.
 */
const char *smmuv3_event_name(unsigned int id);

/**
 * smmuv3_event_id_by_name() - Event ID of a name from smmuv3_event_name().
 * @name:	event name, case-insensitive ("F_TRANSLATION").
 *
 * Pure. Return: the ID, -EINVAL if @name is NULL, -ENOENT if unknown.
 */
int smmuv3_event_id_by_name(const char *name);

/**
 * smmuv3_cerror_name() - Name of a CMDQ_CONS.ERR value.
 * @cerror:	SMMUV3_CERROR_* value.
 *
 * Models §7.1. Pure. Return: "CERROR_NONE", "CERROR_ILL", "CERROR_ABT",
 * "CERROR_ATC_INV_SYNC", or NULL for any other value.
 */
const char *smmuv3_cerror_name(unsigned int cerror);

/**
 * struct smmuv3_const - a named architectural constant.
 * @name:	name as a test script writes it: register offsets as
 *		"SMMU_CR0", register bits as "CR0_SMMUEN", field values as
 *		"CERROR_ILL", "PRI_RESP_SUCC", "STE_CONFIG_S1_TRANS", opcodes
 *		as "CMD_CFGI_STE", event IDs as "F_TRANSLATION".
 * @value:	its value (offsets in bytes, bits as masks, values unshifted).
 */
struct smmuv3_const {
	const char *name;
	uint64_t value;
};

/**
 * smmuv3_const_by_name() - Look up a named constant.
 * @name:	constant name, case-insensitive.
 * @value:	output; untouched unless found.
 *
 * Pure. Return: 0, -EINVAL if an argument is NULL, -ENOENT if unknown.
 */
int smmuv3_const_by_name(const char *name, uint64_t *value);

/**
 * smmuv3_const_at() - Iterate over the named constants.
 * @i:		index from 0.
 *
 * Pure. Return: the @i-th entry, or NULL past the end.
 */
const struct smmuv3_const *smmuv3_const_at(unsigned int i);

#endif /* IOMMUSIM_HW_SMMUV3_CODEC_H */
