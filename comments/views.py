from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import render_article

from .forms import CommentForm
from .services import comment_submit


@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().for_detail(), pk=pk)
    form = CommentForm(request.POST)
    if not article.is_commentable:
        form.add_error(None, _("Bài viết này đã đóng bình luận."))
        return render_article(request, article, comment_form=form, status=403)
    if form.is_valid():
        try:
            comment_submit(
                article=article,
                ip_address=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Cảm ơn bạn! Bình luận đã được gửi và đang chờ kiểm duyệt."),
            )
            return redirect(f"{article.get_absolute_url()}#binh-luan")
    return render_article(request, article, comment_form=form, status=400)
