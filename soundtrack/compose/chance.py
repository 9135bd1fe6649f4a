"""Small helpers for drawing from weighted choices (shared by the compose engines)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["weighted_index"]


def weighted_index(weights: Sequence[float], draw: float) -> int:
    """The index a uniform ``draw`` in [0, 1) selects among non-negative ``weights``.

    Index i is chosen with probability ``weights[i] / sum(weights)``; the last index when
    rounding leaves the draw past the end.
    """
    threshold = draw * sum(weights)
    running = 0.0
    for index, weight in enumerate(weights):
        running += weight
        if threshold < running:
            return index
    return len(weights) - 1
