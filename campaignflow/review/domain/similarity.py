"""“Campaigns like this one”: a similarity score over plain facts, pure."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CaseFacts:
    id: int
    name: str
    type: str = ""
    industry: str = ""
    tags: frozenset = field(default_factory=frozenset)
    channels: frozenset = field(default_factory=frozenset)
    days: int = 0
    budget: float = 0.0


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _grams(text: str) -> frozenset:
    text = "".join(ch for ch in text if not ch.isspace())
    return frozenset(text[i : i + 2] for i in range(max(0, len(text) - 1)))


def _closeness(a: float, b: float) -> float:
    if not a or not b:
        return 0.0
    return min(a, b) / max(a, b)


def similarity(a: CaseFacts, b: CaseFacts) -> float:
    """0..1: type 0.2, industry 0.2, tags 0.2, channels 0.2, name bigrams 0.1, duration and budget 0.05 each."""
    score = 0.0
    score += 0.2 if a.type and a.type == b.type else 0.0
    score += 0.2 if a.industry and a.industry == b.industry else 0.0
    score += 0.2 * _jaccard(a.tags, b.tags)
    score += 0.2 * _jaccard(a.channels, b.channels)
    score += 0.1 * _jaccard(_grams(a.name), _grams(b.name))
    score += 0.05 * _closeness(a.days, b.days) + 0.05 * _closeness(a.budget, b.budget)
    return round(score, 4)


def most_similar(target: CaseFacts, candidates: list[CaseFacts], limit: int = 5) -> list[tuple[CaseFacts, float]]:
    scored = [(c, similarity(target, c)) for c in candidates if c.id != target.id]
    scored = [s for s in scored if s[1] > 0]
    scored.sort(key=lambda s: (-s[1], s[0].id))
    return scored[:limit]
