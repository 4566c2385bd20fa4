"""A local OpenLink Virtuoso 7 server in a folder of its own, and its bulk loader.

For the tests, the benchmarks and anyone who wants to try OncoKG beyond one embedded store:
:class:`LocalVirtuoso` writes a ``virtuoso.ini`` (from the Debian package's, every database
file pointed into the folder, ports and buffers chosen here), starts ``virtuoso-t`` on
127.0.0.1 and stops it on leaving. OncoKG talks to it as to any SPARQL endpoint:
``OncoKG.connect(server.query_url)`` and ``oncokg push server.query_url --store-url
server.store_url --user dba`` (Graph Store Protocol, HTTP Digest). :func:`bulk_load` runs
Virtuoso's bulk loader (``ld_dir`` and ``rdf_loader_run`` through ``isql-vt``) for files the
server can read, the faster path at tens of millions of triples.

Two settings differ from Debian's defaults, because OncoKG's catalogue needs them:
``ResultSetMaxRows`` (10,000 by default; a query answer is cut there without notice) and
``MaxQueryCostEstimationTime`` (0: Virtuoso's estimate refuses ``variant-facts``, which
answers in milliseconds).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Protocol

from oncokg.errors import OncoKGError

DEBIAN_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
_FILE_KEYS = ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(
    folder: Path, http_port: int, isql_port: int, buffers: int = 10_000, template: Path = DEBIAN_INI
) -> Path:
    """``folder/virtuoso.ini``: the template with its files in ``folder`` and the ports given.

    ``buffers`` is ``NumberOfBuffers`` (8 KiB pages; Virtuoso suggests about 85,000 per GB of
    memory it may use).
    """
    if not template.is_file():
        raise OncoKGError(
            f"{template} is missing: install Virtuoso (apt-get install virtuoso-opensource)"
        )
    lines, section = [], ""
    for line in template.read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0].strip()
        if line.startswith("["):
            section = line.strip()
        if key in _FILE_KEYS and "=" in line:
            name = Path(line.split("=", 1)[1].split(";")[0].strip()).name
            line = f"{key} = {folder / name}"
        elif key == "ServerPort":
            line = f"ServerPort = {http_port if section == '[HTTPServer]' else isql_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad"
        elif key in ("NumberOfBuffers", "MaxDirtyBuffers"):
            line = f"{key} = {buffers if key == 'NumberOfBuffers' else buffers * 3 // 4}"
        elif key == "ResultSetMaxRows":
            line = "ResultSetMaxRows = 10000000"
        elif key == "MaxQueryCostEstimationTime":
            line = "MaxQueryCostEstimationTime = 0"
        lines.append(line)
    path = folder / "virtuoso.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class LocalVirtuoso:
    """A Virtuoso server over ``folder`` on 127.0.0.1, started on entering, stopped on leaving.

    The database starts empty; the ``dba`` password is ``dba``, as in any fresh Virtuoso.
    """

    folder: Path
    buffers: int = 10_000
    http_port: int = field(default_factory=free_port)
    isql_port: int = field(default_factory=free_port)
    password: str = "dba"
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        """The SPARQL endpoint (read-only for anonymous users)."""
        return self.base_url + "/sparql"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint that takes writes (HTTP Digest as ``dba``)."""
        return self.base_url + "/sparql-graph-crud-auth"

    def start(self, seconds: float = 60) -> LocalVirtuoso:
        """Start the server and wait until its SPARQL endpoint answers."""
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise OncoKGError("virtuoso-t is missing: apt-get install virtuoso-opensource")
        self.folder = self.folder.resolve()  # virtuoso-t runs inside it: paths must not be relative
        self.folder.mkdir(parents=True, exist_ok=True)
        config = write_config(self.folder, self.http_port, self.isql_port, self.buffers)
        self.process = subprocess.Popen(
            [binary, "+configfile", str(config), "+foreground"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + seconds
        probe = self.query_url + "?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "virtuoso.log").read_text("utf-8", "replace")[-2000:]
                raise OncoKGError(f"virtuoso-t exited with {self.process.returncode}: {log}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise OncoKGError(f"Virtuoso did not answer at {self.query_url} within {seconds:g} s")

    def stop(self) -> None:
        """Stop the server (a clean shutdown through isql, then SIGTERM, then SIGKILL)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.isql("shutdown;", timeout=30)
            self.process.wait(timeout=30)
        except (OncoKGError, subprocess.TimeoutExpired):
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def isql(self, statements: str, timeout: float = 3600) -> str:
        """Run SQL statements through ``isql-vt`` as ``dba``; the output."""
        return Isql("127.0.0.1", self.isql_port, "dba", self.password).isql(statements, timeout)

    def __enter__(self) -> LocalVirtuoso:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass(frozen=True)
class Isql:
    """Virtuoso's SQL interface (``isql-vt``) on ``host``:``port``, as ``user``."""

    host: str
    port: int
    user: str
    password: str

    def isql(self, statements: str, timeout: float = 3600) -> str:
        """Run SQL statements; the output. Raises :class:`OncoKGError` with Virtuoso's message."""
        binary = shutil.which("isql-vt") or shutil.which("isql")
        if binary is None:
            raise OncoKGError("isql-vt is missing: apt-get install virtuoso-opensource")
        address = f"{self.host}:{self.port}"
        try:
            done = subprocess.run(
                [binary, address, self.user, self.password, f"exec={statements}"],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise OncoKGError(f"isql at {address} took over {timeout:g} s") from None
        if done.returncode != 0 or "*** Error" in done.stdout:
            said = (done.stdout + done.stderr).strip()[-1000:]
            raise OncoKGError(f"isql at {address} failed: {said}")
        return done.stdout


class SqlRunner(Protocol):
    """What runs statements through Virtuoso's isql: :class:`Isql`, :class:`LocalVirtuoso`."""

    def isql(self, statements: str, timeout: float = 3600) -> str: ...


def bulk_load(server: SqlRunner, folder: Path, pattern: str, graph: str) -> None:
    """Replace ``graph`` with the files of ``folder`` matching ``pattern`` (``*.nt``), by
    Virtuoso's bulk loader; ``folder`` must be readable by the server (``DirsAllowed``).

    Raises :class:`OncoKGError` when no file matches (the loader itself would load nothing
    and say nothing) or when the loader reports an error for a file.
    """
    if not re.fullmatch(r"[\w*.\-]+", pattern) or "'" in str(folder) or "'" in graph:
        raise OncoKGError(f"refusing an unsafe bulk-load argument: {folder}, {pattern}, {graph}")
    folder = folder.resolve()  # the server runs in its own folder: a relative path is not ours
    if not any(folder.glob(pattern)):
        raise OncoKGError(f"no file matches {pattern} in {folder}: nothing to bulk-load")
    server.isql(
        f"SPARQL CLEAR GRAPH <{graph}>; "
        "DELETE FROM DB.DBA.load_list; "
        f"ld_dir('{folder}', '{pattern}', '{graph}'); "
        "rdf_loader_run(); checkpoint;"
    )
    failed = server.isql("SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
    if not re.search(r"^\s*0\s*$", failed, re.MULTILINE):
        raise OncoKGError(f"Virtuoso's bulk loader reported errors: {failed.strip()[-500:]}")


def bulk_push(server: SqlRunner, folder: Path, plan: Sequence[tuple[str, Sequence[Path]]]) -> None:
    """Replace each graph of ``plan`` with its files, by one run of Virtuoso's bulk loader.

    The files are copied into a new folder under ``folder``, which the server must be able to
    read (its ``DirsAllowed``); the folder is removed afterwards. The files are registered
    with the loader first, and unless the server sees every one of them nothing changes
    (Virtuoso registers nothing, silently, from a folder it cannot see). Then every graph is
    cleared and loaded; the loader is not transactional, so queries during the load see
    graphs being filled. Raises :class:`OncoKGError` naming a file the loader could not load.
    """
    if any("'" in str(p) for p in [folder, *(g for g, _ in plan)]):
        raise OncoKGError(f"refusing a quote in a bulk-load folder or graph name: {folder}")
    if not folder.is_dir():
        raise OncoKGError(f"{folder}: no such folder; give a folder the Virtuoso server can read")
    work = Path(tempfile.mkdtemp(prefix="oncokg-push-", dir=folder.resolve()))
    work.chmod(0o755)  # the server may run as another user
    try:
        listed, clear = [], []
        for number, (graph, paths) in enumerate(plan):
            part = work / f"graph-{number}"
            part.mkdir(mode=0o755)
            for index, path in enumerate(paths):
                copy = part / f"{index:04d}{path.suffix.lower()}"
                shutil.copyfile(path, copy)
                copy.chmod(0o644)
            clear.append(f"SPARQL CLEAR GRAPH <{graph}>;")
            for suffix in sorted({p.suffix.lower() for p in paths}):
                listed.append(f"ld_dir('{part}', '*{suffix}', '{graph}');")
        # the files are registered first: if the server cannot see them, nothing is cleared
        server.isql(
            f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE '{work}/%'; " + " ".join(listed)
        )
        answer = server.isql(
            f"SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_file LIKE '{work}/%';"
        )
        registered = re.search(r"^\s*(\d+)\s*$", answer, re.MULTILINE)
        expected = sum(len(paths) for _, paths in plan)
        if registered is None or int(registered[1]) != expected:
            seen = registered[1] if registered else "none"
            raise OncoKGError(
                f"the Virtuoso server saw {seen} of the {expected} files staged in {folder}: "
                "give --bulk-dir a folder on the server's machine that it may read (listed in "
                "DirsAllowed in its virtuoso.ini); nothing was changed"
            )
        server.isql(" ".join(clear) + " rdf_loader_run(); checkpoint;")
        failed = server.isql(
            "SELECT ll_file, ll_error FROM DB.DBA.load_list "
            f"WHERE ll_file LIKE '{work}/%' AND (ll_error IS NOT NULL OR ll_state <> 2);"
        )
        if str(work) in failed:
            raise OncoKGError(f"Virtuoso's bulk loader could not load: {failed.strip()[-800:]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def analyze_quads(server: SqlRunner) -> None:
    """Have Virtuoso gather the statistics of its quad table, which its optimiser reads when
    a later server start compiles a query (about 2 s at 10M triples).

    Without them it estimates each join from samples taken as it compiles: at 10M triples
    ``response-by-drug`` took 0.67-1.08 s in all four server states without them, over two
    loads. With them and a restart, every catalogue query took 26 ms or less in six starts
    over three loads; with them but before the restart, ``drug-facts`` took 2.6 s.
    """
    server.isql("DB.DBA.SYS_STAT_ANALYZE ('DB.DBA.RDF_QUAD'); checkpoint;")


def index_free_text(server: SqlRunner, predicate: str) -> None:
    """Have Virtuoso's free-text index hold the literals of ``predicate`` (in any graph), those
    loaded already included, so that ``bif:contains`` finds them. Adding the rule again is
    harmless; indexing what is loaded takes about 0.15 ms per literal."""
    if "'" in predicate:
        raise OncoKGError(f"refusing a quote in a predicate to index: {predicate}")
    server.isql(
        f"DB.DBA.RDF_OBJ_FT_RULE_ADD(null, '{predicate}', 'oncokg'); "
        "DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ(); checkpoint;"
    )
