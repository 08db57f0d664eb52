"""/.well-known/security.txt (RFC 9116): how to report a vulnerability, from the operator's own setting."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

# RFC 9116 §2.5.5: Expires is required and should be under a year away; the file is generated from the setting
# the operator keeps current, so it is always this far ahead.
VALID_FOR = datetime.timedelta(days=180)


def _uri(contact: str) -> str:
    return contact if contact.startswith(("https://", "mailto:", "tel:")) else f"mailto:{contact}"


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """Contact lines from TAYBAC_SECURITY_CONTACT; without one, no file (a placeholder would mislead)."""
    contacts = settings.TAYBAC_SECURITY_CONTACT
    if not contacts:
        raise Http404("No security contact configured.")
    expires = (timezone.now() + VALID_FOR).replace(microsecond=0).astimezone(datetime.UTC)
    lines = [f"Contact: {_uri(c)}" for c in contacts]
    lines += [
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: vi, en",
        f"Canonical: {settings.PUBLIC_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
