"""Settlement between the parties of a co-marketing campaign (资源结算), pure and exact to the cent.

Each cost is split by its line's shares (or the campaign's default shares); the cents a split cannot
place evenly go to the largest remainders, ties to the party listed first, so every run gives the same
answer and the shares always add up to the cost. Balances (paid − owed) are then settled by a short
list of transfers: the largest debtor pays the largest creditor until everyone is even (at most n − 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


class SettlementError(ValueError):
    pass


@dataclass(frozen=True)
class Cost:
    key: object  # e.g. the budget line id
    amount: Decimal
    shares: dict[str, Decimal] | None = None  # party → ratio; None: the default shares


@dataclass(frozen=True)
class Transfer:
    payer: str
    payee: str
    amount: Decimal


@dataclass
class Statement:
    parties: list[str]
    total_cost: Decimal
    owed: dict[str, Decimal]
    paid: dict[str, Decimal]
    balance: dict[str, Decimal]  # paid − owed: positive = is owed money
    transfers: list[Transfer]
    per_cost: list[tuple[object, dict[str, Decimal]]] = field(default_factory=list)


def split(amount: Decimal, shares: dict[str, Decimal], order: Sequence[str]) -> dict[str, Decimal]:
    """Split an amount in cents by ratios (summing to 1); largest remainder, ties by `order`."""
    if amount != amount.quantize(CENT):
        raise SettlementError("amount has fractions of a cent")
    total_ratio = sum(shares.values(), Decimal(0))
    if total_ratio != 1:
        raise SettlementError(f"shares sum to {total_ratio}, not 1")
    cents = int(amount / CENT)
    parties = [p for p in order if p in shares]
    exact = {p: Decimal(cents) * shares[p] for p in parties}
    base = {p: int(exact[p].to_integral_value(rounding=ROUND_DOWN)) for p in parties}
    left = cents - sum(base.values())
    rank = sorted(parties, key=lambda p: (-(exact[p] - base[p]), parties.index(p)))
    for p in rank[:left]:
        base[p] += 1
    return {p: Decimal(base[p]) * CENT for p in parties}


def settle(
    *, parties: Sequence[str], default_shares: dict[str, Decimal], costs: Sequence[Cost], paid: dict[str, Decimal]
) -> Statement:
    order = list(parties)
    unknown = (set(default_shares) | set(paid)) - set(order)
    if unknown:
        raise SettlementError(f"unknown parties: {sorted(unknown)}")
    owed = {p: Decimal("0.00") for p in order}
    per_cost = []
    for cost in costs:
        shares = cost.shares or default_shares
        if set(shares) - set(order):
            raise SettlementError(f"unknown parties: {sorted(set(shares) - set(order))}")
        parts = split(cost.amount, shares, order)
        per_cost.append((cost.key, parts))
        for p, v in parts.items():
            owed[p] += v
    paid_all = {p: paid.get(p, Decimal("0.00")).quantize(CENT) for p in order}
    total_cost = sum((c.amount for c in costs), Decimal("0.00"))
    if sum(paid_all.values(), Decimal(0)) != total_cost:
        raise SettlementError("payments do not add up to the costs")
    balance = {p: paid_all[p] - owed[p] for p in order}
    return Statement(
        parties=order,
        total_cost=total_cost,
        owed=owed,
        paid=paid_all,
        balance=balance,
        transfers=transfers(balance, order),
        per_cost=per_cost,
    )


def transfers(balance: dict[str, Decimal], order: Sequence[str]) -> list[Transfer]:
    """Greedy: the largest debtor pays the largest creditor (ties by `order`); ≤ n − 1 transfers."""
    if sum(balance.values(), Decimal(0)) != 0:
        raise SettlementError("balances do not sum to zero")
    pos = {p: i for i, p in enumerate(order)}
    debt = {p: -v for p, v in balance.items() if v < 0}
    credit = {p: v for p, v in balance.items() if v > 0}
    out = []
    while debt and credit:
        d = min(debt, key=lambda p: (-debt[p], pos[p]))
        c = min(credit, key=lambda p: (-credit[p], pos[p]))
        amount = min(debt[d], credit[c])
        out.append(Transfer(payer=d, payee=c, amount=amount))
        debt[d] -= amount
        credit[c] -= amount
        if debt[d] == 0:
            del debt[d]
        if credit[c] == 0:
            del credit[c]
    return out


def digest(statement: Statement) -> str:
    """A fingerprint of the figures, so a sign-off shows whether the statement changed since."""
    import hashlib

    parts = [f"{p}:{statement.owed[p]}:{statement.paid[p]}" for p in statement.parties]
    return hashlib.sha256("|".join([str(statement.total_cost), *parts]).encode()).hexdigest()
