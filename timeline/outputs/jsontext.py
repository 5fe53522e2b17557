"""JSON files assembled from pieces encoded earlier, byte for byte as one ``json.dumps`` would write them.

``json.dumps(value, indent=2)`` of a value nested ``n`` levels deep is the value's own top-level
text with ``2 * n`` spaces after every newline, so a record's text can be made once and placed
at any depth.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from functools import partial
from typing import Any

from timeline.outputs.pieces import Piece


@dataclasses.dataclass(frozen=True, slots=True)
class Encoded:
    """A value already written as JSON with ``indent=2``, as if it stood at the top level."""

    text: str


def _key(key: object) -> str:
    # json writes a key that is a number, a boolean or None as the string of its JSON.
    return json.dumps(key if isinstance(key, str) else json.dumps(key), ensure_ascii=False)


def write_json(value: Any, write: Callable[[str], object], level: int = 0) -> None:
    """Write ``json.dumps(value, ensure_ascii=False, indent=2)`` in parts, with ``Encoded`` parts spliced in."""
    pad = "\n" + "  " * level
    if isinstance(value, Encoded):
        write(value.text.replace("\n", pad))  # JSON text has no raw newline but between tokens
        return
    inner = pad + "  "
    if isinstance(value, dict) and value:
        write("{")
        for number, (key, item) in enumerate(value.items()):
            write(("," if number else "") + inner + _key(key) + ": ")
            write_json(item, write, level + 1)
        write(pad + "}")
    elif isinstance(value, list) and value:
        write("[")
        for number, item in enumerate(value):
            write(("," if number else "") + inner)
            write_json(item, write, level + 1)
        write(pad + "]")
    else:
        write(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", pad))


def dumps(value: Any, level: int = 0) -> str:
    """Return ``json.dumps(value, ensure_ascii=False, indent=2)``, with ``Encoded`` parts spliced in."""
    parts: list[str] = []
    write_json(value, parts.append, level)
    return "".join(parts)


def json_bytes(value: Any) -> bytes:
    """Return ``dumps(value)`` and a newline as UTF-8, without holding the whole text as well."""
    # A site-wide file is tens of megabytes: its parts are encoded as they come, into one buffer
    # that becomes the bytes without a copy.
    buffer = io.BytesIO()
    write_json(value, lambda text: buffer.write(text.encode("utf-8")))
    buffer.write(b"\n")
    return buffer.getvalue()


def json_text(make: Callable[[], Any]) -> str:
    """Return the JSON text (``indent=2``) of the value ``make()`` gives."""
    return json.dumps(make(), ensure_ascii=False, indent=2)


def encoded(piece: Piece, kind: str, record: str, make: Callable[[], Any]) -> Encoded:
    """Return the JSON of the value ``make()`` gives, a piece ``kind`` of ``record``."""
    return Encoded(piece(kind, record, partial(json_text, make)))
