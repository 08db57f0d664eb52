"""Vietnamese banks that take NAPAS 247 transfers, by their NAPAS BIN (the "bank id" inside a VietQR code).

Cross-checked against several public VietQR/NAPAS bank tables (e.g. the lists open-source VietQR and
payment libraries ship, which mirror the VietQR bank directory). Banks merge and rename: when NAPAS
publishes a change, edit this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from taybac.core.text import fold


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str


BANKS: tuple[Bank, ...] = (
    Bank("970436", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    Bank("970415", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"),
    Bank("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    Bank("970405", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    Bank("970422", "MB", "Ngân hàng TMCP Quân đội"),
    Bank("970407", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    Bank("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    Bank("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    Bank("970423", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    Bank("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    Bank("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    Bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội"),
    Bank("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    Bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    Bank("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    Bank("970437", "HDBank", "Ngân hàng TMCP Phát triển TP. Hồ Chí Minh"),
    Bank("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    Bank("970454", "Viet Capital Bank", "Ngân hàng TMCP Bản Việt"),
    Bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn"),
    Bank("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    Bank("970438", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt"),
    Bank("970427", "VietABank", "Ngân hàng TMCP Việt Á"),
    Bank("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    Bank("970419", "NCB", "Ngân hàng TMCP Quốc Dân"),
    Bank("970433", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    Bank("970409", "Bac A Bank", "Ngân hàng TMCP Bắc Á"),
    Bank("970452", "KienlongBank", "Ngân hàng TMCP Kiên Long"),
    Bank("970400", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    Bank("970425", "ABBANK", "Ngân hàng TMCP An Bình"),
    Bank("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    Bank("970406", "DongA Bank", "Ngân hàng TMCP Đông Á"),
    Bank("970408", "GPBank", "Ngân hàng TM TNHH MTV Dầu Khí Toàn Cầu"),
    Bank("970430", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    Bank("970414", "OceanBank", "Ngân hàng TM TNHH MTV Đại Dương"),
    Bank("970421", "VRB", "Ngân hàng Liên doanh Việt – Nga"),
    Bank("970434", "Indovina Bank", "Ngân hàng TNHH Indovina"),
    Bank("970424", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    Bank("970457", "Woori Bank", "Ngân hàng TNHH MTV Woori Việt Nam"),
    Bank("970458", "UOB", "Ngân hàng TNHH MTV United Overseas Bank Việt Nam"),
    Bank("970439", "Public Bank", "Ngân hàng TNHH MTV Public Việt Nam"),
    Bank("970442", "Hong Leong Bank", "Ngân hàng TNHH MTV Hong Leong Việt Nam"),
)

_BY_BIN = {bank.bin: bank for bank in BANKS}
_BY_NAME = {fold(bank.short_name).replace(" ", ""): bank for bank in BANKS}


def bank_by_bin(bin: str) -> Bank | None:
    return _BY_BIN.get((bin or "").strip())


def bank_by_name(name: str) -> Bank | None:
    """'vietcombank', 'Viet Capital Bank', 'mb' -> the bank (case, spaces and diacritics ignored)."""
    return _BY_NAME.get(fold(name or "").replace(" ", ""))


def choices() -> list[tuple[str, str]]:
    return [(bank.bin, f"{bank.short_name} – {bank.name}") for bank in sorted(BANKS, key=lambda b: b.short_name)]
