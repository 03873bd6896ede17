"""The article body's HTML: what the editor may produce and what readers receive."""

from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from paper.text import plain

# The class of a pull quote: a <blockquote> the page sets large between paragraphs.
PULL_QUOTE = "pull-quote"

# What the body editor offers. The same list drives the server-side allowlist,
# so nothing the editor can make is lost and nothing else gets through.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    # A quotation can be set as a pull quote: the editor selects it and picks
    # "Trích dẫn nổi bật" in the block-style menu.
    "NodeClass": {
        "cssClasses": {
            "blockquote": {
                "title": _("Trích dẫn"),
                "cssClasses": [
                    {"className": PULL_QUOTE, "title": _("Trích dẫn nổi bật")}
                ],
            }
        }
    },
}


def _allowlist() -> dict:
    """The editor's allowlist, with classes narrowed to the ones it offers.

    django-prose-editor lets NodeClass's elements carry any class; only the
    pull quote's is kept, so pasted markup cannot borrow the site's classes.
    """
    config = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
    config["attributes"]["blockquote"].discard("class")
    config.setdefault("allowed_classes", {})["blockquote"] = {PULL_QUOTE}
    return config


_cleaner = nh3.Cleaner(**_allowlist())


def sanitize_body(html: str) -> str:
    """Drop every tag, attribute and URL scheme the body editor cannot produce.

    Invisible characters go first: a byte-order mark before "javascript:"
    made the URL look relative to the allowlist, and a right-to-left override
    in a link shows readers a name that is not the address.
    """
    cleaned = _cleaner.clean(plain(html or "", multiline=True)).strip()
    # Markup that cannot nest ("<a><object><a>") is written out nested and
    # parses back differently; a second pass settles it, so that saving an
    # article twice never changes its body (tests/articles/
    # test_sanitiser_properties.py).
    for _pass in range(3):
        again = _cleaner.clean(cleaned).strip()
        if again == cleaned:
            break
        cleaned = again
    # A class outside the allowlist leaves an empty attribute behind.
    cleaned = cleaned.replace('<blockquote class="">', "<blockquote>")
    # The editor's empty document is one empty paragraph.
    return "" if cleaned in ("<p></p>", "<p><br></p>") else cleaned


class _TopLevelBlocks(HTMLParser):
    """Records where each top-level element of a well-formed fragment ends."""

    _VOID = {"br", "hr", "img", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.ends: list[int] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in self._VOID:
            if self.depth == 0:
                self.ends.append(self._offset() + len(self.get_starttag_text()))
            return
        self.depth += 1

    def handle_endtag(self, tag):
        if tag in self._VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            self.ends.append(self._offset() + len(f"</{tag}>"))


def split_blocks(html: str) -> list[str]:
    """Split sanitised body HTML into its top-level blocks (paragraphs, headings...)."""
    parser = _TopLevelBlocks()
    parser.line_starts = [0]
    for line in html.splitlines(keepends=True):
        parser.line_starts.append(parser.line_starts[-1] + len(line))
    parser.feed(html)
    parser.close()
    blocks, start = [], 0
    for end in parser.ends:
        block = html[start:end].strip()
        if block:
            blocks.append(block)
        start = end
    tail = html[start:].strip()
    if tail:
        blocks.append(tail)
    return blocks
