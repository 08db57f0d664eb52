"""Region lookups: by code, and by names typed with or without diacritics, old names included."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, cast, overload

from django.db.models import Model, QuerySet

from taybac.core.text import fold, place_sort_key
from taybac.regions.models import Commune, Province, ProvinceAlias

T = TypeVar("T", bound=Model)


def province_list(*, in_region: bool | None = None) -> QuerySet[Province]:
    """Provinces in the database's order of names, for the API's pages (clients sort with their own locale);
    lists shown to people use `provinces_for_people`."""
    qs = Province.objects.all()
    if in_region is not None:
        qs = qs.filter(in_region=in_region)
    return qs.order_by("name")


def province_by_code(code: int) -> Province | None:
    return Province.objects.filter(code=code).first()


def province_by_slug(slug: str) -> Province | None:
    """'lao-cai' or 'lao_cai' -> Lào Cai, with its old names (aliases) loaded."""
    return Province.objects.prefetch_related("aliases").filter(codename=slug.replace("-", "_")).first()


def province_by_name(name: str) -> Province | None:
    """'lao cai', 'Lào Cai', 'Tỉnh Lào Cai', 'Yên Bái' (old name) all find the new Lào Cai."""
    key = fold(name).strip()
    for prefix in ("tinh ", "thanh pho ", "tp "):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    if not key:
        return None
    province = Province.objects.filter(name_folded=key).first()
    if province is None:
        alias = ProvinceAlias.objects.select_related("province").filter(name_folded=key).first()
        province = alias.province if alias else None
    return province


def commune_search(*, name: str, province_code: int | None = None, limit: int | None = 20) -> QuerySet[Commune]:
    """Communes whose folded name contains the typed text ("ta phin" finds "Xã Tả Phìn").

    `limit=None` leaves the queryset unsliced so callers (the API) can paginate it.
    """
    qs = Commune.objects.select_related("province").filter(name_folded__contains=fold(name).strip())
    if province_code is not None:
        qs = qs.filter(province_id=province_code)
    qs = qs.order_by("name", "code")
    return qs if limit is None else qs[:limit]


def communes_of(province_code: int) -> QuerySet[Commune]:
    return Commune.objects.filter(province_id=province_code).order_by("name")


class Collated(Sequence[T]):
    """A bounded queryset sorted in Python by a key, read on first use like the queryset it replaces: a page that
    redirects after a successful form never runs the query."""

    def __init__(self, queryset: QuerySet[T], key: Callable[[T], Any]) -> None:
        self._queryset, self._key, self._items = queryset, key, cast("list[T] | None", None)

    def _all(self) -> list[T]:
        if self._items is None:
            self._items = sorted(self._queryset, key=self._key)
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())


def provinces_for_people(*, in_region: bool | None = None) -> Collated[Province]:
    """Provinces as a select or a list shows them: the region's first, then the others, each in Vietnamese
    alphabetical order under their name ("Thành phố Hà Nội" under H, Đ after D), the same on every database."""
    qs = Province.objects.all() if in_region is None else Province.objects.filter(in_region=in_region)
    return Collated(qs, lambda p: (not p.in_region, place_sort_key(p.name)))


def communes_for_people(province_code: int) -> Collated[Commune]:
    """A province's communes (at most a few hundred) in Vietnamese alphabetical order under their name:
    "Xã Tả Phìn" under T, "Phường Mộc Châu" and "Xã Mộc Châu" together."""
    return Collated(Commune.objects.filter(province_id=province_code), lambda c: place_sort_key(c.name))
