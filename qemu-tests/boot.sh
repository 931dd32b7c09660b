#!/usr/bin/env bash
# Boots a kernel with an initramfs under QEMU (TCG; VS_KVM=1 tries KVM).
# usage: boot.sh BZIMAGE INITRD MODE KTAP_LOG [CONSOLE_LOG] [TIMEOUT_S]
#   MODE check: console to CONSOLE_LOG, no terminal; exits 124 on timeout.
#   MODE cmd:   console on the terminal (kernel kept quiet).
#   MODE shell: interactive console on the terminal.
set -euo pipefail
kernel=${1:?} initrd=${2:?} mode=${3:?} ktap=${4:?} console=${5:-} limit=${6:-600}

accel=tcg
[ "${VS_KVM:-0}" = 1 ] && [ -w /dev/kvm ] && accel=kvm
mem=${VS_QEMU_MEM:-1024}
args=(-accel "$accel" -m "$mem" -smp 2 -no-reboot -nodefaults -kernel "$kernel" -initrd "$initrd")
append="console=ttyS0 panic=-1 oops=panic"

# Benchmarks need a fine clock: without ACPI there is no HPET or PM timer to
# calibrate the TSC against, so give it a nominal rate (ratios stay right).
[ "$mode" = bench ] && append="$append tsc_early_khz=1000000 tsc=reliable clocksource=tsc"
# VS_ICOUNT=shift=0,...: guest time counts instructions (bench.sh, profile.sh).
[ -n "${VS_ICOUNT:-}" ] && args+=(-icount "$VS_ICOUNT")

case "$mode" in
check | bench)
	exec timeout --foreground -k 10 "$limit" qemu-system-x86_64 "${args[@]}" -display none \
		-serial "file:$console" -serial "file:$ktap" -append "$append"
	;;
cmd)
	exec qemu-system-x86_64 "${args[@]}" -display none -serial stdio -serial "file:$ktap" \
		-append "$append quiet" </dev/null
	;;
shell)
	exec qemu-system-x86_64 "${args[@]}" -nographic -serial mon:stdio -serial "file:$ktap" \
		-append "$append quiet"
	;;
esac
echo "boot.sh: unknown mode $mode" >&2
exit 2
