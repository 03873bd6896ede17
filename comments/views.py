from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import render_article

from .defences import RateLimited, client_ip, comments_open, form_token
from .forms import CommentForm
from .models import Comment, CommentSettings
from .services import comment_report, comment_submit

FORM_FIELDS = ("name", "email", "body", "parent")


def _refused(
    request: HttpRequest, article: Article, form: CommentForm, status: int
) -> HttpResponse:
    """The form back with its errors and everything the reader typed."""
    if status == 429:
        # A flood gets a light page: no comments, credits or photos to load.
        return render(
            request,
            "comments/comment_retry.html",
            {"article": article, "form": form},
            status=status,
        )
    detailed = Article.objects.for_detail().get(pk=article.pk)
    return render_article(request, detailed, comment_form=form, status=status)


@require_GET
@never_cache
def comment_tokens(request: HttpRequest, pk: int) -> JsonResponse:
    """The reader's own tokens for the forms of a kept article page
    (static/comments/tokens.js): Django's CSRF token, with its cookie, and the
    comment form's signed time."""
    return JsonResponse({"csrf": get_token(request), "token": form_token(pk)})


@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.published().select_related("section"), pk=pk
    )
    config = CommentSettings.load()
    form = CommentForm(
        request.POST, article=article, form_max_age_hours=config.form_max_age_hours
    )
    if not comments_open(article, config):
        form.add_error(None, _("Bài viết này đã đóng bình luận."))
        return _refused(request, article, form, 403)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = comment_submit(
                article=article,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                parent_id=data["parent"],
                issued_at=form.issued_at,
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                by=request.user,
                config=config,
            )
        except RateLimited as limited:
            form.add_error(None, limited.message)
            status = 429
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if comment.status == Comment.Status.APPROVED:
                messages.success(request, _("Cảm ơn bạn! Bình luận đã được đăng."))
                return redirect(comment.get_absolute_url())
            # Spam is acknowledged like any held comment: no hint for the sender.
            messages.success(
                request,
                _("Cảm ơn bạn! Bình luận đã được gửi và đang chờ kiểm duyệt."),
            )
            return redirect(f"{article.get_absolute_url()}#binh-luan")
    return _refused(request, article, form, status)


def _form_again(
    request: HttpRequest, notice: str, status: int, initial: dict | None = None
) -> HttpResponse:
    """The article page with the comment form and ``notice``: nothing saved."""
    pk = request.resolver_match.kwargs["pk"]
    article = get_object_or_404(Article.objects.published().for_detail(), pk=pk)
    config = CommentSettings.load()
    form = CommentForm(
        article=article, form_max_age_hours=config.form_max_age_hours, initial=initial
    )
    return render_article(
        request, article, comment_form=form, comment_notice=notice, status=status
    )


def comment_create_unconfirmed(request: HttpRequest) -> HttpResponse:
    """A comment posted without a valid CSRF token: from a kept page without
    JavaScript, or after the cookie expired. Nothing is saved; the page comes
    back with what the reader typed and their own tokens, to send once more."""
    notice = _(
        "Bình luận của bạn chưa được gửi. Vui lòng kiểm tra rồi bấm "
        "“Gửi bình luận” một lần nữa để xác nhận."
    )
    initial = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    return _form_again(request, notice, 403, initial)


def comment_create_too_big(request: HttpRequest) -> HttpResponse:
    """A post too big for Django to read: nothing of it can be shown again,
    so the reader is told why and where their text still is."""
    notice = _(
        "Bình luận quá dài nên chưa được gửi (tối đa %(limit)s ký tự). Nội dung "
        "bạn viết vẫn còn ở trang trước: hãy quay lại, rút gọn rồi gửi lại."
    ) % {"limit": Comment._meta.get_field("body").max_length}
    return _form_again(request, notice, 413)


# Called by paper.views for this view's refused posts.
comment_create.csrf_failure = comment_create_unconfirmed
comment_create.request_too_big = comment_create_too_big


@require_POST
def comment_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    comment_report(comment=comment, ip_address=client_ip(request))
    messages.success(
        request,
        _("Cảm ơn bạn đã báo. Tòa soạn sẽ xem xét lại bình luận này."),
    )
    return redirect(f"{comment.article.get_absolute_url()}#binh-luan")


def comment_report_unconfirmed(request: HttpRequest) -> HttpResponse:
    """A report sent without a valid CSRF token: asked once more, with one."""
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article"),
        pk=request.resolver_match.kwargs["pk"],
        article__in=Article.objects.published(),
    )
    return render(
        request, "comments/report_confirm.html", {"comment": comment}, status=403
    )


comment_report_view.csrf_failure = comment_report_unconfirmed
