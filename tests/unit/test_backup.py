"""Backups (online backup API, rolling set, on open and when due), restore, and project checks."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta

import pytest

from qualcode.errors import NotFoundError, ProjectError, ProjectLockedError
from qualcode.store import Store
from qualcode.store.backup import (
    backup,
    backup_folder,
    backup_if_due,
    check_project,
    find_backup,
    is_locked,
    list_backups,
    make_backup,
    restore_backup,
)
from tests.conftest import TRANSCRIPT, simple_spans


def make_project(path, codings: int = 1) -> None:
    with Store.open(path, create=True) as store:
        turns, segments = simple_spans(TRANSCRIPT)
        doc = store.add_document(title="H1", text=TRANSCRIPT, format="txt", language="fi", respondent="H1",
                                 turns=turns, segments=segments)
        code = store.add_code("Toimitus")
        for index in range(codings):
            store.add_coding(doc, code, index, index + 10)


def coding_count(path) -> int:
    with Store.open(path, read_only=True) as store:
        return len(store.codings())


def add_coding(store: Store, start: int) -> None:
    store.add_coding(1, 1, start, start + 5)


def test_backup_of_an_open_store_copies_what_was_committed(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path, codings=3)
    with Store.open(path) as store:
        add_coding(store, 50)
        copy = backup(store, tmp_path / "copy.qualcode")
        with sqlite3.connect(copy) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert coding_count(copy) == 4 and check_project(copy).ok
    memory = Store.memory()
    memory.add_code("Muisti")
    with Store.open(backup(memory, tmp_path / "memory.qualcode"), read_only=True) as restored:
        assert [c.name for c in restored.codes()] == ["Muisti"]


def test_automatic_backup_on_open_only_when_due_and_changed(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path)
    assert list_backups(path) == []  # a fresh project has nothing to protect
    with Store.open(path) as store:
        first = store.last_backup
        assert first is not None and first.parent == tmp_path / "study.qualcode.backups"
        assert first.name.startswith("study-") and first.suffix == ".qualcode"
        assert store.backup_if_due() is None  # the newest is younger than the interval
        assert store.backup_if_due(interval_minutes=0) is None  # nothing changed since
        add_coding(store, 40)
        second = store.backup_if_due(interval_minutes=0)
        assert second is not None and coding_count(second) == 2
    with Store.open(path, read_only=True):
        pass
    Store.open(path).close()
    assert [b.path for b in list_backups(path)] == [second, first]  # neither reopening made a new one


def test_rolling_backups_keep_the_last_k_and_every_manual_one(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path)
    start = datetime(2026, 5, 12, 9, 0, 0)
    with Store.open(path, backups_on_open=False) as store:
        store.set_setting("backup_keep", "3")
        made = []
        for step in range(5):
            add_coding(store, 30 + step)
            made.append(backup_if_due(store, now=start + timedelta(minutes=11 * step)))
        assert backup_if_due(store, now=start + timedelta(minutes=50)) is None  # 6 minutes after the last
        manual = store.backup_now()
    kept = list_backups(path)
    assert [b.kind for b in kept].count("auto") == 3 and manual in [b.path for b in kept]
    assert [b.path for b in kept if b.kind == "auto"] == made[:-4:-1]
    assert made[0].name == "study-20260512-090000.qualcode"
    assert find_backup(path, "latest") == kept[0].path == manual  # made now, after the 2026-05-12 ones
    assert find_backup(path, "2") == made[-1] and find_backup(path, made[-1].name) == made[-1]
    with pytest.raises(NotFoundError, match="list the backups with `qualcode restore"):
        find_backup(path, "nope.qualcode")


def test_backups_can_be_turned_off_and_failures_never_stop_the_work(tmp_path, monkeypatch):
    path = tmp_path / "study.qualcode"
    make_project(path)
    monkeypatch.setenv("QUALCODE_BACKUPS", "off")
    with Store.open(path) as store:
        assert store.last_backup is None
    monkeypatch.delenv("QUALCODE_BACKUPS")
    with Store.open(path) as store:
        store.set_setting("backups", "off")
    with Store.open(path) as store:
        assert store.last_backup is None
        store.set_setting("backups", "on")
    shutil.rmtree(backup_folder(path))
    backup_folder(path).write_text("a file where the folder should be")
    with Store.open(path) as store:  # opening still works
        assert store.last_backup is None and "Automatic backup" in store.backup_error
        add_coding(store, 60)
        assert coding_count(path) == 2


def test_restore_replaces_the_project_and_keeps_what_it_replaced(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path, codings=2)
    saved = make_backup(path, kind="manual")
    with Store.open(path, backups_on_open=False) as store:
        add_coding(store, 70)
    assert coding_count(path) == 3
    kept = restore_backup(path, saved)
    assert coding_count(path) == 2 and coding_count(kept) == 3
    assert kept.name.endswith("-before-restore.qualcode") and check_project(path).ok
    with Store.open(path) as store:  # a restored project is an ordinary project
        add_coding(store, 80)
        assert len(store.codings()) == 3
    restore_backup(path, kept)  # and a restore can be undone
    assert coding_count(path) == 3


def test_restore_is_refused_while_the_project_is_open_for_writing(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path)
    saved = make_backup(path)
    with Store.open(path):
        assert is_locked(path)
        with pytest.raises(ProjectLockedError, match="close it, then restore"):
            restore_backup(path, saved)
    assert not is_locked(path)
    with pytest.raises(ProjectError, match="That is the project itself"):
        restore_backup(path, path)


def test_restore_over_a_damaged_project_keeps_a_raw_copy(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path)
    saved = make_backup(path)
    damaged = b"SQLite format 3\x00" + b"\x13" * 8000
    path.write_bytes(damaged)
    assert not check_project(path).ok
    kept = restore_backup(path, saved)
    assert kept.read_bytes() == damaged
    assert check_project(path).ok and coding_count(path) == 1
    assert [b.kind for b in list_backups(path)] == ["before-restore", "manual"]


def test_check_project_reports_each_kind_of_problem(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path)
    report = check_project(path)
    assert report.ok and report.problems == [] and report.counts == {"documents": 1, "codes": 1, "codings": 1,
                                                                     "memos": 0}
    connection = sqlite3.connect(path)
    connection.execute('UPDATE codings SET "end" = 9999 WHERE id = 1')
    connection.execute("INSERT INTO codings(document_id, code_id, start, \"end\", created_at, modified_at, guid) "
                       "VALUES (1, 42, 0, 5, 'x', 'x', 'g2')")
    connection.execute("UPDATE documents SET text = text || '!'")
    connection.commit()
    connection.close()
    problems = check_project(path).problems
    assert "codings row 1: span 0-9999 is not inside document 'H1' (0-233)." in problems
    assert "codings row 2 refers to a missing codes row." in problems
    assert "document 'H1': its text does not match its content hash." in problems
    (tmp_path / "notes.txt").write_text("not a project")
    assert check_project(tmp_path / "notes.txt").problems[0].startswith("the file is not an SQLite database")
    assert check_project(tmp_path / "missing.qualcode").problems == [f"{tmp_path / 'missing.qualcode'} does not exist."]


def test_check_project_schema_versions(tmp_path):
    path = tmp_path / "study.qualcode"
    make_project(path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    assert "is newer than this qualcode knows" in check_project(path).problems[0]
