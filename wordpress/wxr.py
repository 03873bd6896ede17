"""A streaming reader of WordPress export files (WXR 1.1-1.2, WordPress 5-6).

Pure parsing, no database: ``read()`` yields one small record per author,
term and item, and forgets each element once read, so memory stays flat
whatever the size of the file. The XML goes through defusedxml, which refuses
entity declarations (the "billion laughs") and external entities.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml.ElementTree import iterparse

# WXR names its namespaces by version (export/1.0/ to 1.2/): matched by prefix.
_WP = "http://wordpress.org/export/"
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}


def _local(tag: str) -> str:
    """ "{http://wordpress.org/export/1.2/}post_id" -> "wp:post_id"."""
    if not tag.startswith("{"):
        return tag
    uri, name = tag[1:].split("}", 1)
    if uri.startswith(_WP):
        return (
            f"excerpt:{name}" if uri.rstrip("/").endswith("excerpt") else f"wp:{name}"
        )
    prefix = _NAMESPACES.get(uri)
    return f"{prefix}:{name}" if prefix else name


@dataclass
class Author:
    wp_id: str
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category, a tag or another taxonomy's term (ignored by the import)."""

    taxonomy: str  # "category", "post_tag", ...
    wp_id: str
    slug: str
    name: str
    parent: str = ""  # the parent's slug, as WXR gives it
    description: str = ""


@dataclass
class Comment:
    wp_id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = "0"
    user_id: str = "0"
    agent: str = ""


@dataclass
class Item:
    """A post, a page, an attachment or any other post type."""

    wp_id: str
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    slug: str = ""
    status: str = ""
    date: str = ""
    date_gmt: str = ""
    parent: str = "0"
    password: str = ""
    is_sticky: bool = False
    attachment_url: str = ""
    comment_status: str = "open"
    # (taxonomy, slug, name) in the order WordPress lists them.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    def meta_value(self, key: str) -> str:
        values = self.meta.get(key)
        return values[0] if values else ""


def _text(element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _author(element) -> Author:
    return Author(
        wp_id=_text(element, "wp:author_id"),
        login=_text(element, "wp:author_login"),
        email=_text(element, "wp:author_email"),
        display_name=_text(element, "wp:author_display_name"),
        first_name=_text(element, "wp:author_first_name"),
        last_name=_text(element, "wp:author_last_name"),
    )


def _term(element, kind: str) -> Term:
    if kind == "wp:category":
        return Term(
            "category",
            _text(element, "wp:term_id"),
            _text(element, "wp:category_nicename"),
            _text(element, "wp:cat_name"),
            parent=_text(element, "wp:category_parent"),
            description=_text(element, "wp:category_description"),
        )
    if kind == "wp:tag":
        return Term(
            "post_tag",
            _text(element, "wp:term_id"),
            _text(element, "wp:tag_slug"),
            _text(element, "wp:tag_name"),
            description=_text(element, "wp:tag_description"),
        )
    return Term(
        _text(element, "wp:term_taxonomy"),
        _text(element, "wp:term_id"),
        _text(element, "wp:term_slug"),
        _text(element, "wp:term_name"),
        parent=_text(element, "wp:term_parent"),
        description=_text(element, "wp:term_description"),
    )


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_id": "wp_id",
    "wp:post_name": "slug",
    "wp:status": "status",
    "wp:post_date": "date",
    "wp:post_date_gmt": "date_gmt",
    "wp:post_parent": "parent",
    "wp:post_password": "password",
    "wp:post_type": "post_type",
    "wp:attachment_url": "attachment_url",
    "wp:comment_status": "comment_status",
}
_COMMENT_FIELDS = {
    "wp:comment_id": "wp_id",
    "wp:comment_author": "author",
    "wp:comment_author_email": "email",
    "wp:comment_author_url": "url",
    "wp:comment_author_IP": "ip",
    "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt",
    "wp:comment_content": "content",
    "wp:comment_approved": "approved",
    "wp:comment_type": "type",
    "wp:comment_parent": "parent",
    "wp:comment_user_id": "user_id",
    "wp:comment_agent": "agent",
}


def _item(element) -> Item:
    item = Item(wp_id="", post_type="")
    for child in element:
        name = _local(child.tag)
        # Titles and bodies keep their spaces; ids and slugs are trimmed.
        text = child.text or ""
        if name in _ITEM_FIELDS:
            attr = _ITEM_FIELDS[name]
            keep = attr in ("content", "excerpt", "title")
            setattr(item, attr, text if keep else text.strip())
        elif name == "wp:is_sticky":
            item.is_sticky = text.strip() == "1"
        elif name == "category":
            item.terms.append(
                (child.get("domain", ""), child.get("nicename", ""), text.strip())
            )
        elif name == "wp:postmeta":
            key, value = _text(child, "wp:meta_key"), ""
            for part in child:
                if _local(part.tag) == "wp:meta_value":
                    value = part.text or ""
            item.meta.setdefault(key, []).append(value)
        elif name == "wp:comment":
            comment = Comment(wp_id="")
            for part in child:
                attr = _COMMENT_FIELDS.get(_local(part.tag))
                if attr:
                    value = part.text or ""
                    setattr(
                        comment, attr, value if attr == "content" else value.strip()
                    )
            item.comments.append(comment)
    item.title = item.title.strip()
    return item


_RECORDS = {"wp:author", "wp:category", "wp:tag", "wp:term", "item"}


def read(path: Path | str) -> Iterator[Author | Term | Item]:
    """Yield the export's records in file order.

    Raises ``xml.etree.ElementTree.ParseError`` on broken XML (after yielding
    what came before it) and a ``defusedxml`` error on entity declarations.
    """
    depth = 0
    channel = None
    with open(path, "rb") as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 2 and _local(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2:
                continue
            kind = _local(element.tag)
            if kind == "wp:author":
                yield _author(element)
            elif kind in ("wp:category", "wp:tag", "wp:term"):
                yield _term(element, kind)
            elif kind == "item":
                yield _item(element)
            # Forget what was read: the channel would otherwise hold every item.
            if channel is not None:
                channel.clear()
