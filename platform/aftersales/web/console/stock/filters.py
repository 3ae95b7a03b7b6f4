"""Reading the stock pages' filters from the query string: a part, a location and (on the ledger) a movement
kind; an id that is not one of the tenant's, or a kind that is not one, is dropped and said beside its filter."""

from __future__ import annotations

import uuid
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

from aftersales.web.console.console_pages import parse_id
from aftersales.web.forms import field


@dataclass(frozen=True)
class Filter:
    """The filter as the query string asked for it: the ids (as text, for the form) and the kind."""

    part: str = ""
    location: str = ""
    kind: str = ""

    @property
    def part_id(self) -> uuid.UUID | None:
        return parse_id(self.part) if self.part else None

    @property
    def location_id(self) -> uuid.UUID | None:
        return parse_id(self.location) if self.location else None


def read_filter(params: Mapping[str, Any], *, parts: Container[uuid.UUID], locations: Container[uuid.UUID],
                kinds: Container[str] = ()) -> tuple[Filter, set[str]]:
    """The filter of ``params`` whose part and location are among ``parts`` and ``locations`` and kind among
    ``kinds``, and the names of the filters dropped for not being so."""
    part, location, kind = field(params, "part"), field(params, "location"), field(params, "kind")
    bad = set()
    if part and parse_id(part) not in parts:
        bad.add("part")
        part = ""
    if location and parse_id(location) not in locations:
        bad.add("location")
        location = ""
    if kind and kind not in kinds:
        bad.add("kind")
        kind = ""
    return Filter(part, location, kind), bad
