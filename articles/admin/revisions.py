"""Two revisions of an article side by side, for the revisions page."""

import difflib

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..services import describe_changes


def compare_rows(left: dict, right: dict) -> list[dict]:
    """One row per field, both sides, words removed and added marked up."""
    rows = []
    for label, before, after in describe_changes(left, right):
        rows.append({"label": label, "left": before, "right": after, "changed": True})
    changed = {row["label"] for row in rows}
    # Compared with nothing, each field's value is the "after" side.
    for label, _nothing, value in describe_changes({}, right):
        if label not in changed:
            rows.append(
                {"label": label, "left": value, "right": value, "changed": False}
            )
    for row in rows:
        row["left_html"], row["right_html"] = word_diff(row["left"], row["right"])
    return rows


def word_diff(before: str, after: str) -> tuple[str, str]:
    """Both texts escaped, with removed words in <del> and added ones in <ins>."""
    old, new = before.split(), after.split()
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = escape(" ".join(old[i1:i2])), escape(" ".join(new[j1:j2]))
        if op == "equal":
            left.append(a)
            right.append(b)
            continue
        if a:
            left.append(f"<del>{a}</del>")
        if b:
            right.append(f"<ins>{b}</ins>")
    # Every piece was escaped above; only our own tags are added.
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308
