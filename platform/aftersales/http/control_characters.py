"""Control characters are refused at the boundary, before any handler, schema or database sees them.

PostgreSQL cannot store a NUL in text (``invalid byte sequence for encoding UTF8: 0x00``) and SQLite stores it
silently, so a NUL in a serial or an e-mail address was a 500 on one database and stored text on the other. No
field of the API or of a page has a use for C0 control characters or DEL, so they are refused everywhere, in one
place, alike on both databases:

* **text** (JSON strings and object keys, query parameters, url-encoded form fields): every C0 character
  (U+0000–U+001F) and DEL (U+007F) except tab, line feed and carriage return, which multi-line text (a
  description, a note, an address) legitimately holds;
* **path parameters**: every C0 character and DEL, tab and newlines included (a path names a thing, never text).

The refusal is a 422 problem document (a page gets its translated error page) naming every offending field with
the code ``text.control_character``; nothing is read further, so nothing is written.

Cheap on the hot path: a JSON body is scanned as raw bytes for the escapes that can spell a control character
(``\\u0000``–``\\u001f``, ``\\u007f``, ``\\b``, ``\\f``, a raw DEL) — a raw C0 byte inside a JSON string is already
invalid JSON, which Litestar refuses — and only a body that matches is parsed to name the field. The escape
``\\\\u0000`` (a backslash, then ``u0000``) matches that scan too; parsing shows it is text and lets it pass. A
query string is parsed only when it holds a percent-escape of a control character or a raw one. A multipart form
is parsed as the handler would parse it (Litestar keeps the parsed form for it; files are spooled, never
scanned) and its text fields checked, except on a route that reads its body as a stream (``opt={STREAMS_BODY:
True}``: the CSV imports, too large to hold), whose only text fields (an import's mode and id) are matched against fixed
choices where they are read; the file is the importer's.

Hand-written (no Litestar or ASGI library refuses control characters): parsing is the standard library's
(``json``, ``urllib.parse``) and Litestar's own form parser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.types import ASGIApp, Receive, Scope, Send

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.errors import FieldError, InvalidInput

_ = messages(CORE_DOMAIN)

CODE = "text.control_character"
_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IN_PATH = re.compile("[\x00-\x1f\x7f]")
_JSON_ESCAPES = re.compile(rb"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\[bf]|\x7f")
_QUERY_ESCAPES = re.compile(rb"%[01][0-9a-fA-F]|%7[fF]|[\x00-\x1f\x7f]")
_JSON_TYPE = re.compile(rb"^application/(?:[\w.+-]+\+)?json\b", re.IGNORECASE)
_FORM_TYPE = re.compile(rb"^application/x-www-form-urlencoded\b", re.IGNORECASE)
_MULTIPART_TYPE = re.compile(rb"^multipart/form-data\b", re.IGNORECASE)
STREAMS_BODY = "streams_body"
"""A handler ``opt`` key: the route reads its body as a stream, so its multipart form is not parsed here."""
MAX_REPORTED = 20
"""At most this many fields are named in one refusal (a body of ten thousand NULs needs no list of them)."""


def _refusal(field: str, character: str, where: str) -> FieldError:
    point = f"U+{ord(character):04X}"
    reason = (_("contains a control character ({character}), which a path never holds", character=point)
              if where == "the path" else
              _("contains a control character ({character}), which is not allowed here", character=point))
    return FieldError(field, reason, code=CODE, params={"character": point})


def text_problems(value: str, field: str, where: str = "text") -> list[FieldError]:
    """The refusal of ``value`` (text of field ``field``) when it holds a control character other than tab, LF, CR."""
    found = _IN_TEXT.search(value)
    return [_refusal(field, found.group(), where)] if found else []


def _walk(value: Any, path: str) -> Iterator[FieldError]:
    if isinstance(value, str):
        yield from text_problems(value, path or "body", "the body")
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else key
            if found := _IN_TEXT.search(key):
                yield _refusal(inner, found.group(), "a key of the body")
            yield from _walk(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}.{index}" if path else str(index))


def json_problems(body: bytes) -> list[FieldError]:
    """Every field of a JSON body holding a control character (its dotted path: ``lines.0.description``); none
    when the body is not JSON at all (the handler's own parsing refuses that)."""
    if not _JSON_ESCAPES.search(body):
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []
    return list(_first(_walk(document, "")))


def query_problems(query_string: bytes) -> list[FieldError]:
    """Every parameter of a query (or url-encoded form) whose name or value holds a control character."""
    if not _QUERY_ESCAPES.search(query_string):
        return []
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace")
    return list(_first(
        found for name, value in pairs for found in text_problems(name + value, name or "query", "the query")))


def form_problems(form: FormMultiDict) -> list[FieldError]:
    """Every text field of a parsed multipart form whose name or value holds a control character (files aside)."""
    return list(_first(found for name, value in form.multi_items() if isinstance(value, str)
                       for found in text_problems(name + value, name or "form", "the form")))


def path_problems(path_params: dict[str, Any]) -> list[FieldError]:
    """Every text path parameter holding a control character, tab and newlines included."""
    return [_refusal(name, found.group(), "the path") for name, value in path_params.items()
            if isinstance(value, str) and (found := _IN_PATH.search(value))]


def _first(found: Iterator[FieldError]) -> Iterator[FieldError]:
    for count, error in enumerate(found):
        if count == MAX_REPORTED:
            return
        yield error


class ControlCharacterMiddleware:
    """Refuses a request whose path parameters, query or JSON / url-encoded body hold a control character.

    Runs after routing (the path parameters are known and named) and before authentication, the handler and
    the CSRF check. A body it reads is kept in the request's state, so the handler reads the same bytes again
    without a second read of the stream; the route's body size limit applies to that read as it does to the
    handler's.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._check(scope, receive)
        await self.app(scope, receive, send)

    @staticmethod
    async def _check(scope: Scope, receive: Receive) -> None:
        problems = path_problems(scope.get("path_params") or {}) + query_problems(scope.get("query_string", b""))
        content_type = next((value for name, value in scope["headers"] if name == b"content-type"), b"")
        if _JSON_TYPE.match(content_type):
            problems += json_problems(await Request(scope, receive).body())
        elif _FORM_TYPE.match(content_type):
            problems += query_problems(await Request(scope, receive).body())
        elif _MULTIPART_TYPE.match(content_type) and not scope["route_handler"].opt.get(STREAMS_BODY):
            problems += form_problems(await Request(scope, receive).form())
        if problems:
            raise InvalidInput(_("the request holds control characters"), problems[:MAX_REPORTED], code=CODE)
