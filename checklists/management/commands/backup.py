"""`manage.py backup`: a PostgreSQL custom-format dump and its globals (SQLite: an online backup), with a
manifest of what it holds, into BACKUP_DIR (owner-only). README "Backups" says how often and how to encrypt."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from checklists import backups


class Command(BaseCommand):
    help = "Back up the database into BACKUP_DIR (or --to): a dump, its globals and a manifest, owner-only."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=None, help="directory (default: BACKUP_DIR)")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="then delete backups older than this many days (the newest always stays)",
        )

    def handle(self, *args, to, keep_days, **options):
        os.umask(0o077)  # everything written here is the owner's alone
        directory = to or Path(settings.BACKUP_DIR)
        started = timezone.now()
        files = backups.backup(directory, started)
        took = (timezone.now() - started).total_seconds()
        for path in files:
            self.stdout.write(f"{path}  {path.stat().st_size:,} bytes")
        self.stdout.write(self.style.SUCCESS(f"Backup taken in {took:.1f} s."))
        if keep_days is not None:
            for path in backups.prune(directory, keep_days, started):
                self.stdout.write(f"Deleted {path.name} (older than {keep_days} days, or left by a backup that died)")
