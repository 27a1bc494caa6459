#!/usr/bin/env python3
"""Chart of a `renewsim optimise` search: cost against probability.

    python3 analysis/optimise.py DIR [--quiet]

Reads DIR/candidates.csv, DIR/tradeoff.csv and DIR/optimisation.json and
writes DIR/optimise.png (under a temporary name, renamed when done): every
candidate of the search (grey), the trade-off curve of the candidates no
other beats on both cost and probability (a step line), the packages
evaluated again on fresh replications with their 95 % intervals (blue), the
required probability (dashed) and the best package (red).
"""
import json
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
    cand = pd.read_csv(folder / "candidates.csv")
    front = pd.read_csv(folder / "tradeoff.csv")
    meta = json.loads((folder / "optimisation.json").read_text())
    ok = cand[cand["status"] == "ok"]
    if ok.empty:
        print("optimise.py: no candidate was evaluated", file=sys.stderr)
        return 1
    fig, ax = plt.subplots(figsize=(8, 5))
    search = ok[ok["stage"] == "search"]
    ax.scatter(search["cost"], search["probability"], s=14, color="tab:grey", alpha=0.5, label="search candidates")
    f = front[front["stage"] == "search"].sort_values("cost")
    if not f.empty:
        ax.step(f["cost"], f["probability"], where="post", color="tab:grey", lw=1.2, label="trade-off (search)")
    again = ok[ok["stage"] == "reevaluation"]
    if not again.empty:
        ax.errorbar(again["cost"], again["probability"],
                    yerr=[again["probability"] - again["probability_lo"], again["probability_hi"] - again["probability"]],
                    fmt="o", color="tab:blue", capsize=3, label="re-evaluated (95 % interval)")
    ax.axhline(meta["probability_required"], color="black", ls="--", lw=0.8,
               label=f"required P = {meta['probability_required']:g}")
    best = meta.get("best")
    if best:
        ax.plot([best["cost"]], [best["probability"]], marker="*", ms=14, color="tab:red", ls="none", label="best")
    ax.set_xlabel(meta["cost"])
    ax.set_ylabel(f"P({meta['target']})")
    ax.set_ylim(-0.03, 1.03)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"Cheapest package meeting {meta['target']}", fontsize=10)
    fig.tight_layout()
    out = folder / "optimise.png"
    return save_chart(fig, out, argv, "optimise.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
