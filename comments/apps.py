from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Bình luận")

    def ready(self):
        from pagecache.purge import watch

        from .models import Comment, CommentSettings

        watch(Comment, Comment.purge_keys)
        watch(CommentSettings, CommentSettings.purge_keys)
