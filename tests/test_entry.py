"""The console script's quick path for ``oncokg query`` (#10): the same bytes and exit codes as
the click command line, without importing click or the store-building machinery."""

from __future__ import annotations

import codecs
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncokg.api import OncoKG
from oncokg.cli import OUTPUT_FORMATS
from oncokg.entry import quick_query
from oncokg.lean_typing import NamedTuple
from oncokg.output import FORMATS
from oncokg.running import QueryCall

from .conftest import REPO

STORE = "{store}"  # replaced by the module's store folder
# each case: the arguments, whether the quick path takes them (else click does), the exit code
CASES: list[tuple[tuple[str, ...], bool, int]] = [
    (("query", "drugs-by-target", "-p", "target", "KRAS G12C", "--store", STORE), True, 0),
    (("query", "dosing", "-p", "drug", "sotorasib", "--store", STORE, "--format", "json"), True, 0),
    (("query", "trial-comparisons", "--format", "csv", "-p", "drug", "lurbinectedin"), True, 0),
    (("query", "--store", STORE, "pk-properties", "--param", "drug", "sotorasib"), True, 0),
    (("query", "label-search", "-p", "text", "替尼", "--store", STORE, "--format", "tsv"), True, 0),
    (("query", "label-search", "-p", "text", "尼", "--store", STORE, "--format", "csv"), True, 0),
    (
        ("query", "dosing", "-p", "drug", "sotorasib", "-p", "drug", "sunitinib", "--store", STORE),
        True,
        0,
    ),
    (("query", "dosing", "-p", "drug", "imatinib", "--timeout", "20", "--store", STORE), True, 0),
    (
        ("query", "drugs-by-target", "-p", "target", "KIT", "--allow-service", "--store", STORE),
        True,
        0,
    ),
    # errors the query itself raises: the same line and exit code from both paths
    (("query", "no-such-query", "--store", STORE), True, 1),
    (("query", "dosing", "-p", "drug", "aspirinx", "--store", STORE), True, 1),
    (("query", "dosing", "-p", "dose", "1", "--store", STORE), True, 2),
    (("query", "dosing", "--store", STORE), True, 2),
    (("query", "q" * 300, "--store", STORE), True, 1),
    (("query", "dosing", "-p", "drug", "imatinib", "--store", "/dev/null"), True, 2),
    # not the quick form: click parses them, and gives every usage error
    (("query", "dosing", "-p", "drug", "imatinib", "--format=csv", "--store", STORE), False, 0),
    (("query", "dosing", "-p", "drug", "imatinib", "--format", "xml"), False, 2),
    (("query", "dosing", "-p", "drug", "imatinib", "--timeout", "0"), False, 2),
    (("query", "dosing", "-p", "drug", "imatinib", "--timeout", "nan"), False, 2),
    (("query", "dosing", "-p", "drug", "imatinib", "--timeout", "soon"), False, 2),
    (("query", "dosing", "-p", "drug"), False, 2),
    (("query", "dosing", "-p", "drug", "-imatinib", "--store", STORE), False, 1),
    (("query", "dosing", "extra", "-p", "drug", "imatinib"), False, 2),
    (("query", "dosing", "--store", STORE, "--store", STORE), False, 2),
    (("query", "dosing", "--endpoint", "http://127.0.0.1:1/query"), False, 2),
    (("query", "dosing", "--", "-p"), False, 2),
    (("query", "--help"), False, 0),
    (("query",), False, 2),
    (("queries", "--format", "csv"), False, 0),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("entry") / "store"
    OncoKG.open(path).close()  # built once, then every case opens it read-only
    yield path


def _args(case: tuple[str, ...], store: Path) -> list[str]:
    return [str(store) if arg == STORE else arg for arg in case]


def _run(
    module: str, args: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", module, *args]
    environment = {**os.environ, **env} if env else None
    return subprocess.run(
        command, cwd=REPO, env=environment, capture_output=True, timeout=120, text=True
    )


def test_the_cases_cover_both_paths() -> None:
    assert len(CASES) == 29
    assert sum(quick for _, quick, _ in CASES) == 15


@pytest.mark.parametrize(
    ("case", "quick", "code"), CASES, ids=[" ".join(c)[:60] for c, *_ in CASES]
)
def test_quick_path_and_click_agree(
    case: tuple[str, ...], quick: bool, code: int, store: Path
) -> None:
    args = _args(case, store)
    assert (quick_query(args) is not None) is quick
    console, full = _run("oncokg", args), _run("oncokg.cli", args)
    assert (console.returncode, console.stdout, console.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    )
    assert console.returncode == code and "Traceback" not in console.stderr
    assert (console.stdout != "") is (code == 0)


@pytest.mark.parametrize("encoding", ["ascii", "utf-8"])
def test_both_write_utf_8_where_the_stream_claims_ascii(encoding: str, store: Path) -> None:
    args = ["query", "label-search", "-p", "text", "替尼", "--store", str(store)]
    env = {"PYTHONIOENCODING": encoding}
    console, full = _run("oncokg", args, env), _run("oncokg.cli", args, env)
    assert console.returncode == full.returncode == 0
    assert console.stdout == full.stdout and "伊马替尼" in console.stdout


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_both_refuse_in_one_line_where_the_stream_cannot_write_the_text(
    encoding: str, store: Path
) -> None:
    """A Chinese label on a Latin-1 standard output: one line naming the character and the
    fix, exit 2, and nothing half-written (the traceback of a UnicodeEncodeError before)."""
    args = ["query", "label-search", "-p", "text", "替尼", "--store", str(store)]
    env = {"PYTHONIOENCODING": encoding}
    console, full = _run("oncokg", args, env), _run("oncokg.cli", args, env)
    assert console.returncode == full.returncode == 2
    assert console.stdout == full.stdout == ""
    assert console.stderr == full.stderr
    assert console.stderr.count("\n") == 1 and "Traceback" not in console.stderr
    named = codecs.lookup(encoding).name  # iso8859-1 for latin-1
    assert f"(U+4F0A) in {named}, the encoding of standard output" in console.stderr


def test_both_paths_take_the_formats_the_renderer_has() -> None:
    """The quick path checks ``--format`` against the renderer's list, click against its own
    (kept apart so that ``oncokg --help`` does not import the renderer): they must agree."""
    assert OUTPUT_FORMATS == FORMATS == ("table", "json", "csv", "tsv")


def test_a_quick_call_is_what_click_would_build() -> None:
    args = ["query", "dosing", "-p", "drug", "a", "--param", "drug", "b", "--format", "json"]
    args += ["--store", "s", "--timeout", "2.5", "--allow-service"]
    assert quick_query(args) == QueryCall(
        "dosing",
        (("drug", "a"), ("drug", "b")),
        "json",
        store_path=Path("s"),
        timeout=2.5,
        allow_service=True,
    )


def test_a_reader_that_leaves_ends_both_quietly(store: Path) -> None:
    """``oncokg query ... | head``: exit 1 and no traceback when the pipe closes, as click does."""
    args = ["query", "label-search", "-p", "text", "in", "--store", str(store)]
    outcomes = []
    for module in ("oncokg", "oncokg.cli"):
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # gone before the rows are written
        outcomes.append((process.wait(timeout=60), process.stderr.read().decode()))
        process.stderr.close()
    assert outcomes == [(1, ""), (1, "")]


HEAVY = ("click", "shutil", "sqlite3", "hashlib", "concurrent.futures", "pickle", "difflib")
HEAVY += ("xml.parsers.expat", "rdflib", "pyshacl", "oncokg.cli", "oncokg.importers.base")
HEAVY += ("dataclasses", "inspect")  # about 25 ms of a 100 ms process: the records are NamedTuples
HEAVY += ("typing", "threading")  # 6 and 2 ms: see oncokg.lean_typing, oncokg.isolation
SHOW_MODULES = (
    "import sys; from oncokg.entry import main\n"
    "try: main(sys.argv[1:])\n"
    "finally: print(' '.join(sorted(sys.modules)), file=sys.stderr)"
)


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_the_quick_path_leaves_click_and_the_build_machinery_unimported(
    fmt: str, store: Path
) -> None:
    """Start-up is most of a scripted query's time: this fails when an import creeps back."""
    args = ["query", "drugs-by-target", "-p", "target", "KIT", "--store", str(store)]
    quick = subprocess.run(
        [sys.executable, "-c", SHOW_MODULES, *args, "--format", fmt],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(quick.stderr.split())
    assert "pyoxigraph" in modules and "oncokg.api" in modules and "imatinib" in quick.stdout
    assert sorted(modules & set(HEAVY)) == []
    full = subprocess.run(
        [sys.executable, "-c", SHOW_MODULES, *args, f"--format={fmt}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "click" in set(full.stderr.split()) and full.stdout == quick.stdout


def _record(named_tuple: Any) -> Any:
    """The same record class, built by ``named_tuple``."""

    class Dose(named_tuple):  # type: ignore[misc,valid-type]
        """A dose."""

        drug: str
        mg: float = 960.0
        unit: str = "mg"

        def label(self) -> str:
            return f"{self.drug} {self.mg:g} {self.unit}"

    return Dose


def test_the_lean_named_tuple_behaves_as_typings() -> None:
    """The quick path's records (oncokg.lean_typing) must be what typing.NamedTuple makes."""
    import typing

    ours, theirs = _record(NamedTuple), _record(typing.NamedTuple)
    for attribute in ("_fields", "_field_defaults", "__doc__", "__module__"):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    # the annotations stay text, as __future__.annotations leaves them; typing wraps them
    assert ours.__annotations__ == {"drug": "str", "mg": "float", "unit": "str"}
    assert typing.get_type_hints(ours) == typing.get_type_hints(theirs)
    assert ours.__qualname__.split(".")[-1] == theirs.__qualname__.split(".")[-1] == "Dose"
    a, b = ours("sotorasib"), theirs("sotorasib")
    assert repr(a) == repr(b) == "Dose(drug='sotorasib', mg=960.0, unit='mg')"
    assert a == b == ("sotorasib", 960.0, "mg") and hash(a) == hash(b)
    assert a.label() == b.label() == "sotorasib 960 mg"
    assert a._replace(mg=480.0)._asdict() == b._replace(mg=480.0)._asdict()
    assert a._asdict() == {"drug": "sotorasib", "mg": 960.0, "unit": "mg"}
    assert pickle.loads(pickle.dumps(QueryCall("dosing"))) == QueryCall("dosing")
    with pytest.raises(TypeError):
        ours()  # the field without a default is required, as in typing's
    with pytest.raises(TypeError, match="without a default follows"):

        class Wrong(NamedTuple):  # type: ignore[misc]
            first: int = 1
            second: int
