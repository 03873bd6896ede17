"""Editors at work, through the admin's own HTTP forms, as a browser would.

An ``Editor`` logs in as the benchmark's chief editor, opens a form (GET),
reads every field the page would submit (``FormReader``), changes what the
editor changes and posts it with the button the editor clicks. The time of
the POST, until the admin's redirect comes back, is the write's latency: by
then the transaction has committed and its purges have run (pagecache/).
"""

import html.parser
import http.client
import re
import time
import urllib.parse
from http.cookies import SimpleCookie

from django_otp.oath import totp

ADMIN = "/quan-tri"
# What the browser never sends: buttons other than the one clicked, files,
# and the inline formsets' hidden templates.
_SKIPPED_TYPES = {"submit", "button", "image", "reset", "file"}


class WriteFailed(Exception):
    pass


class FormReader(html.parser.HTMLParser):
    """The (name, value) pairs a browser submits for the form ``form_id``,
    before any button: checked boxes, selected options (the first one of a
    single select when none is), textareas' text."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.fields: list[tuple[str, str]] = []
        self.select: dict | None = None
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = (a.get("type") or "text").lower()
            if kind in _SKIPPED_TYPES:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name and "__prefix__" not in name:
            self.select = {"name": name, "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self.textarea = [name]

    def handle_endtag(self, tag):
        if tag == "form" and self.inside and self.form_id is not None:
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [v for v, selected in self.select["options"] if selected]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = [self.select["options"][0][0]]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops one newline right after <textarea>.
            text = "".join(self.textarea[1:]).removeprefix("\n")
            self.fields.append((self.textarea[0], text))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.append(data)


def read_form(page: str, form_id: str | None = None) -> list[tuple[str, str]]:
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.fields


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with each of ``values``' names set to one value (added when
    the form had none), in the form's order."""
    out = [(name, value) for name, value in fields if name not in values]
    return out + [(name, str(value)) for name, value in values.items()]


def _errors(page: str) -> str:
    found = re.findall(r'class="errorlist[^"]*">(.*?)</ul>', page, re.S)
    found += re.findall(r'class="(?:error|messagelist)[^"]*">(.*?)</', page, re.S)
    text = " | ".join(re.sub(r"<[^>]+>", " ", e) for e in found)
    return re.sub(r"\s+", " ", text).strip()[:500] or "no error shown"


class Editor:
    """One logged-in browser session of the chief editor, straight to
    gunicorn (writes are never cached; Varnish would pass them)."""

    def __init__(self, port: int, username: str, password: str, totp_key: str):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.username, self.password = username, password
        self.totp_key = totp_key

    def _request(self, method: str, path: str, fields=None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1", "User-Agent": "Mozilla/5.0 newsroom-day"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), text

    def get(self, path: str) -> str:
        status, _, text = self._request("GET", path)
        if status != 200:
            raise WriteFailed(f"GET {path}: HTTP {status}")
        return text

    def post(self, path: str, fields) -> tuple[float, str]:
        """POST the form; the latency (s) and where the admin redirects. A
        form that comes back (200) or an error is a failed write."""
        started = time.perf_counter()
        status, headers, text = self._request("POST", path, fields)
        took = time.perf_counter() - started
        if status != 302:
            detail = _errors(text) if status == 200 else text[:300]
            raise WriteFailed(f"POST {path}: HTTP {status}: {detail}")
        return took, headers.get("Location", "")

    def login(self) -> None:
        page = self.get(f"{ADMIN}/login/?next={ADMIN}/")
        fields = replace(
            read_form(page, "login-form"),
            username=self.username,
            password=self.password,
            # The code the authenticator app shows now.
            otp_token=f"{totp(bytes.fromhex(self.totp_key)):06d}",
            next=f"{ADMIN}/",
        )
        self.post(f"{ADMIN}/login/?next={ADMIN}/", fields)
        status, _, _ = self._request("GET", f"{ADMIN}/")
        if "sessionid" not in self.cookies or status != 200:
            raise WriteFailed(f"login: the admin's index answered HTTP {status}")

    def share_session(self, other: "Editor") -> None:
        """Use ``other``'s signed-in session: a code is good once."""
        self.cookies = dict(other.cookies)

    # The four writes of the day. Each returns (latency s, article id).

    def publish_new(
        self,
        *,
        title: str,
        section: int,
        tags: list[str],
        contributor: int,
        lead: str,
        body: str,
    ) -> tuple[float, int]:
        path = f"{ADMIN}/articles/article/add/"
        fields = replace(
            read_form(self.get(path), "article_form"),
            title=title,
            slug="",
            kind="news",
            section=section,
            lead=lead,
            body=body,
            tags=", ".join(tags),
            is_commentable="on",
            **{
                "credits-0-contributor": contributor,
                "credits-0-roles": "text",
                "credits-0-order": 0,
            },
            _transition="publish",
        )
        took, location = self.post(path, fields)
        found = re.search(r"/article/(\d+)/change/", location)
        if not found:
            raise WriteFailed(f"publish: redirected to {location!r}")
        return took, int(found.group(1))

    def _change(self, article_id: int, **values: str) -> float:
        path = f"{ADMIN}/articles/article/{article_id}/change/"
        fields = replace(read_form(self.get(path), "article_form"), **values)
        took, _ = self.post(path, fields)
        return took

    def retitle(self, article_id: int, title: str) -> float:
        return self._change(article_id, title=title, _save="Lưu")

    def take_down(self, article_id: int, note: str) -> float:
        return self._change(article_id, workflow_note=note, _transition="take_down")

    def decide_comment(
        self, comment_id: int, decision: str, *, one_click: bool
    ) -> float:
        """Approve or reject: the queue's one-click button (``decide_view``)
        or the changelist's bulk action on one ticked row. The list is loaded
        first, as the moderator has it open: the pending comments to approve
        one, the approved ones to reject one (a bulk action acts only on the
        ticked rows of the list it was sent from)."""
        shown = "pending" if decision == "approve" else "approved"
        queue = f"{ADMIN}/comments/comment/?status__exact={shown}"
        page = self.get(queue)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise WriteFailed("comment queue: no CSRF token")
        if one_click:
            path = f"{ADMIN}/comments/comment/{comment_id}/kiem-duyet/"
            fields = [("csrfmiddlewaretoken", token.group(1)), ("decision", decision)]
        else:
            path = queue
            fields = [
                ("csrfmiddlewaretoken", token.group(1)),
                ("action", decision),
                ("select_across", "0"),
                ("index", "0"),
                ("_selected_action", str(comment_id)),
            ]
        took, _ = self.post(path, fields)
        return took
