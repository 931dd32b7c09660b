#!/usr/bin/env python3
"""Summarises the BENCH lines of `make bench` boots: the median time per
operation in each mode, the spread (min..max over rounds), the ratios the
targets are stated in, and whether each target is met. Writes the same as
JSON. Absolute times under TCG mean little; the ratios within one boot do.

Operation names may carry a scene: "op@Nctx" ran with N live contexts,
"op@Nprocs" with N sleeping processes of another context (on the host when
the module is unloaded) present."""
import argparse
import datetime
import json
import platform
import re
import statistics
import sys

HOT = ['getppid', 'kill0', 'open_close', 'stat', 'udp_bind_close', 'tcp_bind_close',
       'tcp_connect_accept', 'pipe_pingpong', 'fork_exit_wait', 'fork_exec_true']
STARTUP = ['context_true', 'chcontext_true', 'unshare_true', 'vserver_start']
# (numerator, denominator, ops, limit); 'proc_readdir@procs' stands for the
# /proc readdir with the crowd of foreign processes, whatever its size.
TARGETS = [
    ('guest', 'unloaded', HOT, 1.01),
    ('guest', 'unloaded', ['proc_readdir', 'proc_readdir@procs'], 1.05),
    ('host', 'unloaded', HOT + ['proc_readdir', 'proc_readdir@procs'], 1.01),
    ('unloaded', 'vanilla', HOT + ['proc_readdir@procs'], 1.01),
]
# Context start-up, within the host mode of the same boot: (op, limit).
# context_true is the kernel's part of chcontext_true (fork, create, migrate, exec,
# end), without the tool's own exec and cgroup step.
STARTUP_TARGETS = [('context_true', 1.10), ('chcontext_true', 1.10), ('unshare_true', None),
                   ('vserver_start', 1.10)]
# Scaling, in the guest mode: op -> limit of (most contexts or processes) / (fewest).
SCALING_TARGETS = {'fork_exit_wait': 1.02, 'kill0': None, 'proc_readdir': None}
# Kernel memory per context (Slab growth), in bytes.
CONTEXT_BYTES_LIMIT = 1024
SCENE = re.compile(r'^(\w+)@(\d+)(ctx|procs)$')


def read(paths):
    """BENCH lines as {(mode, op): [values]}, and the distinct '# bench:' notes."""
    samples, notes = {}, []
    for path in paths:
        with open(path, errors='replace') as f:
            for line in f:
                parts = line.split()
                if len(parts) == 4 and parts[0] == 'BENCH':
                    try:
                        samples.setdefault((parts[1], parts[2]), []).append(float(parts[3]))
                    except ValueError:
                        pass
                elif line.startswith('# bench: ') and not re.match(r'# bench: (\d+ rounds|done)', line):
                    if line.strip() not in notes:
                        notes.append(line.strip())
    return samples, notes


def order(op):
    """Table order: hot calls, readdirs by crowd size, start-up, then scaling by context count."""
    m = SCENE.match(op)
    if op in HOT:
        return (0, HOT.index(op), 0)
    if op == 'proc_readdir' or (m and m.group(1) == 'proc_readdir'):
        return (1, 0, int(m.group(2)) if m else 0)
    if op in STARTUP:
        return (2, STARTUP.index(op), 0)
    if m:
        return (3, m.group(1), int(m.group(2)))
    return (4, op, 0)


def ratio_entry(results, name, op, value, limit, cross_boot=False):
    met = limit is None or value <= limit
    results.append({'ratio': name, 'op': op, 'value': round(value, 4), 'target': limit,
                    'met': met, 'cross_boot': cross_boot})
    return '-' if limit is None else ('yes' if met else 'NO')


def crowded_readdir(median, mode):
    """The /proc readdir with a crowd in @mode: the crowd the unloaded or vanilla mode had."""
    for m in ('unloaded', 'vanilla'):
        ops = sorted((op for (mm, op) in median if mm == m and SCENE.match(op)
                      and op.startswith('proc_readdir@')), key=order)
        if ops and (mode, ops[-1]) in median:
            return ops[-1]
    return None


def print_targets(median, results):
    print(f'{"ratio":<22}{"operation":<24}{"median":>8}{"target":>8}  met')
    for num, den, target_ops, limit in TARGETS:
        for op in target_ops:
            if op == 'proc_readdir@procs':
                op = crowded_readdir(median, den) or op
            if (num, op) not in median or (den, op) not in median:
                continue
            ratio = median[(num, op)] / median[(den, op)]
            cross_boot = 'vanilla' in (num, den)
            mark = ratio_entry(results, f'{num}/{den}', op, ratio, limit, cross_boot)
            note = ' (separate boots)' if cross_boot else ''
            print(f'{num + "/" + den:<22}{op:<24}{ratio:>8.3f}{limit:>8.2f}  {mark}{note}')


def print_startup(median, results, unit):
    print(f'\n{"context start-up (host)":<46}{"median":>8}{"target":>8}  met')
    for op, limit in STARTUP_TARGETS:
        if ('host', op) in median and ('host', 'fork_exec_true') in median:
            ratio = median[('host', op)] / median[('host', 'fork_exec_true')]
            mark = ratio_entry(results, f'{op}/fork_exec_true', 'startup', ratio, limit)
            shown = '-' if limit is None else f'{limit:.2f}'
            print(f'{op + "/fork_exec_true":<46}{ratio:>8.3f}{shown:>8}  {mark}')
    for op, what in (('context_true', 'contexts created and destroyed per second (ioctls)'),
                     ('chcontext_true', 'contexts created and destroyed per second (chcontext -- /bin/true)'),
                     ('vserver_start', 'guests started per second (vserver NAME start)')):
        if ('host', op) in median:
            pace = ' at one instruction per ns' if unit == 'instructions' else ''
            print(f'{what}{pace}: {1e9 / median[("host", op)]:.0f}')


def print_scaling(median, results):
    scenes = {}
    for (mode, op) in median:
        m = SCENE.match(op)
        if mode == 'guest' and m:
            scenes.setdefault((m.group(1), m.group(3)), []).append(int(m.group(2)))
    print(f'\n{"scaling (guest)":<46}{"median":>8}{"target":>8}  met')
    for (op, unit), counts in sorted(scenes.items()):
        if len(counts) < 2:
            continue
        lo, hi = f'{op}@{min(counts)}{unit}', f'{op}@{max(counts)}{unit}'
        ratio = median[('guest', hi)] / median[('guest', lo)]
        limit = SCALING_TARGETS.get(op)
        mark = ratio_entry(results, f'{hi}/{lo}', 'scaling', ratio, limit)
        shown = '-' if limit is None else f'{limit:.2f}'
        print(f'{hi + "/" + lo:<46}{ratio:>8.3f}{shown:>8}  {mark}')
    if ('host', 'context_slab_bytes') in median:
        per_context = median[('host', 'context_slab_bytes')]
        mark = ratio_entry(results, 'context_slab_bytes', 'memory', per_context,
                           CONTEXT_BYTES_LIMIT)
        print(f'{"kernel memory per context (Slab growth), bytes":<46}{per_context:>8.0f}'
              f'{CONTEXT_BYTES_LIMIT:>8}  {mark}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--json', required=True)
    ap.add_argument('--machine', default=platform.node())
    ap.add_argument('--unit', default='ns', help='what the figures count')
    ap.add_argument('logs', nargs='+')
    args = ap.parse_args()
    samples, notes = read(args.logs)
    if not samples:
        print('bench: no results in ' + ', '.join(args.logs))
        return 1
    modes = sorted({m for m, _ in samples})
    ops = sorted({op for _, op in samples if op != 'context_slab_bytes'}, key=order)
    median = {k: statistics.median(v) for k, v in samples.items()}

    print(f'{"operation":<24}' + ''.join(f'{m:>20}' for m in modes) + f'   ({args.unit} per operation)')
    for op in ops:
        row = f'{op:<24}'
        for m in modes:
            v = samples.get((m, op))
            row += f'{median[(m, op)]:>10.0f} ±{(max(v) - min(v)) / 2:>8.0f}' if v else f'{"-":>20}'
        print(row)
    print()
    results = []
    print_targets(median, results)
    print_startup(median, results, args.unit)
    print_scaling(median, results)
    for note in notes:
        print(note)
    out = {
        'date': datetime.date.today().isoformat(),
        'machine': args.machine,
        'rounds': max(len(v) for v in samples.values()),
        'unit': args.unit,
        'median_ns': {f'{m}/{op}': round(median[(m, op)], 1) for (m, op) in median
                      if op != 'context_slab_bytes'},
        'ratios': results,
        'notes': notes,
    }
    if ('host', 'context_slab_bytes') in median:
        out['context_slab_bytes'] = round(median[('host', 'context_slab_bytes')], 1)
    with open(args.json, 'w') as f:
        json.dump(out, f, indent=2)
    print(f'\nwritten to {args.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
