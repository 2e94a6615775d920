// SPDX-License-Identifier: MIT
/*
 * Physical memory: pages with an owner and a generation (see mem.h).
 *
 * Page life cycle (checked by hw_mem_invariant()):
 *
 *            hw_mem_alloc()  gen++
 *   FREE  ------------------------->  OWNED
 *     ^                                 |  hw_mem_set_owner()  gen++
 *     |        hw_mem_free()  gen++     v  (stays OWNED)
 *     +---------------------------------+
 *
 * The generation only grows, by one on every arrow.  hw_mem_invariant()
 * checks the rest: a free page is named "free", an owned page has another
 * name, and the hot list holds only free pages, each once.
 */
#include "hw/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check/violation.h"

#define HW_MEM_MAX	(4ULL << 30)
#define HOT_PAGES	64	/* recently freed single pages, reused first */

struct hw_page {
	uint64_t gen;
	bool owned;
	sim_time_t since;		/* ns: when the current owner got it */
	char owner[HW_OWNER_LEN];
};

struct hw_mem {
	uint64_t size;			/* bytes */
	uint64_t npages;
	uint8_t *data;			/* npages * HW_PAGE_SIZE, mmap'ed */
	struct hw_page *pages;
	uint64_t next_fit;		/* first-fit search start */
	uint64_t hot[HOT_PAGES];	/* page numbers, most recent last */
	int nhot;
	struct hw_mem_stats stats;
};

static sim_time_t mem_now(void)
{
	return sim_cur ? sim_cur->now : 0;
}

static bool pa_to_pfn(const struct hw_mem *m, uint64_t pa, uint64_t *pfn)
{
	if (pa < HW_MEM_BASE || pa - HW_MEM_BASE >= m->size)
		return false;
	*pfn = (pa - HW_MEM_BASE) >> HW_PAGE_SHIFT;
	return true;
}

static bool range_ok(const struct hw_mem *m, uint64_t pa, size_t len)
{
	return pa >= HW_MEM_BASE && len <= m->size &&
	       pa - HW_MEM_BASE <= m->size - len;
}

struct hw_mem *hw_mem_create(uint64_t size)
{
	struct hw_mem *m;

	if (!size || size % HW_PAGE_SIZE || size > HW_MEM_MAX)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->size = size;
	m->npages = size >> HW_PAGE_SHIFT;
	m->pages = calloc(m->npages, sizeof(*m->pages));
	m->data = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!m->pages || m->data == MAP_FAILED) {
		if (m->data != MAP_FAILED)
			munmap(m->data, size);
		free(m->pages);
		free(m);
		return NULL;
	}
	for (uint64_t i = 0; i < m->npages; i++)
		strcpy(m->pages[i].owner, "free");
	return m;
}

void hw_mem_destroy(struct hw_mem *m)
{
	if (!m)
		return;
	munmap(m->data, m->size);
	free(m->pages);
	free(m);
}

uint64_t hw_mem_size(const struct hw_mem *m)
{
	return m->size;
}

static void page_give(struct hw_mem *m, uint64_t pfn, const char *owner)
{
	struct hw_page *p = &m->pages[pfn];

	if (!owner || !*owner || !strcmp(owner, "free"))
		owner = "?";
	p->gen++;
	p->owned = true;
	p->since = mem_now();
	snprintf(p->owner, sizeof(p->owner), "%s", owner);
}

/* Take @pfn out of the hot list if it is there. */
static void hot_remove(struct hw_mem *m, uint64_t pfn)
{
	for (int i = 0; i < m->nhot; i++) {
		if (m->hot[i] == pfn) {
			memmove(&m->hot[i], &m->hot[i + 1], (m->nhot - i - 1) * sizeof(m->hot[0]));
			m->nhot--;
			return;
		}
	}
}

static bool run_free(const struct hw_mem *m, uint64_t first, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m->pages[first + i].owned)
			return false;
	return true;
}

/* Pages of the power-of-two order @n rounds up to (the buddy allocator's alignment). */
static uint64_t order_pages(size_t n)
{
	uint64_t a = 1;

	while (a < n)
		a <<= 1;
	return a;
}

/*
 * First fit of @n pages aligned to their order, from next_fit, then from
 * 0.  Return: first pfn or UINT64_MAX.
 */
static uint64_t find_run(struct hw_mem *m, size_t n)
{
	uint64_t align = order_pages(n);
	uint64_t start = (m->next_fit + align - 1) & ~(align - 1);

	for (uint64_t i = start; i + n <= m->npages; i += align)
		if (run_free(m, i, n))
			return i;
	for (uint64_t i = 0; i + n <= m->npages && i < start; i += align)
		if (run_free(m, i, n))
			return i;
	return UINT64_MAX;
}

int hw_mem_alloc(struct hw_mem *m, size_t npages, const char *owner, uint64_t *pa)
{
	uint64_t first;

	if (!npages)
		return -EINVAL;
	if (npages == 1 && m->nhot) {
		first = m->hot[--m->nhot];
	} else {
		if (npages > m->npages)
			return -ENOMEM;
		first = find_run(m, npages);
		if (first == UINT64_MAX)
			return -ENOMEM;
		m->next_fit = (first + npages) % m->npages;
	}
	for (size_t i = 0; i < npages; i++) {
		hot_remove(m, first + i);
		page_give(m, first + i, owner);
		memset(m->data + ((first + i) << HW_PAGE_SHIFT), 0, HW_PAGE_SIZE);
	}
	m->stats.allocs += npages;
	*pa = HW_MEM_BASE + (first << HW_PAGE_SHIFT);
	return 0;
}

int hw_mem_free(struct hw_mem *m, uint64_t pa, size_t npages)
{
	uint64_t pfn;

	if (!npages || pa & ~HW_PAGE_MASK || !pa_to_pfn(m, pa, &pfn) ||
	    pfn + npages > m->npages)
		return -EINVAL;
	for (size_t i = 0; i < npages; i++)
		if (!m->pages[pfn + i].owned)
			return -EINVAL;
	for (size_t i = 0; i < npages; i++) {
		struct hw_page *p = &m->pages[pfn + i];

		p->gen++;
		p->owned = false;
		p->since = mem_now();
		strcpy(p->owner, "free");
		if (m->nhot == HOT_PAGES) {
			memmove(&m->hot[0], &m->hot[1], (HOT_PAGES - 1) * sizeof(m->hot[0]));
			m->nhot--;
		}
		m->hot[m->nhot++] = pfn + i;
	}
	m->stats.frees += npages;
	return 0;
}

int hw_mem_set_owner(struct hw_mem *m, uint64_t pa, const char *owner)
{
	uint64_t pfn;

	if (!pa_to_pfn(m, pa, &pfn) || !m->pages[pfn].owned)
		return -EINVAL;
	page_give(m, pfn, owner);
	return 0;
}

const char *hw_mem_owner(const struct hw_mem *m, uint64_t pa)
{
	uint64_t pfn;

	return pa_to_pfn(m, pa, &pfn) ? m->pages[pfn].owner : NULL;
}

uint64_t hw_mem_gen(const struct hw_mem *m, uint64_t pa)
{
	uint64_t pfn;

	return pa_to_pfn(m, pa, &pfn) ? m->pages[pfn].gen : 0;
}

bool hw_mem_is_free(const struct hw_mem *m, uint64_t pa)
{
	uint64_t pfn;

	return pa_to_pfn(m, pa, &pfn) ? !m->pages[pfn].owned : true;
}

void *hw_mem_ptr(struct hw_mem *m, uint64_t pa, size_t len)
{
	if (!range_ok(m, pa, len))
		return NULL;
	return m->data + (pa - HW_MEM_BASE);
}

int hw_mem_read(const struct hw_mem *m, uint64_t pa, void *buf, size_t len)
{
	if (!range_ok(m, pa, len))
		return -EFAULT;
	memcpy(buf, m->data + (pa - HW_MEM_BASE), len);
	return 0;
}

int hw_mem_write(struct hw_mem *m, uint64_t pa, const void *buf, size_t len)
{
	if (!range_ok(m, pa, len))
		return -EFAULT;
	memcpy(m->data + (pa - HW_MEM_BASE), buf, len);
	return 0;
}

int hw_mem_read64(const struct hw_mem *m, uint64_t pa, uint64_t *val)
{
	return hw_mem_read(m, pa, val, sizeof(*val));
}

int hw_mem_write64(struct hw_mem *m, uint64_t pa, uint64_t val)
{
	return hw_mem_write(m, pa, &val, sizeof(val));
}

const char *hw_xlate_src_name(enum hw_xlate_src src)
{
	switch (src) {
	case HW_XLATE_BYPASS:
		return "bypass";
	case HW_XLATE_WALK:
		return "table walk";
	case HW_XLATE_SMMU_TLB:
		return "SMMU TLB";
	case HW_XLATE_ATC:
		return "device ATC";
	}
	return "?";
}

static void report_stale(const struct hw_dma *d, uint64_t pa, const struct hw_page *p)
{
	char ssid[24] = "";
	sim_time_t now = mem_now();

	if (d->ssv)
		snprintf(ssid, sizeof(ssid), " ssid %#x", d->ssid);
	check_report(d->write ? V_STALE_DMA_WRITE : V_STALE_DMA_READ, NULL, 0,
		     "%s sid %#x%s %s iova %#llx -> pa %#llx through a translation "
		     "cached in the %s, made %llu ns ago (page generation %llu); "
		     "the page is now %s%s (generation %llu, since %llu ns)",
		     d->device ? d->device : "device", d->sid, ssid,
		     d->write ? "wrote" : "read",
		     (unsigned long long)d->iova, (unsigned long long)pa,
		     hw_xlate_src_name(d->x->src),
		     (unsigned long long)(now - d->x->made_at),
		     (unsigned long long)d->x->gen,
		     p->owned ? "owned by " : "", p->owner,
		     (unsigned long long)p->gen, (unsigned long long)p->since);
}

int hw_mem_dma(struct hw_mem *m, const struct hw_dma *d, void *buf, size_t len)
{
	uint64_t pa = d->x->pa + (d->iova & ~HW_PAGE_MASK);
	uint64_t pfn;
	const struct hw_page *p;

	if (!len || (pa & ~HW_PAGE_MASK) + len > HW_PAGE_SIZE)
		return -EINVAL;
	if (!range_ok(m, pa, len) || !pa_to_pfn(m, pa, &pfn))
		return -EFAULT;
	p = &m->pages[pfn];
	if (d->x->gen != HW_GEN_ANY && (!p->owned || p->gen != d->x->gen)) {
		if (d->write)
			m->stats.stale_writes++;
		else
			m->stats.stale_reads++;
		report_stale(d, pa, p);
	}
	if (d->write) {
		m->stats.dma_writes++;
		memcpy(m->data + (pa - HW_MEM_BASE), buf, len);
	} else {
		m->stats.dma_reads++;
		memcpy(buf, m->data + (pa - HW_MEM_BASE), len);
	}
	return 0;
}

const char *hw_mem_invariant(const struct hw_mem *m)
{
	for (uint64_t i = 0; i < m->npages; i++) {
		const struct hw_page *p = &m->pages[i];

		if (p->owned == !strcmp(p->owner, "free"))
			return p->owned ? "owned page named free" : "free page with an owner";
	}
	for (int i = 0; i < m->nhot; i++) {
		if (m->pages[m->hot[i]].owned)
			return "owned page on the hot list";
		for (int j = i + 1; j < m->nhot; j++)
			if (m->hot[i] == m->hot[j])
				return "page twice on the hot list";
	}
	return NULL;
}

const struct hw_mem_stats *hw_mem_stats(const struct hw_mem *m)
{
	return &m->stats;
}
