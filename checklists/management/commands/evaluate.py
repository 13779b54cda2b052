"""manage.py evaluate FILE|-: the rules engine's command-line face (RULES.md §8)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from checklists.rules.document import evaluate_text
from checklists.rules.findings import FindingsError

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = "Evaluate one findings document (JSON) and print the evaluation (JSON). Exit 2 when refused."
    stealth_options = ("stdin",)
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of a findings JSON document, or - for standard input")

    def handle(self, *args, **options):
        text = self._read(options["file"], options.get("stdin") or sys.stdin)
        try:
            result = evaluate_text(text)
        except FindingsError as error:
            raise CommandError(str(error), returncode=EXIT_REFUSED) from None
        self.stdout.write(result)

    def _read(self, name: str, stdin) -> str:
        if name == "-":
            return stdin.read()
        try:
            with open(name, encoding="utf-8") as document:
                return document.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{name}: cannot read ({error})", returncode=EXIT_REFUSED) from None
