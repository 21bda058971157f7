"""`gijiroku add commissioner` and `gijiroku add agency`: a registry file, checked before it is written.

The entry comes from the command line or, on a terminal, from a few questions in Japanese. It is
written through the one front-matter writer (`writer.render_file`) in the layout of the files
under docs/commissioners/ and docs/agencies/, and read back through the checker's own reader
and schema (`registry.parse_person`, `registry.parse_agency`) before anything is written: what
`add` writes, `gijiroku check` accepts. An existing id is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..record.problems import Problem
from ..record.registry import Committee, Registry, check_names, parse_agency, parse_person
from ..record.schema import ASCII_ID
from ..record.source import forbidden_chars, parse_source
from .scaffold import parse_day
from .writer import render_file

FOLDERS = {"commissioner": "commissioners", "agency": "agencies"}


class Refused(ValueError):
    """The entry cannot be written: the message says why and what to do, in Japanese."""


@dataclass(frozen=True)
class Question:
    """One question asked on a terminal: the field it fills, its prompt, and whether it may be left empty."""

    field: str
    prompt: str
    optional: bool = False


def questions(kind: str, committee: Committee) -> list[Question]:
    """What `add` asks for an entry of `kind`, in order."""
    if kind == "commissioner":
        titles = "・".join(committee.commissioner_titles)
        return [
            Question("name", "記録に印刷された姓（例 丹野）"),
            Question("id", "id（英小文字・数字・ハイフン。ファイル名になります。例 tanno）"),
            Question("role", f"役職（{titles}）"),
            Question("term_start", "就任日（2023-04-01 や 令和5年4月1日。不明なら空のまま Enter）", optional=True),
            Question("term_end", "退任日（在任中・不明なら空のまま Enter）", optional=True),
        ]
    kinds = "・".join(committee.agency_kinds) or "国の行政機関 など"
    return [
        Question("name", "機関名（記録のとおり。例 デジタル庁）"),
        Question("id", "id（英小文字・数字・ハイフン。ファイル名になります。例 digital-agency）"),
        Question("kind", f"種類（{kinds}）"),
    ]


def ask(kind: str, given: dict[str, str | None], committee: Committee,
        prompt: Callable[[str], str] | None = None) -> dict[str, str | None]:
    """The answers: what was given on the command line, and the rest asked with `prompt`. An answer
    that cannot be used is asked again (at most three times) with the reason."""
    prompt = prompt or input  # looked up when asked, not when defined
    answers = dict(given)
    for question in questions(kind, committee):
        if answers.get(question.field) is not None:
            continue
        for _ in range(3):
            answer = prompt(f"{question.prompt}: ").strip()
            if not answer and question.optional:
                answers[question.field] = ""
                break
            reason = field_problem(kind, question.field, answer, committee)
            if reason is None:
                answers[question.field] = answer
                break
            print(reason)
        else:
            raise Refused(f"{question.prompt.split('（')[0]}を決められませんでした。もう一度 gijiroku add を実行してください。")
    return answers


def field_problem(kind: str, name: str, value: str, committee: Committee) -> str | None:
    """Why one answer cannot be used (None: it can)."""
    if not value:
        return "空にはできません。"
    if name == "name" and any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):  # \n, \t, U+2028
        shown = "".join(ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in ("Cc", "Zl", "Zp")
                        else ch for ch in value)
        return f"名前「{shown}」に改行や制御文字があります。記録に印刷されたとおり一行で書いてください。"
    if name == "id" and not ASCII_ID.match(value):
        return f"id「{value}」は使えません。英小文字・数字・ハイフンだけで書いてください（例 tanno、digital-agency）。"
    if name == "name" and kind == "commissioner":
        title = next((t for t in committee.commissioner_titles if value.endswith(t) and value != t), None)
        if title is not None or any(ch.isspace() for ch in value):
            surname = value[: -len(title)] if title else value.split()[0]
            return f"名前「{value}」には姓だけを、記録に印刷されたとおりに書いてください（例 {surname}）。役職は --role（端末では役職の質問）で指定します。"
    if name == "role" and value not in committee.commissioner_titles:
        return f"役職「{value}」は committee.yml の commissioner_titles（{'・'.join(committee.commissioner_titles)}）にありません。"
    if name == "kind" and committee.agency_kinds and value not in committee.agency_kinds:
        return f"種類「{value}」は committee.yml の agency_kinds（{'・'.join(committee.agency_kinds)}）にありません。"
    if name in ("term_start", "term_end"):
        try:
            parse_day(value)
        except ValueError as err:
            return str(err)
    return None


def entry(kind: str, answers: dict[str, str | None]) -> dict:
    """The front matter of the entry, keys in the order of the files under docs/."""
    if kind == "commissioner":
        start, end = (parse_day(answers[k]) if answers.get(k) else None for k in ("term_start", "term_end"))
        return {"id": answers["id"], "name": answers["name"], "full_name": None, "reading": None,
                "roles": [{"title": answers["role"], "from": start, "to": end}]}
    return {"id": answers["id"], "name": answers["name"], "kind": answers["kind"], "aliases": []}


def render_entry(kind: str, answers: dict[str, str | None], root: Path, registry: Registry) -> tuple[Path, str]:
    """(path, text) of the registry file for `answers`; Refused when it cannot be written."""
    missing = [q.field for q in questions(kind, registry.committee) if not q.optional and not answers.get(q.field)]
    if missing:
        flags = "、".join("--" + name.replace("_", "-") for name in missing)
        raise Refused(f"{flags} がありません。指定するか、端末で実行して質問に答えてください。")
    for name, value in answers.items():
        if value:
            reason = field_problem(kind, name, value, registry.committee)
            if reason:
                raise Refused(reason)
    ident = answers["id"]
    folder = FOLDERS[kind]
    path = root / "docs" / folder / f"{ident}.md"
    shown = f"docs/{folder}/{ident}.md"
    if path.exists() or path.is_symlink():
        raise Refused(f"{shown} は既にあります。別の id にするか、そのファイルを直接直してください。")
    try:
        meta = entry(kind, answers)
    except ValueError as err:  # a date parse_day refused
        raise Refused(str(err)) from None
    role = (meta.get("roles") or [{}])[0]
    if role.get("from") and role.get("to") and role["to"] < role["from"]:
        # said here, by the dates the clerk typed: the checker would point at a line of a file never written
        raise Refused(f"退任日（--term-end）{role['to']} が就任日（--term-start）{role['from']} より前です。"
                      "日付を確かめてください。")
    text = render_file(meta, "").rstrip("\n") + "\n"  # as the files under docs/ end: no body
    problems = check_entry(kind, text, shown, ident, registry)
    if problems:
        raise Refused("\n".join(problems))
    return path, text


def check_entry(kind: str, text: str, shown: str, ident: str, registry: Registry) -> list[str]:
    """What `gijiroku check` would say of the file (the checker's reader, schema and name rules),
    and a person who would make a speaker label match two people."""
    problems: list[Problem] = forbidden_chars(text, shown)  # check reads every file for these first
    if problems:
        return [p.format() for p in problems]
    source = parse_source(text, shown, problems)
    if source is None:
        return [p.format() for p in problems]
    if kind == "commissioner":
        parsed = parse_person(source, ident)
        problems.extend(source.problems)
        clashes = _same_label(parsed, registry) if parsed is not None else []
        return [p.format() for p in problems] + clashes
    parsed = parse_agency(source, ident, registry.committee)
    problems.extend(source.problems)
    if parsed is not None:
        trial = Registry(registry.committee, registry.people, {**registry.agencies, parsed.id: parsed})
        check_names(trial, problems)
    return [p.format() for p in problems]


def _same_label(person, registry: Registry) -> list[str]:
    """The people already registered under the same printed name and role in a term that overlaps:
    every speech of theirs would match two people."""
    out = []
    for other in registry.people.values():
        if other.name != person.name and person.name not in other.aliases:
            continue
        for mine in person.roles:
            for theirs in other.roles:
                if mine.title == theirs.title and _overlap(mine, theirs):
                    out.append(f"「{person.name}{mine.title}」は既に {other.path or other.id} の人として登録されていて、"
                               "在任期間が重なります。同じ人なら新しく登録せず、そのファイルの roles に役職を加えてください。"
                               "別の人なら、それぞれの就任日・退任日を書いて期間が重ならないようにしてください。")
    return out


def _overlap(a, b) -> bool:
    low, high = dt.date.min, dt.date.max
    return (a.start or low) <= (b.end or high) and (b.start or low) <= (a.end or high)


def write_entry(path: Path, text: str) -> None:
    """Write the file; never over one that appeared meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)


def next_step(kind: str, shown: str) -> str:
    noun = "委員" if kind == "commissioner" else "機関"
    return (f"{shown} に{noun}を登録しました。紹介文があれば front matter の後に書き足し、gijiroku check を実行してから、"
            f"このファイルもプルリクエストに含めてください。")
