#!/usr/bin/env python3
"""Prints the headline indicators of a `renewsim run` output directory.

    /usr/bin/python3 analysis/summarise.py results/default

Reads summary.csv (variant, year, metric, replications, mean, p05, p50, p95)
and prints, for the policy variant, per year, the median and 90 % interval of equipment investment, its growth
over 2023, the CNC rate, the digital-tool rate and the benchmark share.
"""
import sys
from pathlib import Path

import pandas as pd

METRICS = [
    ("equipment_investment", "equipment investment, bn RMB", 1e-9),
    ("equipment_investment_growth_vs_2023", "investment vs 2023, %", 100),
    ("cnc_rate", "key-process CNC rate, %", 100),
    ("digital_tool_rate", "digital R&D tool rate, %", 100),
    ("capacity_share.energy_class.benchmark", "capacity at benchmark, %", 100),
]


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = Path(argv[1]) / "summary.csv"
    if not path.is_file():
        print(f"summarise: {path}: no such file (run `renewsim run` first)", file=sys.stderr)
        return 2
    s = pd.read_csv(path)
    s = s[s["variant"] == "policy"]
    years = sorted(s["year"].unique())
    print(f"{'':34}" + "".join(f"{y:>16}" for y in years))
    for metric, label, scale in METRICS:
        rows = s[s["metric"] == metric].set_index("year")
        cells = []
        for y in years:
            if y in rows.index:
                r = rows.loc[y]
                cells.append(f"{r['p50'] * scale:7.1f} [{r['p05'] * scale:.0f},{r['p95'] * scale:.0f}]")
            else:
                cells.append("-")
        print(f"{label:34}" + "".join(f"{c:>16}" for c in cells))
    print("median [5 %, 95 %] over replications; columns per year")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
