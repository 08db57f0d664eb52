"""Categories that fit the region's products (reference data, loaded after every migrate)."""

from __future__ import annotations

CATEGORIES: list[tuple[str, str, str]] = [
    ("che", "Chè", "Tea"),
    ("mat-ong", "Mật ong", "Honey"),
    ("trai-cay", "Trái cây", "Fruit"),
    ("duoc-lieu", "Dược liệu", "Medicinal herbs"),
    ("gia-vi", "Gia vị", "Spices"),
    ("gao-ngu-coc", "Gạo và ngũ cốc", "Rice and grains"),
    ("thit-kho", "Thịt và đồ khô", "Meat and dried foods"),
    ("thu-cong-tho-cam", "Thủ công và thổ cẩm", "Handicrafts and textiles"),
    ("du-lich-cong-dong", "Du lịch cộng đồng", "Community tourism"),
]
