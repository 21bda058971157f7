"""Hostile input, class 3 and 6 of issue 11: what a withheld item concerns, and false alarms.

Class 3: a 非公表 agenda item publishes its number, title, kind and reason and nothing else;
its outcome, subjects, materials, agencies, decisions and publication appear in no file, and it
takes part in no cross-link (agency pages, kind pages), count, search facet or feed entry.

Class 6: withholding any item of the real record must build (the pages the project writes
quote none of the record) and must hide it. The acceptance test withholds every item of the
real record, until a far date and for good.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hostile import build_site, fold, readings

from conftest import FIXED_EPOCH, FIXTURES, ROOT, make_project
from gijiroku.disclosure.public import build_date, public_record
from gijiroku.record.loader import load_record
from gijiroku.record.model import PLACEHOLDER, Speech
from gijiroku.record.text import squeeze
from gijiroku.search import reader, tokens

HOSTILE = FIXTURES / "hostile" / "items"
BUILD_DAY = build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})
FAR = "2099-12-31"


# --- reading a built site --------------------------------------------------------------------------------

class _Links(HTMLParser):
    """Every href inside the page's <article> (the content, not the navigation)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if self.depth and tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1


def article_links(site: Path, page: str) -> list[str]:
    """Every link in the <article> of the page at URL `page` ("agencies/x/"), resolved against it:
    "/meetings/12/agenda/2/", "/meetings/12/#speech-3", or an external URL as written."""
    parser = _Links()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    return [urljoin(f"/{page}", h) for h in parser.hrefs]


AGENDA_LINK = re.compile(r"^/meetings/(\d+)/agenda/(\d+)/")


def agenda_links(site: Path, page: str) -> set[tuple[int, int]]:
    """(meeting, item) of every agenda page the page links to."""
    return {(int(m.group(1)), int(m.group(2))) for h in article_links(site, page) for m in [AGENDA_LINK.match(h)] if m}


def pages_under(site: Path, pattern: str) -> list[str]:
    """URLs of the pages matching a glob of directories: pages_under(site, "agencies/*")."""
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob(f"{pattern}/index.html"))


def assert_only_unnamed_agencies_published(site: Path, record) -> None:
    """An agency that only withheld or deferred items and documents name has no page (it would say
    what they are about) unless a published speech or title prints its name (not an alias); one nothing names has
    its page; none links an item."""
    named = {a for m in record.meetings.values() for i in m.agenda for a in i.agencies}
    named |= {a for d in record.decisions.values() for a in d.agencies}
    assert len(named) >= 5
    printed = "".join(p.read_text(encoding="utf-8") for p in site.glob("meetings/*/index.html"))
    agency_pages = pages_under(site, "agencies/*")
    assert agency_pages == [f"agencies/{a}/" for a, agency in sorted(record.registry.agencies.items())
                            if a not in named or agency.name in printed]
    assert len(agency_pages) < len(record.registry.agencies) - 3  # most named agencies are left out
    for page in agency_pages:
        assert agenda_links(site, page) == set(), page


def published(site: Path, canaries: list[str]) -> dict[str, list[str]]:
    """Canary -> files holding it, every file read once in every way `hostile.readings` reads it
    (the batch form of `hostile.assert_absent`, for hundreds of canaries), search index included."""
    needles = {c: fold(c) for c in canaries}
    found: dict[str, list[str]] = {c: [] for c in canaries}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        texts = [fold(t) for t in readings(path)]
        for canary, needle in needles.items():
            if any(needle in t for t in texts):
                found[canary].append(path.relative_to(site).as_posix())
    letters = {tokens.search_chars(c): c for c in canaries if len(tokens.search_chars(c)) >= 10}
    hits = reader.find_in_index(reader.index_dir(site), list(letters))
    for page, words in hits.items():
        for word in words:
            found[letters[word]].append(f"{reader.DATA}/{reader.CHUNKS}（{page}）")
    return {c: files for c, files in found.items() if files}


def facets(site: Path) -> dict:
    return json.loads(gzip.decompress((site / reader.DATA / "facets.json.gz").read_bytes()))


# --- class 6: the real record, every item withheld -------------------------------------------------------

def real_project(dest: Path) -> Path:
    """A copy of the real project's content (minutes, decisions, docs, committee.yml)."""
    dest.mkdir(parents=True)
    for sub in ("minutes", "decisions", "docs"):
        shutil.copytree(ROOT / sub, dest / sub)
    shutil.copy(ROOT / "committee.yml", dest / "committee.yml")
    return make_project(dest, fixture=None)  # links what is left: mkdocs.yml, overrides, hooks


def set_disclosure(text: str, disclosure: str, publish_after: str | None, indent: str) -> str:
    """Every `disclosure:` at `indent` of the front matter set to `disclosure`, with its publish_after."""
    head, sep, body = text.partition("\n---\n")
    after = publish_after or "null"
    head = re.sub(rf"(?m)^{indent}publish_after:.*\n", "", head)
    head, n = re.subn(rf"(?m)^{indent}disclosure:.*$",
                      f"{indent}disclosure: {disclosure}\n{indent}publish_after: {after}", head)
    assert n, "no disclosure key found"
    return head + sep + body


def wrap_sections(text: str) -> str:
    """Each agenda section's body between 非公表 markers (the headings stay outside)."""
    head, sep, body = text.partition("\n---\n")
    lines = body.split("\n")
    out: list[str] = []
    open_region = False
    for line in lines:
        if line.startswith("## "):
            if open_region:
                out += ["<!-- /非公表 -->", ""]
                open_region = False
            out.append(line)
            if line.startswith("## 議題"):
                out += ["", "<!-- 非公表 -->"]
                open_region = True
            continue
        out.append(line)
    if open_region:
        out += ["<!-- /非公表 -->", ""]
    return head + sep + "\n".join(out)


def withhold_everything(root: Path, disclosure: str) -> None:
    """Every agenda item and every decision of the project set to `disclosure`."""
    deferred = disclosure == "後日公表"
    for path in sorted((root / "minutes").glob("*.md")):
        text = set_disclosure(path.read_text(encoding="utf-8"), disclosure, FAR if deferred else None, "    ")
        path.write_text(text if deferred else wrap_sections(text), encoding="utf-8")
    for path in sorted((root / "decisions").glob("*.md")):
        text = set_disclosure(path.read_text(encoding="utf-8"), disclosure, FAR if deferred else None, "")
        path.write_text(text, encoding="utf-8")


def speech_pieces(original: Path, withheld: Path) -> list[str]:
    """Several distinctive 20-character pieces of every speech the withheld project must hide.

    Distinctive: not printed by what the withheld project still publishes (the opening and
    closing speeches, titles, names, registry profiles), so that finding one is a leak.
    """
    record, problems = load_record(original)
    assert problems == []
    kept, problems = load_record(withheld)
    assert problems == []
    public = public_record(kept, BUILD_DAY)
    printed = [m.title for m in public.meetings.values()] + [m.note or "" for m in public.meetings.values()]
    for m in public.meetings.values():
        printed += [i.title for i in m.agenda]
        printed += [e.text if isinstance(e, Speech) else e.block.text for e in m.elements]
    printed += [p.profile for p in public.registry.people.values()]
    printed += [a.profile for a in public.registry.agencies.values()]
    public_text = "\x00".join(fold(t) for t in printed)
    public_letters = "\x00".join(tokens.search_chars(t) for t in printed)  # as the search index reads it

    def distinctive(piece: str) -> bool:
        return fold(piece) not in public_text and tokens.search_chars(piece) not in public_letters

    pieces = []
    for meeting in record.meetings.values():
        for speech in meeting.speeches:
            if speech.agenda is None:
                continue
            text = "".join(speech.text.split())
            starts = sorted({0, max(0, len(text) // 2 - 10), max(0, len(text) - 20)})
            pieces += [text[i:i + 20] for i in starts
                       if len(text[i:i + 20]) >= 10 and distinctive(text[i:i + 20])]
    return list(dict.fromkeys(pieces))


@pytest.fixture(scope="module")
def real_record_texts():
    record, problems = load_record(ROOT)
    assert problems == []
    return record


@pytest.mark.slow
def test_withholding_every_item_of_the_real_record_until_a_far_date_builds_and_hides_it(tmp_path):
    root = real_project(tmp_path / "deferred")
    withhold_everything(root, "後日公表")
    record, problems = load_record(root)
    assert problems == []
    assert all(i.publish_after == dt.date(2099, 12, 31) for m in record.meetings.values() for i in m.agenda)
    site = build_site(root)  # the verifier passes: nothing the project wrote quotes a withheld item
    pieces = speech_pieces(ROOT, root)
    assert len(pieces) >= 50, pieces  # the real record has 30 turns, 28 of them inside an item
    assert published(site, pieces) == {}
    assert_only_unnamed_agencies_published(site, record)
    assert not list(site.glob("decisions/*/index.html"))  # every document deferred
    api = json.loads((site / "api" / "meetings.json").read_text(encoding="utf-8"))
    for meeting in api["meetings"]:
        for item in meeting["agenda"]:
            assert (item["outcome"], item["agencies"]) == (None, []), item


@pytest.mark.slow
def test_withholding_every_item_of_the_real_record_for_good_builds_and_hides_it(tmp_path):
    root = real_project(tmp_path / "withheld")
    withhold_everything(root, "非公表")
    original, problems = load_record(ROOT)
    assert problems == []
    site = build_site(root)
    pieces = speech_pieces(ROOT, root)
    assert len(pieces) >= 50, pieces
    facts = []
    for meeting in original.meetings.values():
        for item in meeting.agenda:
            facts += [x for x in (item.outcome, item.publication, *item.subjects) if x and len(x) >= 6]
            facts += [m.title for m in item.materials if m.title]
    facts = sorted(set(facts) - {PLACEHOLDER})
    assert len(facts) >= 5, facts
    assert published(site, pieces + facts) == {}
    assert_only_unnamed_agencies_published(site, original)
    assert not list(site.glob("decisions/*/index.html"))
    api = json.loads((site / "api" / "meetings.json").read_text(encoding="utf-8"))
    for meeting in api["meetings"]:
        for item in meeting["agenda"]:
            assert (item["disclosure"], item["outcome"], item["agencies"]) == ("非公表", None, []), item
    assert facets(site)["outcomes"] == [] and facets(site)["agencies"] == []


# --- no false alarms: the pages the project writes quote nothing of the record ---------------------------

def project_pages() -> list[Path]:
    """Text the project itself publishes: the staff guide, the page templates, the theme overrides."""
    templates = sorted((ROOT / "hooks" / "gijiroku" / "site" / "templates").glob("*.j2"))
    assert len(templates) > 10, "the page templates moved: follow them"
    return [ROOT / "docs" / "guide" / "index.md", *templates,
            *sorted(p for p in (ROOT / "overrides").rglob("*") if p.is_file()),
            *sorted(p for p in (ROOT / "docs" / "assets").rglob("*") if p.suffix in {".js", ".css"})]


def test_the_pages_the_project_writes_quote_no_ten_characters_of_the_record(real_record_texts):
    """Withholding any passage must not make the verifier refuse our own pages: no 10-character
    window (as the verifier folds text) of a speech, stage direction or document of the record
    stands in the guide, a template or the theme."""
    record = real_record_texts
    passages = [e.text if isinstance(e, Speech) else e.block.text
                for m in record.meetings.values() for e in m.elements]
    passages += [line for d in record.decisions.values() for line in (d.title, *d.body.splitlines())]
    for item in (i for m in record.meetings.values() for i in m.agenda):  # what 後日公表 holds back
        passages += [x for x in (item.outcome, item.publication, *item.subjects) if x]
        passages += [m.title for m in item.materials if m.title]
    windows = set()
    for passage in passages:
        folded = squeeze(passage)
        if folded == squeeze(PLACEHOLDER):
            continue  # the record's placeholder: public by definition, and the syntax staff write
        windows.update(folded[i:i + 10] for i in range(len(folded) - 9))
    assert len(windows) > 5000
    quoted = {}
    for page in project_pages():
        text = squeeze(page.read_text(encoding="utf-8"))
        hits = sorted(windows & {text[i:i + 10] for i in range(len(text) - 9)})
        if hits:
            quoted[page.relative_to(ROOT).as_posix()] = hits
    assert quoted == {}


# --- class 3: a 非公表 item publishes its number, title, kind and reason, nothing else ---------------------

CANARIES = {
    "outcome": "結果カナリアあかさたな一号",
    "publication": "公表カナリアぬるをわか六号",
    "subject": "案件カナリアはまやらわ二号",
    "material label": "資料カナリア三号",
    "material title": "資料名カナリアいろはにほ四号",
    "material url": "kanaria-shiryo-yongo",
    "decision id": "kanaria-bunsho-gogo",
    "decision title": "文書カナリアほへとちり五号",
    "decision body": "本文カナリアつねならむ八号",
    "marked speech": "発言カナリアよたれそ七号",
}
ITEM = "meetings/12/agenda/2/"
PUBLIC_DOC = "2024-07-01-shido"


def withheld_item_project(dest: Path) -> Path:
    root = make_project(dest)
    shutil.copy(HOSTILE / "withheld-item.md", root / "minutes" / "12.md")
    shutil.copy(HOSTILE / "withheld-item-document.md", root / "decisions" / f"{CANARIES['decision id']}.md")
    shutil.copy(HOSTILE / "withheld-item-public-document.md", root / "decisions" / f"{PUBLIC_DOC}.md")
    return root


@pytest.fixture(scope="module")
def withheld_item_site(tmp_path_factory) -> Path:
    return build_site(withheld_item_project(tmp_path_factory.mktemp("items") / "p"))


def test_the_withheld_item_fixture_passes_check(tmp_path):
    _, problems = load_record(withheld_item_project(tmp_path / "p"))
    assert problems == []


def test_public_view_of_a_withheld_item_keeps_number_title_kind_reason_only(tmp_path):
    record, _ = load_record(withheld_item_project(tmp_path / "p"))
    item = public_record(record, BUILD_DAY).item(12, 2)
    assert (item.number, item.title, item.kind, item.reason) == (2, "監視・監督について", "監視・監督", "監視・監督案件")
    assert (item.outcome, item.publication, item.subjects, item.agencies, item.materials, item.decisions) == \
        (None, None, (), (), (), ())


@pytest.mark.parametrize("what", ["outcome", "publication", "subject", "material title"])
def test_the_verifier_looks_for_what_a_withheld_item_concerns(tmp_path, what):
    """The second fence: were a withheld item's field printed anywhere, the verifier refuses the site."""
    from gijiroku.disclosure.verify import verify_site

    root = withheld_item_project(tmp_path / "p")
    record, _ = load_record(root)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f"<p>{CANARIES[what]}</p>", encoding="utf-8")
    leaks, _ = verify_site(root, site, record, public_record(record, BUILD_DAY), BUILD_DAY)
    assert [(leak.secret.path, leak.secret.why) for leak in leaks] == [("minutes/12.md", "非公表の議題の項目")]


def test_a_material_title_that_a_public_item_also_has_is_no_leak(tmp_path):
    """What the public record prints anyway proves nothing (found on the synthetic record, where
    one material title recurs across items)."""
    from gijiroku.disclosure.verify import verify_site

    root = withheld_item_project(tmp_path / "p")
    meeting = root / "minutes" / "12.md"
    title = CANARIES["material title"]
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "    agencies: [digital-agency]\n",
        f"    agencies: [digital-agency]\n    materials:\n      - label: 資料１\n        title: {title}\n", 1),
        encoding="utf-8")
    record, problems = load_record(root)
    assert problems == []
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f"<p>{title}</p>", encoding="utf-8")
    leaks, _ = verify_site(root, site, record, public_record(record, BUILD_DAY), BUILD_DAY)
    assert leaks == []


@pytest.mark.slow
@pytest.mark.parametrize("what", sorted(CANARIES))
def test_nothing_a_withheld_item_concerns_is_published(withheld_item_site, what):
    assert published(withheld_item_site, [CANARIES[what]]) == {}


@pytest.mark.slow
def test_no_agency_page_lists_a_withheld_item_or_its_speeches(withheld_item_site):
    site = withheld_item_site
    links = article_links(site, "agencies/example-corp/")
    assert not [h for h in links if h.startswith("/meetings/12/")], links  # neither the item nor a mention in it
    assert f"/decisions/{PUBLIC_DOC}/" in links  # the public document stays under its own agencies
    assert (12, 1) in agenda_links(site, "agencies/digital-agency/")  # a public item is listed: the check sees items


@pytest.mark.slow
def test_the_withheld_items_page_links_nowhere_but_its_meeting(withheld_item_site):
    site = withheld_item_site
    links = {h for h in article_links(site, ITEM) if "#" not in h}
    # breadcrumb, 会議の記録, the previous item, and the speaker of the public turn: nothing else
    assert links == {"/meetings/12/", "/meetings/12/agenda/1/", "/commissioners/inoue/"}, links
    text = (site / ITEM / "index.html").read_text(encoding="utf-8")
    assert "監視・監督案件" in text and "監視・監督" in text  # kind and reason stay public
    assert "同じ種類の議題" not in text and "関係機関" not in text and "結果" not in text
    doc = article_links(site, f"decisions/{PUBLIC_DOC}/")
    assert not [h for h in doc if h.startswith("/meetings/")], doc  # the public document points at no item or meeting
    meeting = article_links(site, "meetings/12/")
    assert not [h for h in meeting if h.startswith("/decisions/")], meeting


@pytest.mark.slow
def test_the_api_holds_only_number_title_and_disclosure_of_a_withheld_item(withheld_item_site):
    api = json.loads((withheld_item_site / "api" / "meetings.json").read_text(encoding="utf-8"))
    meeting = next(m for m in api["meetings"] if m["number"] == 12)
    item = meeting["agenda"][1]
    assert item == {"number": 2, "title": "監視・監督について", "disclosure": "非公表", "outcome": None,
                    "agencies": [], "summary": None, "url": item["url"]}
    assert item["url"].endswith(ITEM)
    docs = json.loads((withheld_item_site / "api" / "decisions.json").read_text(encoding="utf-8"))["decisions"]
    shido = next(d for d in docs if d["id"] == PUBLIC_DOC)
    assert (shido["meeting"], shido["agenda"]) == (None, None)


@pytest.mark.slow
def test_search_facets_count_nothing_of_a_withheld_item(withheld_item_site):
    data = facets(withheld_item_site)
    headers = {}
    for path in (withheld_item_site / reader.DATA / "r").glob("*.json.gz"):
        headers[json.loads(gzip.decompress(path.read_bytes()))["u"]] = path.name.split(".")[0]
    row = data["rows"][headers["meetings/12/"]]
    agencies = [data["agencies"][i][0] for i in row[3]]
    outcomes = [data["outcomes"][i] for i in row[4]]
    assert (agencies, outcomes) == (["digital-agency"], ["報告"])  # item 1's; nothing of item 2
    # Item by item (the values the speeches of each item take): item 2 has no kind, outcome or agency.
    items = row[6]
    assert len(items) == 2 and items[1] == [0, 0, []]
    assert [data["agencies"][i][0] for i in items[0][2]] == ["digital-agency"]


@pytest.mark.slow
def test_the_feed_has_no_entry_for_a_withheld_item(withheld_item_site):
    feed = (withheld_item_site / "feed.xml").read_text(encoding="utf-8")
    assert ITEM not in feed and "第12回 議題2" not in feed
    assert f"decisions/{PUBLIC_DOC}/" in feed  # the public document is an entry, of no known meeting


@pytest.mark.slow
def test_withheld_items_take_part_in_no_kind_page_or_count(withheld_item_site):
    site = withheld_item_site
    withheld = {(12, 2), (10, 2)}
    kind_pages = pages_under(site, "meetings/kinds/*")
    assert kind_pages and any(agenda_links(site, page) for page in kind_pages)  # the check sees items
    for page in kind_pages:
        assert not agenda_links(site, page) & withheld, page
    meetings = (site / "meetings" / "index.html").read_text(encoding="utf-8")
    assert "全項目評価書（1）" in meetings and "監視・監督（" not in meetings
    for page in pages_under(site, "meetings/*/agenda/*"):
        neighbours = {(12, 1), (12, 2)} if page.startswith("meetings/12/") else {(10, 1), (10, 2)}
        assert not agenda_links(site, page) & withheld - neighbours, page  # no 同じ種類の議題 link to them
