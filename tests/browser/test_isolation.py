"""Issue 10 §8: every browser test passes alone and in any order, so the transactional fixture puts back every row
the migrations seed. This holds the list of seeds to the migrations (no browser needed)."""

import importlib
import pkgutil

import checklists.migrations
from tests.conftest import SEEDS


def test_every_seeding_migration_is_re_seeded_before_each_browser_test():
    seeding = {
        module.name
        for module in pkgutil.iter_modules(checklists.migrations.__path__)
        if hasattr(importlib.import_module(f"checklists.migrations.{module.name}"), "seed")
    }
    assert seeding == {seed.__name__.rsplit(".", 1)[-1] for seed in SEEDS}
