"""The newsroom day's report: a markdown table, one JSON file and a plot.

    report.py --out results/ [--name newsroom_day] run1.json ... [--meta k=v]

Writes ``<name>.json`` (every set-up's numbers), ``<name>.md`` (the table
printed here) and ``<name>.png`` (latency percentiles per
page kind and set-up; readers' throughput over time with the writes marked).
"""

import argparse
import json
from pathlib import Path

WRITE_COLOURS = {
    "publish": "tab:green",
    "edit": "tab:blue",
    "comment": "tab:gray",
    "takedown": "tab:red",
}
READER_KINDS = [
    "article",
    "article, archive",
    "home",
    "section",
    "tag",
    "contributor",
    "search",
    "feed",
    "sitemap",
    "crawler",
    "oracle",
]


def _ms(value) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _pct(share) -> str:
    return "–" if share is None else f"{100 * share:.1f} %"


def _bound(result: dict | None, wrk: dict | None) -> str:
    if not result:
        return "–"
    text = f"{result['rps']:,.0f} req/s, p50 {_ms(result['p50'])} ms"
    if wrk:
        text += f" (wrk: {wrk['rps']:,.0f}, p50 {_ms(wrk['p50'])} ms)"
    return text


def table(runs: list[dict]) -> str:
    out = []
    names = [run["setup"] for run in runs]
    out.append(
        "| set-up | readers req/s | % of bare | bare req/s (wrk) | served from a "
        "cache | Varnish hits | page-cache hits (of what reached Django) | reader "
        "p50 / p99 ms | errors | crawler pages/s (not sent) | stale / checks | "
        "search lag | writes ok |"
    )
    out.append("|" + " --- |" * 13)
    for run in runs:
        r = run["readers"]
        o = run["oracle"]
        wrk = run.get("bare_wrk") or {}
        crawler = run.get("crawler") or {}
        ok = sum(1 for w in run["writes"] if w.get("ok"))
        lag = (
            f"{o['search_lagged']} late, max {o['search_lag_max_s']} s"
            if o["search_lagged"]
            else "none"
        )
        out.append(
            f"| {run['setup']} | {r['rps']:,.0f} | {r['pct_of_bare']} % | "
            f"{run['bare']['rps']:,.0f} ({wrk.get('rps', 0):,.0f}) | "
            f"{_pct(r.get('from_cache'))} | {_pct(r.get('front_hit'))} | "
            f"{_pct(r.get('page_hit'))} | {_ms(r['p50'])} / {_ms(r['p99'])} | "
            f"{r['failed']} | {crawler.get('answered_in_time', '–')} "
            f"({crawler.get('not_sent', '–')}) | {o['stale']} / {o['checks']} | "
            f"{lag} | {ok} / {len(run['writes'])} |"
        )
    out.append("")
    out.append("p50 / p99 ms per page kind (req/s; share served from a cache):")
    out.append("")
    out.append("| page kind | " + " | ".join(names) + " |")
    out.append("| --- |" + " ---: |" * len(names))
    for kind in READER_KINDS:
        cells = []
        for run in runs:
            k = run["kinds"].get(kind)
            if not k:
                cells.append("–")
                continue
            cells.append(
                f"{_ms(k['p50'])} / {_ms(k['p99'])} ({k['rps']:,.1f}; "
                f"{_pct(k.get('from_cache'))})"
            )
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Write latency, POST until the admin's redirect (p50 / max ms, count):")
    out.append("")
    out.append("| write | " + " | ".join(names) + " |")
    out.append("| --- |" + " ---: |" * len(names))
    for kind in WRITE_COLOURS:
        cells = []
        for run in runs:
            w = run["write_latency"].get(kind)
            cells.append(f"{_ms(w['p50'])} / {_ms(w['max'])} ({w['n']})" if w else "–")
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    for run in runs:
        if run.get("nginx_static"):
            out.append("")
            out.append(
                f"Bounds measured in the {run['setup']} set-up, {run['connections']} "
                "connections, the readers' own loop (wrk in brackets):"
            )
            out.append("")
            out.append(
                "- bare Django view (gunicorn): "
                + _bound(run["bare"], run.get("bare_wrk"))
            )
            out.append(
                f"- one article page, Varnish hit: "
                f"{_bound(run['front_one_page'], run.get('front_one_page_wrk'))}"
            )
            out.append(
                f"- the same {run['page_bytes']:,} bytes, nginx static file: "
                f"{_bound(run['nginx_static'], run.get('nginx_static_wrk'))}"
            )
    problems = []
    for run in runs:
        for stale in run["oracle"]["stale_pages"]:
            problems.append(
                f"- {run['setup']}: STALE {stale['url']} ({stale['mode']} "
                f"{stale['expected']!r}; HTTP {stale['status']}, X-Cache "
                f"{stale['x_cache'] or '-'}, X-Page-Cache "
                f"{stale['x_page_cache'] or '-'}, {stale['after_write_s']} s "
                f"after write {stale['write']}, "
                f"{run['writes'][stale['write']]['kind']})"
            )
        for write in run["failed_writes"]:
            problems.append(
                f"- {run['setup']}: write failed: {write['kind']} at "
                f"{write['t']} s: {write['error']}"
            )
        for kind, k in run["kinds"].items():
            bad = {s: n for s, n in k["statuses"].items() if s == "0" or s >= "500"}
            if bad:
                problems.append(f"- {run['setup']}: {kind}: HTTP status counts {bad}")
        log = run.get("server_log") or {}
        if log.get("error_lines") or log.get("tracebacks"):
            problems.append(
                f"- {run['setup']}: server log: {log['tracebacks']} tracebacks, "
                f"{log['error_lines']} error lines, first: {log['first'][:3]}"
            )
    if problems:
        out.append("")
        out.append("Problems seen:")
        out.append("")
        out += problems
    return "\n".join(out)


def plot(runs: list[dict], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(
        1 + len(runs),
        1,
        figsize=(13, 4.2 * (1 + len(runs))),
        gridspec_kw={"height_ratios": [1.5] + [1] * len(runs)},
    )
    top = axes[0]
    kinds = [k for k in READER_KINDS if any(k in run["kinds"] for run in runs)]
    width = 0.8 / len(runs)
    colours = ["tab:orange", "tab:purple", "tab:brown", "tab:olive"]
    for i, run in enumerate(runs):
        xs = [j + (i - (len(runs) - 1) / 2) * width for j in range(len(kinds))]
        p99 = [(run["kinds"].get(k) or {}).get("p99") or 0 for k in kinds]
        p50 = [(run["kinds"].get(k) or {}).get("p50") or 0 for k in kinds]
        colour = colours[i % len(colours)]
        top.bar(
            xs, p99, width * 0.95, color=colour, alpha=0.35, label=f"{run['setup']} p99"
        )
        top.bar(xs, p50, width * 0.95, color=colour, label=f"{run['setup']} p50")
    top.set_xticks(range(len(kinds)), kinds, rotation=20)
    top.set_yscale("log")
    top.set_ylabel("latency, ms (log)")
    top.set_title("Latency per page kind: p50 (solid) and p99 (light), per set-up")
    top.set_ylim(top=top.get_ylim()[1] * 30)  # room for the legend
    top.legend(ncol=len(runs), fontsize=8, loc="upper left")
    top.grid(axis="y", alpha=0.3)
    for ax, run in zip(axes[1:], runs, strict=True):
        seconds = range(len(run["timeline"]))
        ax.plot(seconds, run["timeline"], color="black", label="readers, req/s")
        ax.plot(seconds, run["crawler_timeline"], color="tab:cyan", label="crawler")
        top_rps = max([*run["timeline"], *run["crawler_timeline"], 1])
        if run["bare"]["rps"] < 1.5 * top_rps:
            ax.axhline(
                run["bare"]["rps"],
                color="black",
                linestyle=":",
                label="bare view (bound)",
            )
        seen = set()
        for write in run["writes"]:
            kind = write["kind"]
            ax.axvline(
                write["t"],
                color=WRITE_COLOURS[kind],
                alpha=0.8 if kind != "comment" else 0.35,
                linewidth=2 if kind != "comment" else 1,
                label=kind if kind not in seen else None,
                linestyle="-" if write.get("ok") else "--",
            )
            seen.add(kind)
        ax.set_ylim(bottom=0)
        ax.set_xlim(0, len(run["timeline"]))
        ax.set_ylabel("req/s")
        ax.set_title(
            f"{run['setup']}: {run['readers']['rps']:,.0f} req/s, "
            f"{run['readers']['pct_of_bare']} % of bare "
            f"({run['bare']['rps']:,.0f} req/s); stale "
            f"{run['oracle']['stale']} / {run['oracle']['checks']}"
        )
        ax.legend(loc="upper right", fontsize=8, ncol=4)
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel("seconds into the day")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--meta", action="append", default=[])
    parser.add_argument("--name", default="newsroom_day", help="results' file name")
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    runs = [json.loads(Path(p).read_text()) for p in args.runs if Path(p).exists()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = dict(item.split("=", 1) for item in args.meta)
    text = table(runs)
    print(text)
    (out / f"{args.name}.md").write_text(text + "\n")
    (out / f"{args.name}.json").write_text(
        json.dumps({"meta": meta, "setups": runs}, indent=1, ensure_ascii=False)
    )
    if plot(runs, out / f"{args.name}.png"):
        print(f"\n  plot: {out / args.name}.png")
    else:
        print("\n  no plot: matplotlib is not installed")


if __name__ == "__main__":
    main()
