"""Hypothesis strategies for findings documents built from the RULES.md vocabulary."""

from decimal import Decimal

from hypothesis import strategies as st

from checklists.rules.scores import MIRELS_POINTS, SINS_POINTS
from checklists.rules.vocabulary import IMAGING_MODALITIES, KNOWN_SITES, PRIMARY_CANCERS, SYMPTOM_KEYS

SYMPTOMS = sorted(SYMPTOM_KEYS)


def decimal_text(low: str, high: str, places: int):
    return st.decimals(Decimal(low), Decimal(high), places=places, allow_nan=False, allow_infinity=False).map(str)


# Values in a soft-stop range (RULES.md §4.5) carry unit_confirmed: the person entering them confirmed the unit.
calcium_labs = st.one_of(
    st.fixed_dictionaries(
        {
            "value": decimal_text("4.0", "25.0", 1),
            "unit": st.just("mg/dL"),
            "type": st.just("total"),
            "unit_confirmed": st.just(True),
        },
        optional={"uln": decimal_text("9.0", "11.0", 1), "lln": decimal_text("7.5", "8.9", 1)},
    ),
    st.fixed_dictionaries(
        {"value": decimal_text("1.00", "6.25", 2), "unit": st.just("mmol/L"), "unit_confirmed": st.just(True)},
        optional={"type": st.just("total"), "uln": decimal_text("2.3", "2.7", 2), "lln": decimal_text("1.9", "2.2", 2)},
    ),
    st.fixed_dictionaries(
        {"value": decimal_text("0.25", "3.0", 2), "unit": st.just("mmol/L"), "type": st.just("ionized")}
    ),
)
albumin_labs = st.one_of(
    st.fixed_dictionaries({"value": decimal_text("1.0", "7.0", 1), "unit": st.just("g/dL")}),
    st.fixed_dictionaries({"value": decimal_text("10", "70", 1), "unit": st.just("g/L")}),
)
alp_labs = st.fixed_dictionaries(
    {"value": st.integers(1, 10000), "unit": st.sampled_from(["U/L", "IU/L"])},
    optional={"uln": st.integers(80, 150), "baseline_value": st.integers(1, 10000)},
)


def _entry(table):
    return st.fixed_dictionaries({component: st.sampled_from(sorted(words)) for component, words in table.items()})


documents = st.fixed_dictionaries(
    {"primary_cancer": st.sampled_from([*PRIMARY_CANCERS, "other:sarcoma"])},
    optional={
        "known_sites": st.lists(st.sampled_from(KNOWN_SITES), unique=True),
        "symptoms": st.dictionaries(st.sampled_from(SYMPTOMS), st.booleans()),
        "medications": st.lists(st.sampled_from(["denosumab", "zoledronic_acid", "tamoxifen", "Xgeva"])),
        "imaging_ordered": st.lists(st.sampled_from(IMAGING_MODALITIES), unique=True),
        "labs": st.fixed_dictionaries(
            {},
            optional={
                "calcium": calcium_labs | st.none(),
                "albumin": albumin_labs | st.none(),
                "alp": alp_labs | st.none(),
            },
        ),
        "mirels": _entry(MIRELS_POINTS) | st.none(),
        "sins": _entry(SINS_POINTS) | st.none(),
        "notes": st.text(max_size=40),
    },
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


@st.composite
def malformed_documents(draw):
    """A valid document with one part replaced by arbitrary JSON, or arbitrary JSON altogether."""
    document = draw(documents)
    where = draw(st.sampled_from(["top", "key", "symptoms", "labs", "calcium", "mirels", "whole"]))
    junk = draw(json_values)
    if where == "whole":
        return junk
    if where == "top":
        document[draw(st.sampled_from(["primary_cancer", "known_sites", "medications", "imaging_ordered"]))] = junk
    elif where == "key":
        document[draw(st.text(min_size=1, max_size=10))] = junk
    elif where == "symptoms":
        document["symptoms"] = {draw(st.text(max_size=20)): junk}
    elif where == "labs":
        document["labs"] = junk
    elif where == "calcium":
        document["labs"] = {"calcium": {"value": junk, "unit": draw(st.sampled_from(["mg/dL", "mmol/L", "x"]))}}
    else:
        document["mirels"] = junk
    return document
