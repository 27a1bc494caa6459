#!/usr/bin/env python3
"""Chart of a `renewsim calibrate` fit.

    python3 analysis/calibration.py DIR [--quiet]

Reads DIR/fit.csv and DIR/evaluations.csv and writes DIR/calibration.png
(under a temporary name, renamed when done). Left: each moment's error at the
fit in units of its standard error (z), with the simulation's own standard
error as whiskers. Right: every candidate's distance by generation (log
scale), with each generation's best, which shows how the search settled.
"""
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
    fit = pd.read_csv(folder / "fit.csv")
    ev = pd.read_csv(folder / "evaluations.csv")
    if fit.empty:
        print("calibration.py: fit.csv has no moment", file=sys.stderr)
        return 1
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.8 + max(2.5, 0.45 * len(fit))),
                                      gridspec_kw={"width_ratios": [1.2, 1]})
    y = range(len(fit))
    sim_z = (fit["simulation_se"] / fit["sd"]).fillna(0)
    left.barh(list(y), fit["z"], xerr=sim_z, color="tab:blue", alpha=0.8, capsize=3)
    left.axvline(0, color="black", lw=0.8)
    for v in (-2, 2):
        left.axvline(v, color="grey", lw=0.8, ls="--")
    left.set_yticks(list(y))
    left.set_yticklabels(fit["moment"], fontsize=8)
    left.set_xlabel("(simulated - observed) / sd   (whiskers: simulation se / sd)")
    left.set_title("Moments at the fit", fontsize=10)
    ok = ev[ev["status"] == "ok"]
    if not ok.empty:
        right.scatter(ok["generation"] + 1, ok["distance"].clip(lower=1e-12), s=10, alpha=0.5, color="tab:grey",
                      label="candidates")
        best = ok.groupby("generation")["distance"].min()
        right.plot(best.index + 1, best.clip(lower=1e-12).values, color="tab:red", marker="o", ms=3,
                   label="best of each generation")
        right.set_yscale("log")
        right.legend(fontsize=8)
    right.set_xlabel("generation")
    right.set_ylabel("distance (sum of squared z)")
    right.set_title("Search", fontsize=10)
    right.grid(alpha=0.3)
    fig.tight_layout()
    out = folder / "calibration.png"
    return save_chart(fig, out, argv, "calibration.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
