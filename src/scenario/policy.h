/* SPDX-License-Identifier: MIT */
/*
 * Policies (DESIGN.md section 5): where the seeds' reviewers disagreed,
 * both designs live side by side behind a named policy, and a run selects
 * one value of each.
 *
 * This file is the registry of every policy: its name, its values (in the
 * order of the POL_* enums below), its default and a one-line description,
 * and struct policy_set, the values in force for one run. A scenario's
 * `policy:` block and the command line's `--policy K=V` both fill a
 * policy_set; the models read it with policy_get().
 *
 * Adding a policy: one enum policy_key entry, one enum of its values, one
 * entry in the registry table of policy.c (a static assertion keeps the
 * table and the enum the same length). docs/scenarios.md lists every
 * policy; tests/test_scenario.c checks that it does.
 *
 * Everything here is pure data: no allocation, no global state, usable
 * from any context, thread-safe.
 */
#ifndef IOMMUSIM_SCENARIO_POLICY_H
#define IOMMUSIM_SCENARIO_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum policy_key {
	POLICY_ATC_TIMEOUT,
	POLICY_ATC_BATCH_SYNC,
	POLICY_MASTER_LOOKUP,
	POLICY_CMDQ_ERR_COCLEAR,
	POLICY_CMDQ,
	POLICY_REPORT_BROKEN,
	POLICY_IOPF_DESIGN,
	POLICY_IOPF_DRAIN,
	POLICY_IOPF_DISCARD,
	POLICY_CFIE_MASK,
	POLICY_NR,
};

/* Values of each policy, in the order the registry lists them. */
enum pol_atc_timeout {
	POL_ATC_TIMEOUT_IGNORE,
	POL_ATC_TIMEOUT_QUARANTINE_BATCH,
	POL_ATC_TIMEOUT_QUARANTINE_RETRY,
};

enum pol_atc_batch_sync {
	POL_ATC_BATCH_SYNC_PER_BATCH,
	POL_ATC_BATCH_SYNC_DEFERRED,
};

enum pol_master_lookup {
	POL_MASTER_LOOKUP_INV_MASTER,
	POL_MASTER_LOOKUP_SID_LOOKUP,
};

enum pol_cmdq_err_coclear {
	POL_CMDQ_ERR_COCLEAR_ON,
	POL_CMDQ_ERR_COCLEAR_OFF,
};

enum pol_cmdq {
	POL_CMDQ_LOCKFREE,
	POL_CMDQ_SPINLOCK,
};

enum pol_report_broken {
	POL_REPORT_BROKEN_NONE,
	POL_REPORT_BROKEN_WORKER_RCU,
	POL_REPORT_BROKEN_WORKER_DEV_IOMMU,
};

enum pol_iopf_design {
	POL_IOPF_DESIGN_LINUX,
	POL_IOPF_DESIGN_GROUP_COUNTER,
};

enum pol_iopf_drain {
	POL_IOPF_DRAIN_NONE,
	POL_IOPF_DRAIN_FLUSH_WQ,
	POL_IOPF_DRAIN_ORDERED,
};

enum pol_iopf_discard {
	POL_IOPF_DISCARD_RESPOND,
	POL_IOPF_DISCARD_DISCARD,
};

enum pol_cfie_mask {
	POL_CFIE_MASK_NONE,
	POL_CFIE_MASK_UNLOCKED,
	POL_CFIE_MASK_LOCKED,
	POL_CFIE_MASK_THREADED_SYNC,
};

/**
 * struct policy_info - one policy of the registry.
 * @name:	"atc_timeout", the key in scenarios and on the command line.
 * @values:	its values, NULL-terminated, in the order of its POL_* enum.
 * @value_desc:	one line per value, parallel to @values.
 * @nvalues:	number of @values.
 * @def:	index of the default value in @values.
 * @desc:	one line saying what the policy selects (DESIGN.md section 5).
 */
struct policy_info {
	const char *name;
	const char *const *values;
	const char *const *value_desc;
	unsigned int nvalues;
	unsigned int def;
	const char *desc;
};

/**
 * struct policy_set - the value of every policy for one run.
 * @v:		value index of each policy, by enum policy_key.
 * @given:	bit (1 << key) set when the value was set explicitly (by a
 *		scenario's `policy:` block or by policy_set_apply*()), clear
 *		when it is the default.
 */
struct policy_set {
	uint8_t v[POLICY_NR];
	uint32_t given;
};

/* Buffer size that holds any policy_format() output. */
#define POLICY_FORMAT_BUFSZ 512

/**
 * policy_info() - the registry entry of @key.
 * Return: the entry, or NULL when @key is not below POLICY_NR.
 * Context: any.
 */
const struct policy_info *policy_info(enum policy_key key);

/**
 * policy_names() - every policy name, in enum order, NULL-terminated
 * (POLICY_NR names), for key checks and suggestions. Context: any.
 */
const char *const *policy_names(void);

/**
 * policy_by_name() - the key whose name is @name (exact, case-sensitive).
 * Return: the enum policy_key, or -EINVAL for an unknown name.
 */
int policy_by_name(const char *name);

/**
 * policy_value_by_name() - the index of @value among @key's values.
 * Return: the index, or -EINVAL when @key is invalid or @value is not one
 * of its values.
 */
int policy_value_by_name(enum policy_key key, const char *value);

/** policy_set_default() - every policy at its default; nothing given. */
void policy_set_default(struct policy_set *set);

/**
 * policy_set_apply_kv() - set policy @key to @value
 * @set:    the set to change; unchanged on error
 * @key:    a policy name ("atc_timeout")
 * @value:  one of its values ("ignore")
 * @err:    on error, receives a message without trailing newline (may be
 *          NULL): "unknown policy 'K' (expected one of: ...); did you mean
 *          'k'?" or "K: invalid value 'V' (expected one of: ...); did you
 *          mean 'v'?"
 * @errlen: size of @err in bytes
 *
 * Marks @key as given.
 * Return: 0, or -EINVAL for an unknown key or value (or NULL strings).
 * Context: any.
 */
int policy_set_apply_kv(struct policy_set *set, const char *key,
			const char *value, char *err, size_t errlen);

/**
 * policy_set_apply() - policy_set_apply_kv() on "KEY=VALUE" text, as the
 * command line's --policy takes it
 * @kv: "atc_timeout=ignore"; no spaces are stripped
 *
 * Return: 0, or -EINVAL (the messages of policy_set_apply_kv(), or
 * "expected KEY=VALUE, got 'T'" when @kv has no '=' or nothing before it).
 */
int policy_set_apply(struct policy_set *set, const char *kv, char *err,
		     size_t errlen);

/**
 * policy_get() - the value index of @key in @set (one of its POL_* enum
 * values). @key must be below POLICY_NR. Context: any.
 */
static inline unsigned int policy_get(const struct policy_set *set,
				      enum policy_key key)
{
	return set->v[key];
}

/** policy_get_name() - the value of @key in @set as text ("ignore"). */
const char *policy_get_name(const struct policy_set *set, enum policy_key key);

/** policy_is_given() - whether @key was set explicitly (see @given). */
static inline bool policy_is_given(const struct policy_set *set,
				   enum policy_key key)
{
	return set->given & (1u << key);
}

/**
 * policy_format() - every policy as "K=V", space-separated, in registry
 * order, for reports: "atc_timeout=quarantine-retry atc_batch_sync=...".
 * @buf:  output, always NUL-terminated when @size > 0 (cut if too small)
 * @size: size of @buf; POLICY_FORMAT_BUFSZ is always enough
 *
 * Return: the length of the full text (as snprintf()), so a return >= @size
 * means it was cut.
 */
size_t policy_format(const struct policy_set *set, char *buf, size_t size);

#endif /* IOMMUSIM_SCENARIO_POLICY_H */
