"""OncoKG's web application, served by ``oncokg serve`` beside the SPARQL endpoint.

One module per job: :mod:`~oncokg.web.app` (the routes), :mod:`~oncokg.web.pages` (catalogue
rows turned into a page's linked tables and plots), :mod:`~oncokg.web.plots` (SVG drawn on
the server), :mod:`~oncokg.web.search`, :mod:`~oncokg.web.rdf` (content negotiation) and
:mod:`~oncokg.web.pool` (the backend protocol over the server's query workers). Templates and
assets ship in ``templates/`` and ``static/``.
"""
