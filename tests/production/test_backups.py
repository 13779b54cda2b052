"""Issue 14 §3: `manage.py backup` writes owner-only files and `manage.py restore_drill` proves they restore: it
passes on an untouched backup and fails when the restore does not match what was dumped."""

import datetime
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from checklists import backups, services
from checklists.models import Flag, Visit
from tests.conftest import make_patient, make_user, visit_entry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recorded(reseeded):
    """A clinic's visit with flags, committed (pg_dump reads from another connection), and its history rows."""
    clinic = services.open_clinic(name="Backed-up Clinic")
    nurse = make_user("nurse.backup", clinic)
    patient = make_patient(clinic, mrn="BK-1")
    services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True, nausea=True))
    assert Flag.objects.exists()
    return patient


@pytest.fixture
def drill_environment(monkeypatch):
    """`restore_drill` runs `manage.py migrate --check` on the restore with the environment it was given: here
    a development one (production would refuse this test's settings)."""
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_SECONDS", raising=False)


def run(command, *args, **options) -> str:
    from io import StringIO

    out = StringIO()
    call_command(command, *args, stdout=out, stderr=out, **options)
    return out.getvalue()


def test_a_backup_is_owner_only_and_its_manifest_counts_the_visits_flags_and_history(recorded, tmp_path):
    directory = tmp_path / "backups"
    output = run("backup", to=directory)
    assert "Backup taken in" in output
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    files = sorted(directory.iterdir())
    suffixes = (
        {".dump", ".globals.sql", ".manifest.json"}
        if connection.vendor == "postgresql"
        else {
            ".sqlite3",
            ".manifest.json",
        }
    )
    assert {path.name.split(".", 1)[1] and "." + path.name.split(".", 1)[1] for path in files} == suffixes
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files), [oct(p.stat().st_mode) for p in files]
    assert not list(directory.glob("*.partial"))
    manifest = json.loads(backups.latest_manifest(directory).read_text())
    tables = manifest["tables"]
    assert tables["checklists_visit"]["rows"] == Visit.objects.count() == 1
    assert tables["checklists_flag"]["rows"] == Flag.objects.count()
    assert tables["checklists_historicalvisit"]["rows"] == 1 and "checklists_historicalflag" in tables


def test_a_backup_refuses_a_directory_others_can_read(recorded, tmp_path):
    directory = tmp_path / "shared"
    directory.mkdir()
    os.chmod(directory, 0o755)  # noqa: S103 - the mistake the backup must refuse
    with pytest.raises(PermissionError, match="may be read by others"):
        run("backup", to=directory)
    assert not list(directory.iterdir())


def test_the_restore_drill_passes_on_a_good_backup_and_reports_rto_and_rpo(recorded, tmp_path, drill_environment):
    run("backup", to=tmp_path)
    output = run("restore_drill", source=tmp_path)
    assert "every migration applied" in output and "Restore drill passed" in output
    assert "RTO: restored and checked in" in output and "RPO: the backup is 0.0 h old" in output
    # The scratch copy is gone afterwards.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname LIKE %s", ["%_restore_drill"])
            assert cursor.fetchone() is None
    else:
        assert not (tmp_path / "restore_drill.sqlite3").exists()


def test_the_restore_drill_compares_with_the_source_as_dumped_not_as_it_is_now(recorded, tmp_path, drill_environment):
    run("backup", to=tmp_path)
    patient = recorded
    services.record_visit(patient=patient, seen_by=Visit.objects.get().seen_by, entry=visit_entry())
    assert "Restore drill passed" in run("restore_drill", source=tmp_path)


@pytest.mark.parametrize("tamper", ["rows", "checksum", "table"])
def test_the_restore_drill_fails_when_the_restore_does_not_match(recorded, tmp_path, drill_environment, tamper):
    run("backup", to=tmp_path)
    manifest_path = backups.latest_manifest(tmp_path)
    manifest = json.loads(manifest_path.read_text())
    if tamper == "rows":
        manifest["tables"]["checklists_flag"]["rows"] += 1
    elif tamper == "checksum":
        manifest["tables"]["checklists_historicalvisit"]["sha256"] = "0" * 64
    else:
        manifest["tables"]["checklists_historicalgone"] = {"rows": 0, "sha256": "0" * 64}
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="does not match"):
        run("restore_drill", source=tmp_path)


def test_the_restore_drill_fails_a_backup_older_than_its_limit(recorded, tmp_path, drill_environment):
    run("backup", to=tmp_path)
    manifest_path = backups.latest_manifest(tmp_path)
    manifest = json.loads(manifest_path.read_text())
    manifest["taken_at"] = "2026-01-01T01:30:00+00:00"  # the nightly backup stopped long ago
    manifest_path.write_text(json.dumps(manifest))
    assert "Restore drill passed" in run("restore_drill", source=tmp_path)
    with pytest.raises(CommandError, match="too old"):
        run("restore_drill", source=tmp_path, max_age_hours=26)


def test_the_restore_drill_fails_when_the_restore_lacks_a_migration_of_this_release(tmp_path, db, drill_environment):
    """A backup from before a migration this release has: restored, `migrate --check` says it is not applied."""
    import subprocess
    import sys

    from tests.worked_examples import REPO

    old = tmp_path / "old.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{old}"}
    migrate = [sys.executable, "manage.py", "migrate", "checklists", "0028", "--verbosity", "0"]
    assert subprocess.run(migrate, cwd=REPO, env=env, capture_output=True, timeout=300).returncode == 0
    import sqlite3

    with sqlite3.connect(old) as copy:
        digests = backups.table_digests(copy.cursor, connection.ops.quote_name, backups.checked_tables())
    (tmp_path / "20260101T013000Z.manifest.json").write_text(
        json.dumps({"taken_at": "2026-01-01T01:30:00+00:00", "database": "sqlite", "dump": old.name, "tables": digests})
    )
    from io import StringIO

    said = StringIO()
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore_drill", source=tmp_path, stdout=said, stderr=said)
    assert "migrate --check on the restore: FAILED" in said.getvalue()
    assert "migrate --check failed on the restore (exit 1)" in said.getvalue()


def test_a_failed_restore_leaves_no_copy_of_the_data_behind(recorded, tmp_path, drill_environment, monkeypatch):
    run("backup", to=tmp_path)
    scratch = backups.scratch_for(backups.latest_manifest(tmp_path))
    real_restore = backups.restore

    def restore_then_fail(manifest_path, scratch):
        real_restore(manifest_path, scratch)
        raise RuntimeError("pg_restore failed half-way")

    monkeypatch.setattr(backups, "restore", restore_then_fail)
    with pytest.raises(RuntimeError):
        run("restore_drill", source=tmp_path)
    if scratch["ENGINE"].endswith("sqlite3"):
        assert not os.path.exists(scratch["NAME"])
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scratch["NAME"]])
            assert cursor.fetchone() is None


def test_a_backup_keeps_the_days_asked_and_always_the_newest(tmp_path):
    directory = backups.private_directory(tmp_path / "backups")
    for stamp in ("20261001T013000Z", "20261120T013000Z"):
        for suffix in (".dump", ".globals.sql", ".manifest.json"):
            (directory / f"{stamp}{suffix}").write_text("x")
    (directory / "20261122T013000Z.dump.partial").write_text("a backup that died")
    (directory / "notes.txt").write_text("not a backup's")
    now = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)
    deleted = backups.prune(directory, keep_days=35, now=now)
    assert sorted(path.name for path in deleted) == [
        "20261001T013000Z.dump",
        "20261001T013000Z.globals.sql",
        "20261001T013000Z.manifest.json",
        "20261122T013000Z.dump.partial",
    ]
    assert backups.prune(directory, keep_days=0, now=now) == []  # the newest stays, whatever the days
    assert (directory / "notes.txt").exists()


def test_the_restore_drill_says_so_when_there_is_no_backup(tmp_path, db):
    with pytest.raises(CommandError, match="no backup in"):
        run("restore_drill", source=tmp_path)
