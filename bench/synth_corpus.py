"""A synthetic record of N meetings for the search benchmark, made from the real seed meetings.

Used by bench/search_bench.py when no corpus directory is given (the project's own
`gijiroku synth` may replace it). Each synthetic meeting is minutes/244.md or minutes/136.md
renumbered and dated, with its paragraphs varied so that 1000 meetings are not 1000 copies:
some paragraphs are swapped for paragraphs of the other real texts, some digits and kanji are
changed. Speaker labels, agenda headings, stage directions and disclosure markers are kept, so
every file passes `gijiroku check`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = (244, 136)
FIRST_DAY = dt.date(2016, 1, 6)
_FRONT = re.compile(r"^---\n(.*?)\n---\n(.*)$", re.S)
_STRUCTURE = re.compile(r"^(##|<!--|（[^（）]+）$)")
_SPEECH = re.compile(r"^(○[^\s○]+[ \u3000])(.*)$")
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9０-９]")


def _split(path: Path) -> tuple[dict, str]:
    match = _FRONT.match(path.read_text(encoding="utf-8"))
    return yaml.safe_load(match.group(1)), match.group(2)


def _paragraph_pool(root: Path) -> list[str]:
    """Plain paragraphs of every real meeting and document, to mix into the synthetic ones."""
    pool = []
    for path in sorted((root / "minutes").glob("*.md")) + sorted((root / "decisions").glob("*.md")):
        _, body = _split(path)
        for line in body.splitlines():
            line = line.strip()
            if len(line) >= 20 and not _STRUCTURE.match(line) and not line.startswith(("○", "#", "|", "-", "*", ">")):
                pool.append(line)
    return pool


class _Varier:
    def __init__(self, rng: random.Random, pool: list[str], kanji: list[str], rate: float):
        self.rng, self.pool, self.kanji, self.rate = rng, pool, kanji, rate

    def text(self, line: str) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            line = rng.choice(self.pool)
        line = _DIGIT.sub(lambda m: (m.group(0) if rng.random() > 0.3 else
                                     str(rng.randrange(10)).translate(_WIDE) if m.group(0) >= "０" else str(rng.randrange(10))),
                          line)
        return _KANJI.sub(lambda m: rng.choice(self.kanji) if rng.random() < self.rate else m.group(0), line)


_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def _vary_body(body: str, template: int, number: int, v: _Varier) -> str:
    out = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped or _STRUCTURE.match(stripped):
            out.append(line)
            continue
        speech = _SPEECH.match(stripped)
        if speech:
            out.append(speech.group(1) + v.text(speech.group(2)).replace(f"第{template}回", f"第{number}回"))
        else:
            out.append(v.text(stripped).replace(f"第{template}回", f"第{number}回"))
    return "\n".join(out) + "\n"


def _front_matter(meta: dict, number: int, day: dt.date) -> str:
    meta = dict(meta, number=number, title=f"第{number}回個人情報保護委員会", date=day)
    meta["agenda"] = [{k: v for k, v in item.items() if k != "decisions"} for item in meta["agenda"]]
    meta.pop("note", None)
    meta["sources"] = [{"title": f"第{number}回個人情報保護委員会 議事録", "url": None}]
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def generate(out: Path, meetings: int, seed: int = 1, root: Path = ROOT, rate: float = 0.01) -> Path:
    """Write `meetings` synthetic meetings (and one decision per ten meetings) under out/."""
    rng = random.Random(seed)
    pool = _paragraph_pool(root)
    kanji = sorted(set(_KANJI.findall("".join(pool))))
    varier = _Varier(rng, pool, kanji, rate)
    templates = {n: _split(root / "minutes" / f"{n}.md") for n in TEMPLATES}
    (out / "minutes").mkdir(parents=True, exist_ok=True)
    (out / "decisions").mkdir(parents=True, exist_ok=True)
    with_item3 = []
    for number in range(1, meetings + 1):
        template = TEMPLATES[number % 2]
        meta, body = templates[template]
        day = FIRST_DAY + dt.timedelta(days=3 * number)
        text = _front_matter(meta, number, day) + _vary_body(body, template, number, varier)
        (out / "minutes" / f"{number}.md").write_text(text, encoding="utf-8")
        if template == 244:
            with_item3.append((number, day))
    decision_meta, decision_body = _split(root / "decisions" / "2023-05-31-taio-hoshin.md")
    for k in range(meetings // 10):
        number, day = with_item3[k * len(with_item3) // max(1, meetings // 10)]
        meta = dict(decision_meta, date=day, meeting=number, agenda=3)
        meta.pop("note", None)
        body = "\n".join(varier.text(line) if line and not line.startswith(("#", "|")) else line
                         for line in decision_body.splitlines())
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n" + body + "\n"
        (out / "decisions" / f"{day.isoformat()}-taio-hoshin-{number}.md").write_text(text, encoding="utf-8")
    return out
