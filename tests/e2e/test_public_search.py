"""The public search page on the web tests' register of real documents (issue #12): every facet link lists
exactly as many results as its count, in every mode; totals and pages are honest; a number typed in the box
finds its document; ``-word`` excludes; the example queries find documents; whole words are marked."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from e2e.web_app import WebRegister, web_register  # noqa: F401 - the session fixture

FACET_LINK = re.compile(r'<li><a href="([^"]+)"[^>]*>([^<]*)</a> <span class="count">([\d,]+)</span>')
TOTAL = re.compile(r'id="result-count" data-total="(\d+)"')
HIT = re.compile(r'<a class="hit-title" href="/documents/([^"]+)">')
MODES = ("bm25", "semantic", "hybrid")
# Keyword queries of several kinds on the test register: words, OR (the precedence trap), fields with dates,
# Chinese, an exclusion.
QUERIES = ("measuring OR method", "ti=(system OR device) AND pd>=2000", "数据 OR 方法", "method -measuring")


@pytest.fixture(scope="module")
def client(web_register: WebRegister) -> Iterator[TestClient]:  # noqa: F811
    from ipoffice.entrypoints.web.app import create_app

    with TestClient(create_app(web_register.settings)) as c:
        yield c


@pytest.fixture(scope="module")
def semantic(client: TestClient) -> bool:
    return "semantic index not built" not in client.get("/search", params={"q": "method", "mode": "semantic"}).text


def total(page: str) -> int:
    m = TOTAL.search(page)
    assert m, "no result count on the page"
    return int(m[1])


def facet_links(page: str) -> list[tuple[str, str, int]]:
    """(url, label, count) of every facet link of a result page."""
    return [(html.unescape(href), html.unescape(label), int(count.replace(",", "")))
            for href, label, count in FACET_LINK.findall(page)]


def csv_rows(client: TestClient, url: str) -> list[dict[str, str]]:
    response = client.get("/search.csv?" + urlsplit(url).query)
    assert response.status_code == 200, (url, response.text[:300])
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def search(client: TestClient, q: str, **params: object) -> str:
    response = client.get("/search", params={"q": q, **params})
    assert response.status_code == 200, (q, params, response.text[:500])
    return response.text


def skip_without_semantic(mode: str, semantic: bool) -> None:
    if mode != "bm25" and not semantic:
        pytest.skip("the semantic index of the web register was not built")


def assert_links_count_what_they_list(client: TestClient, page: str, depth: int) -> int:
    """Follow every facet link of ``page`` (and, ``depth`` > 1, the first link of each facet group of the page
    it leads to); the page and its CSV list exactly the count. Returns the links followed."""
    followed = 0
    for index, (url, label, count) in enumerate(facet_links(page)):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert total(response.text) == count, f"{label}: count {count}, the link lists {total(response.text)}: {url}"
        assert len(csv_rows(client, url)) == min(count, 500), url
        followed += 1
        # A second refinement: after the first link (a filter), and after the first that refines the query.
        if depth > 1 and (index == 0 or ("+AND+" in url and "+AND+" not in "".join(u for u, _, _ in
                                                                               facet_links(page)[:index]))):
            followed += assert_links_count_what_they_list(client, response.text, depth - 1)
    return followed


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("q", QUERIES)
def test_every_facet_link_lists_as_many_results_as_its_count(client: TestClient, semantic: bool, q: str,
                                                             mode: str) -> None:
    skip_without_semantic(mode, semantic)
    page = search(client, q, mode=mode)
    links = facet_links(page)
    assert links, f"no facets for {q!r} ({mode})"
    names = {urlsplit(u).query for u, _, _ in links}
    assert any("f_legal_status" in n for n in names) and any("f_right_type" in n for n in names)
    assert any("ic%3D" in n or "f_ipc_section" in n for n in names), "no IPC facet"
    assert assert_links_count_what_they_list(client, page, depth=2) >= len(links)


def test_a_facet_restricts_the_whole_query_not_its_last_word(client: TestClient) -> None:
    page = search(client, "measuring OR method")
    ipc = [(u, label, n) for u, label, n in facet_links(page) if "ic%3D" in urlsplit(u).query]
    url, label, count = ipc[0]
    refined = urlsplit(url).query
    assert "q=%28measuring+OR+method%29+AND+" in refined, refined  # the query in parentheses
    numbers = HIT.findall(client.get(url).text)
    assert numbers and len(numbers) == min(count, 10)


@pytest.mark.parametrize("mode", MODES)
def test_legal_status_facet_and_its_csv_answer(client: TestClient, semantic: bool, mode: str) -> None:
    skip_without_semantic(mode, semantic)
    page = search(client, "measuring OR method", mode=mode)
    status = [(u, n) for u, _, n in facet_links(page) if "f_legal_status=" in u]
    assert status
    for url, count in status:
        rows = csv_rows(client, url)
        wanted = re.search(r"f_legal_status=([a-z_]+)", url)[1]  # type: ignore[index]
        assert len(rows) == min(count, 500) and {r["legal_status"] for r in rows} == {wanted}


def test_applicant_facet_lists_applicants_not_agents_nor_inventors(client: TestClient,
                                                                   web_register: WebRegister) -> None:  # noqa: F811
    from ipoffice.bootstrap import office
    from ipoffice.domain.document import PartyRole
    from ipoffice.domain.search import applicant_names

    register = office(web_register.settings).register
    page = search(client, "measuring OR method OR system OR device", mode="bm25")
    applicants = [label for u, label, _ in facet_links(page) if "f_applicant=" in u]
    assert applicants
    agents, inventors, proper = set(), set(), set()
    for doc in register.iter_documents():
        agents |= {p.name for p in doc.parties if p.role == PartyRole.AGENT}
        inventors |= {p.name for p in doc.parties if p.role == PartyRole.INVENTOR}
        proper |= set(applicant_names(doc.parties))
    for name in applicants:
        assert name in proper, f"{name!r} is not an applicant of any document"
        assert name not in agents - proper, f"{name!r} is an agent"


def test_applicant_names_leave_out_agents_and_applicant_inventors() -> None:
    from ipoffice.domain.document import Party, PartyRole
    from ipoffice.domain.search import applicant_names

    us_grant = [Party(PartyRole.APPLICANT, "Adam Mark Will"), Party(PartyRole.INVENTOR, "Adam Mark Will"),
                Party(PartyRole.AGENT, "Akerman Senterfitt"), Party(PartyRole.ASSIGNEE, "Motorola, Inc.")]
    assert applicant_names(us_grant) == ["Motorola, Inc."]
    alone = [Party(PartyRole.APPLICANT, "Daniel P. Casey"), Party(PartyRole.INVENTOR, "Daniel P. Casey"),
             Party(PartyRole.AGENT, "A Law Firm LLP")]
    assert applicant_names(alone) == ["Daniel P. Casey"]
    ep = [Party(PartyRole.APPLICANT, "CANON KABUSHIKI KAISHA"), Party(PartyRole.INVENTOR, "Yamada, Taro")]
    assert applicant_names(ep) == ["CANON KABUSHIKI KAISHA"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("q", ["method", "measuring OR method", "数据"])
def test_every_page_the_total_promises_has_results(client: TestClient, semantic: bool, q: str, mode: str) -> None:
    skip_without_semantic(mode, semantic)
    first = search(client, q, mode=mode)
    n = total(first)
    pages = max(1, -(-n // 10))
    assert re.search(rf"\b{pages}\b", re.search(r'<nav class="pager">(.*?)</nav>', first, re.S)[1])  # type: ignore[index]
    listed = []
    for page in range(1, pages + 1):
        listed += HIT.findall(search(client, q, mode=mode, page=page))
    assert len(listed) == n == len(set(listed)), f"{q!r} ({mode}): says {n}, lists {len(listed)}"
    beyond = search(client, q, mode=mode, page=pages + 5)  # a page past the last shows the last
    assert HIT.findall(beyond) == HIT.findall(search(client, q, mode=mode, page=pages))
    if mode == "semantic":
        assert "most similar" in first
    if mode == "hybrid":
        assert "combined" in first


@pytest.mark.parametrize(("typed", "number"), [
    ("US 2022/0159901 A1", "US20220159901A1"),
    ("US20220159901A1", "US20220159901A1"),
    ("2022/0159901", "US20220159901A1"),
    ("CN118866379A", "CN118866379A"),
    ("118866379", "CN118866379A"),
    ("EP 0449582 B1", "EP0449582B1"),
    ("0449582", "EP0449582B1"),
])
@pytest.mark.parametrize("mode", ["bm25", "semantic"])
def test_a_number_typed_as_the_whole_query_finds_the_document(client: TestClient, semantic: bool, typed: str,
                                                              number: str, mode: str) -> None:
    skip_without_semantic(mode, semantic)
    page = search(client, typed, mode=mode)
    assert HIT.findall(page)[:1] == [number], typed
    assert 'id="number-search"' in page
    assert_links_count_what_they_list(client, page, depth=1)


def test_a_number_that_finds_nothing_falls_back_to_text(client: TestClient) -> None:
    page = search(client, "US 9999999999 B2")
    assert 'id="number-search"' not in page and total(page) == 0


@pytest.mark.parametrize(("word", "excluded"), [("method", "measuring"), ("system", "data"), ("方法", "数据")])
def test_minus_excludes_a_word_and_plus_requires_it(client: TestClient, word: str, excluded: str) -> None:
    alone = total(search(client, word))
    both = total(search(client, f"{word} {excluded}"))
    without = total(search(client, f"{word} -{excluded}"))
    assert 0 < without < alone and without == alone - both, (alone, both, without)
    assert total(search(client, f"{word} +{excluded}")) == both
    assert total(search(client, f"{word} -({excluded})")) == without


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_example_queries_on_the_search_page_find_documents(client: TestClient, lang: str) -> None:
    home = client.get("/", headers={"Accept-Language": lang}).text
    examples = re.findall(r'<a class="example" href="([^"]+)">', home)
    assert len(examples) >= 3
    for href in examples:
        page = client.get(html.unescape(href)).text
        assert total(page) > 0, href
    placeholder = html.unescape(re.search(r'<input id="q"[^>]* placeholder="([^"]+)"', home)[1])  # type: ignore[index]
    example = placeholder.split(" ", 1)[1]  # after "e.g." / "例如"
    assert total(search(client, example)) > 0, placeholder


def test_a_bad_year_filter_is_422_naming_it(client: TestClient) -> None:
    response = client.get("/search", params={"q": "method", "f_year": "20x0"})
    assert response.status_code == 422 and "f_year" in response.text
    assert client.get("/search.csv", params={"q": "method", "f_year": "20x0"}).status_code == 422


def test_highlighting_marks_whole_words_in_titles_and_snippets(client: TestClient) -> None:
    page = search(client, 'ti="measuring method" OR measure*')
    marks = re.findall(r"(.)<mark>([^<]*)</mark>(.)", page)
    assert marks
    for before, word, after in marks:
        assert not before.isalnum() and not after.isalnum(), f"a part of a word is marked: {before}[{word}]{after}"
    titles = re.findall(r'<a class="hit-title"[^>]*>(.*?)</a>', page)
    assert any("<mark>" in t for t in titles)
    wireless = search(client, "wireless")
    assert all(w.lower().startswith("wireless") for w in re.findall(r"<mark>([^<]*)</mark>", wireless))


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_semantic_and_hybrid_keep_the_query_conditions(client: TestClient, semantic: bool, mode: str) -> None:
    """A semantic ranking embeds the topic; the dates, classes and exclusions of the query still hold."""
    skip_without_semantic(mode, semantic)
    dated = csv_rows(client, "/search.csv?" + "&".join(
        (f"mode={mode}", "q=ti%3D%28system+OR+device%29+AND+pd%3E%3D2000")))
    assert dated and all(r["publication_date"] >= "2000-01-01" for r in dated), [r["publication_date"] for r in dated]
    excluded = {r["number"] for r in csv_rows(client, "/search.csv?q=measuring&mode=bm25")}
    kept = {r["number"] for r in csv_rows(client, f"/search.csv?q=method+-measuring&mode={mode}")}
    assert excluded and kept and not kept & excluded


@pytest.mark.parametrize(("lang", "one", "wrong"), [("en", ">1 result<", "1 results"), ("zh", ">共 1 条结果<", None)])
def test_a_single_result_is_counted_in_the_singular(client: TestClient, lang: str, one: str, wrong: str | None) -> None:
    page = client.get("/search", params={"q": "EP 0449582 B1", "lang": lang}).text
    assert total(page) == 1
    assert one in page
    assert wrong is None or wrong not in page
    many = client.get("/search", params={"q": "method", "lang": lang}).text
    assert total(many) > 1 and one not in many


@pytest.mark.parametrize(("typed", "number"), [("0449582", "EP0449582B1"), ("EP 0449582 B1", "EP0449582B1")])
def test_the_api_searches_a_printed_number_as_the_page_does(client: TestClient, typed: str, number: str) -> None:
    body = client.get("/api/v1/search", params={"q": typed}).json()
    assert [h["number"] for h in body["hits"]][:1] == [number]
    assert body["number_search"].startswith("num=")
    words = client.get("/api/v1/search", params={"q": "method"}).json()
    assert words["total"] > 1 and words.get("number_search") is None
    nothing = client.get("/api/v1/search", params={"q": "US 9999999999 B2"}).json()
    assert nothing.get("number_search") is None  # a number that finds nothing is searched as text
