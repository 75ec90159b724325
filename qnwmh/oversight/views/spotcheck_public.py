"""The public reproduction page of a spot check: the year, seed, share, population size, the
strata, the sample by collective name, how to draw it again, a form that re-draws with any
seed and says whether it matches, and the population as JSON (title ids with their strata,
nothing about people)."""

from __future__ import annotations

from html import escape

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.oversight import draw as sampling
from qnwmh.oversight.forms.spotcheck import RedrawForm
from qnwmh.oversight.models import SpotCheck
from qnwmh.oversight.selectors import spotcheck as sel
from qnwmh.oversight.services.spotcheck import redraw


@guarded(public=True, load=sel.public_spot_check)
@require_safe
def spot_check_view(request: ActorRequest, check: SpotCheck) -> HttpResponse:
    form = RedrawForm(request.GET if "seed" in request.GET else None)
    again = None
    if form.is_bound and form.is_valid():
        sample = redraw(check, form.cleaned_data["seed"])
        again = {
            "count": len(sample),
            "ids": ", ".join(map(str, sample)),
            "matches": sample == check.drawn,
        }
    population_url = reverse("oversight_public:spot_check_population", args=[check.code])
    return render(
        request,
        "oversight/spotcheck/public.html",
        {
            "c": check,
            "population": sel.summary(check).size,
            "strata": sel.strata_table(check),
            "sample": _sample_html(sel.sample_rows(check)),
            "form": form,
            "again": again,
            "population_url": population_url,
            "snippet": sampling.SNIPPET.replace("PCT", str(check.pct)).replace("SEED", check.seed),
        },
        status=400 if form.errors else 200,
    )


def _sample_html(rows: list[sel.SampleRow]) -> str:
    """The sample as list items, built here: a template loop over 20,000 names (a 20% draw of
    a big city) takes seconds, this a few milliseconds. Every name is escaped."""
    required = escape(str(_("属实投诉必检")))
    return mark_safe(
        "".join(
            f'<li>{escape(r.collective)} <span class="small muted">{escape(r.town)}'
            f"{' · ' + required if r.required else ''}</span></li>"
            for r in rows
        )
    )


def population_json(check: SpotCheck) -> dict:
    return {
        "code": check.code,
        "year": check.year,
        "pct": check.pct,
        "seed": check.seed,
        "fields": ["title_id", "town_id", "sector_id", "ownership"],
        "population": check.population,
        "drawn": check.drawn,
        "upheld": check.upheld,
    }


@guarded(public=True, load=sel.public_spot_check)
@require_safe
def population_view(request: ActorRequest, check: SpotCheck) -> JsonResponse:
    response = JsonResponse(population_json(check), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="population-{check.code}.json"'
    return response
