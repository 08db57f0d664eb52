"""Write audit entries; callers run this inside the transaction of the change they audit."""

from __future__ import annotations

from typing import Any

from django.db import models

from taybac.core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    on_behalf_of: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record "actor did action on target [on behalf of someone]"."""
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", True) else None
    behalf_id = getattr(on_behalf_of, "pk", None)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        on_behalf_of_id=behalf_id if behalf_id != actor_id else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )
