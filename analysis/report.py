#!/usr/bin/env python3
"""Charts and a self-contained HTML report of a `renewsim run` output directory.

    python3 analysis/report.py DIR [--quiet]

Reads DIR/series.csv, targets.csv, levers.csv and manifest.json and writes
into DIR:
  charts/target_<name>.png   fan chart of each modelled target's measure over
                             time (median, 50 % and 90 % bands over
                             replications), the counterfactual's median and the
                             target line;
  charts/levers_induced.png  investment each new lever induced (median, 90 %
                             interval) and its outlay over the policy window;
  charts/fiscal_outlay.png   fiscal outlay by lever and year (policy, mean);
  report.html                the charts (embedded), the targets table and the
                             headline figures: one file that opens offline.
Files are written under temporary names and renamed when complete.
"""
import base64
import html
import io
import json
import math
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def is_extensive(metric):
    # As the simulator decides it: rates, shares and growth rates are named so.
    return not any(word in metric for word in ("rate", "share", "growth"))


def measure_series(wide, t, scale):
    """The target's measure by year, one column per replication (rows: years)."""
    m = wide.copy()
    if is_extensive(t["metric"]) and t["measure"] in ("level", "sum", "change"):
        m = m / scale
    measure = t["measure"]
    if measure == "growth":
        base = int(t["base_year"])
        return m.div(m.loc[base]) - 1.0 if base in m.index else None
    if measure == "change":
        base = int(t["base_year"])
        return m - m.loc[base] if base in m.index else None
    if measure == "sum":
        first = int(t["from_year"])
        return m[m.index >= first].cumsum()
    if measure == "yearly_growth":
        return m / m.shift(1) - 1.0
    return m


def unit_of(t):
    if t["measure"] in ("growth", "yearly_growth"):
        return "%", 100.0
    if not is_extensive(t["metric"]):
        return ("pp" if t["measure"] == "change" else "%"), 100.0
    return "", 1.0


def png_bytes(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def fan_chart(t, policy, counterfactual, scale):
    unit, factor = unit_of(t)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    pm = measure_series(policy, t, scale)
    if pm is None or pm.dropna(how="all").empty:
        ax.text(0.5, 0.5, "no values", ha="center", va="center", transform=ax.transAxes)
    else:
        pm = pm.dropna(how="all") * factor
        q = pm.quantile([0.05, 0.25, 0.5, 0.75, 0.95], axis=1).T
        ax.fill_between(q.index, q[0.05], q[0.95], color="#9ecae1", alpha=0.6, label="90 % band")
        ax.fill_between(q.index, q[0.25], q[0.75], color="#4292c6", alpha=0.6, label="50 % band")
        ax.plot(q.index, q[0.5], color="#08306b", lw=2, label="policy, median")
        if counterfactual is not None:
            cm = measure_series(counterfactual, t, scale)
            if cm is not None:
                cm = cm.dropna(how="all") * factor
                ax.plot(cm.index, cm.median(axis=1), color="#a50f15", lw=1.5, ls="--",
                        label="no new policy, median")
    target = float(t["value"]) * factor
    ax.axhline(target, color="#238b45", lw=1.2, ls=":")
    ax.plot([int(t["year"])], [target], marker="D", color="#238b45", label=f"target {t['comparison']} {target:g}{unit}")
    ax.set_title(f"{t['target']}: {t['metric']} ({t['measure']})", fontsize=10)
    ax.set_ylabel(unit if unit else "value")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    return png_bytes(fig)


def lever_chart(levers):
    per = levers.drop_duplicates("lever")
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(per) + 1.4))
    y = range(len(per))
    med = per["induced_investment_median"] / 1e9
    lo = med - per["induced_investment_p05"] / 1e9
    hi = per["induced_investment_p95"] / 1e9 - med
    ax.barh(list(y), med, xerr=[lo.clip(lower=0), hi.clip(lower=0)], color="#4292c6", label="induced investment")
    ax.barh([i + 0.3 for i in y], per["outlay"] / 1e9, height=0.3, color="#fd8d3c", label="outlay")
    ax.set_yticks(list(y))
    ax.set_yticklabels(per["lever"], fontsize=8)
    ax.set_xlabel("bn RMB over the policy window (induced: median, 90 % interval)")
    ax.axvline(0, color="black", lw=0.8)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="x")
    return png_bytes(fig)


def fiscal_chart(series, first, last):
    rows = series[(series["variant"] == "policy") & series["metric"].str.match(r"^lever\..*\.outlay$")]
    rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    if rows.empty:
        ax.text(0.5, 0.5, "no fiscal outlay", ha="center", va="center", transform=ax.transAxes)
    else:
        mean = rows.groupby(["year", "metric"])["value"].mean().unstack(fill_value=0) / 1e9
        mean.columns = [c[len("lever."):-len(".outlay")] for c in mean.columns]
        bottom = None
        for col in mean.columns:
            ax.bar(mean.index, mean[col], bottom=bottom, label=col)
            bottom = mean[col] if bottom is None else bottom + mean[col]
        ax.legend(fontsize=7, ncol=2)
    ax.set_ylabel("bn RMB (mean over replications)")
    ax.set_title("fiscal outlay by lever", fontsize=10)
    ax.grid(alpha=0.3, axis="y")
    return png_bytes(fig)


def fmt(v, unit="", factor=1.0):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    x = float(v) * factor
    if unit:
        return f"{x:.1f} {unit}"
    a = abs(x)
    if a >= 1e9:
        return f"{x / 1e9:.2f} bn"
    if a >= 1e6:
        return f"{x / 1e6:.1f} m"
    return f"{x:.0f}" if a >= 100 or x == int(x) else f"{x:.3g}"


def write_atomically(path, data):
    tmp = path.with_name("." + path.name + ".partial")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def folder_argument(argv, doc):
    """The one folder a chart script takes (besides --quiet), or None after printing its usage."""
    args = [a for a in argv if a != "--quiet"]
    if len(args) != 1:
        print(doc, file=sys.stderr)
        return None
    return Path(args[0])


def save_chart(fig, path, argv, script):
    """Writes the figure as PNG under a temporary name, renamed when done; says so unless --quiet."""
    write_atomically(path, png_bytes(fig))
    if "--quiet" not in argv:
        print(f"{script}: wrote {path}", file=sys.stderr)
    return 0


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    quiet = "--quiet" in argv[1:]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(args[0])
    for name in ("series.csv", "targets.csv", "levers.csv", "manifest.json"):
        if not (out / name).is_file():
            print(f"report: {out / name}: no such file (run `renewsim run` first)", file=sys.stderr)
            return 2
    manifest = json.loads((out / "manifest.json").read_text())
    assessment = manifest.get("assessment", {})
    first, last = int(assessment.get("first_year", 2024)), int(assessment.get("last_year", 2100))
    scale = float(assessment.get("population_scale", 1.0))
    series = pd.read_csv(out / "series.csv")
    targets = pd.read_csv(out / "targets.csv", dtype={"note": str, "description": str, "source": str})
    levers = pd.read_csv(out / "levers.csv")

    charts = []  # (title, file name, png bytes)
    modelled = targets[targets["status"] == "modelled"]
    for _, t in modelled.iterrows():
        def wide(variant):
            r = series[(series["variant"] == variant) & (series["metric"] == t["metric"])]
            if r.empty:
                return None
            return r.pivot(index="year", columns="replication", values="value").sort_index()
        policy = wide("policy")
        if policy is None:
            continue
        png = fan_chart(t, policy, wide("counterfactual"), scale)
        charts.append((f"Target {t['target']}", f"target_{t['target']}.png", png))
    if not levers.empty:
        charts.append(("Lever attribution", "levers_induced.png", lever_chart(levers)))
    charts.append(("Fiscal outlay", "fiscal_outlay.png", fiscal_chart(series, first, last)))

    chart_dir = out / "charts"
    chart_dir.mkdir(exist_ok=True)
    for _, name, png in charts:
        write_atomically(chart_dir / name, png)

    # The targets table.
    rows = []
    for _, t in targets.iterrows():
        if t["status"] == "modelled":
            unit, factor = unit_of(t)
            cells = [t["target"], str(t["year"]), f"{t['comparison']} {fmt(t['value'], unit, factor)}",
                     f"{fmt(t['median'], unit, factor)} [{fmt(t['p05'], unit, factor)}, {fmt(t['p95'], unit, factor)}]",
                     fmt(t["probability"], "", 1.0) if pd.isna(t["probability"]) else f"{t['probability']:.2f}",
                     f"{fmt(t['counterfactual_median'], unit, factor)}"
                     + ("" if pd.isna(t["counterfactual_probability"]) else f" (P {t['counterfactual_probability']:.2f})"),
                     str(t["source"]) if not pd.isna(t["source"]) else ""]
        else:
            cells = [t["target"], str(t["year"]), "not modelled", str(t["note"]) if not pd.isna(t["note"]) else "", "",
                     "", str(t["source"]) if not pd.isna(t["source"]) else ""]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    headline = []
    labels = [("equipment_investment", "equipment investment"), ("fiscal_outlay", "fiscal outlay, all levers"),
              ("new_policy_outlay", "fiscal outlay, new levers"), ("net_fiscal_cost", "net fiscal cost"),
              ("additional_investment", "additional investment"), ("supported_projects", "supported projects"),
              ("deadweight_projects", "deadweight projects")]
    for key, label in labels:
        s = assessment.get(key)
        if isinstance(s, dict) and s.get("p50") is not None:
            headline.append(f"<tr><td>{label}</td><td>{fmt(s['p50'])} [{fmt(s['p05'])}, {fmt(s['p95'])}]</td></tr>")
    for key, label, unit in [("leverage", "leverage (additional investment per RMB of net cost)", ""),
                             ("deadweight_share", "deadweight share", "%")]:
        v = assessment.get(key)
        text = "-" if v is None else (f"{v * 100:.1f} %" if unit == "%" else f"{v:.2f}")
        headline.append(f"<tr><td>{label}</td><td>{text}</td></tr>")

    figures = []
    for title, name, png in charts:
        data = base64.b64encode(png).decode("ascii")
        figures.append(f'<figure><img class="chart" alt="{html.escape(title)}" src="data:image/png;base64,{data}">'
                       f"<figcaption>{html.escape(title)}</figcaption></figure>")
    scenario = manifest.get("scenario", {})
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>renewsim report: {html.escape(str(scenario.get('name', '')))}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 1100px; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}
td, th {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}
figure {{ display: inline-block; margin: 0.5em; }}
figcaption {{ font-size: 0.85em; color: #444; }}
</style>
<script>
  // Records script errors and, once loaded, how many charts rendered: a test reads #report-status.
  window.reportErrors = 0;
  window.addEventListener("error", function () {{ window.reportErrors += 1; }});
  window.addEventListener("load", function () {{
    var imgs = document.querySelectorAll("img.chart"), ok = 0;
    for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok += 1;
    var s = document.getElementById("report-status");
    s.setAttribute("data-charts", String(imgs.length));
    s.setAttribute("data-loaded", String(ok));
    s.setAttribute("data-errors", String(window.reportErrors));
    s.textContent = ok + " of " + imgs.length + " charts loaded";
  }});
</script>
</head><body>
<h1>{html.escape(str(scenario.get('name', '')))}</h1>
<p>{manifest.get('replications')} replications, seed {manifest.get('seed')}, renewsim {html.escape(str(manifest.get('renewsim_version')))}
({html.escape(str(manifest.get('git_revision')))}); scenario hash {html.escape(str(scenario.get('hash_fnv1a64')))};
variants: {html.escape(', '.join(manifest.get('variants', [])))}.</p>
<p id="report-status" data-charts="" data-loaded="" data-errors="">loading</p>
<h2>Targets</h2>
<table><tr><th>target</th><th>year</th><th>target value</th><th>projected median [5 %, 95 %]</th>
<th>P(meet)</th><th>without new policy</th><th>source</th></tr>
{''.join(rows)}
</table>
<h2>Policy window {first}-{last}</h2>
<table>{''.join(headline)}</table>
<h2>Charts</h2>
{''.join(figures)}
</body></html>
"""
    write_atomically(out / "report.html", page.encode("utf-8"))
    if not quiet:
        print(f"report: wrote {out / 'report.html'} and {len(charts)} charts in {chart_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
