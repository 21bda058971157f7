"""Published URLs and the relative links between pages."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from gijiroku.site import urls

segment = st.sampled_from(["meetings", "244", "agenda", "1", "commissioners", "tanno", "decisions", "a-b"])
directory = st.lists(segment, max_size=4).map(lambda parts: "/".join(parts) + "/" if parts else "")


@given(directory, directory, st.sampled_from(["", "#speech-3"]))
def test_href_agrees_with_relpath(here, there, fragment):
    got = urls.href(here, there + fragment)
    if there == here:
        assert got == (fragment or "./")
        return
    expected = posixpath.relpath(there or ".", here.rstrip("/") or ".") + "/"
    assert got == expected + fragment
    # and it lands where it should
    assert posixpath.normpath(posixpath.join(here or ".", got.split("#")[0])) == posixpath.normpath(there or ".")


def test_contract_urls():
    assert urls.meeting(244) == "meetings/244/"
    assert urls.agenda(244, 3) == "meetings/244/agenda/3/"
    assert urls.speech(244, 13) == "meetings/244/#speech-13"
    assert urls.commissioner("tanno") == "commissioners/tanno/"
    assert urls.agency("mhlw") == "agencies/mhlw/"
    assert urls.decision("x") == "decisions/x/"
    assert urls.src_uri("meetings/244/agenda/3/") == "meetings/244/agenda/3.md"
