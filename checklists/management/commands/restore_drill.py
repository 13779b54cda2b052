"""`manage.py restore_drill`: prove the latest backup restores (issue 14 §3).

Restores it into a scratch database, checks that every migration of this release is applied there
(`migrate --check`), and compares the row counts and checksums of the visits, flags and history tables with
the backup's manifest (the source as it was dumped). Exit 0 only when all match. Prints how long the restore took
(the recovery time, RTO) and how old the backup is (the data a failure now would lose, RPO).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from checklists import backups


class Command(BaseCommand):
    help = "Restore the latest backup into a scratch database and check it against the source as dumped."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", type=Path, default=None, help="directory (default BACKUP_DIR)")
        parser.add_argument(
            "--max-age-hours",
            type=float,
            default=None,
            help="fail when the latest backup is older than this: the nightly backup has stopped (units: 26)",
        )
        parser.add_argument("--keep", action="store_true", help="keep the scratch database to look at")

    def handle(self, *args, source, max_age_hours, keep, **options):
        directory = source or Path(settings.BACKUP_DIR)
        try:
            manifest_path = backups.latest_manifest(directory)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        manifest = json.loads(manifest_path.read_text())
        self.stdout.write(f"Backup: {manifest_path.with_name(manifest['dump'])}")
        scratch = backups.scratch_for(manifest_path)
        started = time.monotonic()
        try:  # whatever fails, no copy of the patients' data stays behind in the scratch database
            restored = backups.restore(manifest_path, scratch)
            migrations = self._migrate_check(scratch)
            problems = backups.differences(manifest["tables"], restored)
            took = time.monotonic() - started
        finally:
            if not keep:
                backups.drop_scratch(scratch)
        age_hours = (timezone.now() - parse_datetime(manifest["taken_at"])).total_seconds() / 3600
        rows = sum(table["rows"] for table in restored.values())
        self.stdout.write(f"Restored into {scratch['NAME']}: {len(restored)} tables checked, {rows:,} rows")
        applied = "every migration applied" if not migrations else "FAILED"
        self.stdout.write(f"migrate --check on the restore: {applied}")
        self.stdout.write(f"RTO: restored and checked in {took:.1f} s")
        self.stdout.write(f"RPO: the backup is {age_hours:.1f} h old (taken {manifest['taken_at']})")
        if max_age_hours is not None and age_hours > max_age_hours:
            problems.append(f"the latest backup is {age_hours:.1f} h old, more than {max_age_hours:g} h")
        if migrations or problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            if migrations:
                self.stderr.write(migrations)
            raise CommandError("The restore does not match the backup, or the backup is too old.")
        self.stdout.write(self.style.SUCCESS("Restore drill passed: counts and checksums match the source as dumped."))

    def _migrate_check(self, scratch: dict) -> str:
        """'' when every migration of this release is applied to the scratch database, else what migrate said."""
        url = _url(scratch)
        env = os.environ | {"DATABASE_URL": url}
        if scratch.get("PASSWORD"):
            env["PGPASSWORD"] = scratch["PASSWORD"]
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode == 0:
            return ""
        # migrate --check says nothing when it only finds migrations to apply: the exit status is the answer.
        said = (result.stdout + result.stderr).strip()
        return f"migrate --check failed on the restore (exit {result.returncode}){': ' + said if said else ''}"


def _url(database: dict) -> str:
    """The scratch database as DATABASE_URL (its password goes in PGPASSWORD, never in the URL)."""
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    host, port = quote(database.get("HOST") or "", safe=""), database.get("PORT") or ""
    user = quote(database.get("USER") or "", safe="")
    return f"postgres://{user}@{host}{':' if port else ''}{port}/{quote(database['NAME'], safe='')}"
