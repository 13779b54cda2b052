"""manage.py bench: the benchmark of issue 13 (`make bench`, README "Scale").

Creates (drops first) the PostgreSQL database DATABASE_URL names, which must have "bench" in its name; seeds N
visits through the services' bulk path; serves the app with gunicorn; signs in; prints a table of every page's
median and p95 latency against a bare signed-in page measured in the same run, queries per page, worklist
throughput at concurrency 4, the write path, the rules engine and the CSV export at two sizes.
"""

import psycopg2
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from checklists.benchmark import measure
from checklists.benchmark.seed import seed, staff_signing_in
from checklists.models import Visit

REFUSED = "bench drops and re-creates its database: DATABASE_URL must name a PostgreSQL database with 'bench' in it."


class Command(BaseCommand):
    help = "Seed a PostgreSQL database with N visits and measure the app under gunicorn (issue 13)."

    def add_arguments(self, parser):
        parser.add_argument("--visits", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=measure.ROUNDS)
        parser.add_argument(
            "--measure-only",
            action="store_true",
            help="Measure the database an earlier run seeded (after a change to the pages: no 20-minute reseed).",
        )

    def handle(self, *args, visits, rounds, measure_only, **options):
        database = connection.settings_dict
        if connection.vendor != "postgresql" or "bench" not in database["NAME"]:
            raise CommandError(REFUSED)
        out = self.stdout.write
        if measure_only:
            seeded = None
            call_command("migrate", verbosity=0)  # the indexes of a change under measure
            username, password = staff_signing_in()
            visits = Visit.objects.count()
        else:
            self._recreate(database)
            call_command("migrate", verbosity=0)
            out(f"Seeding {visits} visits:")
            seeded = seed(visits, log=out)
            username, password = seeded.username, seeded.password
        self._analyze()
        measured = measure.pages(username)
        counts = measure.query_counts(username, measured)
        port = measure.free_port()
        connections.close_all()
        with measure.gunicorn(port):
            timings = measure.page_timings(port, username, password, measured, rounds)
            worklist_path = dict(measured)["worklist"]
            worklist_rate = measure.throughput(port, username, password, worklist_path)
            bare_rate = measure.throughput(port, username, password, dict(measured)["bare page"])
        bare = timings[0].median_ms
        out(f"\nPages at {visits} visits (gunicorn, 2 sync workers, DEBUG off; {rounds} rounds, interleaved):")
        out("| page | median ms | p95 ms | × bare page | queries |")
        out("|---|---|---|---|---|")
        for timing in timings:
            ratio, queries = timing.median_ms / bare, counts[timing.name]
            out(f"| {timing.name} | {timing.median_ms:.1f} | {timing.p95_ms:.1f} | {ratio:.2f} | {queries} |")
        out(f"Worklist at concurrency 4: {worklist_rate:.0f} requests/s (bare page: {bare_rate:.0f}/s)")
        queries, per_second = measure.writes(username)
        out(f"record_visit: {queries} queries per typical visit, {per_second:.0f} visits/s one by one")
        if seeded:
            rate = seeded.visits_per_second
            out(f"Bulk load: {seeded.visits} visits in {seeded.seconds:.1f} s ({rate:.0f} visits/s)")
        rate, flagged = measure.engine_rate()
        out(f"Rules engine: {rate:.0f} evaluations/s in-process ({flagged} of 20000 findings flagged)")
        for limit in (min(10_000, visits), None):
            rows, seconds, grown = measure.export(limit)
            out(f"CSV export of {rows} visits: {seconds:.1f} s, peak memory grew {grown:.0f} MB")

    def _recreate(self, database):
        connections.close_all()
        admin = psycopg2.connect(
            dbname="postgres",
            user=database["USER"],
            password=database["PASSWORD"],
            host=database["HOST"],
            port=database["PORT"],
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{database["NAME"]}"')
        admin.close()

    def _analyze(self):
        """Fresh statistics and no dead index entries, as autovacuum keeps a real network's database: the seed
        opens every flag and then reviews the older ones, which leaves the open-flag index 30 times its size."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
