#!/usr/bin/env python3
"""Summarises the BENCH lines of `make bench` boots: the median time per
operation in each mode, the spread (min..max over rounds), the ratios the
targets are stated in, and whether each target is met. Writes the same as
JSON. Absolute times under TCG mean little; the ratios within one boot do."""
import argparse
import datetime
import json
import platform
import statistics
import sys

HOT = ['getppid', 'kill0', 'open_close', 'stat', 'udp_bind_close', 'fork_exit_wait', 'fork_exec_true']
# (numerator, denominator, ops, limit)
TARGETS = [
    ('guest', 'unloaded', HOT, 1.01),
    ('guest', 'unloaded', ['proc_readdir'], 1.05),
    ('host', 'unloaded', HOT + ['proc_readdir'], 1.01),
    ('unloaded', 'vanilla', HOT, 1.01),
]


def read(paths):
    samples = {}
    for path in paths:
        with open(path, errors='replace') as f:
            for line in f:
                parts = line.split()
                if len(parts) == 4 and parts[0] == 'BENCH':
                    try:
                        samples.setdefault((parts[1], parts[2]), []).append(float(parts[3]))
                    except ValueError:
                        pass
    return samples


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--json', required=True)
    ap.add_argument('--machine', default=platform.node())
    ap.add_argument('logs', nargs='+')
    args = ap.parse_args()
    samples = read(args.logs)
    if not samples:
        print('bench: no results in ' + ', '.join(args.logs))
        return 1
    modes = sorted({m for m, _ in samples})
    ops = [op for op in HOT + ['proc_readdir', 'chcontext_true', 'unshare_true']
           if any((m, op) in samples for m in modes)]
    median = {k: statistics.median(v) for k, v in samples.items()}

    print(f'{"operation":<16}' + ''.join(f'{m + " ns":>16}' for m in modes))
    for op in ops:
        row = f'{op:<16}'
        for m in modes:
            v = samples.get((m, op))
            row += f'{median[(m, op)]:>9.0f} ±{(max(v) - min(v)) / 2:>5.0f}' if v else f'{"-":>16}'
        print(row)
    print()
    results = []
    print(f'{"ratio":<22}{"operation":<16}{"median":>8}{"target":>8}  met')
    for num, den, target_ops, limit in TARGETS:
        for op in target_ops:
            if (num, op) not in median or (den, op) not in median:
                continue
            ratio = median[(num, op)] / median[(den, op)]
            cross_boot = 'vanilla' in (num, den)
            results.append({'ratio': f'{num}/{den}', 'op': op, 'value': round(ratio, 4),
                            'target': limit, 'met': ratio <= limit, 'cross_boot': cross_boot})
            mark = 'yes' if ratio <= limit else 'NO'
            note = ' (separate boots)' if cross_boot else ''
            print(f'{num + "/" + den:<22}{op:<16}{ratio:>8.3f}{limit:>8.2f}  {mark}{note}')
    # Context start-up, within the host mode of the same boot.
    startup = [('chcontext_true', 'fork_exec_true', 1.10), ('unshare_true', 'fork_exec_true', None)]
    for num, den, limit in startup:
        if ('host', num) in median and ('host', den) in median:
            ratio = median[('host', num)] / median[('host', den)]
            results.append({'ratio': f'{num}/{den}', 'op': 'startup', 'value': round(ratio, 4),
                            'target': limit, 'met': limit is None or ratio <= limit,
                            'cross_boot': False})
            mark = '-' if limit is None else ('yes' if ratio <= limit else 'NO')
            shown = '-' if limit is None else f'{limit:.2f}'
            print(f'{num + "/" + den:<38}{ratio:>8.3f}{shown:>8}  {mark}')
    if ('host', 'chcontext_true') in median:
        per_second = 1e9 / median[('host', 'chcontext_true')]
        print(f'contexts created and destroyed per second (chcontext -- /bin/true): {per_second:.0f}')
    out = {
        'date': datetime.date.today().isoformat(),
        'machine': args.machine,
        'rounds': max(len(v) for v in samples.values()),
        'median_ns': {f'{m}/{op}': round(median[(m, op)], 1) for (m, op) in median},
        'ratios': results,
    }
    with open(args.json, 'w') as f:
        json.dump(out, f, indent=2)
    print(f'\nwritten to {args.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
