"""The public authenticity check: is this serial (and its card and hologram) genuine?

Anyone may ask, without an account, so three things protect the registry:

* **No personal data in the answer.** The verdict, the model, the unit's status and whether its warranty is
  registered; never the seller, the owner or anything about them.
* **Rate limits per client, counted atomically.** More than :data:`CHECKS_PER_MINUTE` checks in a minute or
  :data:`CHECKS_PER_DAY` in 24 hours from one client of one tenant are refused
  (:class:`~aftersales.errors.RateLimited`), so the registry cannot be enumerated. The counters are rows in the
  database (:mod:`aftersales.identity.rate_limits`), counted and decided in one statement, so the servers stay
  stateless, any number of them share the limit, and 50 simultaneous checks of one client get exactly 20
  answers. A refused request is not counted, so a client that waits is let back in.
* **Clone detection.** A genuine card is checked by its owner and perhaps a shop; a serial copied onto many
  counterfeit cards is checked from many places. After a serial has been checked from more than
  :data:`CLONE_CLIENTS_PER_DAY` distinct clients in 24 hours (``ix_serial_checks_serial_time``) it is flagged
  as a suspected clone for staff.

A client is identified by ``HMAC-SHA256(code key, "client\\0" + address)``: stable enough to count, useless to
anyone who reads the log without the key. The address is the connection's peer address; behind a reverse proxy
that is the proxy's, so the proxy's address must be listed in ``AFTERSALES_TRUSTED_PROXIES`` (its forwarded-for
header is believed from those addresses only) or every customer shares one limit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import CardEvidence, CardVerdict
from aftersales.identity import rate_limits
from aftersales.identity.rate_limits import Limit
from aftersales.keys import keyed_hash
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Coverage, ProductModel, Serial, SerialCheck, SerialStatus
from aftersales.warranty.registrations.coverage import status_on
from aftersales.warranty.schemas import AuthenticityAnswer, ModelSummary, PublicCoverage, SuspectedClone
from aftersales.warranty.serials.codes import code_matches
from aftersales.warranty.serials.lookup import locate_unit

CHECKS_PER_MINUTE = 20
CHECKS_PER_DAY = 200
CLONE_CLIENTS_PER_DAY = 10
MINUTE = timedelta(seconds=60)
DAY = timedelta(hours=24)
_LIMITS = (  # the longest window first: a client over both is told the longer wait
    Limit("check:day", CHECKS_PER_DAY, DAY, f"too many checks from this client (at most {CHECKS_PER_DAY} a day)"),
    Limit("check:minute", CHECKS_PER_MINUTE, MINUTE,
          f"too many checks from this client (at most {CHECKS_PER_MINUTE} a minute)"),
)
MAX_LOGGED_SERIAL = 64


def client_key(code_key: bytes, address: str) -> str:
    """The keyed hash a client is known by in the check log; the raw address is never stored."""
    return keyed_hash(code_key, "client", address)


async def check_authenticity(
    session: AsyncSession,
    *,
    code_key: bytes,
    tenant: CurrentTenant,
    serial: str,
    card_code: str | None,
    hologram_code: str | None,
    client_address: str,
    now: datetime,
) -> AuthenticityAnswer:
    """Judge one serial for the public, record the check, and flag the serial if it looks cloned.

    Coverage is the unit's current owner's warranty status and end dates, judged on the tenant's today.

    :raises RateLimited: when the client has checked too often; nothing is recorded then.
    """
    client = client_key(code_key, client_address)
    await rate_limits.take(session, [(limit, client) for limit in _LIMITS], now=now)
    answer, unit = await _judge(session, code_key, tenant, serial, card_code, hologram_code, tenant.today())
    session.add(SerialCheck(serial=answer.serial[:MAX_LOGGED_SERIAL], client_key=client, outcome=answer.verdict,
                            checked_at=now))
    await session.flush()
    if unit is not None and unit.clone_suspected_at is None:
        await _flag_if_cloned(session, unit, now)
    return answer


async def _judge(
    session: AsyncSession,
    code_key: bytes,
    tenant: CurrentTenant,
    serial: str,
    card_code: str | None,
    hologram_code: str | None,
    today: date,
) -> tuple[AuthenticityAnswer, Serial | None]:
    located = await locate_unit(session, tenant, serial)
    check = located.check
    if not check.valid:
        return AuthenticityAnswer(verdict="unknown", serial=check.normalized,
                                  reason=f"this is not a valid serial: {check.reason}"), None
    unit, model = located.unit, located.model
    if unit is None or model is None:
        return AuthenticityAnswer(verdict="unknown", serial=check.normalized,
                                  reason="no unit with this serial is on the company's register"), None

    card = _card_verdict(code_key, tenant, unit, card_code, hologram_code)
    if unit.status == SerialStatus.BLOCKED:
        verdict, reason = "blocked", "the company has blocked this serial; the unit is not covered"
    elif card is not None and not card.genuine:
        # one reason stays the vertical's message, said in the reader's language
        verdict, reason = "card_not_genuine", card.reasons[0] if len(card.reasons) == 1 else "; ".join(card.reasons)
    elif unit.status == SerialStatus.RECALLED:
        verdict, reason = "recalled", "this unit is genuine and under a recall: contact the company's service"
    elif unit.status == SerialStatus.REPLACED:
        verdict, reason = "replaced", "this unit was exchanged for a new one; its warranty moved to the new unit"
    else:
        verdict, reason = "genuine", "this serial is on the company's register"
    return AuthenticityAnswer(
        verdict=verdict, serial=unit.serial, reason=reason,
        model=ModelSummary(sku=model.sku, name=model.name), status=unit.status,
        coverage=_public_coverage(located.coverage, today),
    ), unit


def _card_verdict(code_key: bytes, tenant: CurrentTenant, unit: Serial, card_code: str | None,
                  hologram_code: str | None) -> CardVerdict | None:
    """The vertical's verdict on the card, when the check gave any of its codes."""
    card_given, hologram_given = bool(card_code and card_code.strip()), bool(hologram_code and hologram_code.strip())
    if not (card_given or hologram_given):
        return None
    slug = tenant.context.slug
    evidence = CardEvidence(
        card_code_given=card_given,
        card_code_matches=card_given and code_matches(code_key, slug, card_code or "", unit.card_code_hash),
        hologram_code_given=hologram_given,
        hologram_code_matches=hologram_given and code_matches(code_key, slug, hologram_code or "",
                                                              unit.hologram_code_hash),
        unit_has_card_code=unit.card_code_hash is not None,
        unit_has_hologram=unit.hologram_code_hash is not None,
    )
    return tenant.hooks.aftersales_judge_card(tenant=tenant.context, card=evidence)


def _public_coverage(coverage: Coverage | None, today: date) -> PublicCoverage:
    """Coverage status and end dates only: nothing about who owns the unit or what they paid."""
    if coverage is None:
        return PublicCoverage(status="not_registered")
    return PublicCoverage(status=status_on(coverage, today), warranty_end=coverage.warranty_end,
                          parts_support_end=coverage.parts_support_end)


async def _flag_if_cloned(session: AsyncSession, unit: Serial, now: datetime) -> None:
    clients = await session.scalar(
        select(func.count(distinct(SerialCheck.client_key)))
        .where(SerialCheck.serial == unit.serial, SerialCheck.checked_at > now - DAY)
    )
    if clients and clients > CLONE_CLIENTS_PER_DAY:
        unit.clone_suspected_at = now
        unit.clone_reason = f"checked from {clients} different clients in 24 h"
        await session.flush()


async def suspected_clones(session: AsyncSession, *, limit: int,
                           after: tuple[datetime, str] | None = None) -> list[SuspectedClone]:
    """A page of the session's tenant's serials flagged as suspected clones, newest first.

    Keyset paging: ``after`` is the (flagged at, serial) of the last row of the previous page, so a page costs
    the same however deep it is (the partial index ``ix_serials_clone_suspected`` holds only flagged rows).
    """
    query = (
        select(Serial.serial, ProductModel.sku, Serial.clone_reason, Serial.clone_suspected_at)
        .join(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id, ProductModel.id == Serial.model_id))
        .where(Serial.clone_suspected_at.is_not(None))
        .order_by(Serial.clone_suspected_at.desc(), Serial.serial)
        .limit(limit)
    )
    if after is not None:
        at, serial = after
        query = query.where(or_(Serial.clone_suspected_at < at,
                                and_(Serial.clone_suspected_at == at, Serial.serial > serial)))
    rows = await session.execute(query)
    return [SuspectedClone(serial=s, model_sku=sku, reason=reason or "", suspected_at=at)
            for s, sku, reason, at in rows]


async def check_stats(session: AsyncSession, serials: list[str]) -> dict[str, Row[Any]]:
    """Every check of these serials summed up, by serial: ``clients`` (distinct), ``checks``, and the ``first``
    and ``last`` check's time (serials never checked are left out)."""
    return {row.serial: row for row in await session.execute(
        select(SerialCheck.serial, func.count(distinct(SerialCheck.client_key)).label("clients"),
               func.count().label("checks"), func.min(SerialCheck.checked_at).label("first"),
               func.max(SerialCheck.checked_at).label("last"))
        .where(SerialCheck.serial.in_(serials)).group_by(SerialCheck.serial))}


async def serial_statuses(session: AsyncSession, serials: list[str]) -> dict[str, str]:
    """The status of each of these serial numbers (numbers of no unit are left out)."""
    return dict((await session.execute(select(Serial.serial, Serial.status).where(Serial.serial.in_(serials))))
                .all())
