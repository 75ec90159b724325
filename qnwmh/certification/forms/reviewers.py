"""Forms of the reviewers part. Choices over scoped objects use ``ScopedModelChoiceField``:
a posted id outside the choices answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.accounts.models import User
from qnwmh.certification.models import Panel, ReviewArea, Reviewer
from qnwmh.core.forms import ScopedModelChoiceField, SearchableSelect
from qnwmh.orgs.models import Organisation, Town


class ScopedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice whose tampered ids answer 404, like ``ScopedModelChoiceField``."""

    def _check_values(self, value: Any) -> Any:
        from django.http import Http404

        try:
            return super()._check_values(value)  # type: ignore[misc]
        except forms.ValidationError as exc:
            if exc.code == "invalid_choice" or exc.code == "invalid_pk_value":
                raise Http404 from None
            raise


class AreaForm(forms.Form):
    name = forms.CharField(label=_("片区名称"), max_length=50)
    towns = ScopedMultipleChoiceField(
        label=_("镇区"),
        queryset=Town.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def clean_sort_order(self) -> int:
        return self.cleaned_data.get("sort_order") or 0


class ProfileForm(forms.Form):
    expertise = forms.CharField(label=_("专业领域"), max_length=100)
    employer = forms.CharField(
        label=_("工作单位"),
        max_length=100,
        help_text=_("与集体所在单位相同（或互相包含）时自动回避。"),
    )
    body = ScopedModelChoiceField(
        label=_("所属组织管理机构"),
        queryset=Organisation.objects.bodies().filter(active=True),
        required=False,
        widget=SearchableSelect,
        help_text=_("评委回避该机构及其下级机构的集体；团市委工作人员请留空。"),
    )
    town = ScopedModelChoiceField(
        label=_("所在镇区"), queryset=Town.objects.filter(active=True), required=False
    )
    areas = ScopedMultipleChoiceField(
        label=_("服务片区"),
        queryset=ReviewArea.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReviewerCreateForm(ProfileForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=150)
    email = forms.EmailField(label=_("邮箱"), required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)

    field_order = ["username", "display_name", "email", "phone"]


class ReviewerEditForm(ProfileForm):
    active = forms.BooleanField(label=_("在库"), required=False)


class PanelForm(forms.Form):
    members = ScopedMultipleChoiceField(
        label=_("评委"), queryset=Reviewer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    chair = ScopedModelChoiceField(
        label=_("组长"), queryset=Reviewer.objects.none(), required=False
    )
    secretary = ScopedModelChoiceField(
        label=_("秘书"), queryset=User.objects.none(), required=False
    )

    def __init__(self, area: ReviewArea, panel: Panel | None, *args: Any, **kwargs: Any) -> None:
        if panel is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "members": list(panel.members.all()),
                "chair": panel.chair,
                "secretary": panel.secretary,
            }
        super().__init__(*args, **kwargs)
        pool = Reviewer.objects.filter(active=True, areas=area).select_related("user")
        self.fields["members"].queryset = pool  # type: ignore[attr-defined]
        self.fields["chair"].queryset = pool  # type: ignore[attr-defined]
        self.fields["secretary"].queryset = staff_accounts()  # type: ignore[attr-defined]


def staff_accounts() -> Any:
    """League staff who may act as a panel secretary (active city or body admins)."""
    from qnwmh.access.models import RoleAssignment

    ids = RoleAssignment.objects.active().filter(role__in=["city_admin", "body_admin"])
    return User.objects.filter(is_active=True, id__in=ids.values("user_id")).order_by("username")


class DrawForm(forms.Form):
    area = ScopedModelChoiceField(label=_("片区"), queryset=ReviewArea.objects.all())
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=2**62,
        help_text=_("留空则随机生成；填写以前记录的种子可复现同一结果。"),
    )


class ManualAssignForm(forms.Form):
    reviewer = ScopedModelChoiceField(label=_("评委"), queryset=Reviewer.objects.none())

    def __init__(self, candidates: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
