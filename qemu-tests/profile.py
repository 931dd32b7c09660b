#!/usr/bin/env python3
"""Summarises the PROFILE lines of `make profile`: per operation, the cost of
each kernel symbol (instructions per operation under -icount) in every mode,
the symbols whose cost differs most from the module-unloaded kernel first."""
import re
import sys

MODES = ['vanilla', 'unloaded', 'host', 'guest']
ROWS = 30


def demangle(name):
    """A Rust v0 symbol (_R...) as its last path components, e.g. vserver::hooks::task_kill;
    other names unchanged. Good enough for reading a profile, not a full demangler."""
    if not name.startswith('_R'):
        return name
    text = re.sub(r'([CM])s[0-9A-Za-z]*_', r'\1', name[2:])  # crate and impl disambiguators
    parts, i = [], 0
    while i < len(text):
        m = re.match(r'(\d+)_?', text[i:])
        if m:
            n, start = int(m.group(1)), i + m.end()
            word = text[start:start + n]
            if len(word) == n and re.match(r'[A-Za-z_]', word):
                parts.append(word)
                i = start + n
                continue
        i += 1
    return '::'.join(parts[-3:]) if parts else name


def main(paths):
    cost, totals, notes = {}, {}, []
    for path in paths:
        with open(path, errors='replace') as f:
            for line in f:
                parts = line.split()
                try:
                    if len(parts) == 5 and parts[0] == 'PROFILE':
                        cost.setdefault(parts[2], {}).setdefault(demangle(parts[4]), {})[
                            parts[1]] = float(parts[3])
                    elif len(parts) == 4 and parts[0] == 'BENCH':
                        totals.setdefault(parts[2], {})[parts[1]] = float(parts[3])
                except ValueError:
                    continue
                if line.startswith('# bench: ') and 'done' not in line:
                    notes.append(line.strip())
    if not cost:
        print('profile: no PROFILE lines (see the console logs)', file=sys.stderr)
        return 1
    for op in sorted(cost):
        modes = [m for m in MODES if any(m in v for v in cost[op].values())]
        base = 'unloaded' if 'unloaded' in modes else modes[0]
        print(f'\n{op}: instructions per operation (sampled; total = timed, with sampling)')
        print(f'{"symbol":40}' + ''.join(f'{m:>10}' for m in modes) + f'{"max-" + base:>14}')
        print(f'{"total":40}' + ''.join(f'{totals.get(op, {}).get(m, 0):10.0f}' for m in modes))

        def delta(sym):
            v = cost[op][sym]
            return max(v.get(m, 0) for m in modes) - v.get(base, 0)
        for sym in sorted(cost[op], key=lambda s: -abs(delta(s)))[:ROWS]:
            v = cost[op][sym]
            print(f'{sym[:40]:40}' + ''.join(f'{v.get(m, 0):10.0f}' for m in modes) +
                  f'{delta(sym):14.0f}')
    for note in dict.fromkeys(notes):
        print(note)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
