"""Shops and their brand pages, products, variants, OCOP certificates, geographical indications, harvest seasons
and photos."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from taybac.catalog.seasons import months_from_mask


class TaxKind(models.TextChoices):
    """Which withholding rates a sale takes (Decree 117/2025/NĐ-CP; payments/withholding.py has the rates)."""

    GOODS = "goods", "Hàng hoá"
    SERVICE = "service", "Dịch vụ"
    TRANSPORT = "transport", "Vận tải, dịch vụ gắn với hàng hoá"


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    tax_kind = models.CharField(
        "loại để khấu trừ thuế",
        max_length=12,
        choices=TaxKind.choices,
        default=TaxKind.GOODS,
        help_text="The kind its products are taxed as, unless a product says otherwise (docs/compliance.md).",
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "ngành hàng"
        verbose_name_plural = "ngành hàng"

    def __str__(self) -> str:
        return self.name


class Shop(models.Model):
    """A producer's shop (gian hàng). One per producer; its location is the producer's commune."""

    producer = models.OneToOneField("accounts.Producer", on_delete=models.PROTECT, related_name="shop")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="shops")
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT, related_name="shops")
    story_html = models.TextField(blank=True, help_text="Câu chuyện thương hiệu: sanitised with nh3 (catalog.brand).")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "gian hàng"
        verbose_name_plural = "gian hàng"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class Kind(models.TextChoices):
        """What is sold: goods are shipped and traced by lot; services (tours, homestays) are neither."""

        GOODS = "goods", "Hàng hoá"
        SERVICE = "service", "Dịch vụ (du lịch, lưu trú)"
        TRANSPORT = "transport", "Vận tải và dịch vụ gắn với hàng hoá"

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    description_html = models.TextField(blank=True, help_text="Sanitised with nh3 before it is stored.")
    geographical_indication = models.CharField(max_length=120, blank=True, help_text="Chỉ dẫn địa lý, nếu có.")
    gi = models.ForeignKey(
        "GeographicalIndication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text="The registered GI, linked by an officer or operator (catalog.certificates) — the seller's "
        "free text above is only a claim.",
    )
    season_mask = models.PositiveIntegerField(default=0, help_text="Bit m (1–12) set when month m is in season.")
    next_harvest = models.DateField(null=True, blank=True)
    preorder_allowed = models.BooleanField(default=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.GOODS)
    tax_kind = models.CharField(
        "loại để khấu trừ thuế",
        max_length=12,
        choices=TaxKind.choices,
        null=True,
        blank=True,
        help_text="Set by an operator; empty: from its category (payments.withholding.product_tax_kind).",
    )
    rating_count = models.PositiveIntegerField(default=0, help_text="Published reviews (kept by the reviews app).")
    rating_total = models.PositiveIntegerField(default=0, help_text="Sum of their stars, 1–5 each.")
    sold_count = models.PositiveIntegerField(default=0, help_text="Units delivered to buyers.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "is_active"]), models.Index(fields=["category", "is_active"])]
        verbose_name = "sản phẩm"
        verbose_name_plural = "sản phẩm"

    def __str__(self) -> str:
        return self.name

    @property
    def rating_average(self) -> float | None:
        """Mean stars to one decimal, or None before the first review."""
        return round(self.rating_total / self.rating_count, 1) if self.rating_count else None

    @property
    def is_goods(self) -> bool:
        return self.kind == self.Kind.GOODS

    @property
    def season_months(self) -> list[int]:
        return months_from_mask(self.season_mask)

    def in_season(self, today: datetime.date | None = None) -> bool:
        month = (today or datetime.date.today()).month
        return bool(self.season_mask & (1 << month))

    def get_absolute_url(self) -> str:
        return f"/san-pham/{self.pk}-{self.slug}/"


class VariantQuerySet(models.QuerySet["Variant"]):
    """The one "on sale" rule: the variant, its product and its shop are active (`offered`), and the wanted
    quantity can come from stock (`in_stock`) or from the next harvest's pre-order quota (`preorderable`).

    Product and shop are tested with EXISTS, not joins, so that the stock guards stay single-table UPDATEs:
    Django moves the whole WHERE of a joined UPDATE into a subquery, where PostgreSQL would check
    `quantity - allocated >= q` against a stale snapshot instead of the row it locked. `Variant.sale_problem`
    says the same for a variant already loaded (tests/orders/test_on_sale.py holds the two together).
    """

    def offered(self) -> VariantQuerySet:
        """Listed for sale: variant, product and shop all active, whatever the stock."""
        return self.filter(
            Exists(Product.objects.filter(pk=OuterRef("product_id"), is_active=True)),
            Exists(Shop.objects.filter(pk=OuterRef("shop_id"), is_active=True)),
            is_active=True,
        )

    def in_stock(self, quantity: int = 1) -> VariantQuerySet:
        return self.filter(_from_stock(quantity))

    def preorderable(self, quantity: int = 1, *, today: datetime.date | None = None) -> VariantQuerySet:
        """The product takes pre-orders for a harvest still to come and its quota has `quantity` units left."""
        return self.filter(_from_harvest(quantity, today))

    def on_sale(self, quantity: int = 1, *, today: datetime.date | None = None) -> VariantQuerySet:
        """Offered, with `quantity` units from stock or from the pre-order quota."""
        return self.offered().filter(_from_stock(quantity) | _from_harvest(quantity, today))


def _from_stock(quantity: int) -> Q:
    return Q(quantity__gte=F("allocated") + quantity)


def _from_harvest(quantity: int, today: datetime.date | None) -> Q:
    upcoming = Product.objects.filter(
        pk=OuterRef("product_id"),
        kind=Product.Kind.GOODS,  # tours and homestays have no harvest, whatever older rows say
        preorder_allowed=True,
        next_harvest__gt=today or datetime.date.today(),
    )
    return Q(Exists(upcoming), harvest_quota__gte=F("harvest_allocated") + quantity)


class Variant(models.Model):
    """What a buyer actually puts in the cart: a size or pack of a product, with its own price and stock."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="variants")
    sku = models.CharField(max_length=40)
    name = models.CharField(max_length=80, help_text="Ví dụ: Hũ 500 g")
    unit = models.CharField(max_length=20, default="hũ")
    weight_grams = models.PositiveIntegerField()
    price = models.PositiveBigIntegerField(help_text="Integer đồng.")
    quantity = models.PositiveIntegerField(default=0, help_text="Units on hand.")
    allocated = models.PositiveIntegerField(default=0, help_text="Units reserved by open orders.")
    harvest_quota = models.PositiveIntegerField(
        default=0, help_text="Units the producer promises from the next harvest, sold as pre-orders."
    )
    harvest_allocated = models.PositiveIntegerField(default=0, help_text="Pre-ordered units of that quota.")
    gtin = models.CharField(max_length=14, unique=True)
    is_active = models.BooleanField(default=True)

    objects = VariantQuerySet.as_manager()

    class Meta:
        ordering = ["price", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="variant_sku_unique_per_shop"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("quantity")),
                name="variant_allocated_within_quantity",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
            models.CheckConstraint(
                condition=Q(harvest_allocated__lte=F("harvest_quota")), name="variant_harvest_allocated_within_quota"
            ),
        ]
        verbose_name = "phân loại"
        verbose_name_plural = "phân loại"

    def __str__(self) -> str:
        return f"{self.product.name} – {self.name}"

    @property
    def available(self) -> int:
        return self.quantity - self.allocated

    @property
    def preorder_available(self) -> int:
        return self.harvest_quota - self.harvest_allocated

    def sale_problem(self, quantity: int, today: datetime.date | None = None) -> str | None:
        """VariantQuerySet's rule for a loaded variant (with its product and shop): None when stock serves
        `quantity`, "preorder" when the harvest quota does, else "out_of_stock" or "not_on_sale"."""
        if not (self.is_active and self.product.is_active and self.shop.is_active):
            return "not_on_sale"
        if self.available >= quantity:
            return None
        product = self.product
        upcoming = product.next_harvest is not None and product.next_harvest > (today or datetime.date.today())
        if product.preorder_allowed and upcoming and self.preorder_available >= quantity:
            return "preorder"
        return "out_of_stock"


class GeographicalIndication(models.Model):
    """A geographical indication (chỉ dẫn địa lý) registered with the IP Office of Viet Nam, e.g. "Mộc Châu" for
    Shan tuyết tea. Its area is a list of communes, or whole provinces when no commune is listed."""

    number = models.CharField(
        max_length=20, blank=True, help_text="Số đăng bạ (ví dụ 00004); để trống khi chưa đối chiếu được với Cục SHTT."
    )
    name = models.CharField(max_length=120, help_text="Tên chỉ dẫn, ví dụ Mộc Châu")
    product_type = models.CharField(max_length=120, help_text="Sản phẩm, ví dụ Chè Shan tuyết")
    holder = models.CharField(max_length=200, blank=True, help_text="Tổ chức quản lý chỉ dẫn địa lý")
    registered_on = models.DateField(null=True, blank=True)
    provinces = models.ManyToManyField("regions.Province", related_name="geographical_indications")
    communes = models.ManyToManyField("regions.Commune", blank=True, related_name="geographical_indications")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "product_type"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="gi_number_unique"),
            models.UniqueConstraint(fields=["name", "product_type"], name="gi_name_product_unique"),
        ]
        verbose_name = "chỉ dẫn địa lý"
        verbose_name_plural = "chỉ dẫn địa lý"

    def __str__(self) -> str:
        return f"{self.product_type} {self.name}"

    def get_absolute_url(self) -> str:
        return f"/chi-dan-dia-ly/{self.pk}/"


class OcopCertificate(models.Model):
    """OCOP (One Commune One Product) rating of 3–5 stars, shown as a badge while valid.

    The decision fields make it an e-certificate (/chung-nhan/ocop/<id>/): an officer of the product's province or
    an operator records them (`recorded_by`); a seller's own change clears that mark (catalog.services)."""

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="ocop")
    stars = models.PositiveSmallIntegerField()
    issuer = models.CharField(max_length=160, help_text="Cơ quan cấp, ví dụ UBND tỉnh Sơn La")
    number = models.CharField(max_length=60)
    issued_on = models.DateField()
    expires_on = models.DateField()
    decision_number = models.CharField(max_length=60, blank=True, help_text="Ví dụ: 1234/QĐ-UBND")
    decision_date = models.DateField(null=True, blank=True)
    decision_body = models.CharField(max_length=160, blank=True, help_text="Ví dụ: UBND tỉnh Sơn La")
    document_url = models.URLField(max_length=300, blank=True, help_text="Bản quét/PDF của quyết định (https).")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=3) & Q(stars__lte=5), name="ocop_stars_3_to_5"),
            models.CheckConstraint(condition=Q(expires_on__gt=F("issued_on")), name="ocop_expires_after_issue"),
        ]
        verbose_name = "chứng nhận OCOP"
        verbose_name_plural = "chứng nhận OCOP"

    def is_valid(self, today: datetime.date | None = None) -> bool:
        return self.expires_on >= (today or datetime.date.today())

    def __str__(self) -> str:
        return f"OCOP {self.stars} sao – {self.product}"

    def get_absolute_url(self) -> str:
        return f"/chung-nhan/ocop/{self.pk}/"


class WebpPhoto(models.Model):
    """A photo stored as small WebP renditions (catalog.images.store_image); `widths` lists the sizes on disk.

    Abstract: product photos and lot photos share the storage layout and the URLs, not a table.
    """

    path_stem = models.CharField(max_length=200, help_text="Media path without '-<width>.webp'.")
    widths = models.JSONField(default=list)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def url(self, width: int) -> str:
        return f"{settings.MEDIA_URL}{self.path_stem}-{width}.webp"

    @property
    def srcset(self) -> str:
        return ", ".join(f"{self.url(w)} {w}w" for w in self.widths)

    @property
    def thumb(self) -> str:
        """The smallest rendition, for lists."""
        return self.url(self.widths[0])

    @property
    def src(self) -> str:
        return self.url(self.widths[min(1, len(self.widths) - 1)])


class ProductPhoto(WebpPhoto):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    alt = models.CharField(max_length=160, blank=True)

    class Meta(WebpPhoto.Meta):
        pass


class ShopPhoto(WebpPhoto):
    """A photo of the brand page: the place, the garden, the people (catalog.brand bounds their number)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="photos")
    alt = models.CharField(max_length=160, blank=True)

    class Meta(WebpPhoto.Meta):
        pass


class GtinSequence(models.Model):
    """Next item reference to allocate under a GS1 company prefix (locked row, no gaps reused)."""

    company_prefix = models.CharField(max_length=12, unique=True)
    next_item_reference = models.PositiveBigIntegerField(default=1)
