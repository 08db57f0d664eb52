"""The shapes of the demo data: specialty templates, and the producers who sell them."""

from __future__ import annotations

from dataclasses import dataclass, field

# (variant name, unit, weight in grams, price in đồng)
VariantSpec = tuple[str, str, int, int]


@dataclass(frozen=True)
class Specialty:
    """A kind of product the region really makes. `{place}` and `{province}` are filled per producer."""

    name: str
    category: str
    description: str
    variants: tuple[VariantSpec, ...]
    months: tuple[int, ...] = ()  # harvest months; empty for goods sold all year
    preorder: bool = False  # buyers may order ahead of the harvest


@dataclass(frozen=True)
class ProductRef:
    """One product of a producer: a specialty, plus what is true only for this producer."""

    specialty: str
    gi: str = ""  # geographical indication, only where one is registered
    ocop: int | None = None  # OCOP stars, 3–5
    name: str = ""  # overrides the specialty's name pattern


@dataclass(frozen=True)
class DemoProducer:
    key: str
    kind: str  # household / cooperative / enterprise
    name: str
    person: str
    province: int  # new (2025) province code
    commune: str  # exact commune name in vietnam-provinces
    place: str  # the locality buyers know ("Mèo Vạc", "Mộc Châu")
    old_province: str  # province name on certificates issued before 1 July 2025
    about: str
    products: tuple[ProductRef, ...]
    helper: str = ""  # key of the community digital helper who manages the shop
    cooperative: str = ""  # key of a cooperative the household also delegated to


@dataclass(frozen=True)
class DemoHelper:
    key: str
    person: str
    team: str
    province: int
    revoked: tuple[str, ...] = field(default=())  # producers that delegated once and then revoked


@dataclass(frozen=True)
class DemoOfficer:
    province: int
    person: str
