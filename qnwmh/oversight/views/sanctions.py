"""Back-office pages of the sanctions part: sanctions (list, detail, propose, impose, confirm,
withdraw), rectification orders (list, detail, order, report, verify) and a title's history.
Every check is the services'; the pages offer only what the ladder allows."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.collectives.models import Title
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can, require
from qnwmh.core.querystring import Query
from qnwmh.oversight import ladder
from qnwmh.oversight.exports.sanctions import rectifications_export, sanctions_export
from qnwmh.oversight.forms.sanctions import (
    NoteForm,
    OrderForm,
    ReportForm,
    SanctionForm,
    TitlePickForm,
    VerifyForm,
)
from qnwmh.oversight.models import (
    RECTIFICATION_TRANSITIONS,
    Basis,
    Rectification,
    RectificationStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from qnwmh.oversight.selectors import sanctions as sel
from qnwmh.oversight.selectors.standing import standing_of
from qnwmh.oversight.services import rectification as rectifications
from qnwmh.oversight.services import sanctions as services

# The query parameters other pages link with (``?title=…&visit=…``) and the basis each implies.
PRESELECT = {"case": Basis.REVIEW_CASE, "visit": Basis.SPOT_CHECK, "complaint": Basis.COMPLAINT}


def _sanction_url(s: Sanction) -> str:
    return reverse("oversight:sanction", args=[s.code])


def _rectification_url(r: Rectification) -> str:
    return reverse("oversight:rectification", args=[r.code])


def _title_url(t: Title) -> str:
    return reverse("oversight:title", args=[t.code])


def _preselected(request: ActorRequest) -> dict[str, str]:
    q = Query(request.GET)
    for name, basis in PRESELECT.items():
        code = q.text(name, max_length=16)
        if code:
            return {"basis": basis, "reference": code}
    return {}


def _picked_title(request: ActorRequest) -> Title | None:
    # The form posts the title back (hidden) besides the query string it was opened with.
    code = Query(request.GET).text("title", max_length=12) or Query(request.POST).text(
        "title", max_length=12
    )
    if not code:
        return None
    return sel.title_detail(request.actor, code.upper())


# Sanctions --------------------------------------------------------------------------------------


@guarded("oversight.view", check_first=True)
@require_safe
def sanctions_view(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    filters = sel.SanctionFilters.from_query(request.GET)
    if request.GET.get("format") == "xlsx":
        return sanctions_export(actor, filters)
    page = paginate(request, sel.sanction_rows(actor, filters))
    return render(
        request,
        "oversight/sanctions/sanctions.html",
        {
            "page": page,
            "filters": filters,
            "kinds": SanctionKind.choices,
            "statuses": SanctionStatus.choices,
            "bases": Basis.choices,
            "bodies": sel.filter_bodies(actor),
            "years": [(y, y) for y in sel.sanction_years()],
            "qs": querystring_without_page(request),
            "can_impose": actor.is_city_admin,
        },
    )


@guarded("oversight.view", load=sel.sanction_detail, check_first=True)
@require_safe
def sanction_view(request: ActorRequest, sanction: Sanction) -> HttpResponse:
    return _sanction_page(request, sanction)


def _sanction_page(
    request: ActorRequest, s: Sanction, *, form: NoteForm | None = None, status: int = 200
) -> HttpResponse:
    decide = s.status == SanctionStatus.PROPOSED and can(
        request.actor, "oversight.impose_sanction", s.collective
    )
    return render(
        request,
        "oversight/sanctions/sanction.html",
        {
            "s": s,
            "files": list(s.evidence.all()),
            "standing": standing_of(s.title),
            "form": (form or NoteForm()) if decide else None,
            "exit": getattr(s, "exit", None) if s.kind == SanctionKind.REVOCATION else None,
            # The review and spot-check parts' pages, when installed.
            "case_url": reverse("oversight:review_case", args=[s.case.code]) if s.case else "",
            "visit_url": reverse("oversight:visit", args=[s.visit.code]) if s.visit else "",
        },
        status=status,
    )


def _sanction_form_view(request: ActorRequest, *, impose: bool) -> HttpResponse:
    actor = request.actor
    title = _picked_title(request)
    if title is None:
        return render(
            request,
            "oversight/sanctions/pick_title.html",
            {"form": TitlePickForm(request.GET or None), "impose": impose},
        )
    require(
        actor,
        "oversight.impose_sanction" if impose else "oversight.propose_sanction",
        title.collective,
    )
    standing = standing_of(title)
    kinds = ladder.allowed_kinds(standing.standing, title.stars)
    form = SanctionForm(kinds, request.POST or None, initial=_preselected(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        act = services.impose if impose else services.propose
        try:
            with transaction.atomic():
                refs = sel.references(actor, title, data["basis"], data["reference"])
                s = act(
                    actor,
                    title=title,
                    kind=data["kind"],
                    basis=data["basis"],
                    reason=data["reason"],
                    category=data["category"],
                    evidence=request.FILES.getlist("files"),
                    basis_note=data["basis_note"],
                    **refs,
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("处理已作出。") if impose else _("处理建议已提交市级确认。")
            )
            return redirect(_sanction_url(s))
    return render(
        request,
        "oversight/sanctions/sanction_form.html",
        {
            "t": title,
            "standing": standing,
            "next_step": ladder.next_step(standing.standing, title.stars),
            "form": form if kinds else None,
            "impose": impose,
            "pending": Sanction.objects.filter(title=title, status=SanctionStatus.PROPOSED).first(),
        },
        status=400 if form.errors else 200,
    )


@guarded("oversight.view", check_first=True)
def sanction_propose_view(request: ActorRequest) -> HttpResponse:
    return _sanction_form_view(request, impose=False)


@guarded("oversight.view", check_first=True)
def sanction_impose_view(request: ActorRequest) -> HttpResponse:
    return _sanction_form_view(request, impose=True)


@guarded("oversight.impose_sanction", load=sel.sanction_detail, of="collective", back=_sanction_url)
@require_POST
def sanction_confirm_view(request: ActorRequest, sanction: Sanction) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _sanction_page(request, sanction, form=form, status=400)
    if sanction.kind == SanctionKind.REVOCATION and not is_confirmed(request):
        return ask(
            request,
            _("确认后该称号即被撤销并退出，不可恢复。确定确认？"),
            back=_sanction_url(sanction),
        )
    try:
        services.confirm(request.actor, sanction, note=form.cleaned_data["note"])
    except DomainError as exc:
        add_domain_error(form, exc)
        return _sanction_page(request, sanction, form=form, status=400)
    messages.success(request, _("处理已确认生效。"))
    return redirect(_sanction_url(sanction))


@guarded("oversight.impose_sanction", load=sel.sanction_detail, of="collective", back=_sanction_url)
@require_POST
def sanction_withdraw_view(request: ActorRequest, sanction: Sanction) -> HttpResponse:
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(request.actor, sanction, note=form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("处理建议已撤回。"))
            return redirect(_sanction_url(sanction))
    return _sanction_page(request, sanction, form=form, status=400)


# Rectification ----------------------------------------------------------------------------------


@guarded("oversight.follow_up", check_first=True)
@require_safe
def rectifications_view(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    filters = sel.RectificationFilters.from_query(request.GET)
    if request.GET.get("format") == "xlsx":
        return rectifications_export(actor, filters)
    page = paginate(request, sel.rectification_list(actor, filters))
    return render(
        request,
        "oversight/sanctions/rectifications.html",
        {
            "page": page,
            "filters": filters,
            "statuses": RectificationStatus.choices,
            "states": [("overdue", _("已逾期未报")), ("late", _("逾期提交"))],
            "bodies": sel.filter_bodies(actor),
            "qs": querystring_without_page(request),
        },
    )


@guarded("oversight.follow_up", load=sel.rectification_detail, check_first=True)
@require_safe
def rectification_view(request: ActorRequest, rectification: Rectification) -> HttpResponse:
    actor, r = request.actor, rectification
    movable = {value for value, _label in RECTIFICATION_TRANSITIONS.next_states(r)}
    return render(
        request,
        "oversight/sanctions/rectification.html",
        {
            "r": r,
            "overdue": r.overdue(),
            "files": list(r.evidence.all()),
            "can_report": RectificationStatus.REPORTED in movable
            and can(actor, "oversight.report_rectification", r.collective),
            "can_verify": RectificationStatus.PASSED in movable
            and can(actor, "oversight.order_rectification", r.collective),
            "proposals": list(r.sanctions.all()) if actor.is_staff_of_body else [],
        },
    )


@guarded("oversight.view", check_first=True)
def rectification_order_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    title = _picked_title(request)
    if title is None:
        return render(
            request,
            "oversight/sanctions/pick_title.html",
            {"form": TitlePickForm(request.GET or None), "order": True},
        )
    require(actor, "oversight.order_rectification", title.collective)
    sanction_code = Query(request.GET).text("sanction", max_length=12)
    sanction = (
        sel.sanctions_visible_to(actor).filter(code=sanction_code, title=title).first()
        if sanction_code
        else None
    )
    initial = {**_preselected(request), "due_on": rectifications.default_due()}
    form = OrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            refs = sel.references(actor, title, data["basis"], data["reference"])
            r = rectifications.order(
                actor,
                title=title,
                basis=data["basis"],
                requirements=data["requirements"],
                due_on=data["due_on"],
                sanction=sanction,
                **refs,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已责令整改。"))
            return redirect(_rectification_url(r))
    return render(
        request,
        "oversight/sanctions/order_form.html",
        {"t": title, "form": form, "sanction": sanction, "standing": standing_of(title)},
        status=400 if form.errors else 200,
    )


@guarded(
    "oversight.report_rectification",
    load=sel.rectification_detail,
    of="collective",
    back=_rectification_url,
)
def rectification_report_view(request: ActorRequest, rectification: Rectification) -> HttpResponse:
    r = rectification
    RECTIFICATION_TRANSITIONS.check(r, RectificationStatus.REPORTED)
    form = ReportForm(request.POST or None, initial={"text": r.report})
    if request.method == "POST" and form.is_valid():
        try:
            rectifications.report(
                request.actor,
                r,
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("files"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("整改报告已提交。"))
            return redirect(_rectification_url(r))
    return render(
        request,
        "oversight/sanctions/report_form.html",
        {"r": r, "form": form, "overdue": r.overdue(), "files": list(r.evidence.all())},
        status=400 if form.errors else 200,
    )


@guarded(
    "oversight.order_rectification",
    load=sel.rectification_detail,
    of="collective",
    back=_rectification_url,
)
def rectification_verify_view(request: ActorRequest, rectification: Rectification) -> HttpResponse:
    r = rectification
    RECTIFICATION_TRANSITIONS.check(r, RectificationStatus.PASSED)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rectifications.verify(
                request.actor, r, passed=form.cleaned_data["passed"], note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("核查结果已记录。"))
            return redirect(_rectification_url(r))
    return render(
        request,
        "oversight/sanctions/verify_form.html",
        {"r": r, "form": form, "files": list(r.evidence.all())},
        status=400 if form.errors else 200,
    )


# A title's history ------------------------------------------------------------------------------


@guarded("oversight.view_title", load=sel.title_detail, of="collective")
@require_safe
def title_view(request: ActorRequest, title: Title) -> HttpResponse:
    actor = request.actor
    collective = title.collective
    return render(
        request,
        "oversight/sanctions/title.html",
        {
            "t": title,
            "standing": standing_of(title),
            "events": sel.history(actor, title),
            "exit": getattr(title, "exit", None),
            "can_propose": not actor.is_city_admin
            and can(actor, "oversight.propose_sanction", collective),
            "can_impose": can(actor, "oversight.impose_sanction", collective),
            "can_order": can(actor, "oversight.order_rectification", collective),
        },
    )
