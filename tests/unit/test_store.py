from __future__ import annotations

import sqlite3

import pytest

import qualcode.store.core as core
from qualcode.errors import ConflictError, NotFoundError, ProjectError, ProjectLockedError
from qualcode.store import Store
from tests.conftest import TRANSCRIPT


def test_sentence_fixture_matches_text(small_project):
    store, doc = small_project
    text = store.document_text(doc)
    sentences = [text[s.start:s.end] for s in store.segments(doc)]
    assert sentences[1] == "Meillä on pieni lahjatavarakauppa."
    assert text == TRANSCRIPT


def test_new_project_records_schema_version_and_pragmas(tmp_path):
    path = tmp_path / "p.qualcode"
    with Store.open(path, create=True) as store:
        assert store.schema_version == core.SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_older_project_is_upgraded_on_open(tmp_path, monkeypatch):
    path = tmp_path / "p.qualcode"
    Store.open(path, create=True).close()
    extra = "CREATE TABLE future_things (id INTEGER PRIMARY KEY, name TEXT)"
    monkeypatch.setattr(core, "MIGRATIONS", [*core.MIGRATIONS, extra])
    monkeypatch.setattr(core, "SCHEMA_VERSION", len(core.MIGRATIONS))
    with Store.open(path) as store:
        assert store.schema_version == len(core.MIGRATIONS)
        assert "future_things" in store.db.table_names()


def test_newer_project_is_refused(tmp_path):
    path = tmp_path / "p.qualcode"
    Store.open(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="newer qualcode"):
        Store.open(path)


def test_files_that_are_not_projects_are_refused(tmp_path):
    text = tmp_path / "notes.qualcode"
    text.write_text("not a database")
    with pytest.raises(ProjectError, match="not an SQLite database"):
        Store.open(text)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="not a qualcode project"):
        Store.open(other)
    with pytest.raises(ProjectError, match="qualcode init"):
        Store.open(tmp_path / "missing.qualcode")


def test_second_writer_is_refused_but_readers_work(tmp_path):
    path = tmp_path / "p.qualcode"
    with Store.open(path, create=True) as writer:
        writer.add_code("Tunteet")
        with pytest.raises(ProjectLockedError, match="another qualcode process"):
            Store.open(path)
        with Store.open(path, read_only=True) as reader:
            assert [c.name for c in reader.codes()] == ["Tunteet"]
            with pytest.raises(ProjectError, match="read-only"):
                reader.add_code("Other")
    with Store.open(path) as again:
        assert again.counts()["codes"] == 1


def test_constraints(small_project):
    store, doc = small_project
    code = store.add_code("Odotukset")
    with pytest.raises(ConflictError, match="not inside the document"):
        store.add_coding(doc, code, 10, 10_000)
    with pytest.raises(ConflictError):
        store.add_coding(doc, code, 20, 10)
    with pytest.raises(ConflictError, match="already exists"):
        store.add_code("Odotukset")
    with pytest.raises(NotFoundError):
        store.add_coding(doc, 999, 0, 5)
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.db.execute("INSERT INTO codings(document_id, code_id, start, \"end\", created_at, modified_at, guid)"
                             " VALUES (?, 999, 0, 5, 'x', 'x', 'g')", [doc])


def test_failed_action_rolls_back_everything(small_project):
    store, doc = small_project
    code = store.add_code("Kokemukset")
    before = store.counts()
    with pytest.raises(RuntimeError):
        with store.action("half done"):
            store.add_coding(doc, code, 0, 5)
            store.add_code("Uusi")
            raise RuntimeError("boom")
    assert store.counts() == before
    assert store.db.execute("SELECT count(*) FROM audit WHERE action = 'half done'").fetchone()[0] == 0


def test_undo_redo_in_order_and_new_action_clears_redo(small_project):
    store, doc = small_project
    code = store.add_code("Tunteet")
    first = store.add_coding(doc, code, 3, 10)
    store.update_coding(first, end=12)
    store.set_memo("code", code, "Feelings about the supplier")
    assert store.undo() == "memo on code"
    assert store.memo("code", code) is None
    assert store.undo() == "change coding"
    assert store.coding(first).end == 10
    assert store.redo() == "change coding"
    assert store.coding(first).end == 12
    store.add_code("Another")  # a new action discards the undone memo
    assert store.redo() is None
    assert store.undo() == "add code Another"


def test_undo_survives_restart(tmp_path):
    path = tmp_path / "p.qualcode"
    with Store.open(path, create=True) as store:
        doc = store.add_document(title="D", text=TRANSCRIPT, format="txt", language="fi")
        code = store.add_code("Tunteet")
        store.add_coding(doc, code, 3, 10)
    with Store.open(path) as store:
        assert store.undo() == "apply code Tunteet"
        assert store.codings() == []
    with Store.open(path) as store:
        assert store.redo() == "apply code Tunteet"
        assert len(store.codings()) == 1


def test_delete_code_is_guarded_and_undo_restores_codings(small_project):
    store, doc = small_project
    parent = store.add_code("Prosessi")
    child = store.add_code("Tilaaminen", parent_id=parent)
    store.add_coding(doc, child, 3, 10)
    with pytest.raises(ConflictError, match="1 codings"):
        store.delete_code(parent)
    assert store.delete_code(parent, force=True) == 1
    assert store.codes() == [] and store.codings() == []
    store.undo()
    assert [c.name for c in store.codes()] == ["Prosessi", "Tilaaminen"]
    assert len(store.codings(code_ids=[child])) == 1


def test_merge_codes_moves_codings_without_duplicates(small_project):
    store, doc = small_project
    a, b = store.add_code("Ärsytys"), store.add_code("Turhautuminen")
    store.add_coding(doc, a, 3, 10)
    store.add_coding(doc, b, 3, 10)
    store.add_coding(doc, a, 12, 20)
    assert store.merge_codes(a, b) == 1
    assert [(c.start, c.end) for c in store.codings(code_ids=[b])] == [(3, 10), (12, 20)]
    with pytest.raises(NotFoundError):
        store.code(a)


def test_find_code_by_path_and_ambiguity(store):
    for parent in ("Tilaaminen", "Myynti"):
        pid = store.add_code(parent)
        store.add_code("Tarve", parent_id=pid)
    with pytest.raises(ConflictError, match="ambiguous"):
        store.find_code("Tarve")
    assert store.code_path(store.find_code("Myynti > Tarve").id) == ["Myynti", "Tarve"]


def test_respondents_sort_naturally_with_typed_attributes(store):
    for label in ("H10", "H2", "H1"):
        store.set_attribute(label, "duration", "45", "number")
    store.set_attribute("H2", "type", "non-profit")
    respondents = store.respondents()
    assert [r.label for r in respondents] == ["H1", "H2", "H10"]
    assert respondents[1].attributes == {"duration": 45, "type": "non-profit"}


def test_audit_log_records_who_and_what(small_project):
    store, doc = small_project
    code = store.add_code("Tunteet")
    store.add_coding(doc, code, 3, 10)
    entries = store.history(5)
    assert entries[0]["action"] == "apply code Tunteet"
    assert entries[0]["who"] == "tester"
    assert entries[0]["operation"] == "insert"
