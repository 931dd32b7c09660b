#!/usr/bin/env python3
"""Prints the Debian mirror and keyring the host's own apt configuration uses.

The repository names no package mirror: other suites we need (the kernel
source from trixie-backports, bookworm-backports for tools that must match
what the machine already has) are fetched from the mirror the host already
uses for its own release. Reads /etc/apt/sources.list and
/etc/apt/sources.list.d/*.list and *.sources (deb822); prints
"URI KEYRING" for the first "deb" entry that serves the host's release
(e.g. bookworm) with the main component; exits 1 when there is none.
"""
import glob
import os
import re
import sys


def codename():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("VERSION_CODENAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return ""


def one_line_entries(path):
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            m = re.match(r"^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.*)$", line)
            if not m:
                continue
            opts = dict(o.split("=", 1) for o in (m.group(1) or "").split() if "=" in o)
            yield m.group(2), [m.group(3)], m.group(4).split(), opts.get("signed-by", "")


def deb822_entries(path):
    with open(path) as f:
        stanzas = re.split(r"\n\s*\n", f.read())
    for stanza in stanzas:
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[0].isspace():
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.strip()
        if fields.get("enabled", "yes").lower() == "no":
            continue
        if "deb" not in fields.get("types", "").split():
            continue
        for uri in fields.get("uris", "").split():
            yield uri, fields.get("suites", "").split(), fields.get(
                "components", "").split(), fields.get("signed-by", "")


def main():
    release = codename()
    files = []
    if os.path.exists("/etc/apt/sources.list"):
        files.append(("list", "/etc/apt/sources.list"))
    files += [("list", p) for p in sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]
    files += [("deb822", p) for p in sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))]
    for kind, path in files:
        try:
            entries = list(one_line_entries(path) if kind == "list" else deb822_entries(path))
        except OSError as e:
            print(f"apt-mirror: {path}: {e.strerror}", file=sys.stderr)
            continue
        for uri, suites, components, keyring in entries:
            if release in suites and "main" in components:
                keyring = keyring or "/usr/share/keyrings/debian-archive-keyring.gpg"
                print(uri.rstrip("/"), keyring)
                return 0
    print(f"apt-mirror: no 'deb' source for {release or 'this release'} main in the "
          "host's apt configuration (/etc/apt/sources.list{,.d})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
