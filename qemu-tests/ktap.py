#!/usr/bin/env python3
"""Host side of the QEMU test harness.

`parse` reads what one guest boot produced (the KTAP stream of the test runner
on the second serial port and the kernel console on the first), prints every
result and writes a JSON tally. `summary` adds up tallies and prints the final
"N passed, M failed" line. A failure is: a test that says "not ok", a test
that exits non-zero after passing all its subtests, a planned test that never
reported, no output at all, the guest timing out, or any kernel splat.
"""
import argparse
import json
import re
import sys

RESULT = re.compile(r'^(not ok|ok)\s+(\d+)\s*(?:-\s*)?(.*?)\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)')
SPLAT = re.compile(
    r'(\bOops\b|\bBUG:|\bWARNING:|Kernel panic|kernel BUG at|UBSAN:|'
    r'general protection fault|Unable to handle|'
    r'possible circular locking|possible recursive locking|inconsistent lock state|'
    r'suspicious RCU usage|sleeping function called from invalid context|'
    r'scheduling while atomic|rcu_sched self-detected stall|rcu: INFO: rcu|'
    r'blocked for more than|panicked at|cut here)')


class Tally:
    def __init__(self, flavour):
        self.flavour = flavour
        self.passed = self.failed = self.skipped = 0

    def record(self, ok, name, note=''):
        skip = ok and note.upper().startswith('SKIP')
        if skip:
            self.skipped += 1
        elif ok:
            self.passed += 1
        else:
            self.failed += 1
        word = 'ok' if ok else 'not ok'
        tail = f' # {note}' if note else ''
        print(f'[{self.flavour}] {word} {name}{tail}')


def parse_ktap(lines, tally, prefix):
    """Counts the leaf results of a (nested) KTAP stream; returns whether a
    top-level plan was seen."""
    # Per depth: results seen since the last result one level up, failures
    # among them, the plan, and the names of the enclosing results.
    count, failed, plan = {}, {}, {}
    seen_plan = False
    for raw in lines:
        line = raw.rstrip('\r\n')
        stripped = line.lstrip(' ')
        depth = (len(line) - len(stripped)) // 4
        m = PLAN.match(stripped)
        if m:
            plan[depth] = int(m.group(1))
            count[depth] = 0
            failed[depth] = 0
            if depth == 0:
                seen_plan = True
            continue
        m = RESULT.match(stripped)
        if not m:
            continue
        ok = m.group(1) == 'ok'
        name = m.group(3) or f'test {m.group(2)}'
        note = m.group(4) or ''
        sub = depth + 1
        children = count.get(sub, 0)
        full = f'{prefix}{name}'
        if children == 0 and sub not in plan:
            tally.record(ok, full, note)
            if not ok:
                failed[depth] = failed.get(depth, 0) + 1
        else:
            missing = plan.get(sub, children) - children
            if missing > 0:
                tally.record(False, full, f'{missing} planned subtest(s) never reported')
                failed[depth] = failed.get(depth, 0) + 1
            elif not ok and failed.get(sub, 0) == 0:
                tally.record(False, full, note or 'failed after its subtests passed')
                failed[depth] = failed.get(depth, 0) + 1
            elif not ok:
                failed[depth] = failed.get(depth, 0) + 1
        count[depth] = count.get(depth, 0) + 1
        for d in list(plan):
            if d > depth:
                del plan[d]
        for d in list(count):
            if d > depth:
                count[d] = 0
                failed[d] = 0
    if 0 in plan and count.get(0, 0) < plan[0]:
        missing = plan[0] - count.get(0, 0)
        tally.record(False, f'{prefix}(missing)', f'{missing} planned test(s) never reported')
    return seen_plan


def kunit_blocks(console):
    """Splits the KUnit KTAP output out of the kernel console."""
    blocks, current = [], None
    for raw in console:
        line = raw.rstrip('\r\n')
        if line.strip() == 'KTAP version 1' and not line.startswith(' '):
            current = []
            blocks.append(current)
            continue
        if current is not None and (RESULT.match(line.lstrip(' ')) or PLAN.match(line.lstrip(' '))
                                    or line.lstrip(' ').startswith(('#', 'KTAP'))):
            current.append(line)
    return blocks


def cmd_parse(args):
    tally = Tally(args.flavour)
    try:
        with open(args.ktap, errors='replace') as f:
            ktap = f.readlines()
    except OSError:
        ktap = []
    with open(args.console, errors='replace') as f:
        console = f.readlines()

    if not parse_ktap(ktap, tally, ''):
        tally.record(False, 'test runner', 'the guest printed no KTAP plan')
    if args.kunit:
        blocks = kunit_blocks(console)
        if not blocks:
            tally.record(False, 'kunit', 'no KUnit results on the console')
        for i, block in enumerate(blocks):
            parse_ktap(block, tally, 'kunit: ' if i == 0 else f'kunit (run {i + 1}): ')
    if args.timed_out:
        tally.record(False, 'guest', f'timed out after {args.timed_out} s')
    splats = [l.rstrip() for l in console if SPLAT.search(l)]
    if splats:
        tally.record(False, 'kernel console', 'splat: ' + splats[0][:200])
        for l in splats[:20]:
            print(f'[{args.flavour}]   console: {l}')
    else:
        tally.record(True, 'kernel console', 'no Oops/BUG/WARNING/lockdep/KASAN/UBSAN/panic')
    print(f'[{args.flavour}] {tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped')
    with open(args.json, 'w') as f:
        json.dump(vars(tally), f)
    return 1 if tally.failed else 0


def cmd_summary(args):
    passed = failed = skipped = 0
    for path in args.tallies:
        try:
            with open(path) as f:
                t = json.load(f)
        except (OSError, ValueError):
            print(f'missing results: {path}')
            failed += 1
            continue
        passed += t['passed']
        failed += t['failed']
        skipped += t['skipped']
    line = f'{passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line)
    return 1 if failed or passed == 0 else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('parse')
    p.add_argument('--flavour', required=True)
    p.add_argument('--ktap', required=True)
    p.add_argument('--console', required=True)
    p.add_argument('--json', required=True)
    p.add_argument('--kunit', action='store_true')
    p.add_argument('--timed-out', type=int, default=0)
    p.set_defaults(func=cmd_parse)
    s = sub.add_parser('summary')
    s.add_argument('tallies', nargs='+')
    s.set_defaults(func=cmd_summary)
    args = ap.parse_args()
    sys.exit(args.func(args))


if __name__ == '__main__':
    main()
