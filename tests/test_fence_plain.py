"""The markup fence's plain path (issue 15): a page in the plain subset of HTML is read by one
regular expression and the tags that could hold a problem, not by html.parser. It may only say
"nothing here" where html.parser finds nothing: every page's problems are html.parser's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gijiroku.site import csp

PAGE = "meetings/1/index.html"


def clean_page(body: str = "<p>本文</p>") -> str:
    head = csp.apply("<head>")[6:]
    return (f'<!doctype html>\n<html lang="ja">\n<head>{head}\n<meta charset="utf-8">\n'
            f'<script src="../../assets/gijiroku.js"></script>\n</head>\n<body>\n{body}\n</body>\n</html>\n')


def parsed(text: str) -> list[str]:
    return [p.format() for p in csp._parsed_problems(text, PAGE, csp.allowed_scripts(), "/")]


def fenced(text: str) -> list[str]:
    return [p.format() for p in csp.page_problems(text, PAGE)]


def plain(text: str, page: str = PAGE) -> bool:
    """Whether `text` is a plain page in which the plain path finds nothing (False: html.parser
    reads it)."""
    return csp._PLAIN_PAGE.fullmatch(text) is not None and csp._plain_is_clean(text, page, csp.allowed_scripts(), "/")


def expected(text: str) -> list[str]:
    """What the fence must report: what html.parser finds, and G712 for a page that is not plain,
    at the line where it stops being plain."""
    stop = csp._PLAIN_PAGE.match(text).end()
    if stop == len(text):
        return parsed(text)
    return [*parsed(text), f"{PAGE}:{text.count(chr(10), 0, stop) + 1}: {csp.problem('G712', PAGE, 1).message}"]


# -- what html.parser finds, the plain path finds or leaves to it ---------------------------------

HOSTILE = [
    '<img src=x onerror=alert(1)>', '<img src="x" ONERROR="alert(1)">', '<svg onload="x"></svg>',
    '<a title="x" onclick=\'y\'>x</a>', '<a\ton-x="1">x</a>', '<a\nonmouseover="x">x</a>',
    '<a href="javascript:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" JaVa&#x09;script:alert(1)">x</a>', '<a href="java&Tab;script:x">x</a>',
    '<a href="javascript&colon;x">x</a>', '<img srcset="a.png 1x,javascript:x 2x">', '<a href=vbscript:x>x</a>',
    '<img src="data:image/png;base64,AAAA">', '<form action="javascript:x"></form>',
    '<button formaction="javascript:x">x</button>', '<a xlink:href="javascript:x">x</a>',
    '<iframe src="/"></iframe>', '<IFRAME></IFRAME>', '<object data="x.swf"></object>', '<embed src="x">',
    '<base href="https://203.0.113.9/">', '<portal src="/"></portal>', '<frameset></frameset>',
    '<meta http-equiv="refresh" content="0;url=https://203.0.113.9/">', '<meta http-equiv=REFRESH content=0>',
    '<svg><animate attributeName="href" values="javascript:x"/></svg>', '<set attributename="xlink:href" to="x"/>',
    '<script src="https://203.0.113.9/x.js"></script>', '<script src="../assets/other.js"></script>',
    '<script>window.__pwned=1</script>', '<SCRIPT>window.__pwned=1</SCRIPT>', '<script >x</script>',
    '<script type="text/javascript">x</script>', '<script>x</SCRIPT>', '<script/>x</script>',
    '<script>a<b</script>', '<script>a</b></script>', '<script><!--</script><script>x</script>-->',
    '<style>x</style><script>y</script>', '<script src="../../assets/gijiroku.js">x</script><script>y</script>',
    '<a title="x>y" onclick="z">x</a>', '<a title="<" onclick="z">x</a>', "<a title='x>y' onclick='z'>x</a>",
    '<a title=x/ onclick=y>x</a>', '<a href=x/>y</a><img onerror=z>', '<a\u3000onclick="x">x</a>',
    '<a\x0bonclick="x">x</a>', '<a/onclick="x">x</a>', '<a title="a"onclick="x">x</a>',
    '<!-- <img onerror=x> -->', '<!-- -- --><img onerror=x>', '<!--><img onerror=x>-->', '<!--->x-->',
    '<?php x ?><img onerror=x>', '<![CDATA[<img onerror=x>]]>', 'a < b <img onerror=x>', '<a href="&#x6a;avascript:x">',
]


@pytest.mark.parametrize("snippet", HOSTILE)
def test_what_html_parser_refuses_is_refused_alike(snippet):
    """Each snippet in a clean page: the fence reports what html.parser reports, and the plain
    path never calls such a page clean."""
    text = clean_page(snippet)
    assert fenced(text) == expected(text) != []
    assert not plain(text) or parsed(text) == []


@pytest.mark.parametrize("closing", ["</scr\u0131pt>", "</\u017fcript>", "</SCR\u0130PT>"])
def test_a_script_is_closed_only_by_its_name_in_ascii(closing):
    """Python's case-insensitive matching takes ı, İ and ſ for i and s; html.parser and browsers do
    not, so `</scrıpt>` does not close a script. A Material script followed by it and by code of
    the page's own is one script, not Material's (found by an attack on the plain path)."""
    material = ('var target=document.getElementById(location.hash.slice(1));'
                'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))')
    assert csp.is_material_script(material)
    text = clean_page(f"<script>{material}{closing}/;alert(1)//</script>")
    assert not plain(text)
    assert fenced(text) == expected(text) != []


MATERIAL = ('var target=document.getElementById(location.hash.slice(1));'
            'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))')
# Shapes that html.parser reads otherwise than a browser does, so that it finds nothing where a
# browser runs a script (an attack on the fence found them; html5lib and node confirmed them).
MISREAD = [
    f"<script>{MATERIAL}</ script>/;alert(1)//</script>", f"<script>{MATERIAL}</script\x0b>/;alert(1)//</script>",
    f"<script>{MATERIAL}</script\u3000>/;alert(1)//</script>",
    '<script src="../../assets/gijiroku.js"></script/><img src=x onerror=alert(1)></script>',
    "<style></style x><img src=x onerror=alert(1)></style>", '<a title=="x onclick=alert(1) y">x</a>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>", "<!--><img src=x onerror=alert(1)>-->",
    "<!---><img src=x onerror=alert(1)>-->", "<!-- --!><img src=x onerror=alert(1)>-->",
    "<![CDATA[x><img src=x onerror=alert(1)>]]>", '<title><a title="</title><img src=x onerror=alert(1)>"></a></title>',
    "<a\x00 onfocus=alert(1) autofocus tabindex=1>x</a>",
]


@pytest.mark.parametrize("snippet", MISREAD)
def test_a_page_that_is_not_plain_is_refused_where_html_parser_finds_nothing(snippet):
    text = clean_page(snippet)
    assert parsed(text) == []  # the reason for G712
    found = fenced(text)
    assert found == expected(text) and len(found) == 1 and "G712" not in found[0]
    assert csp.page_problems(text, PAGE)[0].code == "G712"
    assert found[0].startswith(f"{PAGE}:9: ")  # the body's line


def test_a_page_ending_in_an_open_script_is_refused():
    text = clean_page("") + "<script>alert(1)"
    assert parsed(text) == [] and [p.code for p in csp.page_problems(text, PAGE)] == ["G712"]


def test_a_problem_in_the_head_or_a_policy_not_first_is_left_to_html_parser():
    late = clean_page().replace("<head>\n<meta http-equiv", '<head>\n<meta charset="utf-8">\n<meta http-equiv', 1)
    own = clean_page().replace("default-src 'self'", "default-src *", 1)
    no_head = clean_page().replace("<head>", "<header>", 1)
    for text in (late, own, no_head):
        assert not plain(text)
        assert fenced(text) == expected(text) == parsed(text) != []


PLAIN = [
    '<p>本文</p>', '<a href="../../meetings/2/#speech-3" title="on the record">第2回</a>',
    '<a class="md-skip" href="#title">スキップ</a><img alt="" src="../x.png">', '<br/><hr>',
    '<svg viewBox="0 0 24 24"><path d="M1 2z"/></svg>', '<a href="https://www.ppc.go.jp/">委員会</a>',
    '<a href="?q=a&amp;b=c">x</a>', '<!-- a comment -->', "<p data-cite='第1回'>x</p>",
    '<script id="__config" type="application/json">{"a": 1}</script>',
]


@pytest.mark.parametrize("snippet", PLAIN)
def test_a_plain_clean_page_is_read_without_html_parser(snippet):
    text = clean_page(snippet)
    assert plain(text) and parsed(text) == [] and fenced(text) == []


def test_every_page_the_build_writes_is_plain(built_site):
    """The build's own pages take the plain path (else the fence costs html.parser's time for
    every page), and html.parser agrees that they hold nothing."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        rel = path.relative_to(built_site).as_posix()
        text = csp.page_text(path.read_bytes())
        assert plain(text, rel), rel
        assert csp._parsed_problems(text, rel, csp.allowed_scripts(), "/") == [], rel


# -- random pages: the two readings never disagree ------------------------------------------------

NAMES = st.sampled_from(["a", "img", "p", "svg", "script", "SCRIPT", "Script", "style", "meta", "iframe", "object",
                         "animate", "set", "head", "base", "metadata", "x-y", "br", "a1", "é", "a\u3000b"])
ATTR_NAMES = st.sampled_from(["href", "HREF", "src", "onclick", "ONLOAD", "on", "one", "title", "xlink:href",
                              "srcset", "http-equiv", "content", "attributename", "type", "id", "class", "data",
                              "data-x", "formaction", "a\"b", "x:y"])
VALUES = st.sampled_from(["javascript:alert(1)", "&#106;avascript:x", "java\tscript:x", "x,javascript:y",
                          "refresh", "0;url=x", "href", "../../assets/gijiroku.js", "x>y", "x<y", "a b", "",
                          "&colon;", "javascript&colon;x", "data:x", "https://x/y.js", "application/json",
                          "__config", "on", "x/", "'", '"', "&amp;", "\u3000"])
SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\x0c", "\r", "\u3000", "\x0b", "/", "", " / "])


@st.composite
def attribute(draw) -> str:
    name = draw(ATTR_NAMES)
    kind = draw(st.sampled_from(["none", "double", "single", "bare", "spaced"]))
    value = draw(VALUES)
    value = {"none": "", "double": f'="{value}"', "single": f"='{value}'", "bare": f"={value}",
             "spaced": f' = "{value}"'}[kind]
    return draw(SPACES) + name + value


@st.composite
def token(draw) -> str:
    kind = draw(st.sampled_from(["text", "start", "start", "start", "end", "raw", "comment", "odd"]))
    if kind == "text":
        return draw(st.text(alphabet="あ a<>&;:/on\n\u3000", max_size=8))
    if kind == "start":
        attrs = "".join(draw(st.lists(attribute(), max_size=3)))
        return f"<{draw(NAMES)}{attrs}{draw(st.sampled_from(['', ' ', '/', ' /']))}>"
    if kind == "end":
        return f"</{draw(NAMES)}{draw(st.sampled_from(['', ' ']))}>"
    if kind == "raw":
        name = draw(st.sampled_from(["script", "style", "SCRIPT"]))
        attrs = "".join(draw(st.lists(attribute(), max_size=2)))
        body = draw(st.sampled_from(["", "x", "window.x=1", "a<b", "<!--", "</scr", "<b>", "a>b", "</script"]))
        close = draw(st.sampled_from([name, "script", "style", "Script", "scr\u0131pt", "\u017ftyle", "SCR\u0130PT"]))
        return f"<{name}{attrs}>{body}</{close}>"
    if kind == "comment":
        return draw(st.sampled_from(["<!--x-->", "<!-- -- -->", "<!-->", "<!--->", "<!--<script>-->", "<!--a-b-->"]))
    return draw(st.sampled_from(["<!doctype html>", "<!DOCTYPE html>", "<?x>", "<![CDATA[x]]>", "<", "<!x>", "</>"]))


PLAIN_NAMES = st.sampled_from(["a", "img", "p", "svg", "meta", "iframe", "animate", "set", "head", "base", "metadata",
                               "x-y", "br", "A", "Meta", "set1"])
PLAIN_VALUES = st.sampled_from(["javascript:alert(1)", "&#106;avascript:x", "java\tscript:x", " javascript:x",
                                "x,javascript:y", "refresh", "REFRESH", "href", "../../assets/gijiroku.js",
                                "../../assets/other.js", "https://x/y.js", "", "&colon;", "javascript&colon;x",
                                "data:x", "on", "x/", "&amp;", "a b", "content-security-policy", "#x", "x:y"])


@st.composite
def plain_attribute(draw) -> str:
    """An attribute as the plain subset writes it (csp._PLAIN_PAGE), hostile or not."""
    name = draw(st.sampled_from(["href", "HREF", "src", "onclick", "ONLOAD", "On", "one", "title", "xlink:href",
                                 "srcset", "http-equiv", "content", "attributename", "attributeName", "type", "id",
                                 "data", "formaction", "action", "x:y", "class"]))
    value = draw(PLAIN_VALUES)
    kind = draw(st.sampled_from(["none", "double", "single", "bare"]))
    if kind == "bare" and not all(c.isalnum() or c in "_.:#%+,;-" for c in value) or not value:
        kind = "double"
    return draw(st.sampled_from([" ", "\t", "\n", "  "])) + name + {
        "none": "", "double": f'="{value}"', "single": f"='{value}'", "bare": f"={value}"}[kind]


@st.composite
def plain_token(draw) -> str:
    """A token of the plain subset: the plain path reads these itself, so they test it most."""
    kind = draw(st.sampled_from(["text", "start", "start", "start", "end", "raw", "comment"]))
    if kind == "text":
        return draw(st.text(alphabet="あ a>&;:/on\n", min_size=1, max_size=8))
    if kind == "start":
        attrs = "".join(draw(st.lists(plain_attribute(), max_size=3)))
        return f"<{draw(PLAIN_NAMES)}{attrs}{draw(st.sampled_from(['', ' ', '/', ' /']))}>"
    if kind == "end":
        return f"</{draw(PLAIN_NAMES)}>"
    if kind == "raw":
        name = draw(st.sampled_from(["script", "style", "SCRIPT", "Style"]))
        attrs = "".join(draw(st.lists(plain_attribute(), max_size=2)))
        body = draw(st.sampled_from(["", "x", "window.x=1", "a>b", '{"a": 1}']))
        return f"<{name}{attrs}>{body}</{name.lower()}>"
    return draw(st.sampled_from(["<!--x-->", "<!--a-b-->", "<!-- x -->"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(token(), plain_token(), plain_token()), max_size=12), st.booleans())
def test_random_pages_are_fenced_as_html_parser_fences_them(tokens, in_head):
    body = "".join(tokens)
    text = clean_page("").replace("</head>", body + "</head>", 1) if in_head else clean_page(body)
    assert fenced(text) == expected(text)
    if plain(text):
        assert parsed(text) == []


def test_the_golden_pages_are_plain():
    """The generated pages as the golden files hold them (tests/golden/, each a page's content:
    `agencies__digital-agency.html` is agencies/digital-agency/) take the plain path too."""
    golden = sorted((Path(__file__).parent / "golden").glob("*.html"))
    assert golden
    for path in golden:
        rel = path.stem.replace("__", "/") + "/index.html"
        text = clean_page(path.read_text(encoding="utf-8")).replace("../../assets/", "../" * rel.count("/") + "assets/")
        assert plain(text, rel), path.name


def test_a_page_that_is_not_plain_is_found_so_in_linear_steps():
    """A long run of text before a stray "<" (and the like) is not plain: the pattern must say so
    without trying every split of the run, which took exponential time (30 characters: seconds;
    60: years). A child process does the work, so that a relapse fails here instead of hanging."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from gijiroku.site import csp\n"
            "for text in ('a' * 5000 + '<', '<a' + ' b' * 5000, '<p>' + 'x' * 5000 + '<!-', '<!--' + 'a-' * 5000):\n"
            "    assert csp._PLAIN_PAGE.fullmatch(text) is None\n")
    done = subprocess.run([sys.executable, "-c", code, str(Path(csp.__file__).parents[2])], timeout=60,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("src", ["//[", "//a\uff03b", "http://[::1"])
def test_a_script_whose_address_cannot_be_read_is_refused_not_raised(src):
    """urlsplit raises on these (an IPv6 host left open, a host that NFKC changes): the fence
    names the script as not allowed instead of failing with a traceback."""
    text = clean_page(f'<script src="{src}"></script>')
    assert [p.code for p in csp.page_problems(text, PAGE)] == ["G706"]
    assert [p.code for p in csp._parsed_problems(text, PAGE, csp.allowed_scripts(), "/")] == ["G706"]
