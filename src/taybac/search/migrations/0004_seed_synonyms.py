"""Seed the synonyms buyers use most (operators edit them in the admin): tea's two names, place names spelled
as heard, and northern/southern names of the same food."""

from django.db import migrations

SEED = [
    ("trà, chè", "Bắc gọi chè, Nam gọi trà"),
    ("Hoàng Su Phì, hoang su fi, hoàng xu phì", "Tên huyện cũ (Hà Giang) hay bị gõ theo cách đọc"),
    ("Sa Pa, sapa", "Viết liền hoặc tách"),
    ("Mù Cang Chải, mu cang chai", "Tên cũ (Yên Bái)"),
    ("mắc khén, mác khén, tiêu rừng", "Gia vị người Thái"),
    ("thảo quả, đò ho, mác hấu", "Tên địa phương của thảo quả"),
    ("táo mèo, sơn tra", "Cùng một loại quả"),
    ("ngô, bắp", "Bắc – Nam"),
    ("lạc, đậu phộng", "Bắc – Nam"),
    ("vừng, mè", "Bắc – Nam"),
    ("lợn, heo", "Bắc – Nam"),
    ("dứa, thơm, khóm", "Bắc – Nam"),
    ("sắn, khoai mì", "Bắc – Nam"),
    ("thịt trâu gác bếp, thịt trâu khô, trâu sấy", "Cách gọi khác"),
    ("lợn cắp nách, lợn bản", "Cách gọi khác"),
    ("tam thất, sâm tam thất", "Cách gọi khác"),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create([Synonym(terms=terms, note=note) for terms, note in SEED])


def unseed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _ in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_synonyms")]

    operations = [migrations.RunPython(seed, unseed)]
