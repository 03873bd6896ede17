"""Authors: a contributor and an account that cannot log in until an
administrator sets its password, in the group the --roles option names."""

import re
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Contributor

from .. import wxr
from .base import K, RunBase, _digest, _unique_slug, _valid_email

# --roles values: our names or the groups' own (articles migration 0003).
ROLES = {
    "reporter": "Phóng viên",
    "editor": "Biên tập viên",
    "chief": "Tổng biên tập",
    "moderator": "Kiểm duyệt bình luận",
}
DEFAULT_ROLE = "reporter"


def parse_roles(value: str) -> dict[str, str]:
    """ "ha=editor,lan=chief" -> {"ha": "editor", "lan": "chief"}; raises ValueError."""
    roles = {}
    for pair in filter(None, (p.strip() for p in value.split(","))):
        login, _sep, role = pair.partition("=")
        role = role.strip()
        if role not in ROLES and role not in ROLES.values():
            raise ValueError(f"unknown role {role!r} (use {', '.join(ROLES)})")
        roles[login.strip()] = role
    return roles


class AuthorImport(RunBase):
    def author(self, author: wxr.Author) -> Contributor:
        login = author.login
        role = self.options.roles.get(login, DEFAULT_ROLE)
        group_name = ROLES.get(role, role)
        name = author.display_name or login
        digest = _digest(login, name, author.email, group_name)
        found, contributor = self._lookup(K.AUTHOR, login, Contributor)
        if author.wp_id:
            self.author_ids.add(author.wp_id)
        if contributor is not None and found.digest == digest:
            self.authors[login] = contributor
            self.report.count(K.AUTHOR, "unchanged")
            return contributor
        User = get_user_model()
        username = re.sub(r"[^\w.@+-]", "", login)[:150] or f"wp{author.wp_id}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, is_staff=True)
            user.set_unusable_password()
        elif found is None:
            self.report.note(f"Author {login}: linked to the existing account.")
        if found is None or user.pk is None or not user.has_usable_password():
            # Accounts the import made follow the export; others stay as they are.
            user.email = author.email if _valid_email(author.email) else ""
            user.first_name = author.first_name[:150]
            user.last_name = author.last_name[:150]
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
        contributor = contributor or Contributor.objects.filter(user=user).first()
        if contributor is None:
            contributor = Contributor(
                slug=_unique_slug(Contributor, name, 100), user=user
            )
        contributor.name = name[:100]
        contributor.full_clean()
        contributor.save()
        self._remember(K.AUTHOR, login, contributor, digest)
        self.redirect(f"/author/{unquote(login)}/", contributor)
        self.authors[login] = contributor
        self._outcome(K.AUTHOR, found)
        return contributor
