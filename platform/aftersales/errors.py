"""Error types shared by every domain.

Services raise these; the web layer (:mod:`aftersales.http.problems`) turns them into RFC 9457 problem documents
in one place and the CLI into one readable line. None of them carries a stack trace to a user.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One invalid field: where it is (dotted path, e.g. ``calendar.weekend_days.0``) and why."""

    field: str
    reason: str


class AftersalesError(Exception):
    """Base of every error a user may see. ``title`` is stable per type; ``detail`` is for this occurrence."""

    title = "Request failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(AftersalesError):
    """The input broke one or more rules; every broken field is listed, and nothing was written."""

    title = "Invalid input"

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or []

    def __str__(self) -> str:
        if not self.errors:
            return self.detail
        return f"{self.detail}: " + "; ".join(f"{e.field}: {e.reason}" for e in self.errors)


class NotFound(AftersalesError):
    title = "Not found"


class Conflict(AftersalesError):
    title = "Conflict"


class AuthenticationFailed(AftersalesError):
    title = "Authentication failed"


class PermissionDenied(AftersalesError):
    title = "Permission denied"


class TenantUnavailable(PermissionDenied):
    """The tenant exists but is suspended: its API refuses (403) and its pages say the service is unavailable."""

    title = "Tenant unavailable"


class RateLimited(AftersalesError):
    """Too many requests from one client; ``retry_after`` is how many seconds until the next one is let in."""

    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TenantNotBound(AftersalesError):
    """A tenant-owned table was touched from a session bound to no tenant: a programming error, never allowed."""

    title = "No tenant bound"


class CrossTenantWrite(AftersalesError):
    """An insert or update tried to write a row of a tenant other than the session's."""

    title = "Cross-tenant write refused"
