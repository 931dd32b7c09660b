#!/usr/bin/env python3
"""Extracts the worked examples of the documentation into shell scripts.

An example is the literal block that follows an RST comment line
``.. example: runs in make check`` (in Documentation/*.rst; in README.md the
marker is ``<!-- example: runs in make check -->`` before a fenced block).
In the block, a line starting with ``# `` is a command typed at the root
prompt (a trailing backslash continues it on the next line); ``...`` stands
for lines left out; every other line is output the commands must print (the
test compares lines with runs of blanks squeezed).

usage: doc-examples.py OUTDIR FILE...
For each example it writes OUTDIR/NN.sh (the commands, each one's failure
reported with its source line) and OUTDIR/NN.expect (the output lines), and
prints one line per example: NN FILE:LINE.
"""
import os
import re
import sys

MARK_RST = ".. example: runs in make check"
MARK_MD = "<!-- example: runs in make check -->"


def rst_blocks(lines):
    i = 0
    while i < len(lines):
        if lines[i].strip() != MARK_RST:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].rstrip().endswith("::"):
            j += 1
        j += 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        start = j
        block = []
        while j < len(lines) and (not lines[j].strip() or lines[j][:1] in " \t"):
            block.append((j + 1, lines[j].rstrip("\n")))
            j += 1
        while block and not block[-1][1].strip():
            block.pop()
        if not block:
            raise SystemExit(f"line {i + 1}: marker without a literal block")
        indent = min(len(t) - len(t.lstrip()) for _, t in block if t.strip())
        yield i + 1, [(n, t[indent:]) for n, t in block]
        i = j if j > start else i + 1


def md_blocks(lines):
    i = 0
    while i < len(lines):
        if lines[i].strip() != MARK_MD:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        j += 1
        block = []
        while j < len(lines) and not lines[j].startswith("```"):
            block.append((j + 1, lines[j].rstrip("\n")))
            j += 1
        yield i + 1, block
        i = j + 1


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def script(src, block):
    cmds, expect = [], []
    k = 0
    while k < len(block):
        n, text = block[k]
        if text.startswith("# "):
            cmd = text[2:]
            while cmd.endswith("\\") and k + 1 < len(block):
                k += 1
                cmd = cmd + "\n" + block[k][1]
            cmds.append((n, cmd))
        elif text.strip() and text.strip() != "...":
            expect.append(" ".join(text.split()))
        k += 1
    if not cmds:
        raise SystemExit(f"{src}: an example without a '# ' command")
    out = ["#!/bin/sh", f"# {src}", "_bad=0"]
    for n, cmd in cmds:
        out.append(cmd)
        if re.search(r"&\s*(#.*)?$", cmd):
            continue
        out.append(f"_st=$?; if [ $_st -ne 0 ]; then echo \"example: line {n} exited $_st: \"{shell_quote(cmd.splitlines()[0])} >&2; _bad=1; fi")
    out.append("exit $_bad")
    return "\n".join(out) + "\n", "\n".join(expect) + ("\n" if expect else "")


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    count = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            lines = f.readlines()
        blocks = md_blocks(lines) if path.endswith(".md") else rst_blocks(lines)
        for line, block in blocks:
            count += 1
            src = f"{os.path.basename(os.path.dirname(path))}/{os.path.basename(path)}:{line}"
            try:
                sh, expect = script(src, block)
            except SystemExit as e:
                raise SystemExit(f"{path}:{line}: {e}")
            name = f"{count:02d}"
            with open(os.path.join(outdir, name + ".sh"), "w") as f:
                f.write(sh)
            with open(os.path.join(outdir, name + ".expect"), "w") as f:
                f.write(expect)
            print(name, src)


if __name__ == "__main__":
    main()
