// SPDX-License-Identifier: MIT
/*
 * Reports of one run (DESIGN.md section 8, docs/running.md): text for
 * people, one JSON document for scripts, and the kernel log dmesg style.
 * Plain text, no colour, within 80 columns except where a long name or
 * message has no room to break.
 */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "scenario/cli_opts.h"
#include "scenario/run.h"
#include "trace/evlog.h"

/* Violations printed in full by the text report (JSON has them all). */
#define REPORT_VIOLATIONS_SHOWN	5
/* Timeline lines printed by the text report: the first ..HEAD, the last ..TAIL. */
#define REPORT_TIMELINE_HEAD	30
#define REPORT_TIMELINE_TAIL	10
#define REPORT_WIDTH		80

static const char *blocked_name(enum scn_blocked b)
{
	const char *n = scn_blocked_name(b);

	return n ? n : "?";
}

static const char *domain_name(const struct scenario *scn, int idx)
{
	if (idx < 0)
		return NULL;
	return scn && (unsigned int)idx < scn->ndomains ? scn->domains[idx].name : "?";
}

/*
 * @text from column @col on, words wrapped before REPORT_WIDTH, further
 * lines indented by @indent; a word longer than a line stays whole.
 */
static void wrap(FILE *f, unsigned int col, unsigned int indent, const char *text)
{
	const char *p = text;
	bool first = true;

	while (*p) {
		size_t w;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = strcspn(p, " ");
		if (!first && col + 1 + w > REPORT_WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
			first = true;
		}
		if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += (unsigned int)w;
		p += w;
		first = false;
	}
	fputc('\n', f);
}

/* The policies as "k=v" words, a '*' after those not at their default. */
static void policies_text(FILE *f, const struct policy_set *set)
{
	char buf[POLICY_FORMAT_BUFSZ], out[POLICY_FORMAT_BUFSZ + POLICY_NR + 1];
	char *save = NULL, *tok;
	size_t len = 0;
	bool any = false;

	policy_format(set, buf, sizeof(buf));
	out[0] = '\0';
	tok = strtok_r(buf, " ", &save);
	for (unsigned int k = 0; tok; k++, tok = strtok_r(NULL, " ", &save)) {
		const struct policy_info *pi = policy_info(k);
		bool differs = pi && set->v[k] != pi->def;

		any |= differs;
		len += snprintf(out + len, sizeof(out) - len, "%s%s%s",
				len ? " " : "", tok, differs ? "*" : "");
		if (len >= sizeof(out))
			break;
	}
	fprintf(f, "  %-12s", "policies");
	wrap(f, 14, 14, out);
	if (any)
		fprintf(f, "  %-12s(* not the default)\n", "");
}

static void bugs_text(FILE *f, unsigned long bugs)
{
	bool first = true;

	if (!bugs)
		return;
	fprintf(f, "  %-12s", "bugs");
	for (unsigned int b = 0; b < 8 * sizeof(bugs); b++) {
		const char *n;

		if (!(bugs & (1ul << b)))
			continue;
		n = cli_bug_name(1ul << b);
		if (n)
			fprintf(f, "%s%s", first ? "" : ", ", n);
		else
			fprintf(f, "%s0x%lx", first ? "" : ", ", 1ul << b);
		first = false;
	}
	fputs(" (re-created on purpose)\n", f);
}

static void header_text(FILE *f, const struct run_result *r)
{
	const struct scenario *scn = r->scn;
	char tb[32], tb2[32], sb[64];

	fprintf(f, "scenario      %s\n", scn && scn->name ? scn->name : "?");
	if (scn && scn->description && *scn->description) {
		fprintf(f, "  ");
		wrap(f, 2, 2, scn->description);
	}
	if (scn && scn->file)
		fprintf(f, "  %-12s%s\n", "file", scn->file);
	fprintf(f, "  %-12s%llu\n", "seed", (unsigned long long)r->opts.seed);
	fprintf(f, "  %-12s%s\n", "strategy",
		sim_strategy_format(&r->opts.strategy, sb, sizeof(sb)));
	policies_text(f, &r->opts.policy);
	bugs_text(f, r->opts.bugs);
	if (scn)
		fprintf(f, "  %-12s%s of %s\n", "virtual",
			sim_format_time(r->vtime, tb, sizeof(tb)),
			sim_format_time(scn->duration, tb2, sizeof(tb2)));
	else
		fprintf(f, "  %-12s%s\n", "virtual", sim_format_time(r->vtime, tb, sizeof(tb)));
	fprintf(f, "  %-12s%llu.%03llu ms\n", "wall",
		(unsigned long long)(r->wall_ns / 1000000),
		(unsigned long long)(r->wall_ns / 1000 % 1000));
	fprintf(f, "  %-12s%llu scheduling points\n", "steps", (unsigned long long)r->steps);
	fprintf(f, "  %-12s%s%s\n", "ended", sim_end_name(r->end),
		r->opts.keep_going ? " (--keep-going)" : "");
}

static void timeline_line(FILE *f, const struct run_event *e)
{
	char tb[32];

	fprintf(f, "  %14s  ", sim_format_time(e->time, tb, sizeof(tb)));
	wrap(f, 18, 18, e->text);
}

static void timeline_text(FILE *f, const struct run_result *r)
{
	unsigned int n = r->ntimeline;

	fprintf(f, "\ntimeline\n");
	if (!n) {
		fprintf(f, "  (nothing notable)\n");
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (n > REPORT_TIMELINE_HEAD + REPORT_TIMELINE_TAIL &&
		    i == REPORT_TIMELINE_HEAD) {
			fprintf(f, "  %14s  ... %u more (all of them in --json)\n", "",
				n - REPORT_TIMELINE_HEAD - REPORT_TIMELINE_TAIL);
			i = n - REPORT_TIMELINE_TAIL;
		}
		timeline_line(f, &r->timeline[i]);
	}
}

static void violations_text(FILE *f, const struct run_result *r)
{
	const struct violation_log *vl = &r->violations;
	char tb[32];
	bool first = true;
	uint64_t total = 0;

	for (int id = 0; id < V_NR; id++)
		total += vl->count[id];
	fprintf(f, "\nviolations    %llu", (unsigned long long)total);
	for (int id = 0; id < V_NR; id++) {
		if (!vl->count[id])
			continue;
		fprintf(f, "%s%s %u", first ? " (" : ", ", violation_name(id), vl->count[id]);
		first = false;
	}
	fprintf(f, "%s\n", first ? "" : ")");
	for (size_t i = 0; i < vl->n && i < REPORT_VIOLATIONS_SHOWN; i++) {
		const struct violation *v = &vl->v[i];

		fprintf(f, "  %s at %s", violation_name(v->id) ? violation_name(v->id) : "?",
			sim_format_time(v->time, tb, sizeof(tb)));
		for (int t = 0; t < v->ntasks; t++)
			fprintf(f, "%s'%s'", t ? ", " : " [", v->task_names[t]);
		fprintf(f, "%s\n    ", v->ntasks ? "]" : "");
		wrap(f, 4, 4, v->msg);
	}
	if (vl->n > REPORT_VIOLATIONS_SHOWN)
		fprintf(f, "  ... %zu more (all of them in --json)\n",
			vl->n - REPORT_VIOLATIONS_SHOWN);
}

static void devices_text(FILE *f, const struct run_result *r)
{
	if (!r->ndevices)
		return;
	fprintf(f, "\n%-19s %-13s %-4s %-4s %-9s %s\n", "devices at the end",
		"blocked", "ats", "pri", "domain", "quarantined");
	for (unsigned int i = 0; i < r->ndevices; i++) {
		const struct run_device *d = &r->devices[i];
		const char *dom = domain_name(r->scn, d->domain);

		fprintf(f, "  %-17s %-13s %-4s %-4s %-9s %u\n",
			d->name ? d->name : "?", blocked_name(d->blocked),
			d->ats ? "on" : "off", d->pri ? "on" : "off", dom ? dom : "none",
			d->quarantined);
	}
}

uint64_t run_percentile(const uint64_t *sorted, size_t n, unsigned int pct)
{
	size_t rank = ((size_t)pct * n + 99) / 100;	/* nearest rank */

	return n ? sorted[rank ? rank - 1 : 0] : 0;
}

uint64_t run_prg_latency_pct(const struct run_result *r, unsigned int pct)
{
	return run_percentile(r->prg_latency, r->nprg_latency, pct);
}

static void iopf_text(FILE *f, const struct run_result *r)
{
	const uint64_t *c = r->iopf;
	char a[32], b[32], m[32];

	if (!c[SCN_IOPF_REPORTED] && !c[SCN_IOPF_PRG_SENT])
		return;
	fprintf(f, "\nI/O page faults\n");
	fprintf(f, "  reported %llu (partial %llu), groups %llu, responses %llu "
		"(error %llu, nop %llu), discarded %llu, faulted in %llu\n",
		(unsigned long long)c[SCN_IOPF_REPORTED], (unsigned long long)c[SCN_IOPF_PARTIAL],
		(unsigned long long)c[SCN_IOPF_GROUPS], (unsigned long long)c[SCN_IOPF_RESPONSES],
		(unsigned long long)c[SCN_IOPF_ERROR_RESPONSES], (unsigned long long)c[SCN_IOPF_NOP],
		(unsigned long long)c[SCN_IOPF_DISCARDED], (unsigned long long)c[SCN_IOPF_FAULTED_IN]);
	if (!c[SCN_IOPF_PRG_SENT])
		return;
	fprintf(f, "  page request groups: sent %llu, answered %llu, timed out %llu\n",
		(unsigned long long)c[SCN_IOPF_PRG_SENT], (unsigned long long)c[SCN_IOPF_PRG_RESPONSES],
		(unsigned long long)c[SCN_IOPF_PRG_TIMEOUTS]);
	if (r->nprg_latency)
		fprintf(f, "  LAST request to response: p50 %s, p99 %s, max %s\n",
			sim_format_time(run_prg_latency_pct(r, 50), a, sizeof(a)),
			sim_format_time(run_prg_latency_pct(r, 99), b, sizeof(b)),
			sim_format_time(r->prg_latency[r->nprg_latency - 1], m, sizeof(m)));
}

static void checks_text(FILE *f, const struct expect_check *checks, unsigned int n)
{
	fprintf(f, "\n%-40s %-16s %-12s %s\n", "checks", "expected", "observed", "verdict");
	for (unsigned int i = 0; i < n; i++) {
		const struct expect_check *c = &checks[i];

		fprintf(f, "  %-38s %-16s %-12s %s\n", c->what, c->cond, c->observed,
			c->ok ? "OK" : "FAIL");
	}
}

void report_text(FILE *f, const struct run_result *r,
		 const struct expect_check *checks, unsigned int nchecks, bool pass)
{
	unsigned int failed = 0;

	header_text(f, r);
	timeline_text(f, r);
	violations_text(f, r);
	devices_text(f, r);
	iopf_text(f, r);
	checks_text(f, checks, nchecks);
	for (unsigned int i = 0; i < nchecks; i++)
		failed += !checks[i].ok;
	if (pass)
		fprintf(f, "\nPASS\n");
	else
		fprintf(f, "\n%u of %u checks failed\nFAIL\n", failed, nchecks);
}

/* ---- JSON ---- */

/* A u64 as a JSON integer; above INT64_MAX, as a string of its digits. */
static json_t *ju64(uint64_t v)
{
	char buf[24];

	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return json_string(buf);
}

/* json_string() refuses invalid UTF-8; keep the text, bytes escaped. */
static json_t *jstr(const char *s)
{
	json_t *j;

	if (!s)
		return json_null();
	j = json_string(s);
	if (!j) {
		char buf[4 * VIOLATION_MSG_LEN + 1];
		size_t o = 0;

		for (const unsigned char *p = (const unsigned char *)s;
		     *p && o + 5 < sizeof(buf); p++)
			o += snprintf(buf + o, sizeof(buf) - o,
				      *p < 0x80 ? "%c" : "\\x%02x", *p);
		j = json_string(buf);
	}
	return j ? j : json_null();
}

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *json_policies(const struct policy_set *p)
{
	json_t *o = json_object();

	for (unsigned int k = 0; k < POLICY_NR; k++) {
		const struct policy_info *pi = policy_info(k);
		const char *v = policy_get_name(p, k);

		if (pi)
			set(o, pi->name, jstr(v ? v : "?"));
	}
	return o;
}

static json_t *json_bugs(unsigned long bugs)
{
	json_t *a = json_array();

	for (unsigned int b = 0; b < 8 * sizeof(bugs); b++) {
		char hex[24];
		const char *n;

		if (!(bugs & (1ul << b)))
			continue;
		n = cli_bug_name(1ul << b);
		snprintf(hex, sizeof(hex), "0x%lx", 1ul << b);
		json_array_append_new(a, jstr(n ? n : hex));
	}
	return a;
}

static json_t *json_doc(const struct run_result *r, const struct expect_check *checks,
			unsigned int nchecks, bool pass)
{
	const struct scenario *scn = r->scn;
	json_t *doc = json_object(), *a;
	char sb[64];

	set(doc, "scenario", jstr(scn ? scn->name : NULL));
	set(doc, "description", jstr(scn ? scn->description : NULL));
	set(doc, "file", jstr(scn ? scn->file : NULL));
	set(doc, "seed", ju64(r->opts.seed));
	set(doc, "strategy", jstr(sim_strategy_format(&r->opts.strategy, sb, sizeof(sb))));
	set(doc, "policy", json_policies(&r->opts.policy));
	set(doc, "bugs", json_bugs(r->opts.bugs));
	set(doc, "keep_going", json_boolean(r->opts.keep_going));
	set(doc, "duration_ns", scn ? ju64(scn->duration) : NULL);
	set(doc, "virtual_time_ns", ju64(r->vtime));
	set(doc, "wall_time_ns", ju64(r->wall_ns));
	set(doc, "steps", ju64(r->steps));
	set(doc, "end", jstr(sim_end_name(r->end)));

	a = json_array();
	for (unsigned int i = 0; i < r->ntimeline; i++) {
		json_t *e = json_object();

		set(e, "time_ns", ju64(r->timeline[i].time));
		set(e, "text", jstr(r->timeline[i].text));
		json_array_append_new(a, e);
	}
	set(doc, "timeline", a);

	a = json_array();
	for (size_t i = 0; i < r->violations.n; i++) {
		const struct violation *v = &r->violations.v[i];
		json_t *e = json_object(), *t = json_array();

		for (int k = 0; k < v->ntasks; k++)
			json_array_append_new(t, jstr(v->task_names[k]));
		set(e, "id", jstr(violation_name(v->id)));
		set(e, "time_ns", ju64(v->time));
		set(e, "tasks", t);
		set(e, "message", jstr(v->msg));
		json_array_append_new(a, e);
	}
	set(doc, "violations", a);

	a = json_array();
	for (unsigned int i = 0; i < r->ndevices; i++) {
		const struct run_device *d = &r->devices[i];
		json_t *e = json_object();

		set(e, "name", jstr(d->name));
		set(e, "blocked", jstr(blocked_name(d->blocked)));
		set(e, "ats", json_boolean(d->ats));
		set(e, "pri", json_boolean(d->pri));
		set(e, "domain", jstr(domain_name(scn, d->domain)));
		set(e, "quarantined", json_integer(d->quarantined));
		json_array_append_new(a, e);
	}
	set(doc, "devices", a);

	a = json_object();
	for (unsigned int k = 0; k < SCN_IOPF_NR; k++)
		set(a, scn_iopf_counter_name(k), ju64(r->iopf[k]));
	if (r->nprg_latency) {
		json_t *l = json_object();

		set(l, "n", ju64(r->nprg_latency));
		set(l, "p50", ju64(run_prg_latency_pct(r, 50)));
		set(l, "p99", ju64(run_prg_latency_pct(r, 99)));
		set(l, "max", ju64(r->prg_latency[r->nprg_latency - 1]));
		set(a, "prg_latency_ns", l);
	}
	set(doc, "iopf", a);

	a = json_array();
	for (unsigned int i = 0; i < nchecks; i++) {
		json_t *e = json_object();

		set(e, "what", jstr(checks[i].what));
		set(e, "cond", jstr(checks[i].cond));
		set(e, "observed", jstr(checks[i].observed));
		set(e, "ok", json_boolean(checks[i].ok));
		json_array_append_new(a, e);
	}
	set(doc, "checks", a);
	set(doc, "log_lines", ju64(r->nlog));
	set(doc, "pass", json_boolean(pass));
	return doc;
}

void report_json(FILE *f, const struct run_result *r,
		 const struct expect_check *checks, unsigned int nchecks, bool pass)
{
	json_t *doc = json_doc(r, checks, nchecks, pass);

	json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(doc);
}

void report_log(FILE *f, const struct run_result *r)
{
	for (size_t i = 0; i < r->nlog; i++) {
		const struct run_logline *l = &r->log[i];

		fprintf(f, "[%5llu.%06llu] %s\n",
			(unsigned long long)(l->time / 1000000000ULL),
			(unsigned long long)(l->time % 1000000000ULL / 1000),
			l->text ? l->text : "");
	}
}
