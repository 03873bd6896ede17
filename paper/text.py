"""Text as people type or paste it, made safe to store and to print anywhere.

Word processors and web pages paste invisible characters along with the
words: a form feed or U+0001 in a title makes the paper's RSS ill-formed XML,
and a right-to-left override makes "…exe.pdf" of "…fdp.exe". No stored title,
name, caption or setting carries them.
"""

import re

# C0 and C1 controls, DEL; bidi embeddings, overrides and isolates; the marks
# LRM, RLM and ALM; zero-width space and word joiner; the byte-order mark.
# Zero-width (non-)joiners stay: emoji and some scripts need them.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile("[ \t\n]{2,}|[\t\n]")


def plain(text: str, *, multiline: bool = False) -> str:
    """``text`` without invisible control characters. A single line also loses
    its line breaks and tabs, and runs of spaces become one; several lines keep
    theirs, as "\\n"."""
    if not text:
        return text
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    return text if multiline else _SPACES.sub(" ", text)
