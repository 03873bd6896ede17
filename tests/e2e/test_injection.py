"""Script injection through every field a person types into, in a real browser.

At least 150 payloads go into what editors and readers type (titles, leads,
bodies, captions, sources, tags, names and comments), then Chromium opens
every page that prints them: home, sections, tags, contributors, articles
(with their JSON-LD), search, the feed, and the admin's lists, forms and
revisions. Any payload that runs calls alert(); any that reaches the page as
markup is stopped by the Content-Security-Policy, which reports it. Both must
be zero. The rows are removed afterwards.
"""

import json
import subprocess
import sys
import urllib.parse

import pytest

from .conftest import ROOT, sign_in

pytestmark = pytest.mark.e2e

MARK = "XSS-7331"
VECTORS = [
    "<script>alert(7331)</script>",
    "<img src=x onerror=alert(7331)>",
    "<svg onload=alert(7331)>",
    '"><script>alert(7331)</script>',
    "'><img src=x onerror=alert(7331)>",
    "javascript:alert(7331)",
    "</title><script>alert(7331)</script>",
    "</script><script>alert(7331)</script>",
    "</textarea><script>alert(7331)</script>",
    '<iframe srcdoc="<script>parent.alert(7331)</script>">',
    '<a href="javascript:alert(7331)">bấm</a>',
    "<details open ontoggle=alert(7331)>",
    "<body onload=alert(7331)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(7331)>",
    "]]><script>alert(7331)</script>",
    "<input autofocus onfocus=alert(7331)>",
    '<video><source onerror="alert(7331)">',
    "<object data=javascript:alert(7331)>",
    "<embed src=javascript:alert(7331)>",
    "<form><button formaction=javascript:alert(7331)>gửi</button></form>",
    "<style>*{background:url(javascript:alert(7331))}</style>",
    '";alert(7331);//',
    "';alert(7331);//",
    "</script><img src=x onerror=alert(7331)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(7331)>">',
    "<base href=javascript:alert(7331)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(7331)'>",
    "<!--><img src=x onerror=alert(7331)>-->",
    "<a href=&#x6A;avascript:alert(7331)>bấm</a>",
    "{{constructor.constructor('alert(7331)')()}}",
]


def _variants(vector: str) -> list[str]:
    """Each vector as typed, shouting, hidden by invisible characters, after
    a byte-order mark, and among Vietnamese words."""
    return [
        vector,
        vector.upper().replace("ALERT", "alert"),
        vector.replace("script", "scr\u200bipt").replace("onerror", "on\u200berror"),
        "\ufeff" + vector,
        f"Tin tức Bến Tre {vector} hôm nay",
    ]


PAYLOADS = [f"{variant} {MARK}" for v in VECTORS for variant in _variants(v)]

SEED = """
import json, sys
from django.contrib.auth import get_user_model
from articles.models import Article, Contributor, Credit, Section
from comments.models import Comment
payloads = json.loads(sys.stdin.read())
section = Section.objects.create(name="Thử " + payloads[0][:40], slug="thu-xss")
author = Contributor.objects.create(name=payloads[1][:100], slug="tac-gia-xss")
editor = get_user_model().objects.get(username="bientap")
ids = []
for number in range(0, len(payloads), 5):
    five = (payloads[number:number + 5] + payloads[:5])[:5]
    article = Article.objects.create(
        title=five[0][:250], slug=f"xss-{number}", section=section, lead=five[1],
        body=f"<p>{five[2]}</p>" + five[3], source_name=five[4][:200],
        status="published", published_at="2026-01-02T08:00:00+07:00",
        created_by=editor,
    )
    article.tags.add(five[4][:90])
    Credit.objects.create(article=article, contributor=author, roles=["text"])
    Comment.objects.create(article=article, name=five[0][:80], email="x@example.com",
                           body=five[1], status="approved")
    ids.append(article.pk)
print(json.dumps(ids))
"""

CLEAN = """
from articles.models import Article, Contributor, Section
from comments.models import Comment
from taggit.models import Tag
Article.objects.filter(slug__startswith="xss-").delete()
Contributor.objects.filter(slug="tac-gia-xss").delete()
Section.objects.filter(slug="thu-xss").delete()
Tag.objects.filter(name__contains="XSS-7331").delete()
"""

# Counts violations of the Content-Security-Policy in every page opened.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _manage(site, code: str, given: str = "") -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=site.env,
        input=given,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


class InjectionTests:
    def test_no_payload_runs_or_reaches_a_page_as_markup(
        self, site, open_page, administrator
    ):
        assert len(PAYLOADS) >= 150
        ids = json.loads(_manage(site, SEED, json.dumps(PAYLOADS)).splitlines()[-1])
        try:
            page = open_page()
            page.add_init_script(LISTEN)
            ran = []
            page.on("dialog", lambda dialog: (ran.append(page.url), dialog.dismiss()))
            visited, blocked = 0, []

            def visit(path: str) -> None:
                nonlocal visited
                page.goto(site.base_url + path)
                page.wait_for_load_state("load")
                visited += 1
                for violation in page.evaluate("window.__violations || []"):
                    blocked.append(f"{path}: {violation}")

            reader_pages = [
                "/",
                "/chuyen-muc/thu-xss/",
                "/tac-gia/tac-gia-xss/",
                "/rss/thu-xss.rss",
                *(
                    f"/xss-{number}-{pk}.html"
                    for number, pk in zip(range(0, len(PAYLOADS), 5), ids, strict=True)
                ),
                *(
                    "/tim-kiem?q=" + urllib.parse.quote(payload)
                    for payload in PAYLOADS[:150:10]
                ),
            ]
            for path in reader_pages:
                visit(path)
            page.goto(f"{site.base_url}/xss-0-{ids[0]}.html")
            for link in page.locator(".story__tags a").all()[:1]:
                visit(urllib.parse.urlsplit(link.get_attribute("href")).path)

            sign_in(page, site, administrator)
            for path in [
                "/quan-tri/",
                "/quan-tri/articles/article/",
                "/quan-tri/articles/article/?q=" + urllib.parse.quote(MARK),
                "/quan-tri/comments/comment/?status__exact=tat-ca",
                "/quan-tri/articles/contributor/",
                "/quan-tri/articles/section/",
                *(f"/quan-tri/articles/article/{pk}/change/" for pk in ids[:10]),
                *(f"/quan-tri/articles/article/{pk}/phien-ban/" for pk in ids[:3]),
            ]:
                visit(path)
            assert ran == [], f"payloads ran on {ran}"
            assert blocked == [], "markup reached the page:\n" + "\n".join(blocked)
            assert visited >= 60, visited
        finally:
            _manage(site, CLEAN)
