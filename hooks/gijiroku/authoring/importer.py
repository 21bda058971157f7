"""`gijiroku import`: the plain text of a published 議事録 (as copied out of its PDF) → a meeting file.

Stages, each in its own module and testable on its own (read input → parse → resolve names →
convert, as in parlparse):

    read.py        decode_input: bytes → text (UTF-8, UTF-16 with BOM, Shift_JIS), refusing binary
                   files; read_lines: text → the PDF's lines, page-break artefacts removed, indent,
                   trailing space and printed width noted
    speakers.py    parse_turn_start: which lines start a speech turn, and the speaker's label
    header.py      parse_header: lines before the first speech → 日時, 場所, 出席者, 議題 …
    paragraphs.py  join_paragraphs: lines of the record → speech turns, paragraphs, stage
                   directions (PDF line wraps removed; no printed character changed)
    items.py       find_items: turns → agenda items from the chair's announcements (議題N「…」),
                   closing; describe_item: an item's formulaic closing → outcome, publication,
                   withheld, reason
    summary.py     record_kind: 議事録, 議事概要 or 議事要旨 (by the title, the turns, the label where a
                   summary's text begins); parse_summary: a summary's items and paragraphs, no turns
    importer.py    import_minutes: the stages in order, then the front matter and a body with one
                   paragraph a line, written by writer.py; turns flattened into one line are split
                   first (speakers.split_flattened); what was read is said in a notice (お知らせ)

What the record does not state stays null; nothing is invented. Everything the importer could
not settle is a warning (Japanese, with the input line) for the person who reviews the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..record.model import MINUTES, RECORD_KINDS, SpeakerKind
from ..record.registry import Committee, Registry
from ..record.schema import MEETING_NUMBERS
from ..record.text import char_name
from ..record.turns import ODD_SPACE, spaced_turn, turn_in_summary
from ..record.wareki import parse_number
from .header import HEADER_LINE, MEETING_NUMBER, Header, bracketed_title, parse_header
from .items import COUNT, Item, ItemFacts, describe_item, find_items, sentences
from .paragraphs import Block, join_paragraphs, measure
from .read import Line, Notice, NotMinutes, read_lines
from .speakers import is_speaker_label, parse_turn_start, split_flattened
from .summary import parse_summary, record_kind, summary_outcome
from .writer import render_file

REPEATS = 3  # times a line that starts no speech is printed before it is taken for a page's header
_TITLE_WORDS = re.compile("委員会|議事録|議事概要|議事要旨")


@dataclass
class ImportResult:
    """What `gijiroku import` writes, and what the reviewer must look at."""

    text: str  # the meeting file
    number: int | None
    notices: list[Notice]


def _number_and_title(header_lines: list[Line], blocks: list[Block], committee: Committee
                      ) -> tuple[int | None, str | None]:
    """第N回 and the meeting's printed name: from the header's title line, else the chair's 開会,
    else the first sentence that names the committee (第N回個人情報保護委員会)."""
    name = committee.name
    sources = [(line.text, True) for line in header_lines if not HEADER_LINE.match(line.text)]
    sources += [(s, True) for b in blocks[:8] if b.kind in ("turn", "para") for s in sentences(b.text) if re.search("開会|開催", s)]
    sources += [(s, False) for b in blocks if b.kind in ("turn", "para") for s in sentences(b.text) if name in s]
    for text, may_print in sources:
        for m in MEETING_NUMBER.finditer(text):
            n = parse_number(m.group("n"))
            if not n or not MEETING_NUMBERS[0] <= n <= MEETING_NUMBERS[1]:  # check refuses any other
                continue
            after = text[m.end():].lstrip(" \u3000")
            if after.startswith(name):
                return n, m.group(0) + name
            printed = re.match(r"[^\s、。「」『』（）()]+?(?=議事録|議事要旨|議事概要|を開会|を開催|[\s（(、。]|$)", after)
            if may_print and printed:
                return n, m.group(0) + printed.group(0)
            if may_print and (bracketed := bracketed_title(text, m)):
                return n, m.group(0) + name if bracketed.startswith(name) else bracketed
    return None, None


def _repeated_lines(lines: list[Line], committee: Committee, notices: list[Notice]) -> None:
    """A warning at a line like a title (the committee's name, 議事録, 議事概要, 議事要旨; no 。)
    printed three times or more that starts no speech: a header or footer of each page
    (第244回個人情報保護委員会 議事録), which a PDF's text puts among the record's lines and the
    importer joins into the sentence it falls in (found by a clerk's attack). Any line repeated
    would name the record's set phrases (以上です。, それでは、次の議題に移ります。)."""
    seen: dict[str, list[int]] = {}
    for line in lines:
        titled = committee.name in line.text or _TITLE_WORDS.search(line.text)
        if titled and "。" not in line.text and not parse_turn_start(line.text, committee):
            seen.setdefault(line.text, []).append(line.number)
    for text, numbers in seen.items():
        if len(numbers) >= REPEATS:
            notices.append(Notice(numbers[0], f"同じ行「{text}」が {len(numbers)} 回あります（入力 "
                                              f"{'、'.join(map(str, numbers[:5]))}{' …' if len(numbers) > 5 else ''} 行目）。"
                                              "ページごとに印刷された見出しなら、前後の文につながっているので取り除いてください。"))


def _second_opening(blocks: list[Block], committee: Committee, notices: list[Notice]) -> None:
    """A warning at a second 「第N回…を開会」: two records pasted into one text were read as one
    meeting, the second's header and speeches as the first's closing remarks, and nothing said so
    (found by a clerk's attack)."""
    opened = False
    for b in blocks:
        if b.kind not in ("turn", "para"):
            continue
        for m in MEETING_NUMBER.finditer(b.text):
            if not b.text[m.end():].lstrip(" \u3000").startswith(committee.name + "を開会"):
                continue
            if opened:
                notices.append(Notice(b.line, f"{m.group(0)}の開会の発言です。この入力には二つ目の会議の記録が"
                                              "続いているようです。一回分ずつ別のテキストにして取り込んでください。"))
                return
            opened = True


def _opening_disagrees(number: int | None, blocks: list[Block], committee: Committee, notices: list[Notice]) -> None:
    """A warning when the chair's 開会 names another meeting than the title does (第245回 in the
    title, 第244回 in the opening: the title was taken silently, found by a clerk's attack)."""
    if number is None:
        return
    for b in blocks[:8]:
        if b.kind not in ("turn", "para"):
            continue
        for sentence in sentences(b.text):
            if not re.search("開会|開催", sentence):
                continue
            for m in MEETING_NUMBER.finditer(sentence):
                said = parse_number(m.group("n"))
                if said and said != number and sentence[m.end():].lstrip(" \u3000").startswith(committee.name):
                    notices.append(Notice(b.line, f"記録の題では第{number}回ですが、開会の発言では第{said}回です。"
                                                  f"number は第{number}回にしました。記録を確かめてください。"))
                    return


def import_minutes(text: str, registry: Registry, number: int | None = None,
                   source_url: str | None = None) -> ImportResult:
    """Convert the extracted text of one 議事録 into a meeting file. Raises NotMinutes.

    `source_url`: the address of the PDF on the official site, recorded in `sources` (the caller
    has checked that it is an http(s) URL); without it the source's url stays null.
    """
    committee = registry.committee
    notices: list[Notice] = []
    lines = read_lines(text)
    if not lines:
        raise NotMinutes("入力が空です。PDF から写した議事録のテキストを渡してください。")
    lines, flattened = split_flattened(lines, registry)
    starts = [(i, t) for i, line in enumerate(lines) if (t := parse_turn_start(line.text, committee))]
    known = [i for i, t in starts if is_speaker_label(t.label, registry)]
    kind = record_kind(lines, known[0] if known else None)
    if kind in SUMMARY_KINDS:
        return _import_summary(lines, kind, registry, number, source_url, notices)
    if not known:
        raise NotMinutes("議事録・議事概要として読めません: 発言（「○発言者 発言」または「【発言者】発言」で始まる行）も、"
                         "議事概要・議事要旨の本文（「議事概要」などの見出しの後の議題ごとの段落）も見つかりません。"
                         "PDF から写した議事録・議事概要のテキストか確かめてください。")
    # The record starts at the first speech turn; a turn with an unusual label counts when no
    # header field comes between it and the first recognised one.
    last_field = max((i for i in range(known[0]) if HEADER_LINE.match(lines[i].text)), default=-1)
    first = min([i for i, _ in starts if last_field < i < known[0]] + [known[0]])
    header = parse_header(lines[:first], registry, notices)
    body = lines[first:]
    _repeated_lines(body, committee, notices)
    blocks = join_paragraphs(body, registry, measure(body), notices)
    items, closing = find_items(blocks, header.agenda, notices)
    found_number, found_title = _number_and_title(header.lines, blocks, committee)
    _opening_disagrees(found_number, blocks, committee, notices)
    _second_opening(blocks, committee, notices)
    number, title = _settle_number(number, found_number, found_title, notices)
    day = header.date
    for name, where in (("date", "日時"), ("place", "場所"), ("attendees", "出席者")):
        if name not in header.found:
            notices.append(Notice(None, f"{where}が記録に見つかりません。{name} は null にしました。"))
    chair = _find_chair(blocks, registry, day)
    for b in blocks:
        if b.kind == "turn":
            found = registry.resolve(b.label or "", day)
            if isinstance(found, str):
                notices.append(Notice(b.line, f"発言者を名簿で確認できません: {found}。"))
            elif (found.kind is SpeakerKind.COMMISSIONER and header.commissioners is not None
                  and b.label not in header.commissioners):
                notices.append(Notice(b.line, f"発言者「{b.label}」が出席者にいません。"))
        elif b.kind == "para" and (spaced := spaced_turn(b.text, day, registry)):  # the checker's G320, G321
            code, mark, label, space = spaced
            where, fix = ((f"「{mark}」と表記「{label}」の間に", " ○ の後の空白") if code == "G320"
                          else (f"「{mark}{label}」の行頭に", "行頭の空白"))
            notices.append(Notice(b.line, f"{where}{char_name(space)}がある行を、前の発言の段落にしました。"
                                          f"発言の始まりなら{fix}を消してください。"))
    if (count := _announced_count(blocks)) and count != len(items):
        notices.append(Notice(None, f"記録では議題は{count}件ですが、{len(items)}件の議題を見つけました。"
                                     "議題の見出しを確かめてください。"))
    if not items:
        notices.append(Notice(None, "議題（議題N「…」）が見つかりません。agenda と本文の見出しを書き足してください。"))
    for item in items:
        if item.title is None:
            notices.append(Notice(item.announced_at, f"議題{item.number}の題名が見つかりません。title を書いてください。"))
    ends = [item.start for item in items[1:]] + [closing if closing is not None else len(blocks)] if items else []
    facts = [describe_item(item, blocks, end, registry, chair, day) for item, end in zip(items, ends, strict=True)]
    meta = _front_matter(number, title, header, chair, items, facts, first == 0, source_url)
    text = render_meeting(meta, blocks, items, closing)
    split = f"一行につながっていた発言を {flattened} か所で分けました。" if flattened else ""
    notices.append(Notice(None, f"議事録として読みました（発言 {sum(b.kind == 'turn' for b in blocks)} 件）。{split}", "お知らせ"))
    return ImportResult(text, number, notices)


SUMMARY_KINDS = tuple(k for k in RECORD_KINDS if k != MINUTES)


def _import_summary(lines: list[Line], kind: str, registry: Registry, number: int | None, source_url: str | None,
                    notices: list[Notice]) -> ImportResult:
    """A 議事概要 or 議事要旨: the header, then a heading and paragraphs per item; no turns."""
    summary = parse_summary(lines, registry, notices)
    if summary is None:
        raise NotMinutes(f"{kind}として読めません: 本文の始まり（「議事概要」「議事要旨」などの見出し）が見つかりません。"
                         "日時・議事などの後に、その見出しと議題ごとの段落があるか確かめてください。")
    header, blocks, items = summary.header, summary.blocks, summary.items
    number, title = _settle_number(number, *_number_and_title(summary.header_lines, [], registry.committee), notices)
    for name, where in (("date", "日時"), ("place", "場所"), ("attendees", "出席者")):
        if name not in header.found:
            notices.append(Notice(None, f"{where}が記録に見つかりません。{name} は null にしました。"))
    if not items:
        notices.append(Notice(None, "議題ごとの概要（（1）…）が見つかりません。agenda と本文の見出しを書き足してください。"))
    ends = [item.start for item in items[1:]] + [len(blocks)] if items else []
    facts = []
    for item, end in zip(items, ends, strict=True):
        f = describe_item(item, blocks, end, registry, None, header.date)
        summary_outcome(f, blocks[item.start:end])
        facts.append(f)
    meta = _front_matter(number, title, header, None, items, facts, False, source_url)
    if "sources" in meta:
        meta["sources"][0]["title"] = f"{title} {kind}" if title else kind
    meta = {k: meta[k] for k in ("number", "title") if k in meta} | {"record": kind} | meta
    for b in blocks:
        if b.kind != "para":
            continue
        if odd := ODD_SPACE.match(b.text):  # G319: the space named, for a tab or U+00A0 reads as any space
            shown = f"「○{odd.group(1)}」の後が{char_name(odd.group(2))}"
        elif turn_in_summary(b.text):  # G340
            shown = f"「{b.text[:20]}」"
        else:
            continue
        notices.append(Notice(b.line, f"{kind}に発言の形の行があります（{shown}）。発言ごとの記録なら"
                                      "議事録です。議事概要の段落なら行頭の記号を確かめてください。"))
    text = render_meeting(meta, blocks, items, None)
    notices.append(Notice(None, f"{kind}として読みました（発言のない記録です。議題 {len(items)} 件の段落にしました）。", "お知らせ"))
    return ImportResult(text, number, notices)



def _settle_number(number: int | None, found_number: int | None, title: str | None, notices: list[Notice]
                   ) -> tuple[int | None, str | None]:
    """The meeting's number: as given on the command line, else as the record prints it."""
    if number is None:
        if found_number is None:
            notices.append(Notice(None, "会議の回次（第N回）が見つかりません。number は null にしました。"
                                           "--number で指定するか、ファイルに number を書いてください。"))
        return found_number, title
    if found_number is not None and found_number != number:
        notices.append(Notice(None, f"記録では第{found_number}回ですが、指定どおり number: {number} にしました。"))
        return number, None
    return number, title


HANDOVER = re.compile(r"進行(?:は|につきましては|を)、?(?P<label>[^、。「」\s]+?)(?:に|へ)お願い")


def _find_chair(blocks: list[Block], registry: Registry, day) -> str | None:
    """Who chairs: the commissioner who opens the meeting (開会, 開催), else the one the
    secretariat hands the proceedings to (以後の進行は…委員長にお願いいたします)."""
    def commissioner(label: str) -> bool:
        found = registry.resolve(label, day)
        return not isinstance(found, str) and found.kind is SpeakerKind.COMMISSIONER

    opening = blocks[:12]
    for b in opening:
        if b.kind == "turn" and re.search("開会|開催", b.text) and commissioner(b.label or ""):
            return b.label
    for b in opening:
        if b.kind in ("turn", "para") and (m := HANDOVER.search(b.text)) and commissioner(m.group("label")):
            return m.group("label")
    return None


def _announced_count(blocks: list[Block]) -> int | None:
    for b in blocks[:12]:
        if b.kind in ("turn", "para") and (m := COUNT.search(b.text)):
            return parse_number(m.group("n"))
    return None


def _front_matter(number, title, header: Header, chair, items: list[Item], facts: list[ItemFacts],
                  starts_with_speech: bool, source_url: str | None = None) -> dict:
    # The meeting page says once which of 日時・場所・出席者 the record lacks; the note says why.
    missing = [name for name in ("date", "place", "attendees") if name not in header.found]
    note = "元にした議事録のテキストは最初の発言から始まっています。" if missing and starts_with_speech else None
    meta: dict = {"number": number}
    if title:
        meta["title"] = title
    meta |= {
        "date": header.date, "start_time": header.start_time, "end_time": header.end_time, "place": header.place,
        "attendees": None if header.commissioners is None else
        {"commissioners": header.commissioners, "secretariat": header.secretariat},
        "chair": chair,
    }
    if title or source_url:
        meta["sources"] = [{"title": f"{title} 議事録" if title else "議事録", "url": source_url}]
    if note:
        meta["note"] = note
    agenda = []
    for item, f in zip(items, facts, strict=True):
        entry: dict = {"number": item.number, "title": item.title}
        if item.subjects:
            entry["subjects"] = item.subjects
        entry |= {"disclosure": f.disclosure, "publish_after": None}
        if f.kind:
            entry["kind"] = f.kind
        entry["outcome"] = f.outcome
        for key in ("publication", "reason"):
            if getattr(f, key):
                entry[key] = getattr(f, key)
        if f.agencies:
            entry["agencies"] = f.agencies
        if f.materials:
            entry["materials"] = [{"label": label} for label in f.materials]
        agenda.append(entry)
    meta["agenda"] = agenda
    return meta


def render_meeting(meta: dict, blocks: list[Block], items: list[Item], closing: int | None) -> str:
    """The meeting file: front matter, then the record one paragraph a line with 議題 and 閉会 headings."""
    headings: dict[int, list[str]] = {}
    for item in items:
        heading = f"## 議題{item.number} {item.title}" if item.title else f"## 議題{item.number}"
        headings.setdefault(item.start, []).append(heading)
    if closing is not None:
        headings.setdefault(closing, []).append("## 閉会")
    body: list[str] = []
    for i, b in enumerate(blocks):
        body.extend(headings.get(i, []))
        body.append(f"○{b.label}{b.sep}{b.text}" if b.kind == "turn" else b.text)
    body.extend(headings.get(len(blocks), []))
    return render_file(meta, "\n\n".join(body) + "\n")
