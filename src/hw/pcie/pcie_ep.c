// SPDX-License-Identifier: MIT
/*
 * PCIe endpoint: creation, defaults and validation, the knobs, counters,
 * accessors, the model's wait helpers and freeing with the simulator.
 */
#include "hw/pcie/pcie_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/diag.h"
#include "scenario/yamltree.h"
#include "trace/evlog.h"

/* ---- waiting ---- */

/**
 * pcie_wait_block() - block the current task on @w until pcie_wait_wake().
 * @what, @obj:	what it waits for, for deadlock reports.
 * @idle:	waiting for work that may never come (not a deadlock).
 *
 * Context: task.  Callers re-check their condition afterwards.
 */
void pcie_wait_block(struct pcie_wait *w, const char *what, const void *obj, bool idle)
{
	struct sim_wait sw = { .what = what, .name = what, .obj = obj };

	w->task = sim_current();
	w->blocked = true;
	sim_block(&sw, idle);
	w->blocked = false;
}

/**
 * pcie_wait_wake() - wake the task blocked on @w, if one is.
 * Context: any, including timer callbacks.  Not a scheduling point.
 */
void pcie_wait_wake(struct pcie_wait *w)
{
	if (w && w->blocked)
		sim_wake(w->task);
}

/** pcie_wait_list_add() - put @w on the list at @head. */
void pcie_wait_list_add(struct pcie_wait **head, struct pcie_wait *w)
{
	w->next = *head;
	*head = w;
}

/** pcie_wait_list_del() - take @w off the list at @head (no-op if absent). */
void pcie_wait_list_del(struct pcie_wait **head, struct pcie_wait *w)
{
	for (; *head; head = &(*head)->next) {
		if (*head == w) {
			*head = w->next;
			return;
		}
	}
}

/** pcie_wait_list_wake() - wake every blocked waiter of a list (they stay on it). */
void pcie_wait_list_wake(struct pcie_wait *head)
{
	for (; head; head = head->next)
		pcie_wait_wake(head);
}

/**
 * pcie_log() - a notable endpoint event in the run's event log, prefixed
 * with the endpoint's name.  Context: any.  Not a scheduling point.
 */
void pcie_log(struct pcie_ep *ep, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	evlog_add(ep->sim, "pcie", "%s: %s", ep->name, buf);
}

/* ---- creation ---- */

/**
 * pcie_ep_config_default() - no capabilities, no SIDs, and times of the
 * order real functions show: invalidations answered in 2 us, 50 ms
 * completion timeout (the PCIe default range ends there), PRG responses
 * awaited 100 ms, FLR done in 100 ms (PCIe 6.6.2: the function must
 * complete an FLR within 100 ms).
 */
void pcie_ep_config_default(struct pcie_ep_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "ep0";
	cfg->atc_entries = 64;
	cfg->inv_queue_depth = PCIE_INV_QUEUE_MAX;
	cfg->atc_inv_latency = 2 * SIM_US;
	cfg->completion_timeout = 50 * SIM_MS;
	cfg->pri_max_requests = 32;
	cfg->prg_response_timeout = 100 * SIM_MS;
	cfg->pasid_bits = 20;
	cfg->flr_capable = true;
	cfg->flr_time = 100 * SIM_MS;
}

static bool pcie_config_valid(const struct pcie_ep_config *cfg)
{
	if (cfg->nsids < 1 || cfg->nsids > PCIE_EP_MAX_SIDS)
		return false;
	if (cfg->naliases < 0 || cfg->naliases > PCIE_EP_MAX_SIDS)
		return false;
	if (cfg->ats && (cfg->atc_entries < 1 || cfg->inv_queue_depth < 1 ||
			 cfg->inv_queue_depth > PCIE_INV_QUEUE_MAX))
		return false;
	if (cfg->pri && !cfg->ats)
		return false;
	if (cfg->pasid && (cfg->pasid_bits < 1 || cfg->pasid_bits > 20))
		return false;
	return true;
}

static void pcie_ep_free(struct pcie_ep *ep)
{
	if (sim_timer_armed(&ep->flr_timer))
		sim_timer_cancel(&ep->flr_timer);
	if (sim_timer_armed(&ep->inv_timer))
		sim_timer_cancel(&ep->inv_timer);
	if (sim_timer_armed(&ep->dma_timer))
		sim_timer_cancel(&ep->dma_timer);
	for (unsigned i = 0; ep->prg && i < PCIE_PRGI_COUNT; i++)
		if (sim_timer_armed(&ep->prg[i].timer))
			sim_timer_cancel(&ep->prg[i].timer);
	free(ep->atc);
	free(ep->prg);
	free(ep->prg_lat);
	free(ep);
}

/* Frees every endpoint of @s (one destructor per simulator, whatever the count). */
static void pcie_ep_free_all(struct sim *s, void *arg)
{
	struct pcie_ep *ep = arg;

	while (ep) {
		struct pcie_ep *next = ep->next;

		pcie_ep_free(ep);
		ep = next;
	}
}

/* Link @ep to @s's endpoints, registering the destructor on the first one. */
static int pcie_ep_register(struct sim *s, struct pcie_ep *ep)
{
	for (int i = 0; i < s->ndtor; i++) {
		struct pcie_ep *first = s->dtor[i].arg;

		if (s->dtor[i].fn != pcie_ep_free_all)
			continue;
		while (first->next)
			first = first->next;
		first->next = ep;
		return 0;
	}
	return sim_at_destroy(s, pcie_ep_free_all, ep);
}

static void pcie_ep_init_state(struct pcie_ep *ep, struct sim *s,
			       const struct pcie_ep_config *cfg,
			       const struct pcie_upstream *up)
{
	ep->sim = s;
	ep->cfg = *cfg;
	snprintf(ep->name, sizeof(ep->name), "%s", cfg->name ? cfg->name : "ep");
	ep->cfg.name = ep->name;
	ep->up = *up;
	ep->knobs = cfg->knobs;
	ep->fn = PCIE_FN_READY;
}

/**
 * pcie_ep_create() - an endpoint under @up (see pcie_ep.h).
 * Models a single-function PCIe endpoint at power-on: configuration space
 * at its reset values (Bus Master, ATS, PRI and PASID disabled).
 * Return: the endpoint, or NULL with errno EINVAL (bad @cfg, see
 * pcie_ep.h; also PASID width outside 1..20) or ENOMEM.
 * Context: set-up or task context; creates the invalidation task (ATS).
 */
struct pcie_ep *pcie_ep_create(struct sim *s, const struct pcie_ep_config *cfg,
			       const struct pcie_upstream *up)
{
	struct pcie_ep *ep;

	if (!s || !cfg || !up || !up->ops || !pcie_config_valid(cfg)) {
		errno = EINVAL;
		return NULL;
	}
	ep = calloc(1, sizeof(*ep));
	if (!ep) {
		errno = ENOMEM;
		return NULL;
	}
	pcie_ep_init_state(ep, s, cfg, up);
	sim_timer_init(&ep->flr_timer, pcie_flr_timer_fire, ep);
	sim_timer_init(&ep->inv_timer, pcie_inv_timer_fire, ep);
	sim_timer_init(&ep->dma_timer, pcie_dma_timer_fire, ep);
	if (pcie_atc_init(ep) || pcie_pri_init(ep) || pcie_ep_register(s, ep)) {
		pcie_ep_free(ep);
		errno = ENOMEM;
		return NULL;
	}
	/* registered: from here on it is freed with the simulator */
	pcie_cfg_init(ep);
	if (pcie_inv_task_start(ep)) {
		errno = ENOMEM;
		return NULL;
	}
	return ep;
}

/* ---- knobs ---- */

static const char *const atc_inv_names[] = {
	[PCIE_ATC_INV_OK] = "ok",
	[PCIE_ATC_INV_UNRESPONSIVE] = "unresponsive",
	[PCIE_ATC_INV_SLOW] = "slow:<time>",
	[PCIE_ATC_INV_LYING] = "lying",
	[PCIE_ATC_INV_DUPLICATE] = "duplicate",
	[PCIE_ATC_INV_WRONG_REQUESTER] = "wrong_requester",
	NULL
};

static const char *const flr_names[] = {
	[PCIE_FLR_OK] = "ok",
	[PCIE_FLR_FAIL] = "fail",
	[PCIE_FLR_ENOTTY] = "enotty",
	[PCIE_FLR_HANG] = "hang",
	NULL
};

static const char *const pri_names[] = {
	[PCIE_PRI_OK] = "ok",
	[PCIE_PRI_FLOOD] = "flood",
	[PCIE_PRI_NEVER_STOPS] = "never_stops",
	NULL
};

static const char *const knob_names[] = {
	"atc_inv", "flr", "pri",
	"atc_inv_survives_reset", "flr_survives_reset", "pri_survives_reset",
	NULL
};

/* Copy the first message of @d, without its "KEY: " prefix, to @err. */
static int knob_error(struct diag *d, const char *key, char *err, size_t errlen)
{
	const char *msg = diag_message(d, 0);

	if (err && errlen)
		snprintf(err, errlen, "knob %s: %s", key,
			 msg ? msg + strlen(key) + 2 : "invalid value");
	diag_fini(d);
	return -EINVAL;
}

static bool parse_atc_inv(struct diag *d, const char *value, struct pcie_ep_knobs *k)
{
	unsigned int i;
	uint64_t ns;

	if (!strncmp(value, "slow:", 5)) {
		if (!yt_parse_time_ns(d, 0, 0, value + 5, &ns))
			return false;
		k->atc_inv = PCIE_ATC_INV_SLOW;
		k->atc_inv_slow = ns;
		return true;
	}
	/* "slow:<time>" is listed for the message; "slow:..." was handled above */
	if (!yt_parse_enum(d, 0, 0, value, atc_inv_names, &i))
		return false;
	k->atc_inv = i;
	return true;
}

/* Parse @key = @value into @k; false with an error in @d. */
static bool parse_knob(struct diag *d, const char *key, const char *value,
		       struct pcie_ep_knobs *k)
{
	unsigned int i;

	if (!strcmp(key, "atc_inv"))
		return parse_atc_inv(d, value, k);
	if (!strcmp(key, "flr")) {
		if (!yt_parse_enum(d, 0, 0, value, flr_names, &i))
			return false;
		k->flr = i;
		return true;
	}
	if (!strcmp(key, "pri")) {
		if (!yt_parse_enum(d, 0, 0, value, pri_names, &i))
			return false;
		k->pri = i;
		return true;
	}
	if (!strcmp(key, "atc_inv_survives_reset"))
		return yt_parse_bool(d, 0, 0, value, &k->atc_inv_survives_reset);
	if (!strcmp(key, "flr_survives_reset"))
		return yt_parse_bool(d, 0, 0, value, &k->flr_survives_reset);
	return yt_parse_bool(d, 0, 0, value, &k->pri_survives_reset);
}

static bool knob_known(const char *key)
{
	for (int i = 0; knob_names[i]; i++)
		if (!strcmp(key, knob_names[i]))
			return true;
	return false;
}

/* What a new knob value does at once. */
static void knobs_apply(struct pcie_ep *ep, const char *key)
{
	if (!strcmp(key, "flr"))
		pcie_flr_revive(ep);
	if (!strcmp(key, "pri")) {
		if (ep->knobs.pri == PCIE_PRI_FLOOD && ep->cfg.pri)
			pcie_dma_engine_start(ep);
		pcie_wait_list_wake(ep->credit_waiters);
		pcie_dma_kick(ep);
	}
}

/**
 * pcie_ep_set_knob() - set one misbehaviour knob from text (see pcie_ep.h).
 * Times use the scenario syntax ("slow:5ms"), booleans true/false (also
 * yes/no/on/off).  Setting "flr" (to any value) brings back a function
 * left not ready by flr=fail or gone by flr=hang, as it was (no reset);
 * setting "pri" to flood starts the DMA engine if there is none.
 * Return: 0, or -EINVAL with "knob KEY: message" in @err (when not NULL):
 * unknown key, unknown value (with a did-you-mean hint), a bad time.
 * Context: set-up or any task; not a scheduling point.
 */
int pcie_knob_parse(struct pcie_ep_knobs *k, const char *key, const char *value,
		    char *err, size_t errlen)
{
	struct pcie_ep_knobs tmp = *k;
	struct diag d;

	if (!key || !knob_known(key)) {
		if (err && errlen)
			snprintf(err, errlen,
				 "unknown knob '%s' (expected one of: atc_inv, flr, pri, atc_inv_survives_reset, flr_survives_reset, pri_survives_reset)",
				 key ? key : "");
		return -EINVAL;
	}
	diag_init(&d, key);
	diag_set_sink(&d, NULL);
	if (!value)
		diag_error(&d, 0, 0, "no value");
	if (!value || !parse_knob(&d, key, value, &tmp))
		return knob_error(&d, key, err, errlen);
	diag_fini(&d);
	*k = tmp;
	return 0;
}

int pcie_ep_set_knob(struct pcie_ep *ep, const char *key, const char *value,
		     char *err, size_t errlen)
{
	int ret = pcie_knob_parse(&ep->knobs, key, value, err, errlen);

	if (ret)
		return ret;
	pcie_log(ep, "knob %s = %s", key, value);
	knobs_apply(ep, key);
	return 0;
}

/**
 * pcie_knobs_after_reset() - an FLR completed: each knob whose
 * survives-reset flag is clear goes back to ok.
 */
void pcie_knobs_after_reset(struct pcie_ep *ep)
{
	struct pcie_ep_knobs *k = &ep->knobs;

	if (!k->atc_inv_survives_reset)
		k->atc_inv = PCIE_ATC_INV_OK;
	if (!k->flr_survives_reset)
		k->flr = PCIE_FLR_OK;
	if (!k->pri_survives_reset)
		k->pri = PCIE_PRI_OK;
}

/* ---- accessors ---- */

/** pcie_ep_knobs() - the knobs in force.  Context: any. */
const struct pcie_ep_knobs *pcie_ep_knobs(const struct pcie_ep *ep)
{
	return &ep->knobs;
}

/** pcie_ep_name() - the endpoint's name ("nic0").  Context: any. */
const char *pcie_ep_name(const struct pcie_ep *ep)
{
	return ep->name;
}

/** pcie_ep_config() - the configuration it was made with.  Context: any. */
const struct pcie_ep_config *pcie_ep_config(const struct pcie_ep *ep)
{
	return &ep->cfg;
}

/** pcie_ep_stats() - counters since creation.  Context: any. */
const struct pcie_ep_stats *pcie_ep_stats(const struct pcie_ep *ep)
{
	return &ep->stats;
}

/** pcie_ep_ats_enabled() - ATS_CTRL.ENABLE (PCIe 10.5.1.3).  Context: any. */
bool pcie_ep_ats_enabled(const struct pcie_ep *ep)
{
	return ep->cfg.ats &&
	       (pcie_cfg_get16(ep, PCIE_ATS_CAP_OFFSET + PCI_ATS_CTRL) & PCI_ATS_CTRL_ENABLE);
}

/** pcie_ep_pri_enabled() - PRI_CTRL.ENABLE (PCIe 10.5.2.2).  Context: any. */
bool pcie_ep_pri_enabled(const struct pcie_ep *ep)
{
	return ep->cfg.pri &&
	       (pcie_cfg_get16(ep, PCIE_PRI_CAP_OFFSET + PCI_PRI_CTRL) & PCI_PRI_CTRL_ENABLE);
}

/**
 * pcie_ep_flr_in_progress() - an FLR was started and the function is not
 * ready: FLR still running, failed (flr=fail) or hung (flr=hang).
 */
bool pcie_ep_flr_in_progress(const struct pcie_ep *ep)
{
	return ep->fn != PCIE_FN_READY;
}

/** pcie_ep_outstanding_prgs() - page request groups awaiting a response. */
unsigned pcie_ep_outstanding_prgs(const struct pcie_ep *ep)
{
	return ep->prg_outstanding;
}
