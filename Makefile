# vserver-rs: Linux-VServer style security contexts for Linux 7.3, in Rust.
#
#   make run [CMD='...'] [FLAVOUR=debug]   boot the kernel in QEMU with vserver.ko
#   make check [TESTS=pat] [EXTRA_TESTS=dir] [FLAVOURS='release debug']
#   make bench                             overhead ratios (see README)
#   make profile OPS=kill0,open_close      where bench operations spend instructions
#
# Everything is installed and built on demand; kernel builds are cached in
# ~/.cache/vserver-rs (override with VS_CACHE), keyed by what produced them.

SHELL := /bin/bash
# The scripts get these exactly as typed: `make run CMD='echo "$$HOME $$?"'`
# passes `$HOME` and `$?` to the guest's shell, not to make.
$(foreach v,CMD TESTS EXTRA_TESTS,$(if $(filter command line environment,$(origin $(v))),$(eval override $(v) := $$(value $(v)))))
export CMD TESTS EXTRA_TESTS FLAVOUR FLAVOURS KERNEL_SRC VS_CACHE VS_KVM VS_TEST_TIMEOUT VS_BENCH_CLOCK

.PHONY: run check bench profile deps kernel module userland fmt clean help

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'

run:
	@bash scripts/run.sh

check:
	@bash scripts/check.sh

bench:
	@bash scripts/bench.sh

profile:
	@bash scripts/profile.sh "$(OPS)" $(ITERATIONS)

deps:
	@bash scripts/install-deps.sh

kernel: deps
	@bash scripts/kernel.sh $(or $(FLAVOUR),release)

module: kernel
	@bash scripts/module.sh $(or $(FLAVOUR),release)

userland: deps
	@bash scripts/userland.sh

fmt:
	@bash scripts/fmt.sh

clean:
	rm -rf userland/target
	find src -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod*' | xargs rm -f
