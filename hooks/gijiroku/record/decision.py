"""Parsing a decision or published document (decisions/<id>.md)."""

from __future__ import annotations

from ..disclosure.markers import front_matter_problems, public_markdown
from . import markup, schema
from .model import DECISION_KINDS, Decision
from .registry import Registry
from .source import Source


def parse_decision(source: Source, stem: str, registry: Registry) -> Decision | None:
    raw = source.meta if isinstance(source.meta, dict) else {}
    if "number" in raw and isinstance(raw.get("agenda"), list):  # a meeting's file, put here by mistake
        number = raw["number"]
        source.problem(("number",), "G516", name=f"{number}.md" if isinstance(number, int) else "<回次>.md")
        return None
    meta = schema.check_mapping(source, source.meta, (), schema.DECISION, "文書の見出し情報（front matter）")
    if not schema.ASCII_ID.match(stem):
        source.problem(1, "G501", name=f"{stem}.md")
    if meta.get("kind") and meta["kind"] not in DECISION_KINDS:
        source.problem(("kind",), "G502", kind=meta["kind"], kinds="、".join(DECISION_KINDS))
    disclosure = schema.read_disclosure(source, (), meta, "文書")
    if meta.get("agenda") is not None and meta.get("meeting") is None:
        source.problem(("agenda",), "G503")
    schema.check_agencies(source, (), meta.get("agencies"), registry.agencies)
    sources = schema.read_links(source, meta.get("sources"), ("sources",))
    body = public_markdown(source.body, source.body_line, source.path, source.problems)
    source.problems.extend(front_matter_problems(source.meta, source.lines, source.path))
    markup.check_body(source)  # after the marker scan, which it does not report twice
    if "title" not in meta or "kind" not in meta:
        return None
    return Decision(
        id=stem, title=meta["title"], kind=meta["kind"], date=meta.get("date"),
        meeting=meta.get("meeting"), agenda=meta.get("agenda"),
        agencies=tuple(meta.get("agencies") or ()), disclosure=disclosure,
        publish_after=meta.get("publish_after"), material=meta.get("material"),
        sources=sources, note=meta.get("note"), body=body, path=source.path,
        link_line=source.lines.get(("meeting",)), agenda_line=source.lines.get(("agenda",)),
    )

