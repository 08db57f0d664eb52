"""Seller centre: a producer, or a helper acting for producers who delegated to them, runs a shop from a phone.

Every view resolves the acting producer through `managed_producers`, and every write goes through a
catalogue service that checks the permission again and audits "actor on behalf of owner".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from taybac.accounts.http import AuthenticatedHttpRequest
from taybac.accounts.models import Delegation, Producer, User
from taybac.accounts.phone import normalize_phone
from taybac.accounts.selectors import NotAllowed, managed_producers, require_can_manage
from taybac.accounts.services import grant_delegation, register_producer, revoke_delegation
from taybac.catalog import services
from taybac.catalog.images import MAX_UPLOAD_BYTES
from taybac.catalog.models import Product, ProductPhoto, Shop, Variant
from taybac.catalog.sanitize import description_to_text
from taybac.catalog.selectors import shop_products_for_seller
from taybac.core.errors import DomainError
from taybac.core.ids import small_int
from taybac.insights.forecast_pages import product_summary
from taybac.regions.models import Province
from taybac.regions.selectors import communes_for_people, provinces_for_people
from taybac.web import forms_seller as f
from taybac.web.seller.activity import shop_activity

SESSION_PRODUCER = "acting_producer_id"


def _acting(request: AuthenticatedHttpRequest) -> tuple[Producer, list[Producer]]:
    """The producer this request acts for (chosen in the session), and all the user may manage."""
    producers = list(managed_producers(request.user).select_related("shop", "owner"))
    if not producers:
        raise Http404("no producer")
    chosen = request.session.get(SESSION_PRODUCER)
    own = [p for p in producers if p.owner_id == request.user.pk]
    current = next((p for p in producers if p.pk == chosen), own[0] if own else producers[0])
    return current, producers


def acting_shop(request: AuthenticatedHttpRequest) -> tuple[Producer, Shop] | HttpResponse:
    """The acting producer and their shop, or where to send a user who has neither (sign-up; the seller centre's
    home to open the shop): how every seller-centre page about the shop begins."""
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    shop = getattr(producer, "shop", None)
    return redirect("/ban-hang/") if shop is None else (producer, shop)


def _product_for(request: AuthenticatedHttpRequest, product_id: int) -> Product:
    product = Product.objects.select_related("shop__producer__owner", "category").filter(pk=product_id).first()
    if product is None:
        raise Http404("Không tìm thấy sản phẩm.")
    try:
        require_can_manage(request.user, product.shop.producer)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    return product


def _shop_of(producer: Producer, user: User) -> Shop:
    shop = getattr(producer, "shop", None)
    return shop or services.create_shop(actor=user, producer=producer)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        producer, producers = _acting(request)
    except Http404:
        return redirect("seller-signup")
    shop = _shop_of(producer, request.user)
    products = list(shop_products_for_seller(shop))
    return render(
        request,
        "web/centre/home.html",
        {
            "producer": producer,
            "producers": producers,
            "shop": shop,
            "products": products,
            "on_behalf": producer.owner_id != request.user.pk,
        },
    )


@login_required
@require_POST
def switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A helper picks which delegating producer they act for."""
    chosen = small_int(request.POST.get("producer"))
    producer = managed_producers(request.user).filter(pk=chosen).first() if chosen is not None else None
    if producer is None:
        raise PermissionDenied("Bạn không quản lý nhà sản xuất này.")
    request.session[SESSION_PRODUCER] = producer.pk
    messages.success(request, f"Đang quản lý: {producer.name}")
    return redirect("seller-home")


@login_required
def signup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Two steps without JavaScript: pick the province (GET), then name, kind and commune (POST)."""
    if hasattr(request.user, "producer"):
        return redirect("seller-home")
    provinces = provinces_for_people()
    code = small_int(request.POST.get("tinh") or request.GET.get("tinh"))
    province = Province.objects.filter(code=code).first() if code is not None else None
    communes = communes_for_people(province.code) if province else []
    form = f.SignUpForm(request.POST or None, communes=communes) if province else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            producer = register_producer(
                user=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                commune_code=form.cleaned_data["commune"],
            )
            services.create_shop(actor=request.user, producer=producer)
        except DomainError as error:
            f.attach(form, error)
        else:
            messages.success(request, "Đã mở gian hàng. Hãy đăng sản phẩm đầu tiên.")
            return redirect("seller-product-new")
    return render(
        request,
        "web/centre/signup.html",
        {"provinces": provinces, "province": province, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def product_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Screen 1 of 3: name, category, price, quantity, unit and weight."""
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    form = f.ProductBasicsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(
                actor=request.user, shop=_shop_of(producer, request.user), **form.cleaned_data
            )
        except DomainError as error:
            f.attach(form, error)
        else:
            return redirect("seller-product-photos", pk=product.pk)
    return render(
        request, "web/centre/product_new.html", {"form": form, "producer": producer}, status=400 if form.errors else 200
    )


@login_required
def product_photos(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Screen 2 of 3: photos from the phone's camera or gallery (several at once)."""
    product = _product_for(request, pk)
    error = None
    if request.method == "POST":
        uploads = request.FILES.getlist("photos")
        if not uploads:
            error = "Chưa chọn ảnh nào."
        for upload in uploads:
            try:
                services.add_photo(
                    actor=request.user, product=product, data=upload.read(MAX_UPLOAD_BYTES + 1)
                )  # more is refused unread
            except DomainError as refusal:
                error = f"{upload.name}: {refusal.message}"
                break
        if error is None:
            messages.success(request, f"Đã thêm {len(uploads)} ảnh.")
            return redirect("seller-product-photos", pk=product.pk)
    return render(
        request,
        "web/centre/product_photos.html",
        {"product": product, "photos": list(product.photos.all()), "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def photo_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Delete a photo after a confirmation page (GET, or a POST without `xac_nhan`) that shows it."""
    photo = ProductPhoto.objects.select_related("product").filter(pk=pk).first()
    if photo is None:
        raise Http404("Không tìm thấy ảnh.")
    product = _product_for(request, photo.product_id)
    if request.method == "GET" or not f.ConfirmForm(request.POST).is_valid():
        left = product.photos.count() - 1
        return render(request, "web/centre/photo_remove.html", {"photo": photo, "product": product, "left": left})
    services.remove_photo(actor=request.user, photo=photo)
    messages.success(request, "Đã xoá ảnh.")
    return redirect("seller-product-photos", pk=photo.product_id)


def _details_initial(product: Product) -> dict:
    initial = {
        "name": product.name,
        "category": product.category,
        "season_months": product.season_months,
        "next_harvest": product.next_harvest,
        "preorder_allowed": product.preorder_allowed,
        "geographical_indication": product.geographical_indication,
        "is_active": product.is_active,
        "description": description_to_text(product.description_html),
    }
    ocop = getattr(product, "ocop", None)
    if ocop:
        initial.update(
            ocop_stars=ocop.stars,
            ocop_issuer=ocop.issuer,
            ocop_number=ocop.number,
            ocop_issued_on=ocop.issued_on,
            ocop_expires_on=ocop.expires_on,
        )
    return initial


@login_required
def product_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Screen 3 of 3, and the edit page: name, season, pre-order, OCOP, description, on sale or not."""
    product = _product_for(request, pk)
    form = f.ProductDetailsForm(request.POST or None, initial=_details_initial(product), goods=product.is_goods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ocop = (
            services.OcopInput(
                stars=data["ocop_stars"],
                issuer=data["ocop_issuer"],
                number=data["ocop_number"],
                issued_on=data["ocop_issued_on"],
                expires_on=data["ocop_expires_on"],
            )
            if data["ocop_stars"]
            else None
        )
        try:
            services.save_product(
                actor=request.user,
                product=product,
                name=data["name"],
                category=data["category"],
                description=data["description"],
                season_months=data["season_months"],
                next_harvest=data["next_harvest"],
                preorder_allowed=data["preorder_allowed"],
                is_active=data["is_active"],
                ocop=ocop,
                geographical_indication=data["geographical_indication"],
            )
        except DomainError as error:
            f.attach(form, error)
        else:
            messages.success(request, f"Đã lưu “{product.name}”.")
            return redirect("seller-home")
    return render(
        request,
        "web/centre/product_details.html",
        {"form": form, "product": product, "forecast": product_summary(product_id=product.pk)},
        status=400 if form.errors else 200,
    )


@login_required
def variant_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    product = _product_for(request, pk)
    form = f.VariantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_variant(actor=request.user, product=product, **form.cleaned_data)
        except DomainError as error:
            f.attach(form, error)
        else:
            return redirect("seller-home")
    return render(
        request, "web/centre/variant_new.html", {"form": form, "product": product}, status=400 if form.errors else 200
    )


def _variant_number(request: AuthenticatedHttpRequest, pk: int, *, field: str, label: str, apply, done) -> HttpResponse:
    """The one-number forms on the product list (stock, pre-order places): parse, apply through a service,
    report in a message, back to the list."""
    variant = Variant.objects.select_related("product", "shop__producer").filter(pk=pk).first()
    if variant is None:
        raise Http404("Không tìm thấy phân loại.")
    _product_for(request, variant.product_id)
    number = small_int(request.POST.get(field), max_digits=7)
    try:
        if number is None:
            raise DomainError(f"{label} phải là số nguyên từ 0.", field=field)
        variant = apply(variant, number)
    except DomainError as error:
        messages.error(request, f"{variant}: {error.message}")
    else:
        messages.success(request, f"{variant}: {done(variant)}.")
    return redirect("seller-home")


@login_required
@require_POST
def variant_stock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _variant_number(
        request,
        pk,
        field="quantity",
        label="Tồn kho",
        apply=lambda v, n: services.set_stock(actor=request.user, variant=v, quantity=n),
        done=lambda v: f"còn {v.quantity} {v.unit}",
    )


@login_required
@require_POST
def variant_quota(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _variant_number(
        request,
        pk,
        field="harvest_quota",
        label="Số suất đặt trước",
        apply=lambda v, n: services.set_harvest_quota(actor=request.user, variant=v, quota=n),
        done=lambda v: f"{v.harvest_quota} suất đặt trước",
    )


@login_required
def delegations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The producer grants and revokes helpers' access to their own shop."""
    producer = getattr(request.user, "producer", None)
    if producer is None:
        raise PermissionDenied("Chỉ chủ gian hàng mới quản lý ủy quyền.")
    form = f.DelegateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = normalize_phone(form.cleaned_data["phone"])
            delegate = User.objects.filter(phone=phone).first()
            if delegate is None:
                raise DomainError(
                    "Chưa có tài khoản nào với số này. Người được ủy quyền cần đăng nhập một lần trước.", field="phone"
                )
            grant_delegation(producer=producer, delegate=delegate, granted_by=request.user)
        except DomainError as error:
            f.attach(form, error)
        else:
            messages.success(request, f"Đã ủy quyền cho {delegate}.")
            return redirect("seller-delegations")
    granted = producer.delegations.select_related("delegate").order_by("-granted_at")
    return render(
        request,
        "web/centre/delegations.html",
        {"form": form, "delegations": granted},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke a helper after a confirmation page (GET, or a POST without `xac_nhan`) that says what they lose."""
    delegation = Delegation.objects.select_related("producer", "delegate").filter(pk=pk).first()
    if delegation is None:
        raise Http404("Không tìm thấy ủy quyền.")
    if delegation.producer.owner_id != request.user.pk:
        raise PermissionDenied("Chỉ chủ gian hàng mới được thu hồi ủy quyền.")
    if request.method == "GET" or not f.ConfirmForm(request.POST).is_valid():
        return render(request, "web/centre/delegation_revoke.html", {"delegation": delegation})
    try:
        revoke_delegation(delegation=delegation, revoked_by=request.user)
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, "Đã thu hồi ủy quyền.")
    return redirect("seller-delegations")


@login_required
def activity(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What was done on the acting producer's shop, by whom, on whose behalf."""
    try:
        producer, _ = _acting(request)
    except Http404:
        return redirect("seller-signup")
    return render(request, "web/centre/activity.html", {"producer": producer, "rows": shop_activity(producer)})
