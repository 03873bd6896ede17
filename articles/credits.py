"""Credit roles and the byline rule of the Vietnamese press."""

from collections.abc import Iterable, Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Declaration order is the byline's order: text first, then pictures.
    TEXT = "text", _("Nội dung")
    PHOTO = "photo", _("Ảnh")
    VIDEO = "video", _("Video")
    GRAPHICS = "graphics", _("Đồ họa")
    TRANSLATION = "translation", _("Dịch")


# How each role is printed in a byline. The text role depends on the article:
# a news brief is "Tin", a feature or report is "Bài".
_TEXT_LABEL = {"news": _("Tin"), "feature": _("Bài")}
_ROLE_LABEL = {
    Role.PHOTO: _("ảnh"),
    Role.VIDEO: _("video"),
    Role.GRAPHICS: _("đồ họa"),
    Role.TRANSLATION: _("dịch"),
}


def _label(role: str, kind: str) -> str:
    if role == Role.TEXT:
        return str(_TEXT_LABEL.get(kind, _TEXT_LABEL["news"]))
    return str(_ROLE_LABEL[Role(role)])


def byline(credits: Iterable[tuple[str, Sequence[str]]], *, kind: str) -> str:
    """The credit line for ``credits``, a list of (name, roles) in credit order.

    Roles credited to exactly the same people are merged, as papers print them:
    one person writing and photographing gives "Tin, ảnh: Thu Huyền"; different
    people give "Bài: Hữu Hiệp - Ảnh: Thu Huyền"; several people in one role are
    joined: "Tin, ảnh: Thu Huyền - Hữu Hiệp".
    """
    people_by_role: dict[str, list[str]] = {}
    for name, roles in credits:
        for role in roles:
            names = people_by_role.setdefault(role, [])
            if name not in names:
                names.append(name)

    groups: list[tuple[list[str], list[str]]] = []  # (roles, names)
    for role in Role.values:
        names = people_by_role.get(role)
        if not names:
            continue
        for group_roles, group_names in groups:
            if group_names == names:
                group_roles.append(role)
                break
        else:
            groups.append(([role], names))

    parts = []
    for roles, names in groups:
        label = ", ".join(_label(role, kind) for role in roles)
        parts.append(f"{label[:1].upper()}{label[1:]}: {' - '.join(names)}")
    return " - ".join(parts)
