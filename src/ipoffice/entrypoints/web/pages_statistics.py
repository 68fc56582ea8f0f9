"""The statistics pages (issue #18), public, in Chinese and English:

- ``/statistics``: the national time series by year and a breakdown by a chosen dimension, as of a date; each
  chart (Plotly, drawn by ``static/statistics.js`` from ``/api/v1/indicators``) has a table whose every number
  links to the applications behind it, and a caption naming each definition and its reference;
- ``/statistics/list``: the applications behind one figure (documents by publication number; cases by
  application number once published);
- ``/statistics.csv``: the same figures as CSV;
- ``/statistics/plotly.min.js``: Plotly's JavaScript from the installed ``plotly`` package (no CDN; the page's
  Content-Security-Policy allows scripts from this site only, and inline styles, which Plotly sets).

Bad input (an unknown dimension or measure, a date in the future) is a 422 page naming the field in the
page's language.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.indicators import IndicatorQuery
from ipoffice.entrypoints.web.deps import Context, render, translator
from ipoffice.entrypoints.web.security import CSP

# Plotly adds its own stylesheet rules and inline styles while it draws: on this page only, styles may be inline
# (as on the API docs); scripts still come from this site only.
STATISTICS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

router = APIRouter(include_in_schema=False)

SERIES_MEASURES = ("applications", "published", "granted", "in_force", "lapsed", "abandoned")
PENDENCY_MEASURES = ("pendency_days_median", "pendency_days_p90", "first_action_pendency_days_median",
                     "first_action_pendency_days_p90")
BREAKDOWN_MEASURES = ("applications", "granted", "in_force", "lapsed", "pendency_days_median",
                      "first_action_pendency_days_median", "grant_rate", "abandonment_rate")
RECORDAL_MEASURES = ("transfers", "licences", "pledges", "open_licences", "pledges_in_force",
                     "open_licences_in_force")
OPEN_LICENCES_FROM = date(2021, 6, 1)  # the open-licence definitions apply from the system's start
PER_POPULATION_MEASURES = ("invention_patents_per_10k_population", "high_value_invention_per_10k_population")
BREAKDOWNS = ("country", "office", "office@provincial", "right_type", "ipc_section", "ipc_class", "ipc_subclass",
              "field", "region", "applicant_type")
LIST_LIMIT = 500

def _problem(request: Request, exc: InvalidField) -> HTTPException:
    return HTTPException(422, translator(request)("statistics.bad", field=exc.field, reason=exc.reason))


def _labels(ctx: Context, lang: str) -> dict[str, dict[Any, str]]:
    """Readable values of coded dimensions (technology fields), in the page's language."""
    fields = ctx.office.indicators.catalogue.fields.fields
    return {"field": {n: f"{n} {f.name_zh if lang == 'zh' else f.name_en}" for n, f in fields.items()}}


def _list_link(by: tuple[str, ...], measure: str, row: dict[str, Any], as_of: date, definition_date: date) -> str:
    params = {"measure": measure, "by": ",".join(by), "as_of": as_of.isoformat(),
              "definition_date": definition_date.isoformat()}
    params.update({f"g.{d}": "" if row[d] is None else str(row[d]) for d in by})
    return "/statistics/list?" + urlencode(params)


def _api_link(by: tuple[str, ...], measures: tuple[str, ...], as_of: date, definition_date: date) -> str:
    return "/api/v1/indicators?" + urlencode({"by": ",".join(by), "measure": ",".join(measures),
                                              "as_of": as_of.isoformat(),
                                              "definition_date": definition_date.isoformat()})


@router.get("/statistics", response_class=HTMLResponse)
def statistics(
    request: Request, ctx: Context,
    as_of: Annotated[date | None, Query()] = None,
    definition_date: Annotated[date | None, Query()] = None,
    breakdown: Annotated[str, Query(max_length=40)] = "country",
) -> HTMLResponse:
    service = ctx.office.indicators
    lang = request.state.lang
    if breakdown not in BREAKDOWNS:
        raise _problem(request, InvalidField("breakdown", breakdown, "choose from " + ", ".join(BREAKDOWNS)))
    try:
        series = service.compute("year", SERIES_MEASURES, as_of, definition_date)
        pendency = service.compute("year", PENDENCY_MEASURES, as_of, definition_date)
        parts = service.compute(breakdown, BREAKDOWN_MEASURES, as_of, definition_date)
        recordals = service.compute("year", RECORDAL_MEASURES, as_of,
                                    definition_date or max(as_of or ctx.office.today(), OPEN_LICENCES_FROM))
        # the national plans' figures; their versions apply from 2021, so an earlier as-of date uses today's
        per_population = service.compute("", PER_POPULATION_MEASURES, as_of,
                                         definition_date or max(as_of or ctx.office.today(), date(2021, 10, 9)))
    except InvalidField as exc:
        raise _problem(request, exc) from None
    q = series.query
    charts: list[dict[str, Any]] = []
    for result, kind, name in ((series, "lines", "year"), (pendency, "lines", "pendency"),
                               (parts, "bars", breakdown.replace("@", "-")), (recordals, "lines", "recordals")):
        by, measures = result.query.by, result.query.measures
        charts.append({
            "id": f"chart-{name}", "kind": kind, "by": by, "measures": measures, "name": name,
            "rows": [{**row, "_links": {m: _list_link(by, m, row, q.as_of, q.definitions_on) for m in measures}}
                     for row in result.rows],
            "src": _api_link(by, measures, q.as_of, q.definitions_on),
            "csv": "/statistics.csv?" + urlencode({"by": ",".join(by), "measure": ",".join(measures),
                                                   "as_of": q.as_of.isoformat(),
                                                   "definition_date": q.definitions_on.isoformat()}),
            "definitions": [(m, result.definitions[m]) for m in measures],
        })
    per = per_population.query
    population = {"row": per_population.rows[0] if per_population.rows else {},
                  "links": {m: _list_link((), m, {}, per.as_of, per.definitions_on) for m in per.measures},
                  "figures": service.used_populations(per_population),
                  "definitions": [(m, per_population.definitions[m]) for m in per.measures]}
    response = render(request, "statistics.html", charts=charts, population=population, query=q, breakdown=breakdown,
                      breakdowns=BREAKDOWNS, labels=_labels(ctx, lang), today=ctx.office.today())
    response.headers["content-security-policy"] = STATISTICS_CSP
    return response


def _group_value(dim: str, raw: str) -> Any:
    if raw == "":
        return None
    if dim in ("year", "field"):
        try:
            return int(raw)
        except ValueError:
            raise InvalidField(f"g.{dim}", raw, "expected a whole number") from None
    return raw


@router.get("/statistics/list", response_class=HTMLResponse)
def statistics_list(
    request: Request, ctx: Context,
    measure: Annotated[str, Query(min_length=1, max_length=40)],
    by: Annotated[str, Query(max_length=300)] = "",
    as_of: Annotated[date | None, Query()] = None,
    definition_date: Annotated[date | None, Query()] = None,
) -> HTMLResponse:
    service = ctx.office.indicators
    try:
        query: IndicatorQuery = service.query(by, measure, as_of, definition_date)
        if len(query.measures) != 1:
            raise InvalidField("measure", measure, "name one measure")
        group = {d: _group_value(d, request.query_params.get(f"g.{d}", "")) for d in query.by}
        total, members = service.engine.members(query, query.measures[0], group, LIST_LIMIT)
    except InvalidField as exc:
        raise _problem(request, exc) from None
    return render(request, "statistics_list.html", query=query, group=group,
                  total=total, members=members, limit=LIST_LIMIT, labels=_labels(ctx, request.state.lang))


@router.get("/statistics.csv")
def statistics_csv(
    request: Request, ctx: Context,
    measure: Annotated[str, Query(min_length=1, max_length=300)],
    by: Annotated[str, Query(max_length=300)] = "",
    as_of: Annotated[date | None, Query()] = None,
    definition_date: Annotated[date | None, Query()] = None,
) -> Response:
    try:
        result = ctx.office.indicators.compute(by, measure, as_of, definition_date)
    except InvalidField as exc:
        raise _problem(request, exc) from None
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [*result.query.by, *result.query.measures]
    writer.writerow(columns)
    for row in result.rows:
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
    name = f"indicators-{result.query.as_of.isoformat()}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/statistics/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly's bundled JavaScript, served from the installed package (never copied into this repository)."""
    try:
        path = resources.files("plotly").joinpath("package_data", "plotly.min.js")
    except ModuleNotFoundError:
        raise HTTPException(404, "plotly is not installed: pip install plotly") from None
    return FileResponse(str(path), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

