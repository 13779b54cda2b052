"""Backups that are proven to restore (issue 14 §3): `manage.py backup` and `manage.py restore_drill`.

A backup is three files named by the moment it was taken, in a directory only its owner can read:
- PostgreSQL: `<stamp>.dump` (pg_dump's custom format) and `<stamp>.globals.sql` (roles, pg_dumpall);
  SQLite (development): `<stamp>.sqlite3`, written by SQLite's online backup API, never a copy of a live file;
- `<stamp>.manifest.json`: the row count and a checksum of the visits, the flags and every history table, taken in
  the same snapshot as the dump (pg_dump --snapshot), so a drill compares the restore with the source as dumped,
  whatever was written since.
Each file is written under a temporary name and renamed when complete: a backup that died half-way is never
mistaken for the latest.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection

STAMP = "%Y%m%dT%H%M%SZ"
MANIFEST = ".manifest.json"


def checked_tables() -> list[tuple[str, str]]:
    """The tables a drill compares, with their primary key: visits, flags and every history table (the audit
    trail), in a fixed order."""
    models = [apps.get_model("checklists", "Visit"), apps.get_model("checklists", "Flag")]
    installed = apps.get_app_config("checklists").get_models()
    models += [model for model in installed if model.__name__.startswith("Historical")]
    return sorted((model._meta.db_table, model._meta.pk.column) for model in models)


def table_digests(new_cursor, quote, tables: list[tuple[str, str]]) -> dict:
    """{table: {"rows": n, "sha256": …}} over every row in primary-key order (a history table's own key: its `id`
    repeats once per change), streamed through cursors from `new_cursor()` (server-side ones on PostgreSQL)."""
    digests = {}
    for table, key in tables:
        cursor = new_cursor()
        try:
            # Table and column names from the models, quoted: nothing from a user.
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(key)}")  # noqa: S608  # nosec B608
            digest, rows = hashlib.sha256(), 0
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    digest.update(repr(tuple(row)).encode())
                rows += len(batch)
        finally:
            cursor.close()
        digests[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return digests


def streaming(psycopg2_connection):
    """Server-side cursors: a history table is read 2,000 rows at a time, never whole into memory."""
    names = iter(range(1_000_000))
    return lambda: psycopg2_connection.cursor(name=f"bonemets_digest_{next(names)}")


def private_directory(path: Path) -> Path:
    """The backup directory, created owner-only (0700); refused when others may read it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} may be read by others (mode {path.stat().st_mode & 0o777:o}); chmod 700 it")
    return path


def _write_private(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    partial.rename(path)


def postgresql_environment(settings_dict: dict, name: str | None = None) -> dict:
    """libpq's environment for pg_dump and friends: the password never on a command line (ps would show it)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env |= {"PGHOST": settings_dict.get("HOST") or "", "PGPORT": str(settings_dict.get("PORT") or "5432")}
    env |= {"PGUSER": settings_dict.get("USER") or "", "PGDATABASE": name or settings_dict["NAME"]}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    env["PGCONNECT_TIMEOUT"] = "10"
    return {key: value for key, value in env.items() if value != ""}


def run_tool(tool: str, *arguments: str, env: dict) -> bytes:
    """Run one of PostgreSQL's client tools, found on PATH (the server's major version or newer); its output."""
    path = shutil.which(tool)
    if path is None:
        raise FileNotFoundError(f"{tool} is not installed (apt-get install postgresql-client)")
    # The arguments are this module's own and the configured database's names: no shell, nothing from a user.
    result = subprocess.run([path, *arguments], env=env, capture_output=True)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{tool} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def backup(directory: Path, now: datetime.datetime) -> list[Path]:
    """Take a backup into `directory`; the files written, the manifest last."""
    directory = private_directory(directory)
    stamp = now.astimezone(datetime.UTC).strftime(STAMP)
    if connection.vendor == "postgresql":
        return _backup_postgresql(directory, stamp)
    return _backup_sqlite(directory, stamp)


def _backup_postgresql(directory: Path, stamp: str) -> list[Path]:
    settings_dict = connection.settings_dict
    env = postgresql_environment(settings_dict)
    dump, globals_file = directory / f"{stamp}.dump", directory / f"{stamp}.globals.sql"
    # A connection of its own holds one snapshot: the manifest is read in it and pg_dump dumps exactly it.
    snapshot_holder = connection.get_new_connection(connection.get_connection_params())
    try:
        snapshot_holder.set_session(isolation_level="REPEATABLE READ", readonly=True, autocommit=False)
        with snapshot_holder.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), now()")
            snapshot, taken_at = cursor.fetchone()
            digests = table_digests(streaming(snapshot_holder), connection.ops.quote_name, checked_tables())
            partial = dump.with_name(dump.name + ".partial")
            run_tool("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partial}", env=env)
            partial.chmod(0o600)
            partial.rename(dump)
        snapshot_holder.rollback()
    finally:
        snapshot_holder.close()
    # Roles (without their passwords, which a non-superuser may not read): what a restore onto a new server needs.
    roles = run_tool("pg_dumpall", "--globals-only", "--no-role-passwords", env=env)
    _write_private(globals_file, roles)
    manifest = directory / f"{stamp}{MANIFEST}"
    _write_private(manifest, _manifest(taken_at, "postgresql", dump.name, digests))
    return [dump, globals_file, manifest]


def _backup_sqlite(directory: Path, stamp: str) -> list[Path]:
    target = directory / f"{stamp}.sqlite3"
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT, 0o600))
    connection.ensure_connection()
    copy = sqlite3.connect(partial)
    try:
        # SQLite's online backup, through the app's own connection: a consistent copy while the app writes on.
        connection.connection.backup(copy)
        taken_at = datetime.datetime.now(datetime.UTC)
        digests = table_digests(copy.cursor, connection.ops.quote_name, checked_tables())
    finally:
        copy.close()
    partial.rename(target)
    manifest = directory / f"{stamp}{MANIFEST}"
    _write_private(manifest, _manifest(taken_at, "sqlite", target.name, digests))
    return [target, manifest]


def _manifest(taken_at: datetime.datetime, vendor: str, dump: str, digests: dict) -> bytes:
    return json.dumps(
        {"taken_at": taken_at.isoformat(), "database": vendor, "dump": dump, "tables": digests}, indent=2
    ).encode()


def latest_manifest(directory: Path) -> Path:
    manifests = sorted(directory.glob(f"*{MANIFEST}"))
    if not manifests:
        raise FileNotFoundError(f"no backup in {directory}")
    return manifests[-1]


# -- the drill -----------------------------------------------------------------------------------------------


def scratch_name(source: str) -> str:
    return f"{source}_restore_drill"[:63]


def scratch_for(manifest_path: Path) -> dict:
    """The database settings of the scratch copy this backup is restored into."""
    manifest = json.loads(manifest_path.read_text())
    if manifest["database"] == "postgresql":
        return connection.settings_dict | {"NAME": scratch_name(connection.settings_dict["NAME"])}
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(manifest_path.parent / "restore_drill.sqlite3")}


def restore(manifest_path: Path, scratch: dict) -> dict:
    """Restore the backup of this manifest into the scratch database (re-created); its digests."""
    manifest = json.loads(manifest_path.read_text())
    dump = manifest_path.with_name(manifest["dump"])
    if scratch["ENGINE"].endswith("sqlite3"):
        return _restore_sqlite(dump, Path(scratch["NAME"]))
    return _restore_postgresql(dump, scratch["NAME"])


def _restore_postgresql(dump: Path, scratch: str) -> dict:
    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:  # a database is created and dropped outside any transaction
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(scratch)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(scratch)}")
    arguments = ("--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={scratch}", str(dump))
    run_tool("pg_restore", *arguments, env=postgresql_environment(settings_dict, scratch))
    restored = connection.get_new_connection(connection.get_connection_params() | {"dbname": scratch})
    try:
        return table_digests(streaming(restored), connection.ops.quote_name, checked_tables())
    finally:
        restored.close()


def _restore_sqlite(copy: Path, scratch: Path) -> dict:
    scratch.unlink(missing_ok=True)
    source, target = sqlite3.connect(copy), sqlite3.connect(scratch)
    try:
        source.backup(target)
        return table_digests(target.cursor, connection.ops.quote_name, checked_tables())
    finally:
        source.close()
        target.close()


def drop_scratch(scratch: dict) -> None:
    if scratch["ENGINE"].endswith("sqlite3"):
        Path(scratch["NAME"]).unlink(missing_ok=True)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(scratch['NAME'])} WITH (FORCE)")


def differences(expected: dict, restored: dict) -> list[str]:
    """What differs between the manifest's tables and the restored ones, in words; empty when they match."""
    problems = []
    for table in sorted(expected.keys() | restored.keys()):
        want, got = expected.get(table), restored.get(table)
        if want is None or got is None:
            problems.append(f"{table}: {'not in the backup' if want is None else 'missing from the restore'}")
        elif want["rows"] != got["rows"]:
            problems.append(f"{table}: {got['rows']} rows restored, {want['rows']} backed up")
        elif want["sha256"] != got["sha256"]:
            problems.append(f"{table}: the rows differ (checksum)")
    return problems


def prune(directory: Path, keep_days: int, now: datetime.datetime) -> list[Path]:
    """Delete the backups older than `keep_days` (every file of each) and what a backup that died left behind;
    the newest backup always stays. The files deleted."""
    manifests = sorted(directory.glob(f"*{MANIFEST}"))
    newest = manifests[-1].name.removesuffix(MANIFEST) if manifests else None
    cutoff = now.astimezone(datetime.UTC) - datetime.timedelta(days=keep_days)
    deleted = []
    for path in sorted(directory.iterdir()):
        stamp = path.name.split(".", 1)[0]
        try:
            taken = datetime.datetime.strptime(stamp, STAMP).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue  # not a backup's file
        if stamp != newest and (taken < cutoff or path.name.endswith(".partial")):
            path.unlink()
            deleted.append(path)
    return deleted
