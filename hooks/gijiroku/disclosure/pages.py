"""Hand-written pages under docs/ (the staff guide and any other Markdown MkDocs copies).

MkDocs renders these itself, so the 非公表 markers are applied to the Markdown it is about to
render (`public_page`, called from the hook's `on_page_markdown`), and `gijiroku check` reads
the same files (`page_problems`) so that a mistake is found before any build. The registry
entries under docs/commissioners/ and docs/agencies/ are not pages in this sense: their
profiles are read with the registry (registry.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..record.docs_files import MARKDOWN_SUFFIXES, key_lines, page_meta_problems, through_link_out, walk_docs
from ..record.markup import check_markdown
from ..record.problems import Problem
from ..record.rules import problem
from ..record.source import forbidden_chars, parse_source
from .markers import find_markers, front_matter_problems, marker_lines, public_markdown

# What MkDocs reads as a Markdown page, and how it finds front matter (mkdocs/utils/meta.py):
# YAML between `---` and `---` or `...`, else MultiMarkdown `key: value` lines up to a blank line.
_YAML = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_MMD_KEY = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*(.*)")
_MMD_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(.*)")
REGISTRY_DIRS = ("commissioners", "agencies")


def hand_written_pages(root: Path) -> list[Path]:
    """Every Markdown file under docs/ except the registry entries, symlinked folders followed
    (as MkDocs follows them) unless they lead out of docs/ or back into a folder on the way."""
    docs = root / "docs"
    found = []
    for folder, _dirs, files in walk_docs(docs):
        for name in sorted(files):
            path = Path(folder) / name
            rel = path.relative_to(docs)
            registry_entry = len(rel.parts) == 2 and rel.parts[0] in REGISTRY_DIRS and name != "index.md"
            if name.lower().endswith(MARKDOWN_SUFFIXES) and not registry_entry:
                found.append(path)
    return found


def page_problems(root: Path) -> list[Problem]:
    """Every marker mistake in every hand-written page, for `gijiroku check`."""
    problems: list[Problem] = []
    for path in hand_written_pages(root):
        if through_link_out(path, root / "docs"):  # refused as it is (G607), not read as a page
            continue
        shown = "docs/" + path.relative_to(root / "docs").as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            problems.append(problem("G606", shown, None))
            continue
        problems.extend(forbidden_chars(text, shown))  # as in every source: a control, override or zero-width
        body, first_line = _front_matter(text, shown, problems)
        public_markdown(body, first_line, shown, problems, raw_html=False)
        problems.extend(markup_problems(body, first_line, shown, {p.line for p in problems}))
    return sorted(set(problems))


def markup_problems(body: str, first_line: int, shown: str, reported: set[int | None]) -> list[Problem]:
    """Raw HTML, a style or an attribute list (but a heading's id), an image of another site, a
    link of another scheme: what a hand-written page may not hold (`markup.check_markdown` with
    `page`), each with its line. Found by an attack: a page's inline styles put a withheld
    passage's pieces back in order on the screen while the file held them in another. Lines the
    marker scan owns (a marker, withheld text) and lines `reported` already are left out."""
    owned = marker_lines(body, first_line, shown) | reported
    return [problem(code, shown, n, **values) for n, code, values in check_markdown(body, first_line, owned.__contains__,
                                                                                   page=True)]


def _front_matter(text: str, shown: str, problems: list[Problem]) -> tuple[str, int]:
    """Report markers in the page's front matter the way MkDocs reads it; return the body and
    the line it starts on."""
    text = text.replace("\r\n", "\n")
    if _YAML.match(text):
        source = parse_source(text, shown, problems)
        if source is not None:
            problems.extend(front_matter_problems(source.meta, source.lines, shown))
            problems.extend(page_meta_problems(source.meta, text, shown))
            return source.body, source.body_line
        return text, 1  # unreadable YAML: MkDocs would render it as text, so scan it as text
    problems.extend(page_meta_problems(dict.fromkeys(key_lines(text), ""), text, shown))  # MultiMarkdown: strings
    lines = text.split("\n")
    number = 0
    while number < len(lines) and lines[number].strip():
        m = _MMD_KEY.match(lines[number]) or (_MMD_MORE.match(lines[number]) if number else None)
        if not m:
            break
        if find_markers(lines[number])[0]:
            problems.append(problem("G146", shown, number + 1))
        number += 1
    return "\n".join(lines[number:]), number + 1



def public_page(markdown: str, raw: str, shown: str, meta: dict) -> tuple[str, list[Problem]]:
    """The Markdown of a hand-written page as MkDocs is about to render it (`markdown`, its
    front matter already taken off `raw`, the file's text), with every 非公表 region replaced
    by the placeholder; and the problems that must stop the build."""
    problems: list[Problem] = []
    first_line = raw[: len(raw) - len(markdown)].count("\n") + 1 if raw.endswith(markdown) else 1
    public = public_markdown(markdown, first_line, shown, problems, raw_html=False)
    problems.extend(markup_problems(markdown, first_line, shown, {p.line for p in problems}))
    problems.extend(front_matter_problems(meta, {}, shown))
    problems.extend(page_meta_problems(meta, raw, shown))
    return public, sorted(set(problems))
