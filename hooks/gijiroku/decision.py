"""Parsing a decision or published document (decisions/<id>.md)."""

from __future__ import annotations

from pathlib import Path

from . import schema
from .disclosure import parse_disclosure, scan_body
from .model import DECISION_KINDS, PLACEHOLDER, Decision, Disclosure, Link
from .problems import Problem
from .registry import Registry
from .source import Source, read_source


def parse_decision_file(path: Path, root: Path, registry: Registry, problems: list[Problem]) -> Decision | None:
    source = read_source(path, root, problems)
    if source is None:
        return None
    decision = parse_decision(source, path.stem, registry)
    problems.extend(source.problems)
    return decision


def parse_decision(source: Source, stem: str, registry: Registry) -> Decision | None:
    meta = schema.check_mapping(source, source.meta, (), schema.DECISION, "文書の見出し情報（front matter）")
    if not schema.ASCII_ID.match(stem):
        source.problem(1, f"ファイル名「{stem}.md」は id に使えません。",
                       "ファイル名を英小文字・数字・ハイフンにしてください（例 2023-05-31-taio-hoshin.md）。")
    if meta.get("kind") and meta["kind"] not in DECISION_KINDS:
        source.problem(("kind",), f"文書の種類「{meta['kind']}」は使えません。",
                       "次のいずれかにしてください: " + "、".join(DECISION_KINDS) + "。")
    disclosure, valid = Disclosure.PUBLIC, True
    if "disclosure" in meta:
        found = parse_disclosure(meta["disclosure"])
        if isinstance(found, str):
            source.problem(("disclosure",), f"disclosure の値「{meta['disclosure']}」は使えません。", found)
            disclosure, valid = Disclosure.WITHHELD, False  # fail closed while the file has an error
        else:
            disclosure = found
    if disclosure is Disclosure.DEFERRED and meta.get("publish_after") is None:
        source.problem(("disclosure",), "後日公表の文書に publish_after（公表日）がありません。",
                       "publish_after: YYYY-MM-DD を加えてください。")
    if meta.get("publish_after") is not None and disclosure is not Disclosure.DEFERRED and valid:
        source.problem(("publish_after",), "publish_after は後日公表の文書にだけ書けます。",
                       "disclosure を 後日公表 にするか、publish_after を消してください。")
    if meta.get("agenda") is not None and meta.get("meeting") is None:
        source.problem(("agenda",), "agenda（議題番号）がありますが meeting（回次）がありません。",
                       "meeting: に回次を書いてください。")
    for j, agency in enumerate(meta.get("agencies") or []):
        if agency not in registry.agencies:
            source.problem(("agencies", j), f"機関 id「{agency}」は docs/agencies/ にありません。",
                           f"docs/agencies/{agency}.md を作るか、既存の id を使ってください。")
    sources = []
    for i, entry in enumerate(meta.get("sources") or []):
        data = schema.check_mapping(source, entry, ("sources", i), schema.SOURCE, "出典")
        if "title" in data:
            sources.append(Link(data["title"], data.get("url")))
    body = public_markdown(source)
    if "title" not in meta or "kind" not in meta:
        return None
    return Decision(
        id=stem, title=meta["title"], kind=meta["kind"], date=meta.get("date"),
        meeting=meta.get("meeting"), agenda=meta.get("agenda"),
        agencies=tuple(meta.get("agencies") or ()), disclosure=disclosure,
        publish_after=meta.get("publish_after"), material=meta.get("material"),
        sources=tuple(sources), note=meta.get("note"), body=body, path=source.path,
    )


def public_markdown(source: Source) -> str:
    """The body with every withheld region replaced by the placeholder paragraph."""
    out: list[str] = []
    for line in scan_body(source.body, source.body_line, source.path, source.problems, markdown=True):
        if line.marker == "open":
            out.extend(["", PLACEHOLDER, ""])
        elif not line.withheld:
            out.append(line.text)
    return "\n".join(out).strip("\n") + "\n"
