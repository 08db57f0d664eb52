"""Sign-in by phone number and one-time code (no passwords for buyers and producers)."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from taybac.accounts.models import User
from taybac.accounts.otp import OtpError, RateLimited, issue_code
from taybac.accounts.phone import PhoneError, display_phone, normalize_phone
from taybac.accounts.selectors import managed_producers
from taybac.accounts.services import sign_in_with_code
from taybac.core.client_address import client_network
from taybac.core.senders import sms_goes_to_log
from taybac.web.forms_seller import CodeForm, PhoneForm

SESSION_PHONE = "signin_phone"
SESSION_NEXT = "signin_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """`next` only when it is a path on this site (never another host, a scheme, or "//host")."""
    if (
        candidate
        and len(candidate) <= 500
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure())
    ):
        return candidate
    return None


def _landing(user: User) -> str:
    """Where a sign-in without `next` goes: the seller centre for whoever runs or helps run a shop, else the
    buyer's orders (a phone without a shop is a buyer, not a seller to sign up)."""
    return "/ban-hang/" if managed_producers(user).exists() else "/don-mua/"


def _form_page(request: HttpRequest, template: str, context: dict, limited: RateLimited | None) -> HttpResponse:
    """The form again: 429 with Retry-After when a sign-in limit refused it, 400 for other errors."""
    form = context["form"]
    status = 429 if limited else (400 if form.errors else 200)
    response = render(request, template, context, status=status)
    if limited:
        response["Retry-After"] = str(limited.retry_after)
    return response


def signin(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone number; a code is sent (in demo mode: written to the server log)."""
    if request.method == "GET" and request.GET.get("next"):
        wanted = _safe_next(request, request.GET["next"])
        if wanted:
            request.session[SESSION_NEXT] = wanted
    form = PhoneForm(request.POST or None)
    limited = None
    if request.method == "POST" and form.is_valid():
        try:
            phone = normalize_phone(form.cleaned_data["phone"])
            issue_code(phone=phone, network=client_network(request))
        except (PhoneError, OtpError) as error:
            form.add_error("phone", error.message)
            limited = error if isinstance(error, RateLimited) else None
        else:
            request.session[SESSION_PHONE] = phone
            return redirect("signin-code")
    demo = sms_goes_to_log()
    return _form_page(request, "web/centre/signin_phone.html", {"form": form, "demo": demo}, limited)


def signin_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code; a correct one signs in (a first sign-in creates the account)."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("signin")
    form = CodeForm(request.POST or None)
    limited = None
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in_with_code(phone=phone, code=form.cleaned_data["code"], network=client_network(request))
        except OtpError as error:
            form.add_error("code", error.message)
            limited = error if isinstance(error, RateLimited) else None
        else:
            target = request.session.pop(SESSION_NEXT, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(SESSION_PHONE, None)  # the code page is done; a reload goes back to step 1
            return redirect(_safe_next(request, target) or _landing(user))
    return _form_page(request, "web/centre/signin_code.html", {"form": form, "phone": display_phone(phone)}, limited)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("store-home")
