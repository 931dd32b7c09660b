#!/usr/bin/env python3
"""Checks the layout rules of include/uapi/linux/vserver.h at build time.

Every structure of the ABI must have the same layout for 32- and 64-bit
callers: no padding the compiler inserts (each member at the offset where
the previous one ends) and a size that is a multiple of 8. This reads every
`struct vs_*` of the header, writes a C file of _Static_assert()s (as
Landlock's build_check_abi() does in the kernel) and compiles it; a new
structure is checked without anyone listing it.

usage: uapi-layout.py HEADER_DIR   (the directory holding linux/vserver.h)
"""
import os
import re
import subprocess
import sys
import tempfile


def structs(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    for m in re.finditer(r"\bstruct\s+(vs_\w+)\s*\{(.*?)\};", text, flags=re.S):
        members = []
        for decl in m.group(2).split(";"):
            decl = decl.strip()
            if not decl:
                continue
            d = re.match(r"^[\w\s]+?\b(\w+)\s*(\[[^\]]*\])?$", decl)
            if not d:
                raise SystemExit(f"struct {m.group(1)}: cannot read member '{decl}'")
            members.append(d.group(1))
        yield m.group(1), members


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    inc = sys.argv[1]
    with open(os.path.join(inc, "linux", "vserver.h")) as f:
        found = list(structs(f.read()))
    if not found:
        raise SystemExit("no struct vs_* found")
    lines = ["#include <stddef.h>", "#include <linux/vserver.h>",
             "#define END(s, m) (offsetof(struct s, m) + sizeof(((struct s *)0)->m))"]
    for name, members in found:
        prev = None
        for m in members:
            where = "0" if prev is None else f"END({name}, {prev})"
            lines.append(f'_Static_assert(offsetof(struct {name}, {m}) == {where}, '
                         f'"struct {name}: padding before {m}");')
            prev = m
        lines.append(f'_Static_assert(sizeof(struct {name}) == END({name}, {prev}), '
                     f'"struct {name}: padding at the end");')
        lines.append(f'_Static_assert(sizeof(struct {name}) % 8 == 0, '
                     f'"struct {name}: size not a multiple of 8");')
    lines.append("int main(void) { return 0; }")
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        src = f.name
    try:
        r = subprocess.run(["gcc", "-std=c11", "-Wall", "-Werror", f"-I{inc}", "-o", "/dev/null", src],
                           capture_output=True, text=True)
    finally:
        os.unlink(src)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit(1)
    print(f"{len(found)} structures: no padding, sizes multiples of 8")


if __name__ == "__main__":
    main()
