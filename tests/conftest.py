"""Shared fixtures: the real ``oncokg`` command, live Oxigraph and Virtuoso servers on
127.0.0.1, each loaded by ``oncokg push`` as a user would load it, and ``oncokg serve``."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.virtuoso import LocalVirtuoso, free_port

REPO = Path(__file__).resolve().parent.parent


SHARED = REPO.parent / "shared"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once, in one line, when the external data the tests read is missing."""
    missing = [p for p in (SHARED / "data", SHARED / "seeds") if not p.is_dir()]
    if missing:
        pytest.exit(
            f"the tests read real data from {SHARED} (the 'shared' folder beside the clone); "
            f"missing: {', '.join(str(p) for p in missing)}",
            returncode=4,
        )


def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable (the ``oxigraph`` package of the test extra)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert found, "the oxigraph server is missing: pip install -e '.[test]'"
    return found


def run_oncokg(
    *args: str, stdin: str | None = None, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``oncokg`` in a subprocess, as a user would (``env`` adds environment variables)."""
    return subprocess.run(
        [sys.executable, "-m", "oncokg", *args],
        cwd=REPO,
        input=stdin,
        env={**os.environ, **env} if env else None,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def run_cli():
    """The :func:`run_oncokg` helper as a fixture."""
    return run_oncokg


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """Poll ``url`` until it answers; fail with the server's output if it dies or never answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"server exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not answer within {seconds} s")


@contextlib.contextmanager
def running_oxigraph() -> Iterator[str]:
    """A fresh, empty in-memory Oxigraph server on a free 127.0.0.1 port: its query URL;
    stopped on leaving."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process)
        yield base + "/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def oxigraph_url() -> Iterator[str]:
    """A fresh in-memory Oxigraph server loaded by ``oncokg push``."""
    with running_oxigraph() as url:
        pushed = run_oncokg("push", url)
        assert pushed.returncode == 0, pushed.stderr
        yield url


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalVirtuoso]:
    """A fresh Virtuoso 7 (Debian's virtuoso-opensource) on free 127.0.0.1 ports, loaded by
    ``oncokg push`` through its Graph Store Protocol endpoint (HTTP Digest as dba)."""
    with LocalVirtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        pushed = run_oncokg(
            "push",
            server.query_url,
            "--store-url",
            server.store_url,
            "--user",
            "dba",
            env={"ONCOKG_PASSWORD": server.password},
        )
        assert pushed.returncode == 0, pushed.stderr
        yield server


@pytest.fixture(scope="module", params=["embedded", "oxigraph", "virtuoso"])
def kg_both(request: pytest.FixtureRequest) -> Iterator[OncoKG]:
    """The same graph behind each backend: the embedded store, then live Oxigraph and Virtuoso
    servers."""
    if request.param == "embedded":
        graph = OncoKG.open()
    elif request.param == "oxigraph":
        graph = OncoKG.connect(request.getfixturevalue("oxigraph_url"), timeout=10)
    else:
        graph = OncoKG.connect(request.getfixturevalue("virtuoso_server").query_url, timeout=30)
    yield graph
    graph.close()


# ---------------------------------------------------------------- oncokg serve
class Serving:
    """A running ``oncokg serve`` and its base URL."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    def get(self, query: str, timeout: float = 30) -> tuple[int, str]:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.url + "/query", data=data)
        request.add_header("Accept", "application/sparql-results+json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()


def start_serve(store: Path, *options: str) -> Serving:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oncokg",
            "serve",
            "--port",
            str(port),
            "--location",
            str(store),
            *options,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_until_up(f"http://127.0.0.1:{port}/", process, seconds=60)  # type: ignore[arg-type]
    return Serving(process, f"http://127.0.0.1:{port}")


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """``oncokg serve`` over the curated graph (a 20 s time limit, two workers), as a user
    starts it; stopped with SIGTERM afterwards."""
    import signal

    serving = start_serve(tmp_path_factory.mktemp("web") / "store", "--timeout", "20")
    yield serving
    serving.process.send_signal(signal.SIGTERM)
    serving.process.wait(timeout=20)
