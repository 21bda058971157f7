"""What a body line that starts a speech turn looks like (`○丹野委員長 それでは、…`), and the
lines that look like one but are typed wrong: another space after the label (G319), a space
between the mark and the label or before the mark (G320, G321), a turn in a summary (G340).
`record/meeting.py` reads the body with them; the importer (`authoring/`) says the same of
what it writes."""

from __future__ import annotations

import re

from .model import SpeakerKind
from .registry import Registry

SPEECH = re.compile(r"^○([^\s○]+)[ \u3000](.*)$")
BARE_SPEECH = re.compile(r"^○([^\s○]+)$")
WRONG_MARK = re.compile(r"^[〇◯◎●]([^\s]+)\s")  # any space after the label: the mark is the mistake named
# ○label, then a space that is neither half- nor full-width (U+00A0, a tab …); a label has no
# punctuation (a summary's bullet ○委員から、… with such a space inside is no turn)
ODD_SPACE = re.compile(r"^○([^\s○「」『』、。，,．]{1,24})([^\S \u3000])")
# a mark, a space, then a word (or a space before the mark): a turn only if the word reads as a
# label (`_names_a_speaker`; 「○ 資料1 …」 is a bullet)
SPACED_MARK = re.compile(r"^(\s*)([○〇◯◎●])(\s*)([^\s○〇◯◎●]+)(?:\s|$)")
LABEL_TAIL = re.compile(r"[（(][^（）()]*[)）]$|[：:、，,]+$")  # what may follow a label: 事務局（総務課長）, 井上委員長：
NAME_BEFORE_TITLE = re.compile(r"[\u4e00-\u9fff々〆ヶ\u30a1-\u30fa\u30fc]{1,8}")  # 丹埜 of 丹埜委員長, not 当委員会の


def spaced_turn(text: str, day, registry: Registry) -> tuple[str, str, str, str] | None:
    """(code, mark, label, the space) of a line that starts a turn with a space before its mark
    (G321) or between the mark and the label (G320), whatever the mark; else None. What follows
    the mark is a turn's only if it reads as a label (`_names_a_speaker`): 「○ 資料1 …」 and
    「○ 各府省庁の審議官 …」 are bullets."""
    m = SPACED_MARK.match(text)
    if m is None or not (m.group(1) or m.group(3)):
        return None
    label = m.group(4)
    if not _names_a_speaker(label, day, registry):
        return None
    return ("G321", m.group(2), label, m.group(1)[0]) if m.group(1) else ("G320", m.group(2), label, m.group(3)[0])


def _names_a_speaker(label: str, day, registry: Registry) -> bool:
    """Whether a word after 「○ 」 reads as a speaker's label (a bracketed part or a colon after
    it aside): a registered commissioner's (in office on the day or not), the secretariat's
    name, or a name of kanji or katakana before a title of committee.yml (丹埜委員長, 森川総務課長,
    a secretariat title alone); not 「各府省庁の審議官」, which the registry would take for one."""
    core = LABEL_TAIL.sub("", label)
    for word in dict.fromkeys((label, core)):
        found = registry.resolve(word, day)
        if not isinstance(found, str) and found.kind is SpeakerKind.COMMISSIONER:
            return True
        if registry.out_of_term(word, day) is not None:
            return True
    c = registry.committee
    if core == c.secretariat_name:
        return True
    for title in sorted((t for t in (*c.commissioner_titles, *c.secretariat_titles) if t), key=len, reverse=True):
        if core.endswith(title):
            name = core[:-len(title)]
            return bool(NAME_BEFORE_TITLE.fullmatch(name)) or (not name and title in c.secretariat_titles)
    return False


def turn_in_summary(text: str) -> str | None:
    """The label of a summary's line that reads as a speech turn (G340), else None. A line that
    starts with ○ and reads as a sentence (○委員から、…との意見があった。) is a bulleted paragraph."""
    m = SPEECH.match(text) or BARE_SPEECH.match(text) or WRONG_MARK.match(text)
    return m.group(1) if m and not any(ch in m.group(1) for ch in "、。，．") else None
