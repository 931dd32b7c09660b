#!/usr/bin/env python3
"""Checks that no two files of the module import each other, directly or
through others, and that no two of its top-level folders do: the module is
layered (Documentation/vserver.rst, "Where things live in the module"), and
a cycle is where the layers leak.

A file depends on another when its code (not its comments) names an item
of the other's module: a `crate::a::b` path, or a `super::`/`self::` path,
in a `use` or anywhere else. A module's `mod` declarations of its children
are not dependencies. Prints the cycles found, if any, and exits 1.

usage: module-deps.py SRC_DIR [--print]   (--print: every file's dependencies)
"""
import os
import re
import sys


def modules(src):
    """Maps module paths (tuples) to files, for every .rs file under src."""
    found = {}
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(root, f), src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel == ["vserver"]:
                rel = []
            found[tuple(rel)] = os.path.join(root, f)
    return found


def code(text):
    """The text without comments and string literals."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def owner(path, mods):
    """The longest prefix of `path` that is a module of the crate."""
    for n in range(len(path), -1, -1):
        if tuple(path[:n]) in mods:
            return tuple(path[:n])
    return ()


def deps(me, text, mods):
    out = set()
    body = code(text)
    # Expand `use a::{b, c::d}` groups one level, enough for the module's style.
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)*)::\{([^}]*)\}", body):
        for item in m.group(2).split(","):
            item = item.strip().split(" as ")[0].strip()
            if item and item != "self" and re.match(r"^\w+(::\w+)*$", item):
                body += f"\n{m.group(1)}::{item}"
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", body):
        parts = m.group(1).split("::")
        if parts[0] == "crate":
            path = parts[1:]
        else:
            base = list(me)
            while parts and parts[0] in ("super", "self"):
                if parts.pop(0) == "super":
                    base = base[:-1]
            path = base + parts
        target = owner(path, mods)
        if target != me:
            out.add(target)
    return out


def cycles(graph):
    """Tarjan's strongly connected components with more than one member."""
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return comps


def name(mod):
    return "::".join(mod) or "crate root"


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    mods = modules(sys.argv[1])
    graph = {}
    for mod, path in mods.items():
        with open(path) as f:
            graph[mod] = deps(mod, f.read(), mods)
    if "--print" in sys.argv:
        for mod in sorted(graph):
            print(f"{name(mod)}: {', '.join(name(d) for d in sorted(graph[mod]))}")
    found = cycles(graph)
    for comp in found:
        print("import cycle between files: " + " <-> ".join(name(m) for m in comp))
    # The same between folders (and the files at the top, each its own layer).
    folders = {}
    for mod, targets in graph.items():
        top = mod[:1]
        folders.setdefault(top, set()).update(t[:1] for t in targets if t[:1] != top)
    folder_cycles = cycles(folders)
    for comp in folder_cycles:
        print("import cycle between folders: " + " <-> ".join(name(m) for m in comp))
    if found or folder_cycles:
        sys.exit(1)
    print(f"{len(mods)} files in {len(folders)} folders and top-level files, no import cycle")


if __name__ == "__main__":
    main()
