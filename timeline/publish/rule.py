"""What may be published: one rule for ``timeline deploy`` and ``timeline build --publish`` (the Pages workflow).

Both routes put a site in front of readers, so both stop on the same problems: every error, and
every warning unless the person publishing says ``--allow-warnings``. A warning left in a
published timeline is usually an event without a source, which is exactly what it must not show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.build.pipeline import BuildResult

ALLOW_WARNINGS = "--allow-warnings"


def strictness(allow_warnings: bool) -> bool:
    """Return the ``strict`` setting a publishing build uses: warnings count unless allowed."""
    return not allow_warnings


def refusal(result: BuildResult, *, allow_warnings: bool, command: str) -> str | None:
    """Return why ``result`` must not be published, naming each warning that blocks it; None if it may be."""
    if not result.failed(strict=strictness(allow_warnings)):
        return None
    errors = sum(d.severity == "error" for d in result.diagnostics)
    if errors or result.site is None:
        return f"the build has {errors} error(s), listed above; errors always block a publish"
    warnings = [d for d in result.diagnostics if d.severity == "warning"]
    listing = "".join(f"\n  {d.format()}" for d in warnings)
    return (
        f"warnings block a publish; this build has {len(warnings)}:{listing}\n"
        f"fix them, or run `{command} {ALLOW_WARNINGS}` to publish with them"
    )
