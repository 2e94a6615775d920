// SPDX-License-Identifier: MIT
/*
 * Scenario files: the load, the top-level keys, shipped scenarios, and the
 * list of sections for the reference test. See scenario.h and
 * docs/scenarios.md; the engine the sections share is scenario_fields.c.
 */
#include "scenario/scenario.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/scenario_config.h"
#include "scenario/scenario_internal.h"
#include "sim/sim.h"
#include "sim/vec.h"

/* ------------------------------------------------------------------ */
/* The top level                                                       */
/* ------------------------------------------------------------------ */

/* `policy:` - policy name to value. */
static bool parse_policy(struct loader *L, const struct yt_node *n, void *obj)
{
	struct policy_set *set = &L->scn->policy;
	bool ok = true;
	size_t i;

	if (!yt_expect_map(L->d, n))
		return false;
	for (i = 0; i < n->map.n; i++) {
		const struct yt_node *k = n->map.pairs[i].key;
		int key = policy_by_name(k->scalar.text);
		unsigned int v;

		if (key < 0) {
			yt_report_not_in_list(L->d, k->line, k->col,
					      "unknown policy", k->scalar.text,
					      policy_names());
			ok = false;
			continue;
		}
		if (!yt_get_enum(L->d, n->map.pairs[i].value,
				 policy_info(key)->values, &v)) {
			ok = false;
			continue;
		}
		set->v[key] = (uint8_t)v;
		set->given |= 1u << key;
	}
	return ok;
}

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static const struct scn_field top_fields[] = {
	F_NAME("name", struct scenario, name, SCN_SCENARIO_NAME_MAX, SCN_REQUIRED),
	F_STR("description", struct scenario, description, "\"\""),
	F_TIME("duration", struct scenario, duration, 1, SCN_REQUIRED),
	F_U32("cpus", struct scenario, cpus, 1, SIM_MAX_CPUS, "4"),
	F_U64("seed", struct scenario, seed, 0, UINT64_MAX, "1"),
	F_SIZE("memory", struct scenario, memory, MiB, 16 * GiB, "64MiB"),
	F_TIME("cpu_relax_cost", struct scenario, cpu_relax_cost, 1, "20ns"),
	F_TIME("soft_lockup", struct scenario, soft_lockup, 1, "20s"),
	F_TIME("wfe_wake", struct scenario, wfe_wake, 0, "0ns"),
	F_TIME("stall_timeout", struct scenario, stall_timeout, 1, "10ms"),
	F_END
};

/* In this order: each may refer to the ones before it. */
static const struct scn_field top_sections[] = {
	F_CUSTOM("policy", parse_policy, "{}"),
	F_CUSTOM("smmus", scn_parse_smmus, "[]"),
	F_CUSTOM("devices", scn_parse_devices, "[]"),
	F_CUSTOM("domains", scn_parse_domains, "[]"),
	F_CUSTOM("workload", scn_parse_workload, "[]"),
	F_CUSTOM("events", scn_parse_events, "[]"),
	F_CUSTOM("expect", scn_parse_expect, "{}"),
	F_CUSTOM("irq_storm", scn_parse_irq_storm, "{}"),
	F_END
};

static void load_root(struct loader *L, const struct yt_node *root)
{
	const struct scn_field *const tabs[] = { top_fields, top_sections };
	struct scenario *scn = L->scn;
	const struct yt_node *mem;

	policy_set_default(&scn->policy);
	for (unsigned int v = 0; v < V_NR; v++)
		scn->expect.violations[v] = (struct count_cond){ COUNT_EQ, 0 };
	if (!scn_check_keys(L, root, tabs, 2, NULL, NULL) &&
	    root->kind != YT_MAP)
		return;
	scn_read_fields(L, root, top_fields, scn);
	L->cpus_ok = scn->cpus != 0;
	L->duration_ok = scn->duration != 0;
	mem = yt_map_get(root, "memory");
	if (mem && scn->memory % 4096) {
		scn_error(L, mem, "memory must be a whole number of 4KiB pages");
		scn->memory = 0;
	}
	scn->irq_storm_count = 1000;	/* irq_storm: {} (scn_irq_storm_fields) */
	scn->irq_storm_window = 1000000;
	scn_read_fields(L, root, top_sections, scn);
	scn_sort_events(scn);
	scn_check_smmuv2(L, root);
	scn_check_iopf(L, root);
}

/* ------------------------------------------------------------------ */
/* Load and free                                                       */
/* ------------------------------------------------------------------ */

static int load_tree(struct loader *L, struct yt_node *tree, unsigned int before)
{
	unsigned int k;

	if (tree) {
		L->scn->tree = tree;
		load_root(L, tree);
	}
	for (k = 0; k < REF_NR; k++) {
		free(L->names[k].names);
		free(L->names[k].idx);
		free(L->names[k].pos);
	}
	if (!tree || diag_count(L->d) != before) {
		scenario_free(L->scn);
		return -EINVAL;
	}
	return 0;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p) {
		fprintf(stderr, "iommusim: out of memory\n");
		abort();
	}
	return p;
}

/**
 * scenario_load_string() - load a scenario from memory (see scenario.h).
 * Return: 0, or -EINVAL with every error reported into @d.
 */
int scenario_load_string(const char *name, const char *text, size_t len,
			 struct scenario *scn, struct diag *d)
{
	struct loader L = { .d = d, .scn = scn };
	unsigned int before = diag_count(d);

	memset(scn, 0, sizeof(*scn));
	scn->file = xstrdup(name);
	return load_tree(&L, yt_load_string(d, text, len), before);
}

/**
 * scenario_load_file() - load a scenario file (see scenario.h).
 * Return: 0, or -EINVAL with every error reported into @d.
 */
int scenario_load_file(const char *path, struct scenario *scn, struct diag *d)
{
	struct loader L = { .d = d, .scn = scn };
	unsigned int before = diag_count(d);

	memset(scn, 0, sizeof(*scn));
	scn->file = xstrdup(path);
	return load_tree(&L, yt_load_file(d, path), before);
}

/** scenario_free() - release a scenario and zero it (NULL: nothing). */
void scenario_free(struct scenario *scn)
{
	if (!scn)
		return;
	scn_free_topology(scn);
	scn_free_events(scn);
	scn_free_expect(scn);
	yt_free(scn->tree);
	free(scn->file);
	memset(scn, 0, sizeof(*scn));
}

/* ------------------------------------------------------------------ */
/* Shipped scenarios                                                   */
/* ------------------------------------------------------------------ */

static const char *const shipped_dirs[] = {
	"scenarios",
	IOMMUSIM_SCENARIO_DIR,
};

/* Letters, digits, '-', '_' and '.', not starting with '.'. */
static bool bare_name(const char *name, size_t len)
{
	size_t i;

	if (!len || name[0] == '.')
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return false;
	}
	return true;
}

static bool has_yaml_suffix(const char *s, size_t len)
{
	return len > 5 && !strcmp(s + len - 5, ".yaml");
}

/**
 * scenario_find_shipped() - the path of shipped scenario @name.
 * Return: 0 with *@path malloc()ed; -EINVAL (not a bare name), -ENOENT.
 */
int scenario_find_shipped(const char *name, char **path)
{
	size_t len = name ? strlen(name) : 0;
	unsigned int i;

	*path = NULL;
	if (!bare_name(name, len) || has_yaml_suffix(name, len))
		return -EINVAL;
	for (i = 0; i < sizeof(shipped_dirs) / sizeof(shipped_dirs[0]); i++) {
		size_t n = strlen(shipped_dirs[i]) + len + 7;
		char *p = scn_zalloc(n, 1);

		snprintf(p, n, "%s/%s.yaml", shipped_dirs[i], name);
		if (!access(p, R_OK)) {
			*path = p;
			return 0;
		}
		free(p);
	}
	return -ENOENT;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/**
 * scenario_list_shipped() - every shipped scenario's name, sorted, unique.
 * Return: 0.
 */
int scenario_list_shipped(char ***names, size_t *n)
{
	char **v = NULL;
	size_t nv = 0, cap = 0, i, j;

	for (i = 0; i < sizeof(shipped_dirs) / sizeof(shipped_dirs[0]); i++) {
		DIR *dir = opendir(shipped_dirs[i]);
		struct dirent *e;

		while (dir && (e = readdir(dir))) {
			size_t len = strlen(e->d_name);

			if (!has_yaml_suffix(e->d_name, len) ||
			    !bare_name(e->d_name, len - 5))
				continue;
			VEC_RESERVE(v, nv, cap, 16);
			v[nv] = xstrdup(e->d_name);
			v[nv++][len - 5] = '\0';
		}
		if (dir)
			closedir(dir);
	}
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_str);
	for (i = j = 0; i < nv; i++) {
		if (j && !strcmp(v[j - 1], v[i]))
			free(v[i]);
		else
			v[j++] = v[i];
	}
	*names = v;
	*n = j;
	return 0;
}

/** scenario_free_names() - free a scenario_list_shipped() result. */
void scenario_free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ------------------------------------------------------------------ */
/* Sections, for the reference                                          */
/* ------------------------------------------------------------------ */

enum section_kind {
	SEC_TABLES,		/* keys of up to two tables */
	SEC_POLICY,		/* the policy registry */
	SEC_VIOLATIONS,		/* violation IDs */
	SEC_IOPF_COUNTERS,	/* expect.iopf counter names */
};

static const struct section {
	const char *name;
	enum section_kind kind;
	const struct scn_field *tab[2];
} sections[] = {
	{ "scenario", SEC_TABLES, { top_fields, top_sections } },
	{ "policy", SEC_POLICY, { NULL } },
	{ "smmus[]", SEC_TABLES, { scn_smmu_fields } },
	{ "smmus[].irq_affinity", SEC_TABLES, { scn_irq_fields } },
	{ "devices[]", SEC_TABLES, { scn_device_fields } },
	{ "knobs", SEC_TABLES, { scn_knob_fields } },
	{ "domains[]", SEC_TABLES, { scn_domain_fields } },
	{ "workload[]", SEC_TABLES, { scn_work_fields } },
	{ "workload[].dma", SEC_TABLES, { scn_dma_fields } },
	{ "workload[].churn", SEC_TABLES, { scn_churn_fields } },
	{ "events[] device", SEC_TABLES, { scn_dev_event_fields } },
	{ "events[] smmu", SEC_TABLES, { scn_smmu_event_fields } },
	{ "events[].pasid_attach", SEC_TABLES, { scn_pasid_attach_fields } },
	{ "events[].inject", SEC_TABLES, { scn_inject_fields } },
	{ "expect", SEC_TABLES, { scn_expect_fields } },
	{ "expect.violations", SEC_VIOLATIONS, { NULL } },
	{ "expect.at_end.DEVICE", SEC_TABLES, { scn_at_end_fields } },
	{ "workload[].fault", SEC_TABLES, { scn_fault_fields } },
	{ "irq_storm", SEC_TABLES, { scn_irq_storm_fields } },
	{ "domains[].mm", SEC_TABLES, { scn_mm_fields } },
	{ "domains[].fault_handler", SEC_TABLES, { scn_fault_handler_fields } },
	{ "events[].pasid_replace", SEC_TABLES, { scn_pasid_attach_fields } },
	{ "expect.iopf", SEC_IOPF_COUNTERS, { NULL } },
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/** scenario_nsections() - how many sections the loader has. */
unsigned int scenario_nsections(void)
{
	return NSECTIONS;
}

/** scenario_section_name() - the name of section @s, or NULL. */
const char *scenario_section_name(unsigned int s)
{
	return s < NSECTIONS ? sections[s].name : NULL;
}

/** scenario_section_key() - the @i-th key of section @s (see scenario.h). */
bool scenario_section_key(unsigned int s, unsigned int i,
			  struct scenario_key_info *out)
{
	const struct section *sec;
	const struct policy_info *p;
	unsigned int t;

	if (s >= NSECTIONS)
		return false;
	sec = &sections[s];
	switch (sec->kind) {
	case SEC_POLICY:
		p = policy_info(i);
		if (!p)
			return false;
		out->key = p->name;
		out->def = p->values[p->def];
		return true;
	case SEC_VIOLATIONS:
		if (i >= V_NR)
			return false;
		out->key = violation_name(i);
		out->def = "0";
		return true;
	case SEC_IOPF_COUNTERS:
		if (i >= SCN_IOPF_NR)
			return false;
		out->key = scn_iopf_counter_name(i);
		out->def = SCN_NODEF;
		return true;
	case SEC_TABLES:
		for (t = 0; t < 2 && sec->tab[t]; t++) {
			const struct scn_field *f = sec->tab[t];

			for (; f->key; f++) {
				if (i--)
					continue;
				out->key = f->key;
				out->def = f->def;
				return true;
			}
		}
		return false;
	}
	return false;
}
