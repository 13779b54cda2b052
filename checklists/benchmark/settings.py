"""The benchmark's settings: the app's own, with one page added (a bare signed-in page, the limit to compare with)."""

from bonemets.settings import *  # noqa: F403 - the same stack, middleware and database as production

ROOT_URLCONF = "checklists.benchmark.urls"
