"""``aftersales plugin new``: a vertical plugin package generated from the copier template shipped here.

The template (``template/``, package data) holds one module per hook, each starting as the core default's
behaviour in the plugin's own translatable words; ``template/hooks.toml`` says which setting each hook's module
reads and gives every sentence it says in Persian, Chinese and Georgian. :func:`generate` checks the answers,
computes what the template needs (settings fields, catalogue entries) and lets copier render it.
"""

from __future__ import annotations

import difflib
import keyword
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from aftersales import __version__
from aftersales.contract import hookspecs
from aftersales.errors import AftersalesError

TEMPLATE = Path(__file__).parent / "template"
DEFAULT_HOOKS = ("warranty_terms", "sla_targets")
"""What ``plugin new`` generates without ``--hook``: the two decisions every vertical makes first."""
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
RESERVED_NAMES = frozenset({"core"})
"""Names a plugin cannot take: the core defaults are registered as ``core``."""


class ScaffoldError(AftersalesError):
    """The answers cannot make a plugin: a bad name, an unknown hook, a destination in use."""

    title = "Cannot generate the plugin"


@dataclass(frozen=True)
class Plan:
    """What will be generated: where, and the answers the template is rendered with."""

    project_dir: Path
    answers: dict[str, Any]

    @property
    def hooks(self) -> list[str]:
        return list(self.answers["hooks"])


@cache
def hook_table() -> dict[str, dict[str, Any]]:
    """``template/hooks.toml``: per hook (short name), the setting its module reads and its sentences."""
    with (TEMPLATE / "hooks.toml").open("rb") as fh:
        return tomllib.load(fh)


def available_hooks() -> list[str]:
    """Every hook of the contract a module can be generated for, short names in the contract's order."""
    specs = [name.removeprefix("aftersales_") for name in vars(hookspecs)
             if name.startswith("aftersales_") and callable(getattr(hookspecs, name))]
    return [name for name in specs if name != "vertical_info"]


def _short(hook: str) -> str:
    short = hook.removeprefix("aftersales_")
    known = available_hooks()
    if short not in known:
        close = difflib.get_close_matches(short, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; choose from {', '.join(known)}"
        raise ScaffoldError(f"no hook named {hook!r}{hint}")
    return short


def check_name(name: str, taken: set[str]) -> None:
    """A plugin name is a lower-case Python identifier that no installed plugin has."""
    if not NAME_PATTERN.fullmatch(name) or keyword.iskeyword(name):
        raise ScaffoldError(f"plugin name {name!r} must be a lower-case Python identifier "
                            "(letters, digits and underscores, starting with a letter), e.g. boats")
    if name in taken or name in RESERVED_NAMES:
        raise ScaffoldError(f"a plugin named {name!r} already exists: choose another name")


def plan(name: str, *, hooks: list[str], dest: Path, title: str | None, taken: set[str]) -> Plan:
    """Check the answers and compute the template's data.

    :param taken: the names of the installed plugins (disabled ones included).
    :raises ScaffoldError: one readable line saying what is wrong.
    """
    check_name(name, taken)
    if title is not None and (not title.strip() or any(ch in title for ch in '"\\') or not title.isprintable()):
        raise ScaffoldError(f"title {title!r} must be printable text without quotes or backslashes")
    table = hook_table()
    chosen = {_short(hook) for hook in (hooks or DEFAULT_HOOKS)}
    for hook in list(chosen):
        chosen.update(table.get(hook, {}).get("needs", ()))
    ordered = [hook for hook in available_hooks() if hook in chosen]
    distribution = f"aftersales-{name.replace('_', '-')}"
    project_dir = dest / distribution
    if project_dir.exists() and any(project_dir.iterdir()):
        raise ScaffoldError(f"{project_dir} already exists and is not empty")
    catalogue: dict[str, dict[str, str]] = {}
    for hook in ordered:
        catalogue.update(table.get(hook, {}).get("messages", {}))
    answers = {
        "name": name,
        "package": f"aftersales_{name}",
        "distribution": distribution,
        "title": title or name.replace("_", " ").title(),
        "settings_class": "".join(part.title() for part in name.split("_")) + "Settings",
        "slug": f"{name.replace('_', '-')[:30].strip('-')}-demo",
        "core_requirement": ">=" + ".".join(__version__.split(".")[:2]),
        "hooks": ordered,
        "settings": [table[hook]["setting"] for hook in ordered if "setting" in table.get(hook, {})],
        "catalogue": [{"msgid": msgid, **translations} for msgid, translations in catalogue.items()],
    }
    return Plan(project_dir, answers)


def generate(chosen: Plan) -> Path:
    """Render the template into ``chosen.project_dir``; the directory of the new plugin project."""
    from copier import Settings, run_copy

    run_copy(str(TEMPLATE), chosen.project_dir, data=chosen.answers, defaults=True, quiet=True,
             settings=Settings(), cleanup_on_error=True)
    return chosen.project_dir
