"""Inbound calls (placeholder: filled in by the next commit)."""


class Inbound:
    def __init__(self, edge) -> None:
        self.edge = edge

    async def call(self, frm: str, to: str, hold_ms: int) -> dict:
        return {"final": 503, "attempts": [], "call_id": ""}
