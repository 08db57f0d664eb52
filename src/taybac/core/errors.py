"""One error type for every domain rule a user can break; pages and the API map it to a 4xx."""

from __future__ import annotations


class DomainError(ValueError):
    """A request the domain refuses. `message` is Vietnamese, for the end user; `code` is for API clients."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
