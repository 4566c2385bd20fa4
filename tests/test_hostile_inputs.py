"""Every command against hostile input: one line, the documented exit code, no byte changed.

The matrix: the file-reading commands against malformed, huge, deeply nested, non-UTF-8 and
otherwise unreadable files; ``sparql`` against hostile query texts (on the embedded store and
on a built store on disk); the endpoint commands against dead and misbehaving servers. Each
case asserts a single ``oncokg: error:`` line, the exit code the README documents, no
traceback, and that no input file and no store changed by a byte.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import run_oncokg
from .fake_servers import answer, drip, fake_server
from .test_hardening import BILLION_LAUGHS, _limit_file_size, one_error_line


def _write(text: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / "input.ttl"
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    return make


def _named(name: str, text: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


def _fifo(folder: Path) -> Path:
    path = folder / "fifo.ttl"
    os.mkfifo(path)
    return path


def _folder(folder: Path) -> Path:
    path = folder / "folder.ttl"
    path.mkdir()
    return path


def _dangling(folder: Path) -> Path:
    path = folder / "dangling.ttl"
    path.symlink_to(folder / "nowhere.ttl")
    return path


def _missing(folder: Path) -> Path:
    return folder / "missing.ttl"


DEEP_BLANK_NODES = (
    "<http://a/s> <http://a/p> " + "[ <http://a/p> " * 20000 + "1" + " ]" * 20000 + " .\n"
)
HUGE_GARBAGE = "<http://a/s> <http://a/p> <http://a/o> .\n" * 50_000 + "<http://a/s> oops\n"
HOSTILE_FILES: dict[str, Callable[[Path], Path]] = {
    "malformed": _write("<http://a/s> <http://a/p> ] .\n"),
    "iri-with-space": _write("<http://a/s> <http://a/p> <http://exa mple.org/> .\n"),
    "non-utf8": _write(b'<http://a/s> <http://a/p> "caf\xe9" .\n'),
    "binary": _write(bytes(range(256)) * 64),
    "huge-bad-at-end": _write(HUGE_GARBAGE),
    "billion-laughs": _named("bomb.rdf", BILLION_LAUGHS),
    "unknown-suffix": _named("notes.txt", "hello\n"),
    "fifo": _fifo,
    "folder": _folder,
    "dangling-link": _dangling,
    "missing": _missing,
}
FILE_COMMANDS = {"validate": ["validate"], "fmt": ["fmt"], "fmt-check": ["fmt", "--check"]}


def test_matrix_sizes() -> None:
    assert (len(HOSTILE_FILES), len(FILE_COMMANDS)) == (11, 3)
    assert (len(HOSTILE_QUERIES), len(MISBEHAVING), len(ENDPOINT_COMMANDS)) == (8, 7, 3)


def _snapshot(folder: Path) -> dict[str, str]:
    """The bytes of every regular file under ``folder``, by relative path (hashes)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.mark.parametrize("command", FILE_COMMANDS)
@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_file_commands_refuse_hostile_files(tmp_path: Path, command: str, case: str) -> None:
    path = HOSTILE_FILES[case](tmp_path)
    before = _snapshot(tmp_path)
    result = run_oncokg(*FILE_COMMANDS[command], str(path), timeout=60)
    line = one_error_line(result, 2)
    assert str(path.name) in line
    assert _snapshot(tmp_path) == before


def test_deeply_nested_file_validates_and_fmt_refuses_it(tmp_path: Path) -> None:
    path = _write(DEEP_BLANK_NODES)(tmp_path)
    before = _snapshot(tmp_path)
    assert run_oncokg("validate", str(path), timeout=120).returncode == 0
    assert "nested too deeply" in one_error_line(run_oncokg("fmt", str(path), timeout=120), 2)
    assert _snapshot(tmp_path) == before


HOSTILE_QUERIES = {
    "malformed": "SELECT * WHERE { ?s ?p }",
    "update": "DROP ALL",
    "disguised-update": "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; SELECT",
    "deep": "SELECT * WHERE " + "{ " * 3000 + "} " * 3000,
    "huge": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000,
    "service": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "empty": "",
    "not-sparql": "hello world",
}


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "store"
    assert (
        run_oncokg("query", "graph-size", "-p", "graph", "okr:x", "--store", str(store)).returncode
        == 0
    )
    return store


@pytest.mark.parametrize("where", ["embedded", "store"])
@pytest.mark.parametrize("case", HOSTILE_QUERIES)
def test_sparql_refuses_hostile_queries(built_store: Path, where: str, case: str) -> None:
    options = ["--store", str(built_store)] if where == "store" else []
    before = _snapshot(built_store)
    result = run_oncokg("sparql", *options, "-", stdin=HOSTILE_QUERIES[case])
    one_error_line(result, 2)
    assert _snapshot(built_store) == before


def test_sparql_refuses_a_non_utf8_query_file(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_bytes(b'SELECT * WHERE { ?s ?p "caf\xe9" }')
    assert "not valid UTF-8" in one_error_line(run_oncokg("sparql", str(query)), 2)


@pytest.fixture
def refused_url() -> Iterator[str]:
    from .conftest import free_port

    yield f"http://127.0.0.1:{free_port()}/query"


MISBEHAVING = {
    "html-page": answer("200 OK", "text/html", b"<html>a query page</html>"),
    "json-not-results": answer("200 OK", "application/sparql-results+json", b'{"foo": 1}'),
    "malformed-json": answer("200 OK", "application/json", b"{not json"),
    "server-error": answer("500 Internal Server Error", "text/plain", b"boom"),
    "redirect-loop": answer("302 Found", "text/plain", b"", extra="Location: /query\r\n"),
    "drip": drip(0.3, 10),
    "dead": None,
}
ENDPOINT_COMMANDS = {
    "sparql": lambda url: ("sparql", "--endpoint", url, "--timeout", "2", "-"),
    "query": lambda url: (
        "query",
        "dosing",
        "-p",
        "drug",
        "okr:imatinib",
        "--endpoint",
        url,
        "--timeout",
        "2",
    ),
    "push": lambda url: ("push", url, "--timeout", "2"),
}


@pytest.mark.parametrize("command", ENDPOINT_COMMANDS)
@pytest.mark.parametrize("case", MISBEHAVING)
def test_endpoint_commands_fail_cleanly(refused_url: str, command: str, case: str) -> None:
    handler = MISBEHAVING[case]
    stdin = "SELECT * WHERE { ?s ?p ?o }"
    if handler is None:
        result = run_oncokg(*ENDPOINT_COMMANDS[command](refused_url), stdin=stdin, timeout=60)
    else:
        with fake_server(handler) as server:
            url = server.url + "/query"
            result = run_oncokg(*ENDPOINT_COMMANDS[command](url), stdin=stdin, timeout=60)
    line = one_error_line(result, 3)
    assert "SPARQL endpoint http://127.0.0.1:" in line


FULL_DISK_WRITES = {
    "store-build": lambda out: [
        "query",
        "dosing",
        "-p",
        "drug",
        "sotorasib",
        "--store",
        str(out / "store"),
    ],
    "export": lambda out: ["export", "-o", str(out / "graph.ttl")],
    "release": lambda out: ["release", "-o", str(out / "release"), "--allow-untagged"],
}


@pytest.mark.parametrize("command", FULL_DISK_WRITES)
def test_writes_on_a_full_disk_fail_cleanly_and_leave_nothing_half_written(
    tmp_path: Path, command: str
) -> None:
    import subprocess
    import sys

    from .conftest import REPO

    (tmp_path / "graph.ttl").write_text("<http://a/s> <http://a/p> <http://a/o> .\n")
    before = _snapshot(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "oncokg", *FULL_DISK_WRITES[command](tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=120,
    )
    assert "cannot write" in one_error_line(result, 2)
    after = _snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.endswith(".lock")} == before
    assert len(FULL_DISK_WRITES) == 3
