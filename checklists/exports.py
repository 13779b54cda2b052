"""A clinic's visits as rows for CSV: one row per visit, read in chunks so memory stays flat."""

from dataclasses import dataclass, field
from itertools import islice

from django.db.models import BooleanField, Count, F, Func
from django.utils import timezone

from .models import Flag, FractureRiskScore, ImagingOrder, LabResult, ScreenAnswer, User, Visit
from .models.choices import Answer, FlagStatus
from .rules.flags import SAFETY_FLOOR

VISIT_COLUMNS = (
    "mrn",
    "family_name",
    "given_name",
    "visit_date",
    "status",
    "voided",
    "tier",
    "safety_questions_not_asked",
    "flag_codes",
    "calcium",
    "calcium_unit",
    "calcium_type",
    "albumin",
    "albumin_unit",
    "alp",
    "alp_unit",
    "corrected_calcium",
    "corrected_calcium_unit",
    "corrected_calcium_converted",
    "corrected_calcium_converted_unit",
    "calcium_ctcae_grade",
    "calcium_basis",
    "alp_ctcae_grade",
    "alp_ratio",
    "alp_reference",
    "imaging",
    "mirels",
    "sins",
    "seen_by",
    "rules_version",
)
# Visits read together: 7 queries a chunk. 2,000 rather than 500 took an export of 10^5 visits from 16.4 to 13.4 s
# here (fewer round trips); a chunk holds ~5 MB, whatever the export's size. (SQLite takes up to 32,766 ids.)
CHUNK = 2000


# A cell a spreadsheet would read as a formula starts with one of these (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_row(cells) -> list:
    """Cells that Excel or LibreOffice show as text, never run: text that could start a formula gets a leading
    apostrophe (OWASP). Numbers are left alone; quoting is the csv module's job. One comprehension, no call per
    cell: it runs on every cell of up to 10^6 rows."""
    return [("'" + cell) if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in cells]


def spreadsheet_safe(value):
    """One cell made safe as safe_row makes a row."""
    return safe_row([value])[0]


def _lab(labs: dict, *analytes) -> list:
    """[value, unit] of the first of these results the visit has; two empty cells without one."""
    for analyte in analytes:
        if analyte in labs:
            value, unit = labs[analyte]
            return [format(value.normalize(), "f"), unit]
    return ["", ""]


def _quantity(value) -> list:
    return [value["value"], value["unit"]] if value else ["", ""]


@dataclass
class VisitRecord:
    """What one row needs of a visit, read as plain values: building model objects cost ~1 ms a visit, most
    of the export's time at 10^5 visits (issue 13)."""

    visit: dict
    labs: dict = field(default_factory=dict)  # analyte -> (value, unit)
    flag_codes: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)  # kind -> "total (band)"
    unasked_floor: int = 0


VISIT_FIELDS = (
    "pk",
    "patient__mrn",
    "patient__family_name",
    "patient__given_name",
    "visit_date",
    "status",
    "voided_at",
    "voided_by_id",
    "void_reason",
    "tier",
    # Only the two parts of the evaluation document a row shows: decoding the whole of it was a tenth of the time.
    "evaluation__calcium",
    "evaluation__alp",
    "seen_by_id",
    "rules_version",
)


def visit_row(record: VisitRecord, people: dict) -> list:
    visit, labs = record.visit, record.labs
    calcium, alp = visit["evaluation__calcium"] or {}, visit["evaluation__alp"] or {}
    voided = (
        f"Voided by {people[visit['voided_by_id']]} on {timezone.localtime(visit['voided_at']):%Y-%m-%d %H:%M}: "
        f"{visit['void_reason']}"
        if visit["voided_at"]
        else ""
    )
    row = [
        visit["patient__mrn"],
        visit["patient__family_name"],
        visit["patient__given_name"],
        visit["visit_date"].isoformat(),
        visit["status"],
        voided,
        # A draft's "none" is not "No flags": its screen is not complete (issue 11).
        "draft: screen not complete" if visit["status"] == "draft" and visit["tier"] == "none" else visit["tier"],
        record.unasked_floor,
        " ".join(record.flag_codes),
        *_lab(labs, "calcium_total", "calcium_ionized"),
        "ionized" if "calcium_ionized" in labs else ("total" if "calcium_total" in labs else ""),
        *_lab(labs, "albumin"),
        *_lab(labs, "alp"),
        *_quantity(calcium.get("corrected")),
        *_quantity(calcium.get("corrected_converted")),
        calcium.get("ctcae_grade", ""),
        calcium.get("basis", ""),
        alp.get("ctcae_grade", ""),
        alp.get("ratio", ""),
        alp.get("reference", ""),
        "; ".join(f"{modality}: {region} ({urgency})" for modality, region, urgency in record.orders),
        record.scores.get("mirels", ""),
        record.scores.get("sins", ""),
        people[visit["seen_by_id"]],
        visit["rules_version"],
    ]
    return safe_row(row)


class OneOf(Func):
    """`column = ANY(%s)` with the chunk's ids as one array parameter on PostgreSQL: `__in` prepared each of the 500
    ids of each of 7 queries of each chunk one by one in Python, 3 s of an export of 10^5 visits (issue 13).
    Elsewhere (SQLite) the plain `IN (…)`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: list):
        super().__init__(F(column))
        self.ids = [int(pk) for pk in ids]

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s)", [*params, self.ids]


def _records(ids: list) -> list[VisitRecord]:
    """The chunk's visits and what they hold: one query per kind of row, whatever the chunk's size."""
    records = {
        visit["pk"]: VisitRecord(visit)
        for visit in Visit.objects.filter(OneOf("pk", ids)).order_by("visit_date", "pk").values(*VISIT_FIELDS)
    }
    for visit_id, analyte, value, unit in (
        LabResult.objects.filter(OneOf("visit_id", ids))
        .order_by("pk")
        .values_list("visit_id", "analyte", "value", "unit")
    ):
        records[visit_id].labs[analyte] = (value, unit)
    flags = Flag.objects.filter(OneOf("visit_id", ids)).exclude(status=FlagStatus.WITHDRAWN).order_by("code", "pk")
    for visit_id, code in flags.values_list("visit_id", "code"):
        records[visit_id].flag_codes.append(code)
    orders = ImagingOrder.objects.filter(OneOf("visit_id", ids)).order_by("pk")
    for visit_id, *order in orders.values_list("visit_id", "modality", "region", "urgency"):
        records[visit_id].orders.append(order)
    scores = FractureRiskScore.objects.filter(OneOf("visit_id", ids)).order_by("pk")
    for visit_id, kind, total, band in scores.values_list("visit_id", "kind", "total", "band"):
        records[visit_id].scores[kind] = f"{total} ({band})"
    unasked = ScreenAnswer.objects.filter(
        OneOf("visit_id", ids), answer=Answer.NOT_ASKED, item__key__in=sorted(SAFETY_FLOOR)
    )
    for visit_id, count in unasked.values("visit_id").annotate(count=Count("pk")).values_list("visit_id", "count"):
        records[visit_id].unasked_floor = count
    return list(records.values())


def _people(records: list, people: dict) -> None:
    """Adds the names of who saw or voided these visits to `people` (a clinic has few: read each once)."""
    missing = {r.visit[key] for r in records for key in ("seen_by_id", "voided_by_id")} - people.keys() - {None}
    people.update((user.pk, str(user)) for user in User.objects.filter(pk__in=missing))


def visit_rows(visits, header=None):
    """Yield the header, then one row per visit (a clinic's: `Visit.objects.filter(clinic=…)`), oldest first.

    The visit ids stream from one cursor; each chunk of them is read with a handful of queries, as plain
    values, so memory and time per visit stay flat at any size."""
    if header:
        yield safe_row(header)
    people = {}
    ids = visits.order_by("visit_date", "pk").values_list("pk", flat=True).iterator(chunk_size=CHUNK)
    while chunk := list(islice(ids, CHUNK)):
        records = _records(chunk)
        _people(records, people)
        for record in records:
            yield visit_row(record, people)
