from django import forms
from django.utils.translation import gettext_lazy as _

from .credits import Role
from .models import Credit, Section


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


class SearchForm(forms.Form):
    """The reader's search: words, and optionally a section and a date range."""

    q = forms.CharField(
        label=_("Từ khóa"),
        max_length=200,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Ví dụ: dan van, Bến Tre")}),
    )
    chuyen_muc = forms.ModelChoiceField(
        label=_("Chuyên mục"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tất cả chuyên mục"),
        error_messages={"invalid_choice": _("Chuyên mục này không có.")},
    )
    tu = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập dạng 31/12/2026.")},
    )
    den = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập dạng 31/12/2026.")},
    )

    def _clean_day(self, name: str):
        day = self.cleaned_data.get(name)
        # The archive starts long after 1900; far dates would overflow later.
        if day and not 1900 <= day.year <= 2100:
            raise forms.ValidationError(_("Hãy chọn một ngày từ năm 1900 đến 2100."))
        return day

    def clean_tu(self):
        return self._clean_day("tu")

    def clean_den(self):
        return self._clean_day("den")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu"), cleaned.get("den")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return cleaned
