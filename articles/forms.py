import copy

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .credits import Role
from .models import Article, Credit
from .services import check_transition, stale_save_message


class CreditForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Vai trò"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một vai trò.")},
    )

    class Meta:
        model = Credit
        fields = ["contributor", "roles", "order"]


class ArticleAdminForm(forms.ModelForm):
    """The article form with the workflow's extra inputs.

    ``user`` and ``transition_name`` are set by ``ArticleAdmin.get_form``. The
    requested transition and the version check run in ``_post_clean`` so that a
    refusal shows on the form and nothing is saved.
    """

    user = None
    transition_name = ""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_note = forms.CharField(
        label=_("Ghi chú cho bước này"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Bắt buộc khi trả lại tác giả hoặc thu hồi bài."),
    )
    schedule_at = forms.SplitDateTimeField(
        label=_("Hẹn đăng lúc (giờ Việt Nam)"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Dùng với nút “Hẹn giờ đăng”."),
    )

    class Meta:
        model = Article
        # The admin narrows this to its fieldsets.
        fields = [
            "title",
            "slug",
            "kind",
            "section",
            "lead",
            "body",
            "tags",
            "lead_photo",
            "lead_photo_caption",
            "source_name",
            "source_url",
            "embargo_until",
            "is_commentable",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version

    def _post_clean(self):
        super()._post_clean()
        article = self.instance
        if article.pk is not None:
            self._refuse_stale_save(article)
        if self.transition_name and not self.errors:
            self._check_transition(article)

    def _refuse_stale_save(self, article: Article) -> None:
        # Locked until the admin's transaction ends, so a save cannot slip in
        # between this check and ours (PostgreSQL; SQLite serialises writes).
        current = Article.objects.select_for_update().get(pk=article.pk)
        loaded = self.cleaned_data.get("loaded_version")
        if loaded is None or loaded == current.version:
            return
        self.add_error(None, stale_save_message(article=current, loaded=loaded))

    def _check_transition(self, article: Article) -> None:
        if article.pk is None:
            article.created_by = self.user
        try:
            transition = check_transition(
                article=article,
                name=self.transition_name,
                by=self.user,
                note=self.cleaned_data.get("workflow_note", ""),
                at=self.cleaned_data.get("schedule_at"),
            )
            # Would the article be complete in its new state?
            probe = copy.copy(article)
            probe.status = transition.target
            probe.clean()
        except PermissionDenied as error:
            self.add_error(None, str(error))
        except ValidationError as error:
            self.add_error(None, error)
