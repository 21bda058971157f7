"""The official text beside the record: `sources/`, and the check that the record prints it.

`sources/<number>.txt` is the text of the 議事録 PDF that `minutes/<number>.md` was made from, and
`sources/decisions/<id>.txt` the text of a document's PDF, as `gijiroku import` wrote them (or
as copied out of the PDF). They are not under `docs/`, so the build never publishes them.

`source_problems` checks, for every meeting that has a source, that each public line of its body
(speech turns, paragraphs, stage directions, the placeholder) appears in the source verbatim,
PDF line wraps and blank lines aside, and reports the first difference with both places. What
is compared is public text only: lines inside `<!-- 非公表 -->` regions and the sections of
非公表 and 後日公表 items are skipped, so a message never quotes withheld text (and a published
PDF never prints it). Decisions are not compared: their files rebuild the PDF's tables as
headings (see each file's note); their sources are kept for the reader and the reviewer.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from pathlib import Path

from ..disclosure.markers import scan_body
from .model import Disclosure, Meeting
from .problems import Problem
from .rules import problem
from .schema import ASCII_ID
from .source import read_source, read_text
from .text import PRINTED_SPACES, char_name, excerpt

SOURCES = "sources"
DECISIONS = "decisions"
# A page number printed between dashes (- 3 -, －３－) is layout, not the record's wording.
PAGE_NUMBER = re.compile(r"^[ \u3000]*[-－―‐][ \u3000]*[0-9０-９]{1,3}[ \u3000]*[-－―‐][ \u3000]*$")
INDENT = " \u3000\t\f"
_HEADING = re.compile(r"^##?#?\s")
_AGENDA = re.compile(r"^## 議題([0-9０-９]{1,9})(?![0-9０-９])")
# a label is a name and a title (事務局（総務課長）): a longer "label" is compared as plain text, as
# finding a turn's mark costs the square of its label's length
_TURN = re.compile(r"^○([^ \u3000]{1,64})([ \u3000])")
_TRIES = 8  # places where the text without spaces stands, tried for the exact match
# Characters that the searches from the start of a source (for a line the record has moved before
# where it had got to) may read in all, per meeting: a few dozen such lines in a real record, a
# search of the whole source each. Past it a line not found further on is a difference, so that a
# hostile pair (thousands of lines each found only at the end of a long source) costs seconds.
_FALLBACK_WORK = 50_000_000


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.endswith("~")


def list_sources(root: Path) -> tuple[dict[int, Path], dict[str, Path], list[Problem]]:
    """The meeting sources by number, the decision sources by id, and a problem for anything else."""
    meetings: dict[int, Path] = {}
    decisions: dict[str, Path] = {}
    problems: list[Problem] = []
    folder = root / SOURCES
    if not folder.is_dir():
        return meetings, decisions, problems
    for path in sorted(folder.iterdir()):
        name = path.name
        if _ignored(name):
            continue
        if name == DECISIONS and path.is_dir() and not path.is_symlink():
            for inner in sorted(path.iterdir()):
                if _ignored(inner.name):
                    continue
                if (inner.suffix == ".txt" and ASCII_ID.match(inner.stem) and inner.is_file()
                        and not inner.is_symlink()):
                    decisions[inner.stem] = inner
                else:
                    problems.append(problem("G180", f"{SOURCES}/{DECISIONS}/{inner.name}", None,
                                            name=f"{DECISIONS}/{inner.name}"))
        elif (path.suffix == ".txt" and re.fullmatch(r"[1-9][0-9]{0,3}", path.stem) and path.is_file()
              and not path.is_symlink()):
            meetings[int(path.stem)] = path
        else:
            problems.append(problem("G180", f"{SOURCES}/{name}", None, name=name))
    return meetings, decisions, problems


class SourceText:
    """A source's lines joined into one stream (indents, trailing spaces, blank lines and page
    numbers dropped; one `\\n` between lines), with the file line of every stream position.

    Finding is in two steps, so that a hostile pair of files costs linear time, never the product
    of their lengths: `str.find` of the text without spaces in the stream without spaces and line
    breaks (`squeezed`), then an anchored match of the exact pattern where it was found."""

    def __init__(self, text: str) -> None:
        parts: list[str] = []
        self.starts: list[int] = []  # stream offset where each kept line starts
        self.numbers: list[int] = []  # its 1-based line in the file
        self.lines: list[str] = []
        squeezed: list[str] = []
        self.offsets = array("q")  # stream offset of each character of `squeezed`
        offset = 0
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip(INDENT).translate(PRINTED_SPACES).replace("\t", " ")  # a tab is a space the PDF printed
            if not line or PAGE_NUMBER.match(line):
                continue
            self.starts.append(offset)
            self.numbers.append(number)
            self.lines.append(line)
            parts.append(line)
            for i, ch in enumerate(line):
                if ch != " ":
                    squeezed.append(ch)
                    self.offsets.append(offset + i)
            offset += len(line) + 1
        self.stream = "\n".join(parts)
        self.squeezed = "".join(squeezed)

    def where(self, offset: int) -> tuple[int, str]:
        """(file line, kept text) of the line holding stream position `offset`."""
        if not self.starts:
            return 1, ""
        i = max(0, bisect_right(self.starts, offset) - 1)
        return self.numbers[i], self.lines[i]

    def find(self, text: str, start: int = 0) -> int | None:
        """Where `text` ends in the stream, found from `start`: a line wrap allowed between any two
        characters and in place of a space (the importer keeps a space where a wrap followed a
        printed one); a turn's ○ and label may be printed as 【label】, the space after it missing."""
        turn = _TURN.match(text)
        rest, head, back = text, None, 0
        if turn:
            label = "\n?".join(re.escape(ch) for ch in turn.group(1))
            # the importer writes one space for the spaces a PDF prints (none, or several), and keeps a
            # printed full-width space
            sep = "[ \n]*" if turn.group(2) == " " else "\u3000"
            head = re.compile(f"(?:[○〇◯]\n?{label}\n?{sep}|【\n?{label}\n?】)\n?")
            rest, back = text[turn.end():], 2 * len(turn.group(1)) + 4  # how far before its text a turn's mark stands
        key = rest.replace(" ", "") or text.replace(" ", "")
        at = self.squeezed.find(key, bisect_left(self.offsets, start))
        for _ in range(_TRIES):
            if at < 0:
                return None
            end = self.offsets[at]
            if head is None:
                found = _walk(self.stream, end, rest)
                if found is not None:
                    return found
            else:
                for place in range(max(start, end - back), end + 1):
                    if self.stream[place] in "○〇◯【" and (m := head.match(self.stream, place)):
                        found = _walk(self.stream, m.end(), rest)
                        if found is not None:
                            return found
            at = self.squeezed.find(key, at + 1)
        return None


def _walk(stream: str, at: int, text: str) -> int | None:
    """Where `text` ends when read in the stream from `at`, a line break allowed before any
    character and in place of a space (kept lines never start with a space); None if it differs."""
    n = len(stream)
    for ch in text:
        if at < n and (stream[at] == ch or (stream[at] == "\n" and ch == " ")):
            at += 1
        elif at + 1 < n and stream[at] == "\n" and stream[at + 1] == ch:
            at += 2
        else:
            return None
    return at


def public_lines(meeting: Meeting, body: str, first_line: int, path: str) -> list[tuple[int, str]]:
    """(file line, text) of every body line that is public record text: not a heading, not in a
    非公表 region, not in the section of a 非公表 or 後日公表 item."""
    hidden = {item.number for item in meeting.agenda if item.disclosure is not Disclosure.PUBLIC}
    out: list[tuple[int, str]] = []
    current: int | None = None
    for line in scan_body(body, first_line, path, []):
        text = line.text.strip(INDENT)
        if line.withheld or not text:
            continue
        if _HEADING.match(text):
            current = section_after(text, current)
            continue
        if current not in hidden:
            out.append((line.number, text))
    return out


def section_after(text: str, current: int | None) -> int | None:
    """The agenda item whose section a body line `text` leaves open: the one a `## 議題N` heading
    starts, None after another heading, `current` after a line that is no heading."""
    if not _HEADING.match(text):
        return current
    m = _AGENDA.match(text)
    return int(unicodedata.normalize("NFKC", m.group(1))) if m else None


def _width_form(wide: str, narrow: str) -> bool:
    """Whether `wide` is the full-width or half-width form of `narrow` (１ of 1, ｶ of カ)."""
    return unicodedata.decomposition(wide).startswith(("<wide>", "<narrow>")) and unicodedata.normalize("NFKC", wide) == narrow


def _look_alike(ours: str, theirs: str) -> bool:
    """Two different characters that the message's two quotes would show alike: two kinds of
    space (or of what shows nothing), or the full-width and half-width forms of one character
    (not ① or ¹ for １, which NFKC also makes 1 but which look different)."""
    if not ours or not theirs or ours == theirs:
        return False
    blank = all(ch.isspace() or unicodedata.category(ch) in ("Zs", "Cf") for ch in (ours, theirs))
    return blank or _width_form(ours, theirs) or _width_form(theirs, ours)


def first_difference(lines: list[tuple[int, str]], source: SourceText, path: str, shown: str) -> Problem | None:
    """The first public line that the source does not hold, with where it differs."""
    cursor = 0
    work = _FALLBACK_WORK
    used: dict[int, int] = {}  # where each line found ends in the source -> its line in the record
    for number, text in lines:
        found = source.find(text, cursor)
        if found is None and cursor and work > 0:
            # a line the record moved before where it had got to: found where the source holds it and
            # no earlier line of the record was found (a paragraph pasted twice, a turn made up from
            # another, passed before: found by a clerk's attack)
            work -= len(source.squeezed) + 1
            found, twice = source.find(text), None
            while found is not None and found in used and work > 0:
                twice = twice or found
                work -= len(source.squeezed) + 1
                found = source.find(text, found)
            if found is None and twice is not None:
                line, their_text = source.where(twice - 1)
                return problem("G352", path, number, source=shown, ours=excerpt(text, 0), where=f"{shown}:{line}",
                               earlier=used[twice])
        if found is not None:
            cursor = found
            used.setdefault(found, number)
            continue
        # the longest prefix the source holds (from where the record had got to, else anywhere)
        low, high, end = 0, len(text), cursor
        while low < high:
            mid = (low + high + 1) // 2
            m = source.find(text[:mid], cursor)
            if m is None:
                m = source.find(text[:mid])
            if m is not None:
                low, end = mid, m
            else:
                high = mid - 1
        at = end if low else cursor
        if at < len(source.stream) and source.stream[at] == "\n":
            at += 1  # the difference is at the start of the next line
        line, their_text = source.where(at)
        column = at - source.starts[source.numbers.index(line)] if source.starts else 0
        values = {"source": shown, "ours": excerpt(text, low), "where": f"{shown}:{line}",
                  "theirs": excerpt(their_text, column)}
        typed, printed = text[low:low + 1], their_text[column:column + 1]
        if _look_alike(typed, printed):  # the quotes alone would show no difference
            return problem("G351", path, number, typed=char_name(typed), printed=char_name(printed), **values)
        return problem("G350", path, number, **values)
    return None


def source_problems(root: Path, meetings: dict[int, Meeting], decision_ids: set[str],
                    skipped: set[tuple[str, int]] = frozenset()) -> list[Problem]:
    """The errors about `sources/`: stray files, sources without their meeting or document,
    unreadable sources, and public text of a meeting that its source does not hold. Lines in
    `skipped` (path, line) are not compared: they carry an error of their own."""
    meeting_sources, decision_sources, errors = list_sources(root)
    for number, path in meeting_sources.items():
        shown = f"{SOURCES}/{path.name}"
        if not (root / "minutes" / f"{number}.md").is_file():
            errors.append(problem("G181", shown, None, name=shown, noun="会議", target=f"minutes/{number}.md",
                                  key="回次"))
            continue
        text = read_text(path, shown, errors)
        meeting = meetings.get(number)
        if text is None or meeting is None:  # the meeting's own errors are reported by the loader
            continue
        record = read_source(root / "minutes" / f"{number}.md", root, [])
        if record is None:
            continue
        lines = [(n, text) for n, text in public_lines(meeting, record.body, record.body_line, record.path)
                 if (record.path, n) not in skipped]
        found = first_difference(lines, SourceText(text), record.path, shown)
        if found:
            errors.append(found)
    for ident, path in decision_sources.items():
        shown = f"{SOURCES}/{DECISIONS}/{path.name}"
        if ident not in decision_ids and not (root / "decisions" / f"{ident}.md").is_file():
            errors.append(problem("G181", shown, None, name=shown, noun="文書", target=f"decisions/{ident}.md",
                                  key="id"))
            continue
        read_text(path, shown, errors)
    return errors


def missing_sources(root: Path, meetings: dict[int, Meeting]) -> list[Problem]:
    """A warning for each meeting without a source while other meetings have one (no comparison:
    `check`'s warnings ask for this after `source_problems` has compared every meeting)."""
    meeting_sources = list_sources(root)[0]
    if not meeting_sources:
        return []
    return [problem("G182", f"minutes/{number}.md", None, number=number)
            for number in sorted(set(meetings) - set(meeting_sources))]
