from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.permissions import can
from qnwmh.programme.forms import RulesForm
from qnwmh.programme.models import ProgrammeRules
from qnwmh.programme.services import rules_recompute_running, rules_update


@guarded("programme.view_rules", change="programme.edit_rules")
def rules_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    rules = ProgrammeRules.current()
    editable = can(actor, "programme.edit_rules")
    form = RulesForm(request.POST or None, instance=rules)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            rules_update(actor, values=form.changed_values())
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
