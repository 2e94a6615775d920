// SPDX-License-Identifier: MIT
/*
 * The policy registry (DESIGN.md section 5) and policy sets.
 * See policy.h.
 */
#include "scenario/policy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario/diag.h"
#include "scenario/yamltree.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * One registry entry from its value and description lists; the value
 * lists are NULL-terminated, so the count is one less than the array.
 */
#define POLICY(n, vals, descs, d, text) {				\
	.name = n, .values = vals, .value_desc = descs,			\
	.nvalues = ARRAY_LEN(vals) - 1, .def = d, .desc = text }

static const char *const atc_timeout_v[] = {
	"ignore", "quarantine-batch", "quarantine-retry", NULL
};
static const char *const atc_timeout_d[] = {
	"skip the error, keep sending ATC_INV, log each time (before the series)",
	"treat every ATS master in the failed batch as broken (the review's first step)",
	"re-issue the batch one Stream ID at a time to find the culprit (the v4 series)",
};

static const char *const atc_batch_sync_v[] = {
	"per-batch", "deferred", NULL
};
static const char *const atc_batch_sync_d[] = {
	"every batch holding an ATC_INV ends with its own CMD_SYNC",
	"a full ATC batch goes without a CMD_SYNC; a later unrelated CMD_SYNC takes the error",
};

static const char *const master_lookup_v[] = {
	"inv-master", "sid-lookup", NULL
};
static const char *const master_lookup_d[] = {
	"from the invalidation-array entry (the v4 series)",
	"by Stream ID under a spinlock (the review)",
};

static const char *const on_off_v[] = { "on", "off", NULL };
static const char *const cmdq_err_coclear_d[] = {
	"an issuer that timed out or found the queue full clears CMDQ_ERR itself under cmdq_err_lock",
	"only the GERROR interrupt handler clears CMDQ_ERR",
};

static const char *const cmdq_v[] = { "lockfree", "spinlock", NULL };
static const char *const cmdq_d[] = {
	"Linux's lock-free multi-producer command queue",
	"a single-lock baseline",
};

static const char *const report_broken_v[] = {
	"none", "worker-rcu", "worker-dev-iommu", NULL
};
static const char *const report_broken_d[] = {
	"the driver contains the fault alone; an FLR restores the device",
	"RCU lookup and a per-group_device worker with broken_pending (v4)",
	"the worker on dev_iommu, no RCU (the review)",
};

static const char *const iopf_design_v[] = {
	"linux", "group-counter", NULL
};
static const char *const iopf_design_d[] = {
	"the Linux IOPF design of the seeds' era",
	"per-domain pending counter, groups listed and answered by handle (seed 001)",
};

static const char *const iopf_drain_v[] = {
	"none", "flush-wq", "ordered", NULL
};
static const char *const iopf_drain_d[] = {
	"a domain replace/detach does nothing about in-flight faults",
	"a bare iopf_queue_flush_dev() (the patch in seed 000)",
	"HW switch, handle switch, IRQ-thread and queue flush after a CMD_SYNC, workqueue flush, free",
};

static const char *const iopf_discard_v[] = {
	"respond", "discard", NULL
};
static const char *const iopf_discard_d[] = {
	"pending requests of a PASID being released are answered",
	"they are dropped (seed 001 argues this hangs devices)",
};

static const char *const cfie_mask_v[] = {
	"none", "unlocked", "locked", "threaded-sync", NULL
};
static const char *const cfie_mask_d[] = {
	"no masking: FSR.SS keeps the interrupt asserted (storm)",
	"mask CFIE before reporting, without a lock (the shared-line race of seed 002)",
	"mask and resume under the context bank lock (the fix)",
	"a threaded handler resumes synchronously, CFIE written before RESUME, no lock (the review's idea)",
};

static const struct policy_info registry[] = {
	[POLICY_ATC_TIMEOUT] = POLICY("atc_timeout", atc_timeout_v,
		atc_timeout_d, POL_ATC_TIMEOUT_QUARANTINE_RETRY,
		"what the SMMUv3 driver does when an ATC invalidation times out"),
	[POLICY_ATC_BATCH_SYNC] = POLICY("atc_batch_sync", atc_batch_sync_v,
		atc_batch_sync_d, POL_ATC_BATCH_SYNC_PER_BATCH,
		"whether every ATC invalidation batch carries its own CMD_SYNC"),
	[POLICY_MASTER_LOOKUP] = POLICY("master_lookup", master_lookup_v,
		master_lookup_d, POL_MASTER_LOOKUP_SID_LOOKUP,
		"how the driver finds the master behind a failed ATC invalidation"),
	[POLICY_CMDQ_ERR_COCLEAR] = POLICY("cmdq_err_coclear", on_off_v,
		cmdq_err_coclear_d, POL_CMDQ_ERR_COCLEAR_ON,
		"whether a command issuer may clear CMDQ_ERR itself"),
	[POLICY_CMDQ] = POLICY("cmdq", cmdq_v, cmdq_d, POL_CMDQ_LOCKFREE,
		"the SMMUv3 command-queue issue algorithm"),
	[POLICY_REPORT_BROKEN] = POLICY("report_broken", report_broken_v,
		report_broken_d, POL_REPORT_BROKEN_WORKER_DEV_IOMMU,
		"how the IOMMU core learns that a device is broken (quarantine reporting)"),
	[POLICY_IOPF_DESIGN] = POLICY("iopf_design", iopf_design_v,
		iopf_design_d, POL_IOPF_DESIGN_LINUX,
		"the I/O page-fault queue design"),
	[POLICY_IOPF_DRAIN] = POLICY("iopf_drain", iopf_drain_v,
		iopf_drain_d, POL_IOPF_DRAIN_ORDERED,
		"what a domain replace or detach does with in-flight page faults"),
	[POLICY_IOPF_DISCARD] = POLICY("iopf_discard", iopf_discard_v,
		iopf_discard_d, POL_IOPF_DISCARD_RESPOND,
		"whether page requests of a PASID being released are answered or dropped"),
	[POLICY_CFIE_MASK] = POLICY("cfie_mask", cfie_mask_v, cfie_mask_d,
		POL_CFIE_MASK_LOCKED,
		"how the SMMUv2 context fault handler masks the interrupt while a stall is resolved"),
};

_Static_assert(ARRAY_LEN(registry) == POLICY_NR,
	       "one registry entry per enum policy_key");
_Static_assert(POLICY_NR <= 32, "struct policy_set.given has 32 bits");

static const char *const names[] = {
	"atc_timeout", "atc_batch_sync", "master_lookup", "cmdq_err_coclear",
	"cmdq", "report_broken", "iopf_design", "iopf_drain", "iopf_discard",
	"cfie_mask", NULL
};

_Static_assert(ARRAY_LEN(names) == POLICY_NR + 1,
	       "one name per enum policy_key");

/**
 * policy_info() - the registry entry of @key (see policy.h).
 * Context: any.
 */
const struct policy_info *policy_info(enum policy_key key)
{
	if ((unsigned int)key >= POLICY_NR)
		return NULL;
	return &registry[key];
}

/** policy_names() - every policy name, NULL-terminated. Context: any. */
const char *const *policy_names(void)
{
	return names;
}

/**
 * policy_by_name() - the key named @name.
 * Return: the key, or -EINVAL. Context: any.
 */
int policy_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < POLICY_NR; i++)
		if (!strcmp(registry[i].name, name))
			return (int)i;
	return -EINVAL;
}

/**
 * policy_value_by_name() - index of @value among @key's values.
 * Return: the index, or -EINVAL. Context: any.
 */
int policy_value_by_name(enum policy_key key, const char *value)
{
	const struct policy_info *p = policy_info(key);
	unsigned int i;

	for (i = 0; p && value && i < p->nvalues; i++)
		if (!strcmp(p->values[i], value))
			return (int)i;
	return -EINVAL;
}

/** policy_set_default() - every policy at its default. Context: any. */
void policy_set_default(struct policy_set *set)
{
	unsigned int i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < POLICY_NR; i++)
		set->v[i] = (uint8_t)registry[i].def;
}

/*
 * Report @word as not in @list into @err, in yamltree's words (with its
 * did-you-mean rule), through a silent diag without a position.
 */
static void not_in_list(char *err, size_t errlen, const char *what,
			const char *word, const char *const list[])
{
	const char *msg;
	struct diag d;

	diag_init(&d, "-");
	diag_set_sink(&d, NULL);
	yt_report_not_in_list(&d, 0, 0, what, word, list);
	msg = diag_message(&d, 0);
	if (err && errlen)	/* skip the "-: " that stands for the file */
		snprintf(err, errlen, "%s", msg ? msg + 3 : what);
	diag_fini(&d);
}

/**
 * policy_set_apply_kv() - set @key to @value (see policy.h).
 * Return: 0 or -EINVAL with a message in @err. Context: any.
 */
int policy_set_apply_kv(struct policy_set *set, const char *key,
			const char *value, char *err, size_t errlen)
{
	char what[64];
	int k, v;

	k = policy_by_name(key);
	if (k < 0) {
		not_in_list(err, errlen, "unknown policy", key ? key : "",
			    names);
		return -EINVAL;
	}
	v = policy_value_by_name(k, value);
	if (v < 0) {
		snprintf(what, sizeof(what), "%s: invalid value", key);
		not_in_list(err, errlen, what, value ? value : "",
			    registry[k].values);
		return -EINVAL;
	}
	set->v[k] = (uint8_t)v;
	set->given |= 1u << k;
	return 0;
}

/**
 * policy_set_apply() - set a policy from "KEY=VALUE" (see policy.h).
 * Return: 0 or -EINVAL with a message in @err. Context: any.
 */
int policy_set_apply(struct policy_set *set, const char *kv, char *err,
		     size_t errlen)
{
	const char *eq = kv ? strchr(kv, '=') : NULL;
	char key[64];

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key)) {
		if (err && errlen)
			snprintf(err, errlen,
				 "expected KEY=VALUE, got '%.64s'",
				 kv ? kv : "");
		return -EINVAL;
	}
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	return policy_set_apply_kv(set, key, eq + 1, err, errlen);
}

/** policy_get_name() - @key's value in @set as text. Context: any. */
const char *policy_get_name(const struct policy_set *set, enum policy_key key)
{
	const struct policy_info *p = policy_info(key);

	if (!p || set->v[key] >= p->nvalues)
		return NULL;
	return p->values[set->v[key]];
}

/**
 * policy_format() - "K=V K=V ..." for every policy (see policy.h).
 * Return: length of the whole text. Context: any.
 */
size_t policy_format(const struct policy_set *set, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < POLICY_NR; i++) {
		const char *v = policy_get_name(set, i);
		int n = snprintf(len < size ? buf + len : NULL,
				 len < size ? size - len : 0, "%s%s=%s",
				 i ? " " : "", registry[i].name, v ? v : "?");

		if (n > 0)
			len += (size_t)n;
	}
	return len;
}
