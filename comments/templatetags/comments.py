"""``{% comment_block article %}``: the article page's comments and form.

The article page is a kept page, the same bytes for every reader, so its
forms carry no token: ``static/comments/tokens.js`` fetches the reader's own
(``comments:tokens``) when a form is first used. A page that answers a post
(the comment views pass ``comment_form``) is the reader's own and carries them.
"""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..defences import comments_open
from ..forms import CommentForm
from ..models import Comment, CommentSettings, thread
from ..services import is_newsroom_user

register = template.Library()


def _is_newsroom(request) -> bool:
    # A reader's request never touches the session: reading it would make
    # the page vary by cookie and keep it out of every cache.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and is_newsroom_user(
        request.user
    )


@register.simple_tag(takes_context=True)
def comment_block(context, article) -> SafeString:
    request = context["request"]
    config = CommentSettings.load()
    form = context.get("comment_form")
    with_tokens = form is not None
    if form is None:
        newsroom = _is_newsroom(request)
        form = CommentForm(
            article=article,
            form_max_age_hours=config.form_max_age_hours,
            initial=(
                {"name": _("Tòa soạn"), "email": request.user.email} if newsroom else {}
            ),
        )
    wanted = form.data.get("parent") if form.is_bound else form.initial.get("parent")
    wanted = wanted or request.GET.get("tra-loi")
    comments = thread(Comment.objects.for_article_page(article))
    reply_to = None
    if wanted and str(wanted).isdigit():
        reply_to = next((c for c in comments if str(c.pk) == str(wanted)), None)
    return render_to_string(
        "comments/_comments.html",
        {
            "article": article,
            "comments": comments,
            "comment_count": sum(1 + len(c.thread_replies) for c in comments),
            "is_open": comments_open(article, config),
            "form": form,
            "reply_to": reply_to,
            "with_tokens": with_tokens,
            "notice": context.get("comment_notice"),
        },
        request=request,
    )
