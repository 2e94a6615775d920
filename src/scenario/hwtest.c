// SPDX-License-Identifier: MIT
/*
 * `iommusim hwtest SCRIPT`: parse a register-level stimulus script, build
 * the hardware it declares on one simulated memory, run its statements in
 * one task on CPU 0 of one simulator, and report (docs/hwtest.md).
 *
 * The run: the script is parsed whole first (exit 2 on any error, nothing
 * runs).  Then the simulator (1 CPU, the seed and strategy of the
 * options, keep_going so violations can be expected) gets 64 MiB of
 * memory, every SMMU (with its queue and stream-table memory and four
 * counted interrupt lines) and every endpoint (connected to its SMMU for
 * each of its Stream IDs), all before the first statement.  The script
 * task executes the statements in order and settles the hardware after
 * each (sim_settle()).  At the end every violation is printed; one whose ID
 * no `expect violations` names fails the run.
 */
#include "scenario/hwtest_internal.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "check/violation.h"
#include "trace/evlog.h"

/** hwtest_opts_default() - seed 1, random strategy, stdout and stderr. */
void hwtest_opts_default(struct hwtest_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->strategy.kind = SIM_STRAT_RANDOM;
	o->strategy.pct_depth = 3;
}

/* ---- building the hardware ---- */

static void irq_count(struct sim_irq *irq, void *arg)
{
	(*(uint64_t *)arg)++;
}

/* @bytes of memory for @what, aligned to their size (queues, stream table). */
static int alloc_aligned(struct ht_run *r, const char *owner, uint64_t bytes, uint64_t *pa)
{
	uint64_t align = bytes < HW_PAGE_SIZE ? HW_PAGE_SIZE : bytes;
	size_t pages = (bytes + HW_PAGE_SIZE - 1) / HW_PAGE_SIZE;
	uint64_t base;

	if (align > HW_PAGE_SIZE)
		pages += align / HW_PAGE_SIZE - 1;
	if (hw_mem_alloc(r->mem, pages, owner, &base))
		return -ENOMEM;
	*pa = (base + align - 1) & ~(align - 1);
	return 0;
}

static int smmu_memory(struct ht_run *r, struct ht_obj *o)
{
	struct ht_smmu *s = &o->smmu;
	char owner[HW_OWNER_LEN];
	int ret;

	snprintf(owner, sizeof(owner), "%s cmdq", o->name);
	ret = alloc_aligned(r, owner, 16ULL << s->cmdq_log2, &s->cmdq_pa);
	snprintf(owner, sizeof(owner), "%s evtq", o->name);
	ret = ret ? ret : alloc_aligned(r, owner, 32ULL << s->evtq_log2, &s->evtq_pa);
	snprintf(owner, sizeof(owner), "%s priq", o->name);
	if (s->cfg.pri)
		ret = ret ? ret : alloc_aligned(r, owner, 16ULL << s->priq_log2, &s->priq_pa);
	snprintf(owner, sizeof(owner), "%s strtab", o->name);
	return ret ? ret : alloc_aligned(r, owner, 64ULL << s->sid_bits, &s->strtab_pa);
}

static bool make_smmu(struct ht_run *r, struct ht_obj *o)
{
	struct ht_smmu *s = &o->smmu;
	char name[SIM_NAME_LEN];

	for (int i = 0; i < SMMUV3_NR_IRQS; i++) {
		snprintf(name, sizeof(name), "%.20s.%s", o->name, ht_irq_name(i));
		s->irq[i] = sim_irq_create(r->sim, name, 0, irq_count, &s->irq_count[i]);
		if (!s->irq[i])
			return false;
		s->cfg.irq[i] = s->irq[i];
	}
	s->cfg.name = o->name;
	s->smmu = smmuv3_create(r->sim, r->mem, &s->cfg);
	return s->smmu && !smmu_memory(r, o);
}

static bool make_dev(struct ht_run *r, struct ht_obj *o)
{
	struct ht_dev *d = &o->dev;
	struct ht_smmu *s = &ht_o(r, d->smmu)->smmu;
	struct pcie_upstream up = smmuv3_upstream(s->smmu);

	d->cfg.name = o->name;
	d->ep = pcie_ep_create(r->sim, &d->cfg, &up);
	if (!d->ep)
		return false;
	for (int i = 0; i < d->cfg.nsids; i++)
		if (smmuv3_connect(s->smmu, d->cfg.sids[i], d->ep, d->cfg.completion_timeout))
			return false;
	return true;
}

/* Make every SMMU and device; "FILE:LINE:COL: cannot create" on failure. */
static bool make_hardware(struct ht_run *r)
{
	for (int i = 0; i < r->sc->nobjs; i++) {
		struct ht_obj *o = r->sc->objs[i];
		bool ok = true;

		if (o->kind == HT_SMMU)
			ok = make_smmu(r, o);
		else if (o->kind == HT_DEV)
			ok = make_dev(r, o);
		if (!ok) {
			fprintf(r->err, "%s:%u:1: cannot create %s %s (%s)\n", r->sc->name, o->line,
				o->kind == HT_SMMU ? "SMMU" : "device", o->name, strerror(errno));
			return false;
		}
	}
	return true;
}

/* ---- the run ---- */

static void script_task(void *arg)
{
	struct ht_run *r = arg;

	sim_settle();
	for (int i = 0; i < r->sc->nstmts && r->status == HWTEST_PASS; i++) {
		r->cur = &r->sc->stmts[i];
		if (!ht_exec_stmt(r, r->cur))
			break;
		sim_settle();
	}
}

static bool viol_expected(const struct ht_script *sc, enum violation_id id)
{
	return sc->viol_all || (sc->viol_named & (1U << id));
}

/* Print every violation; fail on one no `expect violations` names. */
static void report_violations(struct ht_run *r)
{
	const struct violation_log *vl = r->sim->violations;

	if (!vl)
		return;
	for (size_t i = 0; i < vl->n; i++) {
		fputs("violation: ", r->out);
		violation_print(r->out, &vl->v[i]);
	}
	for (int id = 0; id < V_NR && r->status == HWTEST_PASS; id++) {
		if (!vl->count[id] || viol_expected(r->sc, id))
			continue;
		fprintf(r->err, "%s: %u unexpected %s violation%s (name it in an `expect violations` to allow it)\n",
			r->sc->name, vl->count[id], violation_name(id), vl->count[id] > 1 ? "s" : "");
		r->status = HWTEST_FAIL;
	}
}

static void finish(struct ht_run *r, enum sim_end end, int done)
{
	char tb[32];

	if (r->status == HWTEST_PASS && done < r->sc->nstmts) {
		fprintf(r->err, "%s: the run ended early (%s) before line %u\n", r->sc->name,
			sim_end_name(end), r->sc->stmts[done].line);
		r->status = HWTEST_FAIL;
	}
	report_violations(r);
	fprintf(r->out, "%s: %s: %d statements, %u expects, virtual time %s\n", r->sc->name,
		r->status == HWTEST_PASS ? "PASS" : "FAIL", r->sc->nstmts, r->nexpects,
		sim_format_time(r->sim->now, tb, sizeof(tb)));
	fflush(r->out);
}

static struct sim *sim_for(const struct hwtest_opts *o)
{
	struct sim_config cfg;

	sim_config_default(&cfg);
	cfg.ncpus = 1;
	cfg.seed = o->seed;
	cfg.strategy = o->strategy;
	if (!cfg.strategy.pct_horizon)
		cfg.strategy.pct_horizon = 100000;
	cfg.keep_going = true;
	cfg.end_when_threads_done = true;
	return sim_create(&cfg);
}

/* Index of the first statement the script did not finish. */
static int stmts_done(const struct ht_run *r)
{
	if (r->task && r->task->state == SIM_DONE && r->status == HWTEST_PASS)
		return r->sc->nstmts;
	return r->cur ? (int)(r->cur - r->sc->stmts) : 0;
}

static int run_script(struct ht_script *sc, const struct hwtest_opts *o, FILE *out, FILE *err)
{
	struct ht_run r = { .sc = sc, .out = out, .err = err, .status = HWTEST_PASS };
	enum sim_end end = SIM_END_NONE;

	r.sim = sim_for(o);
	r.mem = hw_mem_create(HT_MEM_SIZE);
	if (!r.sim || !r.mem) {
		fprintf(err, "%s: out of memory\n", sc->name);
		r.status = HWTEST_BADINPUT;
	} else if (!make_hardware(&r)) {
		r.status = HWTEST_BADINPUT;
	} else {
		r.task = sim_task_create(r.sim, "hwtest", SIM_TASK_THREAD, 0, false, script_task, &r);
		end = sim_run(r.sim);
		finish(&r, end, stmts_done(&r));
	}
	if (r.sim)
		sim_destroy(r.sim);
	hw_mem_destroy(r.mem);
	ht_dmas_free(&r);
	return r.status;
}

/* ---- entry points ---- */

/**
 * hwtest_run_string() - parse and run the script @text of @len bytes,
 * named @name in messages.  See hwtest.h.
 */
int hwtest_run_string(const char *name, const char *text, size_t len,
		      const struct hwtest_opts *o)
{
	struct hwtest_opts def;
	struct ht_script sc = { 0 };
	struct diag d;
	FILE *out, *err;
	int ret;

	if (!o) {
		hwtest_opts_default(&def);
		o = &def;
	}
	out = o->out ? o->out : stdout;
	err = o->err ? o->err : stderr;
	diag_init(&d, name);
	diag_set_sink(&d, err);
	sc.name = strdup(name);
	if (!sc.name || !hwtest_parse(&sc, &d, text, len))
		ret = HWTEST_BADINPUT;
	else
		ret = run_script(&sc, o, out, err);
	ht_script_free(&sc);
	diag_fini(&d);
	return ret;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return buf ? buf : calloc(1, 1);
}

/** hwtest_run_file() - parse and run the script at @path.  See hwtest.h. */
int hwtest_run_file(const char *path, const struct hwtest_opts *o)
{
	size_t len = 0;
	char *text = read_file(path, &len);
	int ret;

	if (!text) {
		fprintf(o && o->err ? o->err : stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return HWTEST_BADINPUT;
	}
	ret = hwtest_run_string(path, text, len, o);
	free(text);
	return ret;
}

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "iommusim hwtest: %s\n", why);
	fputs("usage: iommusim hwtest SCRIPT [--seed N] [--strategy random|rr|pct:D]\n", stderr);
	return HWTEST_BADINPUT;
}

/**
 * hwtest_main() - `iommusim hwtest SCRIPT [--seed N] [--strategy S]`.
 * @argc, @argv: the command line from "hwtest" on (@argv[0] is "hwtest"),
 *		as getopt_long() wants it.
 * Return: the script's exit status, or HWTEST_BADINPUT for bad usage.
 */
int hwtest_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "strategy", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct hwtest_opts o;
	char *end;
	int c;

	hwtest_opts_default(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg || *optarg == '-')
				return usage("--seed needs an unsigned number");
			break;
		case 'S':
			if (sim_strategy_parse(optarg, &o.strategy))
				return usage("--strategy must be random, rr or pct:D");
			break;
		default:
			return usage("unknown option or missing value");
		}
	}
	if (optind >= argc)
		return usage("no SCRIPT");
	if (optind + 1 != argc)
		return usage("one SCRIPT, please");
	return hwtest_run_file(argv[optind], &o);
}
