"""Full-text structures of each backend, created only on its own database vendor.

SQLite: an FTS5 table over search_searchentry (external content, rowid = product id) kept in step by
triggers, so any write to the entry table updates the full-text index in the same transaction.
PostgreSQL: a stored generated tsvector column ('simple' config: the text is already folded, no
stemming wanted) with name/context/body weighted A/B/C, and a GIN index on it.

On SQLite, a later migration that alters search_searchentry makes Django rebuild the table, which
drops these triggers: such a migration must re-create them (and run `taybac rebuild_search_index`).
"""

from django.db import migrations

from taybac.search.dbops import VendorRunSQL

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        name, context, body,
        content='search_searchentry', content_rowid='product_id',
        tokenize='unicode61 remove_diacritics 0', prefix='1 2 3'
    )""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, name, context, body)
        VALUES (new.product_id, new.name, new.context, new.body);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, name, context, body)
        VALUES ('delete', old.product_id, old.name, old.context, old.body);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, name, context, body)
        VALUES ('delete', old.product_id, old.name, old.context, old.body);
        INSERT INTO search_fts(rowid, name, context, body)
        VALUES (new.product_id, new.name, new.context, new.body);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, name), 'A')
        || setweight(to_tsvector('simple'::regconfig, context), 'B')
        || setweight(to_tsvector('simple'::regconfig, body), 'C')
    ) STORED""",
    "CREATE INDEX search_entry_document_gin ON search_searchentry USING GIN (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        VendorRunSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorRunSQL("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
