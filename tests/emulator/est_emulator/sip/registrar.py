"""Registrar (placeholder: filled in by the next commit)."""


class Registrar:
    def __init__(self, edge) -> None:
        self.edge = edge
        self.bindings: dict = {}

    def active(self) -> list[dict]:
        return []
