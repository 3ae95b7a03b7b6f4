"""What a manager watches week by week: promises kept, work waiting, customers' scores, repairs done right first.

Every figure is counted in the tenant's weeks: local time in its time zone, a week starting on the day after its
weekend (Saturday in Iran, Monday in Georgia and China), the current week up to ``now``. The definitions, which
the dashboard states beside its charts:

* **SLA compliance** of a clock in a week: of the clocks *decided* that week, the share kept. A clock is decided
  when it stops (its ``met_at``) or, still running, when it is overdue (its breach time, else its due time). It
  is kept when it stopped without a breach (:func:`aftersales.service.clocks.services.view`'s ``met``): stopped exactly at
  its due time counts as kept, one second later as breached.
* **Backlog** at the end of a week (at ``now`` for the current one): requests opened by then and not ended, by
  the state each was in then (read back from the timeline's moves).
* **CSAT**: the mean of the 1–5 scores answered in the week, and how many answered.
* **First-time fix** in a week: of the repair requests that ended that week other than cancelled, the share that
  never went back from ready into repair and whose unit got no new repair request within
  :data:`REPEAT_WINDOW` of the end (so the last weeks' rates may still fall).

The reads are bounded by the weeks shown and bucketed here, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.service.followups.models import FollowUp
from aftersales.service.models import RequestEvent, ServiceRequest, SlaClock
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant

DEFAULT_WEEKS = 12
REPEAT_WINDOW = timedelta(days=30)
"""A new repair request on the same unit this soon after a repair ended means the repair did not hold."""
OPEN_STATES = tuple(s.value for s in RequestState if s not in FINAL)
FIX_KIND = "repair"


@dataclass(frozen=True)
class Week:
    """One of the tenant's weeks: its first local day, and its bounds as instants (``end`` capped at now)."""

    first_day: date
    start: datetime
    end: datetime


def week_start_weekday(weekend: Iterable[int]) -> int:
    """The ISO weekday a week starts on: the first working day after the weekend (Monday without one)."""
    days = set(weekend)
    for day in range(1, 8):
        before = 7 if day == 1 else day - 1
        if day not in days and before in days:
            return day
    return 1


def weeks(tenant: CurrentTenant, now: datetime, count: int = DEFAULT_WEEKS) -> list[Week]:
    """The last ``count`` weeks of the tenant up to ``now``, oldest first; the last one is the current week."""
    zone: ZoneInfo = tenant.calendar.zone
    today = now.astimezone(zone).date()
    first = week_start_weekday(tenant.calendar.weekend)
    current = today - timedelta(days=(today.isoweekday() - first) % 7)
    days = [current - timedelta(weeks=n) for n in range(count - 1, -1, -1)]
    starts = [datetime.combine(day, datetime.min.time(), zone) for day in days]
    ends = [*starts[1:], now]
    return [Week(day, start, min(end, now)) for day, start, end in zip(days, starts, ends, strict=True)]


def _week_of(instant: datetime, span: list[Week]) -> int | None:
    for index, week in enumerate(span):
        if week.start <= instant < week.end or (index == len(span) - 1 and instant == week.end):
            return index
    return None


# -- SLA compliance -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Compliance:
    """One clock's promises decided in one week: how many were kept of how many."""

    kept: int
    decided: int

    @property
    def percent(self) -> float | None:
        return 100 * self.kept / self.decided if self.decided else None


@dataclass(frozen=True)
class ClockCompliance:
    """A clock (by name) week by week, and over all the weeks shown."""

    name: str
    weeks: list[Compliance]

    @property
    def total(self) -> Compliance:
        return Compliance(sum(w.kept for w in self.weeks), sum(w.decided for w in self.weeks))


async def sla_compliance(session: AsyncSession, span: list[Week], now: datetime) -> list[ClockCompliance]:
    """Each clock name's compliance per week of ``span`` (clocks by name; names never decided are left out)."""
    since, until = span[0].start, span[-1].end
    rows = await session.execute(
        select(SlaClock.name, SlaClock.met_at, SlaClock.breached_at, SlaClock.due_at)
        .where(SlaClock.started_at.is_not(None), or_(
            and_(SlaClock.met_at >= since, SlaClock.met_at <= until),
            and_(SlaClock.met_at.is_(None), or_(
                and_(SlaClock.breached_at >= since, SlaClock.breached_at <= until),
                and_(SlaClock.breached_at.is_(None), SlaClock.due_at >= since, SlaClock.due_at <= now))))))
    kept: dict[str, list[int]] = defaultdict(lambda: [0] * len(span))
    decided: dict[str, list[int]] = defaultdict(lambda: [0] * len(span))
    for name, met_at, breached_at, due_at in rows:
        decided_at = met_at or breached_at or due_at
        index = _week_of(decided_at, span)
        if index is None:
            continue
        decided[name][index] += 1
        if met_at is not None and breached_at is None:
            kept[name][index] += 1
    return [ClockCompliance(name, [Compliance(k, d) for k, d in zip(kept[name], decided[name], strict=True)])
            for name in sorted(decided)]


# -- backlog --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Backlog:
    """Open requests at the end of one week, by the state they were in."""

    by_state: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


async def backlog(session: AsyncSession, span: list[Week]) -> list[Backlog]:
    """The open requests at the end of each week of ``span``, by state (every open state, zeros included)."""
    since, until = span[0].start, span[-1].end
    relevant = (ServiceRequest.opened_at <= until) & (
        ServiceRequest.closed_at.is_(None) | (ServiceRequest.closed_at > since))
    requests = (await session.execute(
        select(ServiceRequest.id, ServiceRequest.opened_at, ServiceRequest.closed_at).where(relevant))).all()
    moves: dict[object, list[tuple[datetime, str]]] = defaultdict(list)
    for request_id, at, state in await session.execute(
            select(RequestEvent.request_id, RequestEvent.occurred_at, RequestEvent.to_state)
            .join(ServiceRequest, and_(ServiceRequest.tenant_id == RequestEvent.tenant_id,
                                       ServiceRequest.id == RequestEvent.request_id))
            .where(relevant, RequestEvent.kind == "moved", RequestEvent.occurred_at <= until)
            .order_by(RequestEvent.occurred_at)):
        moves[request_id].append((at, state))
    result = []
    for week in span:
        counts = dict.fromkeys(OPEN_STATES, 0)
        for request_id, opened_at, closed_at in requests:
            if opened_at > week.end or (closed_at is not None and closed_at <= week.end):
                continue
            state = RequestState.RECEIVED.value
            for at, moved_to in moves.get(request_id, ()):
                if at > week.end:
                    break
                state = moved_to
            if state in counts:
                counts[state] += 1
        result.append(Backlog(counts))
    return result


# -- satisfaction ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WeeklyScore:
    """The CSAT scores answered in one week."""

    responses: int
    average: float | None


async def csat_trend(session: AsyncSession, span: list[Week]) -> list[WeeklyScore]:
    """The mean CSAT score and the number of scores answered in each week of ``span``."""
    totals, counts = [0] * len(span), [0] * len(span)
    for score, answered_at in await session.execute(
            select(FollowUp.csat, FollowUp.answered_at).where(
                FollowUp.csat.is_not(None), FollowUp.answered_at >= span[0].start,
                FollowUp.answered_at <= span[-1].end)):
        index = _week_of(answered_at, span)
        if index is not None:
            totals[index] += score
            counts[index] += 1
    return [WeeklyScore(n, total / n if n else None) for total, n in zip(totals, counts, strict=True)]


# -- first-time fix -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FixRate:
    """Repairs ended in one week and how many of them were fixed the first time."""

    first_time: int
    ended: int

    @property
    def percent(self) -> float | None:
        return 100 * self.first_time / self.ended if self.ended else None


async def first_time_fix(session: AsyncSession, span: list[Week]) -> list[FixRate]:
    """The first-time-fix rate of each week of ``span`` (see the module docstring for the definition)."""
    ended_states = [s.value for s in FINAL if s is not RequestState.CANCELLED]
    ended = (await session.execute(
        select(ServiceRequest.id, ServiceRequest.registration_id, ServiceRequest.closed_at).where(
            ServiceRequest.kind == FIX_KIND, ServiceRequest.state.in_(ended_states),
            ServiceRequest.closed_at >= span[0].start, ServiceRequest.closed_at <= span[-1].end))).all()
    if not ended:
        return [FixRate(0, 0) for _ in span]
    ids = [row.id for row in ended]
    sent_back = set((await session.scalars(
        select(RequestEvent.request_id).where(
            RequestEvent.request_id.in_(ids), RequestEvent.kind == "moved",
            RequestEvent.from_state == RequestState.READY.value,
            RequestEvent.to_state == RequestState.IN_REPAIR.value))).all())
    units = {row.registration_id for row in ended if row.registration_id is not None}
    later: dict[object, list[datetime]] = defaultdict(list)
    if units:
        for registration_id, opened_at in await session.execute(
                select(ServiceRequest.registration_id, ServiceRequest.opened_at).where(
                    ServiceRequest.kind == FIX_KIND, ServiceRequest.registration_id.in_(units),
                    ServiceRequest.opened_at >= span[0].start)):
            later[registration_id].append(opened_at)
    first, total = [0] * len(span), [0] * len(span)
    for request_id, registration_id, closed_at in ended:
        index = _week_of(closed_at, span)
        if index is None:
            continue
        total[index] += 1
        repeated = any(closed_at < opened <= closed_at + REPEAT_WINDOW for opened in later.get(registration_id, ()))
        if request_id not in sent_back and not repeated:
            first[index] += 1
    return [FixRate(f, t) for f, t in zip(first, total, strict=True)]
