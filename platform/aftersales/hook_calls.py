"""Every hook call goes through here: a plugin that raises or answers the wrong type is caught, attributed and
logged, and the caller gets :class:`~aftersales.errors.PluginFailed` (a 503 naming an error id), never an
anonymous 500 or a wrong value travelling on into the core.

:class:`GuardedHooks` wraps a pluggy ``HookRelay`` and keeps its call syntax (``hooks.aftersales_quote(...)``).
The expected answer of each hook comes from its spec's return annotation in
:mod:`aftersales.contract.hookspecs` (``X``, ``X | None``, ``list[X]``), read once per plugin set, so a hook
added to the contract is checked without a line here. The happy path costs one Python call and an
``isinstance`` over a bare pluggy call; attribution (which plugin raised, which one answered) is worked out only
when something failed. A failure is counted (``aftersales_plugin_failures``); while tracing is on, each call is
a span (:mod:`aftersales.observability.tracing`), at the cost of one check when it is off.
"""

from __future__ import annotations

import logging
import secrets
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

import pluggy

from aftersales.contract.defaults import NAME as CORE
from aftersales.errors import PluginFailed, VerticalUnavailable
from aftersales.observability import tracing
from aftersales.observability.metrics import PLUGIN_FAILURES

log = logging.getLogger("aftersales.plugins")

Check = Callable[[Any], bool]


def new_error_id() -> str:
    """A short random id a user quotes to support and an operator finds in the log."""
    return secrets.token_hex(6)


def _type_name(tp: Any) -> str:
    """``list[SlaTarget] | None`` as a plugin author wrote it, without module paths."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in args)
    if origin is not None:
        return f"{getattr(origin, '__name__', origin)}[{', '.join(_type_name(a) for a in args)}]"
    if tp is type(None):
        return "None"
    return getattr(tp, "__name__", str(tp))


def _plain(tp: Any) -> bool:
    return isinstance(tp, type) and tp not in (object, Any) and not typing.get_args(tp)


def type_check(tp: Any) -> Check | None:
    """A predicate telling whether a value is an instance of the annotation ``tp``; None when ``tp`` is not one
    this checks (``Any``, a type variable …), which then accepts anything. Unions of classes are one
    ``isinstance`` and lists of a class one pass over the items, so a check costs a fraction of a microsecond."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if all(_plain(a) for a in args):
            classes = tuple(args)
            return lambda v: isinstance(v, classes)
        members = [type_check(a) for a in args if a is not type(None)]
        if any(m is None for m in members):
            return None
        allows_none = type(None) in args
        return lambda v: (allows_none and v is None) or any(m(v) for m in members)  # type: ignore[misc]
    if origin in (list, tuple, Sequence):
        container = {list: list, tuple: tuple}.get(origin, Sequence)
        item = type_check(args[0]) if args and (origin is not tuple or args[-1] is Ellipsis) else None
        if item is None:
            return lambda v: isinstance(v, container)
        if _plain(args[0]):
            cls = args[0]
            return lambda v: isinstance(v, container) and all([isinstance(e, cls) for e in v])  # noqa: C419 (faster)
        return lambda v: isinstance(v, container) and all(item(e) for e in v)
    if _plain(tp):
        return lambda v: isinstance(v, tp)
    return None


def _quote_in_the_jobs_currency(kwargs: dict[str, Any], quote: Any) -> str | None:
    currency = kwargs["job"].labour_price.currency
    foreign = sorted({line.amount.currency for line in quote.lines} - {currency})
    return f"answered a quote with lines in {', '.join(foreign)}, not the job's {currency}" if foreign else None


ANSWER_RULES: dict[str, Callable[[dict[str, Any], Any], str | None]] = {
    "aftersales_quote": _quote_in_the_jobs_currency,
}
"""Rules an answer of the right type must also keep, where breaking them would fail deeper in the core (a quote
in another currency cannot be totalled); each says what was wrong, or None. Checked on the happy path, so each
is cheap; the conformance check (:mod:`aftersales.contract.testing`) holds plugins to many more."""


def _describe(value: Any) -> str:
    if isinstance(value, list | tuple):
        kinds = sorted({type(e).__name__ for e in value})
        return f"a {type(value).__name__} holding {', '.join(kinds)}" if kinds else f"an empty {type(value).__name__}"
    return "None" if value is None else f"a {type(value).__name__}"


def _return_annotation(name: str, spec: Callable[..., Any]) -> Any:
    """The spec's return annotation, resolved; None (answers unchecked, said once in the log) when it cannot be."""
    try:
        return typing.get_type_hints(spec).get("return")
    except (NameError, TypeError) as exc:
        log.warning("hook %s: its return annotation cannot be resolved (%s); its answers are not type-checked",
                    name, exc)
        return None


def _code_of(function: Any) -> Any:
    return getattr(getattr(function, "__func__", function), "__code__", None)


class Guard:
    """What one hook's guarded caller knows: the hook, its expected answer, and how to attribute a failure."""

    def __init__(self, name: str, caller: pluggy.HookCaller) -> None:
        self.name, self.caller = name, caller
        spec = caller.spec
        self.firstresult = bool(spec and spec.opts.get("firstresult"))
        annotation = _return_annotation(name, spec.function) if spec is not None else None
        self.expected = _type_name(annotation) if annotation is not None else "anything"
        self.check_one = one = type_check(annotation) if annotation is not None else None
        self.rule = ANSWER_RULES.get(name)
        self.check: Check | None
        if one is None or self.firstresult:
            self.check = one
        else:  # pluggy answers a list of every plugin's non-None answer
            self.check = lambda answers: isinstance(answers, list) and all(one(a) for a in answers)

    def raised(self, kwargs: dict[str, Any], exc: BaseException) -> PluginFailed:
        return self._failed(kwargs, self._raiser(exc), f"raised {type(exc).__name__}: {exc}")

    def wrong_answer(self, kwargs: dict[str, Any], result: Any) -> PluginFailed:
        return self._failed(kwargs, *self._answerer(kwargs, result))

    def broke_rule(self, kwargs: dict[str, Any], reason: str) -> PluginFailed:
        """An answer of the right type that breaks its hook's :data:`ANSWER_RULES`, attributed to the first
        plugin that answered (firstresult hooks are the only ones with rules)."""
        for impl in self._in_call_order():
            if impl.function(*[kwargs[arg] for arg in impl.argnames]) is not None:
                return self._failed(kwargs, impl.plugin_name, reason)
        return self._failed(kwargs, "unknown", reason)

    def _in_call_order(self) -> list[pluggy.HookImpl]:
        return [i for i in reversed(self.caller.get_hookimpls()) if not (i.hookwrapper or i.wrapper)]

    def _raiser(self, exc: BaseException) -> str:
        """The plugin whose implementation the exception came out of: the outermost frame of the traceback that
        is one of this hook's implementations (pluggy called it; anything deeper is that plugin's own code)."""
        owners = {_code_of(i.function): i.plugin_name for i in self.caller.get_hookimpls()}
        tb = exc.__traceback__
        while tb is not None:
            owner = owners.get(tb.tb_frame.f_code)
            if owner is not None:
                return owner
            tb = tb.tb_next
        return "unknown"

    def _answerer(self, kwargs: dict[str, Any], result: Any) -> tuple[str, str]:
        """Who answered the wrong type, found by asking each implementation again in pluggy's order (hooks are
        pure functions, so asking again gives the same answer): for a firstresult hook, the first to answer."""
        assert self.check_one is not None
        for impl in self._in_call_order():
            try:
                answer = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:  # it did not raise the first time; report what it does now
                return impl.plugin_name, f"raised {type(exc).__name__}: {exc}"
            if answer is None:
                continue
            if not self.check_one(answer):
                return impl.plugin_name, f"answered {_describe(answer)}, expected {self.expected}"
            if self.firstresult:
                break
        return "unknown", f"answered {_describe(result)}, expected {self.expected}"

    def _failed(self, kwargs: dict[str, Any], plugin: str, reason: str) -> PluginFailed:
        tenant = kwargs.get("tenant")
        slug = getattr(tenant, "slug", None)
        rules = plugin if plugin not in (CORE, "unknown") else getattr(tenant, "vertical", None)
        error = PluginFailed(plugin=plugin, hook=self.name, tenant=slug, vertical=rules, reason=reason,
                             error_id=new_error_id())
        PLUGIN_FAILURES.labels(plugin, self.name, slug or "").inc()
        log.error("plugin failed: error_id=%s plugin=%s hook=%s tenant=%s reason=%r", error.error_id, plugin,
                  self.name, slug, reason,
                  extra={"error_id": error.error_id, "plugin": plugin, "hook": self.name, "tenant": slug,
                         "reason": reason})
        return error


def guarded(name: str, caller: pluggy.HookCaller) -> Callable[..., Any]:
    """``caller`` (pluggy's), raising :class:`PluginFailed` for an exception or an answer of the wrong type.

    A plain closure, not an object with ``__call__``: the happy path is one extra Python call and one check
    (two for a hook with an answer rule).
    It keeps pluggy's ``get_hookimpls`` and carries its :class:`Guard` as ``guard``.
    """
    guard = Guard(name, caller)
    check, rule = guard.check, guard.rule

    def call(**kwargs: Any) -> Any:
        if tracing.tracer is not None:
            return traced(kwargs)
        try:
            result = caller(**kwargs)
        except Exception as exc:
            raise guard.raised(kwargs, exc) from exc
        if check is not None and not check(result):
            raise guard.wrong_answer(kwargs, result)
        if rule is not None and result is not None and (broken := rule(kwargs, result)) is not None:
            raise guard.broke_rule(kwargs, broken)
        return result

    def traced(kwargs: dict[str, Any]) -> Any:
        # call's body inside a span, written out again so that the untraced path stays a single Python call
        with tracing.hook_span(name, getattr(kwargs.get("tenant"), "slug", None)):
            try:
                result = caller(**kwargs)
            except Exception as exc:
                raise guard.raised(kwargs, exc) from exc
            if check is not None and not check(result):
                raise guard.wrong_answer(kwargs, result)
            if rule is not None and result is not None and (broken := rule(kwargs, result)) is not None:
                raise guard.broke_rule(kwargs, broken)
            return result

    call.get_hookimpls = caller.get_hookimpls  # type: ignore[attr-defined]
    call.guard = guard  # type: ignore[attr-defined]
    call.__name__ = name
    return call


class GuardedHooks:
    """A plugin set's hook callers, each guarded (:func:`guarded`); same syntax as pluggy's relay.

    A hook's guarded caller is made on first use and kept as an attribute, so later calls find it as fast as
    pluggy's own relay finds its caller.
    """

    def __init__(self, relay: pluggy.HookRelay) -> None:
        self._relay = relay

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        call = guarded(name, getattr(self._relay, name))
        setattr(self, name, call)
        return call


class UnavailableHooks(GuardedHooks):
    """The hook callers of a tenant whose vertical is disabled: every hook raises the tenant's
    :class:`~aftersales.errors.VerticalUnavailable`, so nothing is decided without its rules."""

    def __init__(self, *, vertical: str, tenant: str, reason: str) -> None:  # no relay: nothing is called
        self.vertical, self.tenant, self.reason = vertical, tenant, reason

    def error(self) -> VerticalUnavailable:
        """The error every hook call raises (a new one each time, so tracebacks do not pile up)."""
        return VerticalUnavailable(vertical=self.vertical, tenant=self.tenant, reason=self.reason)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def refuse(**_: Any) -> Any:
            raise self.error()

        return refuse
