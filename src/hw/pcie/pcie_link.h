/* SPDX-License-Identifier: MIT */
/*
 * The messages between a PCIe endpoint and the IOMMU above it (the root
 * complex side), as hardware exchanges them: memory requests (untranslated
 * or translated), ATS Translation Requests and Completions, ATS
 * Invalidation Requests and Completions, Page Requests and PRG Responses
 * (PCI Express Base Specification, chapter 10).
 *
 * Direction and dependencies: an endpoint knows its upstream only through
 * struct pcie_upstream (ops + context), so one endpoint model serves any
 * IOMMU model; the IOMMU calls the endpoint's downstream entry points
 * declared in pcie_ep.h (pcie_ep_inv_request(), pcie_ep_prg_response()).
 *
 * Shadow fields: some fields exist only so the checkers can see what
 * hardware cannot (which translation a translated request came from, which
 * request a completion answers).  They are marked "(shadow)" and never
 * change what the modelled hardware does.
 */
#ifndef IOMMUSIM_HW_PCIE_LINK_H
#define IOMMUSIM_HW_PCIE_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/mem.h"

/* Address Type of a memory request (PCIe 10.2.1). */
enum pcie_at {
	PCIE_AT_UNTRANSLATED = 0,
	PCIE_AT_TRANSLATED = 2,
};

/**
 * struct pcie_txn - a memory request (or the request part of an ATS
 * Translation Request) from an endpoint.
 * @device:	requester's name, for reports.
 * @sid:	StreamID the request carries (its Requester ID, or a DMA
 *		alias of it).
 * @pasid_valid, @pasid: PASID TLP prefix.
 * @priv, @exec: PASID prefix privileged / execute bits.
 * @write:	a write (else a read).  For a Translation Request: the
 *		access the endpoint intends (a "no write" request is a read).
 * @at:		address type.
 * @addr:	the IOVA (untranslated), or the translated physical address.
 * @xlate:	(shadow) for a translated request, the ATC entry the address
 *		came from, so the stale-translation check can age it.
 */
struct pcie_txn {
	const char *device;
	uint32_t sid;
	bool pasid_valid;
	uint32_t pasid;
	bool priv;
	bool exec;
	bool write;
	enum pcie_at at;
	uint64_t addr;
	const struct hw_xlate *xlate;
};

/* Outcome of a Translation Request (Translation Completion status). */
enum pcie_ats_status {
	PCIE_ATS_SUCCESS,	/* Successful Completion; R=W=0 means no access */
	PCIE_ATS_UR,		/* Unsupported Request: ATS not enabled for the stream */
	PCIE_ATS_CA,		/* Completer Abort: configuration error, SMMU stopped */
};

/**
 * struct pcie_ats_cpl - a Translation Completion.
 * @status:	see enum pcie_ats_status.
 * @x:		on success with permissions, the translation to cache
 *		(@x.pa the translated address, @x.perm its R/W/X; @x.gen and
 *		@x.made_at are shadow fields for the checkers).  A success
 *		with @x.perm == 0 is a translation fault: the endpoint may
 *		issue a Page Request.
 */
struct pcie_ats_cpl {
	enum pcie_ats_status status;
	struct hw_xlate x;
};

/**
 * struct pcie_inv_req - an ATS Invalidation Request to an endpoint.
 * @sid:	the Requester ID of the function whose ATC is invalidated.
 * @pasid_valid, @pasid: invalidate only that PASID's entries (when
 *		@global is false).
 * @global:	Global Invalidate: every PASID.
 * @addr:	first address, aligned to the range.
 * @size_log2:	the range covers 2^@size_log2 4 KiB pages; 52 and above
 *		mean everything.
 * @itag:	ITag (0..31) the request carries.
 * @cookie:	(shadow) identifies the request, so a completion that comes
 *		late, twice or for a reused ITag is never credited to another
 *		invalidation.  The endpoint returns it unchanged.
 */
struct pcie_inv_req {
	uint32_t sid;
	bool pasid_valid;
	uint32_t pasid;
	bool global;
	uint64_t addr;
	uint8_t size_log2;
	uint8_t itag;
	uint64_t cookie;
};

/**
 * struct pcie_inv_cpl - an ATS Invalidation Completion message.
 * @requester:	Requester ID of the function that sent it.
 * @itag_vector: bit n set: ITag n is complete.
 * @cc:		Completion Count (number of completions for the request).
 * @cookie:	(shadow) the request's cookie.
 */
struct pcie_inv_cpl {
	uint32_t requester;
	uint32_t itag_vector;
	uint8_t cc;
	uint64_t cookie;
};

/**
 * struct pcie_page_req - a Page Request message (PCIe 10.4.1).
 * @sid:	requester.
 * @pasid_valid, @pasid, @priv, @exec: PASID TLP prefix.
 * @read, @write: requested access.
 * @last:	last request of its Page Request Group.
 * @prgi:	PRG index (9 bits).
 * @addr:	page address (4 KiB aligned).
 * @stop_marker: a Stop PASID marker (L=1, R=W=0, with a PASID).
 */
struct pcie_page_req {
	uint32_t sid;
	bool pasid_valid;
	uint32_t pasid;
	bool priv;
	bool exec;
	bool read;
	bool write;
	bool last;
	uint16_t prgi;
	uint64_t addr;
	bool stop_marker;
};

/**
 * struct pcie_upstream_ops - what an endpoint can send upstream.
 *
 * Context: called from the endpoint's hardware tasks; @mem_request and
 * @ats_translate may block the calling task (a stalled transaction waits
 * for RESUME; a translation costs walk time).
 *
 * @mem_request:  a memory read or write of up to one page's remainder
 *                at @t->addr; @buf holds the data to write or receives
 *                the data read.  Return: 0; -EFAULT when the request was
 *                aborted (translation fault, stream disabled, SMMU
 *                stopped); -EPERM when a translated request was refused
 *                (ATS no longer enabled for the stream).
 * @ats_translate: an ATS Translation Request for the page at @t->addr;
 *                fills @cpl.
 * @inv_completion: an Invalidation Completion message.
 * @page_request: a Page Request message.
 */
struct pcie_upstream_ops {
	int (*mem_request)(void *iommu, const struct pcie_txn *t, void *buf, unsigned len);
	void (*ats_translate)(void *iommu, const struct pcie_txn *t, struct pcie_ats_cpl *cpl);
	void (*inv_completion)(void *iommu, const struct pcie_inv_cpl *c);
	void (*page_request)(void *iommu, const struct pcie_page_req *r);
};

struct pcie_upstream {
	const struct pcie_upstream_ops *ops;
	void *iommu;
};

#endif
