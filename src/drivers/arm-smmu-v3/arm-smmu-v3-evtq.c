// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: the event queue IRQ thread (Linux arm_smmu_evtq_thread(),
 * arm_smmu_handle_evt(); SMMUv3 §7.3 event records, §3.12.2 stall).
 *
 * Every record is decoded with the architecture's layout (smmuv3_codec.h).
 * A translation-related fault of a stalled transaction (F_TRANSLATION,
 * F_ADDR_SIZE, F_ACCESS, F_PERMISSION with Stall = 1, stage 1) becomes an
 * I/O page fault of the master owning the StreamID:
 *
 *   flags   LAST_PAGE (a stall is a group of one), PASID_VALID when SSV
 *   pasid   SubstreamID            grpid  STAG
 *   perm    RnW ? READ : WRITE, InD -> EXEC, PnU -> PRIV
 *   addr    InputAddr              private_data  { SID, IOPF_SRC_STALL }
 *
 * and goes to iommu_report_device_fault(); the core answers it, and
 * arm_smmu_page_response() sends CMD_RESUME.  Every other record, and a
 * stall no master owns, is logged (rate-limited) as before.  On overflow:
 * "EVTQ overflow detected -- events lost", then the overflow is
 * acknowledged (arm-smmu-v3-queue.c).
 */
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"

static bool arm_smmu_evt_is_stall_fault(const struct smmuv3_event *evt)
{
	switch (evt->id) {
	case SMMUV3_EVT_F_TRANSLATION:
	case SMMUV3_EVT_F_ADDR_SIZE:
	case SMMUV3_EVT_F_ACCESS:
	case SMMUV3_EVT_F_PERMISSION:
		return evt->stall && !evt->s2;
	default:
		return false;
	}
}

static void arm_smmu_evt_to_fault(const struct smmuv3_event *evt, struct iopf_fault *fault_evt)
{
	struct iommu_fault *flt = &fault_evt->fault;
	u32 perm = evt->read ? IOMMU_FAULT_PERM_READ : IOMMU_FAULT_PERM_WRITE;

	if (evt->inst)
		perm |= IOMMU_FAULT_PERM_EXEC;
	if (evt->priv)
		perm |= IOMMU_FAULT_PERM_PRIV;
	flt->type = IOMMU_FAULT_PAGE_REQ;
	flt->prm = (struct iommu_fault_page_request){
		.flags = IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE,
		.grpid = evt->stag,
		.perm = perm,
		.addr = evt->addr,
		.private_data = { evt->sid, IOPF_SRC_STALL },
	};
	if (evt->ssv) {
		flt->prm.flags |= IOMMU_FAULT_PAGE_REQUEST_PASID_VALID;
		flt->prm.pasid = evt->ssid;
	}
}

/** arm_smmu_handle_evt() - see arm-smmu-v3.h. */
int arm_smmu_handle_evt(struct arm_smmu_device *smmu, const struct smmuv3_event *evt)
{
	struct iopf_fault fault_evt = { 0 };
	struct arm_smmu_master *master;
	int ret = 0;

	if (!arm_smmu_evt_is_stall_fault(evt))
		return -EOPNOTSUPP;
	arm_smmu_evt_to_fault(evt, &fault_evt);
	/* The streams mutex keeps the master alive across the report (Linux) */
	mutex_lock(&smmu->streams_mutex);
	master = arm_smmu_find_master(smmu, evt->sid);
	if (master) {
		smmu->stats.stall_reports++;
		iommu_report_device_fault(master->dev, &fault_evt);
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&smmu->streams_mutex);
	return ret;
}

static void arm_smmu_evtq_handle(struct arm_smmu_device *smmu, u64 *ent)
{
	struct smmuv3_event evt;

	smmuv3_event_decode(ent, &evt);
	smmu->stats.events++;
	if (!arm_smmu_handle_evt(smmu, &evt))
		return;
	dev_info_ratelimited(&smmu->dev, "event 0x%02x (%s) received: sid 0x%x%s\n",
			     evt.id, smmuv3_event_name(evt.id) ?: "unknown", evt.sid,
			     evt.stall ? " (stalled)" : "");
}

static void arm_smmu_evtq_overflow(struct arm_smmu_device *smmu)
{
	smmu->stats.evtq_overflows++;
	dev_err(&smmu->dev, "EVTQ overflow detected -- events lost\n");
}

/** arm_smmu_evtq_consume() - see arm-smmu-v3.h. */
void arm_smmu_evtq_consume(struct arm_smmu_device *smmu)
{
	arm_smmu_queue_consume(smmu, &smmu->evtq, arm_smmu_evtq_handle, arm_smmu_evtq_overflow);
}

/** arm_smmu_evtq_thread() - see arm-smmu-v3.h. */
irqreturn_t arm_smmu_evtq_thread(int irq, void *dev)
{
	arm_smmu_evtq_consume(dev);
	return IRQ_HANDLED;
}
