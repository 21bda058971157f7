"""The GitHub REST API, as much of it as the workflows need, through urllib and GITHUB_TOKEN.

Standard library only: the deploy-failure report runs with the runner's own Python, before (or
without) the project's virtual environment. The address comes from GITHUB_API_URL, which
Actions sets (https://api.github.com, or a GitHub Enterprise server's); the tests point it at a
fake server on localhost.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

PAGE = 100  # the largest page the REST API gives
MAX_PAGES = 20  # 2,000 issues or comments: further back, an open report or our comment is not looked for
COMMENT_LIMIT = 65_000  # GitHub refuses a comment body over 65,536 characters
BOT_LOGIN = "github-actions[bot]"  # the author of what the workflows write with github.token


class GitHubError(RuntimeError):
    """A request the API refused or could not answer; the message says which and why."""


@dataclass(frozen=True)
class GitHub:
    """One repository on one GitHub, with one token."""

    api: str  # https://api.github.com
    repository: str  # owner/name
    token: str

    @classmethod
    def from_environment(cls, environ: dict | None = None) -> GitHub:
        """The repository the workflow runs for (GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL)."""
        env = os.environ if environ is None else environ
        missing = [k for k in ("GITHUB_REPOSITORY", "GITHUB_TOKEN") if not env.get(k)]
        if missing:
            raise GitHubError(f"環境変数 {', '.join(missing)} がありません（GitHub Actions の中で実行してください）。")
        api = env.get("GITHUB_API_URL") or "https://api.github.com"
        return cls(api.rstrip("/"), env["GITHUB_REPOSITORY"], env["GITHUB_TOKEN"])

    def request(self, method: str, path: str, body: dict | None = None, query: dict | None = None):
        """The decoded JSON answer to one request; `path` is relative to the repository
        (`/issues`) unless it starts with `//` (then relative to the API root)."""
        url = self.api + (path[1:] if path.startswith("//") else f"/repos/{self.repository}{path}")
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "gijiroku-ci",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:300]
            raise GitHubError(f"GitHub API {method} {path}: HTTP {err.code} {detail}") from None
        except (OSError, http.client.HTTPException) as err:  # refused, reset, timed out, cut short
            raise GitHubError(f"GitHub API {method} {path}: {err!r}") from None
        try:
            return json.loads(raw) if raw.strip() else None
        except ValueError:
            raise GitHubError(f"GitHub API {method} {path}: JSON ではない応答です") from None

    def pages(self, path: str, query: dict | None = None) -> list[dict]:
        """Every entry of a listed resource, page by page (at most MAX_PAGES pages)."""
        out: list[dict] = []
        for page in range(1, MAX_PAGES + 1):
            batch = self.request("GET", path, query={**(query or {}), "per_page": PAGE, "page": page})
            out.extend(batch)
            if len(batch) < PAGE:
                break
        return out

    # -- issues and comments -----------------------------------------------------------------

    def open_issue_with(self, marker: str, author: str = BOT_LOGIN) -> dict | None:
        """The oldest open issue (not pull request) that `author` opened and whose body holds
        `marker`, or None. Anyone may open an issue holding the marker: only ours is ours."""
        issues = self.pages("/issues", {"state": "open", "sort": "created", "direction": "asc"})
        for issue in issues:
            if "pull_request" not in issue and marker in (issue.get("body") or "") and _login(issue) == author:
                return issue
        return None

    def create_issue(self, title: str, body: str) -> dict:
        return self.request("POST", "/issues", {"title": title, "body": clip(body)})

    def comment(self, number: int, body: str) -> dict:
        """A new comment on issue or pull request `number`."""
        return self.request("POST", f"/issues/{number}/comments", {"body": clip(body)})

    def upsert_comment(self, number: int, marker: str, body: str, author: str = BOT_LOGIN) -> tuple[str, dict]:
        """Edit our earlier comment on `number` (the first by `author` whose body holds `marker`),
        or add one: ("updated" | "created", the comment). `body` must contain `marker`. Anyone may
        paste the marker into a comment: editing theirs would fail, or replace their words."""
        if marker not in body:
            raise ValueError("the comment must hold its marker: that is how the next run finds it")
        for old in self.pages(f"/issues/{number}/comments"):
            if marker in (old.get("body") or "") and _login(old) == author:
                return "updated", self.request("PATCH", f"/issues/comments/{old['id']}", {"body": clip(body)})
        return "created", self.comment(number, body)

    def open_pull_request_for(self, branch: str) -> dict | None:
        """The open pull request whose head is `branch` of this repository, or None."""
        owner = self.repository.split("/", 1)[0]
        found = self.request("GET", "/pulls", query={"state": "open", "head": f"{owner}:{branch}"})
        return found[0] if found else None


def _login(entry: dict) -> str | None:
    return (entry.get("user") or {}).get("login")


# -- text from a source or a file name, inside Markdown that GitHub renders ---------------------

# C0/C1 controls, line and paragraph separators, and the bidi controls that reorder what a reader
# sees (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069); lone surrogates are a file name that is
# not UTF-8
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# what GitHub would obey; an underscore (secretariat_titles) is left: at worst it emphasises
_MARKUP = re.compile(r"([\\`*\[\]!~|#<>&])")
_PING = re.compile(r"([@#])(?=\w)")  # @user pings, #12 links an issue: a word joiner breaks both
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _visible(match: re.Match) -> str:
    c = match.group(0)
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def markdown_text(text: str) -> str:
    """`text` as plain text on one line of GitHub Markdown: no link, image, HTML, heading, code,
    mention (@user) or issue reference (#12) of its own, line breaks and controls made visible
    or spaces, so that what a source or a file name says is shown, never obeyed."""
    text = " ".join(text.split())
    text = _UNSEEN.sub(_visible, text)
    text = _MARKUP.sub(lambda m: _ENTITIES.get(m.group(1)) or "\\" + m.group(1), text)
    return _PING.sub("\\1\u2060", text)


def markdown_code(text: str) -> str:
    """`text` (a file name) as a code span: fenced by more backticks than it holds, controls and
    line breaks shown as escapes, so that no name ends the span or the line."""
    text = _UNSEEN.sub(_visible, text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_fence(lines: list[str], info: str = "text") -> list[str]:
    """`lines` as a fenced code block that none of them can close."""
    longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, *(_UNSEEN.sub(_visible, line) for line in lines), fence]


def annotation(level: str, message: str, file: str | None = None) -> str:
    """A workflow command (`::error file=…::message`) on one line, whatever the message and the
    file name hold: a line break in either would otherwise start a command of their own."""
    def data(text: str) -> str:
        return _SURROGATE.sub(_visible, text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    where = "" if file is None else " file=" + data(file).replace(":", "%3A").replace(",", "%2C")
    return f"::{level}{where}::{data(message)}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def clip(body: str) -> str:
    """`body` cut to what GitHub accepts, saying so."""
    if len(body) <= COMMENT_LIMIT:
        return body
    return body[:COMMENT_LIMIT - 100] + "\n\n（長すぎるため、ここで省略しました。全文は Actions の実行結果にあります。）\n"


def run_url(environ: dict | None = None) -> str | None:
    """The address of the workflow run this is part of, or None outside Actions."""
    env = os.environ if environ is None else environ
    if not all(env.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")):
        return None
    return f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"


def write_summary(text: str, environ: dict | None = None) -> None:
    """Append `text` to the run's summary page (GITHUB_STEP_SUMMARY), when there is one."""
    env = os.environ if environ is None else environ
    path = env.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(text.rstrip("\n") + "\n")
