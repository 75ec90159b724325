"""Forms that grant roles: on an existing user, or on a new one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor, Role
from qnwmh.core.forms import ScopedModelChoiceField, SearchableSelect
from qnwmh.orgs.selectors import organisations_visible_to


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    organisation = ScopedModelChoiceField(
        label=_("所属组织"), queryset=None, required=False, widget=SearchableSelect
    )
    collective = ScopedModelChoiceField(
        label=_("所属集体"), queryset=None, required=False, widget=SearchableSelect
    )

    def __init__(self, actor: Actor, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_visible_to(actor)  # type: ignore[attr-defined]
        collectives = collectives_visible_to(actor).only("id", "name", "sort_key")
        self.fields["collective"].queryset = collectives  # type: ignore[attr-defined]
        if not actor.is_city_admin:
            self.fields["role"].choices = [  # type: ignore[attr-defined]
                (Role.BODY_ADMIN.value, Role.BODY_ADMIN.label),
                (Role.COLLECTIVE_MANAGER.value, Role.COLLECTIVE_MANAGER.label),
            ]


class UserCreateForm(RoleGrantForm):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @.+-_。")},
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    field_order = [
        "username",
        "display_name",
        "email",
        "phone",
        "password",
        "role",
        "organisation",
        "collective",
    ]
