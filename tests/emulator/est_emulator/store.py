"""The SQLite store: one connection, used only from the event-loop thread."""

import datetime as dt
import json
import os
import sqlite3
import time

from . import countries

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_clock = {"offset": 0.0}


def now():
    """Emulator time (wall clock plus the offset set by POST /_emulator/time)."""
    return time.time() + _clock["offset"]


def set_offset(seconds):
    _clock["offset"] = float(seconds)


def iso(ts=None):
    ts = now() if ts is None else ts
    d = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def iso_seconds(ts):
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id(rng=None):
    """A ULID: 48-bit millisecond time + 80 random bits, Crockford base32."""
    value = (int(now() * 1000) << 80) | int.from_bytes(rng.randbytes(10) if rng else os.urandom(10), "big")
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in range(25, -1, -1))


class Store:
    def __init__(self, path=":memory:"):
        self.db = sqlite3.connect(path or ":memory:", isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        if path and path != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
        with open(os.path.join(os.path.dirname(__file__), "schema.sql"), encoding="utf-8") as fh:
            self.db.executescript(fh.read())
        # a --db file from before numbers kept their Numbers API settings
        if "config" not in {r["name"] for r in self.q("PRAGMA table_info(numbers)")}:
            self.x("ALTER TABLE numbers ADD COLUMN config TEXT NOT NULL DEFAULT '{}'")
        # and from before the SIP edge (a credential from then has no password: digest never succeeds)
        if "password" not in {r["name"] for r in self.q("PRAGMA table_info(credentials)")}:
            self.x("ALTER TABLE credentials ADD COLUMN password TEXT")
        if "sip_code" not in {r["name"] for r in self.q("PRAGMA table_info(calls)")}:
            self.x("ALTER TABLE calls ADD COLUMN sip_code INTEGER")

    # -- helpers ---------------------------------------------------------
    def q(self, sql, args=()):
        return self.db.execute(sql, args).fetchall()

    def one(self, sql, args=()):
        return self.db.execute(sql, args).fetchone()

    def x(self, sql, args=()):
        return self.db.execute(sql, args)

    def tx(self):
        return Transaction(self.db)

    def doc(self, table, ident, project):
        row = self.one(f"SELECT doc FROM {table} WHERE id = ? AND project_id = ?", (ident, project))
        return json.loads(row["doc"]) if row else None

    def save_doc(self, table, ident, doc):
        self.x(f"UPDATE {table} SET doc = ? WHERE id = ?", (json.dumps(doc), ident))

    # -- projects --------------------------------------------------------
    def ensure_project(self, project):
        if self.one("SELECT 1 FROM projects WHERE id = ?", (project,)):
            return False
        self.x("INSERT INTO projects(id) VALUES (?)", (project,))
        self.seed_country_permissions(project)
        return True

    def seed_country_permissions(self, project):
        self.db.executemany(
            "INSERT OR REPLACE INTO country_permissions(project_id, iso_code, ord, enabled) VALUES (?,?,?,?)",
            [(project, c["isoCode"], i, 1 if c["isoCode"] in countries.DEFAULT_ENABLED else 0)
             for i, c in enumerate(countries.COUNTRIES)],
        )

    def projects(self):
        return [r["id"] for r in self.q("SELECT id FROM projects ORDER BY rowid")]

    def reset(self, project=None):
        targets = [project] if project else self.projects()
        with self.tx():
            for p in targets:
                # dependents first: nothing cascades to them (schema.sql)
                self.x("DELETE FROM endpoints WHERE project_id = ?", (p,))
                for table in ("trunk_acls", "trunk_credential_lists"):
                    self.x(f"DELETE FROM {table} WHERE trunk_id IN (SELECT id FROM trunks WHERE project_id = ?)", (p,))
                # same rowid: the admin API's default project is the first one configured
                rowid = self.one("SELECT rowid FROM projects WHERE id = ?", (p,))[0]
                self.x("DELETE FROM projects WHERE id = ?", (p,))
                self.x("INSERT INTO projects(rowid, id) VALUES (?, ?)", (rowid, p))
                self.seed_country_permissions(p)


class Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False


def page_args(query, default=500, maximum=500):
    """(page, size) from `page` and `size` or `pageSize` query values."""
    from .errors import ApiError

    violations = []
    page = query.get("page", "1") or "1"
    size_key = "size" if "size" in query.d else ("pageSize" if "pageSize" in query.d else None)
    size = query.get(size_key) if size_key else None
    try:
        page = int(page)
        if page < 1:
            violations.append(("page", "must be >= 1"))
    except ValueError:
        violations.append(("page", "must be an integer"))
    if size in (None, ""):
        size = default
    else:
        try:
            size = int(size)
            if not 1 <= size <= maximum:
                violations.append((size_key, f"must be between 1 and {maximum}"))
        except ValueError:
            violations.append((size_key, "must be an integer"))
    if violations:
        raise ApiError(400, f"Invalid argument: {violations[0][0]}: {violations[0][1]}", violations)
    return page, size


def envelope(key, items, total, page, size):
    return {key: items, "totalItems": total, "pageNumber": page, "pageSize": size}


def paged_docs(ctx, table, owner_column, owner_id, items_key, expand=None):
    """The list reply of `table`'s documents that `owner_column` ties to `owner_id`, oldest first;
    `expand(store, doc)` adds what a document keeps in other tables."""
    page, size = page_args(ctx.query)
    total = ctx.store.one(f"SELECT count(*) FROM {table} WHERE {owner_column} = ?", (owner_id,))[0]
    rows = ctx.store.q(f"SELECT doc FROM {table} WHERE {owner_column} = ? ORDER BY rid LIMIT ? OFFSET ?",
                       (owner_id, size, (page - 1) * size))
    items = [json.loads(r["doc"]) for r in rows]
    if expand is not None:
        items = [expand(ctx.store, item) for item in items]
    return 200, envelope(items_key, items, total, page, size)
