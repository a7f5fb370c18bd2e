"""`make bench` (bench/__main__.py) and its steps."""


def verdict(ok: bool | None) -> str:
    """A figure against its goal, as every bench prints it: ok, MISS, or — where there is no goal."""
    return "—" if ok is None else ("ok" if ok else "MISS")
