"""Load benchmark of the web application: 200 concurrent page and query requests on
127.0.0.1, with a cross-product query running to the time limit beside them.

Run on demand (never in CI). Starts ``oncokg serve`` on a free port over a new store folder
(the curated graph), then for each of ``--rounds`` rounds:

1. the baseline: every request of the mix once, one at a time (latency with no contention);
2. the load: the same 200 requests all at once (one connection each, bounded by nothing but
   the server), while one client sends a cross product that must be stopped at the server's
   time limit with a 503, and every other request must succeed.

Prints p50 and p95 latency per kind of request, their ratio to the baseline, and the
cross-product's fate; writes ``build/bench-web.json``. The server is stopped with SIGTERM.

    python scripts/bench_web.py                # 3 rounds, 200 requests, 5 s limit
    python scripts/bench_web.py --requests 400 --workers 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.conftest import start_serve  # noqa: E402  (the tests' own way to start the server)

ASK = urllib.parse.urlencode({"query": "ASK { okr:imatinib a okg:Drug }", "format": "json"})
SELECT = urllib.parse.urlencode(
    {"query": "SELECT ?d ?l WHERE { ?d a okg:Drug ; rdfs:label ?l }", "format": "json"}
)
CROSS_PRODUCT = urllib.parse.urlencode(
    {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
)
MIX = {
    "drug page": "/resource/imatinib",
    "trial page": "/resource/trial-002-imforte",
    "claim page": "/resource/s002-cmp-os",
    "search": "/search.json?q=%E8%88%92%E5%B0%BC",
    "forest plot": "/plots/forest?endpoint=OS",
    "turtle": "/resource/sotorasib.ttl",
    "query ASK": f"/query?{ASK}",
    "query SELECT": f"/query?{SELECT}",
}


@dataclass(frozen=True)
class Sample:
    kind: str
    ms: float
    status: int


@dataclass(frozen=True)
class Round:
    baseline: list[Sample]
    loaded: list[Sample]
    wall_s: float
    cross: Sample


async def timed(client: httpx.AsyncClient, kind: str, path: str) -> Sample:
    started = time.perf_counter()
    response = await client.get(path)
    return Sample(kind, (time.perf_counter() - started) * 1000, response.status_code)


async def one_round(url: str, requests: int) -> Round:
    kinds = list(MIX)
    plan = [kinds[i % len(kinds)] for i in range(requests)]
    limits = httpx.Limits(max_connections=requests + 1, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        baseline = [await timed(client, kind, MIX[kind]) for kind in kinds for _ in range(3)]
        slow = asyncio.create_task(timed(client, "cross product", f"/query?{CROSS_PRODUCT}"))
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        loaded = await asyncio.gather(*(timed(client, kind, MIX[kind]) for kind in plan))
        wall = time.perf_counter() - started
        cross = await slow
    return Round(baseline, list(loaded), wall, cross)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's time limit")
    parser.add_argument("--workers", type=int, default=2, help="the server's query workers")
    args = parser.parse_args()
    BUILD.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-web-", dir=BUILD) as folder:
        serving = start_serve(
            Path(folder) / "store", "--timeout", str(args.timeout), "--workers", str(args.workers)
        )
        try:
            rounds = [
                asyncio.run(one_round(serving.url, args.requests)) for _ in range(args.rounds)
            ]
        finally:
            serving.process.send_signal(signal.SIGTERM)
            serving.process.wait(timeout=30)
    loaded = [sample for one in rounds for sample in one.loaded]
    errors = [sample for sample in loaded if sample.status != 200]
    print(
        f"{args.requests} concurrent requests x {args.rounds} rounds, {args.workers} workers, "
        f"time limit {args.timeout:g} s"
    )
    print(f"{'request':<14} {'alone p50':>10} {'loaded p50':>11} {'loaded p95':>11} {'x alone':>8}")
    kinds: dict[str, dict[str, float]] = {}
    for kind in MIX:
        alone = [s.ms for one in rounds for s in one.baseline if s.kind == kind]
        under_load = [s.ms for s in loaded if s.kind == kind]
        base = statistics.median(alone)
        p50, p95 = percentile(under_load, 0.5), percentile(under_load, 0.95)
        print(f"{kind:<14} {base:>9.1f}  {p50:>10.1f}  {p95:>10.1f}  {p50 / base:>7.1f}")
        kinds[kind] = {
            "alone_p50_ms": round(base, 1),
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
        }
    every = [s.ms for s in loaded]
    wall = statistics.median(one.wall_s for one in rounds)
    print(
        f"{'all':<14} {'':>10} {percentile(every, 0.5):>10.1f}  {percentile(every, 0.95):>10.1f}"
        f"   (median wall {wall:.2f} s for {args.requests}; errors: {len(errors)})"
    )
    for one in rounds:
        print(f"cross product: HTTP {one.cross.status} after {one.cross.ms / 1000:.1f} s")
    report = {
        "requests": args.requests,
        "rounds": args.rounds,
        "workers": args.workers,
        "time_limit_s": args.timeout,
        "errors": len(errors),
        "p50_ms": round(percentile(every, 0.5), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "wall_s": round(wall, 2),
        "kinds": kinds,
        "cross_product": [
            {"status": o.cross.status, "s": round(o.cross.ms / 1000, 1)} for o in rounds
        ],
    }
    (BUILD / "bench-web.json").write_text(json.dumps(report, indent=1) + "\n")
    if errors or any(one.cross.status != 503 for one in rounds):
        raise SystemExit(f"failed: {len(errors)} errors, or a cross product was not stopped")


if __name__ == "__main__":
    main()
