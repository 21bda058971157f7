"""The only MkDocs hook module: check, delegate to the gijiroku package, return.

MkDocs imports this file once per `mkdocs serve` process, so no state lives here but in two
owners: `_session` (`hooks/gijiroku/site/session.py`: the caches and the background index that
outlive a build), made in `on_startup`, and `_state` (`hooks/gijiroku/site/build.py`: one
build), made afresh in `on_config`, which runs at the start of every (re)build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from types import MethodType

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from gijiroku.disclosure.apart import VerifierProcess
from gijiroku.disclosure.pages import public_page
from gijiroku.record.problems import format_problems
from gijiroku.site import build as sitebuild
from gijiroku.site import csp, devserver, guide
from gijiroku.site.render import Tabs, compact_html
from gijiroku.site.serve_errors import ServeErrors, quiet_build
from gijiroku.site.session import CompiledTemplates, Session

log = logging.getLogger("mkdocs.hooks.gijiroku")
_session = Session()  # replaced in on_startup; MkDocs' Python API builds without calling it
_state: sitebuild.BuildState | None = None


def on_startup(command, dirty):
    global _session
    serving = command == "serve"
    nonce = csp.new_nonce() if serving else None
    _session = Session(serving=serving, one_shot=command == "build", nonce=nonce, errors=ServeErrors(nonce) if serving else None,
                       templates=CompiledTemplates() if serving else None, heap=devserver.Heap() if serving else None,
                       verifier=VerifierProcess() if serving else None)
    if command == "build":
        _session.undo.append(quiet_build())
    if serving:
        _session.undo.append(_keep_serving_on_error(_session.errors, _session.heap))
        devserver.stop_on_sigterm()
        _session.undo.append(devserver.join_urls_fast(Page))
        _session.undo.append(devserver.list_theme_once(Files, File))


def _keep_serving_on_error(errors: ServeErrors, heap: devserver.Heap) -> Callable[[], None]:
    """Under serve, a failed build (the first or a rebuild) shows its messages in the browser
    instead of ending serve or leaving every tab waiting: MkDocs' serve command calls the `build`
    of its own module for both, which is wrapped here (see site/serve_errors.py), and what each
    build leaves is frozen (see devserver.Heap). MkDocs' routine English lines are kept out of the
    terminal; errors still show. Returns the undo."""
    from mkdocs.commands import serve as mkdocs_serve

    build, mkdocs_log = mkdocs_serve.build, logging.getLogger("mkdocs")
    mkdocs_serve.build = heap.after_build(errors.guard_build(build))
    errors.quiet(mkdocs_log)

    def undo() -> None:
        mkdocs_serve.build = build
        errors.unquiet(mkdocs_log)

    return undo


def on_serve(server, config, builder):
    devserver.poll_often(server.observer)
    devserver.build_soon(server)
    csp.allow_live_reload(server, _session.nonce)  # first: the error page carries the same script
    _session.errors.site_name = config.site_name or ""
    _session.errors.install(server)
    return server


def on_config(config):
    global _state
    root = Path(config.config_file_path).parent
    try:  # before MkDocs lists docs/ and the theme's folders, links followed
        sitebuild.refuse_linked_parts(root)
    except sitebuild.BuildRefused as err:
        raise PluginError(str(err)) from None
    try:  # the build date comes from SOURCE_DATE_EPOCH, which may be malformed
        _state = sitebuild.BuildState(root=root, site_url=config.site_url or "", session=_session)
    except ValueError as err:
        raise PluginError(str(err)) from None
    return config


# Run before other plugins see the files, so that generated pages are part of every later event.
@event_priority(50)
def on_files(files, config):
    try:
        outputs = _state.prepare(Path(config.site_dir))
    except sitebuild.BuildRefused as err:
        raise PluginError(str(err)) from None
    # Under serve, backed by files that change only when their content does, so that --dirty
    # rebuilds only the pages an edit touched. A registry page replaces its docs/ source.
    for path, source, in_nav in outputs:
        inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        backing = {"abs_src_path": str(source)} if isinstance(source, Path) else {"content": source}
        files.append(File.generated(config, path, inclusion=inclusion, **backing))
    _remove(files, _state.unpublished)  # a registry entry nothing published names yet: no page of its own
    return files


def _remove(files, paths) -> None:
    for path in paths:
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)


def on_env(env, config, files):
    env.bytecode_cache = _session.templates  # under serve, the theme's templates compiled once
    if _session.serving:  # before MkDocs writes: what it no longer writes is not served from before
        # What serve writes: a file MkDocs excludes (".*", templates/) is listed with an address
        # it never writes; a draft (draft_docs) is written under serve.
        written = frozenset(f.dest_uri for f in files if f.inclusion.is_in_serve())
        _session.drop_gone(Path(config.site_dir), written)
    _state.tabs = Tabs(lambda url, page: normalize_url(url, page=page))  # as MkDocs' `url` filter links
    _state.pages_read()
    return env


# A generated page is made whole by the package (its HTML comes back in on_page_content) and its
# body is empty: MkDocs would still make a Markdown converter, with every extension of mkdocs.yml,
# to convert nothing, for each of the 4,600 pages of 1000 meetings (a tenth of its render).
def on_pre_page(page, config, files):
    if _state.made_whole(page.file.src_uri):
        page.render = MethodType(_render_made_whole, page)
    return page


def _render_made_whole(page: Page, config, files) -> None:
    """`Page.render` of a page the package made: nothing to convert (a body MkDocs converts as any)."""
    if page.markdown.strip():
        return Page.render(page, config, files)
    page.content, page.toc = "", get_toc([])


# First, before any other plugin reads a hand-written page (the guide): its 非公表 regions are
# replaced here, so no later step ever sees them. Generated pages come from the public record.
@event_priority(50)
def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is not None or page.file.abs_src_path is None:
        return markdown
    raw = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    markdown, problems = public_page(markdown, raw, f"{Path(config.docs_dir).name}/{page.file.src_uri}", page.meta)
    if problems:
        raise PluginError("原稿に誤りがあるため、サイトを作りません。\n" + format_problems(problems))
    return guide.expand_check_messages(markdown)  # the guide's tables of checker messages


def on_page_content(html, page, config, files):
    # The sitemap (overrides/sitemap.xml, written after this event) prints it as lastmod: when
    # the page's sources last changed, never the build's date (MkDocs' update_date); left out
    # when unknown.
    page.meta["lastmod"] = _state.page_lastmod(page.file.src_uri)
    html, toc = _state.page_content(page.file.src_uri, html)
    if toc is not None:
        page.toc = get_toc(toc)
    return html


def on_page_context(context, page, config, nav):
    context["gijiroku"] = _state.page_context(page.file.src_uri)
    return context


# Last, so that the policy is computed from the page as it will be written (without the
# templates' indentation: render.compact_html). The pages written before it go to the fence and
# the verifier, which scan them while MkDocs goes on (site/prescan.py).
@event_priority(-100)
def on_post_page(output, page, config):
    _state.page_written(Path(config.site_dir), page.file.dest_uri)
    output = _state.compact(page.file.src_uri, output, page.content)
    page.content = page.markdown = None  # rendered: MkDocs writes `output`
    return csp.apply(output, _session.nonce)


# The 404 page is a template of its own (no page event); sitemap.xml is not HTML.
@event_priority(-100)
def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    return csp.apply(compact_html(output_content), _session.nonce)


# Last, after every other post-build step has written its files: the verifier must see them all.
@event_priority(-100)
def on_post_build(config):
    try:
        log.info(_state.finish(Path(config.site_dir)))
    except sitebuild.BuildRefused as err:
        raise PluginError(str(err)) from None


def on_shutdown():
    if _session.heap is not None:
        _session.heap.release()
    for undo in _session.undo:
        undo()
    _session.close()
