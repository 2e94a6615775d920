/* SPDX-License-Identifier: MIT */
/*
 * The whole kernel-API shim in one include, for model code.
 */
#ifndef IOMMUSIM_KERNEL_KERNEL_H
#define IOMMUSIM_KERNEL_KERNEL_H

#include "kernel/types.h"
#include "kernel/device.h"
#include "kernel/sched.h"
#include "kernel/compiler.h"
#include "kernel/atomic.h"
#include "kernel/bitops.h"
#include "kernel/bug.h"
#include "kernel/spinlock.h"
#include "kernel/mutex.h"
#include "kernel/lockdep.h"
#include "kernel/cleanup.h"
#include "kernel/completion.h"
#include "kernel/workqueue.h"
#include "kernel/interrupt.h"
#include "kernel/rcupdate.h"
#include "kernel/list.h"
#include "kernel/delay.h"
#include "kernel/slab.h"
#include "kernel/printk.h"
#include "kernel/kthread.h"
#include "kernel/wait.h"

#endif
