"""Schema migrations, applied in order on open; `PRAGMA user_version` records the version.

To change the schema, append a new script to MIGRATIONS. Never edit a released one: project
files made by earlier versions are upgraded by running the scripts they have not seen.
"""

from __future__ import annotations

MIGRATION_1 = """
CREATE TABLE respondents (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE CHECK (length(trim(label)) > 0)
);
CREATE TABLE attributes (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL DEFAULT 'text' CHECK (type IN ('text', 'number', 'date', 'boolean'))
);
CREATE TABLE respondent_attributes (
    respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    attribute TEXT NOT NULL REFERENCES attributes(name) ON DELETE CASCADE,
    value TEXT,
    PRIMARY KEY (respondent_id, attribute)
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE,
    respondent_id INTEGER REFERENCES respondents(id) ON DELETE SET NULL,
    source_name TEXT,
    source_hash TEXT,
    content_hash TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'fi',
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    original BLOB,
    imported_at TEXT NOT NULL,
    round INTEGER,
    guid TEXT NOT NULL UNIQUE
);
CREATE INDEX documents_source_hash ON documents(source_hash);
CREATE INDEX documents_content_hash ON documents(content_hash);
CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('interviewer', 'respondent', 'other')),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label_start INTEGER NOT NULL,
    timestamp TEXT,
    CHECK (0 <= label_start AND label_start <= start AND start <= "end"),
    UNIQUE (document_id, idx)
);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    turn_id INTEGER REFERENCES turns(id) ON DELETE SET NULL,
    CHECK (0 <= start AND start < "end"),
    UNIQUE (document_id, idx)
);
CREATE TABLE codebooks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    framework TEXT,
    language TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    codebook_id INTEGER NOT NULL REFERENCES codebooks(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    colour TEXT NOT NULL DEFAULT '#888888',
    description TEXT NOT NULL DEFAULT '',
    key TEXT,
    guid TEXT NOT NULL UNIQUE,
    framework_path TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    finding TEXT
);
CREATE UNIQUE INDEX codes_unique_name ON codes(codebook_id, coalesce(parent_id, 0), name);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    coder TEXT NOT NULL DEFAULT 'default',
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    memo TEXT,
    guid TEXT NOT NULL UNIQUE,
    origin TEXT,
    CHECK (0 <= start AND start < "end")
);
CREATE INDEX codings_document ON codings(document_id, start);
CREATE INDEX codings_code ON codings(code_id);
CREATE UNIQUE INDEX codings_unique ON codings(document_id, code_id, start, "end", coder);
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('project', 'document', 'code')),
    target_id INTEGER,
    text TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT 'default',
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL
);
CREATE UNIQUE INDEX memos_target ON memos(target_type, coalesce(target_id, 0));
CREATE TABLE code_links (
    theme_code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    element_code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    PRIMARY KEY (theme_code_id, element_code_id),
    CHECK (theme_code_id != element_code_id)
);
CREATE TABLE cell_summaries (
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    column_key TEXT NOT NULL,
    text TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    PRIMARY KEY (code_id, column_key)
);
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('dictionary', 'structural', 'speaker')),
    reason TEXT NOT NULL,
    score REAL NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    coding_id INTEGER REFERENCES codings(id) ON DELETE SET NULL,
    UNIQUE (document_id, code_id, start, "end", source)
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete', 'note')),
    before TEXT,
    after TEXT,
    state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'discarded', 'fixed')),
    changed_at TEXT
);
CREATE INDEX audit_group ON audit(group_id);
CREATE INDEX audit_state ON audit(state, group_id);
"""

# Team coding: how a disagreement between coders was resolved.
MIGRATION_2 = """
CREATE TABLE resolutions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    coders TEXT NOT NULL,
    decision TEXT NOT NULL,
    resolved_by TEXT NOT NULL,
    resolved_at TEXT NOT NULL
);
CREATE INDEX resolutions_unit ON resolutions(document_id, code_id, start);
"""

# Search index (FTS5 over chunk texts and lemmas; see store/search.py) and the originally
# suggested span of a suggestion, so a rejected one is never suggested again after an adjustment.
MIGRATION_3 = """
CREATE TABLE search_documents (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    indexed_at TEXT NOT NULL
);
CREATE TABLE search_chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    turn_id INTEGER,
    role TEXT NOT NULL,
    speaker TEXT,
    language TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    lemma TEXT NOT NULL,
    offsets BLOB NOT NULL
);
CREATE INDEX search_chunks_document ON search_chunks(document_id, start);
CREATE VIRTUAL TABLE search_fts USING fts5(
    text, lemma, content = 'search_chunks', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
ALTER TABLE suggestions ADD COLUMN suggested_start INTEGER;
ALTER TABLE suggestions ADD COLUMN suggested_end INTEGER;
CREATE INDEX suggestions_status ON suggestions(status, source, code_id);
"""

MIGRATIONS: list[str] = [MIGRATION_1, MIGRATION_2, MIGRATION_3]

SCHEMA_VERSION = len(MIGRATIONS)
