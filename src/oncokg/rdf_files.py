"""Read RDF files with one strict parser, pyoxigraph, for every command.

Every command that reads a file (``validate``, ``fmt``, the store builds) goes through
:func:`read_quads`, so one file gets one verdict everywhere: an IRI with a space is refused by
all of them. Reading never touches the network (a remote JSON-LD ``@context`` is refused, not
fetched), never blocks on a FIFO or a device, and refuses RDF/XML whose entities expand
beyond a bounded factor ("billion laughs"). Each error names the file and, where it can, the
line. :mod:`oncokg.validation_input` loads the files for the two SHACL engines.

>>> from oncokg.resources import ontology_file
>>> len(read_quads(ontology_file())) > 1000
True
"""

from __future__ import annotations

import stat
from pathlib import Path

import pyoxigraph as ox

from oncokg.errors import InputError

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}
RDF_SUFFIXES = tuple(FORMATS)


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format of a file, from its suffix.

    >>> rdf_format(Path("data/x.ttl")).name
    'Turtle'
    """
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            path, f"unknown RDF file type {path.suffix!r}; use one of {known}"
        ) from None


def check_readable(path: Path) -> None:
    """Refuse, with a clear message, a path that is not a regular file one can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        dangling = path.is_symlink()
        raise InputError(path, "is a dangling link" if dangling else "no such file") from None
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror})") from None
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a folder, not an RDF file")
    if not stat.S_ISREG(mode):
        raise InputError(path, "is not a regular file (a FIFO, socket or device?)")


def read_text(path: Path) -> str:
    """The UTF-8 text of a regular file; raises :class:`InputError` naming the bad line."""
    check_readable(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror})") from None
    return decode_utf8(path, data)


def decode_utf8(path: Path | str, data: bytes, what: str = "file") -> str:
    """``data`` as text; raises :class:`InputError` naming the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8; save the {what} as UTF-8", line=line) from None


def preflight(path: Path) -> ox.RdfFormat:
    """Check a file before a store loads it straight from disk; return its format.

    The same refusals as :func:`read_quads` (not a regular file, unknown type, RDF/XML with
    unbounded entities), without keeping the text.
    """
    fmt = rdf_format(path)
    check_readable(path)
    if fmt == ox.RdfFormat.RDF_XML:
        _check_xml_entities(path, read_text(path))
    return fmt


def read_quads(path: Path, base_iri: str | None = None) -> list[ox.Quad]:
    """Every triple (or quad) of one file, parsed strictly by pyoxigraph.

    ``base_iri`` resolves relative IRIs (default: the file's own ``file:`` URI).
    """
    fmt = rdf_format(path)
    text = read_text(path)
    if fmt == ox.RdfFormat.RDF_XML:
        _check_xml_entities(path, text)
    try:
        return list(
            ox.parse(text.encode("utf-8"), format=fmt, base_iri=base_iri or path.resolve().as_uri())
        )
    except SyntaxError as err:
        message = str(err.msg or err)
        if "LoadDocumentCallback" in message:
            message = "it names a remote JSON-LD @context, which OncoKG never fetches; inline it"
        raise InputError(path, f"bad syntax: {message}", line=err.lineno) from None


def _check_xml_entities(path: Path, text: str) -> None:
    """Parse once with expat, which bounds entity expansion and loads no external entity."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()

    def refuse_external(*_: object) -> int:
        raise InputError(path, "refers to an external XML entity; OncoKG reads no other file")

    parser.ExternalEntityRefHandler = refuse_external
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as err:
        reason = xml.parsers.expat.ErrorString(err.code) if err.code else str(err)
        raise InputError(path, f"bad RDF/XML: {reason}", line=err.lineno) from None


def rdf_files_in(folder: Path) -> list[Path]:
    """The RDF files under ``folder`` (by suffix), in a stable order; folders named like files
    and dangling links are kept, so that reading them gives a clear error."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in RDF_SUFFIXES)
