/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space of the modelled endpoint: the registers fault
 * handling and reset touch, at the offsets and bits of the PCI Express
 * Base Specification as Linux's include/uapi/linux/pci_regs.h names them.
 *
 * Layout of the modelled function's 4 KiB configuration space:
 *   0x000  type-0 header (Vendor/Device ID, Command, Status.CAP_LIST,
 *          Capabilities Pointer -> 0x40)
 *   0x040  PCI Express capability (ID 0x10): DEVCAP.FLR, DEVCTL.BCR_FLR,
 *          DEVSTA.TRPND
 *   0x100  ATS extended capability (ID 0x000f), when ATS is present
 *   0x110  PRI extended capability (ID 0x0013), when PRI is present
 *   0x120  PASID extended capability (ID 0x001b), when PASIDs are present
 * Absent capabilities are left out of the chain; the chain ends with a
 * next pointer of 0.
 */
#ifndef IOMMUSIM_HW_PCIE_REGS_H
#define IOMMUSIM_HW_PCIE_REGS_H

#include "kernel/bits.h"

#define PCIE_CFG_SIZE			0x1000	/* bytes */

/* Type-0 header */
#define PCI_VENDOR_ID			0x00	/* 16 bits */
#define PCI_DEVICE_ID			0x02	/* 16 bits */
#define PCI_COMMAND			0x04	/* 16 bits */
#define  PCI_COMMAND_MEMORY		0x0002
#define  PCI_COMMAND_MASTER		0x0004	/* bus master: DMA allowed */
#define PCI_STATUS			0x06	/* 16 bits */
#define  PCI_STATUS_CAP_LIST		0x0010
#define PCI_CAPABILITY_LIST		0x34	/* 8 bits */
#define PCI_CAP_ID_EXP			0x10

/* PCI Express capability, offsets from its start */
#define PCIE_EXP_CAP_OFFSET		0x40
#define PCI_EXP_FLAGS			0x02	/* 16 bits */
#define PCI_EXP_DEVCAP			0x04	/* 32 bits */
#define  PCI_EXP_DEVCAP_FLR		0x10000000	/* FLR capable */
#define PCI_EXP_DEVCTL			0x08	/* 16 bits */
#define  PCI_EXP_DEVCTL_BCR_FLR		0x8000	/* initiate FLR (reads 0) */
#define PCI_EXP_DEVSTA			0x0a	/* 16 bits */
#define  PCI_EXP_DEVSTA_TRPND		0x0020	/* transactions pending */

/* Extended capability header */
#define PCI_EXT_CAP_ID(h)		((h) & 0xffff)
#define PCI_EXT_CAP_VER(h)		(((h) >> 16) & 0xf)
#define PCI_EXT_CAP_NEXT(h)		(((h) >> 20) & 0xffc)
#define PCI_EXT_CAP_ID_ATS		0x0f
#define PCI_EXT_CAP_ID_PRI		0x13
#define PCI_EXT_CAP_ID_PASID		0x1b
#define PCIE_EXT_CAP_START		0x100

/* ATS capability (PCIe 10.5.1), offsets from its start */
#define PCIE_ATS_CAP_OFFSET		0x100
#define PCI_ATS_CAP			0x04	/* 16 bits */
#define  PCI_ATS_CAP_QDEP(x)		((x) & 0x1f)	/* invalidate queue depth, 0 = 32 */
#define  PCI_ATS_CAP_PAGE_ALIGNED	0x0020
#define PCI_ATS_CTRL			0x06	/* 16 bits */
#define  PCI_ATS_CTRL_ENABLE		0x8000
#define  PCI_ATS_CTRL_STU(x)		((x) & 0x1f)	/* smallest translation unit */

/* PRI capability (PCIe 10.5.2) */
#define PCIE_PRI_CAP_OFFSET		0x110
#define PCI_PRI_CTRL			0x04	/* 16 bits */
#define  PCI_PRI_CTRL_ENABLE		0x0001
#define  PCI_PRI_CTRL_RESET		0x0002	/* write 1: clear status, forget requests */
#define PCI_PRI_STATUS			0x06	/* 16 bits */
#define  PCI_PRI_STATUS_RF		0x0001	/* response failure (RW1C) */
#define  PCI_PRI_STATUS_UPRGI		0x0002	/* unexpected PRG index (RW1C) */
#define  PCI_PRI_STATUS_STOPPED		0x0100	/* PRI stopped: nothing outstanding */
#define  PCI_PRI_STATUS_PASID		0x8000	/* PRG response PASID required */
#define PCI_PRI_MAX_REQ			0x08	/* 32 bits, RO: outstanding capacity */
#define PCI_PRI_ALLOC_REQ		0x0c	/* 32 bits, RW: outstanding allocation */

/* PASID capability (PCIe 7.8.9) */
#define PCIE_PASID_CAP_OFFSET		0x120
#define PCI_PASID_CAP			0x04	/* 16 bits */
#define  PCI_PASID_CAP_EXEC		0x0002
#define  PCI_PASID_CAP_PRIV		0x0004
#define  PCI_PASID_CAP_WIDTH(x)		(((x) >> 8) & 0x1f)	/* max PASID width */
#define PCI_PASID_CTRL			0x06	/* 16 bits */
#define  PCI_PASID_CTRL_ENABLE		0x0001
#define  PCI_PASID_CTRL_EXEC		0x0002
#define  PCI_PASID_CTRL_PRIV		0x0004

/* PRG Response Message response codes (PCIe 10.4.2.1) */
#define PCIE_PRG_RESP_SUCCESS		0x0
#define PCIE_PRG_RESP_INVALID		0x1	/* Invalid Request */
#define PCIE_PRG_RESP_FAILURE		0xf	/* Response Failure */

#endif
