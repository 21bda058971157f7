"""What docs/ may hold besides Markdown pages, and what a hand-written page's front matter may say.

MkDocs publishes every file under docs/ as it is, and a file there takes the place of the theme
file of the same path. So a source file could run script without any markup in a page:

- a document a browser opens on its own (HTML, SVG, XHTML, XML …), copied with no
  Content-Security-Policy: hand-written pages are Markdown, so docs/ holds no such file;
- a file at the path of a theme file (Material's script bundle, which every page loads);
- a symbolic link that leads out of docs/: MkDocs follows it and publishes what it leads to, a
  file of the machine that builds the site as readily as a source file's withheld text;
- a link to a page under a name that is not a page's (docs/a.txt -> notes.md): MkDocs copies the
  page's source as it is, withheld regions and all.

And Material reads a page's front matter in places where a string becomes markup or a template
path (`status` in a class attribute, unescaped; `icon` and `template` as template names), so a
hand-written page may set only `title`, `description` and `hide` (with Material's part names).
Check and the build refuse the rest with file and line (`docs_file_problems`,
`page_meta_problems`); the post-build fence (csp.scan_site) refuses the same documents again.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import mimetypes
import os
import re
import zlib
from functools import cache
from pathlib import Path

from .problems import Problem
from .rules import problem
from .text import nfkc, squeeze

# Suffixes a browser may open as a document that runs script (text/html, application/xhtml+xml,
# image/svg+xml and every XML type); mimetypes adds what the running system knows.
DOCUMENT_SUFFIXES = frozenset({
    ".html", ".htm", ".shtml", ".xhtml", ".xht", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".rss",
    ".atom", ".rdf", ".mht", ".mhtml", ".xsd", ".mml", ".mathml", ".xul", ".xbl", ".kml", ".gpx",
})
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def is_document(name: str) -> bool:
    """Whether a file of this name is served as a document that can run script or load from elsewhere."""
    suffix = os.path.splitext(name.lower())[1]
    kind, encoding = mimetypes.guess_type(name.lower())
    kind = "" if encoding or kind is None else kind  # sitemap.xml.gz is served as gzip, a download
    return suffix in DOCUMENT_SUFFIXES or kind in ("text/html", "application/xhtml+xml") or kind.endswith("xml")


@cache
def _theme_dirs() -> tuple[Path, ...]:
    import material

    return (Path(material.__file__).parent / "templates",)


def theme_file(rel: str, root: Path) -> Path | None:
    """The theme file (project overrides, Material) that a docs/ file at `rel` would replace."""
    for folder in (root / "overrides", *_theme_dirs()):
        if (folder / rel).is_file():
            return folder / rel
    return None


def _link_out(path: Path, inside: Path) -> str | None:
    """The rule a symbolic link breaks: G608 if it leads to nothing (or in a loop), G607 if to a
    file or folder not under `inside`; None for anything else."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "G608"
    return None if target.is_relative_to(inside) else "G607"


def through_link_out(path: Path, docs: Path) -> bool:
    """Whether `path` under docs/ is, or is reached through, a symbolic link that leads out of
    docs/ or to nothing (refused once, G607 or G608: what it leads to is not read as a page)."""
    inside = docs.resolve()
    while path != docs and docs in path.parents:
        if _link_out(path, inside):
            return True
        path = path.parent
    return False


def _loops(path: Path, folder: Path, docs: Path) -> bool:
    """Whether the folder link `path` (in `folder`, under docs/) leads back to a folder on the way
    to it: walked as MkDocs walks (links followed), docs/ would be published again inside itself,
    as deep as the system lets a path run through links."""
    if not path.is_symlink():
        return False
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    on_the_way = [folder, *folder.parents[: len(folder.relative_to(docs).parts)]]
    return any(target == step.resolve() for step in on_the_way)


def _refused_link(path: Path, folder: Path, docs: Path) -> str | None:
    """The rule a link in `folder` under docs/ breaks: G607 or G608 (`_link_out`), or G610 if it
    leads back to a folder on the way to it; None for anything else."""
    return _link_out(path, docs.resolve()) or ("G610" if _loops(path, folder, docs) else None)


def walk_docs(docs: Path):
    """os.walk of docs/ as MkDocs walks it (links followed, sorted), but not into a folder's link
    that `_refused_link` refuses (`docs_file_problems` reports it)."""
    for folder, dirs, files in os.walk(docs, followlinks=True):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not _refused_link(here / d, here, docs))
        yield folder, dirs, files


def docs_file_problems(root: Path) -> list[Problem]:
    """Every file under docs/ that would be published as a document of its own or in a theme
    file's place, and every symbolic link there that leads out of docs/ (not followed further)."""
    docs = root / "docs"
    problems: list[Problem] = []

    def leads_out(folder: str, name: str) -> bool:
        path = Path(folder) / name
        code = _refused_link(path, Path(folder), docs)
        if code:
            problems.append(problem(code, f"docs/{path.relative_to(docs).as_posix()}", None, name=name,
                                    target=os.readlink(path)))
        return code is not None

    for folder, dirs, files in os.walk(docs, followlinks=True):  # as MkDocs walks it
        # MkDocs leaves out hidden files
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not leads_out(folder, d))
        for name in sorted(files):
            if name.startswith(".") or leads_out(folder, name) or name.endswith(MARKDOWN_SUFFIXES):
                continue
            rel = (Path(folder) / name).relative_to(docs).as_posix()
            shown = f"docs/{rel}"
            if name.lower().endswith(MARKDOWN_SUFFIXES):  # `X.MD`: MkDocs compares suffixes by case
                suffix = os.path.splitext(name)[1]
                problems.append(problem("G620", shown, None, suffix=suffix, lower=suffix.lower()))
                continue
            path = Path(folder) / name
            if path.is_symlink() and path.resolve().name.lower().endswith(MARKDOWN_SUFFIXES):
                # a page's source under a name MkDocs copies as it is: withheld regions and all
                problems.append(problem("G612", shown, None, name=name, target=os.readlink(path)))
            elif is_document(name):
                problems.append(problem("G601", shown, None))
            elif theme_file(rel, root) is not None:
                problems.append(problem("G602", shown, None))
            else:
                problems.extend(_copied_markers(path, shown))
    return problems


def _copied_markers(path: Path, shown: str) -> list[Problem]:
    """A marker in a file MkDocs copies as it is (a .txt, a stylesheet, a script): published with
    the text it encloses (found by an attack). The first line with one. Read as a person reads it:
    gzip opened, NFKC, case, spaces, line breaks and invisible characters aside, JSON's \\u escapes
    undone, so that `<!--` on one line and `非公表 -->` on the next, or `<!--- ここから不開示 --->`,
    count (found by a second attack). Only a comment that starts with the word is taken for one: a
    page's look-alike check reads `secretariat` in a stylesheet as a misspelt marker."""
    try:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(_MARKER_READ)
        text = data.decode("utf-8")
    except (OSError, EOFError, ValueError, zlib.error):  # not gzip, not UTF-8: the verifier reads or refuses it
        return []
    text = nfkc(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    for start in (m.start() for m in _OPENING.finditer(text)):  # each `<`, the marker read from there on
        if _COPIED_MARKER.match(squeeze(text[start:start + 200])):
            return [problem("G621", shown, text.count("\n", 0, start) + 1)]
    return []


_OPENING = re.compile("<")


_MARKER_READ = 20_000_000  # bytes of a gzipped file read for markers
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_COPIED_MARKER = re.compile(r"<!-{2,}/?(?:ここから|ここまで)?(?:非公表|非公開|非開示|不開示|不公表|後日公表|後日公開)")


def linked_overrides(root: Path) -> list[Problem]:
    """overrides/ itself as a symbolic link (G609): MkDocs lists the theme's folder wherever the
    link leads and copies each of its files that is no template into the site."""
    overrides = root / "overrides"
    if not overrides.is_symlink():
        return []
    return [problem("G609", "overrides", None, name="overrides", target=os.readlink(overrides))]


# What MkDocs 1.6 leaves out when it copies a theme folder's files into the site (Files.
# add_files_from_theme, matched against the lower-cased path), with the static templates it renders
# instead of copying (sitemap.xml, 404.html and mkdocs.yml's assets/theme.js).
_THEME_SKIPPED = (".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*",
                  *(f"*{suffix}" for suffix in MARKDOWN_SUFFIXES), "sitemap.xml", "404.html", "assets/theme.js")


def copied_documents(overrides: Path) -> list[str]:
    """The files under overrides/ that MkDocs would copy into the site as they are and that a browser
    opens as a document that runs script (G613). Walked as Jinja lists a theme's templates: folder
    links not followed."""
    found = []
    for folder, dirs, files in os.walk(overrides):
        dirs.sort()
        for name in sorted(files):
            rel = (Path(folder) / name).relative_to(overrides).as_posix()
            if is_document(name) and not any(fnmatch.fnmatch(rel.lower(), p) for p in _THEME_SKIPPED):
                found.append(rel)
    return found


def override_link_problems(root: Path) -> list[Problem]:
    """overrides/ as a link (G609, not walked), every symbolic link under it that leads out of it
    or to nothing (G611), and every document file MkDocs would copy from it (G613, as MkDocs lists
    them: `copied_documents`): MkDocs copies each file of the theme's folder that is no template
    into the site."""
    overrides = root / "overrides"
    if overrides.is_symlink():
        return linked_overrides(root)
    if not overrides.is_dir():
        return []
    inside = overrides.resolve()
    problems: list[Problem] = []
    for folder, dirs, files in os.walk(overrides, followlinks=True):
        kept = []
        for name in sorted(dirs) + sorted(files):
            path = Path(folder) / name
            rel = path.relative_to(overrides).as_posix()
            if _link_out(path, inside):
                problems.append(problem("G611", f"overrides/{rel}", None, name=name, target=os.readlink(path)))
            elif name in dirs and not _loops(path, Path(folder), overrides):
                kept.append(name)
        dirs[:] = kept
    return problems + [problem("G613", f"overrides/{rel}", None) for rel in copied_documents(overrides)]


# -- a hand-written page's front matter ----------------------------------------------------------

HIDE_PARTS = frozenset({"navigation", "toc", "footer", "path", "tags", "feedback"})
PAGE_KEYS = ("title", "description", "hide")
_KEY = re.compile(r"^([^\s:#][^:]*?)\s*:")


def key_lines(raw: str) -> dict[str, int]:
    """The line of each top-level key of a page's front matter (YAML or MultiMarkdown style)."""
    lines = raw.replace("\r\n", "\n").split("\n")
    yaml_style = bool(lines) and lines[0].rstrip() == "---"
    found: dict[str, int] = {}
    for number, line in enumerate(lines[1:] if yaml_style else lines, 2 if yaml_style else 1):
        if (yaml_style and line.rstrip() in ("---", "...")) or (not yaml_style and not line.strip()):
            break
        m = _KEY.match(line)
        if m:
            found.setdefault(m.group(1).strip("'\"").lower(), number)
    return found


def page_meta_problems(meta: object, raw: str, shown: str) -> list[Problem]:
    """Every front-matter key of a hand-written page that the site does not take, with its line."""
    if not isinstance(meta, dict):
        return []
    lines = key_lines(raw)
    if "number" in meta and ("agenda" in meta or "date" in meta):  # a meeting's file, under docs/ by mistake
        return [problem("G622", shown, lines.get("number", 1), name=shown.rsplit("/", 1)[-1])]
    problems = []
    parts = "・".join(sorted(HIDE_PARTS))
    for key, value in meta.items():
        line = lines.get(str(key).lower(), 1)
        if key not in PAGE_KEYS:
            problems.append(problem("G603", shown, line, key=key, parts=parts))
        elif key == "hide":
            if not (isinstance(value, list) and all(isinstance(v, str) and v in HIDE_PARTS for v in value)):
                problems.append(problem("G604", shown, line, parts=parts))
        elif not isinstance(value, str):
            problems.append(problem("G605", shown, line, key=key))
    return problems
