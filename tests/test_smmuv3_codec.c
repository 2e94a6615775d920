// SPDX-License-Identifier: MIT
/*
 * Unit tests for the SMMUv3 record codec (src/hw/smmuv3/smmuv3_codec.c)
 * and the facts in smmuv3_regs.h.
 *
 * Expected encodings are literal hex worked out by hand from the field
 * positions in Linux's arm-smmu-v3.h, never computed with the header's own
 * macros, so a wrong mask in the header or the codec makes a test fail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hw/smmuv3/smmuv3_codec.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Header facts                                                        */
/* ------------------------------------------------------------------ */

static void test_regs_offsets(void **state)
{
	assert_int_equal(SMMUV3_IDR0, 0x00);
	assert_int_equal(SMMUV3_IDR1, 0x04);
	assert_int_equal(SMMUV3_IDR5, 0x14);
	assert_int_equal(SMMUV3_AIDR, 0x1c);
	assert_int_equal(SMMUV3_CR0, 0x20);
	assert_int_equal(SMMUV3_CR0ACK, 0x24);
	assert_int_equal(SMMUV3_GBPA, 0x44);
	assert_int_equal(SMMUV3_IRQ_CTRL, 0x50);
	assert_int_equal(SMMUV3_GERROR, 0x60);
	assert_int_equal(SMMUV3_GERRORN, 0x64);
	assert_int_equal(SMMUV3_GERROR_IRQ_CFG0, 0x68);
	assert_int_equal(SMMUV3_GERROR_IRQ_CFG2, 0x74);
	assert_int_equal(SMMUV3_STRTAB_BASE, 0x80);
	assert_int_equal(SMMUV3_STRTAB_BASE_CFG, 0x88);
	assert_int_equal(SMMUV3_CMDQ_BASE, 0x90);
	assert_int_equal(SMMUV3_CMDQ_PROD, 0x98);
	assert_int_equal(SMMUV3_CMDQ_CONS, 0x9c);
	assert_int_equal(SMMUV3_EVTQ_BASE, 0xa0);
	assert_int_equal(SMMUV3_EVTQ_PROD, 0x100a8);
	assert_int_equal(SMMUV3_EVTQ_CONS, 0x100ac);
	assert_int_equal(SMMUV3_EVTQ_IRQ_CFG1, 0xb8);
	assert_int_equal(SMMUV3_PRIQ_BASE, 0xc0);
	assert_int_equal(SMMUV3_PRIQ_PROD, 0x100c8);
	assert_int_equal(SMMUV3_PRIQ_CONS, 0x100cc);
	assert_int_equal(SMMUV3_PRIQ_IRQ_CFG2, 0xdc);
}

static void test_regs_fields(void **state)
{
	/* GERROR: bits 0, 2..8; bit 1 is not an error bit. */
	assert_int_equal(SMMUV3_GERROR_ERR_MASK, 0x1fd);
	assert_int_equal(SMMUV3_GERROR_CMDQ_ERR | SMMUV3_GERROR_EVTQ_ABT_ERR |
			 SMMUV3_GERROR_PRIQ_ABT_ERR |
			 SMMUV3_GERROR_MSI_CMDQ_ABT_ERR |
			 SMMUV3_GERROR_MSI_EVTQ_ABT_ERR |
			 SMMUV3_GERROR_MSI_PRIQ_ABT_ERR |
			 SMMUV3_GERROR_MSI_GERROR_ABT_ERR |
			 SMMUV3_GERROR_SFM_ERR, 0x1fd);
	assert_int_equal(SMMUV3_CR0_CMDQEN, 0x8);
	assert_int_equal(SMMUV3_CR0_ATSCHK, 0x10);
	assert_int_equal(SMMUV3_IDR0_ST_LVL, 0x18000000);
	assert_int_equal(SMMUV3_IDR0_STALL_MODEL, 0x03000000);
	assert_int_equal(SMMUV3_IDR0_ATS, 0x400);
	assert_int_equal(SMMUV3_IDR0_PRI, 0x10000);
	assert_int_equal(SMMUV3_IDR1_SSIDSIZE, 0x7c0);
	assert_int_equal(SMMUV3_IDR1_CMDQS, 0x03e00000);
	assert_int_equal(SMMUV3_CMDQ_CONS_ERR, 0x7f000000);
	assert_int_equal(SMMUV3_STRTAB_BASE_CFG_FMT, 0x30000);
	assert_int_equal(SMMUV3_STRTAB_BASE_CFG_SPLIT, 0x7c0);
	assert_int_equal(SMMUV3_Q_BASE_ADDR, 0x000fffffffffffe0ULL);
	assert_int_equal(SMMUV3_Q_BASE_RWA, 0x4000000000000000ULL);
	assert_int_equal(SMMUV3_STE0_S1CTXPTR, 0x000fffffffffffc0ULL);
	assert_int_equal(SMMUV3_STE0_S1CDMAX, 0xf800000000000000ULL);
	assert_int_equal(SMMUV3_STE1_EATS, 0x30000000ULL);
	assert_int_equal(SMMUV3_STE1_S1STALLD, 0x08000000ULL);
	assert_int_equal(SMMUV3_STE3_S2TTB, 0x000ffffffffffff0ULL);
	assert_int_equal(SMMUV3_CD0_V, 0x80000000ULL);
	assert_int_equal(SMMUV3_CD0_ASID, 0xffff000000000000ULL);
	assert_int_equal(SMMUV3_EVT3_IPA, 0x000ffffffffff000ULL);
	assert_int_equal(SMMUV3_PRIQ0_SSID, 0x000fffff00000000ULL);
	assert_int_equal(SMMUV3_CMDQ_ENT_DWORDS * 8, 16);
	assert_int_equal(SMMUV3_EVTQ_ENT_DWORDS * 8, 32);
	assert_int_equal(SMMUV3_PRIQ_ENT_DWORDS * 8, 16);
	assert_int_equal(SMMUV3_STE_DWORDS * 8, 64);
	assert_int_equal(SMMUV3_CD_DWORDS * 8, 64);
}

static void test_regs_queue_index(void **state)
{
	/* 8-entry queue: index bits [2:0], wrap bit 3, overflow bit 31. */
	assert_int_equal(SMMUV3_Q_IDX(3, 0x1bU), 3);
	assert_int_equal(SMMUV3_Q_WRP(3, 0x1bU), 8);
	assert_int_equal(SMMUV3_Q_WRP(3, 0x13U), 0);
	assert_int_equal(SMMUV3_Q_IDX(3, 0x80000005U), 5);
	assert_true(SMMUV3_Q_OVF(0x80000005U) != 0);
	assert_true(SMMUV3_Q_OVF(0x7fffffffU) == 0);
}

static void test_caps_from_idr(void **state)
{
	struct smmuv3_caps caps;

	/* S2P|S1P|TTF=AArch64|ATS|PRI|CD2L|STALL_MODEL=force */
	smmuv3_caps_from_idr(&caps, 0x0209040b, 20 << 6, 0x450);
	assert_true(caps.s1p && caps.s2p && caps.ats && caps.pri && caps.cd2l);
	assert_int_equal(caps.stall_model, 2);
	assert_int_equal(caps.ttf, 2);
	assert_int_equal(caps.ssid_bits, 20);
	assert_true(caps.gran4k && caps.gran64k && !caps.gran16k);
	assert_true(caps.vax52);

	smmuv3_caps_from_idr(&caps, 0x2, 0, 0x10);
	assert_true(caps.s1p && !caps.s2p && !caps.ats && !caps.pri);
	assert_int_equal(caps.ssid_bits, 0);
	assert_false(caps.vax52);
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

static void assert_cmd_equal(const struct smmuv3_cmd *a,
			     const struct smmuv3_cmd *b)
{
	assert_int_equal(a->opcode, b->opcode);
	switch (a->opcode) {
	case 0x01:
		assert_int_equal(a->prefetch.sid, b->prefetch.sid);
		assert_int_equal(a->prefetch.ssid, b->prefetch.ssid);
		assert_int_equal(a->prefetch.ssv, b->prefetch.ssv);
		break;
	case 0x03: case 0x04: case 0x05: case 0x06:
		assert_int_equal(a->cfgi.sid, b->cfgi.sid);
		assert_int_equal(a->cfgi.ssid, b->cfgi.ssid);
		assert_int_equal(a->cfgi.leaf, b->cfgi.leaf);
		assert_int_equal(a->cfgi.range, b->cfgi.range);
		break;
	case 0x40:
		assert_int_equal(a->atc_inv.sid, b->atc_inv.sid);
		assert_int_equal(a->atc_inv.ssid, b->atc_inv.ssid);
		assert_int_equal(a->atc_inv.ssv, b->atc_inv.ssv);
		assert_int_equal(a->atc_inv.global, b->atc_inv.global);
		assert_int_equal(a->atc_inv.size, b->atc_inv.size);
		assert_int_equal(a->atc_inv.addr, b->atc_inv.addr);
		break;
	case 0x41:
		assert_int_equal(a->pri_resp.sid, b->pri_resp.sid);
		assert_int_equal(a->pri_resp.ssid, b->pri_resp.ssid);
		assert_int_equal(a->pri_resp.ssv, b->pri_resp.ssv);
		assert_int_equal(a->pri_resp.grpid, b->pri_resp.grpid);
		assert_int_equal(a->pri_resp.resp, b->pri_resp.resp);
		break;
	case 0x44:
		assert_int_equal(a->resume.sid, b->resume.sid);
		assert_int_equal(a->resume.stag, b->resume.stag);
		assert_int_equal(a->resume.resp, b->resume.resp);
		break;
	case 0x46:
		assert_int_equal(a->sync.cs, b->sync.cs);
		assert_int_equal(a->sync.msh, b->sync.msh);
		assert_int_equal(a->sync.msiattr, b->sync.msiattr);
		assert_int_equal(a->sync.msidata, b->sync.msidata);
		assert_int_equal(a->sync.msiaddr, b->sync.msiaddr);
		break;
	default:	/* TLBI_* */
		assert_int_equal(a->tlbi.asid, b->tlbi.asid);
		assert_int_equal(a->tlbi.vmid, b->tlbi.vmid);
		assert_int_equal(a->tlbi.num, b->tlbi.num);
		assert_int_equal(a->tlbi.scale, b->tlbi.scale);
		assert_int_equal(a->tlbi.leaf, b->tlbi.leaf);
		assert_int_equal(a->tlbi.ttl, b->tlbi.ttl);
		assert_int_equal(a->tlbi.tg, b->tlbi.tg);
		assert_int_equal(a->tlbi.addr, b->tlbi.addr);
		break;
	}
}

static struct smmuv3_cmd mk(uint8_t opcode)
{
	struct smmuv3_cmd c;

	memset(&c, 0, sizeof(c));
	c.opcode = opcode;
	return c;
}

/* One sample of every modelled command, with distinct non-zero fields. */
static size_t sample_cmds(struct smmuv3_cmd *c)
{
	size_t n = 0;

	c[n] = mk(0x01);
	c[n].prefetch.sid = 0x12345678;
	c[n].prefetch.ssid = 0xabcde;
	c[n++].prefetch.ssv = true;

	c[n] = mk(0x03);
	c[n].cfgi.sid = 0x00fe0001;
	c[n++].cfgi.leaf = true;

	c[n] = mk(0x04);			/* CFGI_STE_RANGE */
	c[n].cfgi.sid = 0x100;
	c[n++].cfgi.range = 7;

	c[n] = mk(0x04);			/* CFGI_ALL */
	c[n++].cfgi.range = 31;

	c[n] = mk(0x05);
	c[n].cfgi.sid = 9;
	c[n].cfgi.ssid = 0xfffff;
	c[n++].cfgi.leaf = true;

	c[n] = mk(0x06);
	c[n++].cfgi.sid = 0xffffffff;

	c[n] = mk(0x10);
	c[n++].tlbi.vmid = 0x1234;

	c[n] = mk(0x11);
	c[n].tlbi.vmid = 1;
	c[n++].tlbi.asid = 0xbeef;

	c[n] = mk(0x12);
	c[n].tlbi.asid = 0x42;
	c[n].tlbi.vmid = 3;
	c[n].tlbi.num = 31;
	c[n].tlbi.scale = 20;
	c[n].tlbi.leaf = true;
	c[n].tlbi.ttl = 3;
	c[n].tlbi.tg = 1;
	c[n++].tlbi.addr = 0xfffffffffffff000ULL;

	c[n] = mk(0x13);
	c[n].tlbi.vmid = 7;
	c[n].tlbi.num = 1;
	c[n].tlbi.scale = 2;
	c[n].tlbi.ttl = 2;
	c[n].tlbi.tg = 3;
	c[n++].tlbi.addr = 0x40000000;

	c[n++] = mk(0x20);

	c[n] = mk(0x21);
	c[n++].tlbi.asid = 0xffff;

	c[n] = mk(0x22);
	c[n].tlbi.asid = 5;
	c[n].tlbi.num = 3;
	c[n].tlbi.scale = 1;
	c[n].tlbi.leaf = true;
	c[n].tlbi.ttl = 1;
	c[n].tlbi.tg = 2;
	c[n++].tlbi.addr = 0x12345000;

	c[n] = mk(0x28);
	c[n++].tlbi.vmid = 0xffff;

	c[n] = mk(0x2a);
	c[n].tlbi.vmid = 9;
	c[n].tlbi.leaf = true;
	c[n].tlbi.ttl = 3;
	c[n].tlbi.tg = 1;
	c[n++].tlbi.addr = 0x000ffffffffff000ULL;

	c[n++] = mk(0x30);

	c[n] = mk(0x40);
	c[n].atc_inv.sid = 0x31;
	c[n].atc_inv.ssid = 7;
	c[n].atc_inv.ssv = true;
	c[n++].atc_inv.size = 52;

	c[n] = mk(0x40);
	c[n].atc_inv.sid = 0x31;
	c[n].atc_inv.global = true;
	c[n++].atc_inv.addr = 0xfffffffffffff000ULL;

	for (uint8_t resp = 0; resp <= 2; resp++) {
		c[n] = mk(0x41);
		c[n].pri_resp.sid = 0x20 + resp;
		c[n].pri_resp.ssid = 0x100;
		c[n].pri_resp.ssv = true;
		c[n].pri_resp.grpid = 0x1ff;
		c[n++].pri_resp.resp = resp;
	}

	for (uint8_t resp = 0; resp <= 2; resp++) {
		c[n] = mk(0x44);
		c[n].resume.sid = 0xffffffff;
		c[n].resume.stag = 0xffff - resp;
		c[n++].resume.resp = resp;
	}

	for (uint8_t cs = 0; cs <= 2; cs++) {
		c[n] = mk(0x46);
		c[n].sync.cs = cs;
		c[n].sync.msh = 3;
		c[n].sync.msiattr = 0xf;
		c[n].sync.msidata = 0xffffffff;
		c[n++].sync.msiaddr = 0x000ffffffffffffcULL;
	}
	return n;
}

/*
 * Bits each command defines, worked out by hand from the Linux field
 * positions (op [7:0] always; SSV bit 11 for PREFETCH_CFG, ATC_INV,
 * PRI_RESP).
 */
static const struct {
	uint8_t op;
	const char *name;
	uint64_t def0, def1;
} cmd_defined[] = {
	{ 0x01, "PREFETCH_CFG",   0xfffffffffffff8ffULL, 0 },
	{ 0x03, "CFGI_STE",       0xffffffff000000ffULL, 0x1 },
	{ 0x04, "CFGI_STE_RANGE", 0xffffffff000000ffULL, 0x1f },
	{ 0x05, "CFGI_CD",        0xfffffffffffff0ffULL, 0x1 },
	{ 0x06, "CFGI_CD_ALL",    0xffffffff000000ffULL, 0 },
	{ 0x10, "TLBI_NH_ALL",    0x0000ffff000000ffULL, 0 },
	{ 0x11, "TLBI_NH_ASID",   0xffffffff000000ffULL, 0 },
	{ 0x12, "TLBI_NH_VA",     0xffffffff01f1f0ffULL, 0xffffffffffffff01ULL },
	{ 0x13, "TLBI_NH_VAA",    0x0000ffff01f1f0ffULL, 0xffffffffffffff01ULL },
	{ 0x20, "TLBI_EL2_ALL",   0x00000000000000ffULL, 0 },
	{ 0x21, "TLBI_EL2_ASID",  0xffff0000000000ffULL, 0 },
	{ 0x22, "TLBI_EL2_VA",    0xffff000001f1f0ffULL, 0xffffffffffffff01ULL },
	{ 0x28, "TLBI_S12_VMALL", 0x0000ffff000000ffULL, 0 },
	{ 0x2a, "TLBI_S2_IPA",    0x0000ffff01f1f0ffULL, 0x000fffffffffff01ULL },
	{ 0x30, "TLBI_NSNH_ALL",  0x00000000000000ffULL, 0 },
	{ 0x40, "ATC_INV",        0xfffffffffffffaffULL, 0xfffffffffffff03fULL },
	{ 0x41, "PRI_RESP",       0xfffffffffffff8ffULL, 0x31ffULL },
	{ 0x44, "RESUME",         0xffffffff000030ffULL, 0xffffULL },
	{ 0x46, "CMD_SYNC",       0xffffffff0fc030ffULL, 0x000ffffffffffffcULL },
};

static bool op_is_modelled(unsigned int op)
{
	for (size_t i = 0; i < ARRAY_LEN(cmd_defined); i++)
		if (cmd_defined[i].op == op)
			return true;
	return false;
}

static void test_cmd_round_trip(void **state)
{
	struct smmuv3_cmd cmds[40], back;
	uint64_t raw[2];
	size_t n = sample_cmds(cmds);
	unsigned int seen[256] = { 0 };

	assert_true(n <= ARRAY_LEN(cmds));

	for (size_t i = 0; i < n; i++) {
		assert_int_equal(smmuv3_cmd_encode(&cmds[i], raw), 0);
		assert_int_equal(raw[0] & 0xff, cmds[i].opcode);
		assert_int_equal(smmuv3_cmd_decode(raw, &back, true, true),
				 SMMUV3_CERROR_NONE);
		assert_cmd_equal(&cmds[i], &back);
		seen[cmds[i].opcode]++;
	}
	/* Every command Linux builds is covered by the samples. */
	for (size_t i = 0; i < ARRAY_LEN(cmd_defined); i++)
		assert_true(seen[cmd_defined[i].op] > 0);
}

struct known_cmd {
	struct smmuv3_cmd cmd;
	uint64_t d0, d1;
};

static void check_known(const struct known_cmd *k)
{
	uint64_t raw[2];
	struct smmuv3_cmd back;

	assert_int_equal(smmuv3_cmd_encode(&k->cmd, raw), 0);
	assert_int_equal(raw[0], k->d0);
	assert_int_equal(raw[1], k->d1);
	raw[0] = k->d0;
	raw[1] = k->d1;
	assert_int_equal(smmuv3_cmd_decode(raw, &back, true, true), 0);
	assert_cmd_equal(&k->cmd, &back);
}

static void test_cmd_known_patterns(void **state)
{
	struct known_cmd k;

	/* CMD_SYNC, CS=IRQ: op 0x46, CS [13:12]=1, MSH [23:22]=3,
	 * MSIATTR [27:24]=0xf, MSIDATA [63:32]; MSIADDR [51:2] in dword 1. */
	k.cmd = mk(0x46);
	k.cmd.sync.cs = 1;
	k.cmd.sync.msh = 3;
	k.cmd.sync.msiattr = 0xf;
	k.cmd.sync.msidata = 0xdeadbeef;
	k.cmd.sync.msiaddr = 0x12345678;
	k.d0 = 0xdeadbeef0fc01046ULL;
	k.d1 = 0x12345678;
	check_known(&k);

	/* CMD_SYNC, CS=NONE, nothing else: just the opcode. */
	k.cmd = mk(0x46);
	k.d0 = 0x46;
	k.d1 = 0;
	check_known(&k);

	/* ATC_INV: GLOBAL bit 9, SSV bit 11, SSID [31:12], SID [63:32];
	 * SIZE [5:0] and ADDR [63:12] in dword 1. */
	k.cmd = mk(0x40);
	k.cmd.atc_inv.sid = 0x1234;
	k.cmd.atc_inv.ssid = 5;
	k.cmd.atc_inv.ssv = true;
	k.cmd.atc_inv.global = true;
	k.cmd.atc_inv.size = 3;
	k.cmd.atc_inv.addr = 0xfeed000;
	k.d0 = 0x0000123400005a40ULL;
	k.d1 = 0x000000000feed003ULL;
	check_known(&k);

	/* CFGI_STE: SID [63:32], LEAF dword 1 bit 0. */
	k.cmd = mk(0x03);
	k.cmd.cfgi.sid = 0xabc;
	k.cmd.cfgi.leaf = true;
	k.d0 = 0x00000abc00000003ULL;
	k.d1 = 1;
	check_known(&k);

	/* CFGI_ALL as Linux builds it: opcode 0x04, RANGE = 31. */
	k.cmd = mk(0x04);
	k.cmd.cfgi.range = 31;
	k.d0 = 0x04;
	k.d1 = 0x1f;
	check_known(&k);

	/* CFGI_CD: SSID [31:12]. */
	k.cmd = mk(0x05);
	k.cmd.cfgi.sid = 7;
	k.cmd.cfgi.ssid = 0x12345;
	k.d0 = 0x0000000712345005ULL;
	k.d1 = 0;
	check_known(&k);

	/* TLBI_NH_VA: ASID [63:48]; LEAF bit 0, TTL [9:8], TG [11:10]. */
	k.cmd = mk(0x12);
	k.cmd.tlbi.asid = 0x55;
	k.cmd.tlbi.leaf = true;
	k.cmd.tlbi.ttl = 3;
	k.cmd.tlbi.tg = 1;
	k.cmd.tlbi.addr = 0x7fff0000f000ULL;
	k.d0 = 0x0055000000000012ULL;
	k.d1 = 0x00007fff0000f701ULL;
	check_known(&k);

	/* TLBI_NH_VA range: NUM [16:12]=2, SCALE [24:20]=1, VMID [47:32]. */
	k.cmd = mk(0x12);
	k.cmd.tlbi.asid = 1;
	k.cmd.tlbi.vmid = 2;
	k.cmd.tlbi.num = 2;
	k.cmd.tlbi.scale = 1;
	k.cmd.tlbi.tg = 3;
	k.cmd.tlbi.addr = 0x10000;
	k.d0 = 0x0001000200102012ULL;
	k.d1 = 0x0000000000010c00ULL;
	check_known(&k);

	/* TLBI_S2_IPA: VMID [47:32]. */
	k.cmd = mk(0x2a);
	k.cmd.tlbi.vmid = 0x22;
	k.d0 = 0x000000220000002aULL;
	k.d1 = 0;
	check_known(&k);

	/* TLBI_EL2_ASID: ASID only. */
	k.cmd = mk(0x21);
	k.cmd.tlbi.asid = 0xffff;
	k.d0 = 0xffff000000000021ULL;
	k.d1 = 0;
	check_known(&k);

	/* PRI_RESP: SSV, SSID, SID; GRPID [8:0], RESP [13:12] = SUCC. */
	k.cmd = mk(0x41);
	k.cmd.pri_resp.sid = 0x10;
	k.cmd.pri_resp.ssid = 1;
	k.cmd.pri_resp.ssv = true;
	k.cmd.pri_resp.grpid = 0x1ff;
	k.cmd.pri_resp.resp = 2;
	k.d0 = 0x0000001000001841ULL;
	k.d1 = 0x21ff;
	check_known(&k);

	/* RESUME: RESP [13:12] = RETRY, SID [63:32]; STAG [15:0]. */
	k.cmd = mk(0x44);
	k.cmd.resume.sid = 3;
	k.cmd.resume.resp = 1;
	k.cmd.resume.stag = 0xbeef;
	k.d0 = 0x0000000300001044ULL;
	k.d1 = 0xbeef;
	check_known(&k);

	/* PREFETCH_CFG: SID [63:32]. */
	k.cmd = mk(0x01);
	k.cmd.prefetch.sid = 0x42;
	k.d0 = 0x0000004200000001ULL;
	k.d1 = 0;
	check_known(&k);

	k.cmd = mk(0x30);
	k.d0 = 0x30;
	k.d1 = 0;
	check_known(&k);
}

/*
 * Flip every bit above the opcode, one at a time, in a minimal command:
 * a bit the command does not define must give CERROR_ILL, a defined bit
 * must stay legal (no single defined bit makes a field value reserved).
 */
static void test_cmd_reserved_bits_illegal(void **state)
{
	struct smmuv3_cmd out;

	for (size_t i = 0; i < ARRAY_LEN(cmd_defined); i++) {
		for (unsigned int bit = 8; bit < 128; bit++) {
			uint64_t raw[2] = { cmd_defined[i].op, 0 };
			uint64_t def = bit < 64 ? cmd_defined[i].def0 :
						  cmd_defined[i].def1;
			uint64_t m = 1ULL << (bit % 64);
			int want = (def & m) ? SMMUV3_CERROR_NONE :
					       SMMUV3_CERROR_ILL;

			raw[bit / 64] |= m;
			if (smmuv3_cmd_decode(raw, &out, true, true) != want)
				fail_msg("opcode 0x%02x bit %u: want %s",
					 cmd_defined[i].op, bit,
					 smmuv3_cerror_name(want));
			assert_int_equal(out.opcode, cmd_defined[i].op);
		}
	}
}

static void test_cmd_unknown_opcode_illegal(void **state)
{
	uint64_t stall_term[2] = { 0x45, 0 };
	struct smmuv3_cmd out;
	unsigned int legal = 0;

	for (unsigned int op = 0; op < 256; op++) {
		uint64_t raw[2] = { op, 0 };
		int want = op_is_modelled(op) ? SMMUV3_CERROR_NONE :
						SMMUV3_CERROR_ILL;

		assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true), want);
		legal += want == SMMUV3_CERROR_NONE;
	}
	assert_int_equal(legal, 19);
	/* Architecturally valid but not modelled: reported ILL. */
	assert_int_equal(smmuv3_cmd_decode(stall_term, &out, true, true),
			 SMMUV3_CERROR_ILL);
}

static void test_cmd_field_values_illegal(void **state)
{
	struct smmuv3_cmd out;
	uint64_t raw[2];

	/* CMD_SYNC CS = 0b11 is reserved; 0b10 (SEV) is fine. */
	raw[0] = 0x46 | (3ULL << 12);
	raw[1] = 0;
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true),
			 SMMUV3_CERROR_ILL);
	assert_int_equal(out.sync.cs, 3);	/* still decoded for traces */
	raw[0] = 0x46 | (2ULL << 12);
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true), 0);

	/* ATC_INV SIZE: 52 is the maximum, 53 and 63 are illegal. */
	raw[0] = 0x40;
	raw[1] = 52;
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true), 0);
	raw[1] = 53;
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true),
			 SMMUV3_CERROR_ILL);
	raw[1] = 63;
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true),
			 SMMUV3_CERROR_ILL);

	/* PRI_RESP RESP = 0b11 is reserved; SUCC (0b10) is fine. */
	raw[0] = 0x41;
	raw[1] = 3ULL << 12;
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true),
			 SMMUV3_CERROR_ILL);
	raw[1] = 2ULL << 12;
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true), 0);
	assert_int_equal(out.pri_resp.resp, SMMUV3_PRI_RESP_SUCC);

	/* RESUME Ac=1, AB=1: legal, AB ignored, decodes as RETRY. */
	raw[0] = 0x44 | (3ULL << 12);
	raw[1] = 7;
	assert_int_equal(smmuv3_cmd_decode(raw, &out, true, true), 0);
	assert_int_equal(out.resume.resp, SMMUV3_RESUME_RETRY);
	assert_int_equal(out.resume.stag, 7);
}

static void test_cmd_unsupported_illegal(void **state)
{
	struct smmuv3_cmd out;
	uint64_t atc[2] = { 0x40, 0 };
	uint64_t pri[2] = { 0x41, 0 };
	uint64_t sync[2] = { 0x46, 0 };

	assert_int_equal(smmuv3_cmd_decode(atc, &out, true, false), 0);
	assert_int_equal(smmuv3_cmd_decode(atc, &out, false, true),
			 SMMUV3_CERROR_ILL);
	assert_int_equal(smmuv3_cmd_decode(pri, &out, false, true), 0);
	assert_int_equal(smmuv3_cmd_decode(pri, &out, true, false),
			 SMMUV3_CERROR_ILL);
	/* Other commands do not care about ATS/PRI. */
	assert_int_equal(smmuv3_cmd_decode(sync, &out, false, false), 0);
	assert_int_equal(smmuv3_cmd_decode(NULL, &out, true, true),
			 SMMUV3_CERROR_ILL);
}

static void expect_encode_einval(const struct smmuv3_cmd *c)
{
	uint64_t raw[2] = { 0xdead, 0xbeef };

	assert_int_equal(smmuv3_cmd_encode(c, raw), -EINVAL);
	assert_int_equal(raw[0], 0);
	assert_int_equal(raw[1], 0);
}

static void test_cmd_encode_einval(void **state)
{
	struct smmuv3_cmd c;
	uint64_t raw[2];

	c = mk(0x02);				/* PREFETCH_ADDR: not modelled */
	expect_encode_einval(&c);
	c = mk(0x45);				/* STALL_TERM: not modelled */
	expect_encode_einval(&c);
	c = mk(0x05);
	c.cfgi.ssid = 1U << 20;			/* SSID is 20 bits */
	expect_encode_einval(&c);
	c = mk(0x03);
	c.cfgi.range = 1;			/* RANGE only on STE_RANGE */
	expect_encode_einval(&c);
	c = mk(0x04);
	c.cfgi.range = 32;			/* RANGE is 5 bits */
	expect_encode_einval(&c);
	c = mk(0x12);
	c.tlbi.num = 32;
	expect_encode_einval(&c);
	c = mk(0x12);
	c.tlbi.tg = 4;
	expect_encode_einval(&c);
	c = mk(0x12);
	c.tlbi.addr = 0x1000 | 0x800;		/* below the 4KB field */
	expect_encode_einval(&c);
	c = mk(0x2a);
	c.tlbi.addr = 1ULL << 52;		/* IPA is [51:12] */
	expect_encode_einval(&c);
	c = mk(0x28);
	c.tlbi.asid = 1;			/* S12_VMALL has no ASID */
	expect_encode_einval(&c);
	c = mk(0x10);
	c.tlbi.leaf = true;			/* NH_ALL has no dword 1 */
	expect_encode_einval(&c);
	c = mk(0x40);
	c.atc_inv.size = 64;			/* SIZE is 6 bits */
	expect_encode_einval(&c);
	c = mk(0x41);
	c.pri_resp.grpid = 512;			/* PRG index is 9 bits */
	expect_encode_einval(&c);
	c = mk(0x44);
	c.resume.resp = 4;
	expect_encode_einval(&c);
	c = mk(0x46);
	c.sync.msiaddr = 0x1002;		/* MSI address is 4-byte aligned */
	expect_encode_einval(&c);
	c = mk(0x46);
	c.sync.msiattr = 16;
	expect_encode_einval(&c);
	assert_int_equal(smmuv3_cmd_encode(NULL, raw), -EINVAL);

	/* Illegal-but-representable values encode (for fault injection). */
	c = mk(0x46);
	c.sync.cs = 3;
	assert_int_equal(smmuv3_cmd_encode(&c, raw), 0);
	assert_int_equal(raw[0], 0x3046);
	c = mk(0x40);
	c.atc_inv.size = 60;
	assert_int_equal(smmuv3_cmd_encode(&c, raw), 0);
	assert_int_equal(smmuv3_cmd_decode(raw, &c, true, true),
			 SMMUV3_CERROR_ILL);
}

/* ------------------------------------------------------------------ */
/* Event records                                                       */
/* ------------------------------------------------------------------ */

static void assert_event_equal(const struct smmuv3_event *a,
			       const struct smmuv3_event *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->sid, b->sid);
	assert_int_equal(a->ssv, b->ssv);
	assert_int_equal(a->ssid, b->ssid);
	assert_int_equal(a->stall, b->stall);
	assert_int_equal(a->stag, b->stag);
	assert_int_equal(a->read, b->read);
	assert_int_equal(a->priv, b->priv);
	assert_int_equal(a->inst, b->inst);
	assert_int_equal(a->s2, b->s2);
	assert_int_equal(a->class, b->class);
	assert_int_equal(a->ttrnw, b->ttrnw);
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->ipa, b->ipa);
	assert_int_equal(a->fetch_addr, b->fetch_addr);
}

static void test_event_known_pattern(void **state)
{
	struct smmuv3_event e, back;
	uint64_t raw[4];

	memset(&e, 0, sizeof(e));
	e.id = 0x10;			/* F_TRANSLATION */
	e.sid = 0x1234;
	e.ssv = true;
	e.ssid = 0xabcde;
	e.stall = true;
	e.stag = 0x42;
	e.read = true;
	e.priv = true;
	e.s2 = true;
	e.class = 2;
	e.ttrnw = true;
	e.addr = 0xffff800012345678ULL;
	e.ipa = 0x000ffffffffff000ULL;
	assert_int_equal(smmuv3_event_encode(&e, raw), 0);
	assert_int_equal(raw[0], 0x00001234abcde810ULL);
	/* STAG | STALL b31 | PnU b33 | RnW b35 | S2 b39 | CLASS=2 | TTRnW b44 */
	assert_int_equal(raw[1], 0x0000128a80000042ULL);
	assert_int_equal(raw[2], 0xffff800012345678ULL);
	assert_int_equal(raw[3], 0x000ffffffffff000ULL);
	smmuv3_event_decode(raw, &back);
	assert_event_equal(&e, &back);

	/* InD is bit 34 and nothing else. */
	memset(raw, 0, sizeof(raw));
	raw[0] = 0x13;
	raw[1] = 1ULL << 34;
	smmuv3_event_decode(raw, &back);
	assert_true(back.inst);
	assert_false(back.read || back.priv || back.s2 || back.stall);
	assert_int_equal(back.id, 0x13);

	/* Reserved bits in dword 3 do not leak into the IPA. */
	raw[3] = ~0ULL;
	smmuv3_event_decode(raw, &back);
	assert_int_equal(back.ipa, 0x000ffffffffff000ULL);
	assert_int_equal(back.fetch_addr, 0);
}

static void test_event_round_trip_all_ids(void **state)
{
	static const uint8_t ids[] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
		0x0b, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x24, 0x25,
	};
	struct smmuv3_event e, back;
	uint64_t raw[4];

	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		bool fetch = ids[i] == 0x03 || ids[i] == 0x09 ||
			     ids[i] == 0x0b || ids[i] == 0x25;

		assert_int_equal(smmuv3_event_has_fetch_addr(ids[i]), fetch);
		memset(&e, 0, sizeof(e));
		e.id = ids[i];
		e.sid = 0x80000000U | i;
		e.ssv = i & 1;
		e.ssid = 0xfffff - i;
		e.read = !(i & 1);
		e.class = i % 3;
		e.addr = 0x1000 * i + 0x123;
		if (fetch)
			e.fetch_addr = 0x000ffffffffffff8ULL;
		else
			e.ipa = 0x000ffffffffff000ULL;
		assert_int_equal(smmuv3_event_encode(&e, raw), 0);
		assert_int_equal(raw[3], fetch ? 0x000ffffffffffff8ULL :
					       0x000ffffffffff000ULL);
		smmuv3_event_decode(raw, &back);
		assert_event_equal(&e, &back);
		assert_non_null(smmuv3_event_name(ids[i]));
	}
}

static void test_event_encode_einval(void **state)
{
	struct smmuv3_event e;
	uint64_t raw[4];

	memset(&e, 0, sizeof(e));
	e.id = 0x10;
	e.ssid = 1U << 20;
	assert_int_equal(smmuv3_event_encode(&e, raw), -EINVAL);
	e.ssid = 0;
	e.class = 4;
	assert_int_equal(smmuv3_event_encode(&e, raw), -EINVAL);
	e.class = 0;
	e.ipa = 0x1234;				/* not 4KB aligned */
	assert_int_equal(smmuv3_event_encode(&e, raw), -EINVAL);
	e.ipa = 1ULL << 52;
	assert_int_equal(smmuv3_event_encode(&e, raw), -EINVAL);
	e.ipa = 0;
	e.fetch_addr = 0x1000;			/* F_TRANSLATION has no FetchAddr */
	assert_int_equal(smmuv3_event_encode(&e, raw), -EINVAL);
	e.id = 0x09;				/* F_CD_FETCH */
	assert_int_equal(smmuv3_event_encode(&e, raw), 0);
	e.ipa = 0x2000;				/* ... and no IPA */
	assert_int_equal(smmuv3_event_encode(&e, raw), -EINVAL);
	e.ipa = 0;
	e.fetch_addr = 0x1004;			/* 8-byte aligned */
	assert_int_equal(smmuv3_event_encode(&e, raw), -EINVAL);
	assert_int_equal(smmuv3_event_encode(NULL, raw), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* PRI queue entries                                                   */
/* ------------------------------------------------------------------ */

static void test_pri_known_and_round_trip(void **state)
{
	struct smmuv3_pri_entry p, back;
	uint64_t raw[2];

	memset(&p, 0, sizeof(p));
	p.sid = 0x77;
	p.ssid = 3;
	p.ssv = true;
	p.read = true;
	p.write = true;
	p.last = true;
	p.prg_idx = 0x1a5;
	p.addr = 0xdead000;
	assert_int_equal(smmuv3_pri_encode(&p, raw), 0);
	assert_int_equal(raw[0], 0xf000000300000077ULL);
	assert_int_equal(raw[1], 0x000000000dead1a5ULL);
	smmuv3_pri_decode(raw, &back);
	assert_int_equal(back.sid, 0x77);
	assert_int_equal(back.ssid, 3);
	assert_true(back.ssv && back.read && back.write && back.last);
	assert_false(back.priv || back.exec);
	assert_int_equal(back.prg_idx, 0x1a5);
	assert_int_equal(back.addr, 0xdead000);

	/* PRIV bit 58, EXEC bit 59; SID is the whole low word. */
	raw[0] = 0x0c000000ffffffffULL;
	raw[1] = 0xfffffffffffff000ULL;
	smmuv3_pri_decode(raw, &back);
	assert_true(back.priv && back.exec);
	assert_false(back.read || back.write || back.last || back.ssv);
	assert_int_equal(back.sid, 0xffffffff);
	assert_int_equal(back.prg_idx, 0);
	assert_int_equal(back.addr, 0xfffffffffffff000ULL);

	/* Round trip with every field at its maximum. */
	p.sid = 0xffffffff;
	p.ssid = 0xfffff;
	p.priv = p.exec = true;
	p.prg_idx = 0x1ff;
	p.addr = 0xfffffffffffff000ULL;
	assert_int_equal(smmuv3_pri_encode(&p, raw), 0);
	assert_int_equal(raw[0], 0xfc0fffffffffffffULL);
	smmuv3_pri_decode(raw, &back);
	assert_int_equal(back.ssid, 0xfffff);
	assert_int_equal(back.prg_idx, 0x1ff);
	assert_true(back.priv && back.exec && back.read && back.write);

	p.prg_idx = 0x200;
	assert_int_equal(smmuv3_pri_encode(&p, raw), -EINVAL);
	p.prg_idx = 0;
	p.ssid = 0x100000;
	assert_int_equal(smmuv3_pri_encode(&p, raw), -EINVAL);
	p.ssid = 0;
	p.addr = 0x1001;
	assert_int_equal(smmuv3_pri_encode(&p, raw), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* STE                                                                 */
/* ------------------------------------------------------------------ */

static struct smmuv3_caps full_caps(void)
{
	struct smmuv3_caps caps;

	memset(&caps, 0, sizeof(caps));
	caps.s1p = caps.s2p = caps.ats = caps.pri = caps.cd2l = true;
	caps.stall_model = SMMUV3_IDR0_STALL_MODEL_STALL;
	caps.ttf = SMMUV3_IDR0_TTF_AARCH64;
	caps.ssid_bits = 20;
	caps.gran4k = caps.gran64k = true;
	return caps;
}

static struct smmuv3_ste s1_ste(void)
{
	struct smmuv3_ste ste;

	memset(&ste, 0, sizeof(ste));
	ste.valid = true;
	ste.config = SMMUV3_STE_CONFIG_S1_TRANS;
	ste.s1fmt = SMMUV3_STE_S1FMT_64K_L2;
	ste.s1ctxptr = 0x0000123456789ac0ULL;
	ste.s1cdmax = 20;
	ste.s1dss = SMMUV3_STE_S1DSS_SSID0;
	ste.s1stalld = true;
	ste.eats = SMMUV3_STE_EATS_TRANS;
	ste.strw = SMMUV3_STE_STRW_EL2;
	ste.shcfg = SMMUV3_STE_SHCFG_INCOMING;
	ste.s2vmid = 0xbeef;
	ste.s2ttb = 0x000ffffffffffff0ULL;
	return ste;
}

static void assert_ste_equal(const struct smmuv3_ste *a,
			     const struct smmuv3_ste *b)
{
	assert_int_equal(a->valid, b->valid);
	assert_int_equal(a->config, b->config);
	assert_int_equal(a->s1fmt, b->s1fmt);
	assert_int_equal(a->s1ctxptr, b->s1ctxptr);
	assert_int_equal(a->s1cdmax, b->s1cdmax);
	assert_int_equal(a->s1dss, b->s1dss);
	assert_int_equal(a->s1stalld, b->s1stalld);
	assert_int_equal(a->eats, b->eats);
	assert_int_equal(a->strw, b->strw);
	assert_int_equal(a->shcfg, b->shcfg);
	assert_int_equal(a->s2vmid, b->s2vmid);
	assert_int_equal(a->s2ttb, b->s2ttb);
}

static void test_ste_known_and_round_trip(void **state)
{
	struct smmuv3_ste ste = s1_ste(), back;
	uint64_t raw[8];

	assert_int_equal(smmuv3_ste_encode(&ste, raw), 0);
	/* V | CONFIG=5 <<1 | S1FMT=2 <<4 | S1CTXPTR | S1CDMAX=20 <<59 */
	assert_int_equal(raw[0], 0xa000123456789aebULL);
	/* S1DSS=2 | S1STALLD b27 | EATS=1 b28 | STRW=2 <<30 | SHCFG=1 <<44 */
	assert_int_equal(raw[1], 0x0000100098000002ULL);
	assert_int_equal(raw[2], 0xbeef);
	assert_int_equal(raw[3], 0x000ffffffffffff0ULL);
	for (int i = 4; i < 8; i++)
		assert_int_equal(raw[i], 0);

	smmuv3_ste_decode(raw, &back);
	assert_ste_equal(&ste, &back);

	/* Linux's abort and bypass STEs. */
	memset(raw, 0, sizeof(raw));
	raw[0] = 0x1;
	smmuv3_ste_decode(raw, &back);
	assert_true(back.valid);
	assert_int_equal(back.config, SMMUV3_STE_CONFIG_ABORT);
	raw[0] = 0x9;
	smmuv3_ste_decode(raw, &back);
	assert_int_equal(back.config, SMMUV3_STE_CONFIG_BYPASS);

	ste.s1ctxptr = 0x1020;			/* not 64-byte aligned */
	assert_int_equal(smmuv3_ste_encode(&ste, raw), -EINVAL);
	ste = s1_ste();
	ste.config = 8;
	assert_int_equal(smmuv3_ste_encode(&ste, raw), -EINVAL);
	ste = s1_ste();
	ste.s1cdmax = 32;
	assert_int_equal(smmuv3_ste_encode(&ste, raw), -EINVAL);
}

static void expect_ste(struct smmuv3_ste ste, struct smmuv3_caps caps,
		       enum smmuv3_ste_verdict want)
{
	enum smmuv3_ste_verdict got = smmuv3_ste_check(&ste, &caps);

	if (got != want)
		fail_msg("STE check: got %s, want %s",
			 smmuv3_ste_verdict_name(got),
			 smmuv3_ste_verdict_name(want));
}

static void test_ste_check(void **state)
{
	struct smmuv3_caps caps = full_caps(), c;
	uint64_t raw[8] = { 0 };
	struct smmuv3_ste s;

	expect_ste(s1_ste(), caps, SMMUV3_STE_OK);

	s = s1_ste();
	s.valid = false;
	expect_ste(s, caps, SMMUV3_STE_INVALID);

	for (uint8_t cfg = 1; cfg <= 3; cfg++) {
		s = s1_ste();
		s.config = cfg;
		expect_ste(s, caps, SMMUV3_STE_BAD_CONFIG);
	}

	/* Stages the SMMU does not implement. */
	c = caps;
	c.s1p = false;
	expect_ste(s1_ste(), c, SMMUV3_STE_BAD_STAGE);
	c = caps;
	c.s2p = false;
	s = s1_ste();
	s.config = SMMUV3_STE_CONFIG_S2_TRANS;
	expect_ste(s, c, SMMUV3_STE_BAD_STAGE);
	s.config = SMMUV3_STE_CONFIG_NESTED;
	expect_ste(s, c, SMMUV3_STE_BAD_STAGE);
	s.config = SMMUV3_STE_CONFIG_S1_TRANS;
	expect_ste(s, c, SMMUV3_STE_OK);

	/* S1CDMax beyond SSIDSIZE. */
	s = s1_ste();
	s.s1cdmax = 21;
	expect_ste(s, caps, SMMUV3_STE_BAD_S1CDMAX);
	c = caps;
	c.ssid_bits = 0;
	s.s1cdmax = 1;
	expect_ste(s, c, SMMUV3_STE_BAD_S1CDMAX);

	/* S1Fmt: reserved, or 2-level without CD2L; unused with one CD. */
	s = s1_ste();
	s.s1fmt = 3;
	expect_ste(s, caps, SMMUV3_STE_BAD_S1FMT);
	c = caps;
	c.cd2l = false;
	expect_ste(s1_ste(), c, SMMUV3_STE_BAD_S1FMT);
	s = s1_ste();
	s.s1fmt = SMMUV3_STE_S1FMT_LINEAR;
	expect_ste(s, c, SMMUV3_STE_OK);
	s.s1cdmax = 0;
	s.s1fmt = 3;
	s.s1dss = 3;
	expect_ste(s, caps, SMMUV3_STE_OK);

	s = s1_ste();
	s.s1dss = 3;
	expect_ste(s, caps, SMMUV3_STE_BAD_S1DSS);

	/* EATS. */
	c = caps;
	c.ats = false;
	expect_ste(s1_ste(), c, SMMUV3_STE_BAD_EATS);
	s = s1_ste();
	s.eats = SMMUV3_STE_EATS_ABT;
	expect_ste(s, c, SMMUV3_STE_OK);
	s.eats = 3;
	expect_ste(s, caps, SMMUV3_STE_BAD_EATS);
	s.eats = SMMUV3_STE_EATS_S1CHK;
	expect_ste(s, caps, SMMUV3_STE_BAD_EATS);
	s.config = SMMUV3_STE_CONFIG_NESTED;
	expect_ste(s, caps, SMMUV3_STE_OK);

	/* S1STALLD where stalls are forced. */
	c = caps;
	c.stall_model = SMMUV3_IDR0_STALL_MODEL_FORCE;
	expect_ste(s1_ste(), c, SMMUV3_STE_BAD_S1STALLD);
	s = s1_ste();
	s.s1stalld = false;
	expect_ste(s, c, SMMUV3_STE_OK);

	/* Abort ignores everything but V/Config; bypass may use ATS. */
	s = s1_ste();
	s.config = SMMUV3_STE_CONFIG_ABORT;
	s.s1cdmax = 31;
	s.eats = 3;
	expect_ste(s, caps, SMMUV3_STE_OK);
	s = s1_ste();
	s.config = SMMUV3_STE_CONFIG_BYPASS;
	s.s1cdmax = 31;
	s.s1fmt = 3;
	expect_ste(s, caps, SMMUV3_STE_OK);

	/* Through the raw encoding: Config 0b010 in dword 0. */
	raw[0] = 0x1 | (2ULL << 1);
	smmuv3_ste_decode(raw, &s);
	expect_ste(s, caps, SMMUV3_STE_BAD_CONFIG);
	assert_int_equal(smmuv3_ste_check(NULL, &caps), SMMUV3_STE_INVALID);
	assert_string_equal(smmuv3_ste_verdict_name(SMMUV3_STE_BAD_EATS),
			    "BAD_EATS");
	assert_null(smmuv3_ste_verdict_name(SMMUV3_STE_BAD_S1STALLD + 1));
}

/* ------------------------------------------------------------------ */
/* CD                                                                  */
/* ------------------------------------------------------------------ */

static struct smmuv3_cd good_cd(void)
{
	struct smmuv3_cd cd;

	memset(&cd, 0, sizeof(cd));
	cd.valid = true;
	cd.asid = 0xbeef;
	cd.ttb0 = 0x000000abcdef0000ULL;
	cd.t0sz = 16;
	cd.tg0 = SMMUV3_CD_TG0_4K;
	cd.ips = SMMUV3_IDR5_OAS_48_BIT;
	cd.epd1 = true;
	cd.aa64 = true;
	cd.r = true;
	cd.a = true;
	cd.mair = 0x0000000000ff4404ULL;
	return cd;
}

static void assert_cd_equal(const struct smmuv3_cd *a,
			    const struct smmuv3_cd *b)
{
	assert_int_equal(a->valid, b->valid);
	assert_int_equal(a->asid, b->asid);
	assert_int_equal(a->ttb0, b->ttb0);
	assert_int_equal(a->t0sz, b->t0sz);
	assert_int_equal(a->tg0, b->tg0);
	assert_int_equal(a->ips, b->ips);
	assert_int_equal(a->epd0, b->epd0);
	assert_int_equal(a->epd1, b->epd1);
	assert_int_equal(a->aa64, b->aa64);
	assert_int_equal(a->s, b->s);
	assert_int_equal(a->r, b->r);
	assert_int_equal(a->a, b->a);
	assert_int_equal(a->mair, b->mair);
}

static void test_cd_known_and_round_trip(void **state)
{
	struct smmuv3_cd cd = good_cd(), back;
	uint64_t raw[8];

	cd.s = true;
	assert_int_equal(smmuv3_cd_encode(&cd, raw), 0);
	/* T0SZ=16 | EPD1 b30 | V b31 | IPS=5 <<32 | AA64 b41 | S b44 |
	 * R b45 | A b46 | ASID [63:48] */
	assert_int_equal(raw[0], 0xbeef7205c0000010ULL);
	assert_int_equal(raw[1], 0x000000abcdef0000ULL);
	assert_int_equal(raw[2], 0);
	assert_int_equal(raw[3], 0x0000000000ff4404ULL);
	smmuv3_cd_decode(raw, &back);
	assert_cd_equal(&cd, &back);

	/* TG0 [7:6], EPD0 bit 14. */
	memset(raw, 0, sizeof(raw));
	raw[0] = (1ULL << 6) | (1ULL << 14);
	smmuv3_cd_decode(raw, &back);
	assert_int_equal(back.tg0, SMMUV3_CD_TG0_64K);
	assert_true(back.epd0);
	assert_false(back.valid || back.epd1);

	cd.ttb0 = 0x1008;			/* 16-byte aligned */
	assert_int_equal(smmuv3_cd_encode(&cd, raw), -EINVAL);
	cd = good_cd();
	cd.t0sz = 64;
	assert_int_equal(smmuv3_cd_encode(&cd, raw), -EINVAL);
}

static void expect_cd(struct smmuv3_cd cd, struct smmuv3_caps caps,
		      bool s1stalld, enum smmuv3_cd_verdict want)
{
	enum smmuv3_cd_verdict got = smmuv3_cd_check(&cd, &caps, s1stalld);

	if (got != want)
		fail_msg("CD check: got %s, want %s",
			 smmuv3_cd_verdict_name(got),
			 smmuv3_cd_verdict_name(want));
}

static void test_cd_check(void **state)
{
	struct smmuv3_caps caps = full_caps(), c;
	struct smmuv3_cd cd;

	expect_cd(good_cd(), caps, false, SMMUV3_CD_OK);

	cd = good_cd();
	cd.valid = false;
	expect_cd(cd, caps, false, SMMUV3_CD_INVALID);

	cd = good_cd();
	cd.aa64 = false;
	expect_cd(cd, caps, false, SMMUV3_CD_BAD_AA64);
	c = caps;
	c.ttf = SMMUV3_IDR0_TTF_AARCH32_64;
	expect_cd(cd, c, false, SMMUV3_CD_OK);

	cd = good_cd();
	cd.tg0 = 3;
	expect_cd(cd, caps, false, SMMUV3_CD_BAD_TG0);
	cd.tg0 = SMMUV3_CD_TG0_16K;		/* IDR5.GRAN16K clear */
	expect_cd(cd, caps, false, SMMUV3_CD_BAD_TG0);
	cd.tg0 = SMMUV3_CD_TG0_64K;
	expect_cd(cd, caps, false, SMMUV3_CD_OK);
	cd.tg0 = 3;
	cd.epd0 = true;				/* TTB0 not walked */
	cd.t0sz = 0;
	expect_cd(cd, caps, false, SMMUV3_CD_OK);

	cd = good_cd();
	cd.t0sz = 15;
	expect_cd(cd, caps, false, SMMUV3_CD_BAD_T0SZ);
	cd.t0sz = 40;
	expect_cd(cd, caps, false, SMMUV3_CD_BAD_T0SZ);
	cd.t0sz = 39;
	expect_cd(cd, caps, false, SMMUV3_CD_OK);
	cd.t0sz = 12;
	expect_cd(cd, caps, false, SMMUV3_CD_BAD_T0SZ);
	c = caps;
	c.vax52 = true;
	expect_cd(cd, c, false, SMMUV3_CD_OK);

	cd = good_cd();
	cd.s = true;
	expect_cd(cd, caps, false, SMMUV3_CD_OK);
	expect_cd(cd, caps, true, SMMUV3_CD_BAD_STALL);
	c = caps;
	c.stall_model = SMMUV3_IDR0_STALL_MODEL_NONE;
	expect_cd(cd, c, false, SMMUV3_CD_BAD_STALL);
	cd.s = false;
	expect_cd(cd, c, true, SMMUV3_CD_OK);

	assert_int_equal(smmuv3_cd_check(NULL, &caps, false),
			 SMMUV3_CD_INVALID);
	assert_string_equal(smmuv3_cd_verdict_name(SMMUV3_CD_BAD_T0SZ),
			    "BAD_T0SZ");
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static void test_names_commands(void **state)
{
	unsigned int named = 0;

	assert_string_equal(smmuv3_cmd_name(0x46), "CMD_SYNC");
	assert_string_equal(smmuv3_cmd_name(0x40), "ATC_INV");
	assert_string_equal(smmuv3_cmd_name(0x41), "PRI_RESP");
	assert_string_equal(smmuv3_cmd_name(0x03), "CFGI_STE");
	assert_string_equal(smmuv3_cmd_name(0x04), "CFGI_STE_RANGE");
	assert_string_equal(smmuv3_cmd_name(0x2a), "TLBI_S2_IPA");
	assert_null(smmuv3_cmd_name(0x02));
	assert_null(smmuv3_cmd_name(0x45));
	assert_null(smmuv3_cmd_name(0x146));

	assert_int_equal(smmuv3_cmd_opcode_by_name("CMD_SYNC"), 0x46);
	assert_int_equal(smmuv3_cmd_opcode_by_name("sync"), 0x46);
	assert_int_equal(smmuv3_cmd_opcode_by_name("CFGI_ALL"), 0x04);
	assert_int_equal(smmuv3_cmd_opcode_by_name("cmd_tlbi_nh_va"), 0x12);
	assert_int_equal(smmuv3_cmd_opcode_by_name("PRI_RESP"), 0x41);
	assert_int_equal(smmuv3_cmd_opcode_by_name("RESUME"), 0x44);
	assert_int_equal(smmuv3_cmd_opcode_by_name("PREFETCH_CONFIG"), 0x01);
	assert_int_equal(smmuv3_cmd_opcode_by_name("STALL_TERM"), -ENOENT);
	assert_int_equal(smmuv3_cmd_opcode_by_name("bogus"), -ENOENT);
	assert_int_equal(smmuv3_cmd_opcode_by_name(""), -ENOENT);
	assert_int_equal(smmuv3_cmd_opcode_by_name(NULL), -EINVAL);

	for (size_t i = 0; i < ARRAY_LEN(cmd_defined); i++)
		assert_string_equal(smmuv3_cmd_name(cmd_defined[i].op),
				    cmd_defined[i].name);

	/* Every named opcode maps back to itself. */
	for (unsigned int op = 0; op < 256; op++) {
		const char *n = smmuv3_cmd_name(op);

		assert_int_equal(n != NULL, op_is_modelled(op));
		if (!n)
			continue;
		named++;
		assert_int_equal(smmuv3_cmd_opcode_by_name(n), op);
	}
	assert_int_equal(named, 19);
}

static void test_names_events_cerrors(void **state)
{
	assert_string_equal(smmuv3_event_name(0x10), "F_TRANSLATION");
	assert_string_equal(smmuv3_event_name(0x04), "C_BAD_STE");
	assert_string_equal(smmuv3_event_name(0x07), "F_TRANSL_FORBIDDEN");
	assert_string_equal(smmuv3_event_name(0x13), "F_PERMISSION");
	assert_string_equal(smmuv3_event_name(0x24), "E_PAGE_REQUEST");
	assert_string_equal(smmuv3_event_name(0x25), "F_VMS_FETCH");
	assert_null(smmuv3_event_name(0x00));
	assert_null(smmuv3_event_name(0x0c));
	assert_null(smmuv3_event_name(0xe0));
	assert_int_equal(smmuv3_event_id_by_name("f_translation"), 0x10);
	assert_int_equal(smmuv3_event_id_by_name("C_BAD_CD"), 0x0a);
	assert_int_equal(smmuv3_event_id_by_name("F_WALK_EABT"), 0x0b);
	assert_int_equal(smmuv3_event_id_by_name("F_NOPE"), -ENOENT);
	assert_int_equal(smmuv3_event_id_by_name(NULL), -EINVAL);

	for (unsigned int id = 0; id < 256; id++) {
		const char *n = smmuv3_event_name(id);

		if (n)
			assert_int_equal(smmuv3_event_id_by_name(n), id);
	}

	assert_string_equal(smmuv3_cerror_name(0), "CERROR_NONE");
	assert_string_equal(smmuv3_cerror_name(1), "CERROR_ILL");
	assert_string_equal(smmuv3_cerror_name(2), "CERROR_ABT");
	assert_string_equal(smmuv3_cerror_name(3), "CERROR_ATC_INV_SYNC");
	assert_null(smmuv3_cerror_name(4));
}

static void expect_const(const char *name, uint64_t want)
{
	uint64_t v = 0xbad;

	if (smmuv3_const_by_name(name, &v))
		fail_msg("constant %s not found", name);
	if (v != want)
		fail_msg("constant %s = %#llx, want %#llx", name,
			 (unsigned long long)v, (unsigned long long)want);
}

static void test_names_constants(void **state)
{
	uint64_t v = 0x1234;
	unsigned int n = 0;

	expect_const("CERROR_NONE", 0);
	expect_const("CERROR_ILL", 1);
	expect_const("cerror_abt", 2);
	expect_const("CERROR_ATC_INV_SYNC", 3);
	expect_const("SMMU_CR0", 0x20);
	expect_const("SMMU_GERRORN", 0x64);
	expect_const("SMMU_CMDQ_CONS", 0x9c);
	expect_const("SMMU_EVTQ_PROD", 0x100a8);
	expect_const("SMMU_PRIQ_CONS", 0x100cc);
	expect_const("SMMU_STRTAB_BASE_CFG", 0x88);
	expect_const("CR0_SMMUEN", 0x1);
	expect_const("CR0_CMDQEN", 0x8);
	expect_const("IRQ_CTRL_EVTQ_IRQEN", 0x4);
	expect_const("GERROR_CMDQ_ERR", 0x1);
	expect_const("GERROR_SFM_ERR", 0x100);
	expect_const("GERROR_ERR_MASK", 0x1fd);
	expect_const("Q_OVERFLOW_FLAG", 0x80000000);
	expect_const("CMDQ_CONS_ERR", 0x7f000000);
	expect_const("CMD_SYNC", 0x46);
	expect_const("CMD_CFGI_ALL", 0x04);
	expect_const("CMD_ATC_INV", 0x40);
	expect_const("CMD_SYNC_CS_IRQ", 1);
	expect_const("CMD_SYNC_CS_SEV", 2);
	expect_const("PRI_RESP_DENY", 0);
	expect_const("PRI_RESP_SUCC", 2);
	expect_const("RESUME_RETRY", 1);
	expect_const("RESUME_ABORT", 2);
	expect_const("STE_CONFIG_S1_TRANS", 5);
	expect_const("STE_CONFIG_NESTED", 7);
	expect_const("STE_EATS_TRANS", 1);
	expect_const("STE_S1DSS_SSID0", 2);
	expect_const("F_TRANSLATION", 0x10);
	expect_const("F_PERMISSION", 0x13);
	expect_const("C_BAD_STE", 0x04);
	expect_const("E_PAGE_REQUEST", 0x24);
	expect_const("ATC_INV_SIZE_ALL", 52);

	assert_int_equal(smmuv3_const_by_name("NOT_A_CONSTANT", &v), -ENOENT);
	assert_int_equal(v, 0x1234);		/* untouched */
	assert_int_equal(smmuv3_const_by_name(NULL, &v), -EINVAL);
	assert_int_equal(smmuv3_const_by_name("CERROR_ILL", NULL), -EINVAL);

	/* Names are unique (case-insensitively) and the table ends. */
	while (smmuv3_const_at(n))
		n++;
	assert_true(n > 100);
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			if (!strcasecmp(smmuv3_const_at(i)->name,
					smmuv3_const_at(j)->name))
				fail_msg("duplicate constant %s",
					 smmuv3_const_at(i)->name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regs_offsets),
		cmocka_unit_test(test_regs_fields),
		cmocka_unit_test(test_regs_queue_index),
		cmocka_unit_test(test_caps_from_idr),
		cmocka_unit_test(test_cmd_round_trip),
		cmocka_unit_test(test_cmd_known_patterns),
		cmocka_unit_test(test_cmd_reserved_bits_illegal),
		cmocka_unit_test(test_cmd_unknown_opcode_illegal),
		cmocka_unit_test(test_cmd_field_values_illegal),
		cmocka_unit_test(test_cmd_unsupported_illegal),
		cmocka_unit_test(test_cmd_encode_einval),
		cmocka_unit_test(test_event_known_pattern),
		cmocka_unit_test(test_event_round_trip_all_ids),
		cmocka_unit_test(test_event_encode_einval),
		cmocka_unit_test(test_pri_known_and_round_trip),
		cmocka_unit_test(test_ste_known_and_round_trip),
		cmocka_unit_test(test_ste_check),
		cmocka_unit_test(test_cd_known_and_round_trip),
		cmocka_unit_test(test_cd_check),
		cmocka_unit_test(test_names_commands),
		cmocka_unit_test(test_names_events_cerrors),
		cmocka_unit_test(test_names_constants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
