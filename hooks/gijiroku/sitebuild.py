"""One site build, as the MkDocs hook drives it: read, check, generate, then verify the output.

Kept apart from the hook module so that it can be tested and reused without MkDocs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import verify
from .pages import Output, SiteBuilder
from .problems import format_problems
from .publish import build_date, public_record
from .record import Record, load_record


class BuildRefused(Exception):
    """The build must stop: the message says what is wrong and how to fix it."""


@dataclass
class BuildState:
    root: Path
    site_url: str
    day: dt.date = field(default_factory=build_date)
    builder: SiteBuilder | None = None
    record: Record | None = None  # the whole record, deferred content included: for the verifier only
    report: verify.Report | None = None

    def prepare(self) -> list[Output]:
        """Read and check every source, then generate every page and data file."""
        record, problems = load_record(self.root)
        if problems:
            raise BuildRefused("原稿に誤りがあるため、サイトを作りません。\n" + format_problems(problems))
        self.record = record
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

    def page_content(self, src_uri: str, html: str) -> str:
        """Put the generated HTML blocks back into the page MkDocs converted (see render.HtmlStash)."""
        return self.builder.stash.restore(src_uri, html)

    def page_context(self, src_uri: str) -> dict:
        return {"build_date": self.day.isoformat()}

    def finish(self, site_dir: Path) -> str:
        """After MkDocs wrote the site: index it for search, then verify that nothing withheld leaked.

        On a leak the output directory is emptied before the build fails, so that neither
        `make build` (which then keeps the previous site/) nor `make serve` shows it.
        """
        started = time.perf_counter()
        leaks, self.report = verify.verify_site(self.root, site_dir, self.record, self.builder.record, self.day,
                                                verify.template_text())
        if leaks:
            for child in site_dir.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
            shown = "\n".join(leak.format() for leak in leaks[:50])
            more = f"\n…ほか {len(leaks) - 50} 件" if len(leaks) > 50 else ""
            raise BuildRefused(
                f"非公表・後日公表の本文が出力に含まれていたため、サイトを公開しません（{len(leaks)} 件）。\n"
                f"{shown}{more}\n出力は消去しました。原稿の非公表マーカーと disclosure を確かめてください。")
        r = self.report
        return (f"漏えい検証: {r.files} ファイル（{r.bytes / 1e6:.1f} MB）を検査、非公表・後日公表の文 {r.secrets} 件"
                f"（照合窓 {r.windows}）、漏えい 0 件、{time.perf_counter() - started:.2f} 秒")


def person_title(person) -> str:
    role = person.roles[-1].title if person.roles else ""
    return f"{person.full_name}（{role}）" if person.full_name else f"{person.name}{role}"
