"""Pages of the decision: the decisions and shortlists, the final audit with each entry's
checks and the caps, the decision form, a decision with its naming list (PDF, Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from qnwmh.audit.services import log_action
from qnwmh.awards.documents.naming import naming_groups, naming_heading, naming_pdf
from qnwmh.awards.exports.decision import naming_xlsx
from qnwmh.awards.forms.decision import DecideForm
from qnwmh.awards.models import Decision, Shortlist
from qnwmh.awards.selectors.decision import (
    audit_rows,
    caps_view,
    decision_detail,
    decisions_visible_to,
    shortlist_for_decision,
    shortlists_for_decision,
)
from qnwmh.awards.services import decision as services
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.permissions import can


def _audit_url(s: Shortlist) -> str:
    return reverse("awards:audit", args=[s.code])


@guarded("awards.view")
@require_safe
def decisions_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    city = can(actor, "awards.decide")
    return render(
        request,
        "awards/decision/decisions.html",
        {
            "decisions": decisions_visible_to(actor).prefetch_related("entries")[:100],
            "shortlists": shortlists_for_decision(actor) if city else [],
        },
    )


@guarded("awards.decide", load=shortlist_for_decision)
def audit_view(request: ActorRequest, s: Shortlist) -> HttpResponse:
    """The final list with its checks; the form decides the entries ticked (POST)."""
    rows = audit_rows(s)
    ready = [(r.entry.pk, str(r.entry.collective)) for r in rows if r.ready]
    form = DecideForm(request.POST or None, ready=ready)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.decide(
                request.actor,
                s,
                form.cleaned_data["entries"],
                document_no=form.cleaned_data["document_no"],
                decided_on=form.cleaned_data["decided_on"],
                audit_note=form.cleaned_data["audit_note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("已认定 %(n)s 个集体，证书已生成。") % {"n": len(done.certificates)},
            )
            for note in done.notes:
                messages.info(request, note)
            return redirect("awards:decision", code=done.decision.code)
    return render(
        request,
        "awards/decision/audit.html",
        {
            "s": s,
            "rows": rows,
            "ready_count": len(ready),
            "caps": caps_view(s),
            "form": form,
        },
    )


@guarded("awards.view", load=decision_detail)
@require_safe
def decision_view(request: ActorRequest, d: Decision) -> HttpResponse:
    groups = naming_groups(d)
    return render(
        request,
        "awards/decision/decision.html",
        {"d": d, "heading": naming_heading(d), "groups": groups},
    )


@guarded("awards.view", load=decision_detail)
@require_safe
def naming_pdf_view(request: ActorRequest, d: Decision) -> HttpResponse:
    response = HttpResponse(naming_pdf(d), content_type="application/pdf")
    log_action(request.actor, d, "awards.decision.printed")
    response["Content-Disposition"] = f'attachment; filename="naming-{d.code}.pdf"'
    return response


@guarded("awards.view", load=decision_detail)
@require_safe
def naming_xlsx_view(request: ActorRequest, d: Decision) -> HttpResponse:
    return naming_xlsx(request.actor, d)  # type: ignore[return-value]
