from __future__ import annotations

from django.http.response import HttpResponseBase
from django.shortcuts import render

from qnwmh.audit.display import object_q, present
from qnwmh.audit.exports import audit_export, wants_xlsx
from qnwmh.audit.labels import action_choices
from qnwmh.audit.models import AuditEntry
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.querystring import Query


@guarded("audit.view")
def audit_log(request: ActorRequest) -> HttpResponseBase:
    qs = AuditEntry.objects.all()
    query = Query(request.GET)
    f = {k: query.text(k, max_length=150) for k in ("code", "actor", "object", "since", "until")}
    if f["code"]:
        # A labelled action from the select; a typed prefix (old links) still narrows.
        qs = qs.filter(code__startswith=f["code"])
    if f["actor"]:
        qs = qs.filter(actor_label__icontains=f["actor"])
    if f["object"]:
        qs = qs.filter(object_q(f["object"][:100]))
    if since := query.date("since"):
        qs = qs.filter(at__date__gte=since)
    if until := query.date("until"):
        qs = qs.filter(at__date__lte=until)
    if wants_xlsx(request):
        return audit_export(request.actor, qs, f)
    page = paginate(request, qs, per_page=50)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "rows": present(list(page.object_list)),
            "actions": action_choices(),
            "f": f,
            "qs": querystring_without_page(request),
        },
    )
