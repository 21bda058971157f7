"""Dates and times as records print them: 和暦 and 西暦, era boundaries, 元年, kanji and full-width numerals."""

from __future__ import annotations

import datetime as dt

import pytest

from gijiroku.record.wareki import ERAS, find_date, find_times, parse_number, to_date, wareki_year


@pytest.mark.parametrize("text,expected", [
    ("令和５年５月３１日（水）１４：４０～", dt.date(2023, 5, 31)),
    ("平成31年4月30日", dt.date(2019, 4, 30)),  # the last day of 平成
    ("令和元年5月1日", dt.date(2019, 5, 1)),  # the first day of 令和
    ("令和元年５月１日", dt.date(2019, 5, 1)),
    ("平成元年1月8日", dt.date(1989, 1, 8)),
    ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ("令和五年十二月二十一日", dt.date(2023, 12, 21)),
    ("令和 ５ 年 ５ 月 ３１ 日", dt.date(2023, 5, 31)),
    ("二〇二三年五月三十一日", dt.date(2023, 5, 31)),
    ("2023年5月31日", dt.date(2023, 5, 31)),
    ("２０２３年５月３１日", dt.date(2023, 5, 31)),
    ("2023/5/31", dt.date(2023, 5, 31)),
    ("2023-05-31", dt.date(2023, 5, 31)),
    ("R5.5.31", dt.date(2023, 5, 31)),
    ("H31.4.30", dt.date(2019, 4, 30)),
    ("1 日 時: 令和元年5月1日(水)10:00~12:05", dt.date(2019, 5, 1)),
])
def test_dates_as_printed(text, expected):
    found = find_date(text)
    assert found is not None and found.error is None
    assert found.date == expected


@pytest.mark.parametrize("text,error", [
    ("平成31年5月1日", "平成31年5月1日は平成の期間（1989-01-08〜2019-04-30）の外です"),
    ("令和元年4月30日", "令和元年4月30日は令和の期間（2019-05-01〜）の外です"),
    ("昭和64年1月8日", "昭和64年1月8日は昭和の期間（1926-12-25〜1989-01-07）の外です"),
    ("令和5年2月30日", "令和5年2月30日は存在しない日付です"),
    ("2023年13月1日", "2023年13月1日は存在しない日付です"),
    ("元年5月1日", "「元年5月1日」に元号がありません"),
    ("5年5月31日", "「5年5月31日」の年に元号がありません"),
])
def test_dates_that_do_not_exist_are_reported_not_corrected(text, error):
    found = find_date(text)
    assert found is not None and found.date is None
    assert found.error == error


def test_no_date_at_all():
    assert find_date("場所：個人情報保護委員会 委員会室") is None


@pytest.mark.parametrize("text,expected", [
    ("31", 31), ("３１", 31), ("三十一", 31), ("十", 10), ("二十", 20), ("百", 100), ("千九百八十九", 1989),
    ("二〇二三", 2023), ("元", 1), ("〇", 0), ("三四十", None), ("abc", None), ("", None),
])
def test_numbers(text, expected):
    assert parse_number(text) == expected


def test_to_date_needs_a_year_within_the_era():
    with pytest.raises(ValueError, match="令和0年という年はありません"):
        to_date("令和", 0, 1, 1)


@pytest.mark.parametrize("text,expected", [
    ("１４：４０～", ("14:40", None)),
    ("14時00分~15時55分", ("14:00", "15:55")),
    ("10:00~12:05", ("10:00", "12:05")),
    ("１０：００～１０：４５", ("10:00", "10:45")),
    ("午後２時から午後３時３０分まで", ("14:00", "15:30")),
    ("午前十時半～", ("10:30", None)),
    ("9時〜", ("09:00", None)),
    ("（水）", (None, None)),
    ("25:00～", (None, None)),
])
def test_times(text, expected):
    assert find_times(text) == expected


@pytest.mark.parametrize("day,expected", [
    (dt.date(2023, 5, 31), "令和5年"),
    (dt.date(2019, 5, 1), "令和元年"),
    (dt.date(2019, 4, 30), "平成31年"),
    (dt.date(1989, 1, 8), "平成元年"),
    (dt.date(1989, 1, 7), "昭和64年"),
    (dt.date(1926, 12, 24), "大正15年"),
    (dt.date(1868, 1, 25), "明治元年"),
    (dt.date(1868, 1, 24), "1868年"),  # before 明治: no era of the table, so 西暦
])
def test_wareki_year_names_the_era_of_the_day(day, expected):
    assert wareki_year(day) == expected


def test_one_era_table_reads_and_prints_the_same_boundaries():
    """The pages print eras from the table the parser reads them with: 元年 starts where reading starts it."""
    for era in ERAS:
        assert to_date(era.name, 1, era.start.month, era.start.day) == era.start
        assert wareki_year(era.start) == f"{era.name}元年"
        if era.end is not None:
            assert not wareki_year(era.end).startswith(era.name + "元")

