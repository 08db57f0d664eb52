"""The hub's region and the pre-2025 names sellers still use.

The vietnam-provinces package has no region field; the nine provinces below are the commonly cited
post-merger grouping of the northern midlands and mountains (Trung du và miền núi phía Bắc).
"""

from __future__ import annotations

# new province code -> pre-2025 province names merged into it (besides its own name)
REGION_PROVINCES: dict[int, tuple[str, ...]] = {
    4: (),  # Cao Bằng
    8: ("Hà Giang",),  # Tuyên Quang
    11: (),  # Điện Biên
    12: (),  # Lai Châu
    14: (),  # Sơn La
    15: ("Yên Bái",),  # Lào Cai (took Yên Bái's old code 15)
    19: ("Bắc Kạn", "Bắc Cạn"),  # Thái Nguyên
    20: (),  # Lạng Sơn
    25: ("Hòa Bình", "Vĩnh Phúc"),  # Phú Thọ ("Hoà Bình" folds to the same key)
}
