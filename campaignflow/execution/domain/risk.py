"""Risk scoring and the likelihood × impact heat map, pure."""

from __future__ import annotations

LEVELS = range(1, 6)


def level(score: int) -> str:
    """high ≥ 15, medium ≥ 8, else low (a 5×5 matrix split into thirds)."""
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


def heat_map(risks: list[tuple[int, int]]) -> list[list[int]]:
    """Counts per cell: rows impact 5→1 (top to bottom), columns likelihood 1→5."""
    grid = [[0] * 5 for _ in LEVELS]
    for likelihood, impact in risks:
        if likelihood in LEVELS and impact in LEVELS:
            grid[5 - impact][likelihood - 1] += 1
    return grid
