"""The source registry of RULES.md §2 lives beside the rules as data, and every citation resolves."""

from pathlib import Path

from checklists.rules.flags import RULES
from checklists.rules.recommendations import ACTIONS
from checklists.rules.sources import SOURCES, SOURCES_BY_KEY
from checklists.rules.vocabulary import SCREEN_ITEMS

SHARED_SOURCES = Path(__file__).resolve().parents[3] / "shared" / "clinical" / "sources"

RULES_MD_KEYS = {
    "ACS-2016",
    "MAYO-2022",
    "WEBMD-2021",
    "CRUK-2013",
    "BCO",
    "NICE-CG75",
    "NICE-NG234",
    "CTCAE-v5",
    "PAYNE",
    "MIRELS-1989",
    "SINS-2010",
    "XGEVA-LABEL",
}


def test_registry_holds_exactly_the_keys_of_rules_md():
    assert set(SOURCES_BY_KEY) == RULES_MD_KEYS
    assert len(SOURCES) == len(RULES_MD_KEYS)


def test_every_source_has_a_citation():
    for source in SOURCES:
        assert source.title and source.publisher and source.date and source.summary


def test_the_five_patient_documents_are_named_by_their_file():
    documents = {source.key: source.document for source in SOURCES if source.document}
    assert set(documents) == {"ACS-2016", "MAYO-2022", "WEBMD-2021", "CRUK-2013", "BCO"}
    if SHARED_SOURCES.is_dir():
        assert {path.name for path in SHARED_SOURCES.iterdir()} == set(documents.values())


def test_every_cited_key_is_in_the_registry():
    cited = {key for rule in RULES for key in rule.sources}
    cited |= {key for action in ACTIONS for key in action.sources}
    cited |= {key for item in SCREEN_ITEMS for key in item.sources}
    assert cited <= set(SOURCES_BY_KEY)
