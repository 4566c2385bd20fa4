"""One test per item of the hardening issue (#7): each reproduced the fault before its fix."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncokg.api import OncoKG
from oncokg.errors import EndpointError, InputError, QueryError
from oncokg.isolation import QueryTimeout

from .conftest import REPO, Serving, free_port, run_oncokg, start_serve
from .fake_servers import answer, drip, fake_server

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DISGUISED_UPDATE = (
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
)


def one_error_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """Assert a command failed with ``code`` and one line on stderr; return that line."""
    assert result.returncode == code, (result.returncode, result.stdout[:500], result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("oncokg: error: "), lines[0]
    return lines[0]


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """``oncokg serve`` with a 2 s time limit and two workers."""
    serving = start_serve(tmp_path_factory.mktemp("serve") / "store", "--timeout", "2")
    yield serving
    serving.process.send_signal(signal.SIGTERM)
    serving.process.wait(timeout=20)


# ---------------------------------------------------------------- 1. serve --location
def test_1_serve_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "t.txt").write_text("k\n")
    line = one_error_line(
        run_oncokg("serve", "--port", str(free_port()), "--location", str(mine)), 2
    )
    assert "is not an OncoKG store" in line
    assert (mine / "t.txt").read_text() == "k\n" and (mine / "sub").is_dir()


# ---------------------------------------------------------------- 2. updates on read paths
def test_2_select_never_sends_an_update(oxigraph_url: str) -> None:
    kg = OncoKG.connect(oxigraph_url, timeout=10)
    before = kg.backend.triple_count()
    with pytest.raises(QueryError, match="expected a SELECT query, got an update"):
        kg.select(DISGUISED_UPDATE)
    result = run_oncokg("sparql", "--endpoint", oxigraph_url, "-", stdin=DISGUISED_UPDATE)
    assert "got an update (DELETE)" in one_error_line(result, 2)
    assert kg.backend.triple_count() == before > 7000


def test_2_embedded_select_refuses_an_update_too() -> None:
    kg = OncoKG.open()
    before = kg.backend.triple_count()
    with pytest.raises(QueryError, match="got an update"):
        kg.select(DISGUISED_UPDATE)
    assert kg.backend.triple_count() == before


# ---------------------------------------------------------------- 3. fmt writes atomically
def _messy_turtle(path: Path, subjects: int) -> Path:
    lines = ["@prefix ex: <http://example.org/> ."]
    lines += [f'ex:s{i}    ex:p   "v{i}" ;  ex:q {i} .' for i in range(subjects)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_3_fmt_killed_at_any_moment_leaves_old_or_new_file(tmp_path: Path) -> None:
    messy = _messy_turtle(tmp_path / "big.ttl", 8_000)
    old = messy.read_bytes()
    reference = tmp_path / "ref.ttl"
    reference.write_bytes(old)
    start = time.monotonic()
    assert run_oncokg("fmt", str(reference)).returncode == 0
    duration = time.monotonic() - start
    new = reference.read_bytes()
    assert new != old
    outcomes = set()
    for attempt in range(8):
        messy.write_bytes(old)
        process = subprocess.Popen(
            [sys.executable, "-m", "oncokg", "fmt", str(messy)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(duration * (0.4 + 0.08 * attempt))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        content = messy.read_bytes()
        assert content in (old, new), f"attempt {attempt}: {len(content)} bytes"
        outcomes.add(content == new)
    assert len(outcomes) >= 1


def _limit_file_size() -> None:
    """A full disk, for one subprocess: writes past 300 kB fail with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))


def test_3_fmt_on_a_full_disk_leaves_the_file_intact(tmp_path: Path) -> None:
    messy = _messy_turtle(tmp_path / "big.ttl", 20_000)
    old = messy.read_bytes()
    assert len(old) < 2_000_000
    result = subprocess.run(
        [sys.executable, "-m", "oncokg", "fmt", str(messy)],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=120,
    )
    assert "cannot write" in one_error_line(result, 2)
    assert messy.read_bytes() == old
    assert not list(tmp_path.glob(".*.tmp"))


# ---------------------------------------------------------------- 4. fmt keeps what files say
TRICKY_TURTLE = """\
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://a/s> <http://a/p> "01"^^xsd:integer, "+1"^^xsd:integer, "1.0E0"^^xsd:double,
    "4.0"^^xsd:decimal, "04.50"^^xsd:decimal, "x"@zh-Hant, true, [ <http://a/q> "b" ] .
"""
TRICKY_NTRIPLES = """\
<http://a/s> <http://a/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://a/a> <http://a/p> "x"@zh-Hant .
<http://a/a> <http://a/p> "1.0E0"^^<http://www.w3.org/2001/XMLSchema#double> .
"""


@pytest.mark.parametrize(
    ("name", "text"), [("t.ttl", TRICKY_TURTLE), ("t.nt", TRICKY_NTRIPLES)], ids=["ttl", "nt"]
)
def test_4_fmt_keeps_triples_format_and_lexical_forms(tmp_path: Path, name: str, text: str) -> None:
    import rdflib
    from rdflib import Graph
    from rdflib.compare import isomorphic

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert run_oncokg("fmt", str(path)).returncode == 0
    fmt = "nt" if name.endswith(".nt") else "turtle"
    rdflib.NORMALIZE_LITERALS = False
    try:
        before = Graph().parse(data=text, format=fmt)
        after = Graph().parse(path, format=fmt)
        assert isomorphic(before, after)
        lexical = {str(o) for o in after.objects()}
    finally:
        rdflib.NORMALIZE_LITERALS = True
    assert {"01", "1.0E0", "x"} <= lexical
    if fmt == "turtle":
        assert {"+1", "04.50", "4.0"} <= lexical
    else:
        assert path.read_text().splitlines() == sorted(text.splitlines())
    assert run_oncokg("fmt", "--check", str(path)).returncode == 0


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("c.ttl", "# note\n<http://a/s> <http://a/p> <http://a/o> .\n", "has comments"),
        ("r.ttl", "<s> <http://a/p> <o> .\n", "has relative IRIs (<s>)"),
        ("j.jsonld", '{"@id": "http://a/s", "http://a/p": "x"}\n', "this is JSON-LD"),
        (
            "x.rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
            "this is RDF/XML",
        ),
    ],
)
def test_4_fmt_refuses_what_it_cannot_keep(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert message in one_error_line(run_oncokg("fmt", str(path)), 2)
    assert path.read_text(encoding="utf-8") == text


# ---------------------------------------------------------------- 5. deep nesting
DEEP = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000


def test_5_deep_nesting_is_refused_before_the_engine() -> None:
    kg = OncoKG.open()
    with pytest.raises(QueryError, match="nested 5000 levels deep refused"):
        kg.select(DEEP)
    assert kg.ask("ASK { okr:imatinib a okg:Drug }")
    line = one_error_line(run_oncokg("sparql", "-", stdin=DEEP), 2)
    assert "the limit is 64" in line


def test_5_deep_nesting_does_not_bring_down_serve(served: Serving) -> None:
    status, body = served.get(DEEP)
    assert status == 400 and "nested" in body
    assert served.get("ASK { okr:imatinib a okg:Drug }")[0] == 200


# ---------------------------------------------------------------- 6. federation off
SERVICE_QUERY = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


def test_6_service_is_off_unless_allowed(served: Serving) -> None:
    with pytest.raises(QueryError, match="federated queries are off"):
        OncoKG.open().select(SERVICE_QUERY)
    status, body = served.get(SERVICE_QUERY)
    assert status == 400 and "federated queries are off" in body
    kg = OncoKG.open(allow_service=True)
    with pytest.raises(QueryError, match="only http"):
        kg.select("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }")


def test_6_an_allowed_service_to_a_silent_host_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Even without a time limit of its own: SERVICE_TIMEOUT (30 s) applies, 1 s here."""
    import socket

    import oncokg.embedded

    monkeypatch.setattr(oncokg.embedded, "SERVICE_TIMEOUT", 1.0)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/q"
    try:
        kg = OncoKG.open(allow_service=True)
        start = time.monotonic()
        with pytest.raises(QueryTimeout):
            kg.select(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
        assert time.monotonic() - start < 3
    finally:
        silent.close()


def test_6_an_allowed_service_that_fails_is_one_line() -> None:
    result = run_oncokg("sparql", "--allow-service", "-", stdin=SERVICE_QUERY)
    one_error_line(result, 2)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/q", "gopher://x/"])
def test_6_endpoint_must_be_http(url: str) -> None:
    result = run_oncokg("sparql", "--endpoint", url, "-", stdin="ASK { ?s ?p ?o }")
    assert "only http and https URLs" in one_error_line(result, 3)


# ---------------------------------------------------------------- 7. time limits
def test_7_embedded_query_is_stopped_at_its_time_limit() -> None:
    kg = OncoKG.open(timeout=1)
    before = set(children_of(os.getpid()))  # servers other fixtures started
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        kg.select(CROSS_PRODUCT)
    assert time.monotonic() - start < 3
    assert set(children_of(os.getpid())) == before  # the child computing it is gone
    assert kg.ask("ASK { okr:imatinib a okg:Drug }")


def test_7_cli_query_is_stopped_at_its_time_limit() -> None:
    start = time.monotonic()
    line = one_error_line(run_oncokg("sparql", "--timeout", "1", "-", stdin=CROSS_PRODUCT), 2)
    assert "time limit of 1 s" in line and time.monotonic() - start < 10


def test_7_serve_stops_a_long_query_and_keeps_answering(served: Serving) -> None:
    results: dict[str, tuple[int, str]] = {}
    slow = threading.Thread(target=lambda: results.setdefault("slow", served.get(CROSS_PRODUCT)))
    start = time.monotonic()
    slow.start()
    time.sleep(0.3)
    quick = served.get("ASK { okr:imatinib a okg:Drug }")
    assert quick[0] == 200 and time.monotonic() - start < 2
    slow.join(timeout=30)
    status, body = results["slow"]
    assert status == 503 and "time limit of 2 s" in body
    assert served.get("ASK { okr:imatinib a okg:Drug }")[0] == 200


def test_7_web_pages_keep_answering_while_a_query_runs_to_its_limit(served: Serving) -> None:
    """A page runs its queries in the same pool: with one worker held by a cross product, the
    other answers a drug page, and the cross product is stopped at the limit."""
    results: dict[str, tuple[int, str]] = {}
    slow = threading.Thread(target=lambda: results.setdefault("slow", served.get(CROSS_PRODUCT)))
    slow.start()
    time.sleep(0.3)
    start = time.monotonic()
    with urllib.request.urlopen(served.url + "/resource/imatinib", timeout=10) as response:
        page = response.read().decode()
    assert response.status == 200 and "<h1>imatinib</h1>" in page
    assert time.monotonic() - start < 2 and slow.is_alive()
    slow.join(timeout=30)
    assert results["slow"][0] == 503 and "time limit of 2 s" in results["slow"][1]


# ---------------------------------------------------------------- 8. whole-request timeout
def test_8_timeout_bounds_the_whole_request() -> None:
    with fake_server(drip(0.3, 20)) as server:
        kg = OncoKG.connect(server.url + "/query", timeout=2, retries=0)
        start = time.monotonic()
        with pytest.raises(EndpointError, match="timed out"):
            kg.select("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - start < 3
        start = time.monotonic()
        result = run_oncokg("push", server.url + "/query", "--timeout", "2")
        assert "timed out" in one_error_line(result, 3)
        assert time.monotonic() - start < 8


# ---------------------------------------------------------------- 9. credentials on redirect
def test_9_credentials_never_cross_origins() -> None:
    with fake_server(answer("401 Unauthorized", "text/plain", b"who?")) as other:
        location = f"Location: {other.url}/query\r\n"
        with fake_server(answer("302 Found", "text/plain", b"", extra=location)) as first:
            kg = OncoKG.connect(first.url + "/query", user="me", password="secret", timeout=5)
            with pytest.raises(EndpointError, match="does not send credentials") as info:
                kg.select("SELECT * WHERE { ?s ?p ?o }")
            assert info.value.status == 401
    assert b"authorization" in first.requests[0].lower()
    assert other.requests and all(b"authorization" not in r.lower() for r in other.requests)


# ---------------------------------------------------------------- 10. serve lifecycle
def test_10_sigterm_stops_serve_and_its_workers(tmp_path: Path) -> None:
    serving = start_serve(tmp_path / "store")
    workers = children_of(serving.process.pid)
    assert len(workers) >= 2
    serving.process.send_signal(signal.SIGTERM)
    assert serving.process.wait(timeout=20) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


def test_10_port_in_use_or_out_of_range_is_one_line(tmp_path: Path, served: Serving) -> None:
    port = served.url.rsplit(":", 1)[1]
    store = tmp_path / "store"
    line = one_error_line(run_oncokg("serve", "--port", port, "--location", str(store)), 2)
    assert f"cannot listen on 127.0.0.1:{port}" in line
    assert not store.exists()  # nothing touched
    line = one_error_line(run_oncokg("serve", "--port", "99999", "--location", str(store)), 2)
    assert "99999 is not a TCP port" in line


# ---------------------------------------------------------------- 11. hostile files
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"> <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"> <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"> <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">
 <rdf:Description rdf:about="http://ex.org/s"><ex:p>&i;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_11_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(BILLION_LAUGHS)
    start = time.monotonic()
    line = one_error_line(run_oncokg("validate", str(bomb)), 2)
    assert "amplification" in line and time.monotonic() - start < 20


def test_11_remote_jsonld_context_is_never_fetched(tmp_path: Path) -> None:
    with fake_server(answer("200 OK", "application/ld+json", b'{"@context": {}}')) as server:
        doc = tmp_path / "remote.jsonld"
        doc.write_text(
            f'{{"@context": "{server.url}/context.jsonld", "@id": "http://ex.org/s", "name": "x"}}'
        )
        line = one_error_line(run_oncokg("validate", str(doc)), 2)
        assert "remote JSON-LD @context" in line
    assert server.requests == []


def test_11_a_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        from oncokg.rdf_files import read_quads

        read_quads(fifo)
    line = one_error_line(run_oncokg("validate", str(fifo), timeout=30), 2)
    assert "is not a regular file" in line


# ---------------------------------------------------------------- 12. concurrent readers
def test_12_a_store_on_a_read_only_mount_can_be_read(tmp_path: Path) -> None:
    store, mount = tmp_path / "store", tmp_path / "mount"
    OncoKG.open(store).close()
    mount.mkdir()
    before = sorted(p.name for p in store.rglob("*"))
    script = (  # a private mount namespace: the read-only mount exists for this command only
        f"mount --bind {store} {mount} && mount -o remount,bind,ro {mount} && "
        f"! touch {mount}/probe 2>/dev/null && "
        f"{sys.executable} -m oncokg query dosing -p drug sotorasib --store {mount} --format csv"
    )
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "okr:s000-dosing,sotorasib,960,mg" in result.stdout
    assert sorted(p.name for p in store.rglob("*")) == before
    fresh = script.replace(f"--store {mount} ", f"--store {mount}/fresh ")
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", fresh], cwd=REPO, capture_output=True, text=True
    )
    assert "cannot write the store (Read-only file system)" in one_error_line(result, 2)


def test_12_readers_share_a_store_while_one_serves(tmp_path: Path) -> None:
    store = tmp_path / "store"
    serving = start_serve(store)
    try:
        result = run_oncokg("query", "dosing", "-p", "drug", "sotorasib", "--store", str(store))
        assert result.returncode == 0 and "960" in result.stdout
    finally:
        serving.process.send_signal(signal.SIGTERM)
        serving.process.wait(timeout=20)


def test_serve_query_page_and_html_results(served: Serving) -> None:
    from oncokg.catalogue import get_query

    with urllib.request.urlopen(served.url + "/sparql", timeout=10) as response:
        page = response.read().decode()
    assert "<title>OncoKG SPARQL query · OncoKG</title>" in page
    assert "?drug a okg:Drug" in page and get_query("table-drugs").title in page
    query = urllib.parse.urlencode({"query": "SELECT ?d WHERE { ?d a okg:Drug } LIMIT 2"})
    request = urllib.request.Request(f"{served.url}/query?{query}", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:  # sent on to the query page
        assert response.url.startswith(served.url + "/sparql?query=")
        results = response.read().decode()
    assert "Results" in results and "(2 rows" in results and 'href="/resource/' in results
    update = urllib.request.Request(served.url + "/update", data=b"update=DROP%20ALL")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(update, timeout=10)
    assert info.value.code == 403
