from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import can, require
from qnwmh.programme.forms import RulesForm
from qnwmh.programme.models import ProgrammeRules
from qnwmh.programme.services import rules_recompute_running, rules_update


@login_required
def rules_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "programme.view_rules")
    rules = ProgrammeRules.current()
    editable = can(actor, "programme.edit_rules")
    form = RulesForm(request.POST or None, instance=rules)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST":
        require(actor, "programme.edit_rules")
        if form.is_valid():
            try:
                rules_update(actor, values={n: form.cleaned_data[n] for n in form.changed_data})
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("规则已保存，所有集体的资格将按新规则重新计算。"))
                return redirect("programme:rules")
    return render(
        request,
        "programme/rules.html",
        {"form": form, "editable": editable, "recomputing": rules_recompute_running()},
    )
