"""The console's front page (``/console/``): four charts a manager reads at a glance, each with its numbers in a
table beside it — SLA compliance per clock, the backlog by state, the CSAT trend, and the first-time-fix rate.

The figures come from :mod:`aftersales.service.metrics` (whose docstring defines each one; the page says the
same in words); this module turns them into bars in the reader's language, digits and direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import jdatetime
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent
from litestar import Request, get
from litestar.response import Template

from aftersales.db.base import utcnow
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.scopes import REQUESTS_READ
from aftersales.service import metrics
from aftersales.web.console.insight.charts import Bar, Chart, Segment, draw, nice_top
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import Page, page_for, render

TARGET_PERCENT = 90
"""The share of promises kept that the compliance charts draw as their target line."""
PERCENT_TONES = ((TARGET_PERCENT, "good"), (75, "warn"), (0, "bad"))


class Numbers:
    """Percentages, scores and week labels as the page's locale writes them (Persian digits and Jalali in fa)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def percent(self, value: float | None) -> str:
        if value is None:
            return ""
        return self.page.fmt.digits(format_percent(value / 100, locale=self.page.locale, numbering_system="default"))

    def score(self, value: float | None) -> str:
        if value is None:
            return ""
        return self.page.fmt.digits(format_decimal(value, format="0.0", locale=self.page.locale,
                                                   numbering_system="default"))

    def count(self, value: int) -> str:
        return self.page.fmt.number(value)

    def week(self, day: date) -> str:
        if self.page.locale == "fa":
            jalali = jdatetime.date.fromgregorian(date=day)
            return self.page.fmt.digits(f"{jalali.day} {jdatetime.date.j_months_fa[jalali.month - 1]}")
        return format_skeleton("MMMd", day, locale=self.page.locale)


def percent_tone(value: float) -> str:
    return next(tone for floor, tone in PERCENT_TONES if value >= floor)


@dataclass(frozen=True)
class ClockChart:
    """One clock's compliance chart with its label and its total over the weeks shown."""

    name: str
    label: str
    chart: Chart
    total: str
    decided: str


def clock_labels(page: Page) -> dict[str, str]:
    """The clocks the verticals run, named for a manager (an unknown clock shows its own name)."""
    _ = page.translations.gettext
    return {
        "first_response": _("First response"), "first_contact": _("First contact"),
        "result": _("Repair result (intake receipt)"), "replacement": _("Replacement offer"),
        "complaint_response": _("Complaint answered"), "onsite": _("Engineer on site"),
        "reply": _("Overseas reply"), "repair": _("Overseas repair"), "in_house_repair": _("In-house repair"),
        "parts_wait": _("Waiting for parts"),
    }


def state_labels(page: Page) -> dict[str, str]:
    _ = page.translations.gettext
    return {"received": _("Received"), "diagnosing": _("Diagnosing"), "waiting_for_parts": _("Waiting for parts"),
            "in_repair": _("In repair"), "ready": _("Ready")}


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard template shows."""

    weeks: list[str]
    clocks: list[ClockChart]
    compliance: list[metrics.ClockCompliance]
    backlog: Chart
    backlog_rows: list[metrics.Backlog]
    open_now: str
    csat: Chart
    csat_rows: list[metrics.WeeklyScore]
    csat_recent: str
    fix: Chart
    fix_rows: list[metrics.FixRate]
    fix_total: str


async def build(session: Any, tenant: Any, page: Page, now: Any) -> Dashboard:
    """Read the metrics of the last weeks and draw them for ``page``."""
    span = metrics.weeks(tenant, now)
    numbers, rtl = Numbers(page), page.fmt.direction == "rtl"
    labels = [numbers.week(w.first_day) for w in span]
    compliance = await metrics.sla_compliance(session, span, now)
    names = clock_labels(page)
    clocks = []
    for clock in compliance:
        bars = [Bar(label, (Segment(c.percent, percent_tone(c.percent)),) if c.percent is not None else (),
                    numbers.percent(c.percent)) for label, c in zip(labels, clock.weeks, strict=True)]
        total = clock.total
        clocks.append(ClockChart(clock.name, names.get(clock.name, clock.name.replace("_", " ")),
                                 draw(bars, top=100, rtl=rtl, line=TARGET_PERCENT), numbers.percent(total.percent),
                                 numbers.count(total.decided)))
    backlog = await metrics.backlog(session, span)
    backlog_bars = [Bar(label, tuple(Segment(n, f"state-{state}") for state, n in week.by_state.items()),
                        numbers.count(week.total)) for label, week in zip(labels, backlog, strict=True)]
    scores = await metrics.csat_trend(session, span)
    csat_bars = [Bar(label, (Segment(s.average, "score"),) if s.average is not None else (), numbers.score(s.average))
                 for label, s in zip(labels, scores, strict=True)]
    recent = [s for s in scores[-4:] if s.responses]
    recent_average = (sum(s.average * s.responses for s in recent if s.average is not None)
                      / sum(s.responses for s in recent)) if recent else None
    fixes = await metrics.first_time_fix(session, span)
    fix_bars = [Bar(label, (Segment(f.percent, percent_tone(f.percent)),) if f.percent is not None else (),
                    numbers.percent(f.percent)) for label, f in zip(labels, fixes, strict=True)]
    fix_total = metrics.FixRate(sum(f.first_time for f in fixes), sum(f.ended for f in fixes))
    return Dashboard(
        weeks=labels, clocks=clocks, compliance=compliance,
        backlog=draw(backlog_bars, top=nice_top([w.total for w in backlog]), rtl=rtl), backlog_rows=backlog,
        open_now=numbers.count(backlog[-1].total),
        csat=draw(csat_bars, top=5, rtl=rtl), csat_rows=scores, csat_recent=numbers.score(recent_average),
        fix=draw(fix_bars, top=100, rtl=rtl), fix_rows=fixes, fix_total=numbers.percent(fix_total.percent),
    )


class DashboardController(PageController):
    """``/console/``: the dashboard, for staff who may read requests."""

    @get("/console")
    async def dashboard(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """The charts of the last twelve weeks."""
        viewer.staff(REQUESTS_READ)
        page = page_for(request, tenant, viewer)
        dashboard = await build(session, tenant, page, utcnow())
        return render(page, "console/dashboard.html", section="dashboard", dashboard=dashboard,
                      numbers=Numbers(page), states=state_labels(page), target=Numbers(page).percent(TARGET_PERCENT),
                      repeat_days=page.fmt.number(metrics.REPEAT_WINDOW.days))
