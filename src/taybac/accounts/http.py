"""The request type of a view that only a signed-in user reaches.

`request.user` is `User | AnonymousUser` on a plain `HttpRequest`. Behind `login_required` (or an API
authentication that refuses anonymous callers) it is always the project's `User`; annotating such a view's
request with `AuthenticatedHttpRequest` says so once, so the type checker sees the services get a real user.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from taybac.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An `HttpRequest` whose user has signed in: use it only behind `login_required` or an equivalent check."""

    user: User


def signed_in_user(request: HttpRequest) -> User | None:
    """The request's user if signed in, else None (for pages and endpoints that anyone may use)."""
    user = request.user
    return user if user.is_authenticated else None


def require_user(request: HttpRequest) -> User:
    """The signed-in user, where only one can get (the admin site): refused, never None, if that ever fails."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user
