/* SPDX-License-Identifier: MIT */
/*
 * Scenario files (DESIGN.md section 7): load and validate one YAML
 * scenario into a struct scenario, pure data the runner builds a topology,
 * a workload, timed events and expectations from. Nothing here simulates.
 *
 * docs/scenarios.md is the reference of every key (type, units, default,
 * meaning); tests/test_scenario.c checks that the reference and the loader
 * agree, through scenario_nsections() and friends below.
 *
 * Errors. Unknown keys, wrong types, bad values, dangling references,
 * duplicate names and the other rules of the reference are reported as
 * "FILE:LINE:COL: message" into a struct diag (diag.h), at the token that
 * is wrong (the key for an unknown key, the value for a bad value, the
 * mapping for a missing key). The loader reports *every* error it finds,
 * not only the first: it checks each entry as far as it can, skips what
 * depends on a broken part (a device whose SMMU reference is wrong is not
 * checked against that SMMU's SID width; an event is not checked against a
 * duration that did not parse), and goes on, so one run of the command
 * shows them all; the command prints them and exits 2. Files with a YAML
 * syntax error stop at that error (see yamltree.h).
 *
 * References between entries are by name, resolved at load time to
 * indices into the scenario's arrays (struct scn_device.smmu is an index
 * into struct scenario.smmus, and so on); names are unique per kind.
 * Every entry keeps the 1-based position of its mapping in the file
 * (struct scn_pos), so later stages can report at the line the user wrote.
 *
 * Units in the structures: times in nanoseconds of virtual time, sizes in
 * bytes, counts in entries or pages of 4 KiB.
 *
 * Memory: a loaded scenario owns everything it points to (its strings
 * point into the YAML tree it keeps); scenario_free() releases it all.
 * Allocation failure aborts (as everywhere in the simulator, see
 * sim/vec.h). Not thread-safe per scenario; separate loads are independent.
 */
#ifndef IOMMUSIM_SCENARIO_SCENARIO_H
#define IOMMUSIM_SCENARIO_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/violation.h"
#include "scenario/diag.h"
#include "scenario/policy.h"
#include "scenario/yamltree.h"

/* Longest name of a device, SMMU or domain, in characters. */
#define SCN_NAME_MAX		31
/* Longest scenario name, in characters. */
#define SCN_SCENARIO_NAME_MAX	63
/* Most Stream IDs, and most DMA aliases, of one device. */
#define SCN_MAX_SIDS		8
/* Largest PASID width a device may have, in bits. */
#define SCN_PASID_BITS_MAX	20
/* A reference that is not set (an event on an SMMU has no device, ...). */
#define SCN_NONE		UINT32_MAX

/* Where an entry starts in the file: 1-based line and column. */
struct scn_pos {
	unsigned int line;
	unsigned int col;
};

/* How the driver learns that a CMD_SYNC completed. */
enum scn_sync {
	SCN_SYNC_MSI,		/* an MSI write to a sync word */
	SCN_SYNC_CONS,		/* polling CMDQ_CONS */
};

/* How an SMMUv2's context interrupts are wired. */
enum scn_context_irqs {
	SCN_CONTEXT_IRQS_SHARED,	/* every bank on one line */
	SCN_CONTEXT_IRQS_PER_BANK,	/* a line per bank */
};

/* An SMMUv3's interrupt lines, in the order of enum smmuv3_irq. */
enum scn_irq {
	SCN_IRQ_GERROR,
	SCN_IRQ_EVTQ,
	SCN_IRQ_PRIQ,
	SCN_IRQ_CMDQ_SYNC,
	SCN_NR_IRQS,
};

/**
 * struct scn_smmu - one entry of `smmus:` (an SMMUv3).
 * @name, @pos:		its name and where its mapping starts.
 * @cmdq_entries, @evtq_entries, @priq_entries: queue sizes, entries, powers
 *			of two from 2 to 2^19.
 * @sync:		CMD_SYNC completion signalling.
 * @irq_affinity:	CPU each interrupt line is affined to, by enum
 *			scn_irq, each below struct scenario.cpus (default 0).
 * @sid_bits:		Stream ID width, 1..32; every SID of its devices fits.
 * @ssid_bits:		SubstreamID (PASID) width, 0..20.
 * @ats, @pri, @stall:	the SMMU supports ATS, PRI, stalling faults.
 * @stall_max:		stalled transactions held at once.
 * @tlb_entries, @cfg_cache_entries: cache sizes, entries.
 * @cmd_time:		time the command engine spends on one command, ns.
 * @walk_time:		time of one table-walk level, ns.
 */
struct scn_smmu {
	const char *name;
	struct scn_pos pos;
	unsigned int cmdq_entries;
	unsigned int evtq_entries;
	unsigned int priq_entries;
	enum scn_sync sync;
	unsigned int irq_affinity[SCN_NR_IRQS];
	unsigned int sid_bits;
	unsigned int ssid_bits;
	bool ats;
	bool pri;
	bool stall;
	unsigned int stall_max;
	unsigned int tlb_entries;
	unsigned int cfg_cache_entries;
	uint64_t cmd_time;
	uint64_t walk_time;
	/* SMMUv2 (version: 2; scenario_smmuv2.c, docs/scenarios.md) */
	unsigned int version;		/* 2 or 3 */
	unsigned int context_banks;	/* 1..128 */
	bool ss_asserts_irq;		/* FSR.SS asserts the context interrupt */
	enum scn_context_irqs context_irqs;
	unsigned int context_irq_affinity;	/* CPU of the context lines */
	uint64_t mmio_latency;		/* ns per register access */
};

/**
 * struct scn_knob - one misbehaviour knob setting, as text, exactly as
 * pcie_ep_set_knob() takes it ("atc_inv", "slow:5ms"); validated at load.
 * @pos: where the value is written.
 */
struct scn_knob {
	const char *key;
	const char *value;
	struct scn_pos pos;
};

/**
 * struct scn_device - one entry of `devices:` (a PCIe endpoint); the
 * fields mirror struct pcie_ep_config.
 * @smmu:		index into struct scenario.smmus.
 * @sids, @nsids:	Stream IDs (1..SCN_MAX_SIDS), @sids[0] the
 *			Requester ID; unique among the devices of one SMMU.
 * @aliases, @naliases:	DMA aliases (0..SCN_MAX_SIDS), none of them one
 *			of its own @sids.
 * @ats:		ATS capability; @atc_entries ATC size, entries;
 *			@inv_queue_depth invalidations held at once (1..32);
 *			@atc_inv_latency time to answer one, ns;
 *			@completion_timeout how long the SMMU waits for an
 *			invalidation completion, ns.
 * @pri:		PRI capability (requires @ats); @pri_max_requests
 *			outstanding page requests; @prg_response_timeout how
 *			long a page request group waits for its response, ns.
 * @pasid:		PASID capability; @pasid_bits its width (1..20).
 * @flr_capable:	FLR capability; @flr_time time an FLR takes, ns.
 * @knobs, @nknobs:	initial misbehaviour knobs, in file order.
 * @domain:		index into struct scenario.domains of the domain whose
 *			`attach:` list names this device, or SCN_NONE (the
 *			device then starts blocked: no domain attached).
 */
struct scn_device {
	const char *name;
	struct scn_pos pos;
	uint32_t smmu;
	uint32_t sids[SCN_MAX_SIDS];
	unsigned int nsids;
	uint32_t aliases[SCN_MAX_SIDS];
	unsigned int naliases;
	bool ats;
	unsigned int atc_entries;
	unsigned int inv_queue_depth;
	uint64_t atc_inv_latency;
	uint64_t completion_timeout;
	bool pri;
	unsigned int pri_max_requests;
	uint64_t prg_response_timeout;
	bool pasid;
	unsigned int pasid_bits;
	bool flr_capable;
	uint64_t flr_time;
	struct scn_knob *knobs;
	unsigned int nknobs;
	uint32_t domain;
	/* On an SMMUv2 (scenario_smmuv2.c): its bank and its driver's resume */
	bool has_context_bank;
	unsigned int context_bank;
	bool stall;			/* SCTLR.CFCFG: stall on a context fault */
	bool resume_terminate;		/* resume: terminate (else retry) */
	uint64_t resume_delay;		/* ns from report to resume */
};

/* How a domain's fault handler answers (struct scn_domain.fh_response). */
enum scn_response {
	SCN_RESP_SUCCESS,
	SCN_RESP_INVALID,
	SCN_RESP_FAILURE,
};

enum scn_domain_type {
	SCN_DOMAIN_PAGING,
	SCN_DOMAIN_IDENTITY,
	SCN_DOMAIN_BLOCKING,
	SCN_DOMAIN_SVA,
};

/**
 * struct scn_domain - one entry of `domains:`.
 * @attach, @nattach: devices (indices into struct scenario.devices)
 *		attached to it by RID at the start, in file order. A device
 *		is in at most one domain's list; an SVA domain has none (SVA
 *		attaches to PASIDs: use a pasid_attach event).
 * I/O page faults (scenario_iopf.c):
 * @mm_base, @mm_size: sva: the process address space, bytes; a fault in
 *		it is served (a page faulted in), outside answered INVALID.
 *		@mm_size 0: the domain's IOVA window (every access valid).
 * @has_fault_handler: paging: the domain takes faults, answered by a
 *		handler that sleeps @fh_delay (ns) then answers @fh_response;
 *		sva: the SVA handler sleeps @fh_delay before faulting in.
 * @free_unused: `free: unused`: the runner frees the domain (and the
 *		attach handles) as soon as a replace or detach leaves it
 *		attached nowhere, as iommufd or an SVA unbind does.
 */
struct scn_domain {
	const char *name;
	struct scn_pos pos;
	enum scn_domain_type type;
	uint32_t *attach;
	unsigned int nattach;
	uint64_t mm_base;
	uint64_t mm_size;
	bool has_fault_handler;
	uint64_t fh_delay;
	enum scn_response fh_response;
	bool free_unused;
};

enum scn_work_kind {
	SCN_WORK_DMA,		/* a device's DMA stream */
	SCN_WORK_CHURN,		/* unmap + invalidate + free + remap */
	SCN_WORK_FAULT,		/* accesses to unmapped IOVAs (SMMUv2 device) */
};

enum scn_dma_op {
	SCN_DMA_READ,
	SCN_DMA_WRITE,
};

/**
 * struct scn_work - one entry of `workload:`.
 * @kind:	dma or churn.
 * @device:	DMA only: the device issuing it (index), else SCN_NONE.
 * @domain:	the domain whose IOVA range it uses (index).
 * @pages:	pages of 4 KiB it walks (DMA) or remaps each round (churn).
 * @op:		DMA only: read or write.
 * @interval:	time between two accesses or two rounds, ns (>= 1).
 * @count:	accesses or rounds to make; 0 for no limit.
 * @start:	virtual time of the first one, ns.
 * @has_pasid, @pasid: DMA only: the accesses carry this PASID (the device
 *		has the PASID capability and @pasid fits its width).
 * @has_alias, @alias: DMA only: the accesses carry this DMA alias (one of
 *		the device's aliases) instead of its first SID.
 * @prg_pages:	DMA only: page requests per PRG when an access needs PRI
 *		(1..256); @prg_gap the time between two of them, ns.
 */
struct scn_work {
	enum scn_work_kind kind;
	struct scn_pos pos;
	uint32_t device;
	uint32_t domain;
	unsigned int pages;
	enum scn_dma_op op;
	uint64_t interval;
	uint64_t count;
	uint64_t start;
	bool has_pasid;
	uint32_t pasid;
	bool has_alias;
	uint32_t alias;
	unsigned int prg_pages;
	uint64_t prg_gap;
};

enum scn_event_kind {
	SCN_EV_SET,		/* device: set misbehaviour knobs */
	SCN_EV_RESET,		/* device: reset (then its knobs, if any) */
	SCN_EV_ATTACH,		/* device: attach a domain to the RID */
	SCN_EV_REPLACE,		/* device: replace the RID's domain */
	SCN_EV_DETACH,		/* device: detach the RID's domain */
	SCN_EV_PASID_ATTACH,	/* device: attach a domain to a PASID */
	SCN_EV_PASID_DETACH,	/* device: detach a PASID's domain */
	SCN_EV_PASID_REPLACE,	/* device: replace a PASID's domain */
	SCN_EV_PRI,		/* device: enable or disable PRI */
	SCN_EV_SFM,		/* smmu: Service Failure Mode */
	SCN_EV_INJECT,		/* smmu: an illegal command into the CMDQ */
};

enum scn_reset {
	SCN_RESET_FLR,
	SCN_RESET_PROBE,	/* pci_probe_reset_function(): may it reset? */
};

/* How a reset ends: the device's `flr` knob for this reset. */
enum scn_outcome {
	SCN_OUTCOME_OK,
	SCN_OUTCOME_FAIL,
	SCN_OUTCOME_ENOTTY,
	SCN_OUTCOME_HANG,
};

enum scn_inject {
	SCN_INJECT_ILLEGAL,	/* a command with an illegal opcode */
};

/**
 * struct scn_event - one entry of `events:`; struct scenario.events is
 * sorted by @at, entries with equal times in file order.
 * @at:		virtual time, ns, below struct scenario.duration.
 * @kind:	what happens.
 * @device:	the target device (index), or SCN_NONE for an SMMU event.
 * @smmu:	the target SMMU (index), or SCN_NONE for a device event.
 * @domain:	ATTACH, REPLACE, PASID_ATTACH, PASID_REPLACE: the domain (index).
 * @pasid:	PASID_ATTACH, PASID_DETACH, PASID_REPLACE: the PASID.
 * @reset:	RESET: the kind of reset.
 * @has_outcome, @outcome: RESET: the outcome forced for this reset; when
 *		not given the device's `flr` knob in force decides.
 * @pri_enable:	PRI: enable (true) or disable.
 * @inject:	INJECT: what is injected.
 * @set, @nset:	SET: the knobs to set; RESET: knobs set after the reset
 *		(may be none).
 */
struct scn_event {
	uint64_t at;
	struct scn_pos pos;
	enum scn_event_kind kind;
	uint32_t device;
	uint32_t smmu;
	uint32_t domain;
	uint32_t pasid;
	enum scn_reset reset;
	bool has_outcome;
	enum scn_outcome outcome;
	bool pri_enable;
	enum scn_inject inject;
	struct scn_knob *set;
	unsigned int nset;
};

/* A device's blocked state in the IOMMU core, mildest first. */
enum scn_blocked {
	SCN_BLOCKED_NO,
	SCN_BLOCKED_RESETTING,
	SCN_BLOCKED_RESET_FAILED,
	SCN_BLOCKED_BROKEN,
};

/**
 * struct scn_at_end - the expected state of one device at the end of the
 * run (`expect: at_end:`); each has_* says whether that part is checked.
 * @ats, @pri:	enabled (true) or disabled.
 * @domain:	the domain attached to its RID (index).
 */
struct scn_at_end {
	uint32_t device;
	struct scn_pos pos;
	bool has_blocked;
	enum scn_blocked blocked;
	bool has_ats;
	bool ats;
	bool has_pri;
	bool pri;
	bool has_domain;
	uint32_t domain;
};

/**
 * struct scn_log_expect - a substring of kernel log lines and how many
 * lines containing it the run may print.
 */
struct scn_log_expect {
	const char *substring;
	struct count_cond cond;
	struct scn_pos pos;
};

/*
 * The I/O page fault counters `expect: iopf:` may constrain, in the order
 * of scn_iopf_counter_name(); the IOPF core's (struct iopf_stats) and the
 * endpoints' page request groups.
 */
enum scn_iopf_counter {
	SCN_IOPF_REPORTED,	/* iommu_report_device_fault() calls */
	SCN_IOPF_PARTIAL,	/* requests set aside (no LAST) */
	SCN_IOPF_GROUPS,	/* groups delivered to a handler */
	SCN_IOPF_RESPONSES,	/* responses sent by the core */
	SCN_IOPF_ERROR_RESPONSES, /* answered INVALID: no handle/handler */
	SCN_IOPF_DISCARDED,	/* dropped unanswered */
	SCN_IOPF_NOP,		/* group-counter: answered by a flush */
	SCN_IOPF_FAULTED_IN,	/* SVA pages mapped by the handler */
	SCN_IOPF_PRG_SENT,	/* page request groups the endpoints sent */
	SCN_IOPF_PRG_RESPONSES,	/* PRG responses they received */
	SCN_IOPF_PRG_TIMEOUTS,	/* groups they gave up waiting for */
	SCN_IOPF_NR,
};

/** scn_iopf_counter_name() - "reported", ...; NULL when out of range. */
const char *scn_iopf_counter_name(enum scn_iopf_counter c);

/**
 * struct scn_expect - the `expect:` block: the run fails (exit 1) when one
 * of these does not hold.
 * @violations:	 count condition per violation ID; those not named in the
 *		 file (and all of them when `violations:` is absent or 0)
 *		 are "==0".
 * @violations_pos: where each condition is written; line 0 when it is
 *		 the default.
 * @quarantined, @nquarantined: devices whose ATS the driver must have
 *		 quarantined at some point (each has ATS).
 * @not_quarantined, @nnot_quarantined: devices it must never have
 *		 quarantined; no device is in both lists.
 * @at_end, @nat_end: expected end states, one per device at most.
 * @log, @nlog:	 log line counts, in file order.
 * @iopf:	 `iopf:` count condition per counter (enum scn_iopf_counter);
 *		 those not named are not checked (@iopf_pos line 0).
 */
struct scn_expect {
	struct count_cond violations[V_NR];
	struct scn_pos violations_pos[V_NR];
	uint32_t *quarantined;
	unsigned int nquarantined;
	uint32_t *not_quarantined;
	unsigned int nnot_quarantined;
	struct scn_at_end *at_end;
	unsigned int nat_end;
	struct scn_log_expect *log;
	unsigned int nlog;
	struct count_cond iopf[SCN_IOPF_NR];
	struct scn_pos iopf_pos[SCN_IOPF_NR];	/* line 0: not given */
};

/**
 * struct scenario - a loaded scenario file.
 * @file:	the path or name it was loaded from (owned).
 * @name:	its `name`; @description its `description` ("" if none).
 * @duration:	virtual time the run lasts, ns (>= 1).
 * @cpus:	simulated CPUs, 1..SIM_MAX_CPUS.
 * @seed:	seed of the run unless the command line overrides it.
 * @memory:	simulated physical memory, bytes (a multiple of 4 KiB).
 * @cpu_relax_cost: virtual time one cpu_relax() costs, ns.
 * @soft_lockup: SOFT_LOCKUP threshold, ns.
 * @wfe_wake:	ns from an event to a CPU waiting in WFE running again
 *		(sim_config.wfe_wake).
 * @policy:	the policies; policy.given marks those the file names.
 * @smmus, @devices, @domains, @work, @events: the entries, in file order
 *		(events sorted by time), with their counts.
 * @expect:	the expectations.
 * @tree:	private: the YAML tree the strings point into.
 */
struct scenario {
	char *file;
	const char *name;
	const char *description;
	uint64_t duration;
	unsigned int cpus;
	uint64_t seed;
	uint64_t memory;
	uint64_t cpu_relax_cost;
	uint64_t soft_lockup;
	uint64_t wfe_wake;
	struct policy_set policy;
	struct scn_smmu *smmus;
	unsigned int nsmmus;
	struct scn_device *devices;
	unsigned int ndevices;
	struct scn_domain *domains;
	unsigned int ndomains;
	struct scn_work *work;
	unsigned int nwork;
	struct scn_event *events;
	unsigned int nevents;
	struct scn_expect expect;
	struct yt_node *tree;
	/* Checker bounds (scenario_smmuv2.c) */
	unsigned int irq_storm_count;	/* IRQ_STORM: deliveries allowed ... */
	uint64_t irq_storm_window;	/* ... within this window, ns */
	uint64_t stall_timeout;		/* STALL_HANG bound, ns */
};

/** scenario_has_smmuv2() - whether any SMMU of @scn has version: 2. */
bool scenario_has_smmuv2(const struct scenario *scn);

/**
 * scenario_load_file() - read, parse and validate a scenario file
 * @path: the file
 * @scn:  filled in on success; on failure left empty (all zero), so
 *        scenario_free() on it is harmless either way
 * @d:    diagnostics, initialised by the caller with the file name to
 *        print (usually @path); every error is reported there
 *
 * Return: 0, or -EINVAL after reporting at least one error into @d (the
 * file cannot be read, is not YAML, or breaks a rule of
 * docs/scenarios.md). Context: not in a simulated task (it allocates
 * with the C library).
 */
int scenario_load_file(const char *path, struct scenario *scn, struct diag *d);

/**
 * scenario_load_string() - parse and validate a scenario held in memory
 * @name: recorded as struct scenario.file (messages use @d's file name)
 * @text: the YAML text, not necessarily NUL-terminated; read only during
 *        the call
 * @len:  its length in bytes
 * @scn, @d: as scenario_load_file()
 *
 * Return: as scenario_load_file().
 */
int scenario_load_string(const char *name, const char *text, size_t len,
			 struct scenario *scn, struct diag *d);

/**
 * scenario_free() - release everything a loaded scenario holds and zero it
 * @scn: a scenario filled by a load, a zeroed one, or NULL
 */
void scenario_free(struct scenario *scn);

/**
 * scenario_find_shipped() - the file of a shipped scenario
 * @name: a bare name: letters, digits, '-', '_' and '.', not starting
 *        with '.', without ".yaml"
 * @path: set on success to a malloc()ed path the caller frees
 *
 * Looks for NAME.yaml in ./scenarios, then in the source tree's scenarios
 * folder (IOMMUSIM_SCENARIO_DIR, fixed at build time).
 * Return: 0; -EINVAL when @name is not a bare name (a path, say: the
 * caller loads it as a file); -ENOENT when no such scenario exists.
 */
int scenario_find_shipped(const char *name, char **path);

/**
 * scenario_list_shipped() - the names of every shipped scenario, in both
 * folders scenario_find_shipped() searches, sorted, without duplicates
 * @names: set to a malloc()ed array of malloc()ed names (free each, then
 *         the array; scenario_free_names() does that)
 * @n:     set to their number
 *
 * Return: 0 (also when there are none).
 */
int scenario_list_shipped(char ***names, size_t *n);

/** scenario_free_names() - free what scenario_list_shipped() returned. */
void scenario_free_names(char **names, size_t n);

/*
 * The loader's key tables, for the reference test and tools: each
 * section is one kind of mapping with a fixed set of keys ("devices[]" is
 * an entry of the devices list, "knobs" the knob map of a device and of a
 * `set` event, "policy" the policy block, "expect.violations" the map of
 * violation IDs). Section names match the <!-- keys: NAME --> markers of
 * docs/scenarios.md.
 */

/**
 * struct scenario_key_info - one key a section accepts.
 * @key:	the key.
 * @def:	its default as docs/scenarios.md writes it ("64", "msi",
 *		"[]"), or NULL when the key is required, or "(none)" when an
 *		absent key means "not set" rather than a value.
 */
struct scenario_key_info {
	const char *key;
	const char *def;
};

/** scenario_nsections() - the number of sections. Context: any. */
unsigned int scenario_nsections(void);

/** scenario_section_name() - the name of section @s, or NULL past the end. */
const char *scenario_section_name(unsigned int s);

/**
 * scenario_section_key() - the @i-th key of section @s
 * Return: true with *@out set, false past the last key or section.
 */
bool scenario_section_key(unsigned int s, unsigned int i,
			  struct scenario_key_info *out);

/*
 * Names of enum values as scenario files write them, for reports:
 * "paging", "write", "reset", "reset-failed", ... NULL when out of range.
 */
const char *scn_domain_type_name(enum scn_domain_type t);
const char *scn_event_kind_name(enum scn_event_kind k);
const char *scn_blocked_name(enum scn_blocked b);
const char *scn_outcome_name(enum scn_outcome o);
const char *scn_irq_name(enum scn_irq irq);
const char *scn_response_name(enum scn_response r);

#endif /* IOMMUSIM_SCENARIO_SCENARIO_H */
