"""A store on disk survives a process killed in the middle of a load."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from oncokg.api import OncoKG, sources_digest
from oncokg.backend import CURATED_GRAPH
from oncokg.embedded import EmbeddedBackend

LOADER = """
import sys
from pathlib import Path
from oncokg.backend import CURATED_GRAPH
from oncokg.embedded import EmbeddedBackend
backend = EmbeddedBackend.on_disk(Path(sys.argv[1]))
print("loading", flush=True)
backend.load([Path(sys.argv[2])], CURATED_GRAPH)
print("loaded", flush=True)
"""


def _big_file(path: Path, triples: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(triples):
            out.write(f'<urn:oncokg:test:s{i}> <urn:oncokg:test:p> "value {i}" .\n')
    return path


def test_open_builds_then_reuses_the_store(tmp_path: Path) -> None:
    kg = OncoKG.open(tmp_path / "store")
    count = kg.backend.triple_count()
    kg.close()
    backend = EmbeddedBackend.on_disk(tmp_path / "store")
    assert backend.get_meta("sourceHash") == sources_digest()
    assert backend.triple_count() == count > 7000
    backend.close()


def test_killed_mid_load_leaves_previous_content(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg = OncoKG.open(store)
    before = kg.backend.triple_count([CURATED_GRAPH])
    kg.close()
    big = _big_file(tmp_path / "big.nt", 400_000)
    process = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(store), str(big)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "loading"
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, (
        "the load finished before the kill; use a bigger file"
    )
    backend = EmbeddedBackend.on_disk(store)
    assert backend.triple_count([CURATED_GRAPH]) == before
    assert backend.graphs == [
        "https://w3id.org/oncokg/graph/ontology",
        "https://w3id.org/oncokg/graph/curated",
    ]
    backend.close()
