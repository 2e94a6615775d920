// SPDX-License-Identifier: MIT
/* placeholder: being written (ATC-timeout quarantine) */
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"

void arm_smmu_atc_timeout(struct arm_smmu_device *smmu, struct arm_smmu_cmdq_batch *cmds)
{
}

void arm_smmu_reset_device_done(struct device *dev)
{
}
