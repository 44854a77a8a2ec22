"""Fault injection for API requests (never for the admin API)."""

import random
import re

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
DEFAULTS = {"rate": 0.0, "statuses": [429, 503], "retry_after": None, "after_commit_rate": 0.0,
            "latency_ms": 0, "seed": None, "max_faults": None, "methods": None, "path_regex": None,
            "reset_rate": 0.0}


class FaultConfigError(ValueError):
    pass


class Faults:
    def __init__(self):
        self.configure({})

    def configure(self, body):
        if not isinstance(body, dict):
            raise FaultConfigError("body must be a JSON object")
        unknown = set(body) - set(DEFAULTS)
        if unknown:
            raise FaultConfigError("unknown fault settings: " + ", ".join(sorted(unknown)))
        nullable = ("max_faults", "methods", "path_regex", "retry_after", "seed")
        cfg = {**DEFAULTS, **{k: v for k, v in body.items() if v is not None or k in nullable}}
        for key in ("rate", "after_commit_rate", "reset_rate"):
            if not isinstance(cfg[key], (int, float)) or isinstance(cfg[key], bool) or not 0 <= cfg[key] <= 1:
                raise FaultConfigError(f"{key} must be a number between 0 and 1")
        if not isinstance(cfg["statuses"], list) or not cfg["statuses"] or not all(
                isinstance(s, int) and 400 <= s <= 599 for s in cfg["statuses"]):
            raise FaultConfigError("statuses must be a non-empty list of HTTP error statuses")
        if not isinstance(cfg["latency_ms"], (int, float)) or cfg["latency_ms"] < 0:
            raise FaultConfigError("latency_ms must be >= 0")
        if cfg["max_faults"] is not None and (not isinstance(cfg["max_faults"], int) or cfg["max_faults"] < 0):
            raise FaultConfigError("max_faults must be a non-negative integer or null")
        if cfg["methods"] is not None:
            if not isinstance(cfg["methods"], list) or not all(isinstance(m, str) for m in cfg["methods"]):
                raise FaultConfigError("methods must be a list of HTTP methods or null")
            cfg["methods"] = [m.upper() for m in cfg["methods"]]
        try:
            self.regex = re.compile(cfg["path_regex"]) if cfg["path_regex"] else None
        except (re.error, TypeError):
            raise FaultConfigError("path_regex is not a valid regular expression") from None
        self.config = cfg
        self.rng = random.Random(cfg["seed"])
        self.counts = {"requests_seen": 0, "injected": 0, "status": 0, "after_commit": 0, "reset": 0}
        self.by_status = {}

    @property
    def active(self):
        c = self.config
        return bool(c["rate"] or c["after_commit_rate"] or c["reset_rate"] or c["latency_ms"])

    def applies(self, method, path):
        c = self.config
        if c["methods"] is not None and method not in c["methods"]:
            return False
        return not (self.regex and not self.regex.search(path))

    def exhausted(self):
        return self.config["max_faults"] is not None and self.counts["injected"] >= self.config["max_faults"]

    def decide(self, method):
        """'reset', ('status', code), 'after_commit' or None, for one matching request."""
        self.counts["requests_seen"] += 1
        if self.exhausted():
            return None
        c = self.config
        r = self.rng.random()
        if r < c["reset_rate"]:
            return self._count("reset")
        if r < c["reset_rate"] + c["rate"]:
            code = self.rng.choice(c["statuses"])
            self.by_status[str(code)] = self.by_status.get(str(code), 0) + 1
            self._count("status")
            return ("status", code)
        if method in WRITES and c["after_commit_rate"] and self.rng.random() < c["after_commit_rate"]:
            return self._count("after_commit")
        return None

    def _count(self, kind):
        self.counts["injected"] += 1
        self.counts[kind] += 1
        return kind

    def report(self):
        return {"config": self.config, "active": self.active, "counts": {**self.counts, "by_status": self.by_status}}
