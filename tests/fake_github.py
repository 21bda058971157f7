"""A fake GitHub REST API on localhost: a real HTTP server holding issues, pull requests and
comments in memory, for the tests of the workflow scripts (hooks/gijiroku/ci/).

It answers the few endpoints the scripts use, as GitHub does: JSON, pages of `per_page`, pull
requests listed among issues (with a `pull_request` key), 401 without the expected token. Every
request is recorded, so a test can say what the script did, not only what it printed.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "fake-token"
REPO = "commission/gijiroku"


class FakeGitHub:
    """The state of one repository, and the requests made to it."""

    def __init__(self) -> None:
        self.issues: list[dict] = []  # issues and pull requests, as GitHub lists them
        self.comments: list[dict] = []
        self.requests: list[tuple[str, str, dict | None]] = []  # (method, path, body)
        self.fail_with: int | None = None  # answer every request with this status
        self.url = ""
        self._next = 1

    def add_issue(self, title: str, body: str = "", state: str = "open", pull_head: str | None = None,
                  login: str = "someone") -> dict:
        issue = {"number": self._next, "title": title, "body": body, "state": state, "user": {"login": login},
                 "html_url": f"https://github.example/{REPO}/issues/{self._next}"}
        if pull_head is not None:
            issue["pull_request"] = {"url": "…"}
            issue["head"] = {"ref": pull_head, "label": f"{REPO.split('/')[0]}:{pull_head}"}
        self._next += 1
        self.issues.append(issue)
        return issue

    def add_comment(self, number: int, body: str, login: str = "someone") -> dict:
        comment = {"id": 1000 + len(self.comments), "issue": number, "body": body, "user": {"login": login}}
        self.comments.append(comment)
        return comment

    def comments_on(self, number: int) -> list[str]:
        return [c["body"] for c in self.comments if c["issue"] == number]

    def writes(self) -> list[tuple[str, str]]:
        """(method, path) of every request that changed something."""
        return [(m, p) for m, p, _ in self.requests if m != "GET"]

    # -- the API ----------------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict, body: dict | None) -> tuple[int, object]:
        prefix = f"/repos/{REPO}"
        if not path.startswith(prefix):
            return 404, {"message": "Not Found"}
        path = path[len(prefix):]
        if method == "GET" and path == "/issues":
            found = [i for i in self.issues if query.get("state", "open") in ("all", i["state"])]
            return 200, _page(found, query)
        if method == "POST" and path == "/issues":
            if not body or not body.get("title"):
                return 422, {"message": "Validation Failed"}
            return 201, self.add_issue(body["title"], body.get("body", ""), login="github-actions[bot]")
        if m := re.fullmatch(r"/issues/(\d+)", path):
            issue = next((i for i in self.issues if i["number"] == int(m.group(1))), None)
            if issue is None:
                return 404, {"message": "Not Found"}
            if method == "PATCH":
                issue.update({k: v for k, v in (body or {}).items() if k in ("state", "title", "body")})
            return 200, issue
        if m := re.fullmatch(r"/issues/(\d+)/comments", path):
            number = int(m.group(1))
            if not any(i["number"] == number for i in self.issues):
                return 404, {"message": "Not Found"}
            if method == "POST":
                return 201, self.add_comment(number, (body or {})["body"], login="github-actions[bot]")
            return 200, _page([c for c in self.comments if c["issue"] == number], query)
        if (m := re.fullmatch(r"/issues/comments/(\d+)", path)) and method == "PATCH":
            comment = next((c for c in self.comments if c["id"] == int(m.group(1))), None)
            if comment is None:
                return 404, {"message": "Not Found"}
            comment["body"] = (body or {})["body"]
            return 200, comment
        if method == "GET" and path == "/pulls":
            pulls = [i for i in self.issues if "pull_request" in i and i["state"] == "open"
                     and i["head"]["label"] == query.get("head")]
            return 200, _page(pulls, query)
        return 404, {"message": "Not Found"}


def _page(items: list, query: dict) -> list:
    size = min(int(query.get("per_page", 30)), 100)
    page = int(query.get("page", 1))
    return items[(page - 1) * size: page * size]


def _handler(fake: FakeGitHub):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            split = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length).decode("utf-8")) if length else None
            fake.requests.append((self.command, split.path, body))
            if fake.fail_with:
                status, answer = fake.fail_with, {"message": "Server Error"}
            elif self.headers.get("Authorization") != f"Bearer {TOKEN}":
                status, answer = 401, {"message": "Bad credentials"}
            else:
                status, answer = fake.answer(self.command, split.path, query, body)
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, *args) -> None:  # quiet test output
            pass

    return Handler


@contextlib.contextmanager
def serve_fake_github():
    """A FakeGitHub listening on a free port of 127.0.0.1 for the duration of the block."""
    fake = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def environment(fake: FakeGitHub, **extra: str) -> dict[str, str]:
    """The environment a workflow step has, pointed at `fake`."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update({"GITHUB_API_URL": fake.url, "GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": TOKEN,
                "GITHUB_SERVER_URL": "https://github.example", "GITHUB_RUN_ID": "4242"}, **extra)
    return env
