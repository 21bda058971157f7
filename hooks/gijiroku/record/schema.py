"""Front-matter schemas, one per document type, and their checking.

Each key says what it holds in Japanese; the staff guide lists these, and a test keeps the
guide and the schemas in step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from .source import Source, is_date
from .wareki import why_no_date

TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ASCII_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: `$` also matches before a final newline
# A link that leaves the site: http(s) only, a host, no whitespace or control characters. Anything
# else (javascript:, data:, vbscript:, a relative path) is refused: the URL goes into an href.
WEB_URL = re.compile(r"\Ahttps?://[^\s/?#\\\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Key:
    name: str
    kind: str  # int | str | date | time | list | dict | id | ids | url
    required: bool = False
    nullable: bool = True
    doc: str = ""
    bounds: tuple[int, int] | None = None  # for an int: the smallest and largest value accepted


MEETING_NUMBERS = (1, 9999)  # 第1回 to 第9999回: the Commission holds about 30 meetings a year
AGENDA_NUMBERS = (1, 999)

MEETING = (
    Key("number", "int", True, False, "会議の回次（第244回なら 244）。ファイル名と同じ数", bounds=MEETING_NUMBERS),
    Key("date", "date", True, True, "開催日 YYYY-MM-DD。記録にないときは null（サイトには表示しない）"),
    Key("title", "str", doc="会議名。省略すると「第N回個人情報保護委員会」"),
    Key("start_time", "time", doc="開始時刻 14:40。記録にないときは null"),
    Key("end_time", "time", doc="終了時刻 15:55。記録にないときは null"),
    Key("place", "str", doc="場所。記録にないときは null"),
    Key("attendees", "dict", doc="出席者。commissioners（委員）と secretariat（事務局）に印刷どおりの表記で分ける。記録にないときは null"),
    Key("chair", "str", doc="議事を進行した委員長等の表記（丹野委員長）"),
    Key("sources", "list", doc="公式の出典（title と url）。url が分からないときは null"),
    Key("note", "str", doc="編集注記（記録そのものではない説明）"),
    Key("record", "str", doc="記録の種類: 議事録（省略したときも）・議事概要・議事要旨。議事概要と議事要旨の本文は議題ごとの段落だけで、発言（○）は置かない"),
    Key("agenda", "list", True, False, "議題の一覧（下記）"),
)

AGENDA_ITEM = (
    Key("number", "int", True, False, "議題番号。1 から連番", bounds=AGENDA_NUMBERS),
    Key("title", "str", True, False, "議題名（記録のとおり。本文の見出し「## 議題N 議題名」と一致させる）"),
    Key("disclosure", "str", True, False, "公開・非公表・後日公表 のいずれか"),
    Key("publish_after", "date", False, True, "後日公表の公表日 YYYY-MM-DD。後日公表のとき必須"),
    Key("kind", "str", doc="議題の種類（committee.yml の agenda_kinds のいずれか）"),
    Key("outcome", "str", doc="結果（原案のとおり決定、評価書を承認、総務大臣に通知、報告、非公表 …）。記録にないときは null"),
    Key("publication", "str", doc="資料・議事録の取扱いについて記録が述べること（後日公表、準備が整い次第公表 …）"),
    Key("reason", "str", doc="非公表・後日公表の理由（監視・監督案件 …）"),
    Key("subjects", "list", doc="「その他」などの議題で扱われた案件名"),
    Key("agencies", "ids", doc="関係する機関の id（docs/agencies/ のファイル名）"),
    Key("materials", "list", doc="資料（label、title、url）"),
    Key("decisions", "ids", doc="この議題で決定・公表された文書の id（decisions/ のファイル名）"),
)

DECISION = (
    Key("title", "str", True, False, "文書名（印刷どおり）"),
    Key("kind", "str", True, False, "種類（対応方針・指導・意見・勧告・命令・決定・規則・指針・報告結果・改善報告・公表資料・資料）"),
    Key("date", "date", True, True, "文書の日付 YYYY-MM-DD。記録にないときは null"),
    Key("meeting", "int", doc="決定・報告された会議の回次。分からないときは null", bounds=MEETING_NUMBERS),
    Key("agenda", "int", doc="その会議の議題番号", bounds=AGENDA_NUMBERS),
    Key("agencies", "ids", doc="関係する機関の id"),
    Key("disclosure", "str", True, False, "公開・非公表・後日公表 のいずれか"),
    Key("publish_after", "date", doc="後日公表の公表日。後日公表のとき必須"),
    Key("material", "str", doc="会議資料としての番号（資料３）"),
    Key("sources", "list", doc="公式の出典（title と url）"),
    Key("note", "str", doc="編集注記（欠けている図表など、記録そのものではない説明）"),
)

COMMISSIONER = (
    Key("id", "id", True, False, "英小文字・数字・ハイフンの id。ファイル名と同じ"),
    Key("name", "str", True, False, "記録に印刷された姓（丹野、髙村）"),
    Key("aliases", "list", doc="記録で使われる別の表記（異体字など）"),
    Key("full_name", "str", doc="氏名（任意。記録や公表資料で確認できたときだけ）"),
    Key("reading", "str", doc="読み（任意）"),
    Key("roles", "list", True, False, "役職の一覧: title（委員長・委員）、from・to（YYYY-MM-DD、不明なら null）"),
)

AGENCY = (
    Key("id", "id", True, False, "英小文字・数字・ハイフンの id。ファイル名と同じ"),
    Key("name", "str", True, False, "機関名（記録のとおり）"),
    Key("kind", "str", True, False, "種類（committee.yml の agency_kinds のいずれか）"),
    Key("aliases", "list", doc="同じ機関を指す別の表記（厚生労働大臣 → 厚生労働省）"),
    Key("reading", "str", doc="読み（任意。一覧の並び順に使う）"),
)

ROLE = (
    Key("title", "str", True, False, "役職"),
    Key("from", "date", doc="就任日（不明なら null）"),
    Key("to", "date", doc="退任日（在任中・不明なら null）"),
)

SOURCE = (Key("title", "str", True, False, "出典の名前"),
          Key("url", "url", doc="公式の URL（https:// または http:// で始まる）"))
MATERIAL = (
    Key("label", "str", True, False, "資料番号（資料１－１）"),
    Key("title", "str", doc="資料名"),
    Key("url", "url", doc="公式の URL（https:// または http:// で始まる）"),
)

KIND_NAMES = {
    "int": "整数", "str": "文字列", "date": "日付（YYYY-MM-DD）", "time": "時刻（\"HH:MM\"）",
    "list": "リスト", "dict": "項目の集まり", "id": "id", "ids": "id のリスト", "url": "URL",
}


def check_mapping(source: Source, data: Any, path: tuple, keys: tuple[Key, ...], what: str) -> dict:
    """Report unknown, missing and mistyped keys; return the keys that passed."""
    if not isinstance(data, dict):
        source.problem(path, "G120", what=what)
        return {}
    known = {k.name: k for k in keys}
    good: dict[str, Any] = {}
    for name, value in data.items():
        key = known.get(name)
        if key is None:
            close = difflib.get_close_matches(str(name), known, n=1)
            if close:
                source.problem(path + (name,), "G109", what=what, name=name, close=close[0])
            else:
                source.problem(path + (name,), "G110", what=what, name=name, known="、".join(known))
            continue
        if key.kind == "date" and isinstance(value, str) and ISO_DATE.match(value):
            value = _quoted_date(source, path + (name,), value)
            if value is None:
                continue
        if check_value(source, path + (name,), key, value, what):
            good[name] = value
    for key in keys:
        if key.required and key.name not in data:
            source.problem(path, "G111", what=what, key=key.name, doc=key.doc)
    return good


def _quoted_date(source: Source, path: tuple, value: str) -> dt.date | None:
    """A date written in quotes ("2023-06-07", as many people write YAML) is the same date."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        source.problem(path, "G108", value=value, error=why_no_date(value))
        return None



def check_value(source: Source, path: tuple, key: Key, value: Any, what: str) -> bool:
    if value is None:
        if key.nullable:
            return True
        source.problem(path, "G112", what=what, key=key.name, doc=key.doc)
        return False
    # `title: ""`: empty, not a value of another kind (a date or URL that may be null keeps its
    # kind's message, which says to write null when the record does not say)
    if isinstance(value, str) and not value.strip() and (key.kind == "str" or not key.nullable):
        source.problem(path, "G112", what=what, key=key.name, doc=key.doc)
        return False
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "str": lambda v: isinstance(v, str) and v.strip() != "",
        "date": is_date,
        "time": lambda v: isinstance(v, str) and TIME.match(v) is not None,
        "list": lambda v: isinstance(v, list),
        "dict": lambda v: isinstance(v, dict),
        "id": lambda v: isinstance(v, str) and ASCII_ID.match(v) is not None,
        "ids": lambda v: isinstance(v, list) and all(isinstance(i, str) and ASCII_ID.match(i) for i in v),
        "url": lambda v: isinstance(v, str) and WEB_URL.match(v) is not None,
    }[key.kind](value)
    if ok and key.bounds is not None and not key.bounds[0] <= value <= key.bounds[1]:
        low, high = key.bounds
        shown = str(value) if len(str(value)) <= 12 else str(value)[:12] + "…"
        source.problem(path, "G119", what=what, key=key.name, value=shown, low=low, high=high, doc=key.doc)
        return False
    if ok:
        return True
    values = {"what": what, "key": key.name, "value": value, "kind": KIND_NAMES[key.kind]}
    if key.kind == "date" and isinstance(value, str | int):
        source.problem(path, "G114", **values)
    elif key.kind == "date" and isinstance(value, dt.datetime):
        source.problem(path, "G115", **values)
    elif key.kind == "time" and isinstance(value, int):
        source.problem(path, "G116", **values)
    elif key.kind == "url":
        source.problem(path, "G117", **values)
    elif key.kind in ("id", "ids"):
        source.problem(path, "G118", **values)
    elif key.kind == "int" and isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        source.problem(path, "G163", bare=value.strip(), **values)  # number: "244"
    else:
        source.problem(path, "G113", doc=key.doc, **values)
    return False


def read_disclosure(source: Source, where: tuple, data: dict, noun: str):
    """The disclosure of an agenda item or document, checked with its publish_after.

    A misspelt, missing or mistyped value is read as 非公表 (fail closed while the file has an error),
    without a second message about publish_after that the misspelling caused; a publish_after
    that is no date is reported once, as such, not also as missing.
    """
    from ..disclosure.markers import parse_disclosure
    from .model import Disclosure

    # missing or of the wrong type (the schema has said so): 非公表 too, and no further message
    disclosure, valid = Disclosure.WITHHELD, False
    if "disclosure" in data:
        valid = True
        found = parse_disclosure(data["disclosure"])
        if isinstance(found, str):
            source.problem(where + ("disclosure",), "G211", value=data["disclosure"], suggestion=found)
            valid = False
        else:
            disclosure = found
    publish_after = data.get("publish_after")
    # a publish_after that is written but was refused (not a date) has had its message already
    refused = "publish_after" not in data and where + ("publish_after",) in source.lines
    if disclosure is Disclosure.DEFERRED and publish_after is None and not refused:
        source.problem(where + ("disclosure",), "G212", noun=noun)
    if publish_after is not None and disclosure is not Disclosure.DEFERRED and valid:
        source.problem(where + ("publish_after",), "G213", noun=noun)
    return disclosure


def check_agencies(source: Source, where: tuple, ids: list, agencies: dict) -> None:
    for j, agency in enumerate(ids or []):
        if agency not in agencies:
            source.problem(where + ("agencies", j), "G216", agency=agency)


def read_links(source: Source, raw: list, where: tuple):
    """`sources:` entries (title, url) as Links."""
    from .model import Link

    links = []
    for i, entry in enumerate(raw or []):
        data = check_mapping(source, entry, where + (i,), SOURCE, "出典")
        if "title" in data:
            links.append(Link(data["title"], data.get("url")))
    return tuple(links)
