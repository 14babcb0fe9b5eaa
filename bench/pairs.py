"""Before/after pairs: one benchmark run alternately from two checkouts on the same machine.

    python -m bench.pairs --before ../katf-before --after . --pairs 3 --scenario rush

Each checkout runs with its own virtualenv (``<checkout>/.venv``) and writes its results into
its own ``bench/results/``; this collects the runs' figures in the order they ran, so a drift
of the machine's speed shows as a drift, not as a difference between the two, and writes them
to ``bench/results/pairs-<scenario>-<time>.{json,md}`` of the checkout it runs from.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
COMMANDS = {
    "rush": ["-m", "bench.run", "--only", "rush"],
    "check-ins": ["-m", "bench.check_ins"],
    "day": ["-m", "bench.run", "--only", "day", "--day-scale"],
}
PATTERNS = {"rush": "2*.json", "check-ins": "check-ins-*.json", "day": "day-*.json"}


def newest(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def figures(scenario: str, rows: list[dict[str, Any]]) -> dict[str, float]:
    """What a run is judged by: throughput and tail latency of its fast configuration."""
    if scenario == "day":
        day = rows[0]
        return {"day_s": day["day_s"], "preparation_s": day["preparation_s"]}
    fast = next(r for r in rows if r.get("batched", "batched" in str(r.get("scenario"))))
    rate = fast.get("accepted_per_second") or fast.get("accepted_per_s")
    naive = next((r for r in rows if r is not fast and "naive" in str(r.get("scenario"))), None)
    out = {"accepted_per_s": float(rate), "p99_ms": float(fast["p99_ms"])}
    web_cpu = sum(v for k, v in fast.get("cpu_s", {}).items() if k.startswith("web"))
    if web_cpu and fast.get("requests"):  # steadier than a rate on a busy machine
        out["web_cpu_ms_per_request"] = round(1000 * web_cpu / fast["requests"], 3)
    if naive is not None:
        naive_rate = naive.get("accepted_per_second") or naive.get("accepted_per_s")
        out["ratio_to_naive"] = round(float(rate) / float(naive_rate), 2)
    return out


def run_once(checkout: Path, scenario: str, scale: str) -> dict[str, float]:
    command = [str(checkout / ".venv/bin/python"), *COMMANDS[scenario]]
    if scenario == "day":
        command.append(scale)
    started = time.time()
    subprocess.run(command, cwd=checkout, check=True)
    result = newest(checkout / "bench/results", PATTERNS[scenario])
    if result is None or result.stat().st_mtime < started:
        raise RuntimeError(f"{checkout}: the run wrote no result")
    rows = json.loads(result.read_text())
    return figures(scenario, rows if isinstance(rows, list) else [rows])


def summary(runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    by_side: dict[str, dict[str, float]] = {}
    for side in ("before", "after"):
        mine = [r["figures"] for r in runs if r["side"] == side]
        by_side[side] = {key: round(statistics.median(f[key] for f in mine), 2) for key in mine[0]}
    return by_side


def markdown(scenario: str, note: str, runs: list[dict[str, Any]]) -> str:
    keys = list(runs[0]["figures"])
    lines = [
        f"# Before/after pairs: {scenario}",
        "",
        note,
        "",
        "| run | side | " + " | ".join(keys) + " |",
        "|---|---|" + "---|" * len(keys),
    ]
    for number, run in enumerate(runs, start=1):
        values = " | ".join(str(run["figures"][k]) for k in keys)
        lines.append(f"| {number} | {run['side']} | {values} |")
    lines += ["", "Medians:", ""]
    for side, medians in summary(runs).items():
        lines.append(f"- {side}: " + ", ".join(f"{k} {v}" for k, v in medians.items()))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--scenario", choices=sorted(COMMANDS), default="rush")
    parser.add_argument("--day-scale", default="0.2")
    parser.add_argument("--note", default="", help="what the two checkouts are")
    args = parser.parse_args()
    runs: list[dict[str, Any]] = []
    for pair in range(args.pairs):
        order = ("before", "after") if pair % 2 == 0 else ("after", "before")
        for side in order:
            checkout = (args.before if side == "before" else args.after).resolve()
            figures_ = run_once(checkout, args.scenario, args.day_scale)
            runs.append({"side": side, "figures": figures_})
            print(side, figures_, flush=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = RESULTS / f"pairs-{args.scenario}-{stamp}"
    name.with_suffix(".json").write_text(json.dumps(runs, indent=2) + "\n")
    name.with_suffix(".md").write_text(markdown(args.scenario, args.note, runs))
    print(markdown(args.scenario, args.note, runs))


if __name__ == "__main__":
    main()
