"""A WordPress post body made into ours: paragraphs, photos, credit line.

Pure text work, no database. WordPress stores a classic-editor body without
paragraph tags (``wpautop`` adds them when it prints) and a block-editor body
inside ``<!-- wp:... -->`` comments; captions are ``[caption]`` shortcodes or
``<figure>`` elements. ``convert()`` returns the sanitised body with its
pictures taken out, each with the paragraph it stood after, as our body
photos are placed.
"""

import html as html_lib
import re
import secrets
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from articles.credits import Role
from articles.html import sanitize_body, split_blocks


@dataclass
class ImageRef:
    """A picture of the body: its URL, the attachment id if WordPress said."""

    src: str
    attachment_id: str = ""
    alt: str = ""
    caption: str = ""


@dataclass
class Body:
    html: str
    # (after paragraph N, picture), in body order.
    photos: list[tuple[int, ImageRef]] = field(default_factory=list)
    shortcodes: Counter = field(default_factory=Counter)
    # (name, roles) in byline order, read from the last paragraph.
    credits: list[tuple[str, list[str]]] = field(default_factory=list)
    kind: str = ""  # "news" for "Tin: ...", "feature" for "Bài: ..."
    # Attachment ids of [gallery ids="..."]: the article's photo story.
    gallery: list[str] = field(default_factory=list)
    source_name: str = ""

    @property
    def first_paragraph(self) -> str:
        for block in split_blocks(self.html):
            text = plain(block)
            if text:
                return text
        return ""


_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.DOTALL | re.I)
_FIGURE = re.compile(r"<figure\b[^>]*>(.*?)</figure>", re.DOTALL | re.I)
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.I)
# A picture, with the link around it that WordPress adds ("link to file").
_IMG = re.compile(
    r"(?:<a\b[^>]*>\s*)?<img\b([^>]*)>(?:\s*</a>)?", re.DOTALL | re.IGNORECASE
)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
_SHORTCODE = re.compile(r"\[([a-z][a-z0-9_-]*)(?=[\s\]/])[^\]\[]*\]")
# Tags that stand on their own, never inside a paragraph (wpautop's list).
_BLOCK_TAGS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol"
    r"|li|pre|form|blockquote|address|p|h[1-6]|hr|section|article|aside|header"
    r"|footer|nav|figure|figcaption|details|summary|iframe|video|audio|object)"
)
_BLOCK_OPEN = re.compile(rf"(<{_BLOCK_TAGS}\b[^>]*>)", re.I)
_BLOCK_CLOSE = re.compile(rf"(</{_BLOCK_TAGS}>)", re.I)
_BREAKS = re.compile(r"(?:<br>\s*){2,}")
_BREAKS_AT_ENDS = re.compile(r"(?<=<p>)\s*(?:<br>\s*)+|\s*(?:<br>\s*)+(?=</p>)")
_STARTS_WITH_BLOCK = re.compile(rf"^</?{_BLOCK_TAGS}\b", re.I)


def _attrs(tag: str) -> dict[str, str]:
    return {m[1].lower(): html_lib.unescape(m[2] or m[3]) for m in _ATTR.finditer(tag)}


def plain(fragment: str) -> str:
    text = html_lib.unescape(strip_tags(fragment))
    return unicodedata.normalize("NFC", " ".join(text.split()))


def autop(text: str) -> str:
    """WordPress's ``wpautop``, simplified: a blank line ends a paragraph, a
    single line break is a <br>; block elements are left as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    return "\n".join(chunks)


def convert(raw: str, *, known_shortcodes: frozenset = frozenset()) -> Body:
    """Our body from a WordPress ``content:encoded``.

    Shortcodes other than [caption] stay in the text as they were, and are
    counted in ``shortcodes`` for the report.
    """
    marker = "wpphoto" + secrets.token_hex(6)  # content cannot forge it
    images: list[ImageRef] = []

    def take(
        img_tag: str, caption: str = "", attachment_id: str = "", *, inline=False
    ) -> str:
        attrs = _attrs(img_tag)
        found = re.search(r"wp-image-(\d+)", attrs.get("class", ""))
        images.append(
            ImageRef(
                src=attrs.get("src", ""),
                attachment_id=attachment_id or (found[1] if found else ""),
                alt=attrs.get("alt", ""),
                caption=caption,
            )
        )
        placed = f"{marker}{len(images) - 1}x"
        return placed if inline else f"\n\n{placed}\n\n"

    def caption_shortcode(match: re.Match) -> str:
        img = _IMG.search(match[2])
        if img is None:
            return plain(match[2])
        caption = plain(_IMG.sub("", match[2]))
        found = re.search(r"attachment_(\d+)", match[1])
        return take(img[1], caption, found[1] if found else "")

    def figure(match: re.Match) -> str:
        img = _IMG.search(match[1])
        if img is None:
            return match[0]
        found = _FIGCAPTION.search(match[1])
        return take(img[1], plain(found[1]) if found else "")

    text = _BLOCK_COMMENT.sub("", raw or "")
    text = _CAPTION.sub(caption_shortcode, text)
    text = _FIGURE.sub(figure, text)
    text = _IMG.sub(lambda m: take(m[1], inline=True), text)
    body = Body(html="")

    def gallery(match: re.Match) -> str:
        ids = _attrs(match[1]).get("ids", "")
        body.gallery += [n for n in re.split(r"\s*,\s*", ids.strip()) if n.isdigit()]
        return ""

    text = _GALLERY.sub(gallery, text)
    body.shortcodes.update(
        name
        for name in (m[1].lower() for m in _SHORTCODE.finditer(text))
        if name not in known_shortcodes
    )
    blocks = split_blocks(sanitize_body(autop(text)))
    _peel_credit_and_source(blocks, body)

    kept: list[str] = []
    placed = re.compile(rf"{marker}(\d+)x")
    for block in blocks:
        numbers = [int(n) for n in placed.findall(block)]
        rest = placed.sub("", block)
        if numbers:  # line breaks that only framed a picture
            rest = _BREAKS_AT_ENDS.sub("", _BREAKS.sub("<br>\n", rest))
        if plain(rest) or "<hr" in rest or "<table" in rest:
            kept.append(rest)
        body.photos += [(len(kept), images[n]) for n in numbers]
    body.html = "".join(kept)
    return body


# Byline labels as papers print them, and the role each gives.
_LABELS = {
    "tin": Role.TEXT,
    "bài": Role.TEXT,
    "bài viết": Role.TEXT,
    "ảnh": Role.PHOTO,
    "video": Role.VIDEO,
    "clip": Role.VIDEO,
    "đồ họa": Role.GRAPHICS,
    "đồ hoạ": Role.GRAPHICS,
    "dịch": Role.TRANSLATION,
    "lược dịch": Role.TRANSLATION,
    "biên dịch": Role.TRANSLATION,
}
_LABEL_GROUP = re.compile(r"^(?P<labels>[^:]{1,40}?)\s*:\s*(?P<names>.+)$")
_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*;\s*")
_SOURCE = re.compile(r"^\(?\s*nguồn\s*:\s*(?P<name>[^()]{1,120}?)\s*\)?\.?$", re.I)


def parse_credit_line(text: str) -> tuple[list[tuple[str, list[str]]], str] | None:
    """("Tin, ảnh: Thu Huyền" ->) ([("Thu Huyền", ["text", "photo"])], "news").

    None unless the whole line is a credit line: labelled groups of names
    separated by dashes, "Bài: Hữu Hiệp - Ảnh: Thu Huyền - Minh Thư".
    """
    text = unicodedata.normalize("NFC", text.strip().rstrip("."))
    credits: dict[str, list[str]] = {}
    kind = ""
    roles: list[str] = []
    for segment in _SEPARATOR.split(text):
        match = _LABEL_GROUP.match(segment)
        if match:
            labels = re.split(r"\s*(?:,|\bvà\b|&)\s*", match["labels"].lower())
            if not all(label in _LABELS for label in labels):
                return None
            roles = [_LABELS[label] for label in labels]
            if "tin" in labels:
                kind = kind or "news"
            if "bài" in labels or "bài viết" in labels:
                kind = kind or "feature"
            names = match["names"].split(",")
        elif roles:
            names = [segment]
        else:
            return None
        for name in names:
            name = name.strip()
            if not _looks_like_a_name(name):
                return None
            held = credits.setdefault(name, [])
            held += [role for role in roles if role not in held]
    return (list(credits.items()), kind) if credits else None


def _looks_like_a_name(name: str) -> bool:
    words = name.split()
    return (
        0 < len(words) <= 6
        and len(name) <= 60
        and not any(ch.isdigit() for ch in name)
        and words[0][:1].isupper()
    )


def _peel_credit_and_source(blocks: list[str], body: Body) -> None:
    """Take the credit line and "Nguồn: ..." off the end of the body."""
    for _attempt in range(2):
        if not blocks or not blocks[-1].startswith("<p>"):
            return
        text = plain(blocks[-1])
        source = _SOURCE.match(text)
        if source and not body.source_name:
            body.source_name = source["name"]
            blocks.pop()
            continue
        credit = parse_credit_line(text) if not body.credits else None
        if credit:
            body.credits, body.kind = credit
            blocks.pop()
            continue
        return
