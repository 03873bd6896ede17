from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from . import pdf
from .models import Issue


class IssueAdminForm(forms.ModelForm):
    """The editor's upload: date, number and the PDF, checked by its content
    before anything is saved (editions/pdf.py)."""

    class Meta:
        model = Issue
        fields = ["date", "number", "pdf", "is_published"]
        widgets = {"pdf": forms.ClearableFileInput(attrs={"accept": ".pdf"})}

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        # Only a file chosen now is checked; the stored one was at its upload.
        if isinstance(upload, UploadedFile):
            try:
                self.pdf_facts = pdf.check(upload)
            except pdf.PdfRefused as refused:
                raise forms.ValidationError(refused.message, code="pdf") from None
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm trong báo in"),
        max_length=200,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Ví dụ: dan van")}),
    )
