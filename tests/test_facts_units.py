"""Facts, not blanks, without a site build: the helpers that leave out what the record omits,
and the placeholder's link, relative to each page that shows the same cached speech."""

from __future__ import annotations

import datetime as dt

from gijiroku.record.model import Meeting, Paragraph, Speaker, SpeakerKind, Speech, StageDirection, Withheld
from gijiroku.site import urls
from gijiroku.site.render import (
    SpeechHtml,
    date_full,
    date_ja,
    event_html,
    held,
    joined,
    meeting_time,
    missing_facts,
)

DAY = dt.date(2023, 5, 31)


def meeting(**kw) -> Meeting:
    return Meeting(number=1, title="第1回", date=kw.pop("date", None), **kw)


def test_dates_the_record_omits_are_empty_not_unknown():
    assert (date_ja(None), held(None), date_full(None)) == ("", "", "")
    assert (date_ja(DAY), held(DAY)) == ("2023年5月31日（水）", "2023年5月31日")


def test_times_print_only_what_the_record_states():
    assert meeting_time(meeting()) == ""
    assert meeting_time(meeting(start_time="14:40")) == "14:40〜"
    assert meeting_time(meeting(end_time="15:55")) == "〜15:55"
    assert meeting_time(meeting(start_time="14:40", end_time="15:55")) == "14:40〜15:55"


def test_missing_facts_names_each_absent_one_once():
    people = (Speaker("丹野委員長", SpeakerKind.COMMISSIONER, "tanno"),)
    assert missing_facts(meeting()) == "日時・場所・出席者"
    assert missing_facts(meeting(date=DAY, place="委員会室", commissioners=people)) == ""
    assert missing_facts(meeting(date=DAY, commissioners=people)) == "場所"
    assert missing_facts(meeting(start_time="14:40", place="委員会室", secretariat=())) == "開催日・出席者"


def test_joined_leaves_out_empty_parts():
    assert joined(["", "報告", None]) == "報告"
    assert joined([held(None), "議題3件"]) == "議題3件"
    assert joined(["2023年5月31日", "理由：監視・監督案件"], "、") == "2023年5月31日、理由：監視・監督案件"


def speech(*blocks) -> Speech:
    return Speech(1, 1, None, Speaker("事務局", SpeakerKind.SECRETARIAT), tuple(blocks))


def test_placeholder_links_to_the_explanation_relative_to_each_page():
    cache = SpeechHtml()
    s = speech(Paragraph("公開の文。"), Withheld(), Paragraph("続き。"))
    on_meeting = cache(s, lambda u: urls.href("meetings/1/", u))
    on_item = cache(s, lambda u: urls.href("meetings/1/agenda/2/", u))
    assert '<a href="../../disclosure/#placeholder" title="非公表・後日公表について">（内容について非公表）</a>' in on_meeting
    assert '<a href="../../../../disclosure/#placeholder"' in on_item
    assert len(cache) == 1  # one cached rendering serves both pages
    plain = cache(speech(Paragraph('"#gk-disclosure-page" は本文の文字')), lambda u: "X")
    assert "X" not in plain and "&#34;#gk-disclosure-page&#34;" in plain  # source text cannot forge the token
    event = event_html(Withheld(), lambda u: urls.href("meetings/1/", u))
    assert event == ('<p class="gk-withheld"><a href="../../disclosure/#placeholder" title="非公表・後日公表について">'
                     "（内容について非公表）</a></p>")
    assert event_html(StageDirection("（退室）"), lambda u: "X") == '<p class="gk-stage">（退室）</p>'
