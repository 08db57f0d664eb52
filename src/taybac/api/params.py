"""Query parameters shared by the list endpoints: pagination bounds and free-text cleaning."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

MAX_PAGE = 10_000  # deeper pages are a crawler's job, and OFFSET grows with the page number
MAX_PAGE_SIZE = 100
MAX_TEXT = 200  # typed queries and names; longer input is refused with 422
MAX_CODE = 2_147_483_647  # largest id a client may send (32-bit signed, fits every backend)
SLUG_PATTERN = r"^[A-Za-z0-9_-]+$"  # shop and category slugs are ASCII (taybac.core.text.slugify_vi)

T = TypeVar("T")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1–{MAX_PAGE_SIZE}.")


class LongPageParams(PageParams):
    """Reference lists (34 provinces) fit one page by default."""

    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1–{MAX_PAGE_SIZE}.")


@dataclass(frozen=True)
class PageSlice(Generic[T]):
    items: list[T]
    count: int
    page: int
    page_size: int

    def envelope(self, items: list[Any]) -> dict[str, Any]:
        return {"items": items, "count": self.count, "page": self.page, "page_size": self.page_size}


def paginate(qs: QuerySet, params: PageParams) -> PageSlice:
    """Count, then fetch one page; a page past the end is simply empty."""
    count = qs.count()
    start = (params.page - 1) * params.page_size
    items = list(qs[start : start + params.page_size]) if start < count else []
    return PageSlice(items=items, count=count, page=params.page, page_size=params.page_size)


def clean_text(value: str | None) -> str:
    """Typed text made safe and comparable: control characters dropped (NUL breaks PostgreSQL text),
    runs of white space collapsed to one space, ends trimmed."""
    if not value:
        return ""
    kept = "".join(" " if ch.isspace() else ch for ch in value if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())
