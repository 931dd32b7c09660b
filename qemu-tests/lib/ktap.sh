# KTAP helpers for shell tests (busybox sh). Source it, report each case
# with check/ok/fail/expect_output/refuses, and end with finish. The plan is
# counted, not declared: everything the script prints is kept until it ends,
# then printed after "1..N" with N the cases it reported. A script that ends
# without reaching finish (an error, an early exit) reports one more, failed,
# case saying so.
_ktap_n=0
_ktap_fail=0
_ktap_finished=
_ktap_out=$(mktemp /tmp/ktap.XXXXXX) || exit 1
exec 3>&1 4>&2 >"$_ktap_out" 2>&1

_ktap_end() {
	_rc=$?
	if [ -z "$_ktap_finished" ]; then
		fail "the script reached its end (exit $_rc) before finish"
		_rc=1
	fi
	exec >&3 2>&4
	echo "KTAP version 1"
	echo "1..$_ktap_n"
	cat "$_ktap_out"
	rm -f "$_ktap_out"
	exit $_rc
}
trap _ktap_end EXIT

ok() {
	_ktap_n=$((_ktap_n + 1))
	echo "ok $_ktap_n $*"
}

fail() {
	_ktap_n=$((_ktap_n + 1))
	_ktap_fail=$((_ktap_fail + 1))
	echo "not ok $_ktap_n $*"
}

diag() {
	echo "# $*"
}

# check NAME CMD...: passes when CMD exits 0.
check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else fail "$_name"; fi
}

# expect_output NAME PATTERN CMD...: CMD's stdout+stderr must contain PATTERN
# (a grep -E expression); its exit status is stored in $status.
expect_output() {
	_name=$1
	_pat=$2
	shift 2
	_out=$("$@" 2>&1)
	status=$?
	if printf '%s\n' "$_out" | grep -qE -- "$_pat"; then
		ok "$_name"
	else
		diag "output was: $_out"
		fail "$_name"
	fi
}

# refuses NAME STATUS PATTERN CMD...: CMD must exit STATUS, and its output
# (stdout and stderr) must match PATTERN (grep -E).
refuses() {
	_n=$1 _want=$2 _pat=$3
	shift 3
	_out=$("$@" 2>&1)
	_st=$?
	if [ "$_st" = "$_want" ] && printf '%s\n' "$_out" | grep -qE -- "$_pat"; then
		ok "$_n"
	else
		diag "exit $_st (wanted $_want), output: $_out"
		fail "$_n"
	fi
}

# retry CMD...: runs CMD until it succeeds, at most 100 times 0.1 s apart.
retry() {
	for _ in $(seq 100); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

finish() {
	_ktap_finished=1
	[ "$_ktap_fail" -eq 0 ]
	exit $?
}
