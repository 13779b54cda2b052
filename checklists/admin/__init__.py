"""The admin clinic admins use to own the checklist, ranges, sources, test cases and their staff (issue 5)."""

from . import audit, checklist, people, reference, site, test_cases  # noqa: F401 - registers the admins
