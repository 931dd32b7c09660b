// SPDX-License-Identifier: GPL-2.0
/*
 * Hot-syscall micro-benchmarks for `make bench`. Runs each operation
 * `iterations` times and prints one line per operation:
 *   BENCH <mode> <op> <ns per op>
 * usage: bench MODE ITERATIONS
 * The host side runs it in several modes in the same boot, interleaved, and
 * compares medians.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void op_getppid(void) { getppid(); }
static void op_kill0(void) { kill(getpid(), 0); }
static void op_open_close(void) { close(open("/etc/passwd", O_RDONLY)); }

static void op_stat(void)
{
	struct stat st;

	stat("/etc/passwd", &st);
}

static void op_fork_wait(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
}

static void op_fork_exec(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}

static void run_command(const char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}

/* Context start-up: a new context around /bin/true, created and destroyed. */
static void op_chcontext_true(void)
{
	static const char *const argv[] = { "/usr/bin/chcontext", "--", "/bin/true", NULL };

	run_command(argv);
}

/* What a namespace-based container pays for the same. */
static void op_unshare_true(void)
{
	static const char *const argv[] = { "/bin/unshare", "-f", "-p", "-m", "-n", "-u", "/bin/true", NULL };

	run_command(argv);
}

static void op_udp_bind(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	bind(fd, (struct sockaddr *)&a, sizeof(a));
	close(fd);
}

static void op_proc_readdir(void)
{
	DIR *d = opendir("/proc");

	while (d && readdir(d))
		;
	if (d)
		closedir(d);
}

static const struct {
	const char *name;
	void (*fn)(void);
	int divisor;	/* slow operations run iterations / divisor times */
	int host_only;	/* only meaningful for a host task with the module loaded */
} ops[] = {
	{ "getppid", op_getppid, 1, 0 },
	{ "kill0", op_kill0, 1, 0 },
	{ "open_close", op_open_close, 4, 0 },
	{ "stat", op_stat, 4, 0 },
	{ "udp_bind_close", op_udp_bind, 8, 0 },
	{ "proc_readdir", op_proc_readdir, 64, 0 },
	{ "fork_exit_wait", op_fork_wait, 256, 0 },
	{ "fork_exec_true", op_fork_exec, 512, 0 },
	{ "chcontext_true", op_chcontext_true, 512, 1 },
	{ "unshare_true", op_unshare_true, 512, 1 },
};

int main(int argc, char **argv)
{
	long iterations;
	unsigned int i;

	if (argc != 3 || (iterations = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: bench MODE ITERATIONS\n");
		return 2;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		long n = iterations / ops[i].divisor, k;
		long long t0;

		if (ops[i].host_only && strcmp(argv[1], "host"))
			continue;
		if (n < 4)
			n = 4;
		ops[i].fn();	/* warm up */
		t0 = now_ns();
		for (k = 0; k < n; k++)
			ops[i].fn();
		printf("BENCH %s %s %.1f\n", argv[1], ops[i].name, (double)(now_ns() - t0) / n);
		fflush(stdout);
	}
	return 0;
}
