"""Property-based leak tests: random meetings and documents with withheld regions anywhere.

Each generated case puts a unique sentinel inside every withheld region (a whole speech,
mid-speech, across paragraphs, on the first and last line, right after a heading, between the
rows of a table) and inside every 後日公表 item whose date has not come. No sentinel may appear
in any output, and every public paragraph must appear intact.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXED_EPOCH, FIXTURES, build_on_fixed_date, make_project, write
from gijiroku.disclosure.public import build_date, public_record
from gijiroku.record.loader import load_record
from gijiroku.site.pages import SiteBuilder

BUILD_DAY = build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})
LABELS = ["井上委員長", "髙村委員", "事務局", "佐藤事務局長"]
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
OPEN, CLOSE = "<!-- 非公表 -->", "<!-- /非公表 -->"


@dataclass
class Case:
    meeting: str
    decision: str | None
    public: list[str] = field(default_factory=list)  # must appear on the meeting page
    secrets: list[str] = field(default_factory=list)  # must appear nowhere


@st.composite
def cases(draw) -> Case:
    counter = iter(range(10_000))

    def words() -> str:
        return draw(st.text(alphabet=KANA, min_size=6, max_size=14))

    case = Case("", None)

    def public() -> str:
        return f"公開{next(counter)}番{words()}。"

    def secret() -> str:
        text = f"秘匿{next(counter)}号{words()}{words()}"
        case.secrets.append(text)
        return text

    n_items = draw(st.integers(1, 3))
    kinds = [draw(st.sampled_from(["公開", "非公表", "後日公表-past", "後日公表-future"])) for _ in range(n_items)]
    lines: list[str] = []
    if draw(st.booleans()):  # a region on the very first line of the body
        lines += [OPEN, secret(), CLOSE, ""]
    opening = public()
    lines += [f"○{LABELS[0]} {opening}", ""]
    case.public.append(opening)
    for k, kind in enumerate(kinds, start=1):
        future = kind == "後日公表-future"
        lines += [f"## 議題{k} 議題の{k}", ""]
        had_withheld = False
        if draw(st.booleans()):  # right after a heading
            lines += [OPEN, secret(), CLOSE, ""]
            had_withheld = True
        for _turn in range(draw(st.integers(1, 3))):
            label = draw(st.sampled_from(LABELS))
            first = public()
            lines += [f"○{label} {first}", ""]
            paragraphs = [first]
            for _p in range(draw(st.integers(0, 2))):
                where = draw(st.sampled_from(["plain", "mid", "across"]))
                if where == "mid":
                    lines += [OPEN, secret(), CLOSE, ""]
                    had_withheld = True
                elif where == "across":
                    lines += [OPEN, secret(), "", secret(), CLOSE, ""]
                    had_withheld = True
                text = public()
                lines += [text, ""]
                paragraphs.append(text)
            (case.secrets if future else case.public).extend(paragraphs)
            if draw(st.booleans()):  # a whole speech withheld
                lines += [OPEN, f"○{draw(st.sampled_from(LABELS))} {secret()}", "", secret(), CLOSE, ""]
                had_withheld = True
        if kind == "非公表" and not had_withheld:
            lines += ["（内容について非公表）", ""]
    if draw(st.booleans()):  # a region on the very last line of the file, no newline after it
        lines += [OPEN, secret(), CLOSE]
    agenda = []
    for k, kind in enumerate(kinds, start=1):
        disclosure = kind.split("-")[0]
        after = {"後日公表-past": "2020-01-01", "後日公表-future": "2030-01-01"}.get(kind, "null")
        agenda.append(f"  - number: {k}\n    title: 議題の{k}\n    disclosure: {disclosure}\n    publish_after: {after}\n")
    case.meeting = ("---\nnumber: 1\ndate: 2023-04-05\nagenda:\n" + "".join(agenda) + "---\n\n"
                    + "\n".join(lines).rstrip("\n") + ("\n" if draw(st.booleans()) else ""))
    if draw(st.booleans()):
        d_kind = draw(st.sampled_from(["公開", "非公表", "後日公表-past", "後日公表-future"]))
        row1, row2 = public(), public()
        body = ["| 項目 | 内容 |", "| --- | --- |", f"| 一 | {row1} |", "", OPEN, f"| 二 | {secret()} |", CLOSE, "",
                "| 項目 | 内容 |", "| --- | --- |", f"| 三 | {row2} |", ""]
        hidden = d_kind in ("非公表", "後日公表-future") or kinds[0] == "後日公表-future"
        if hidden:
            case.secrets.extend([row1, row2])
        after = {"後日公表-past": "2020-01-01", "後日公表-future": "2030-01-01"}.get(d_kind, "null")
        case.decision = (f"---\ntitle: 生成文書\nkind: 決定\ndate: 2023-04-05\nmeeting: 1\nagenda: 1\n"
                         f"disclosure: {d_kind.split('-')[0]}\npublish_after: {after}\n---\n\n" + "\n".join(body))
    return case


def project_for(case: Case, directory: Path) -> Path:
    root = make_project(directory / "p", fixture=None)


    shutil.copytree(FIXTURES / "project" / "docs", root / "docs", dirs_exist_ok=True)
    shutil.copy(FIXTURES / "project" / "committee.yml", root / "committee.yml")
    write(root / "minutes" / "1.md", case.meeting)
    if case.decision:
        write(root / "decisions" / "generated-doc.md", case.decision)
    return root


@settings(max_examples=int(os.environ.get("GIJIROKU_PROPERTY_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_generated_pages_never_contain_withheld_text(case):
    """Model and renderer: every page, registry section and data file made from the public view."""
    with tempfile.TemporaryDirectory() as tmp:
        root = project_for(case, Path(tmp))
        record, problems = load_record(root)
        assert problems == [], [p.format() for p in problems]
        builder = SiteBuilder(public_record(record, BUILD_DAY), "http://127.0.0.1:8000/")
        outputs = {o.path: o.content if isinstance(o.content, str) else o.content.decode() for o in builder.generate()}
        for person in record.registry.people:
            outputs[f"commissioners/{person}.md"] = builder.commissioner_section(person)
        for agency in record.registry.agencies:
            outputs[f"agencies/{agency}.md"] = builder.agency_section(agency)
        for path in outputs:  # the HTML kept aside from Markdown (render.HtmlStash), whole pages
            outputs[path] += builder.stash.prebuilt.get(path, ("", None))[0]
        for path, text in outputs.items():
            for secret in case.secrets:
                assert secret not in text, (path, secret)
        page = html.unescape(outputs["meetings/1.md"])
        for text in case.public:
            assert text in page


def readable_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("GIJIROKU_BUILD_EXAMPLES", "12")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_built_site_never_contains_withheld_text(case):
    """The whole build (MkDocs, Material, feed, sitemap, search index), scanned independently of the verifier."""
    with tempfile.TemporaryDirectory() as tmp:
        root = project_for(case, Path(tmp))
        build_on_fixed_date(root)
        files = [p for p in (root / "site").rglob("*") if p.is_file()]
        for path in files:
            data = readable_bytes(path)
            for secret in case.secrets:
                for form in (secret.encode(), json.dumps(secret).encode(), html.escape(secret).encode()):
                    assert form not in data, (path, secret)
        page = html.unescape((root / "site" / "meetings" / "1" / "index.html").read_text(encoding="utf-8"))
        for text in case.public:
            assert text in page


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_generator_makes_valid_meetings(case):
    """The strategy itself yields files the checker accepts (guards the property tests above)."""
    with tempfile.TemporaryDirectory() as tmp:
        _, problems = load_record(project_for(case, Path(tmp)))
        assert problems == []


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")), max_size=6))
def test_the_index_check_reads_each_piece_of_the_public_text_as_its_letters_and_digits(pieces):
    """The search index check (verify.scan_search_index) reduces the public text, its pieces
    joined by NUL, to each piece's letters and digits in one pass: as each piece alone, NUL
    between them, so that no window is found across two pieces."""
    from gijiroku.disclosure import verify

    each = "\x00".join(re.sub(r"[\W_]+", "", piece) for piece in pieces)
    assert verify._NOT_LETTER.sub("", "\x00".join(pieces)) == each
