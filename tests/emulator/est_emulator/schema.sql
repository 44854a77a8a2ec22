PRAGMA foreign_keys = ON;

-- Sinch never cascades a delete to dependents (live behaviour in the assumptions register): endpoints and bindings
-- reference their trunk, ACL and credential list without a cascade, so a delete the API layer let
-- through by mistake fails here instead of silently taking them along. IP ranges and credentials
-- are parts of their list, not dependents: they go with it.

CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS trunks (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    host_name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS trunks_project ON trunks(project_id, rid);

CREATE TABLE IF NOT EXISTS endpoints (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    trunk_id TEXT NOT NULL REFERENCES trunks(id),
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS endpoints_project ON endpoints(project_id);
CREATE INDEX IF NOT EXISTS endpoints_trunk ON endpoints(trunk_id, rid);

CREATE TABLE IF NOT EXISTS acls (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS acls_project ON acls(project_id, rid);

CREATE TABLE IF NOT EXISTS ip_ranges (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    acl_id TEXT NOT NULL REFERENCES acls(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ip_ranges_acl ON ip_ranges(acl_id, rid);

CREATE TABLE IF NOT EXISTS trunk_acls (
    rid INTEGER PRIMARY KEY,
    trunk_id TEXT NOT NULL REFERENCES trunks(id),
    acl_id TEXT NOT NULL REFERENCES acls(id),
    UNIQUE (trunk_id, acl_id)
);
CREATE INDEX IF NOT EXISTS trunk_acls_acl ON trunk_acls(acl_id);

CREATE TABLE IF NOT EXISTS credential_lists (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS credential_lists_project ON credential_lists(project_id, rid);

CREATE TABLE IF NOT EXISTS credentials (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    cl_id TEXT NOT NULL REFERENCES credential_lists(id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    password_sha256 TEXT NOT NULL,
    password TEXT,  -- for the SIP edge's digest check only (RFC 2617 HA1 needs it); never served
    UNIQUE (cl_id, username)
);

CREATE TABLE IF NOT EXISTS trunk_credential_lists (
    rid INTEGER PRIMARY KEY,
    trunk_id TEXT NOT NULL REFERENCES trunks(id),
    cl_id TEXT NOT NULL REFERENCES credential_lists(id),
    UNIQUE (trunk_id, cl_id)
);
CREATE INDEX IF NOT EXISTS trunk_cls_cl ON trunk_credential_lists(cl_id);

CREATE TABLE IF NOT EXISTS country_permissions (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    iso_code TEXT NOT NULL,
    ord INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    PRIMARY KEY (project_id, iso_code)
);

CREATE TABLE IF NOT EXISTS call_blocking_rules (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rules_project ON call_blocking_rules(project_id, rid);

CREATE TABLE IF NOT EXISTS numbers (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    phone_number TEXT NOT NULL,
    country_code TEXT NOT NULL,
    sip_trunk_id TEXT NOT NULL DEFAULT '',
    sched_trunk_id TEXT,
    sched_time TEXT,
    sched_due REAL,
    voice_updated TEXT,
    config TEXT NOT NULL DEFAULT '{}',
    create_time TEXT NOT NULL,
    update_time TEXT,
    UNIQUE (project_id, phone_number)
);
CREATE INDEX IF NOT EXISTS numbers_due ON numbers(sched_due) WHERE sched_due IS NOT NULL;
CREATE INDEX IF NOT EXISTS numbers_trunk ON numbers(project_id, sip_trunk_id);

CREATE TABLE IF NOT EXISTS calls (
    rid INTEGER PRIMARY KEY,
    call_id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    trunk_id TEXT NOT NULL,
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    direction TEXT NOT NULL,
    call_result TEXT NOT NULL,
    created REAL NOT NULL,
    from_cc TEXT NOT NULL,
    to_cc TEXT NOT NULL,
    emergency INTEGER NOT NULL,
    pcap_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    sip_code INTEGER  -- the final SIP response code (export column sipResponseCode)
);
CREATE INDEX IF NOT EXISTS calls_project_time ON calls(project_id, created);
CREATE INDEX IF NOT EXISTS calls_pcap ON calls(pcap_id);
