"""The built site as a reader and a crawler see it: pages, links both ways, no third parties."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitecheck import by_class, elements, facts_of, ids, links, resolve, speakers

pytestmark = pytest.mark.slow

SITE_URL = "http://127.0.0.1:8000/"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_of_the_contract_exists(built_site):
    expected = ["index.html", "meetings/index.html", "meetings/244/index.html", "meetings/136/index.html",
                "commissioners/index.html", "agencies/index.html", "decisions/index.html", "search/index.html",
                "feed.xml", "sitemap.xml", "api/meetings.json", "api/speeches.json", "api/decisions.json"]
    expected += [f"meetings/244/agenda/{k}/index.html" for k in range(1, 5)]
    expected += [f"meetings/136/agenda/{k}/index.html" for k in range(1, 6)]
    expected += [f"commissioners/{c}/index.html" for c in ("tanno", "ogawa", "nakamura", "oshima", "asai", "kato",
                                                           "fujiwara", "kajita", "takamura")]
    expected += ["agencies/digital-agency/index.html", "agencies/mhlw/index.html", "agencies/nta/index.html",
                 "decisions/2023-05-31-taio-hoshin/index.html"]
    missing = [p for p in expected if not (built_site / p).is_file()]
    assert missing == []


def test_every_internal_link_resolves(built_site):
    broken = []
    id_cache: dict[Path, set[str]] = {}
    for page in pages(built_site):
        for link in links(built_site, page):
            target = resolve(built_site, link)
            if target is None:
                continue
            path, fragment = target
            if not path.exists():
                broken.append(f"{link.page}: {link.value} (no {path.relative_to(built_site)})")
            elif fragment and path.suffix == ".html":
                known = id_cache.setdefault(path, ids(path))
                if fragment not in known:
                    broken.append(f"{link.page}: {link.value} (no #{fragment})")
    assert broken == []


RESOURCE = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("link", "href")}
# Material's bundle names unpkg.com in two code paths that never run here: a ResizeObserver
# polyfill (every supported browser has ResizeObserver) and Mermaid (no page has a diagram).
# The Content-Security-Policy of every page would block them anyway; the browser test records
# every request a reader's browser makes and finds none to another host.
ALLOWED_IN_BUNDLE = {"https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js"}


def test_no_page_loads_anything_from_another_host(built_site):
    outside = []
    for page in pages(built_site):
        els = elements(page)
        for el in els:
            for tag, attr in RESOURCE:
                value = el["attrs"].get(attr) if el["tag"] == tag else None
                if not value or not re.match(r"(https?:)?//", value) or value.startswith(SITE_URL):
                    continue
                if tag == "link" and el["attrs"].get("rel") in ("canonical", "alternate"):
                    continue
                outside.append(f"{page.relative_to(built_site)}: <{tag} {attr}={value}>")
        csp = [e["attrs"]["content"] for e in els if e["tag"] == "meta"
               and e["attrs"].get("http-equiv") == "Content-Security-Policy"]
        assert len(csp) == 1 and "default-src 'self'" in csp[0], page
    assert outside == []
    hosts = re.compile(r"https?://(?:fonts\.googleapis\.com|fonts\.gstatic\.com|unpkg\.com|cdn\.jsdelivr\.net|"
                       r"cdnjs\.cloudflare\.com|www\.googletagmanager\.com)[^\"')\s]*")
    found = set()
    for path in built_site.rglob("*"):
        if path.suffix in (".html", ".css", ".js", ".json", ".xml") and path.is_file():
            for url in hosts.findall(path.read_text(encoding="utf-8", errors="replace")):
                if not (path.name.startswith("bundle.") and url in ALLOWED_IN_BUNDLE):
                    found.add(f"{path.relative_to(built_site)}: {url}")
    assert found == set()


def test_speech_and_commissioner_link_both_ways(built_site):
    meeting = elements(built_site / "meetings" / "244" / "index.html")
    speaker = next(s for s in speakers(meeting) if s["text"] == "髙村委員")
    assert speaker["href"] == "../../commissioners/takamura/"
    person = elements(built_site / "commissioners" / "takamura" / "index.html")
    hrefs = [e["attrs"]["href"] for e in person if e["tag"] == "a" and "#speech-" in e["attrs"].get("href", "")]
    assert hrefs == ["../../meetings/244/#speech-13"]
    assert facts_of(person)["公開された発言"] == "1件"


def test_item_and_meeting_link_both_ways(built_site):
    meeting = elements(built_site / "meetings" / "244" / "index.html")
    hrefs = {e["attrs"].get("href") for e in meeting if e["tag"] == "a"}
    assert {f"agenda/{k}/" for k in range(1, 5)} <= hrefs
    item = elements(built_site / "meetings" / "244" / "agenda" / "2" / "index.html")
    item_hrefs = [e["attrs"].get("href") for e in item if e["tag"] == "a"]
    assert "../../" in item_hrefs  # back to the meeting
    assert "../../#speech-7" in item_hrefs  # 小川委員's remark on its permalink
    assert [e["attrs"]["id"] for e in by_class(item, "gk-speech")] == [f"speech-{n}" for n in range(5, 11)]


def test_item_and_agency_link_both_ways(built_site):
    item = elements(built_site / "meetings" / "244" / "agenda" / "2" / "index.html")
    assert "../../../../agencies/mhlw/" in [e["attrs"].get("href") for e in item if e["tag"] == "a"]
    agency = elements(built_site / "agencies" / "mhlw" / "index.html")
    hrefs = [e["attrs"].get("href") for e in agency if e["tag"] == "a"]
    assert "../../meetings/244/agenda/2/" in hrefs
    assert "../../meetings/244/agenda/3/" in hrefs


def test_decision_meeting_and_agency_link_both_ways(built_site):
    doc = elements(built_site / "decisions" / "2023-05-31-taio-hoshin" / "index.html")
    hrefs = [e["attrs"].get("href") for e in doc if e["tag"] == "a"]
    assert "../../meetings/244/" in hrefs and "../../meetings/244/agenda/3/" in hrefs
    assert "../../agencies/digital-agency/" in hrefs
    for page in ("meetings/244/index.html", "meetings/244/agenda/3/index.html", "agencies/digital-agency/index.html"):
        els = elements(built_site / page)
        assert any(e["tag"] == "a" and e["attrs"].get("href", "").endswith("decisions/2023-05-31-taio-hoshin/")
                   for e in els), page


def test_agency_mentions_by_alias(built_site):
    """厚生労働大臣 in a speech counts as a mention of 厚生労働省."""
    agency = elements(built_site / "agencies" / "mhlw" / "index.html")
    hrefs = [e["attrs"].get("href") for e in agency if e["tag"] == "a"]
    assert "../../meetings/244/#speech-5" in hrefs  # 「今般、厚生労働大臣から、…」


def test_same_kind_items_across_meetings(built_site):
    item = elements(built_site / "meetings" / "244" / "agenda" / "2" / "index.html")
    hrefs = [e["attrs"].get("href") for e in item if e["tag"] == "a"]
    assert "../../../136/agenda/1/" in hrefs and "../../../136/agenda/2/" in hrefs


def test_previous_and_next_meeting(built_site):
    m136 = elements(built_site / "meetings" / "136" / "index.html")
    nxt = [e for e in m136 if e["tag"] == "a" and e["attrs"].get("rel") == "next"]
    assert [e["attrs"]["href"] for e in nxt] == ["../244/"]


def test_page_metadata(built_site):
    els = elements(built_site / "meetings" / "244" / "index.html")
    meta = {(e["attrs"].get("name") or e["attrs"].get("property")): e["attrs"].get("content")
            for e in els if e["tag"] == "meta"}
    assert meta["description"].startswith("第244回個人情報保護委員会（2023年5月31日（水））の議事録。")
    assert meta["og:title"].startswith("第244回個人情報保護委員会")
    assert meta["og:url"] == SITE_URL + "meetings/244/"
    canonical = [e["attrs"]["href"] for e in els if e["tag"] == "link" and e["attrs"].get("rel") == "canonical"]
    assert canonical == [SITE_URL + "meetings/244/"]
    html = next(e for e in els if e["tag"] == "html")
    assert html["attrs"]["lang"] == "ja"


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_valid_atom_with_every_meeting_and_decision(built_site):
    root = ET.parse(built_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    entries = root.findall(f"{ATOM}entry")
    urls = set()
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text, required
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith(SITE_URL)
        assert (built_site / href[len(SITE_URL):] / "index.html").is_file()
        urls.add(href)
        assert root.find(f"{ATOM}updated").text >= entry.find(f"{ATOM}updated").text
    assert len(entries) == 5 and len(urls) == 5


def test_sitemap_lists_every_page_and_only_pages(built_site):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.parse(built_site / "sitemap.xml").getroot()
    assert root.tag == f"{ns}urlset"
    locs = [u.find(f"{ns}loc").text for u in root.findall(f"{ns}url")]
    assert len(locs) == len(set(locs))
    for loc in locs:
        assert loc.startswith(SITE_URL)
        assert (built_site / loc[len(SITE_URL):] / "index.html").is_file(), loc
    html_pages = {p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    listed = {loc[len(SITE_URL):].rstrip("/") or "." for loc in locs}
    assert html_pages - listed == set()


def test_charts_are_svg_with_a_text_alternative(built_site):
    els = elements(built_site / "commissioners" / "tanno" / "index.html")
    svg = by_class(els, "gk-chart__svg")[0]
    assert svg["attrs"]["role"] == "img"
    title = next(e for e in els if e["tag"] == "title" and e["attrs"].get("id") == "gk-chart-title")
    desc = next(e for e in els if e["tag"] == "desc")
    assert title["text"] == "丹野委員長の年ごとの発言数（公開された発言のみ）"  # the role the record gives
    assert desc["text"] == "2023年 9件、日付不明 7件"
    labels = [e["text"] for e in by_class(els, "gk-chart__label")]
    assert labels == ["2023", "日付不明"]  # the bar of the undated 第136回


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    """The fixture project with a page limit of 1, so every long list is split by year."""
    from conftest import build_on_fixed_date, make_project

    root = make_project(tmp_path_factory.mktemp("split") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIJIROKU_PAGE_LIMIT", "1")
        return build_on_fixed_date(root)


def test_long_pages_split_by_year_and_every_link_resolves(split_site):
    assert (split_site / "commissioners" / "inoue" / "2023" / "index.html").is_file()
    assert (split_site / "agencies" / "digital-agency" / "2023" / "index.html").is_file()
    main = elements(split_site / "commissioners" / "inoue" / "index.html")
    assert "2023/" in [e["attrs"].get("href") for e in main if e["tag"] == "a"]
    year = elements(split_site / "commissioners" / "inoue" / "2023" / "index.html")
    hrefs = [e["attrs"].get("href") for e in year if e["tag"] == "a"]
    assert "../../../meetings/10/#speech-2" in hrefs and "../" in hrefs
    broken = []
    for page in pages(split_site):
        for link in links(split_site, page):
            target = resolve(split_site, link)
            if target and not target[0].exists():
                broken.append(f"{link.page}: {link.value}")
    assert broken == []
