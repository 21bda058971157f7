"""The header of the minutes, before the first speech: 日時, 場所, 出席者, 議事次第.

Attendees are sorted into commissioners and secretariat by the registries; what the header does not
state stays None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..record.model import SpeakerKind
from ..record.registry import Registry
from ..record.wareki import NUM, find_date, find_times, parse_number, to_date
from .read import INDENT, Line, Notice, text_width

_SP = r"[ \u3000]*"


def _spaced(word: str) -> str:
    return _SP.join(re.escape(ch) for ch in word)


HEADER_LABELS = {
    "date": ("開催日時", "日時", "開催日", "日付"),
    "place": ("開催場所", "場所", "会場"),
    "attendees": ("出席者", "出席委員", "出席"),
    "commissioners": ("委員", "構成員"),
    "secretariat": ("事務局出席者", "事務局"),
    "absent": ("欠席者", "欠席委員", "欠席"),
    "agenda": ("議事次第", "議題", "議事", "次第"),
    "other": ("配布資料", "配付資料", "説明者", "出席説明者", "陪席者", "オブザーバー", "傍聴者"),
    # where a summary's (議事概要, 議事要旨) own text begins, after the header
    "summary": ("議事概要", "議事要旨", "議事の概要", "審議の概要", "審議概要", "議事内容", "概要", "要旨"),
}
_LABEL_TO_FIELD = {label: name for name, labels in HEADER_LABELS.items() for label in labels}
_LABEL_ALT = "|".join(_spaced(w) for w in sorted(_LABEL_TO_FIELD, key=len, reverse=True))
HEADER_LINE = re.compile(
    rf"^(?:[0-9０-９一二三四五六七八九十]+{_SP}[.．、)）]?{_SP}|[（(][0-9０-９一二三四五六七八九十]+[)）]{_SP}"
    rf"|[◇◆■□●◎・]+{_SP})?[【\[［]?(?P<label>{_LABEL_ALT})[】\]］]?(?:{_SP}[：:]{_SP}|[ \u3000]+|$)(?P<rest>.*)$")
AGENDA_ENTRY = re.compile(
    rf"^(?:議[題事]{_SP})?(?:[（(](?P<a>[0-9０-９一二三四五六七八九十]+)[)）]|(?P<b>[0-9０-９]+){_SP}[.．、)）]|"
    rf"(?P<c>[①-⑳])|(?P<d>[0-9０-９]+)(?=[ \u3000]))[ \u3000]*(?P<title>\S.*)$")
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
MEETING_NUMBER = re.compile(r"第[ \u3000]*(?P<n>[0-9０-９]+|[〇一二三四五六七八九十百千]+)[ \u3000]*回")
_NAME_BEFORE = re.compile(r"[^\s、。「」『』（）()]+$")


def bracketed_title(text: str, m: re.Match) -> str | None:
    """The printed name of a meeting numbered after it in brackets: 統計情報活用研究会（第７回）."""
    before, after = text[:m.start()], text[m.end():m.end() + 1]
    if before[-1:] in ("（", "(") and after in ("）", ")") and (name := _NAME_BEFORE.search(before[:-1])):
        return f"{name.group(0)}{before[-1]}{m.group(0)}{after}"
    return None


@dataclass
class Header:
    date: dt.date | None = None
    start_time: str | None = None
    end_time: str | None = None
    place: str | None = None
    commissioners: list[str] | None = None
    secretariat: list[str] | None = None
    agenda: dict[int, str] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)  # every header line, for title and number
    found: set[str] = field(default_factory=set)


def _field_values(lines: list[Line]) -> list[tuple[str, str, Line, list[Line]]]:
    """(field, label, label line, value lines) for every labelled field of the header."""
    fields: list[tuple[str, str, Line, list[Line]]] = []
    for line in lines:
        m = HEADER_LINE.match(line.text)
        if m:
            label = re.sub(r"[ \u3000]", "", m.group("label"))
            rest = m.group("rest").strip(INDENT)
            value = [Line(line.number, rest, 0, line.trailing, text_width(rest))] if rest else []
            fields.append((_LABEL_TO_FIELD[label], label, line, value))
        elif fields and not re.match(r"^[―─━\-=＝＊*]{3,}$", line.text):
            fields[-1][3].append(line)
    return fields


def _split_names(text: str) -> list[str]:
    parts = re.split(r"[、，,\n\u3000]|[ ]{2,}", text)
    return [p.strip(" ") for p in parts if p.strip(" ")]


GROUP = re.compile(r"^(?:[（(【［\[](?P<a>[^）)】］\]]{1,10})[）)】］\]][：:]?|(?P<b>[^：:、]{1,10})[：:])(?P<rest>.*)$")


def parse_attendees(text: str, default: str, registry: Registry, day, notices: list[Notice], line: int
                    ) -> tuple[list[str], list[str]]:
    """Split printed attendee labels into (commissioners, secretariat), by the registries."""
    committee = registry.committee
    commissioners: list[str] = []
    secretariat: list[str] = []
    group = default
    for token in _split_names(text):
        if m := GROUP.match(token):
            word = m.group("a") or m.group("b")
            if word in HEADER_LABELS["commissioners"] or word in HEADER_LABELS["attendees"]:
                group = "commissioners"
            elif word in HEADER_LABELS["secretariat"] or word == committee.secretariat_name:
                group = "secretariat"
            else:
                group = "other"
            token = m.group("rest").strip()
            if not token:
                continue
        if " " in token and not isinstance(registry.resolve(token.replace(" ", ""), day), str):
            token = token.replace(" ", "")
        found = registry.resolve(token, day)
        if isinstance(found, str):
            notices.append(Notice(line, f"出席者「{token}」を名簿で確認できません（{found}）。表記のまま残しました。"
                                           "委員なら docs/commissioners/ に登録し、事務局の役職なら committee.yml の "
                                           "secretariat_titles に加えてください。"))
            is_commissioner = group == "commissioners" or (
                group != "secretariat" and any(token.endswith(t) for t in committee.commissioner_titles))
        else:
            is_commissioner = found.kind is SpeakerKind.COMMISSIONER
        (commissioners if is_commissioner else secretariat).append(token)
    return commissioners, secretariat


def parse_header(lines: list[Line], registry: Registry, notices: list[Notice]) -> Header:
    """The facts the header states: date and times, place, attendees, the printed agenda list."""
    header = Header(lines=lines)
    fields = _field_values(lines)
    for name, _label, label_line, values in fields:
        joined = "".join(v.text for v in values)
        if name == "date" and "date" not in header.found:
            header.found.add("date")
            _read_date(header, joined, label_line.number, notices)
        elif name == "place" and "place" not in header.found:
            header.found.add("place")
            header.place = joined or None
        elif name == "agenda" and not header.agenda:
            for v in values:
                if m := AGENDA_ENTRY.match(v.text):
                    n = parse_number(m.group("a") or m.group("b") or m.group("d") or "") \
                        if not m.group("c") else _CIRCLED[m.group("c")]
                    title = m.group("title").strip(INDENT)
                    if n and n not in header.agenda:
                        header.agenda[n] = title
    if "date" not in header.found:
        for line in lines:
            found = find_date(line.text)
            if found is not None:
                header.found.add("date")
                _read_date(header, line.text, line.number, notices)
                break
    day = header.date
    people = [(name, values, label_line) for name, _, label_line, values in fields
              if name in ("attendees", "commissioners", "secretariat")]
    if people:
        header.found.add("attendees")
        header.commissioners, header.secretariat = [], []
        for name, values, label_line in people:
            text = "\n".join(v.text for v in values)
            default = "secretariat" if name == "secretariat" else ("commissioners" if name == "commissioners" else "auto")
            c, s = parse_attendees(text, default, registry, day, notices, label_line.number)
            header.commissioners += c
            header.secretariat += s
    return header


FISCAL_YEAR = re.compile(rf"(?P<era>令和|平成){_SP}(?P<y>{NUM}){_SP}年度")
MONTH_DAY = re.compile(rf"(?<![年0-9０-９])(?P<m>{NUM}){_SP}月{_SP}(?P<d>{NUM}){_SP}日")


def _date_in_fiscal_year(header: Header, text: str, line: int, notices: list[Notice]) -> bool:
    """A date printed without its year (６月１８日) under a title that names the fiscal year
    (令和６年度 第２回…): April to December are in that year, January to March in the next."""
    md = MONTH_DAY.search(text)
    fy = next((m for h in header.lines if (m := FISCAL_YEAR.search(h.text))), None)
    if md is None or fy is None:
        return False
    year, month, day = parse_number(fy.group("y")), parse_number(md.group("m")), parse_number(md.group("d"))
    if year is None or month is None or day is None:
        return False
    try:
        found = to_date(fy.group("era"), year + (1 if month <= 3 else 0), month, day)
    except ValueError as err:
        notices.append(Notice(line, f"日付を読めません: {err}。date は null にしました。"))
        return True
    header.date = found
    notices.append(Notice(line, f"日付「{md.group(0)}」に年がないため、表題の「{fy.group(0)}」から年を補い、"
                                f"{found.isoformat()} としました。確かめてください。"))
    header.start_time, header.end_time = find_times(text[md.end():])
    return True


_WEEKDAY = re.compile(r"^[ \u3000]*[（(]([月火水木金土日])(?:曜日?)?[）)]")


def _read_date(header: Header, text: str, line: int, notices: list[Notice]) -> None:
    found = find_date(text)
    if found is None:
        if not _date_in_fiscal_year(header, text, line, notices):
            notices.append(Notice(line, f"日時「{text}」から日付を読めません。date は null にしました。"))
        return
    if found.date is None:
        notices.append(Notice(line, f"日付を読めません: {found.error}。date は null にしました。"))
    header.date = found.date
    printed = _WEEKDAY.match(text[found.end:])
    if found.date is not None and printed and "月火水木金土日"[found.date.weekday()] != printed.group(1):
        # 5月31日（木） for a Wednesday: the date or the weekday was mistyped, and only the record can say which
        notices.append(Notice(line, f"日付 {found.date.isoformat()} は{'月火水木金土日'[found.date.weekday()]}曜日ですが、"
                                    f"記録には（{printed.group(1)}）とあります。記録の日付を確かめてください。"))
    header.start_time, header.end_time = find_times(text[found.end:])
    if header.start_time is None:
        notices.append(Notice(line, "開始時刻が見つかりません。start_time は null にしました。"))
