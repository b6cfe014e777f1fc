#!/usr/bin/env python3
"""The benchmark table: each figure of a run beside its target and the last recorded figure.

    python3 tests/benches/table.py tests/benches/baseline.json results.txt [--record]

`results.txt` holds `bench: <key> <value> <unit>` lines. A figure more than 25% worse than the
recorded one is flagged WORSE; one that misses its target is marked. `--record` writes the
run's figures into the baseline as the new "last" values (a deliberate step, committed with the
change that moved them).
"""
import json
import sys
from datetime import date

WORSE = 1.25


def load_results(path):
    figures = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "bench:":
                figures[parts[1]] = (float(parts[2]), parts[3] if len(parts) > 3 else "")
    return figures


def fmt(value):
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    baseline_path, results_path = argv[1], argv[2]
    record = "--record" in argv[3:]
    with open(baseline_path, encoding="utf-8") as f:
        baseline = json.load(f)
    known = baseline["figures"]
    run = load_results(results_path)

    rows = [("figure", "now", "unit", "target", "last", "now/last", "")]
    flagged, missed = [], []
    for key, (value, unit) in run.items():
        spec = known.get(key, {})
        lower = spec.get("better", "lower") == "lower"
        target, last = spec.get("target"), spec.get("last")
        ratio = value / last if last else None
        notes = []
        if ratio is not None and ((lower and ratio > WORSE) or (not lower and ratio < 1 / WORSE)):
            notes.append("WORSE")
            flagged.append(key)
        if target is not None and ((lower and value > target) or (not lower and value < target)):
            notes.append("misses target")
            missed.append(key)
        if not spec:
            notes.append("new")
        bound = "" if target is None else ("≤ " if lower else "≥ ") + fmt(target)
        rows.append((spec.get("label", key), fmt(value), unit, bound, fmt(last),
                     "—" if ratio is None else f"{ratio:.2f}", " ".join(notes)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if i in (0, 2, 6) else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))

    peers = [p for p in baseline.get("peers", []) if p["of"] in run and p["peer"] in run]
    if peers:
        print()
        for p in peers:
            print(f"{p['label']}: {run[p['peer']][0] / run[p['of']][0]:.1f}× "
                  f"({fmt(run[p['peer']][0])} vs {fmt(run[p['of']][0])} {run[p['of']][1]})")
    print()
    print(f"{len(run)} figures; {len(flagged)} more than {int((WORSE - 1) * 100)}% worse than "
          f"recorded{': ' + ', '.join(flagged) if flagged else ''}; {len(missed)} miss their "
          f"target{': ' + ', '.join(missed) if missed else ''}")

    if record:
        for key, (value, unit) in run.items():
            known.setdefault(key, {"label": key, "better": "lower"})
            known[key]["last"] = round(value, 3)
            known[key]["unit"] = unit
        baseline["recorded"] = str(date.today())
        with open(baseline_path, "w", encoding="utf-8") as f:
            json.dump(baseline, f, indent=2, ensure_ascii=False)
            f.write("\n")
        print(f"recorded {len(run)} figures in {baseline_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
