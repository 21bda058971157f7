"""One site build, as the MkDocs hook drives it: read, check, generate, then verify the output.

Kept apart from the hook module so that it can be tested and reused without MkDocs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import search
from .pages import Output, SiteBuilder
from .problems import format_problems
from .publish import build_date, public_record
from .record import load_record


class BuildRefused(Exception):
    """The build must stop: the message says what is wrong and how to fix it."""


@dataclass
class BuildState:
    root: Path
    site_url: str
    day: dt.date = field(default_factory=build_date)
    builder: SiteBuilder | None = None

    def prepare(self) -> list[Output]:
        """Read and check every source, then generate every page and data file."""
        record, problems = load_record(self.root)
        if problems:
            raise BuildRefused("原稿に誤りがあるため、サイトを作りません。\n" + format_problems(problems))
        self.builder = SiteBuilder(public_record(record, self.day), self.site_url)
        return self.builder.generate()

    def page_markdown(self, src_uri: str, markdown: str, meta: dict) -> str:
        """Registry pages (docs/commissioners, docs/agencies): heading, profile, then generated links."""
        kind, _, name = src_uri.removesuffix(".md").partition("/")
        registry = self.builder.record.registry
        if kind == "commissioners" and name in registry.people:
            person = registry.people[name]
            title = person_title(person)
            meta.setdefault("title", title)
            meta.setdefault("description", f"{title}の出席した会議と、公開されたすべての発言。")
            return f"# {title}\n\n{markdown}\n\n{self.builder.commissioner_section(name)}"
        if kind == "agencies" and name in registry.agencies:
            agency = registry.agencies[name]
            meta.setdefault("title", agency.name)
            meta.setdefault("description", f"{agency.name}に関係する議題、決定・資料、言及した発言。")
            return f"# {agency.name}\n\n{markdown}\n\n{self.builder.agency_section(name)}"
        return markdown

    def page_context(self, src_uri: str) -> dict:
        return {"build_date": self.day.isoformat()}

    def finish(self, site_dir: Path) -> None:
        """After MkDocs wrote the site: index it for search and verify that nothing withheld leaked."""
        search.index_site(site_dir, self.builder.record)


def person_title(person) -> str:
    role = person.roles[-1].title if person.roles else ""
    return f"{person.full_name}（{role}）" if person.full_name else f"{person.name}{role}"
