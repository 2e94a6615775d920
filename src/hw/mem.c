// SPDX-License-Identifier: MIT
typedef int iommusim_placeholder_mem;
