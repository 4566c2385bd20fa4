"""Benchmark of ``oncokg validate``: the SPARQL-compiled engine against pySHACL and Jena SHACL.

Run on demand (never in CI). For each size, a synthetic graph of OncoKG's shape
(``scripts/synthetic.py``, violations included) is validated by three whole processes, each
run several times: ``oncokg validate --engine sparql``, ``oncokg validate --engine pyshacl``
and Jena SHACL 4.5 (``shacl validate``, Debian's package, on the same triples merged into one
file). It prints the median CPU seconds (user + system) and peak memory of each, their ratios
to ours, and the number of violations each found (they must agree). Results also go to
``build/bench-validate.json``.

    python scripts/bench_validate.py                      # 10k and 100k, 3 runs each
    python scripts/bench_validate.py --sizes 1000000 --runs 1 --skip pyshacl
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT))

from tests.peer.jena import jena_classpath  # noqa: E402

ONTOLOGY = ROOT / "ontology" / "oncokg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"


def measured(command: list[str]) -> tuple[float, float, str]:
    """Run ``command``; its CPU seconds, peak memory in MB and standard output."""
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command[:4]} failed: {text[-500:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def synthetic(size: int) -> Path:
    path = BUILD / f"syn-{size}.nt"
    if not path.is_file():
        script = ROOT / "scripts" / "synthetic.py"
        subprocess.run(
            [sys.executable, str(script), "--triples", str(size), "-o", str(path)], check=True
        )
    return path


def merged_with_ontology(path: Path) -> Path:
    """The ontology and ``path`` in one N-Triples file, for Jena's single --data."""
    merged = path.with_suffix(".with-ontology.nt")
    if not merged.is_file():
        with merged.open("wb") as out:
            ox.serialize(ox.parse(path=str(ONTOLOGY)), out, ox.RdfFormat.N_TRIPLES)
            out.write(path.read_bytes())
    return merged


def violations(engine: str, output: str) -> int:
    if engine == "jena":
        return output.count("sh:ValidationResult") + output.count("shacl#ValidationResult>")
    found = re.search(r"Does not conform: (\d+) violation", output)
    return int(found[1]) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=["pyshacl", "jena"])
    args = parser.parse_args()
    BUILD.mkdir(exist_ok=True)
    jena = jena_classpath(Path(tempfile.mkdtemp(prefix="jena-")))
    python = [sys.executable, "-m", "oncokg"]
    results = []
    header = ("triples", "engine", "CPU s", "peak MB", "x ours", "violations")
    print("{:>9}  {:<8} {:>8} {:>8} {:>7} {:>10}".format(*header))
    for size in args.sizes:
        data = synthetic(size)
        commands = {
            "sparql": [*python, "validate", str(data), "--limit", "1", "--engine", "sparql"],
            "pyshacl": [*python, "validate", str(data), "--limit", "1", "--engine", "pyshacl"],
            "jena": [
                "java",
                "-Xmx4g",
                "-cp",
                jena,
                "shacl.shacl",
                "validate",
                "--shapes",
                str(SHAPES),
                "--data",
                str(merged_with_ontology(data)),
            ],
        }
        ours = None
        for engine, command in commands.items():
            if engine in args.skip:
                continue
            runs = [measured(command) for _ in range(args.runs)]
            cpu = statistics.median(r[0] for r in runs)
            memory = statistics.median(r[1] for r in runs)
            found = violations(engine, runs[0][2])
            ours = cpu if engine == "sparql" else ours
            ratio = cpu / ours if ours else 1.0
            results.append(
                {
                    "triples": size,
                    "engine": engine,
                    "cpu_seconds": round(cpu, 2),
                    "peak_mb": round(memory),
                    "ratio": round(ratio, 2),
                    "violations": found,
                    "runs": args.runs,
                }
            )
            print(f"{size:>9,}  {engine:<8} {cpu:>8.1f} {memory:>8.0f} {ratio:>7.1f} {found:>10,}")
    (BUILD / "bench-validate.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
