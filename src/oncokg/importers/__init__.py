"""Importers of external knowledge bases: one module per source over a shared base.

Each importer reads one release of its source (files the user downloaded), maps every row it
can onto the OncoKG evidence model, lists every row it cannot with the reason, and returns an
:class:`~oncokg.importers.base.ImportedGraph`: the triples of one named graph per source and
release, with the release's metadata (licence, input checksums, counts, skipped rows) in it.
:func:`~oncokg.importers.base.save_import` writes it into a store folder.
"""
