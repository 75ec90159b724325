"""Forms of consultations. The reply form is built per request: one optional text box per
section of the draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.consultation.drafts import read_upload
from qnwmh.consultation.models import Disposition, Section
from qnwmh.core.errors import DomainError
from qnwmh.orgs.models import Organisation


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    deadline = forms.DateTimeField(
        label=_("反馈截止时间"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea({"rows": 3}))
    allow_public = forms.BooleanField(label=_("同时接受公众意见"), required=False)
    text = forms.CharField(
        label=_("草案全文"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea({"rows": 12}),
        help_text=_("按草案自身的“一、”“（一）”标题自动分节。也可以上传文件。"),
    )
    upload = forms.FileField(label=_("或上传 .txt / .docx 文件"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            try:
                data["text"] = read_upload(upload, upload.name)
            except DomainError as exc:
                self.add_error("upload", str(exc))
        elif not (data.get("text") or "").strip():
            self.add_error("text", _("请粘贴草案全文或上传文件。"))
        return data


def section_field(section: Section) -> str:
    return f"s{section.pk}"


class ReplyForm(forms.Form):
    rest_no_comment = forms.BooleanField(label=_("其余章节无意见"), required=False, initial=True)

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for s in sections:
            self.fields[section_field(s)] = forms.CharField(
                label=str(s),
                required=False,
                max_length=5000,
                widget=forms.Textarea({"rows": 3}),
            )

    def comments(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(section_field(s)) or "" for s in self.sections}

    def rows(self) -> list[tuple[Section, forms.BoundField]]:
        return [(s, self[section_field(s)]) for s in self.sections]


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label=_("处理结果"), choices=Disposition.choices)
    reason = forms.CharField(
        label=_("理由"), max_length=5000, required=False, widget=forms.Textarea({"rows": 2})
    )


class PublishForm(forms.Form):
    final_text = forms.CharField(
        label=_("定稿文本"), max_length=200_000, widget=forms.Textarea({"rows": 16})
    )


class PublicCommentForm(forms.Form):
    section = forms.TypedChoiceField(label=_("章节"), coerce=int)
    text = forms.CharField(label=_("意见"), max_length=5000, widget=forms.Textarea({"rows": 4}))
    name = forms.CharField(label=_("姓名（选填）"), max_length=50, required=False)
    contact = forms.CharField(label=_("联系方式（选填，不公开）"), max_length=100, required=False)

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, str(s)) for s in sections]  # type: ignore[attr-defined]


class OpenForm(forms.Form):
    """The roster the draft goes to: every active managing body unless the city unticks some."""

    bodies = forms.ModelMultipleChoiceField(
        label=_("征求对象"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("征求对象名单为空，请至少选择一个组织管理机构。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bodies"]
        field.queryset = Organisation.objects.bodies().filter(active=True).order_by("path")  # type: ignore[attr-defined]
        field.initial = list(field.queryset)  # type: ignore[attr-defined]


class EditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    deadline = forms.DateTimeField(
        label=_("反馈截止时间"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea({"rows": 3}))
    allow_public = forms.BooleanField(label=_("同时接受公众意见"), required=False)
