"""The search index (one folded document per product), its vocabulary, and the query log.

The index rows are plain tables both backends share; each backend adds its own full-text structure on
top in a vendor-guarded migration (SQLite: an FTS5 table fed by triggers; PostgreSQL: a generated,
weighted tsvector column with a GIN index), so indexing code never depends on the backend.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

MAX_TERM_LENGTH = 64


class SearchEntry(models.Model):
    """Folded text of one searchable product, split by ranking weight.

    Each field holds `taybac.core.text.fold_words` output joined by single spaces, so both the
    full-text engines and the word-boundary tests used for ranking see the same words.
    """

    product = models.OneToOneField(
        "catalog.Product", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    name = models.TextField(help_text="Product name (weight A).")
    context = models.TextField(help_text="Category, shop, commune, province and its old names, GI (weight B).")
    body = models.TextField(blank=True, help_text="Description as plain text (weight C).")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mục chỉ mục tìm kiếm"
        verbose_name_plural = "chỉ mục tìm kiếm"

    def __str__(self) -> str:
        return self.name


class SearchTerm(models.Model):
    """A word present in the index and the number of entries holding it: the typo-correction dictionary."""

    term = models.CharField(primary_key=True, max_length=MAX_TERM_LENGTH)
    doc_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "từ trong chỉ mục"
        verbose_name_plural = "từ trong chỉ mục"

    def __str__(self) -> str:
        return f"{self.term} ({self.doc_count})"


class SearchQueryLog(models.Model):
    """One search as typed (folded) with its filters and result count. Deliberately no user, IP or
    session: the insights work needs what people look for, not who they are.

    `buyer_province` is as coarse as a place gets (one of 34 provinces), taken from the buyer's saved or
    cart address, never from the network. `visit` is a random token the browser keeps in a signed cookie for at
    most 24 hours or until an order, unrelated to the session, account or order: it only lets the insights count
    distinct searchers (k-anonymity) and whether a visit that searched went on to order (`led_to_order`,
    with no link to which order). docs/search.md, "Query log".
    """

    query = models.CharField(max_length=200, blank=True, help_text="Folded words of the query.")
    filters = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField()
    page = models.PositiveIntegerField(default=1)
    backend = models.CharField(max_length=20)
    duration_ms = models.PositiveIntegerField(default=0)
    buyer_province = models.ForeignKey(
        "regions.Province", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visit = models.CharField(max_length=32, blank=True, help_text="Random per-visit token; empty from the API.")
    led_to_order = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["query", "created_at"]),
            models.Index(fields=["buyer_province", "created_at"], name="search_log_province_time"),
            models.Index(fields=["visit", "created_at"], name="search_log_visit_time"),
        ]
        verbose_name = "lượt tìm kiếm"
        verbose_name_plural = "nhật ký tìm kiếm"

    def __str__(self) -> str:
        return f"{self.query!r} → {self.result_count}"


class Synonym(models.Model):
    """Words or phrases a buyer may use for the same thing ("trà, chè"; "Hoàng Su Phì, hoang su fi"), edited by
    operators in the admin. Applied when a search is planned, not when products are indexed, so an edit needs
    no reindexing (taybac.search.synonyms; other processes see it within SYNONYM_TTL seconds)."""

    terms = models.CharField(
        "các cách gọi",
        max_length=300,
        help_text="Cách nhau bằng dấu phẩy, ví dụ: trà, chè. Có dấu hay không dấu đều được; mỗi cụm tối đa 4 từ.",
    )
    is_active = models.BooleanField("đang dùng", default=True)
    note = models.CharField("ghi chú", max_length=200, blank=True)
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = "từ đồng nghĩa"
        verbose_name_plural = "từ đồng nghĩa"

    def __str__(self) -> str:
        return self.terms

    def clean(self) -> None:
        """At least two different phrases (after folding), each of at most MAX_SYNONYM_WORDS words."""
        from taybac.search.synonyms import MAX_PHRASES, MAX_SYNONYM_WORDS, phrases_of

        phrases = phrases_of(self.terms or "")
        if len(phrases) < 2:
            raise ValidationError({"terms": "Cần ít nhất hai cách gọi khác nhau, cách nhau bằng dấu phẩy."})
        if len(phrases) > MAX_PHRASES:
            raise ValidationError({"terms": f"Tối đa {MAX_PHRASES} cách gọi trong một nhóm."})
        if any(len(p) > MAX_SYNONYM_WORDS for p in phrases):
            raise ValidationError({"terms": f"Mỗi cách gọi tối đa {MAX_SYNONYM_WORDS} từ."})
