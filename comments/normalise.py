"""Comment text as a filter should read it, whatever the sender did to hide it.

Spammers write "𝐧𝐡𝐚̀ 𝐜𝐚́𝐢", "nhà\u200bcái", "nhа cái" (a Cyrillic "а"),
"v@y", "l.ô đ.ề", "O9I2 345 678" and "k8vn[.]top" so that a word list misses
them. ``read()`` undoes each trick once, and every rule and the spam score
work on what it returns, never on the raw text.

Words keep their Vietnamese marks: "vậy" and "vay" are different words, and a
filter that folds them together holds every reader who writes "vậy".
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from confusable_homoglyphs.confusables import confusables_data

from articles.text import fold


@cache
def _look_alikes() -> dict[int, str]:
    """Letters of other scripts that read as a Latin letter or digit, from
    Unicode's confusables data: Cyrillic "а" -> "a", Greek "ο" -> "o".

    Latin letters with marks are left alone: "ạ" is not a disguised "a".
    """
    table = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        if unicodedata.name(char, "").startswith("LATIN"):
            continue
        if unicodedata.decomposition(char):
            continue
        for glyph in homoglyphs:
            latin = glyph["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalnum():
                table[ord(char)] = latin.lower()
                break
    return table


# Emoji, arrows and other symbols used as separators ("vay🔥tiền") become
# spaces; so do format characters the field types keep (zero-width joiners).
_SEPARATOR_CATEGORIES = {"So", "Sk", "Sm", "Cf", "Co", "Cn"}
# Fillers that render as nothing and are not "format" characters.
_BLANKS = {"\u115f", "\u1160", "\u3164", "\u2800", "\uffa0"}
_HIDDEN = "\x00"
_HIDDEN_RUN = re.compile(r"(\w*)\x00+(?=(\w*))")
# Inside a word, "v@y", "l0 d3", "c4 d0": digits and signs standing for letters.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_SIGNS = str.maketrans({"@": "a", "$": "s", "€": "e"})
_WORD = re.compile(r"[\w@$€]+")
# "l.ô", "đ.ề", "za.lo": a dot, dash, star or underscore between short pieces.
_INNER_SEPARATOR = re.compile(r"\b(\w{1,2})[.\-*_'](?=\w{1,2}\b)")

# "k8vn[.]top", "nhacai (.) com", "fb88 chấm com", "abc dot net".
_DEFANGED_DOT = re.compile(
    r"\s*[\[\(\{]\s*(?:\.|dot|chấm|cham)\s*[\]\)\}]\s*"
    r"|\s+(?:dot|chấm|cham)\s+(?=(?:com|net|org|vn|top|xyz|info|club|online|site|"
    r"shop|io|me|co|biz|vip|cc|tk|ml|live|bet|win|fun|pro)\b)",
    re.IGNORECASE,
)
_TLDS = (
    "com|net|org|info|biz|xyz|top|club|online|site|shop|io|me|co|vn|vip|cc|tk|"
    "ml|live|bet|win|fun|pro|link|app|store|asia|tv|us|uk|ru|cn"
)
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})(?:\.vn)?\b"
    r"(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:https?://)?(?:www\.)?([^/:?#\s]+)", re.IGNORECASE)

# Phone numbers, spaced, dotted or with O and I for 0 and 1: pieces made of
# digits (and letters standing for digits) between separators.
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")
_PHONE_PIECE = re.compile(r"^\+?[0-9oil|]+$")
_PHONE_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1", "+": ""})
_PHONE = re.compile(r"(?:84|0)(?:([35789]\d{8})|(2\d{9}))")
_ZALO = re.compile(r"\bzalo\b|\bzl\s*[:.]?\s*\+?\d", re.IGNORECASE)


@dataclass
class Reading:
    """What a comment says once its disguises are removed."""

    text: str  # the whole text, normalised, lower case, marks kept
    words: list[str] = field(default_factory=list)
    # Letters typed one at a time ("c á đ ộ", "l.ô đ.ề"), joined and folded.
    spelled_out: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # host names
    mobiles: list[str] = field(default_factory=list)
    landlines: list[str] = field(default_factory=list)
    zalo: bool = False
    disguised: bool = False  # look-alike letters, invisible or leet characters

    @property
    def compact(self) -> str:
        """Letters and digits only, folded: the text's identity for duplicates."""
        return "".join(fold(word) for word in self.words)


def visible(text: str) -> bool:
    """Whether the text shows anything at all on a page."""
    return any(
        unicodedata.category(ch)[0] not in "CZM" and ch not in _BLANKS and ch.strip()
        for ch in text
    )


def _has_vowel(piece: str) -> bool:
    return any(fold(ch) in "aeiouy" for ch in piece)


def _hidden_break(match: re.Match) -> str:
    """Between two syllables, a space; inside one, nothing: "mua|bán" splits,
    "nh|à", "bó|ng" and "ti|ền" join (the right piece has no vowel of its own
    or starts with one)."""
    left, right = match[1], match[2]
    between = _has_vowel(left) and _has_vowel(right) and not _has_vowel(right[:1])
    return left + (" " if between else "")


def _unmask(text: str) -> tuple[str, bool]:
    """NFKC (math bold and full-width letters become plain), look-alikes as
    Latin, separators as spaces, lower case. Also says whether anything was
    disguised."""
    nfkc = unicodedata.normalize("NFKC", text)
    disguised = nfkc != unicodedata.normalize("NFC", text)
    look_alikes = _look_alikes()
    out = []
    for ch in nfkc:
        if ord(ch) in look_alikes:
            out.append(look_alikes[ord(ch)])
            disguised = True
        elif ch in _BLANKS or unicodedata.category(ch) in _SEPARATOR_CATEGORIES:
            if unicodedata.category(ch) == "Cf":
                disguised = disguised or ch in "\u200b\u200c\u200d\u2060\ufeff"
                out.append(_HIDDEN)
                continue
            out.append(" ")
        else:
            out.append(ch)
    # A zero-width character inside a syllable ("nh\u200bà") hides it; one
    # between syllables ("mua\u200bbán") stands for a space.
    text = _HIDDEN_RUN.sub(_hidden_break, "".join(out))
    # Marks typed apart from their letter compose again.
    return unicodedata.normalize("NFC", text).lower(), disguised


def _phones(text: str) -> tuple[list[str], list[str]]:
    """Mobile and landline numbers, each as its digits after the 0 or 84."""
    runs, run = [], []
    for piece in [*_PHONE_SEPARATORS.split(text), ""]:
        if _PHONE_PIECE.match(piece) and any(ch.isdigit() for ch in piece):
            run.append(piece.translate(_PHONE_DIGITS))
        else:
            runs.append("".join(run))
            run = []
    mobiles, landlines = [], []
    for digits in runs:
        for match in _PHONE.finditer(digits):
            (mobiles if match[1] else landlines).append(match[1] or match[2])
    return mobiles, landlines


def _deleet(word: str) -> str:
    """ "c4" -> "ca", "b0ng" -> "bong", "v@y" -> "vay"; but "12kg", "u23" and
    "000đ" are numbers with a unit, not disguised words."""
    word = word.translate(_LEET_SIGNS)
    letters = sum(ch.isalpha() for ch in word)
    digits = sum(ch.isdigit() for ch in word)
    if not digits or not word[0].isalpha() or digits > letters:
        return word
    return word.translate(_LEET)


def read(text: str) -> Reading:
    """Undo the disguises in ``text``; see the module's docstring."""
    unmasked, disguised = _unmask(text)
    undefanged = _DEFANGED_DOT.sub(".", unmasked)
    links = []
    for match in LINK.finditer(undefanged):
        host = _HOST.match(match[0])
        links.append((host[1] if host else match[0]).lower().rstrip("."))
    without_links = LINK.sub(" ", undefanged)
    mobiles, landlines = _phones(without_links)
    joined = _INNER_SEPARATOR.sub(r"\1", without_links)
    words = []
    for raw in _WORD.findall(joined):
        word = _deleet(raw)
        disguised = disguised or word != raw
        words.append(word.replace("_", ""))
    words = [word for word in words if word]
    spelled_out, run = [], []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 3:
            spelled_out.append(fold("".join(run)))
            disguised = True
        run = []
    return Reading(
        text=" ".join(words),
        words=words,
        spelled_out=spelled_out,
        links=links,
        mobiles=mobiles,
        landlines=landlines,
        zalo=bool(_ZALO.search(" ".join(words))),
        disguised=disguised,
    )


# --- Matching moderators' word lists ------------------------------------------


def _marks(word: str) -> str:
    """The word's Vietnamese marks, in any order: "hoà" and "hòa" are equal."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d\u0111"))
    return "".join(sorted(ch for ch in decomposed if not ch.isascii()))


def same_word(term: str, word: str, *, any_marks: bool = False) -> bool:
    """Whether ``word`` in a comment is the listed ``term``.

    The same letters with the same marks, wherever the tone sits; or the same
    letters written with no marks at all, as many readers type. "vay" never
    matches "vậy" unless the moderator asked for any marks (``any_marks``).
    """
    if fold(term) != fold(word):
        return False
    return any_marks or _marks(term) == _marks(word) or not _marks(word)


def find_term(term: str, reading: Reading, raw: str) -> bool:
    """Whether one line of a moderator's word list occurs in a comment.

    Words and phrases match whole words of the normalised text; a line that
    starts with "~" matches with any marks. A line with other signs (an
    email, "113.160.", a domain) matches the folded raw text as a piece.
    """
    term = term.strip().lower()
    any_marks = term.startswith("~")
    term = term.lstrip("~").strip()
    if not term:
        return False
    if not all(ch.isalnum() or ch.isspace() for ch in term):
        folded = fold(term)
        start = r"(?<!\w)" if folded[:1].isalnum() else ""
        end = r"(?!\w)" if folded[-1:].isalnum() else ""
        return bool(re.search(start + re.escape(folded) + end, fold(raw)))
    parts = unicodedata.normalize("NFC", term).split()
    words = reading.words
    for start in range(len(words) - len(parts) + 1):
        if all(
            same_word(part, word, any_marks=any_marks)
            for part, word in zip(parts, words[start : start + len(parts)], strict=True)
        ):
            return True
    # Spaces removed or letters typed one by one: "nhàcái", "c á đ ộ".
    together = fold("".join(parts))
    if len(parts) > 1 and any(fold(word) == together for word in words):
        return True
    return len(together) >= 3 and any(together in run for run in reading.spelled_out)
