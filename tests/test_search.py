"""Search indexing: folding, the index's words and files, what is indexed, and that nothing withheld is."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from gijiroku.disclosure.public import public_record
from gijiroku.record.loader import load_record
from gijiroku.record.text import VARIANTS, fold
from gijiroku.search import indexing, postings, reader, records, tokens
from search_queries import QUERIES
from sitecheck import elements, ids

# Text inside every kind of withheld place of tests/fixtures/search (and the deferred item of
# tests/fixtures/project): none of it may reach a search file.
SENTINELS = ["ツバメノス", "カモメノス", "ハヤブサノス", "ヒバリノス", "後日公表の中身"]


# -- folding, words, chunks -------------------------------------------------------------------------

def test_search_chars_fold_width_variants_and_case():
    assert tokens.search_chars("ＩＤ") == tokens.search_chars("ID") == tokens.search_chars("id") == "id"
    assert tokens.search_chars("議題１") == tokens.search_chars("議題1") == "議題1"
    assert tokens.search_chars("髙村") == tokens.search_chars("高村")
    for variant, common in (("﨑", "崎"), ("德", "徳"), ("邊", "辺"), ("齋", "斎")):
        assert tokens.search_chars(f"山{variant}") == tokens.search_chars(f"山{common}")
    assert tokens.search_chars("ｶﾞｲﾄﾞ") == tokens.search_chars("ガイド")


def test_search_chars_drop_spaces_and_punctuation():
    assert tokens.search_chars("富士通 Japan 株式会社") == "富士通japan株式会社"
    assert tokens.search_chars("重点計画（案）について、") == "重点計画案について"
    assert tokens.search_chars("令和５年５月 31 日") == "令和5年5月31日"
    assert tokens.search_chars("、。「」") == ""


def test_search_drops_exactly_what_is_no_letter_or_digit_over_every_code_point():
    """search_chars drops what \\W and the underscore match: exactly the characters outside the
    Unicode categories L and N (search.js keeps \\p{L} and \\p{N}), in this Python's database."""
    every = "".join(map(chr, range(0x110000)))
    assert tokens._NOT_SEARCHABLE.sub("", every) == "".join(c for c in every if unicodedata.category(c)[0] in "LN")


def test_casefold_extras_are_what_lower_case_misses():
    extras = tokens.casefold_extras()
    assert extras["ß"] == "ss" and extras["ς"] == "σ"
    assert all(ch.casefold() == folded != ch.lower() for ch, folded in extras.items())
    every = map(chr, range(0x110000))  # asked a block at a time: none is missed
    assert extras == {ch: ch.casefold() for ch in every if ch.casefold() != ch.lower()}


def index_of(paragraphs: list[str], gram: int, monkeypatch) -> dict[int, tuple[int, ...]]:
    """The word at each position of a one-page index of `paragraphs` (cut into many chunks,
    sorted a few places at a time, a frequent character's places cut by the next one), read back
    as the verifier reads it: position -> ranks."""
    monkeypatch.setenv("GIJIROKU_CHUNK_PLACES", "3")
    monkeypatch.setattr(postings, "BUCKET", 4)
    monkeypatch.setattr(postings, "STRETCH", 5)
    monkeypatch.setattr(postings, "PASS", 9)  # a few buckets picked in one read of the text
    built = postings.build([[p for p in paragraphs if p]], gram)
    monkeypatch.setattr(postings, "PASS", 1)  # as many read at once as the record's places / PASSES
    assert postings.build([[p for p in paragraphs if p]], gram) == built
    at, order = {}, []
    for chunk in built.chunks:
        words = postings.read_chunk(gzip.decompress(chunk.data), len(built.chars), 1, gram)
        order += map(tuple, words.ranks.tolist())
        owner = [w for w, n in enumerate(words.counts.tolist()) for _ in range(n)]
        for word, position in zip(owner, words.positions.tolist(), strict=True):
            at[position] = tuple(words.ranks[word].tolist())
    assert order == sorted(order)  # search.js finds a word's run by the chunks' first words
    return at, built.chars


def find(at: dict[int, tuple[int, ...]], chars: str, word: str, gram: int) -> list[int]:
    """Where search.js finds a word in the index: the words that start with it, or its grams at their offsets."""
    if any(c not in chars for c in word):
        return []
    ranks = tuple(chars.index(c) + 1 for c in word)
    if len(word) <= gram:
        return sorted(p for p, w in at.items() if w[:len(ranks)] == ranks)
    offsets = list(range(0, len(word) - gram, gram - 1)) + [len(word) - gram]  # overlapping, as search.js
    return sorted(p for p in at if all(at.get(p + o) == ranks[o:o + gram] for o in offsets))


def test_the_word_at_each_character_is_cut_at_its_paragraphs_end(monkeypatch):
    at, chars = index_of(["個人情報", "保護"], 3, monkeypatch)
    rank = {c: chars.index(c) + 1 for c in chars}
    assert at == {0: (rank["個"], rank["人"], rank["情"]), 1: (rank["人"], rank["情"], rank["報"]),
                  2: (rank["情"], rank["報"], 0), 3: (rank["報"], 0, 0), 4: (rank["保"], rank["護"], 0),
                  5: (rank["護"], 0, 0)}



def test_an_index_of_more_characters_than_a_place_can_hold_is_refused(monkeypatch):
    """A place is picked as 4 bytes: a text longer than MAX_PLACES is refused, not wrapped around."""
    monkeypatch.setattr(postings, "MAX_PLACES", 6)
    assert postings.build([["個人情報", "保護"]], 3).places == 6
    with pytest.raises(postings.TooLarge, match="6 字までですが、この記録には 7 字あります"):
        postings.build([["個人情報", "保護委"]], 3)


def test_a_build_whose_index_would_be_too_large_is_refused_in_japanese(tmp_path, monkeypatch, caplog):
    """A record of more search characters than a place can hold (some 150,000 meetings) stops the
    build with what happened and what to do, not a traceback (`gijiroku build` then keeps the
    site it had: tests/test_disclosure.py)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from conftest import FIXED_EPOCH, make_project

    root = make_project(tmp_path / "project")
    monkeypatch.setattr(postings, "MAX_PLACES", 10)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    with pytest.raises(Abort):
        mkdocs_build.build(config)
    assert "検索索引を作れないため、サイトを作りません。" in caplog.text
    assert "10 字までですが" in caplog.text and "開発者に連絡してください" in caplog.text
    assert "Traceback" not in caplog.text


ALPHABET = "個人情報保護委員会髙高村１1ＩＤid 、。"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=30), min_size=1, max_size=4), st.data(), st.sampled_from([2, 3, 5]))
def test_a_word_is_found_exactly_where_it_is_printed(paragraphs, data, gram):
    """Every verbatim occurrence, and nothing else: never across two paragraphs."""
    texts = [tokens.search_chars(p) for p in paragraphs]
    with pytest.MonkeyPatch.context() as patch:
        at, chars = index_of(texts, gram, patch)
    source = data.draw(st.sampled_from(texts))
    if source and data.draw(st.booleans()):
        start = data.draw(st.integers(0, len(source) - 1))
        word = source[start:data.draw(st.integers(start + 1, len(source)))]
    else:
        word = tokens.search_chars(data.draw(st.text(ALPHABET, min_size=1, max_size=12)))
    if not word:
        return
    expected, offset = [], 0
    for text in texts:
        expected += [offset + i for i in range(len(text)) if text.startswith(word, i)]
        offset += len(text)
    assert find(at, chars, word, gram) == expected


def test_a_word_is_not_found_across_two_paragraphs_where_its_grams_meet(monkeypatch):
    """Found by the property above: with grams side by side, 1111 matched the paragraphs 11 and 11."""
    for gram in (2, 3, 5):
        at, chars = index_of(["1" * gram, "1" * gram], gram, monkeypatch)
        assert find(at, chars, "1" * (2 * gram), gram) == []
        assert find(at, chars, "1" * gram, gram) == [0, gram]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**35 - 1), max_size=50))
def test_numbers_are_written_and_read_back(values):
    import numpy as np

    data, ends = postings.varints(np.array(values, np.uint64))
    assert postings.read_varints(data.tobytes()).tolist() == values
    assert ends.tolist() == [len(postings.varints(np.array(values[:i + 1], np.uint64))[0]) for i in range(len(values))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 0x4000), st.sampled_from([0x7F, 0x80, 0x3FFF, 0x4000])), max_size=50))
def test_small_numbers_are_written_in_one_or_two_bytes_and_read_back(values):
    """The writer's shortcut for numbers below 2**14, the most of an index's, is LEB128 too."""
    import numpy as np

    data, ends = postings.varints(np.array(values, np.uint64))
    assert postings.read_varints(data.tobytes()).tolist() == values
    assert (np.diff(ends, prepend=0) if len(values) else ends).tolist() == [1 + (v >= 0x80) + (v >= 0x4000) for v in values]


@pytest.mark.parametrize("raw, message", [
    (b"GKIX0" + bytes([1, 1, 1, 0, 0, 0, 0, 1, 0, 0]), "not a chunk"),
    (b"GKIX1" + bytes([1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]), "does not match"),  # a number too many
    (b"GKIX1" + bytes([1, 1, 1, 0, 0, 0, 0, 1, 0]), "does not match"),  # a number too few
    (b"GKIX1" + bytes([1, 1, 9, 0, 0, 0, 0, 1, 0, 0]), "out of range"),  # a character the table lacks
    (b"GKIX1" + bytes([1, 1, 1, 0, 0, 0, 0, 1, 5, 0]), "out of range"),  # a page the index lacks
    (b"GKIX1" + bytes([1, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]), "out of range"),  # counts that do not add up
    (b"GKIX1" + bytes([1, 1, 1, 0, 0, 0, 0, 1, 0, 0x80]), "cut off"),
])
def test_a_chunk_that_is_not_exactly_one_is_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        postings.read_chunk(raw, chars=3, pages=1)


def test_a_chunk_read_back():
    words = postings.read_chunk(b"GKIX1" + bytes([2, 3, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 1, 4, 7, 2]), 3, 2)
    assert words.ranks.tolist() == [[1, 2, 0, 0, 0], [2, 0, 0, 0, 0]]
    assert words.counts.tolist() == [1, 2] and words.pages.tolist() == [0, 0, 1]
    assert words.positions.tolist() == [4, 7, 2]


# -- the index of a built site ------------------------------------------------------------------------

def unpacked(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def headers(site: Path) -> dict[str, dict]:
    return {p.name.split(".")[0]: json.loads(unpacked(p)) for p in (site / "search" / "r").glob("*.json.gz")}


@pytest.mark.slow
def test_only_meeting_and_decision_pages_are_indexed(search_site):
    urls = sorted(h["u"] for h in headers(search_site).values())
    assert urls == ["decisions/2023-04-05-example/", "meetings/10/", "meetings/11/", "meetings/9/"]


@pytest.mark.slow
def test_withheld_and_deferred_text_is_in_no_search_file(search_site):
    files = [p for p in (search_site / "search").rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        text = unpacked(path)
        assert not [s for s in SENTINELS if s in text], path
    keys = reader.index_keys(reader.index_dir(search_site))
    facets = json.loads(unpacked(search_site / "search" / "facets.json.gz"))
    gram = facets["gram"]
    for sentinel in SENTINELS[:4]:
        chars = tokens.search_chars(sentinel)
        assert not any(chars[i:i + gram] in keys for i in range(len(chars) - gram + 1)), sentinel


def test_a_meetings_search_record_names_its_documents_in_the_order_of_their_ids():
    """A meeting's first block (its facts) holds the titles of the documents of that meeting; the
    map of them is made once for all meetings (sorting every document for each meeting grew with
    the square of the record)."""
    record, problems = load_record(ROOT)
    assert not problems
    public = public_record(record, dt.date(2025, 1, 1))
    decided = records.decisions_by_meeting(public)
    named = 0
    for meeting in public.sorted_meetings():
        want = [d.title for d in sorted(public.decisions.values(), key=lambda d: d.id) if d.meeting == meeting.number]
        facts = records.meeting_unit(meeting, public, decided).blocks[0].paragraphs
        assert [f for f in facts if f in want] == want and decided.get(meeting.number, []) == want
        named += len(want)
    assert named >= 1  # the real record has a document of one of its meetings


@pytest.mark.slow
def test_the_index_holds_only_public_text(search_site):
    """Every word of the index is a piece of a page's public text, and every such piece is there."""
    root = search_site.parent
    record, problems = load_record(root)
    assert not problems
    units = records.units_of(public_record(record, dt.date(2025, 1, 1)), search_site)
    texts = [tokens.search_chars(p) for u in units for b in u.blocks for p in b.paragraphs]
    gram = json.loads(unpacked(search_site / "search" / "facets.json.gz"))["gram"]
    grams = {t[i:i + gram] for t in texts for i in range(len(t))}
    assert set(reader.index_keys(reader.index_dir(search_site))) == grams


@pytest.mark.slow
def test_the_index_reads_back_as_the_pages_text(search_site):
    """The decoder the verifier relies on: the chunks' packed pages and positions, read back,
    give every page's search characters in order, paragraph by paragraph."""
    record, problems = load_record(search_site.parent)
    assert not problems
    units = {u.url: u for u in records.units_of(public_record(record, dt.date(2025, 1, 1)), search_site)}
    texts = reader.index_texts(reader.index_dir(search_site))
    assert len(texts) == len(units) == 4
    for page, text in texts.items():
        unit = units[headers(search_site)[page]["u"]]
        paragraphs = [tokens.search_chars(p) for b in unit.blocks for p in b.paragraphs]
        assert text == "".join(p + "\n" for p in paragraphs if p)


@pytest.mark.slow
def test_the_index_is_its_chunks_and_the_facets_list_them_all(search_site):
    """Only the files the search page reads: every chunk listed once, in the order of its first word."""
    folder = reader.index_dir(search_site)
    facets = json.loads(unpacked(folder / "facets.json.gz"))
    listed = [name for _, name in facets["index"]["chunks"]]
    assert sorted(listed) == sorted(p.name for p in (folder / reader.CHUNKS).iterdir())
    assert all(re.fullmatch(r"[0-9a-f]{12}\.bin\.gz", name) for name in listed)
    rank = {c: i for i, c in enumerate(facets["index"]["chars"])}
    firsts = [[rank[c] for c in first] for first, _ in facets["index"]["chunks"]]
    assert firsts == sorted(firsts) and len(listed) > 1
    assert sorted(facets["index"]["pages"]) == sorted(facets["rows"])
    assert not (search_site / "pagefind").exists()  # no Pagefind bundle any more


@pytest.mark.slow
def test_headers_count_tokens_and_parts_keep_the_text_as_printed(search_site):
    (head_id, head), = [(k, h) for k, h in headers(search_site).items() if h["u"] == "meetings/11/"]
    assert head["t"] == "第11回試験委員会" and head["k"] == "議事録"
    positions = [s[0] for s in head["s"]]
    assert positions == sorted(positions) and positions[0] == 0 and head["n"] > positions[-1]
    anchors = [head["b"][s[2]][0] for s in head["s"]]
    assert {"", "agenda-1", "speech-1", "speech-2", "speech-3", "agenda-2", "speech-4"} <= set(anchors)
    speeches = {b[0]: b for b in head["b"] if b[2]}
    assert all(anchor == f"speech-{order}" for anchor, _, order, _ in speeches.values())
    assert speeches["speech-1"][3] == 0 and speeches["speech-2"][3] == 1  # opening, then 議題1
    assert head["a"] == {"1": "異体字と全角文字の表記について", "2": "監視・監督について"}
    texts = [p for f in (search_site / "search" / "p").glob(f"{head_id}-*.json.gz")
             for _, paragraphs in json.loads(unpacked(f)) for p in paragraphs]
    assert "德島県の渡邊課長から、ＩＤとパスワードの管理について照会がありました。資料１－１を御覧ください。" in texts
    assert "ｶﾀｶﾅの半角表記と、Ｐｅｒｓｏｎａｌ\u3000Ｄａｔａの全角表記を確認しました。" in texts
    assert sum(len(tokens.search_chars(t)) for t in texts) == head["n"]


@pytest.mark.slow
def test_facets_give_every_page_its_filter_values(search_site):
    facets = json.loads(unpacked(search_site / "search" / "facets.json.gz"))
    assert set(facets["rows"]) == set(headers(search_site))
    assert facets["kinds"] == ["議事録", "決定", "資料", "議事概要", "議事要旨"]  # summaries last: the others keep their index
    speakers = dict(facets["speakers"])
    assert speakers["takamura"] == "髙村委員"
    # After the commissioners (the chairs first), everyone else as printed, the most frequent first.
    assert list(speakers) == ["aoki", "inoue", "takamura", "事務局", "山﨑参事官", "鈴木総務課長"]
    for person, label in speakers.items():  # the filter names a commissioner as their page's heading does
        if not person.isascii():
            assert label == person
            continue
        (h1,) = [e for e in elements(search_site / "commissioners" / person / "index.html") if e["tag"] == "h1"]
        assert h1["text"].removesuffix("#") == label
    (page_id, head), = [(k, h) for k, h in headers(search_site).items() if h["u"] == "meetings/11/"]
    kind, date, meeting, agencies, outcomes, blocks, items, kind_of_item = facets["rows"][page_id]
    assert (facets["kinds"][kind], date, meeting, kind_of_item) == ("議事録", "2024-06-03", 11, 0)
    assert [facets["outcomes"][i] for i in outcomes] == ["報告"]  # item 2 is 非公表: it counts in no facet
    assert len(items) == 2 and items[1][:2] == [0, 0]  # nor its kind or outcome
    # Three numbers a block: its length in tokens, its speaker, its agenda item; as the header says.
    assert len(blocks) == 3 * len(head["b"]) and sum(blocks[0::3]) == head["n"]
    speakers = [facets["speakers"][s - 1][0] if s else None for s in blocks[1::3]]
    for (anchor, _label, order, item), speaker, at in zip(head["b"], speakers, blocks[2::3], strict=True):
        assert (speaker is not None) == bool(order), anchor
        assert at == item, anchor  # items are listed in order, so the 1-based index is the number here
    assert {s for s in speakers if s} == {"inoue", "takamura", "山﨑参事官"}  # the secretariat as printed
    fold_tables = json.loads(unpacked(search_site / "search" / "fold.json.gz"))
    assert fold_tables["v"] == VARIANTS and fold_tables["c"] == tokens.casefold_extras()


# -- the real site --------------------------------------------------------------------------------------

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
CHROME = {"gk-prevnext", "gk-permalink", "headerlink", "gk-item-meta"}  # links, not the record


def page_text(path: Path) -> list[str]:
    """A built page's article as the reader sees it (without navigation), one line a block."""
    html = ARTICLE.search(path.read_text(encoding="utf-8")).group(1)
    html = re.sub(r'<(a|nav|p)[^>]*class="[^"]*(?:' + "|".join(CHROME) + r')[^"]*"[^>]*>.*?</\1>', "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", html)
    return [line for line in (" ".join(x.split()) for x in text.splitlines()) if line]


@pytest.mark.slow
def test_the_query_set_matches_the_pages_text(built_site):
    """Each expectation of search_queries.py, checked against the built pages without the search index."""
    from html import unescape

    def key(text):
        return "".join(c for c in fold(unescape(text)) if unicodedata.category(c)[0] in "LN")

    pages = {url: [key(line) for line in page_text(built_site / url / "index.html")]
             for url in ("meetings/244/", "meetings/136/", "decisions/2023-05-31-taio-hoshin/",
                         "decisions/digital-agency-kaizen-jokyo/", "decisions/2017-12-08-bango-ho-hokoku/")}
    assert len(QUERIES) >= 40
    for query, expected, _ in QUERIES:
        words = [key(w) for w in fold(query).split()]
        found = {url for url, lines in pages.items() if all(any(w in line for line in lines) for w in words)}
        assert found == expected, query


@pytest.mark.slow
def test_every_sub_result_anchor_is_on_its_page(built_site):
    for head in headers(built_site).values():
        page = built_site / head["u"] / "index.html"
        known = ids(page)
        assert {b[0] for b in head["b"] if b[0]} <= known, head["u"]


@pytest.mark.slow
def test_the_site_build_writes_the_search_index(built_site):
    assert list((built_site / "search" / "index").glob("*.bin.gz"))
    assert len(headers(built_site)) == 5
    search_page = elements(built_site / "search" / "index.html")
    host = next(e for e in search_page if e["attrs"].get("id") == "gk-search")
    assert (host["attrs"].get("data-bundle"), host["attrs"]["data-data"], host["attrs"]["data-root"]) == (None, "./", "../")
    assert any(e["tag"] == "script" and e["attrs"].get("src") == "../assets/search.js" for e in search_page)


@pytest.mark.slow
def test_a_record_without_pages_still_builds(tmp_path, fixed_date):
    """A record without pages has an empty index; the search page then finds nothing."""
    from conftest import make_project
    from gijiroku.site.commands import build

    root = make_project(tmp_path / "project", fixture=None)
    assert build(root, root / "site", quiet=True) == 0
    facets = json.loads(unpacked(root / "site" / "search" / "facets.json.gz"))
    assert facets["rows"] == {} and facets["index"] == {"chars": "", "pages": [], "chunks": []}
    assert list((root / "site" / "search" / "index").iterdir()) == []


# -- the index removed before a serve rebuild ---------------------------------------------------------

INDEX_FILES = ["search/facets.json.gz", "search/index/0123456789ab.bin.gz", "search/r/a.json.gz", "search/p/a-0.json.gz"]


def site_with_index(site: Path) -> Path:
    """A site of a page, the search page and what `index_site` writes (not what it holds)."""
    for rel in [*INDEX_FILES, "search/fold.json.gz", "search/index.html", "index.html"]:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(rel.encode())
    return site


REAL_POPEN = subprocess.Popen


class HeldProcess:
    """A process that starts only when the test releases it (what was asked for is in `held`)."""

    held: list = []

    def __init__(self, args, **kwargs):
        self.args, self.kwargs = args, kwargs
        HeldProcess.held.append(self)

    def release(self) -> subprocess.Popen:
        return REAL_POPEN(self.args, **self.kwargs)


@pytest.fixture
def held_processes(monkeypatch):
    monkeypatch.setattr(HeldProcess, "held", [])
    monkeypatch.setattr(indexing.subprocess, "Popen", HeldProcess)
    return HeldProcess.held


def left_in_site(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_an_index_removed_aside_is_gone_from_the_site_at_once_and_deleted_beside_it(tmp_path, held_processes):
    site = site_with_index(tmp_path / "site")
    indexing.remove_index(site, aside=True)
    # before the process runs: the facets and the three folders are out of the site, moved whole
    assert left_in_site(site) == ["index.html", "search/fold.json.gz", "search/index.html"]
    [trash] = [p for p in tmp_path.iterdir() if p != site]
    assert trash.name.startswith(".site.index-")
    assert left_in_site(trash) == ["0/0123456789ab.bin.gz", "1/a.json.gz", "2/a-0.json.gz"]
    [process] = held_processes  # deleting in a process of its own, not a thread of the build's
    assert process.args[0] == sys.executable and process.args[-1] == str(trash)
    assert process.release().wait(timeout=120) == 0  # a generous bound, not a measure of its speed
    assert list(tmp_path.iterdir()) == [site]


def test_an_index_that_cannot_be_moved_aside_is_deleted_in_place(tmp_path, monkeypatch, held_processes):
    site = site_with_index(tmp_path / "site")

    def unwritable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(indexing.tempfile, "mkdtemp", unwritable)
    indexing.remove_index(site, aside=True)
    assert left_in_site(site) == ["index.html", "search/fold.json.gz", "search/index.html"]
    assert not (site / "search" / "index").exists() and held_processes == []
    assert list(tmp_path.iterdir()) == [site]


def test_a_site_without_an_index_has_nothing_to_move_aside(tmp_path, held_processes):
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text("<p>公開</p>", encoding="utf-8")
    indexing.remove_index(site, aside=True)
    assert left_in_site(site) == ["index.html"] and held_processes == []
    assert list(tmp_path.iterdir()) == [site]
