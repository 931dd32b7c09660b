#!/usr/bin/env python3
"""Summarises the PROFILE lines of `make profile`: per operation, the cost of
each kernel symbol (instructions per operation under -icount) in every mode,
the symbols whose cost differs most from the module-unloaded kernel first."""
import sys

MODES = ['vanilla', 'unloaded', 'host', 'guest']
ROWS = 30


def main(paths):
    cost, totals, notes = {}, {}, []
    for path in paths:
        with open(path, errors='replace') as f:
            for line in f:
                parts = line.split()
                try:
                    if len(parts) == 5 and parts[0] == 'PROFILE':
                        cost.setdefault(parts[2], {}).setdefault(parts[4], {})[parts[1]] = \
                            float(parts[3])
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
