from __future__ import annotations

import pytest

from tests.factories import make_user
from tests.reviews.purchases import delivered_line


@pytest.fixture
def buyer(db):
    return make_user(full_name="Nguyễn Thu Hà")


@pytest.fixture
def line(buyer):
    """A delivered line of two units, bought by `buyer` (signed in)."""
    return delivered_line(buyer)
