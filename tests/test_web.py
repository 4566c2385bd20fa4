"""The web application of ``oncokg serve``, over HTTP: pages, content negotiation, search,
plots, the query page and downloads, on the curated graph, against a live server."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import threading
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from oncokg.api import OncoKG
from oncokg.catalogue import load_catalogue
from oncokg.output import render
from oncokg.terms import Iri

from .conftest import Serving

RESOURCE = "https://w3id.org/oncokg/resource/"
NEGOTIATED = ["imatinib", "KIT", "trial-002-imforte", "s002-cmp-os", "src-002"]
FORMATS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
}
CASES = [
    (name, kind, how) for name in NEGOTIATED for kind in FORMATS for how in ("accept", "suffix")
]


@pytest.fixture(scope="module")
def kg() -> Iterator[OncoKG]:
    with OncoKG.open() as opened:
        yield opened


@pytest.fixture(scope="module")
def client(web: Serving) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web.url, timeout=30) as opened:
        yield opened


def test_negotiation_cases() -> None:
    assert len(CASES) == 30


@pytest.mark.parametrize(("name", "kind", "how"), CASES)
def test_content_negotiation(
    client: httpx.Client, kg: OncoKG, name: str, kind: str, how: str
) -> None:
    """The IRI's path answers RDF when asked, by Accept or by suffix; it parses, and holds
    exactly the thing's own statements."""
    media, fmt = FORMATS[kind]
    if how == "accept":
        response = client.get(f"/resource/{name}", headers={"Accept": f"{media}, text/html;q=0.5"})
    else:
        response = client.get(f"/resource/{name}.{kind}")
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    if kind == "jsonld":
        assert "okr" in response.json()["@context"]
    parsed = {
        (t.subject.value, t.predicate.value, str(t.object.value))
        for t in ox.parse(response.content, format=fmt)
    }
    expected = {
        (RESOURCE + name, str(r["property"]), str(r["value"]))
        for r in kg.query("resource-statements", resource=Iri(RESOURCE + name))
    }
    assert parsed == expected and len(parsed) >= 5


def test_browsers_get_html_and_unknown_things_404(client: httpx.Client) -> None:
    page = client.get("/resource/imatinib", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<link rel="alternate" type="text/turtle" href="/resource/imatinib.ttl">' in page.text
    assert client.get("/resource/imatinib", headers={"Accept": "*/*"}).text == page.text
    for path in ("/resource/no-such-thing", "/resource/no-such-thing.ttl"):
        missing = client.get(path)
        assert missing.status_code == 404 and "no-such-thing" in missing.text


def test_turtle_is_read_by_rdflib_with_prefixes(client: httpx.Client) -> None:
    text = client.get("/resource/imatinib.ttl").text
    graph = rdflib.Graph().parse(data=text, format="turtle")
    assert (
        rdflib.URIRef(RESOURCE + "imatinib"),
        rdflib.RDFS.label,
        rdflib.Literal("伊马替尼", lang="zh-hans"),
    ) in graph
    assert "@prefix okr: <https://w3id.org/oncokg/resource/>" in text


def test_every_drug_has_a_page_with_its_sections(client: httpx.Client, kg: OncoKG) -> None:
    drugs = kg.query("table-drugs")
    assert len(drugs) == 22
    for row in drugs:
        path = str(row["drug"]).replace(RESOURCE, "/resource/")
        page = client.get(path)
        assert page.status_code == 200, path
        assert f"<h1>{row['label']}</h1>" in page.text
        for section in ("Targets", "Dosing", "Adverse events", "Trial results", "Statements"):
            assert f">{section}" in page.text, (path, section)


def test_a_fact_links_to_its_claim_and_the_claim_to_its_source(client: httpx.Client) -> None:
    drug = client.get("/resource/sotorasib").text
    claims = re.findall(r'href="(/resource/s000-[^"]+)"', drug)
    assert claims
    claim = client.get(claims[0]).text
    assert "Provenance" in claim and "quotes" in claim
    assert 'href="/resource/src-000"' in claim
    source = client.get("/resource/src-000").text
    assert "Referred to by" in source and claims[0].rsplit("/", 1)[1] in source


def test_chinese_names_show_with_their_language(client: httpx.Client) -> None:
    page = client.get("/resource/sunitinib").text
    assert '<span lang="zh-hans">舒尼替尼</span>' in page


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("舒尼替尼", "sunitinib"),
        ("LUMAKRAS", "sotorasib"),
        ("CHEMBL941", "imatinib"),
        ("HGNC:6342", "KIT"),
        ("imatin", "imatinib"),
        ("IMforte", "trial-002-imforte"),
    ],
)
def test_search_suggestions(client: httpx.Client, text: str, first: str) -> None:
    hits = client.get("/search.json", params={"q": text}).json()
    assert hits, text
    assert [h["href"] for h in hits[:3]].count(f"/resource/{first}") == 1, hits[:3]
    if text != "IMforte":  # a trial name also appears in its claims' labels
        assert hits[0]["href"] == f"/resource/{first}"


def test_search_page_without_script_and_its_errors(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "舒尼替尼"}).text
    assert '<a href="/resource/sunitinib">sunitinib</a>' in page
    nothing = client.get("/search", params={"q": "zzzz-not-a-name"}).text
    assert "Nothing in the graph is named" in nothing
    assert client.get("/search.json", params={"q": "x" * 201}).status_code == 400


def test_query_page_lists_the_catalogue_and_runs_examples(client: httpx.Client) -> None:
    catalogue = load_catalogue()
    page = client.get("/sparql").text
    examples = re.findall(r'href="/sparql\?example=([\w.-]+)"', page)
    assert sorted(examples) == sorted(catalogue) and len(examples) == 58
    for name in ("targets-of-drug", "trial-outcomes", "label-search"):
        answer = client.get("/sparql", params={"example": name}).text
        assert "Results" in answer and "None in the graph" not in answer, name
        assert 'href="/resource/' in answer and "VALUES" in answer


def test_query_page_shows_errors_and_refuses_updates(client: httpx.Client) -> None:
    broken = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"}).text
    assert 'class="error"' in broken and "syntax" in broken.lower()
    update = client.get("/sparql", params={"query": "DROP ALL"}).text
    assert "update" in update.lower() and 'class="error"' in update
    assert client.get("/resource/imatinib").status_code == 200  # nothing was dropped


def test_downloads_are_the_rows_of_the_query(client: httpx.Client, kg: OncoKG) -> None:
    rows = kg.query("dosing", drug="sotorasib")
    download = client.get("/catalogue/dosing.csv", params={"drug": "sotorasib"})
    assert download.status_code == 200 and download.text == render(rows, "csv")
    assert "attachment" in download.headers["content-disposition"]
    as_json = client.get("/catalogue/dosing.json", params={"drug": "sotorasib"}).json()
    assert len(as_json) == len(rows) == 1
    query = "SELECT ?d WHERE { ?d a okg:Drug } ORDER BY ?d LIMIT 3"
    table = client.get("/query", params={"query": query, "format": "csv"}).text
    assert len(list(csv.reader(io.StringIO(table)))) == 4
    assert client.get("/catalogue/dosing.csv", params={"drug": "aspirinx"}).status_code == 404


def test_forest_plot_across_trials(client: httpx.Client) -> None:
    page = client.get("/plots/forest", params={"endpoint": "OS"}).text
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None
    assert "HR 0.73 (95% CI 0.57-0.95), p = 0.0174" in svg.group(0)
    assert "<desc>IMforte: HR 0.73 (95% CI 0.57-0.95), p = 0.0174</desc>" in svg.group(0)
    assert "/catalogue/hazard-ratios.csv?endpoint=OS" in page


def test_trial_page_forest_plot(client: httpx.Client) -> None:
    page = client.get("/resource/trial-002-imforte").text
    desc = re.search(r"<desc>(.*?)</desc>", page)
    assert desc is not None
    assert desc.group(1) == (
        "IMforte OS: HR 0.73 (95% CI 0.57-0.95), p = 0.0174; IMforte PFS: HR 0.54, p &lt; 0.0001"
    )


def test_endpoint_chart_in_months_with_line_and_disease(client: httpx.Client, kg: OncoKG) -> None:
    rows = [r for r in kg.query("endpoint-across-drugs", endpoint="PFS") if r["valueMonths"]]
    page = client.get("/plots/endpoint", params={"endpoint": "PFS"}).text
    desc = re.search(r"<desc>(.*?)</desc>", page)
    assert desc is not None and len(rows) == 20
    assert desc.group(1).count(" mo (") == len(rows)
    assert "24.1 weeks" in desc.group(1) and "5.54 mo" in desc.group(1)  # 24.1 * 7 / 30.4375
    assert "first-line maintenance · small cell lung cancer" in desc.group(1)


def test_drug_page_adverse_events_by_grade_and_arm(client: httpx.Client) -> None:
    page = client.get("/resource/lurbinectedin").text
    desc = re.findall(r"<desc>(.*?)</desc>", page)
    events = [d for d in desc if "treatment-related adverse event" in d]
    assert events and "25.6%, grade 3-4 · lurbinectedin + atezolizumab (IMforte)" in events[0]


class _Outline(html.parser.HTMLParser):
    """Title, heading levels, images and plots of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.levels: list[int] = []
        self.images_without_alt = 0
        self.plots_without_text = 0
        self.scripts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "title" and not self.levels:
            self._in_title = True
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "img" and not found.get("alt"):
            self.images_without_alt += 1
        if tag == "svg" and not (found.get("role") == "img" and found.get("aria-label")):
            self.plots_without_text += 1
        if tag in ("script", "link") and (found.get("src") or found.get("href")):
            self.scripts.append(str(found.get("src") or found.get("href")))

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


PAGES = [
    "/",
    "/resource/imatinib",
    "/resource/sotorasib",
    "/resource/KIT",
    "/resource/trial-002-imforte",
    "/resource/s002-cmp-os",
    "/resource/src-002",
    "/ontology/Drug",
    "/graph/curated",
    "/search?q=kit",
    "/sparql?example=trial-outcomes",
    "/plots/forest?endpoint=OS",
    "/plots/endpoint?endpoint=PFS",
]


@pytest.mark.parametrize("path", PAGES)
def test_accessibility_basics(client: httpx.Client, path: str) -> None:
    """A title, one h1, no heading level skipped, plots with text, nothing from elsewhere."""
    response = client.get(path)
    assert response.status_code == 200
    outline = _Outline()
    outline.feed(response.text)
    assert outline.title.strip() and outline.levels[0] == 1 and outline.levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(outline.levels, outline.levels[1:], strict=False))
    assert outline.images_without_alt == 0 and outline.plots_without_text == 0
    assert all(s.startswith("/") for s in outline.scripts), outline.scripts


def test_assets_ship_in_the_package(client: httpx.Client) -> None:
    for asset, media in (("oncokg.css", "text/css"), ("search.js", "javascript")):
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200 and media in response.headers["content-type"]
        assert "http://" not in response.text and "https://" not in response.text


def test_two_hundred_concurrent_requests_all_answered(web: Serving) -> None:
    """200 page and query requests at once, 20 at a time: every one answered correctly."""
    paths = [
        "/resource/imatinib",
        "/resource/trial-002-imforte",
        "/search.json?q=kit",
        "/query?query=ASK%20%7B%20okr%3Aimatinib%20a%20okg%3ADrug%20%7D&format=json",
    ] * 50
    failures: list[str] = []
    lock = threading.Lock()

    def fetch(batch: list[str]) -> None:
        with httpx.Client(base_url=web.url, timeout=60) as client:
            for path in batch:
                response = client.get(path)
                if response.status_code != 200:
                    with lock:
                        failures.append(f"{path}: {response.status_code}")
                elif path.startswith("/query"):
                    assert json.loads(response.text)["boolean"] is True

    threads = [threading.Thread(target=fetch, args=(paths[i::20],)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(paths) == 200 and failures == []


def test_statements_show_literal_values(client: httpx.Client) -> None:
    """A literal has no label: the statements table shows the literal itself."""
    page = client.get("/resource/KIT-T670I").text
    statements = page[page.index('id="statements"') : page.index('id="referred-to-by"')]
    assert "<td>670</td>" in statements and "<td>p.T670I</td>" in statements
    assert re.search(
        r'<a href="/ontology/gene">has gene</a></td><td><a href="/resource/KIT">', statements
    )
