"""The workflows' GitHub client (gijiroku.ci.github) against a fake GitHub on localhost."""

from __future__ import annotations

import re

import pytest
from fake_github import REPO, TOKEN, serve_fake_github

from gijiroku.ci.github import (
    COMMENT_LIMIT,
    GitHub,
    GitHubError,
    markdown_code,
    markdown_fence,
    markdown_text,
    run_url,
    write_summary,
)


@pytest.fixture
def fake():
    with serve_fake_github() as fake:
        yield fake


def client(fake, token: str = TOKEN) -> GitHub:
    return GitHub.from_environment({"GITHUB_API_URL": fake.url + "/", "GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": token})


def test_a_comment_too_long_for_github_is_cut_and_says_so(fake):
    issue = fake.add_issue("長い")
    client(fake).comment(issue["number"], "あ" * (COMMENT_LIMIT + 10))
    (body,) = fake.comments_on(issue["number"])
    assert len(body) <= COMMENT_LIMIT and body.endswith("（長すぎるため、ここで省略しました。全文は Actions の実行結果にあります。）\n")


def test_upsert_edits_the_comment_with_the_marker_found_on_a_later_page(fake):
    issue = fake.add_issue("多い")
    for n in range(120):
        fake.add_comment(issue["number"], f"感想 {n}")
    ours = fake.add_comment(issue["number"], "<!-- m -->\n前の版", login="github-actions[bot]")
    done, _ = client(fake).upsert_comment(issue["number"], "<!-- m -->", "<!-- m -->\n新しい版")
    assert done == "updated" and ours["body"] == "<!-- m -->\n新しい版" and len(fake.comments) == 121
    with pytest.raises(ValueError):
        client(fake).upsert_comment(issue["number"], "<!-- m -->", "目印のない本文")


def test_upsert_leaves_a_comment_someone_else_wrote_with_the_marker(fake):
    issue = fake.add_issue("目印を貼った感想")
    theirs = fake.add_comment(issue["number"], "<!-- m -->\n@everyone 見て ![](https://evil.example/t.png)")
    done, ours = client(fake).upsert_comment(issue["number"], "<!-- m -->", "<!-- m -->\n本文")
    assert done == "created" and ours["user"]["login"] == "github-actions[bot]"
    assert theirs["body"].startswith("<!-- m -->\n@everyone") and len(fake.comments) == 2


def test_the_pull_request_of_a_branch_is_the_open_one_with_that_head(fake):
    fake.add_issue("閉じた", state="closed", pull_head="minutes-9")
    fake.add_issue("別のブランチ", pull_head="minutes-10")
    wanted = fake.add_issue("これ", pull_head="minutes-9")
    assert client(fake).open_pull_request_for("minutes-9")["number"] == wanted["number"]
    assert client(fake).open_pull_request_for("minutes-11") is None


def test_a_refused_request_is_an_error_naming_the_status(fake):
    with pytest.raises(GitHubError, match="HTTP 401"):
        client(fake, token="wrong").open_issue_with("<!-- x -->")


def test_run_url_and_summary(tmp_path):
    env = {"GITHUB_SERVER_URL": "https://github.example", "GITHUB_REPOSITORY": REPO, "GITHUB_RUN_ID": "7",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "s.md")}
    assert run_url(env) == f"https://github.example/{REPO}/actions/runs/7" and run_url({}) is None
    write_summary("一行目", env)
    write_summary("二行目\n", env)
    assert (tmp_path / "s.md").read_text(encoding="utf-8") == "一行目\n二行目\n"
    write_summary("どこにも書かない", {})  # outside Actions: nothing, no error


@pytest.mark.parametrize(("text", "shown"), [
    ("![](https://evil.example/t.png)", "\\!\\[\\](https://evil.example/t.png)"),  # no image that tracks readers
    ("[ここ](https://evil.example/)", "\\[ここ\\](https://evil.example/)"),
    ("@octocat さんへ", "@\u2060octocat さんへ"),  # no ping
    ("#12 と GH-3", "\\#\u206012 と GH-3"),  # no link to issue 12
    ("<details><img src=x>", "&lt;details&gt;&lt;img src=x&gt;"),
    ("一行目\n# 見出し\u2028三行目", "一行目 \\# 見出し 三行目"),
    ("右\u202eから左", "右\\\\u202eから左"),  # a bidi control is shown, not obeyed
    ("*強調* `code` ~~消~~ a|b", "\\*強調\\* \\`code\\` \\~\\~消\\~\\~ a\\|b"),
])
def test_markdown_text_shows_what_a_source_says_and_obeys_none_of_it(text, shown):
    assert markdown_text(text) == shown


def test_markdown_code_and_fence_cannot_be_closed_by_what_they_hold():
    assert markdown_code("incoming/245.pdf") == "`incoming/245.pdf`"
    assert markdown_code("incoming/a`@x`.pdf") == "``incoming/a`@x`.pdf``"
    assert markdown_code("`a") == "`` `a ``"
    assert markdown_code("incoming/a\n@x.pdf") == "`incoming/a\\x0a@x.pdf`"
    assert markdown_code("incoming/\udcff.pdf") == "`incoming/\\udcff.pdf`"  # a name that is not UTF-8
    assert markdown_fence(["a", "```", "@x"]) == ["````text", "a", "```", "@x", "````"]


def test_a_connection_cut_short_or_an_answer_that_is_not_json_is_an_error_not_a_traceback():
    import socket
    import threading

    def serve(sock: socket.socket, answer: bytes) -> None:
        conn, _ = sock.accept()
        # The whole request first: closed with bytes of it unread, the socket is reset
        # (ConnectionResetError) instead of closed, which a loaded machine made happen at random.
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(65536)
        head, _, body = request.partition(b"\r\n\r\n")
        length = re.search(rb"(?i)content-length: *(\d+)", head)
        while length and len(body) < int(length.group(1)):
            body += conn.recv(65536)
        conn.sendall(answer)
        conn.close()

    for answer, said in ((b"", "RemoteDisconnected"), (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n<html", "JSON")):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        thread = threading.Thread(target=serve, args=(sock, answer), daemon=True)
        thread.start()
        github = GitHub(f"http://127.0.0.1:{sock.getsockname()[1]}", REPO, TOKEN)
        with pytest.raises(GitHubError, match=said):
            github.comment(1, "本文")
        thread.join(5)
        sock.close()
