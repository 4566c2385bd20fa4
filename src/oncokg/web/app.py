"""The OncoKG web application: a page per thing, search, plots and a query page, over the
server's query workers (so every page query has the server's limits).

Routes:

- ``/`` search box, the drugs, the plots and the query page;
- ``/resource/{name}``, ``/ontology/{name}``, ``/graph/{name}``: the page of that OncoKG IRI,
  or its RDF when the client asks (``Accept`` or a ``.ttl``, ``.nt`` or ``.jsonld`` suffix);
- ``/search?q=`` (a page) and ``/search.json?q=`` (suggestions as you type);
- ``/sparql``: the query page (the catalogue as ready-to-run examples);
- ``/plots/forest?endpoint=OS`` and ``/plots/endpoint?endpoint=PFS``;
- ``/catalogue/{name}.csv`` and ``.json``: any catalogue query's rows, parameters in the URL.

The SPARQL protocol endpoint ``/query`` stays where it was (:mod:`oncokg.server`).
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from oncokg.api import OncoKG
from oncokg.backend import Rows
from oncokg.catalogue import load_catalogue
from oncokg.errors import NotFound, OncoKGError, ParameterError
from oncokg.namespaces import PREFIXES
from oncokg.output import render
from oncokg.web import pages
from oncokg.web.plots import Bar, bar_chart
from oncokg.web.rdf import MEDIA_TYPES, negotiate, serialize
from oncokg.web.search import search

HERE = Path(__file__).parent
SUFFIXES = tuple(f".{kind}" for kind in MEDIA_TYPES)
PLOTS = {  # /plots/KIND: the catalogue query, the default endpoint, the title
    "forest": ("hazard-ratios", "OS", "Hazard ratios for {} across trials"),
    "endpoint": ("endpoint-across-drugs", "PFS", "{} across drugs, in months"),
}


def web_routes(kg: OncoKG) -> list[Route | Mount]:
    """The routes of the web application over ``kg`` (whose backend is the worker pool)."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    def page(
        request: Request,
        name: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> Response:
        return templates.TemplateResponse(
            request, name, context, status_code=status, headers=headers
        )

    def failure(request: Request, err: Exception) -> Response:
        status = (
            404 if isinstance(err, NotFound) else 400 if isinstance(err, ParameterError) else 503
        )
        return page(
            request,
            "error.html",
            status,
            title="Not found" if status == 404 else "Error",
            message=str(err),
        )

    async def home(request: Request) -> Response:
        def build() -> dict[str, Any]:
            drugs = pages.table("Drugs", "table-drugs", {}, kg.query("table-drugs"))
            sources = pages.table("Sources", "sources", {}, kg.query("sources"))
            return {"drugs": drugs, "sources": sources}

        try:
            context = await run_in_threadpool(build)
        except OncoKGError as err:
            return failure(request, err)
        return page(request, "home.html", title="OncoKG", **context)

    async def resource(request: Request) -> Response:
        path = "/" + request.url.path.strip("/").split("/", 1)[0] + "/"
        name = request.path_params["name"]
        kind = negotiate(request.headers.get("accept", ""))
        for suffix in SUFFIXES:
            if name.endswith(suffix):
                name, kind = name[: -len(suffix)], suffix[1:]
        iri = pages.iri_of(path, name)
        try:
            if kind != "html":
                rows = await run_in_threadpool(kg.query, "resource-statements", resource=iri)
                if not rows:
                    raise NotFound("resource", iri, "the graph states nothing about it")
                body = serialize(iri, rows, kind)
                return Response(body, media_type=MEDIA_TYPES[kind], headers={"Vary": "Accept"})
            built = await run_in_threadpool(pages.resource_page, kg, iri)
        except OncoKGError as err:
            return failure(request, err)
        if built is None:
            return failure(request, NotFound("resource", iri, "the graph states nothing about it"))
        alternates = {kind: f"{request.url.path}{'.' + kind}" for kind in MEDIA_TYPES}
        return page(
            request,
            "resource.html",
            title=built.label,
            headers={"Vary": "Accept"},
            page=built,
            alternates=alternates,
        )

    async def search_page(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        try:
            hits = await run_in_threadpool(search, kg, text) if text else []
        except OncoKGError as err:
            return failure(request, err)
        return page(
            request,
            "search.html",
            title=f"Search: {text}" if text else "Search",
            search_text=text,
            hits=hits,
        )

    async def suggestions(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        try:
            hits = await run_in_threadpool(search, kg, text, 12) if text else []
        except OncoKGError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        return JSONResponse([hit.as_json() for hit in hits])

    async def sparql_page(request: Request) -> Response:
        catalogue = load_catalogue()
        example = request.query_params.get("example")
        text = request.query_params.get("query")
        if example:
            try:
                query = catalogue[example]
            except KeyError:
                return failure(request, NotFound("query", example, "see the list below"))
            params = {p.name: p.example for p in query.parameters}
            try:
                text = await run_in_threadpool(kg.sparql_for, example, **params)
            except OncoKGError as err:
                return failure(request, err)
        results = None
        error = None
        if text:
            try:
                rows = await run_in_threadpool(kg.select, text)
                results = pages.table("Results", "", {}, rows)
            except OncoKGError as err:
                error = str(err)
        if text is None:
            text = catalogue["table-drugs"].sparql.strip()
        encoded = urllib.parse.urlencode({"query": text})
        return page(
            request,
            "sparql.html",
            title="OncoKG SPARQL query",
            text=text,
            results=results,
            error=error,
            catalogue=sorted(catalogue.values(), key=lambda q: q.name),
            prefixes=PREFIXES,
            downloads={f: f"/query?{encoded}&format={f}" for f in ("csv", "json")},
        )

    async def plot_page(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in PLOTS:
            return failure(request, NotFound("plot", kind, f"use one of {', '.join(PLOTS)}"))
        query, default, heading = PLOTS[kind]
        endpoint = request.query_params.get("endpoint", default)
        try:
            rows = await run_in_threadpool(kg.query, query, endpoint=endpoint)
        except OncoKGError as err:
            return failure(request, err)
        title = heading.format(endpoint)
        source = pages.table(title, query, {"endpoint": endpoint}, rows)
        if kind == "forest":
            plot = pages.hazard_ratio_plot(title, source)
        else:
            plot = pages.Plot(title, bar_chart(endpoint_bars(rows), title, "months"), source)
        return page(request, "plot.html", title=title, plot=plot, endpoint=endpoint, kind=kind)

    async def catalogue_rows(request: Request) -> Response:
        name, _, fmt = request.path_params["file"].rpartition(".")
        if fmt not in ("csv", "json"):
            return failure(request, ParameterError("download .csv or .json"))
        params = dict(request.query_params)
        try:
            rows = await run_in_threadpool(kg.query, name, **params)
        except OncoKGError as err:
            return failure(request, err)
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
        return Response(render(rows, fmt), media_type=media, headers=headers)

    return [
        Route("/", home),
        Route("/resource/{name:path}", resource),
        Route("/ontology/{name:path}", resource),
        Route("/graph/{name:path}", resource),
        Route("/search", search_page),
        Route("/search.json", suggestions),
        Route("/sparql", sparql_page),
        Route("/plots/{kind}", plot_page),
        Route("/catalogue/{file}", catalogue_rows),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]


def endpoint_bars(rows: Rows) -> list[Bar]:
    """One bar per value in months, coloured by line of therapy and disease."""
    bars = []
    for row in rows:
        if row["valueMonths"] is None:
            continue
        label = str(row["therapyLabel"] or "")
        if row["subgroup"] is not None:
            label += f" [{row['subgroup']}]"
        months = float(str(row["valueMonths"]))
        note = f"{months:g} mo ({row['value']} {row['unit']}, {row['statistic']})"
        group = " · ".join(str(v) for v in (row["line"], row["diseaseLabel"]) if v is not None)
        bars.append(Bar(label, months, group or "population not stated", note))
    return bars
