"""A list's links are the ones reverse() makes (checklists/links.py, issue 13)."""

import pytest
from django.urls import reverse

from checklists.links import Links


@pytest.mark.parametrize("route", ["checklists:patient-detail", "checklists:visit-detail", "checklists:flag-review"])
@pytest.mark.parametrize("pk", [1, 7, 2_147_483_646])
def test_a_link_is_the_reversed_url(route, pk):
    assert Links(route)[pk] == reverse(route, args=[pk])


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        Links("checklists:patient-detail")["1/../../admin"]
