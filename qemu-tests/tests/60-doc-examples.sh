#!/bin/sh
# The worked examples of Documentation/*.rst and the README, run as written
# (qemu-tests/doc-examples.py extracts them into /usr/lib/vs/examples): every
# command succeeds and the output the text shows appears. After each example
# every context and network context it left is ended and removed, and the
# addresses it put on lo are taken off.
. /usr/lib/vs/ktap.sh
dir=/usr/lib/vs/examples
n=$(wc -l <"$dir/index")
check "the examples were extracted ($n)" [ "$n" -gt 0 ]

# Ends and removes every guest context and network context.
cleanup() {
	for x in $(vsctl stat 2>/dev/null | awk '$1 == "XID" { s = 1; next } $1 == "NID" { s = 0 } s && $1 ~ /^[0-9]+$/ && $1 > 1 { print $1 }'); do
		vkill --xid "$x" -s KILL >/dev/null 2>&1
		retry vsctl remove --xid "$x"
		vlimit --xid "$x" --remove-cgroup >/dev/null 2>&1
	done
	for x in $(vsctl stat 2>/dev/null | awk '$1 == "NID" { s = 1; next } s && $1 ~ /^[0-9]+$/ { print $1 }'); do
		retry vsctl remove --nid "$x"
	done
	# The examples put their addresses on lo.
	for a in $(ip -o -4 addr show dev lo | awk '{ print $4 }'); do
		[ "$a" = 127.0.0.1/8 ] || ip addr del "$a" dev lo 2>/dev/null
	done
}

cleanup

while read -r name src; do
	work=/tmp/example-$name
	mkdir -p "$work"
	# Into a file, not $(...): the servers an example starts in the
	# background keep its output open.
	(cd "$work" && sh "$dir/$name.sh" </dev/null >"$work.out" 2>&1)
	st=$?
	out=$(cat "$work.out")
	squeezed=$(printf '%s\n' "$out" | sed 's/[[:space:]][[:space:]]*/ /g; s/^ //; s/ $//')
	missing=""
	while IFS= read -r want; do
		[ -n "$want" ] || continue
		printf '%s\n' "$squeezed" | grep -qxF -- "$want" || missing="$missing
	$want"
	done <"$dir/$name.expect"
	if [ $st -eq 0 ] && [ -z "$missing" ]; then
		ok "example $src"
	else
		diag "exit $st; output:"
		printf '%s\n' "$out" | sed 's/^/#   /'
		[ -z "$missing" ] || diag "lines the text shows that did not appear:$missing"
		fail "example $src"
	fi
	cleanup
done <"$dir/index"
finish
