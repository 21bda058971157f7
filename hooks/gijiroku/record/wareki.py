"""Dates and times as Japanese records print them: 和暦 or 西暦, any digit width, kanji numerals.

`find_date` and `find_times` read the first date and the time range in a header line such as
「日時：令和５年５月３１日（水）１４：４０～」 or 「1 日 時: 2023年5月31日 14時00分~15時55分」.
Nothing is guessed: a date that does not exist (平成31年5月1日, 令和元年4月30日, 2月30日) is
reported, not corrected.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    start: dt.date  # first day of year 1 (元年)
    end: dt.date | None  # last day, None for the current era
    initial: str  # R, H, S, T, M


ERAS = (
    Era("令和", dt.date(2019, 5, 1), None, "R"),
    Era("平成", dt.date(1989, 1, 8), dt.date(2019, 4, 30), "H"),
    Era("昭和", dt.date(1926, 12, 25), dt.date(1989, 1, 7), "S"),
    Era("大正", dt.date(1912, 7, 30), dt.date(1926, 12, 24), "T"),
    Era("明治", dt.date(1868, 1, 25), dt.date(1912, 7, 29), "M"),
)
_ERA_BY_NAME = {e.name: e for e in ERAS} | {e.initial: e for e in ERAS} | {e.initial.lower(): e for e in ERAS}


def wareki_year(day: dt.date) -> str:
    """The year of `day` as an era year: 令和5年, 令和元年; a day before 明治, as 西暦 (1867年)."""
    for era in ERAS:
        if day >= era.start:
            year = day.year - era.start.year + 1
            return f"{era.name}{'元' if year == 1 else year}年"
    return f"{day.year}年"


KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                "壱": 1, "弐": 2, "参": 3}
KANJI_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10}
_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")

# One number as printed: ASCII or full-width digits, or kanji numerals (三十一, 二〇二三), or 元 (year 1).
NUM = r"(?:[0-9０-９]+|[〇零一二三四五六七八九十百千壱弐参拾]+|元)"
_SP = r"[ \u3000]*"
_ERA = "|".join(e.name for e in ERAS)
KANJI_DATE = re.compile(
    rf"(?:(?P<era>{_ERA}){_SP})?(?P<y>{NUM}){_SP}年{_SP}(?P<m>{NUM}){_SP}月{_SP}(?P<d>{NUM}){_SP}日")
NUMERIC_DATE = re.compile(
    r"(?<![0-9０-９])(?:(?P<era>[RHSTMrhstm])[ .．]?)?(?P<y>[0-9０-９]{1,4})(?P<sep>[./／\-－.．])"
    r"(?P<m>[0-9０-９]{1,2})(?P=sep)(?P<d>[0-9０-９]{1,2})(?![0-9０-９])")

def _time_pattern(p: str) -> str:
    """One clock time; group names carry the prefix `p` so that a range can hold two."""
    num = "(?:[0-9０-９]{1,2}|[〇一二三四五六七八九十]+)"
    return (f"(?P<{p}ampm>午前|午後)?{_SP}(?<![0-9０-９])(?P<{p}h>{num}){_SP}"
            f"(?:[:：]{_SP}(?P<{p}m1>[0-9０-９]{{2}})"
            f"|時{_SP}(?:(?P<{p}m2>{num}){_SP}分|(?P<{p}half>半))?)")


TIME = re.compile(_time_pattern(""))
TIME_RANGE = re.compile(_time_pattern("a") + f"{_SP}(?:[～〜~\\-－―–]|から){_SP}(?:" + _time_pattern("b") + ")?")


def parse_number(text: str) -> int | None:
    """A number as printed: 31, ３１, 三十一, 二〇二三, 元 (= 1). None when it is not one."""
    text = text.strip(" \u3000")
    if not text:
        return None
    if text == "元":
        return 1
    if len(text) > 12:  # no record prints such a number; int() of 5,000 digits raises
        return None
    digits = text.translate(_WIDE)
    if digits.isascii() and digits.isdigit():
        return int(digits)
    if any(ch not in KANJI_DIGITS and ch not in KANJI_UNITS for ch in text):
        return None
    if not any(ch in KANJI_UNITS for ch in text):  # 二〇二三: digit by digit
        return int("".join(str(KANJI_DIGITS[ch]) for ch in text))
    total, current = 0, None
    for ch in text:
        if ch in KANJI_DIGITS:
            if current is not None:  # 三四十: not a number
                return None
            current = KANJI_DIGITS[ch]
        else:
            total += (1 if current is None else current) * KANJI_UNITS[ch]
            current = None
    return total + (current or 0)


def to_date(era: str | None, year: int, month: int, day: int) -> dt.date:
    """The date of an (era, year, month, day) as printed; ValueError (in Japanese) if there is none."""
    if era:
        e = _ERA_BY_NAME[era]
        name = "元" if year == 1 else str(year)
        if year < 1:
            raise ValueError(f"{e.name}{year}年という年はありません")
        western = e.start.year + year - 1
        try:
            day_ = dt.date(western, month, day)
        except ValueError:
            raise ValueError(f"{e.name}{name}年{month}月{day}日は存在しない日付です") from None
        if day_ < e.start or (e.end is not None and day_ > e.end):
            span = f"{e.start.isoformat()}〜{e.end.isoformat() if e.end else ''}"
            raise ValueError(f"{e.name}{name}年{month}月{day}日は{e.name}の期間（{span}）の外です")
        return day_
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{year}年{month}月{day}日は存在しない日付です") from None


@dataclass(frozen=True)
class Found:
    """A date found in text, or the reason why what looked like one is not a date."""

    date: dt.date | None
    start: int  # where the match starts and ends in the text
    end: int
    error: str | None = None


def find_date(text: str) -> Found | None:
    """The first date in `text` (和暦 or 西暦), or None when there is nothing like a date."""
    candidates = []
    for pattern in (KANJI_DATE, NUMERIC_DATE):
        m = pattern.search(text)
        if m:
            candidates.append(m)
    if not candidates:
        return None
    m = min(candidates, key=lambda c: c.start())
    era = m.group("era")
    if era and m.re is NUMERIC_DATE:
        era = _ERA_BY_NAME[era].name
    year = parse_number(m.group("y"))
    month, day = parse_number(m.group("m")), parse_number(m.group("d"))
    if year is None or month is None or day is None:
        return Found(None, m.start(), m.end(), f"「{m.group(0)}」の数字を読めません")
    if m.group("y") == "元" and not era:
        return Found(None, m.start(), m.end(), f"「{m.group(0)}」に元号がありません")
    if not era and year < 100:
        return Found(None, m.start(), m.end(), f"「{m.group(0)}」の年に元号がありません")
    try:
        return Found(to_date(era, year, month, day), m.start(), m.end())
    except ValueError as err:
        return Found(None, m.start(), m.end(), str(err))


def _clock(m: re.Match, p: str) -> str | None:
    hour = parse_number(m.group(f"{p}h"))
    minute_text = m.group(f"{p}m1") or m.group(f"{p}m2")
    minute = 30 if m.group(f"{p}half") else (parse_number(minute_text) if minute_text else 0)
    if hour is None or minute is None:
        return None
    if m.group(f"{p}ampm") == "午後" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def find_times(text: str) -> tuple[str | None, str | None]:
    """Start and end time ("HH:MM") in text such as 14:40～, 14時00分~15時55分, 午後2時から午後3時30分まで."""
    m = TIME_RANGE.search(text)
    if m:
        start = _clock(m, "a")
        end = _clock(m, "b") if m.group("bh") else None
        return start, end
    m = TIME.search(text)
    if m:
        return _clock(m, ""), None
    return None, None


def why_no_date(value: str) -> str:
    """Why a value written like a date (2023-02-30) is no date, in Japanese: the reason Python
    gives is English."""
    m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if not m:
        return "YYYY-MM-DD の日付として読めません"
    year, month, day = (int(part) for part in m.groups())
    if not 1 <= month <= 12:
        return "月は1から12までです"
    if day < 1:
        return "日は1からです"
    if year < 1:
        return "年は1からです"
    last = calendar.monthrange(year, month)[1]
    return f"{year}年{month}月は{last}日までです" if day > last else "YYYY-MM-DD の日付として読めません"
