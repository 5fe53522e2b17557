"""JSON files assembled from pieces encoded earlier, byte for byte as one ``json.dumps`` would write them.

``json.dumps(value, indent=2)`` of a value nested ``n`` levels deep is the value's own top-level
text with ``2 * n`` spaces after every newline, so a record's text can be made once and placed
at any depth.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from functools import partial
from typing import Any

from timeline.memo import Fragments


@dataclasses.dataclass(frozen=True, slots=True)
class Encoded:
    """A value already written as JSON with ``indent=2``, as if it stood at the top level."""

    text: str


def _key(key: object) -> str:
    # json writes a key that is a number, a boolean or None as the string of its JSON.
    return json.dumps(key if isinstance(key, str) else json.dumps(key), ensure_ascii=False)


def dumps(value: Any, level: int = 0) -> str:
    """Return ``json.dumps(value, ensure_ascii=False, indent=2)``, with ``Encoded`` parts spliced in."""
    pad = "\n" + "  " * level
    if isinstance(value, Encoded):
        return value.text.replace("\n", pad)  # JSON text has no raw newline but between tokens
    inner = pad + "  "
    if isinstance(value, dict) and value:
        items = (f"{_key(k)}: {dumps(v, level + 1)}" for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + pad + "}"
    if isinstance(value, list) and value:
        return "[" + inner + ("," + inner).join(dumps(v, level + 1) for v in value) + pad + "]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", pad)


def json_text(make: Callable[[], Any]) -> str:
    """Return the JSON text (``indent=2``) of the value ``make()`` gives."""
    return json.dumps(make(), ensure_ascii=False, indent=2)


def encoded(pieces: Fragments, kind: str, record: str, make: Callable[[], Any]) -> Encoded:
    """Return the JSON of the value ``make()`` gives, a piece ``kind`` of ``record``."""
    return Encoded(pieces.get(kind, record, partial(json_text, make)))
