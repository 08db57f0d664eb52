"""Write a record once per idempotency key, even when two copies of the same request race.

Checkout, bank-transfer notifications, refunds and payouts all follow the same pattern: look the key up; if it
is new, write inside a transaction (a savepoint when the caller already holds one); if the database's unique
constraint refuses the insert because a concurrent copy won the race, read the winner's record instead. The
unique constraint is what makes it correct; the first look-up only spares the usual replay a write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

T = TypeVar("T", bound=models.Model)


def get_or_create_once(
    model_or_queryset: type[T] | models.QuerySet[T], lookup: Mapping[str, Any], create: Callable[[], T]
) -> tuple[T, bool]:
    """The record matching `lookup` (created False), else what `create()` writes (created True).

    `lookup` must name a unique key that `create()` writes, so that a concurrent duplicate fails with an
    IntegrityError; that error is answered with the record that won. Any other IntegrityError (nothing found
    afterwards) propagates, as does any exception `create()` raises (its writes are rolled back).
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    found = queryset.filter(**lookup).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        found = queryset.filter(**lookup).first()
        if found is None:
            raise
        return found, False
