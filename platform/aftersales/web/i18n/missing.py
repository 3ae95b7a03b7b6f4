"""``python -m aftersales.web.i18n.missing [area]``: the page strings marked for translation that no catalogue has
yet, extracted afresh as ``pybabel extract`` would (run from the repository root, where ``babel.cfg`` is).

With an ``area`` (``console``, ``account``, …) it appends them, untranslated, to ``{locale}/LC_MESSAGES/
{area}.po`` of every locale (creating the files), ready to be translated; without one it only lists them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from aftersales.onboarding.manifest import SUPPORTED_LOCALES
from aftersales.web.i18n.catalogues import po_path, read_catalogue


def extracted(root: Path) -> dict[str, tuple[str, bool]]:
    """Every marked message under ``root``: its id → (first location, whether it is python-format)."""
    with (root / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, tuple[str, bool]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(str(root), method_map, options_map):
        text = message if isinstance(message, str) else message[0]
        found.setdefault(text, (f"{filename}:{line}", "%(" in text))
    return found


def missing(root: Path) -> dict[str, tuple[str, bool]]:
    """The extracted messages the English catalogue lacks."""
    known = {m.id for m in read_catalogue("en") if m.id}
    return {text: where for text, where in extracted(root).items() if text not in known}


def add_to_area(area: str, messages: dict[str, tuple[str, bool]]) -> None:
    """Append ``messages`` to ``area``'s file in every locale (English gets the message itself)."""
    for locale in SUPPORTED_LOCALES:
        path = po_path(locale, area)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="aftersales")
        for text, (location, python_format) in messages.items():
            if catalog.get(text) is None:
                catalog.add(text, string=text if locale == "en" else "",
                            flags=("python-format",) if python_format else ())
        with path.open("wb") as fh:
            write_po(fh, catalog, width=120, omit_header=False, sort_output=True)


def main(argv: list[str]) -> int:
    found = missing(Path.cwd())
    for text, (location, _) in sorted(found.items()):
        print(f"{location}: {text}")
    if argv:
        add_to_area(argv[0], found)
        print(f"added {len(found)} message(s) to {argv[0]}.po of {', '.join(SUPPORTED_LOCALES)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
