/* SPDX-License-Identifier: MIT */
/*
 * Running a loaded scenario (DESIGN.md sections 7 and 8): build the
 * platform (memory, SMMUs, endpoints, interrupt lines), boot the kernel
 * software (SMMUv3 driver probe, IOMMU core, devices, domains), start the
 * workload and the timed events, run the simulator, and collect what the
 * report and the `expect` block need into a struct run_result.
 *
 * runner.c builds and runs (run_scenario()); expect.c judges a result
 * against the scenario's expectations; report.c prints it as text or JSON.
 */
#ifndef IOMMUSIM_SCENARIO_RUN_H
#define IOMMUSIM_SCENARIO_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "check/violation.h"
#include "scenario/scenario.h"
#include "sim/sim.h"

struct diagram;

/**
 * struct run_opts - how to run.
 * @seed:	the seed (the scenario's unless the command line gave one).
 * @strategy:	scheduling strategy.
 * @policy:	policies in force (scenario's, then --policy on top).
 * @bugs:	bug switches (IOMMU_BUG_* | ARM_SMMU_BUG_*), 0 normally.
 * @keep_going:	run to the end instead of stopping at the first violation.
 * @echo_log:	print kernel log lines to stderr as they come (debugging).
 * @trace_path:	write the run as Chrome Trace Event JSON to this file
 *		(trace/trace.h), or NULL.
 * @diagram:	keep what --diagram draws (run_result.diagram).
 */
struct run_opts {
	uint64_t seed;
	struct sim_strategy strategy;
	struct policy_set policy;
	unsigned long bugs;
	bool keep_going;
	bool echo_log;
	const char *trace_path;
	bool diagram;
};

/**
 * struct run_device - a device's state at the end of the run.
 * @name:	the scenario's name.
 * @blocked:	the core's gdev->blocked.
 * @ats, @pri:	PCI ATS / PRI enabled.
 * @domain:	index of the scenario domain its RID is attached to
 *		(group->domain), or -1 for none/blocking.
 * @quarantined: times the driver quarantined its ATS during the run.
 */
struct run_device {
	const char *name;
	enum scn_blocked blocked;
	bool ats;
	bool pri;
	int domain;
	unsigned int quarantined;
};

/** struct run_event - one line of the report's timeline. */
struct run_event {
	sim_time_t time;	/* ns */
	char text[160];
};

/** struct run_logline - one kernel log line. */
struct run_logline {
	sim_time_t time;	/* ns */
	int level;		/* 0 emerg .. 7 debug */
	char *text;		/* owned */
};

/**
 * struct run_result - everything a report needs, owned by the result.
 * @end:	why the simulator stopped.
 * @vtime:	virtual time reached, ns.
 * @wall_ns:	wall-clock time of the run (never in a test assertion).
 * @steps:	scheduling points.
 * @violations:	the violations, in order (copied out of the simulator).
 * @devices, @ndevices: end states, in scenario order.
 * @timeline, @ntimeline: notable events, in time order.
 * @log, @nlog:	the kernel log.
 * @log_suppressed: lines the ratelimit suppressed.
 * @iopf:	the I/O page fault counters, by enum scn_iopf_counter.
 * @prg_latency, @nprg_latency: virtual time from each page request
 *		group's LAST request to its response, ns, sorted ascending,
 *		over every endpoint (p50/p99 for reports and benchmarks).
 * @trace_err:	0, or the -errno of a write error on the trace file (the
 *		report stands; the command exits 2).
 * @diagram:	with opts.diagram, the events diagram_print() draws
 *		(trace/diagram.h); else NULL.
 * @sched:	the run's schedule (version 2: its seed, steps, decisions and
 *		deviations from the default order; no options), enough to
 *		replay it guided (sim_schedule_save() writes it).
 * @switches:	task switches.
 * @preemptions: deviations that switched away from a task that could go on.
 * @guide_missed: under a guided strategy, deviations that could not apply.
 */
struct run_result {
	const struct scenario *scn;
	struct run_opts opts;
	enum sim_end end;
	sim_time_t vtime;
	uint64_t wall_ns;
	uint64_t steps;
	struct violation_log violations;
	struct run_device *devices;
	unsigned int ndevices;
	struct run_event *timeline;
	unsigned int ntimeline;
	struct run_logline *log;
	size_t nlog;
	uint64_t iopf[SCN_IOPF_NR];
	uint64_t *prg_latency;
	size_t nprg_latency;
	int trace_err;
	struct diagram *diagram;
	struct sim_schedule sched;
	uint64_t switches;
	uint64_t preemptions;
	uint64_t guide_missed;
};

/**
 * run_opts_default() - options from the scenario: its seed, strategy
 * random, its policies, stop at the first violation.
 */
void run_opts_default(struct run_opts *o, const struct scenario *scn);

/**
 * run_scenario() - build, boot and run @scn once.
 * Return: 0 with @r filled (also when violations were found), or -errno
 * when the platform could not be built (reported on stderr).
 * Context: main context; one run at a time per OS thread.
 */
int run_scenario(const struct scenario *scn, const struct run_opts *o,
		 struct run_result *r);

/**
 * run_percentile() - the @pct-th percentile (nearest rank, 1..100) of the
 * @n values of @sorted (ascending); 0 when @n is 0.
 */
uint64_t run_percentile(const uint64_t *sorted, size_t n, unsigned int pct);

/**
 * run_prg_latency_pct() - the @pct-th percentile (nearest rank, 1..100)
 * of @r's PRG latencies, ns; 0 when no group was answered.
 */
uint64_t run_prg_latency_pct(const struct run_result *r, unsigned int pct);

/** run_result_free() - release what @r owns. */
void run_result_free(struct run_result *r);

/**
 * struct expect_check - one line of the verdict: a check, its observed
 * count or state, and whether it holds.
 */
struct expect_check {
	char what[96];		/* "STALE_DMA_WRITE", "quarantined nic0", ... */
	char cond[32];		/* "==0", ">0", "blocked: no" */
	char observed[64];	/* "3", "reset-failed" */
	bool ok;
};

/**
 * expect_eval() - judge @r against @scn's expect block: every violation ID
 * (with its count condition, "==0" when not named), quarantined /
 * not_quarantined, at_end states, log substring counts.
 * @checks, @nchecks: set to a malloc()ed array (caller frees).
 * Return: true when every check holds (PASS).
 */
bool expect_eval(const struct scenario *scn, const struct run_result *r,
		 struct expect_check **checks, unsigned int *nchecks);

/** report_text() - the report of DESIGN.md section 8, as text. */
void report_text(FILE *f, const struct run_result *r,
		 const struct expect_check *checks, unsigned int nchecks, bool pass);

/** report_json() - the same as one JSON document (jansson). */
void report_json(FILE *f, const struct run_result *r,
		 const struct expect_check *checks, unsigned int nchecks, bool pass);

/** report_log() - the kernel log, dmesg style: "[    0.012345] text". */
void report_log(FILE *f, const struct run_result *r);

#endif
