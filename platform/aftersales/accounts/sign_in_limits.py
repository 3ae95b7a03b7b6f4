"""How often one client may try to sign in to a tenant: every way in counts (staff password on the API and the
console, a customer's one-time code typed back, the company SSO's answer), at most :data:`ATTEMPTS_PER_CLIENT`
in :data:`WINDOW`.

The per-account lockout (5 wrong passwords lock an account for 15 minutes) stops guessing one account's password;
it does nothing against spraying (one or two guesses at each of many accounts from one place), which this limit
stops. Twenty attempts in ten minutes let an office behind one address sign its people in after a mistake or
two each, and stop a script after twenty. Every attempt counts, right or wrong, because the decision has to be
taken before the password is checked for the count to hold under concurrency (:mod:`aftersales.identity.
rate_limits`); it is committed at once, so an attempt that fails later still counts. A refused attempt is not
counted and checks nothing.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

from aftersales.db.session import Database
from aftersales.errors import AuthenticationFailed, RateLimited
from aftersales.identity import rate_limits
from aftersales.identity.rate_limits import Limit
from aftersales.keys import keyed_hash

ATTEMPTS_PER_CLIENT = 20
WINDOW = timedelta(minutes=10)
LIMIT = Limit("sign-in:client", ATTEMPTS_PER_CLIENT, WINDOW,
              f"too many sign-in attempts from this client (at most {ATTEMPTS_PER_CLIENT} in "
              f"{int(WINDOW.total_seconds()) // 60} minutes)")


def client_key(code_key: bytes, address: str) -> str:
    """The keyed hash a signing-in client is counted under; the raw address is never stored."""
    return keyed_hash(code_key, "sign-in attempt", address)


async def count_attempt(db: Database, tenant_id: uuid.UUID, *, code_key: bytes, client_address: str,
                        now: datetime) -> None:
    """Count one sign-in attempt from ``client_address`` to the tenant, before anything is checked.

    The count is committed at once in its own short transaction: the attempt counts whatever happens next, and
    the counter row is not held (on SQLite: the one writer) while a password hash is verified.

    :raises RateLimited: the client has tried too often; with the seconds until it may try again.
    """
    async with db.transaction(tenant_id) as session:
        await rate_limits.take(session, [(LIMIT, client_key(code_key, client_address))], now=now)


def locked(failure: AuthenticationFailed) -> RateLimited | None:
    """The 429 to answer for a refusal because the account is locked (None for any other refusal)."""
    if failure.code != "signin.locked":
        return None
    retry_after = max(1, math.ceil(float(failure.params.get("retry_after", 1))))
    return RateLimited(f"{failure.detail}; try again in {retry_after} seconds", retry_after, code=failure.code)
