"""Credential lists and their credentials. The API serves passwords never; the SIP edge reads them
to check digest answers (RFC 2617's HA1 hashes the realm, the trunk domain, with the password)."""

import hashlib
import json
import re

from .errors import not_found
from .routes import route
from .store import iso, new_id, paged_docs
from .trunks import counted, refuse_delete, trunks_bound_to
from .validation import Fields


# Sinch's live rule (live behaviour in the assumptions register); the description never repeats the password.
PASSWORD_RULE = "must be at least 12 characters with an upper-case letter, a lower-case letter and a digit"
PASSWORD_CLASSES = (re.compile(r"[A-Z]"), re.compile(r"[a-z]"), re.compile(r"[0-9]"))


def check_password(f, field: str, password) -> None:
    if isinstance(password, str) and (len(password) < 12 or not all(c.search(password) for c in PASSWORD_CLASSES)):
        f.fail(field, PASSWORD_RULE)


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def get_list(ctx, cl_id):
    doc = ctx.store.doc("credential_lists", cl_id, ctx.project)
    if doc is None:
        raise not_found("Credential list", cl_id)
    return doc


def full_list(store, doc):
    creds = [{"id": r["id"], "username": r["username"]}
             for r in store.q("SELECT id, username FROM credentials WHERE cl_id = ? ORDER BY rid", (doc["id"],))]
    return {**doc, "credentials": creds}


def endpoints_using(ctx, cl_id: str) -> list[str]:
    """Ids of the project's registered endpoints whose credentialUsername is one of this list's usernames:
    Sinch counts them as attached to the list whatever trunk they are on (live behaviour in the assumptions register)."""
    usernames = {r[0] for r in ctx.store.q("SELECT username FROM credentials WHERE cl_id = ?", (cl_id,))}
    if not usernames:
        return []
    docs = (json.loads(r[0]) for r in ctx.store.q("SELECT doc FROM endpoints WHERE project_id = ? ORDER BY rid",
                                                  (ctx.project,)))
    return [d["id"] for d in docs if d.get("isRegistered") and d.get("credentialUsername") in usernames]


def _credentials(f, items):
    out, seen = [], set()
    for i, item in enumerate(items or []):
        sub = Fields(item, f"credentials[{i}].")
        username = sub.str("username", required=True)
        password = sub.str("password", required=True)
        check_password(sub, "password", password)
        if isinstance(username, str) and username in seen:
            sub.fail("username", "is listed twice")
        seen.add(username)
        f.violations += sub.violations
        out.append((username, password))
    return out


def _replace_credentials(store, cl_id, creds):
    store.x("DELETE FROM credentials WHERE cl_id = ?", (cl_id,))
    for username, password in creds:
        store.x("INSERT INTO credentials(id, cl_id, username, password_sha256, password) VALUES (?,?,?,?,?)",
                (new_id(), cl_id, username, sha256(password), password))


@route("POST", "/credentialLists")
async def create_list(ctx):
    f = Fields(ctx.object())
    name = f.str("name", required=True)
    creds = _credentials(f, f.list("credentials", default=[]))
    f.check()
    cl_id = new_id()
    doc = {"id": cl_id, "name": name, "createTime": iso(), "updateTime": None, "projectId": ctx.project}
    with ctx.store.tx():
        ctx.store.x("INSERT INTO credential_lists(id, project_id, doc) VALUES (?,?,?)",
                    (cl_id, ctx.project, json.dumps(doc)))
        _replace_credentials(ctx.store, cl_id, creds)
    return 200, full_list(ctx.store, doc)


@route("GET", "/credentialLists")
async def list_lists(ctx):
    return paged_docs(ctx, "credential_lists", "project_id", ctx.project, "credentialLists", expand=full_list)


@route("GET", "/credentialLists/{cl_id}")
async def read_list(ctx, cl_id):
    return 200, full_list(ctx.store, get_list(ctx, cl_id))


@route("PUT", "/credentialLists/{cl_id}")
async def update_list(ctx, cl_id):
    doc = get_list(ctx, cl_id)
    f = Fields(ctx.object())
    name = f.str("name", required=True)
    items = f.list("credentials")
    creds = _credentials(f, items) if items is not None else None
    f.check()
    doc.update(name=name, updateTime=iso())
    with ctx.store.tx():
        ctx.store.save_doc("credential_lists", cl_id, doc)
        if creds is not None:
            _replace_credentials(ctx.store, cl_id, creds)
    return 200, full_list(ctx.store, doc)


@route("DELETE", "/credentialLists/{cl_id}")
async def delete_list(ctx, cl_id):
    get_list(ctx, cl_id)
    remaining = []
    trunks = [r[0] for r in ctx.store.q("SELECT trunk_id FROM trunk_credential_lists WHERE cl_id = ? ORDER BY rid",
                                        (cl_id,))]
    if trunks:
        remaining.append(f"{counted(len(trunks), 'bound trunk', 'bound trunks')} ({', '.join(trunks)})")
    endpoints = endpoints_using(ctx, cl_id)
    if endpoints:
        remaining.append(f"{counted(len(endpoints), 'registered endpoint', 'registered endpoints')} using its "
                         f"usernames ({', '.join(endpoints)})")
    if remaining:
        raise refuse_delete(f"Credential list {cl_id}", remaining,
                            "Unbind it from every trunk and delete or change the registered endpoints that use "
                            "its usernames first.")
    ctx.store.x("DELETE FROM credential_lists WHERE id = ?", (cl_id,))
    return 204, None


@route("GET", "/credentialLists/{cl_id}/trunks")
async def list_trunks(ctx, cl_id):
    get_list(ctx, cl_id)
    return trunks_bound_to(ctx, "credentialLists", cl_id)


@route("PUT", "/credentialLists/{cl_id}/credentials/{username}")
async def put_credential(ctx, cl_id, username):
    doc = get_list(ctx, cl_id)
    f = Fields(ctx.object())
    password = f.str("password", required=True)
    check_password(f, "password", password)
    f.check()
    row = ctx.store.one("SELECT id FROM credentials WHERE cl_id = ? AND username = ?", (cl_id, username))
    with ctx.store.tx():
        if row:
            cred_id = row["id"]
            ctx.store.x("UPDATE credentials SET password_sha256 = ?, password = ? WHERE id = ?",
                        (sha256(password), password, cred_id))
        else:
            cred_id = new_id()
            ctx.store.x("INSERT INTO credentials(id, cl_id, username, password_sha256, password) VALUES (?,?,?,?,?)",
                        (cred_id, cl_id, username, sha256(password), password))
        doc["updateTime"] = iso()
        ctx.store.save_doc("credential_lists", cl_id, doc)
    return 200, {"id": cred_id, "username": username}


@route("DELETE", "/credentialLists/{cl_id}/credentials/{username}")
async def delete_credential(ctx, cl_id, username):
    doc = get_list(ctx, cl_id)
    cur = ctx.store.x("DELETE FROM credentials WHERE cl_id = ? AND username = ?", (cl_id, username))
    if cur.rowcount == 0:
        raise not_found("Credential", username)
    doc["updateTime"] = iso()
    ctx.store.save_doc("credential_lists", cl_id, doc)
    return 204, None
