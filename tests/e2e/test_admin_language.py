"""Every admin page a superuser can reach reads in Vietnamese, in a real browser.

One sign-in walks the admin from its index: each model's list, its add form
where there is one, one object's change form and the pages it links to
(history, revisions, delete confirmation), a search, the password forms, the
two-factor page, the sign-in and signed-out pages and the admin's 404. What
the interface says (the visible text, and the ``title``, ``alt``,
``aria-label`` and ``placeholder`` attributes, button values and list options
a screen reader or a mouse-over shows) must hold no English.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.paper.test_admin_language import ENGLISH

from .conftest import DESKTOP, sign_in

pytestmark = pytest.mark.e2e

# Words of an English interface, with the capital Django's English gives them,
# and the small words of English sentences. None of them is a Vietnamese word,
# with or without its marks: Vietnamese "to", "an", "in", "can", "may" and
# "that", "the", "not" (thật, thế, nốt typed without marks) are left out, so
# readers' comments and Vietnamese content do not trip the test.
ENGLISH_WORDS = re.compile(
    r"\b(?:Add|Change|Delete|Save|Search|History|View site|Log ?out|Log ?in"
    r"|Filter|Show|Hide|Select|Password|Username|Home|Yes|No|Cancel|Close"
    r"|Today|Now|Choose|Clear|Remove|Unknown|None|All|Can|Enter|Name|Date"
    r"|Time|Action|Go|Edit|Users?|Groups?|Permissions?|Devices?|Access"
    r"|Attempts?|Logs?|Failures?|Required|Please|Click|Submit|Confirm"
    r"|Previous|Next|Page|Results?|Total|Staff|Active|Superuser|Created"
    r"|Updated|Modified|Key|Value|Tags?|Tagged|Content|Type|Object|Sign"
    r"|Error|Forbidden|Not Found|Gone|Server|Django|Thanks|Welcome|Recent"
    r"|Summary|Description|Status|Details?|Settings?|Data|Address|Agent"
    r"|True|False|Heading|Paragraph|Insert|Merge|Split|Toggle)\b"
    r"|\b(?:and|of|is|are|with|for|this|your|you|will|or|by|has|have|was"
    r"|were|must|if|which|from|been|should|would|enabled|disabled|usable"
    r"|password|username|devices?|attempts?|bold|italic|underline|strike"
    r"|undo|redo|paragraph|heading|blockquote|figure)\b"
)

# What a page's content shows (titles, readers' comments, article bodies,
# logged data) is not its interface: left out of the visible text, and the
# attributes of what is inside a list's rows (a row's checkbox is labelled
# with the row's object) are read only from the yes/no icons. An icon font's
# glyph names ("undo", "format_bold") are not words either.
CONTENT = (
    "#result_list tbody td:not(.action-checkbox), #result_list tbody th,"
    " .readonly, .ProseMirror, .material-icons, #recent-actions-module ul,"
    " #dashboard li"
)

TEXT_OF_THE_INTERFACE = """(content) => {
    const hidden = [...document.querySelectorAll(content)];
    const before = hidden.map((element) => element.style.visibility);
    for (const element of hidden) element.style.visibility = "hidden";
    const parts = [document.title, document.body.innerText];
    hidden.forEach((element, i) => (element.style.visibility = before[i]));
    const names = ["title", "alt", "aria-label", "placeholder"];
    for (const element of document.querySelectorAll(
        "[title], [alt], [aria-label], [placeholder]"
    )) {
        if (element.closest("#result_list tbody") && element.tagName !== "IMG") {
            continue;
        }
        for (const name of names) parts.push(element.getAttribute(name) || "");
    }
    for (const element of document.querySelectorAll(
        "button, input[type=submit], input[type=button], input[type=reset]"
    )) parts.push(element.value || "");
    for (const option of document.querySelectorAll("option")) {
        parts.push(option.textContent);
    }
    return parts.join("\\n");
}"""


def english_on(page: Page) -> set[str]:
    """The English phrases the page shows, each in the line that holds it."""
    text = page.evaluate(TEXT_OF_THE_INTERFACE, CONTENT)
    found = {phrase for phrase in ENGLISH if phrase in text}
    for line in text.splitlines():
        if words := ENGLISH_WORDS.findall(line):
            found.add(f"{', '.join(words)} in {line.strip()[:100]!r}")
    return found


class AdminLanguageTests:
    def test_no_admin_page_shows_an_english_word(self, site, administrator, open_page):
        page = open_page(DESKTOP)
        admin = site.base_url + "/quan-tri/"
        # Each phrase with the first page that shows it.
        problems: dict[str, str] = {}
        seen: set[str] = set()

        def look(current: Page = page) -> None:
            seen.add(urlsplit(current.url).path)
            for phrase in english_on(current):
                problems.setdefault(phrase, urlsplit(current.url).path)

        def visit(url: str) -> None:
            page.goto(url if url.startswith("http") else site.base_url + url)
            look()

        # A wrong password first: the refusal, and a failure for axes' lists.
        page.goto(admin + "login/")
        page.fill("#id_username", administrator)
        page.fill("#id_password", "sai-mat-khau")
        with page.expect_navigation():
            page.click("input[type=submit]")
        look()
        sign_in(page, site, administrator, look=look)
        look()

        # Each app's page, each model's list and its add form, from the index.
        links = page.eval_on_selector_all(
            "#content-main .app-list a, #content-main .module a",
            "links => links.map((link) => link.getAttribute('href'))",
        )
        pages = sorted(
            {
                link
                for link in links
                if link.startswith("/quan-tri/") and "/change/" not in link
            }
            - {"/quan-tri/articles/article/"}
        )
        lists = [path for path in pages if re.fullmatch(r"/quan-tri/\w+/\w+/", path)]
        assert len(lists) >= 12, pages
        for path in pages:
            if path not in lists:
                visit(path)
        # Each list, one object's change form and the pages it links to
        # (history, revisions, delete confirmation).
        for path in ["/quan-tri/articles/article/", *lists]:
            visit(path)
            first = page.locator("#result_list tbody a[href*='/change/']").first
            if "/change/" not in page.url:
                if not first.count():
                    continue
                with page.expect_navigation():
                    first.click()
                look()
            change = page.url
            links = page.eval_on_selector_all(
                # Not "view on site": it leaves the admin.
                ".object-tools a:not(.viewsitelink), a.deletelink",
                "links => links.map((link) => link.href)",
            )
            for link in links:
                if urlsplit(link).path.startswith("/quan-tri/"):
                    visit(link)
            if "/auth/user/" in change:
                visit(urlsplit(change).path.replace("/change/", "/password/"))
        visit("/quan-tri/articles/article/?q=a")

        visit("/quan-tri/password_change/")
        visit("/quan-tri/xac-thuc-hai-buoc/")
        visit("/quan-tri/khong-co-trang-nay/")
        page.goto(admin)
        with page.expect_navigation():
            page.locator("#logout-form button").click()
        look()

        assert len(seen) > 40, sorted(seen)
        assert not problems, "\n".join(
            f"{path}: {phrase}" for phrase, path in problems.items()
        )
