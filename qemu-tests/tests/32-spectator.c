// SPDX-License-Identifier: GPL-2.0
/*
 * The spectator context (xid 1): it sees every task (/proc, kill(pid, 0),
 * GET_XID, GET_INFO, LIST) but touches none outside its own context (real
 * signals, ptrace, setpriority, sched_setscheduler -> EPERM, privileged
 * ioctls -> EPERM); on its own tasks everything works. A guest does not see
 * the spectator's tasks.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "../lib/vs-ktap.h"

#define X_G	3201	/* a guest with one sleeper */

enum { SLOT_HOST, SLOT_G, SLOT_SPEC, SLOT_MAIN, NSLOTS };
struct shared {
	int urg[NSLOTS];
};
static struct shared *shm;
static long host_total;	/* LIST total as the host sees it */

struct target {
	const char *name;
	pid_t pid;
	long xid;
	int own;
};

#define PER_TARGET 12

static void check_target(const struct target *t)
{
	const char *n = t->name, *w = t->own ? "works" : "-> EPERM";
	long want = t->own ? 0 : -EPERM;
	struct sched_param sp = { .sched_priority = 0 };
	pid_t pid = t->pid;

	vs_expect(vs_proc_path_err(pid, "", 0), 0, "spectator -> %s: stat /proc/<pid> works", n);
	vs_expect(vs_proc_path_err(pid, "/status", 1), 0,
		  "spectator -> %s: open /proc/<pid>/status works", n);
	vs_expect(vs_proc_lists(pid), 1, "spectator -> %s: readdir(/proc) lists the pid", n);
	vs_expect(VS_ERR(kill(pid, 0)), 0, "spectator -> %s: kill(pid, 0) works", n);
	vs_expect(vs_get_xid(pid), t->xid, "spectator -> %s: GET_XID is %ld", n, t->xid);
	vs_expect(VS_ERR(kill(pid, SIGURG)), want, "spectator -> %s: kill(pid, SIGURG) %s", n, w);
	vs_expect(VS_ERR(syscall(SYS_tgkill, pid, pid, SIGURG)), want,
		  "spectator -> %s: tgkill(SIGURG) %s", n, w);
	vs_expect(VS_ERR(kill(-pid, SIGURG)), want, "spectator -> %s: kill(-pgrp, SIGURG) %s", n, w);
	vs_expect(vs_ptrace_try(PTRACE_ATTACH, pid), want, "spectator -> %s: PTRACE_ATTACH %s", n, w);
	vs_expect(vs_ptrace_try(PTRACE_SEIZE, pid), want, "spectator -> %s: PTRACE_SEIZE %s", n, w);
	vs_expect(VS_ERR(setpriority(PRIO_PROCESS, pid, 0)), want,
		  "spectator -> %s: setpriority %s", n, w);
	vs_expect(VS_ERR(sched_setscheduler(pid, SCHED_OTHER, &sp)), want,
		  "spectator -> %s: sched_setscheduler %s", n, w);
}

struct pids {
	pid_t host, spec;
};

/* A task in G looks at the spectator's and the host's sleepers. */
static void guest_view(void *arg)
{
	const struct pids *p = arg;

	if (vs_expect(vs_migrate(X_G), 0, "a task enters G") != 1) {
		int i;

		for (i = 0; i < 4; i++)
			ktap_result(0, "G view check %d # not in G", i);
		return;
	}
	vs_expect(VS_ERR(kill(p->spec, 0)), -ESRCH, "G -> spectator task: kill(pid, 0) -> ESRCH");
	vs_expect(vs_proc_path_err(p->spec, "", 0), -ENOENT,
		  "G -> spectator task: stat /proc/<pid> -> ENOENT");
	vs_expect(vs_proc_lists(p->spec), 0, "G -> spectator task: readdir(/proc) does not list it");
	vs_expect(vs_get_xid(p->spec), -ESRCH, "G -> spectator task: GET_XID -> ESRCH");
}

static void actor(void *arg)
{
	struct vs_context_info info;
	struct vs_sleeper sh, sg, ss;
	struct target t[3];
	struct pids p;
	__u32 reason;
	int i, k, in_spec, waited;

	(void)arg;
	signal(SIGURG, SIG_DFL);
	vs_expect(vs_sleeper_start_urg(&sh, VS_XID_HOST, 0, VS_F_STAY | VS_F_PGRP,
				       &shm->urg[SLOT_HOST]), 0,
		  "a sleeper stays in the host context");
	vs_expect(vs_sleeper_start_urg(&sg, X_G, 0, VS_F_PGRP | VS_F_END_SETUP,
				       &shm->urg[SLOT_G]), 0,
		  "a sleeper enters G");
	vs_expect(vs_sleeper_start_urg(&ss, VS_XID_SPECTATOR, 0, VS_F_PGRP,
				       &shm->urg[SLOT_SPEC]), 0,
		  "a sleeper enters the spectator context");
	t[0] = (struct target){ "host", sh.pid, VS_XID_HOST, 0 };
	t[1] = (struct target){ "G", sg.pid, X_G, 0 };
	t[2] = (struct target){ "own", ss.pid, VS_XID_SPECTATOR, 1 };
	p.host = sh.pid;
	p.spec = ss.pid;
	vs_ktap_fork(guest_view, &p, 20000);

	vs_expect(vs_migrate(VS_XID_SPECTATOR), 0, "the actor MIGRATEs into xid 1");
	in_spec = vs_expect(vs_get_xid(0), VS_XID_SPECTATOR, "the actor is a spectator");

	for (i = 0; i < 3; i++) {
		if (t[i].pid > 0 && in_spec)
			check_target(&t[i]);
		else
			for (k = 0; k < PER_TARGET; k++)
				ktap_result(0, "spectator -> %s: check %d # no sleeper or not a spectator",
					    t[i].name, k);
	}
	for (waited = 0; waited < 1000 && !__atomic_load_n(&shm->urg[SLOT_SPEC], __ATOMIC_SEQ_CST);
	     waited += 10)
		vs_msleep(10);
	vs_check(__atomic_load_n(&shm->urg[SLOT_SPEC], __ATOMIC_SEQ_CST) > 0, NULL,
		 "the spectator's own sleeper got its SIGURGs");

	/* The ioctls. */
	vs_check(vs_wait_tasks(X_G, 1, 2000), NULL, "spectator: G has 1 task");
	vs_expect(vs_info(X_G, &info), 0, "spectator: GET_INFO of G works");
	vs_expect(info.init_pid, sg.pid, "spectator: G's init_pid is the sleeper's pid");
	vs_expect(vs_info(VS_XID_SELF, &info), -EINVAL, "spectator: GET_INFO of VS_XID_SELF -> EINVAL");
	vs_expect(vs_info(VS_XID_SPECTATOR, &info), -EINVAL, "spectator: GET_INFO of xid 1 -> EINVAL");
	vs_expect(vs_list_total(), host_total, "spectator: LIST sees every context");
	vs_expect(vs_create(3202, 0), -EPERM, "spectator: CREATE -> EPERM");
	vs_expect(vs_set_flags(X_G, VS_CF_PROLIFIC, 0), -EPERM, "spectator: SET_FLAGS -> EPERM");
	vs_expect(vs_kill(X_G, 0), -EPERM, "spectator: KILL -> EPERM");
	vs_expect(vs_remove(X_G), -EPERM, "spectator: REMOVE -> EPERM");
	vs_expect(vs_wait(X_G, &reason, 500), -EPERM, "spectator: WAIT -> EPERM");
	vs_expect(vs_migrate(X_G), -EPERM, "spectator: MIGRATE into G -> EPERM");
	vs_expect(vs_migrate(VS_XID_HOST), -EPERM, "spectator: MIGRATE into 0 -> EPERM");
	vs_expect(vs_get_xid(0), VS_XID_SPECTATOR, "the actor is still a spectator");

	vs_sleeper_release(&sh);
	vs_sleeper_release(&sg);
	vs_expect(vs_sleeper_stop(&ss, 2000), 0, "the spectator's own sleeper exits");
}

int main(void)
{
	struct sigaction sa;
	long r, base;

	ktap_plan(70);
	vs_become_subreaper();
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(shm, 0, sizeof(*shm));
	memset(&sa, 0, sizeof(sa));
	vs_urg_slot = &shm->urg[SLOT_MAIN];
	sa.sa_handler = vs_urg_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGURG, &sa, NULL);

	r = vs_open();
	vs_expect(r < 0 ? r : 0, 0, "open %s", VS_DEVICE_PATH);
	base = vs_list_total();
	vs_expect(vs_create(X_G, 0), X_G, "CREATE guest G (%d)", X_G);
	host_total = vs_list_total();
	vs_expect(host_total, base + 1, "the host's LIST total counts G");

	vs_ktap_fork(actor, NULL, 120000);
	vs_msleep(100);

	vs_expect(__atomic_load_n(&shm->urg[SLOT_HOST], __ATOMIC_SEQ_CST), 0,
		  "the host sleeper never got a SIGURG from the spectator");
	vs_expect(__atomic_load_n(&shm->urg[SLOT_G], __ATOMIC_SEQ_CST), 0,
		  "G's sleeper never got a SIGURG from the spectator");
	vs_expect(__atomic_load_n(&shm->urg[SLOT_MAIN], __ATOMIC_SEQ_CST), 0,
		  "this test process never got a SIGURG");

	vs_reap_all(2000);
	vs_check(vs_wait_gone(X_G, 2000), NULL, "G vanishes after its tasks");
	vs_destroy(X_G);
	vs_reap_all(1000);
	vs_expect(vs_wait_list_total(base, 2000), base, "LIST total is back to %ld", base);
	return ktap_finish();
}
