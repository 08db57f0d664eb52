"""Reads of the hub network's rate tables, as plain `rates.Table` values the arithmetic works on."""

from __future__ import annotations

from taybac.core.errors import DomainError
from taybac.logistics.models import RateTable, RemoteCommune
from taybac.logistics.rates import Band, Table


def table_values(table: RateTable) -> Table:
    """A table row with its bands and delivery days (two extra queries unless prefetched)."""
    return Table(
        bands=tuple(Band(b.zone, b.from_g, b.to_g, b.base_fee, b.step_g, b.step_fee) for b in table.bands.all()),
        etas={e.zone: (e.days_min, e.days_max) for e in table.etas.all()},
        cod_percent_bp=table.cod_percent_bp,
        cod_min_fee=table.cod_min_fee,
        insurance_free_value=table.insurance_free_value,
        insurance_percent_bp=table.insurance_percent_bp,
        remote_surcharge=table.remote_surcharge,
    )


def active_table() -> Table:
    """The price list the hub's network quotes with (three queries)."""
    row = RateTable.objects.filter(is_active=True).prefetch_related("bands", "etas").first()
    if row is None:
        raise DomainError("Chưa có bảng giá vận chuyển nào đang dùng: quản trị viên cần bật một bảng giá.")
    return table_values(row)


def is_remote(*, commune_code: int) -> bool:
    return RemoteCommune.objects.filter(commune_code=commune_code).exists()
