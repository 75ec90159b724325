"""A file field accepting several files at once (photos from a phone), for any app's form.
The field only collects the files; ``services.store_upload`` decides what they are."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPT = (
    "image/jpeg,image/png,image/webp,image/heic,image/heif,"
    "video/mp4,video/quicktime,application/pdf"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, max_files: int = 20, **kwargs: Any) -> None:
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = (
            [single(d, initial) for d in data]
            if isinstance(data, list | tuple)
            else ([single(data, initial)] if data else [])
        )
        files = [f for f in files if f]
        if len(files) > self.max_files:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个文件。") % {"n": self.max_files})
        if self.required and not files:
            raise forms.ValidationError(_("请选择至少一个文件。"))
        return files
