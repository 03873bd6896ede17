"""Vietnamese text helpers shared by slugs, search and moderation."""

import re
import unicodedata

# "đ" is a letter of its own, not "d" with a combining mark, so Unicode
# decomposition alone would drop it ("Đồng" -> "ong").
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: "Dân vận" -> "dan van".

    Both tone placements ("hoà"/"hòa") and precomposed or decomposed input fold to
    the same string.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def slugify_vi(text: str, max_length: int = 200) -> str:
    """ASCII slug from a Vietnamese title, cut on a word boundary."""
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[:-1] if cut.endswith("-") else cut[:max_length].rsplit("-", 1)[0]
    return slug
