"""How called numbers answer outbound calls, scripted by number prefix (POST /_emulator/sip/destinations)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

RING_TIMEOUT_MS = 30_000  # a no-answer destination rings this long, then the edge answers 480


@dataclass(frozen=True)
class Destination:
    prefix: str = "+"
    answer_after_ms: int = 0
    hangup_after_ms: int | None = None
    busy: bool = False
    no_answer: bool = False
    fail: int | None = None
    ring_timeout_ms: int = RING_TIMEOUT_MS


DEFAULT = Destination()


def _int(body: dict, key: str, default: int | None, low: int, high: int, nullable: bool = False) -> int | None:
    value = body.get(key, default)
    if value is None and nullable:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{key} must be an integer from {low} to {high}" + (" or null" if nullable else ""))
    return value


def parse(body: dict) -> Destination:
    unknown = sorted(set(body) - set(Destination.__dataclass_fields__))
    if unknown:
        raise ValueError(f"unknown fields {', '.join(unknown)}")
    prefix = body.get("prefix")
    if not isinstance(prefix, str) or not prefix.startswith("+") or not prefix[1:].isdigit() and prefix != "+":
        raise ValueError('prefix must be "+" followed by digits, such as "+4670"')
    for key in ("busy", "no_answer"):
        if not isinstance(body.get(key, False), bool):
            raise ValueError(f"{key} must be true or false")
    return Destination(prefix, _int(body, "answer_after_ms", 0, 0, 600_000),
                       _int(body, "hangup_after_ms", None, 0, 3_600_000, nullable=True),
                       body.get("busy", False), body.get("no_answer", False),
                       _int(body, "fail", None, 300, 699, nullable=True),
                       _int(body, "ring_timeout_ms", RING_TIMEOUT_MS, 0, 600_000))


class Destinations:
    """The rules by prefix; the longest matching prefix wins, a later rule replaces one of the same prefix."""

    def __init__(self) -> None:
        self.rules: dict[str, Destination] = {}

    def add(self, body: dict) -> dict:
        rule = parse(body)
        self.rules[rule.prefix] = rule
        return asdict(rule)

    def clear(self) -> None:
        self.rules.clear()

    def listing(self) -> list[dict]:
        return [asdict(r) for r in sorted(self.rules.values(), key=lambda r: r.prefix)]

    def for_number(self, number: str) -> Destination:
        hits = [r for p, r in self.rules.items() if number.startswith(p)]
        return max(hits, key=lambda r: len(r.prefix)) if hits else DEFAULT
