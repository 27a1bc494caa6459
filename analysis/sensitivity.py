#!/usr/bin/env python3
"""Chart of `renewsim sensitivity` indices.

    python3 analysis/sensitivity.py DIR [--quiet]

Reads DIR/indices.csv and writes DIR/sensitivity.png (under a temporary name,
renamed when done): one panel per output, parameters from the most to the
least influential (a tornado). Morris: mu* bars with sigma as whiskers.
Sobol: first-order S and total ST bars with their 95 % bootstrap intervals.
"""
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from report import folder_argument, save_chart  # noqa: E402


def main(argv):
    folder = folder_argument(argv, __doc__)
    if folder is None:
        return 2
    idx = pd.read_csv(folder / "indices.csv")
    morris = idx["mu_star"].notna().any()
    outputs = list(dict.fromkeys(idx["output"]))
    if not outputs:
        print("sensitivity.py: indices.csv has no output", file=sys.stderr)
        return 1
    cols = min(3, len(outputs))
    rows = math.ceil(len(outputs) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 0.5 + 0.45 * len(set(idx["parameter"])) * rows + 1.2 * rows),
                             squeeze=False)
    for ax, out in zip(axes.flat, outputs):
        d = idx[idx["output"] == out]
        if morris:
            d = d.sort_values("mu_star")
            ax.barh(d["parameter"], d["mu_star"], xerr=d["sigma"], color="tab:blue", alpha=0.8, capsize=3)
            ax.set_xlabel("mu* (whiskers: sigma)")
        else:
            d = d.sort_values("total")
            y = range(len(d))
            # A bootstrap percentile interval need not hold the estimate: whiskers from 0.
            def whiskers(v, lo, hi):
                return [(d[v] - d[lo]).clip(lower=0), (d[hi] - d[v]).clip(lower=0)]
            ax.barh([i + 0.2 for i in y], d["total"], height=0.4, label="total ST", color="tab:orange",
                    xerr=whiskers("total", "total_lo", "total_hi"), capsize=3)
            ax.barh([i - 0.2 for i in y], d["first"], height=0.4, label="first-order S", color="tab:blue",
                    xerr=whiskers("first", "first_lo", "first_hi"), capsize=3)
            ax.set_yticks(list(y))
            ax.set_yticklabels(d["parameter"])
            ax.set_xlabel("share of the output's variance")
            ax.legend(fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(out, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(outputs):]:
        ax.axis("off")
    fig.suptitle("Morris elementary effects" if morris else "Sobol indices")
    fig.tight_layout()
    out = folder / "sensitivity.png"
    return save_chart(fig, out, argv, "sensitivity.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
