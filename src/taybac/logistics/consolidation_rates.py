"""The consolidation planner's prices from the hub network's ACTIVE rate table (docs/logistics.md, Consolidation).

`TableRates` splits the table the same way `consolidation.ZoneSplitRates` splits the checkout fee, with band
functions instead of "first kilogram + extra kilogram" pairs:

- `price`: what the table charges a parcel sent alone for its zone and weight, plus the remote-commune surcharge;
- `last_mile`: the table's fee from the hub's province to the destination (the same-province zone when the hub
  is the destination province), plus the remote-commune surcharge (it is paid on the last leg, pooled or not);
- `line_haul`: what the zone post office → hub charges above the same-province tariff, on the movement's
  (pooled) weight: `fee(zone, w) − fee(same province, w)`.

So a parcel alone costs exactly `line_haul + last_mile` whenever its zone costs at least the same-province
tariff at that weight (true of the seeded table and of any table that charges more to go further). A table that
charges a zone LESS than the same province gets a line haul of 0 there; pooling such a parcel never saves, so it is
sent alone at its own price. Savings are always computed from the table, never a percentage.
"""

from __future__ import annotations

from dataclasses import dataclass

from taybac.core.errors import DomainError
from taybac.logistics.models import RateTable, RemoteCommune, Zone
from taybac.logistics.rates import NoRate, Table, shipping_fee, zone_for
from taybac.logistics.selectors import table_values
from taybac.regions.models import Province


@dataclass(frozen=True)
class TableRates:
    """A `consolidation.RatePlan` over a rate table's values (no queries: build it with `active_rate_plan`).

    `region` is the provinces of the hub's region (the region zone looks at the destination only, as at checkout);
    `remote` the remote communes' 2025 codes. The planner knows provinces, not the sender's commune, so a parcel
    is never priced at the same-commune zone (consolidation does not carry those: they never leave the commune).
    """

    table: Table
    region: frozenset[int]
    remote: frozenset[int] = frozenset()

    def _fee(self, origin: int, dest: int, weight_g: int) -> int:
        zone = zone_for(
            from_province=origin,
            from_commune=None,
            to_province=dest,
            to_commune=None,
            to_in_region=dest in self.region,
        )
        return self._zone_fee(zone, weight_g)

    def _zone_fee(self, zone: Zone, weight_g: int) -> int:
        try:
            return shipping_fee(self.table, zone=zone, weight_g=weight_g)
        except NoRate as exc:
            raise DomainError(
                f"Bảng giá vận chuyển đang dùng thiếu khung {zone.label} cho {weight_g:,} g.", code="no_rate"
            ) from exc

    def _surcharge(self, dest_commune: int) -> int:
        return self.table.remote_surcharge if dest_commune in self.remote else 0

    def price(self, *, origin_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return self._fee(origin_province, dest_province, weight_g) + self._surcharge(dest_commune)

    def line_haul(self, *, origin_province: int, hub_province: int, weight_g: int) -> int:
        zone_fee = self._fee(origin_province, hub_province, weight_g)
        return max(0, zone_fee - self._zone_fee(Zone.SAME_PROVINCE, weight_g))

    def last_mile(self, *, hub_province: int, dest_province: int, dest_commune: int, weight_g: int) -> int:
        return self._fee(hub_province, dest_province, weight_g) + self._surcharge(dest_commune)


def active_rate_plan() -> tuple[RateTable, TableRates]:
    """The active table row (stored with a run) and its `TableRates` (five small queries)."""
    row = RateTable.objects.filter(is_active=True).prefetch_related("bands", "etas").first()
    if row is None:
        raise DomainError("Chưa có bảng giá vận chuyển nào đang dùng: quản trị viên cần bật một bảng giá.")
    rates = TableRates(
        table=table_values(row),
        region=frozenset(Province.objects.filter(in_region=True).values_list("code", flat=True)),
        remote=frozenset(RemoteCommune.objects.values_list("commune_code", flat=True)),
    )
    return row, rates
