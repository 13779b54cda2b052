"""A patient's corrected calcium, ALP and pain over time, laid out for server-rendered SVG charts.

Calcium is shown in the clinic's unit; a result reported in the other unit is converted for display only
(never graded converted). A point is marked when its visit raised the flag the chart is about.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from checklists.models.choices import FlagStatus
from checklists.rules import units
from checklists.rules.flags import ALP_FLAGS, CALCIUM_FLAGS, PAIN_FLAGS
from checklists.rules.labs import ALP_MULTIPLES, HYPERCALCAEMIA_CUTOFFS, HYPOCALCAEMIA_CUTOFFS

WIDTH, HEIGHT = 640, 200
# The right margin holds the grade-line labels, clear of the newest point.
LEFT, RIGHT, TOP, BOTTOM = 48, 96, 12, 28


@dataclass(frozen=True)
class Point:
    date: datetime.date
    value: Decimal
    flagged: bool
    note: str = ""
    x: float = 0
    y: float = 0

    @property
    def diamond(self) -> str:
        """The SVG path of the marker of a result that raised a flag."""
        x, y, r = self.x, self.y, 6
        return f"M{x},{y - r} L{x + r},{y} L{x},{y + r} L{x - r},{y} Z"


@dataclass
class Chart:
    key: str
    title: str
    unit: str
    points: list[Point]
    band: units.Range | None = None
    lines: list[tuple[Decimal, str]] = field(default_factory=list)
    fixed_scale: tuple[Decimal, Decimal] | None = None
    # Filled by _layout():
    plotted: list[Point] = field(default_factory=list)
    band_box: tuple[float, float] | None = None
    line_marks: list[tuple[float, str]] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    polyline: str = ""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    band_width: int = WIDTH - LEFT - RIGHT

    @property
    def first_date(self):
        return self.points[0].date if self.points else None

    @property
    def last_date(self):
        return self.points[-1].date if self.points else None

    @property
    def description(self) -> str:
        if not self.points:
            return f"No {self.title.lower()} results yet."
        flagged = sum(point.flagged for point in self.points)
        return (
            f"{len(self.points)} results from {self.first_date:%d %b %Y} to {self.last_date:%d %b %Y}; latest "
            f"{units.fmt(self.points[-1].value)} {self.unit}; {flagged} raised a flag."
        )


def raised(visit) -> list:
    """The visit's flags that stand (a flag an edit withdrew marks no point), from its prefetched flags."""
    return [flag for flag in visit.flags.all() if flag.status != FlagStatus.WITHDRAWN]


def _scale(chart: Chart) -> tuple[Decimal, Decimal]:
    """The y range: the data, the band and the grade lines near the data, with a margin."""
    if chart.fixed_scale:
        return chart.fixed_scale
    values = [point.value for point in chart.points]
    band = [chart.band.lower, chart.band.upper] if chart.band else []
    # A grade line far from the data (grade 4 of a normal series) would squash it: keep those near the data.
    ceiling, floor = max(values + band) * Decimal("1.25"), min(values + band) * Decimal("0.8")
    chart.lines = [(value, label) for value, label in chart.lines if floor <= value <= ceiling]
    everything = values + band + [value for value, _label in chart.lines]
    low, high = min(everything), max(everything)
    margin = (high - low) * Decimal("0.08") or Decimal(1)
    return max(low - margin, Decimal(0)), high + margin


def _tick_step(span: Decimal) -> Decimal:
    """A round step (1, 2, 2.5 or 5 × a power of ten) giving about four intervals."""
    rough = span / 4
    power = Decimal(10) ** (rough.adjusted())
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if power * factor >= rough:
            return power * factor
    return power * 10


def _layout(chart: Chart) -> Chart:
    if not chart.points:
        return chart
    low, high = _scale(chart)
    first, last = chart.points[0].date, chart.points[-1].date
    days = max((last - first).days, 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: Decimal) -> float:
        return round(TOP + float((high - value) / (high - low)) * plot_height, 1)

    def x_of(date) -> float:
        if first == last:
            return LEFT + plot_width / 2
        return round(LEFT + (date - first).days / days * plot_width, 1)

    chart.plotted = [Point(p.date, p.value, p.flagged, p.note, x_of(p.date), y_of(p.value)) for p in chart.points]
    chart.polyline = " ".join(f"{p.x},{p.y}" for p in chart.plotted)
    if chart.band:
        top = y_of(chart.band.upper)
        chart.band_box = (top, round(y_of(chart.band.lower) - top, 1))
    chart.line_marks = [(y_of(value), label) for value, label in chart.lines]
    step = _tick_step(high - low)
    value = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    while value <= high:
        chart.ticks.append((y_of(value), units.fmt(value.normalize() if value == value.to_integral() else value)))
        value += step
    return chart


def _calcium_point(visit, unit: str) -> Point | None:
    labs = {lab.analyte: lab for lab in visit.lab_results.all()}
    total = labs.get(units.CALCIUM_TOTAL)
    calcium = visit.evaluation.get("calcium") or {}
    if total is None or not calcium:
        return None
    flagged = any(flag.code in CALCIUM_FLAGS for flag in raised(visit))
    corrected = calcium.get("corrected")
    if corrected:
        shown = corrected if corrected["unit"] == unit else calcium["corrected_converted"]
        note = "" if corrected["unit"] == unit else f"reported in {corrected['unit']}"
        return Point(visit.visit_date, Decimal(str(shown["value"])), flagged, note)
    value = total.value if total.unit == unit else units.convert_calcium(total.value, total.unit)[0]
    return Point(visit.visit_date, value, flagged, "not corrected: no albumin")


def calcium_chart(visits, unit: str, ranges: dict) -> Chart:
    points = [p for p in (_calcium_point(visit, unit) for visit in visits) if p]
    band = ranges.get((units.CALCIUM_TOTAL, unit)) or units.DEFAULT_REFERENCE_RANGES[(units.CALCIUM_TOTAL, unit)]
    # The CTCAE grade lines come from the rules: grades 2-4 high (above) and low (below).
    high = HYPERCALCAEMIA_CUTOFFS[(units.TOTAL, unit)]
    low = HYPOCALCAEMIA_CUTOFFS[(units.TOTAL, unit)]
    lines = [(value, f"grade {grade} >{units.fmt(value)}") for grade, value in enumerate(high, start=2)]
    lines += [(value, f"grade {grade} <{units.fmt(value)}") for grade, value in enumerate(low, start=2)]
    return _layout(Chart("calcium", "Corrected calcium", unit, points, band, lines))


def alp_chart(visits, ranges: dict) -> Chart:
    points = []
    for visit in visits:
        alp = next((lab for lab in visit.lab_results.all() if lab.analyte == units.ALP), None)
        if alp:
            flagged = any(flag.code in ALP_FLAGS for flag in raised(visit))
            points.append(Point(visit.visit_date, alp.value, flagged))
    band = ranges.get((units.ALP, units.U_L)) or units.DEFAULT_REFERENCE_RANGES[(units.ALP, units.U_L)]
    lines = [
        (band.upper * multiple, f"grade {grade} >{units.plain(multiple)}\u00d7ULN")
        for grade, multiple in enumerate(ALP_MULTIPLES, start=2)
    ]
    return _layout(Chart("alp", "ALP", units.U_L, points, band, lines))


def pain_chart(visits) -> Chart:
    points = [
        Point(visit.visit_date, Decimal(visit.pain_score), any(flag.code in PAIN_FLAGS for flag in raised(visit)))
        for visit in visits
        if visit.pain_score is not None
    ]
    return _layout(Chart("pain", "Pain score", "/10", points, fixed_scale=(Decimal(0), Decimal(10))))


def patient_trends(visits, calcium_unit: str, ranges: dict) -> list[Chart]:
    """The three charts of a patient's page, oldest visit first."""
    ordered = sorted(visits, key=lambda visit: (visit.visit_date, visit.created_at))
    return [calcium_chart(ordered, calcium_unit, ranges), alp_chart(ordered, ranges), pain_chart(ordered)]
