// SPDX-License-Identifier: MIT
/* placeholder: being written */
typedef int iommusim_placeholder_smmuv3_atc;
