// SPDX-License-Identifier: MIT
/*
 * The worker processes of a campaign (explore_run(), explore.h).
 *
 * Each worker is a fork() of the parent, which has loaded the scenario;
 * it reads run indices (uint64_t) from its command pipe and writes one
 * struct explore_result per run to its result pipe, until the command pipe
 * closes.  A record is smaller than PIPE_BUF, so it is written at once.
 * The parent hands out indices in order, one run per worker at a time,
 * feeds every result to the merge, and stops handing out what the merge no
 * longer wants; a worker still running an unwanted run is killed.
 */
#include "explore/explore.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(sizeof(struct explore_result) <= PIPE_BUF,
	       "a result must reach the parent in one atomic write");

struct worker {
	pid_t pid;		/* 0: no process */
	int cmd_fd;		/* parent -> worker: run indices */
	int res_fd;		/* worker -> parent: results */
	bool busy;
	uint64_t index;		/* the run it has, while busy */
};

struct pool {
	const struct explore_campaign *c;
	struct worker *w;
	unsigned int n;
	struct explore_merge m;
	uint64_t next;		/* next index to hand out */
	uint64_t t0;
	bool timed_out;
	uint64_t received, received_failed;
};

static ssize_t io_full(int fd, void *buf, size_t len, bool wr)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = wr ? write(fd, (char *)buf + done, len - done)
			       : read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return done ? (ssize_t)done : n;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static void __attribute__((noreturn)) worker_main(const struct explore_campaign *c,
						  int cmd_fd, int res_fd)
{
	uint64_t k;

	while (io_full(cmd_fd, &k, sizeof(k), false) == sizeof(k)) {
		struct explore_result r;

		uint64_t seed = explore_plan_seed(&c->plan, k);

		if (c->run_one)
			c->run_one(c, seed, &r);
		else
			explore_run_one(c->scn, &c->base, seed, &r);
		r.index = k;
		if (io_full(res_fd, &r, sizeof(r), true) != sizeof(r))
			break;
	}
	_exit(0);
}

static void worker_close(struct worker *w)
{
	if (w->cmd_fd >= 0)
		close(w->cmd_fd);
	if (w->res_fd >= 0)
		close(w->res_fd);
	w->cmd_fd = w->res_fd = -1;
}

/* Start worker @i.  Return: 0 or -errno. */
static int worker_spawn(struct pool *p, unsigned int i)
{
	struct worker *w = &p->w[i];
	int cmd[2], res[2];
	pid_t pid;

	if (pipe(cmd))
		return -errno;
	if (pipe(res)) {
		int e = errno;

		close(cmd[0]);
		close(cmd[1]);
		return -e;
	}
	fflush(NULL);		/* nothing buffered is written twice */
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(cmd[0]);
		close(cmd[1]);
		close(res[0]);
		close(res[1]);
		return -e;
	}
	if (pid == 0) {
		for (unsigned int j = 0; j < p->n; j++)
			if (j != i)
				worker_close(&p->w[j]);
		close(cmd[1]);
		close(res[0]);
		worker_main(p->c, cmd[0], res[1]);
	}
	close(cmd[0]);
	close(res[1]);
	w->pid = pid;
	w->cmd_fd = cmd[1];
	w->res_fd = res[0];
	w->busy = false;
	return 0;
}

/* Reap worker @w's process (its pipes closed first: it exits on EOF). */
static int worker_reap(struct worker *w, bool kill_it)
{
	int status = 0;

	if (!w->pid)
		return 0;
	if (kill_it)
		kill(w->pid, SIGKILL);
	worker_close(w);
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	w->busy = false;
	return status;
}

static bool may_start(struct pool *p)
{
	const struct explore_campaign *c = p->c;

	if (!p->timed_out && c->time_limit_ns && explore_now_ns() - p->t0 >= c->time_limit_ns)
		p->timed_out = true;
	return !p->timed_out && explore_merge_wanted(&p->m, p->next);
}

/* Give @w the next run if one is wanted. */
static void dispatch(struct pool *p, struct worker *w)
{
	if (!w->pid || w->busy || !may_start(p))
		return;
	if (io_full(w->cmd_fd, &p->next, sizeof(p->next), true) != sizeof(p->next)) {
		/* It died between runs: replace it, once. */
		worker_reap(w, true);
		if (worker_spawn(p, (unsigned int)(w - p->w)) ||
		    io_full(w->cmd_fd, &p->next, sizeof(p->next), true) != sizeof(p->next))
			return;
	}
	w->busy = true;
	w->index = p->next++;
	p->m.sum->started++;
}

static void got(struct pool *p, const struct explore_result *r)
{
	p->received++;
	p->received_failed += explore_result_failed(r);
	explore_merge_add(&p->m, r);
}

/* Worker @i's result pipe is readable: a result, or its death. */
static void on_readable(struct pool *p, unsigned int i)
{
	struct worker *w = &p->w[i];
	struct explore_result r;
	ssize_t n = io_full(w->res_fd, &r, sizeof(r), false);

	if (n == sizeof(r)) {
		w->busy = false;
		got(p, &r);
		dispatch(p, w);
		return;
	}
	/* It died: its run, if any, is a failing run; replace it. */
	bool busy = w->busy;
	uint64_t index = w->index;
	int status = worker_reap(w, true);

	if (busy) {
		memset(&r, 0, sizeof(r));
		r.index = index;
		r.seed = explore_plan_seed(&p->c->plan, index);
		r.first_violation = -1;
		r.status = EXPLORE_CRASHED;
		r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		snprintf(r.failed, sizeof(r.failed), "the worker %s %d running it",
			 WIFSIGNALED(status) ? "died of signal" : "exited with status",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		got(p, &r);
	}
	if (may_start(p) && !worker_spawn(p, i))
		dispatch(p, w);
}

/* Kill the workers whose run is no longer wanted. */
static void cull(struct pool *p)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->w[i].busy && !explore_merge_wanted(&p->m, p->w[i].index))
			worker_reap(&p->w[i], true);
}

static int poll_timeout(struct pool *p)
{
	uint64_t now, left;

	if (!p->c->time_limit_ns || p->timed_out)
		return -1;
	now = explore_now_ns() - p->t0;
	if (now >= p->c->time_limit_ns)
		return 0;
	left = p->c->time_limit_ns - now;
	return (int)(left / 1000000 + 1);
}

static void loop(struct pool *p)
{
	struct pollfd *fds = calloc(p->n, sizeof(*fds));
	unsigned int *who = calloc(p->n, sizeof(*who));

	if (!fds || !who)
		abort();
	for (;;) {
		unsigned int nfds = 0;

		for (unsigned int i = 0; i < p->n; i++) {
			if (!p->w[i].busy)
				continue;
			fds[nfds].fd = p->w[i].res_fd;
			fds[nfds].events = POLLIN;
			fds[nfds].revents = 0;
			who[nfds++] = i;
		}
		if (!nfds)
			break;
		if (poll(fds, nfds, poll_timeout(p)) < 0 && errno != EINTR)
			abort();
		for (unsigned int k = 0; k < nfds; k++)
			if (fds[k].revents)
				on_readable(p, who[k]);
		may_start(p);		/* notices the time limit */
		cull(p);
		if (p->c->progress)
			p->c->progress(p->c->progress_arg, p->m.sum, p->received,
				       p->received_failed, false);
	}
	free(fds);
	free(who);
}

int explore_run(const struct explore_campaign *c, struct explore_summary *sum)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct pool p = { .c = c };
	uint64_t planned = explore_plan_len(&c->plan);
	int ret = 0;

	explore_merge_init(&p.m, sum, planned, c->keep_going);
	p.t0 = explore_now_ns();
	p.n = c->jobs < 1 ? 1 : c->jobs;
	if (p.n > planned)
		p.n = planned ? (unsigned int)planned : 1;
	p.w = calloc(p.n, sizeof(*p.w));
	if (!p.w)
		abort();
	for (unsigned int i = 0; i < p.n; i++)
		p.w[i].cmd_fd = p.w[i].res_fd = -1;
	sigaction(SIGPIPE, &ign, &old);
	for (unsigned int i = 0; i < p.n && planned; i++) {
		ret = worker_spawn(&p, i);
		if (ret) {
			fprintf(stderr, "iommusim explore: cannot start worker %u: %s\n", i,
				strerror(-ret));
			if (i)
				ret = 0;	/* go on with fewer */
			break;
		}
	}
	if (!ret) {
		for (unsigned int i = 0; i < p.n; i++)
			dispatch(&p, &p.w[i]);
		loop(&p);
	}
	for (unsigned int i = 0; i < p.n; i++)
		worker_reap(&p.w[i], false);
	sigaction(SIGPIPE, &old, NULL);
	explore_merge_finish(&p.m, p.timed_out);
	sum->wall_ns = explore_now_ns() - p.t0;
	sum->jobs = p.n;
	if (c->progress)
		c->progress(c->progress_arg, sum, p.received, p.received_failed, true);
	free(p.w);
	return ret;
}
