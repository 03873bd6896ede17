from django import forms
from django.utils.translation import gettext_lazy as _

from .credits import Role
from .models import Credit


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
