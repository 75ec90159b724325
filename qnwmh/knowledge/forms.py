from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.knowledge.models import Category, Exam, Question, QuestionKind
from qnwmh.knowledge.services import true_false_options

LETTERS = "ABCDEF"


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("类别"), max_length=50)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=9999, initial=0)


class QuestionForm(forms.Form):
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    stem = forms.CharField(label=_("题干"), max_length=2000, widget=forms.Textarea({"rows": 3}))
    rule_ref = forms.CharField(
        label=_("依据条款"),
        max_length=200,
        help_text=_("例如：中山市实施意见 三、（二）"),
    )
    explanation = forms.CharField(
        label=_("解析"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )
    option_a = forms.CharField(label=_("选项 A"), max_length=300, required=False)
    option_b = forms.CharField(label=_("选项 B"), max_length=300, required=False)
    option_c = forms.CharField(label=_("选项 C"), max_length=300, required=False)
    option_d = forms.CharField(label=_("选项 D"), max_length=300, required=False)
    option_e = forms.CharField(label=_("选项 E"), max_length=300, required=False)
    option_f = forms.CharField(label=_("选项 F"), max_length=300, required=False)
    correct = forms.MultipleChoiceField(
        label=_("正确答案"),
        choices=[(c, c) for c in LETTERS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("判断题可不填选项：勾选 A 表示“正确”，勾选 B 表示“错误”。"),
    )

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(question)
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(active=True)
        if question is not None:
            categories = categories | Category.objects.filter(pk=question.category_id)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]

    def options(self) -> list[tuple[str, bool]]:
        """The options typed, with whether each is correct (blank ones dropped later)."""
        data = self.cleaned_data
        ticked = set(data.get("correct", []))
        typed = [(data.get(f"option_{c.lower()}", ""), c in ticked) for c in LETTERS]
        if data.get("kind") == QuestionKind.TRUE_FALSE and not any(t for t, _c in typed):
            return true_false_options("A" in ticked)
        return typed


def initial_of(question: Question) -> dict[str, Any]:
    options = list(question.options.all())
    out: dict[str, Any] = {
        "category": question.category_id,
        "kind": question.kind,
        "stem": question.stem,
        "rule_ref": question.rule_ref,
        "explanation": question.explanation,
        "correct": [LETTERS[i] for i, o in enumerate(options[:6]) if o.correct],
    }
    for i, option in enumerate(options[:6]):
        out[f"option_{LETTERS[i].lower()}"] = option.text
    return out


class ExamForm(forms.Form):
    """The paper's make-up (questions per category), time limit and window."""

    time_limit_minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=1, max_value=600)
    opens_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )

    def __init__(self, *args: Any, exam: Exam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = list(Category.objects.filter(active=True))
        for category in self.categories:
            self.fields[f"count_{category.code}"] = forms.IntegerField(
                label=_("“%(name)s”题数") % {"name": category.name},
                min_value=0,
                max_value=200,
                initial=exam.category_counts.get(category.code, 0),
            )
        local = timezone.localtime
        self.initial.setdefault("time_limit_minutes", exam.time_limit_minutes)
        self.initial.setdefault("opens_at", local(exam.opens_at).strftime("%Y-%m-%dT%H:%M"))
        self.initial.setdefault("closes_at", local(exam.closes_at).strftime("%Y-%m-%dT%H:%M"))

    def category_counts(self) -> dict[str, int]:
        return {c.code: self.cleaned_data.get(f"count_{c.code}") or 0 for c in self.categories}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("题库文件（.xlsx）"))
    check_only = forms.BooleanField(label=_("只检查，不导入"), required=False)
