"""Claims compared: the claims of one quantity side by side, the span of their figures.

A quantity's first claim as written is its headline and is shown first; the others follow by
figure (largest first), or by the date of the claim when they were made on several dates.
Nothing is merged or averaged: each row is one claimant's statement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from timeline.content.dates import EDate
from timeline.content.model import Claim


@dataclasses.dataclass(frozen=True, slots=True)
class ClaimGroup:
    """The claims of one quantity, in the order they are shown."""

    quantity: str
    claims: tuple[Claim, ...]
    by_date: bool
    """True when the claims were made on several dates, so they are in date order after the headline."""

    @property
    def claimants(self) -> int:
        """Return how many claimants state this quantity."""
        return len({c.claimant for c in self.claims})

    @property
    def charted(self) -> bool:
        """Return True when several claimants give figures on several dates: worth a chart."""
        dated = [c for c in self.claims if c.number and c.date is not None]
        return len({c.claimant for c in dated}) > 1 and len({date_key(c.date) for c in dated if c.date}) > 1


@dataclasses.dataclass(frozen=True, slots=True)
class ClaimSpan:
    """The lowest and highest figures of a disputed quantity, and how many claimants state it."""

    quantity: str
    low: Decimal
    high: Decimal
    claimants: int


def date_key(date: EDate) -> tuple[int, int, int]:
    """Return a key that orders dates by their start (year, month, day)."""
    return (date.year, date.month or 0, date.day or 0)


def figure(claim: Claim) -> Decimal | None:
    """Return the claim's number, or None when it gives none."""
    return Decimal(claim.number) if claim.number else None


def compare_claims(claims: Iterable[Claim]) -> tuple[ClaimGroup, ...]:
    """Return the claims grouped by quantity (in the order quantities first appear), each group ordered."""
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.quantity, []).append(claim)
    out = []
    for quantity, found in groups.items():
        headline, rest = found[0], found[1:]
        by_date = len({date_key(c.date) for c in found if c.date is not None}) > 1
        if by_date:
            # Undated claims last; a tie keeps the order written.
            rest.sort(key=lambda c: (c.date is None, date_key(c.date) if c.date else (0, 0, 0)))
        else:
            rest.sort(key=lambda c: (figure(c) is None, -(figure(c) or Decimal(0))))
        out.append(ClaimGroup(quantity, (headline, *rest), by_date))
    return tuple(out)


def claim_span(claims: Iterable[Claim]) -> ClaimSpan | None:
    """Return the span of the most disputed quantity's figures, or None when no quantity is disputed.

    The most disputed quantity is the one with most claimants (the first written, on a tie); it
    needs two claimants or more, and at least one figure.
    """
    best: ClaimGroup | None = None
    for group in compare_claims(claims):
        if group.claimants > 1 and any(c.number for c in group.claims):
            if best is None or group.claimants > best.claimants:
                best = group
    if best is None:
        return None
    figures = [f for c in best.claims if (f := figure(c)) is not None]
    return ClaimSpan(best.quantity, min(figures), max(figures), best.claimants)
