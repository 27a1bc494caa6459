#!/usr/bin/env python3
"""Chart of a `renewsim discover` result: the peeling trajectory and the boxes.

    python3 analysis/discover.py SWEEP_DIR TARGET [--quiet]

Reads SWEEP_DIR/discover_<TARGET>_trajectory.csv and _boxes.csv and writes
SWEEP_DIR/discover_<TARGET>.png (under a temporary name, renamed when done):
  left:  coverage against density along each box's peeling trajectory (the
         trade-off PRIM offers; the chosen box marked);
  right: each box's range of every parameter it restricts, as a share of the
         range the sweep covered.
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from report import save_chart  # noqa: E402


def as_number(series):
    """Numbers as they are, dates as days."""
    try:
        return pd.to_numeric(series)
    except (ValueError, TypeError):
        return pd.to_datetime(series).map(pd.Timestamp.toordinal).astype(float)


def main(argv):
    args = [a for a in argv if a != "--quiet"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder, target = Path(args[0]), args[1]
    traj = pd.read_csv(folder / f"discover_{target}_trajectory.csv")
    boxes = pd.read_csv(folder / f"discover_{target}_boxes.csv", keep_default_na=False)

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for box, t in traj.groupby("box"):
        left.plot(t["coverage"], t["density"], marker=".", label=f"box {box}: peeling")
    for _, b in boxes.iterrows():
        left.plot(b["coverage"], b["density"], marker="*", markersize=14, linestyle="none",
                  label=f"box {int(b['box'])}: chosen")
    left.set_xlabel("coverage (share of the points of interest inside)")
    left.set_ylabel("density (share of the points inside that are of interest)")
    left.set_xlim(0, 1.02)
    left.set_ylim(0, 1.02)
    left.grid(alpha=0.3)
    if left.get_legend_handles_labels()[0]:
        left.legend(fontsize=8)
    left.set_title(f"PRIM trajectory: {target}")

    # Ranges as shares of the full range (the trajectory's first box).
    start = traj[traj["step"] == 0]
    first = start.iloc[0] if len(start) else None
    rows = []
    for _, b in (boxes.iterrows() if first is not None else []):
        for n in (b["restricts"].split() if b["restricts"] else []):
            lo_all, hi_all = as_number(pd.Series([first[f"{n}.lo"], first[f"{n}.hi"]]))
            lo, hi = as_number(pd.Series([b[f"{n}.lo"], b[f"{n}.hi"]]))
            span = hi_all - lo_all or 1.0
            rows.append((f"box {int(b['box'])}: {n}\n[{b[f'{n}.lo']}, {b[f'{n}.hi']}]",
                         (lo - lo_all) / span, (hi - lo_all) / span))
    if rows:
        for i, (label, lo, hi) in enumerate(rows):
            right.barh(i, hi - lo, left=lo, color="tab:blue", alpha=0.7)
        right.set_yticks(range(len(rows)))
        right.set_yticklabels([r[0] for r in rows], fontsize=8)
        right.invert_yaxis()
    else:
        right.text(0.5, 0.5, "no box reached the density asked for" if first is not None
                   else "no point is of interest", ha="center", va="center")
        right.set_yticks([])
    right.set_xlim(0, 1)
    right.set_xlabel("share of the swept range")
    right.set_title("boxes: the ranges they restrict")
    fig.tight_layout()

    out = folder / f"discover_{target}.png"
    return save_chart(fig, out, argv, "discover.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
