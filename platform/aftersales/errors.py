"""Error types shared by every domain.

Services raise these; the web layer (:mod:`aftersales.http.problems`) turns them into RFC 9457 problem documents
in one place and the CLI into one readable line. None of them carries a stack trace to a user.

The English ``reason``/``detail`` is for agents and logs and may be reworded at any time. A page that words a
refusal in the reader's language reads the error's ``code`` (dotted, ``<domain>.<what>``, e.g.
``recall.too_long``) and its ``params`` (e.g. ``{"limit": 2000}``) instead: those are part of the interface and
never compared as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One invalid field: where it is (dotted path, e.g. ``calendar.weekend_days.0``) and why; ``code`` and
    ``params`` name the rule it broke for a caller that words it itself (none when no caller does yet)."""

    field: str
    reason: str
    code: str | None = None
    params: Mapping[str, Any] = dataclass_field(default_factory=dict, hash=False)


class AftersalesError(Exception):
    """Base of every error a user may see. ``title`` is stable per type; ``detail`` is for this occurrence."""

    title = "Request failed"

    def __init__(self, detail: str, *, code: str | None = None, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.params: Mapping[str, Any] = params or {}


class InvalidInput(AftersalesError):
    """The input broke one or more rules; every broken field is listed, and nothing was written."""

    title = "Invalid input"

    def __init__(self, detail: str, errors: list[FieldError] | None = None, *, code: str | None = None,
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail, code=code, params=params)
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

    def __init__(self, detail: str, retry_after: int, *, code: str | None = None,
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail, code=code, params=params)
        self.retry_after = retry_after


class PluginFailed(AftersalesError):
    """A plugin's hook raised or answered the wrong type: the tenant's vertical rules are failing (503).

    Logged once with ``error_id`` (plugin, hook, tenant, reason); the user is told the error id and nothing of
    the plugin's internals, so support can find the log line.
    """

    title = "Plugin failed"

    def __init__(self, *, plugin: str, hook: str, tenant: str | None, vertical: str | None, reason: str,
                 error_id: str) -> None:
        rules = f"the {vertical} rules" if vertical else "the plugin rules"
        super().__init__(f"{rules} are failing; the error was logged as {error_id}", code="plugin.failed",
                         params={"error_id": error_id, "vertical": vertical or "", "hook": hook})
        self.plugin, self.hook, self.tenant, self.vertical, self.reason = plugin, hook, tenant, vertical, reason
        self.error_id = error_id


class VerticalUnavailable(AftersalesError):
    """The tenant's vertical is disabled in this process (its plugin failed to load, or is not installed): its
    rules cannot be applied, so the tenant's work is refused with the reason (503) until an operator fixes it."""

    title = "Vertical unavailable"

    def __init__(self, *, vertical: str, tenant: str, reason: str) -> None:
        super().__init__(f"the {vertical} rules are unavailable: {reason}", code="plugin.unavailable",
                         params={"vertical": vertical, "reason": reason})
        self.vertical, self.tenant, self.reason = vertical, tenant, reason


class TenantNotBound(AftersalesError):
    """A tenant-owned table was touched from a session bound to no tenant: a programming error, never allowed."""

    title = "No tenant bound"


class CrossTenantWrite(AftersalesError):
    """An insert or update tried to write a row of a tenant other than the session's."""

    title = "Cross-tenant write refused"
