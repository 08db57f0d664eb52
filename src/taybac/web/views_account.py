"""Sign-in by phone number and one-time code (no passwords for buyers and producers)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from taybac.accounts.otp import OtpError, issue_code
from taybac.accounts.phone import PhoneError, display_phone, normalize_phone
from taybac.accounts.services import sign_in_with_code
from taybac.web.forms_seller import CodeForm, PhoneForm

SESSION_PHONE = "signin_phone"
SESSION_NEXT = "signin_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return "/ban-hang/"


def signin(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone number; a code is sent (in demo mode: written to the server log)."""
    if request.method == "GET" and request.GET.get("next"):
        request.session[SESSION_NEXT] = _safe_next(request, request.GET["next"])
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = normalize_phone(form.cleaned_data["phone"])
            issue_code(phone=phone)
        except (PhoneError, OtpError) as error:
            form.add_error("phone", error.message)
        else:
            request.session[SESSION_PHONE] = phone
            return redirect("signin-code")
    demo = settings.TAYBAC_OTP_SENDER.endswith("LogOtpSender")
    return render(request, "web/centre/signin_phone.html", {"form": form, "demo": demo},
                  status=400 if form.errors else 200)


def signin_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code; a correct one signs in (a first sign-in creates the account)."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in_with_code(phone=phone, code=form.cleaned_data["code"])
        except OtpError as error:
            form.add_error("code", error.message)
        else:
            target = request.session.pop(SESSION_NEXT, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(SESSION_PHONE, None)  # the code page is done; a reload goes back to step 1
            return redirect(_safe_next(request, target))
    return render(request, "web/centre/signin_code.html", {"form": form, "phone": display_phone(phone)},
                  status=400 if form.errors else 200)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("store-home")
