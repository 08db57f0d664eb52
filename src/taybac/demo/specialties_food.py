"""Specialty templates, part 1: tea, honey, fruit, medicinal herbs and spices.

Prices are plausible retail prices in đồng; harvest months follow the real seasons in the region.
"""

from __future__ import annotations

from taybac.demo.model import Specialty

S = Specialty

TEA: dict[str, Specialty] = {
    "shan_tuyet": S(
        "Chè Shan tuyết {place}",
        "che",
        "<p>Búp chè hái từ những cây Shan tuyết cổ thụ trên trăm năm tuổi ở {place}, độ cao trên 1.200 m, "
        "quanh năm mây phủ. Chè được sao thủ công bằng chảo gang, búp phủ lông tơ trắng như tuyết.</p>"
        "<ul><li>Nước xanh vàng, hương thơm dịu, hậu ngọt sâu</li>"
        "<li>Không phun thuốc, không bón phân hoá học</li></ul>",
        (("Gói 200 g", "gói", 200, 180_000), ("Hộp 500 g", "hộp", 500, 420_000)),
        months=tuple(range(3, 12)),
    ),
    "bach_tra": S(
        "Bạch trà Shan tuyết {place}",
        "che",
        "<p>Chỉ hái một tôm non vào sáng sớm, làm héo tự nhiên rồi sấy nhẹ, không vò. Bạch trà {place} có vị "
        "thanh, hương mật ong và hoa rừng, pha được nhiều nước.</p>",
        (("Hộp 100 g", "hộp", 100, 380_000),),
        months=(3, 4, 5),
    ),
    "hong_tra": S(
        "Hồng trà Shan tuyết {place}",
        "che",
        "<p>Hồng trà lên men hoàn toàn từ búp Shan tuyết {place}: nước đỏ hổ phách, hương mật và trái cây chín, "
        "vị ngọt êm, hợp pha cùng gừng hoặc uống với sữa.</p>",
        (("Gói 100 g", "gói", 100, 160_000), ("Hộp 250 g", "hộp", 250, 360_000)),
        months=tuple(range(4, 11)),
    ),
    "che_xanh": S(
        "Chè xanh {place}",
        "che",
        "<p>Chè xanh sao sấy từ nương chè của bà con {place}, hái một tôm hai lá. Nước xanh, chát dịu rồi ngọt "
        "hậu — thứ chè người trung du uống hằng ngày.</p>",
        (("Gói 500 g", "gói", 500, 150_000),),
        months=tuple(range(3, 12)),
    ),
    "che_o_long": S(
        "Chè Ô long {place}",
        "che",
        "<p>Ô long được trồng trên cao nguyên {place}, vò viên và lên men một phần theo kỹ thuật Đài Loan. "
        "Hương hoa lan thoảng, nước vàng sáng, pha năm sáu lần vẫn thơm.</p>",
        (("Túi 200 g", "túi", 200, 280_000), ("Hộp quà 2 × 200 g", "hộp", 450, 560_000)),
        months=tuple(range(3, 11)),
    ),
    "che_dinh": S(
        "Chè đinh {place}",
        "che",
        "<p>Loại chè quý nhất của {place}: chỉ lấy phần nõn nhỏ như cái đinh, 10 kg búp tươi mới được 1 kg chè "
        "khô. Nước xanh trong, hương cốm non, vị chát nhẹ, ngọt hậu lâu.</p>",
        (("Hộp 100 g", "hộp", 100, 450_000),),
        months=(3, 4, 5, 8, 9),
    ),
    "che_non_tom": S(
        "Chè nõn tôm {place}",
        "che",
        "<p>Chè nõn tôm sao suốt bằng tay theo cách các làng chè {place} vẫn làm, cánh nhỏ xoăn đều, "
        "thơm mùi cốm, hợp pha ấm tiếp khách.</p>",
        (("Gói 200 g", "gói", 200, 180_000), ("Gói 500 g", "gói", 500, 430_000)),
        months=tuple(range(3, 12)),
    ),
    "tra_hoa_vang": S(
        "Trà hoa vàng {place}",
        "che",
        "<p>Hoa trà vàng mọc dưới tán rừng {place}, hái khi vừa nở rồi sấy lạnh giữ nguyên màu. Nước vàng óng, "
        "vị ngọt thanh.</p>",
        (("Hộp 50 g", "hộp", 50, 550_000),),
        months=(11, 12, 1),
    ),
}

HONEY: dict[str, Specialty] = {
    "mat_ong_bac_ha": S(
        "Mật ong bạc hà {place}",
        "mat-ong",
        "<p>Mật lấy từ hoa bạc hà dại nở tím cao nguyên đá {place} mỗi độ thu về. Mật màu vàng nhạt, "
        "kết tinh mịn khi trời lạnh, thơm mát mùi bạc hà.</p>"
        "<ul><li>Ong nội, nuôi theo lối truyền thống của đồng bào H'Mông</li><li>Quay mật khi đã vít nắp</li></ul>",
        (("Chai 500 ml", "chai", 700, 380_000), ("Chai 1 lít", "chai", 1400, 700_000)),
        months=(11, 12, 1),
    ),
    "mat_ong_rung": S(
        "Mật ong rừng {place}",
        "mat-ong",
        "<p>Mật ong khoái do bà con {place} khai thác trên vách đá và cây rừng, lọc qua vải, không pha đường. "
        "Mật sánh, màu hổ phách, vị ngọt đậm hơi đắng nhẹ của hoa rừng.</p>",
        (("Chai 500 ml", "chai", 700, 320_000),),
        months=(4, 5, 6),
    ),
    "mat_ong_nhan": S(
        "Mật ong hoa nhãn {place}",
        "mat-ong",
        "<p>Đàn ong được đưa vào vườn nhãn {place} đúng mùa hoa tháng ba. Mật thơm mùi long nhãn, màu cánh "
        "gián, độ thuỷ phần thấp.</p>",
        (("Chai 500 ml", "chai", 700, 200_000), ("Can 2 lít", "can", 2900, 720_000)),
        months=(3, 4),
    ),
    "mat_ong_ong_noi": S(
        "Mật ong ong nội {place}",
        "mat-ong",
        "<p>Ong nội (ong ruồi, ong mật châu Á) nuôi trong đõ gỗ quanh nhà ở {place}, mỗi năm chỉ quay hai lần. "
        "Mật trăm hoa, vị ngọt thanh.</p>",
        (("Chai 500 ml", "chai", 700, 250_000),),
        months=(4, 5, 10, 11),
    ),
    "phan_hoa": S(
        "Phấn hoa {place}",
        "mat-ong",
        "<p>Phấn hoa do ong thợ mang về tổ ở {place}, sấy lạnh giữ dưỡng chất, hạt nhiều màu.</p>",
        (("Lọ 250 g", "lọ", 300, 150_000),),
        months=(10, 11, 12),
    ),
}

FRUIT: dict[str, Specialty] = {
    "man_hau": S(
        "Mận hậu {place}",
        "trai-cay",
        "<p>Mận hậu {place} chín vào đầu hè: quả to, vỏ xanh phớt phấn, ruột vàng đỏ, giòn, chua ngọt. "
        "Hái đúng độ chín và đóng thùng trong ngày.</p><ul><li>Nhận đặt trước từ tháng 3</li></ul>",
        (("1 kg", "kg", 1000, 45_000), ("Thùng 5 kg", "thùng", 5200, 210_000)),
        months=(5, 6),
        preorder=True,
    ),
    "man_tam_hoa": S(
        "Mận tam hoa {place}",
        "trai-cay",
        "<p>Mận tam hoa trồng trên đất {place}: quả tím đỏ, thịt đỏ, giòn, vị ngọt đậm hơn mận hậu.</p>",
        (("1 kg", "kg", 1000, 55_000), ("Thùng 5 kg", "thùng", 5200, 260_000)),
        months=(6, 7),
        preorder=True,
    ),
    "xoai_tron": S(
        "Xoài tròn {place}",
        "trai-cay",
        "<p>Giống xoài bản địa của {place}: quả nhỏ tròn, vỏ mỏng, thịt vàng mịn, ngọt đậm và thơm. Chín rộ "
        "vào tháng năm, tháng sáu.</p>",
        (("1 kg", "kg", 1000, 50_000), ("Thùng 5 kg", "thùng", 5200, 240_000)),
        months=(5, 6),
        preorder=True,
    ),
    "nhan": S(
        "Nhãn {place}",
        "trai-cay",
        "<p>Nhãn bên bờ sông {place}: cùi dày, ráo, ngọt lịm, hạt nhỏ. Cắt cả chùm, giao ngay sau thu hoạch.</p>",
        (("1 kg", "kg", 1000, 35_000), ("Thùng 10 kg", "thùng", 10300, 320_000)),
        months=(7, 8),
        preorder=True,
    ),
    "long_nhan": S(
        "Long nhãn sấy {place}",
        "trai-cay",
        "<p>Nhãn {place} bóc vỏ, sấy than củi đến khi cùi dẻo màu cánh gián. Dùng nấu chè, ngâm hoặc ăn liền.</p>",
        (("Túi 500 g", "túi", 500, 190_000),),
    ),
    "cam_sanh": S(
        "Cam sành {place}",
        "trai-cay",
        "<p>Cam sành {place}: vỏ sần xanh điểm vàng, tép mọng, vị ngọt đậm xen chua nhẹ. Vụ chính từ tháng "
        "mười một đến tết.</p>",
        (("1 kg", "kg", 1000, 30_000), ("Thùng 10 kg", "thùng", 10300, 280_000)),
        months=(11, 12, 1),
        preorder=True,
    ),
    "cam_cao_phong": S(
        "Cam {place}",
        "trai-cay",
        "<p>Cam lòng vàng trồng trên đất đồi {place}, vỏ mỏng, nhiều nước, ngọt thanh. Thu hoạch từ cuối "
        "tháng mười một.</p>",
        (("1 kg", "kg", 1000, 35_000), ("Hộp quà 5 kg", "hộp", 5300, 190_000)),
        months=(11, 12, 1),
        preorder=True,
    ),
    "buoi": S(
        "Bưởi {place}",
        "trai-cay",
        "<p>Bưởi {place} quả tròn nhỏ, vỏ mỏng vàng, múi ráo, tép giòn, vị ngọt mát, để được lâu.</p>",
        (("1 quả (~1 kg)", "quả", 1000, 45_000), ("Sọt 5 quả", "sọt", 5200, 210_000)),
        months=(9, 10, 11),
        preorder=True,
    ),
    "quyt": S(
        "Quýt {place}",
        "trai-cay",
        "<p>Quýt {place} vỏ vàng cam bóng, dễ bóc, múi mọng, thơm và ngọt. Hái vào mùa đông, bày tết rất đẹp.</p>",
        (("1 kg", "kg", 1000, 40_000), ("Thùng 5 kg", "thùng", 5200, 190_000)),
        months=(11, 12, 1),
        preorder=True,
    ),
    "hong_khong_hat": S(
        "Hồng không hạt {place}",
        "trai-cay",
        "<p>Hồng không hạt {place} chín vàng, ngâm giòn hoặc để mềm, vị ngọt mát không chát.</p>",
        (("1 kg", "kg", 1000, 50_000),),
        months=(9, 10),
        preorder=True,
    ),
    "hong_vanh_khuyen": S(
        "Hồng vành khuyên {place}",
        "trai-cay",
        "<p>Hồng vành khuyên {place}: quả dẹt có vành quanh cuống, ngâm giòn, ngọt sắc.</p>",
        (("1 kg", "kg", 1000, 45_000),),
        months=(9, 10),
    ),
    "hat_de": S(
        "Hạt dẻ {place}",
        "trai-cay",
        "<p>Hạt dẻ {place} nhỏ, vỏ nâu bóng, rang hoặc luộc có vị bùi ngọt và mùi thơm đặc trưng.</p>",
        (("Túi 1 kg", "túi", 1000, 160_000),),
        months=(9, 10),
    ),
    "na": S(
        "Na {place}",
        "trai-cay",
        "<p>Na dai trồng trên núi đá vôi {place}: quả to, mắt thưa, thịt trắng dẻo, ngọt đậm.</p>",
        (("1 kg", "kg", 1000, 55_000), ("Hộp 3 kg", "hộp", 3200, 160_000)),
        months=(7, 8, 9),
        preorder=True,
    ),
    "chanh_leo": S(
        "Chanh leo {place}",
        "trai-cay",
        "<p>Chanh leo tím {place}, quả tròn đều, nhiều nước, thơm — pha nước uống hay làm sốt đều ngon.</p>",
        (("1 kg", "kg", 1000, 35_000),),
        months=(6, 7, 8, 9, 10),
    ),
    "dao": S(
        "Đào {place}",
        "trai-cay",
        "<p>Đào {place} quả nhỏ, má đỏ, giòn, chua ngọt, chín vào giữa hè.</p>",
        (("1 kg", "kg", 1000, 40_000),),
        months=(6, 7),
        preorder=True,
    ),
    "mia_tim": S(
        "Mía tím {place}",
        "trai-cay",
        "<p>Mía tím {place} thân mập, vỏ tím bóng, nhiều nước, ngọt thanh — thứ quà không thể thiếu ngày tết.</p>",
        (("Bó 5 cây", "bó", 9000, 90_000),),
        months=(11, 12, 1, 2),
    ),
}

HERBS: dict[str, Specialty] = {
    "tam_that": S(
        "Tam thất {place}",
        "duoc-lieu",
        "<p>Củ tam thất bắc trồng dưới tán rừng {place}, thu hoạch sau ít nhất 3 năm, phơi sấy khô. "
        "Dùng theo hướng dẫn của thầy thuốc.</p>",
        (("Túi 100 g", "túi", 100, 220_000), ("Túi 500 g", "túi", 500, 1_050_000)),
    ),
    "bot_tam_that": S(
        "Bột tam thất {place}",
        "duoc-lieu",
        "<p>Củ tam thất {place} sấy khô, nghiền mịn, đóng lọ thuỷ tinh. Dùng theo hướng dẫn của thầy thuốc.</p>",
        (("Lọ 100 g", "lọ", 150, 250_000),),
    ),
    "hoa_tam_that": S(
        "Hoa tam thất {place}",
        "duoc-lieu",
        "<p>Nụ hoa tam thất {place} sấy khô, hãm như trà, vị ngọt đắng nhẹ.</p>",
        (("Túi 100 g", "túi", 100, 140_000),),
        months=(6, 7, 8),
    ),
    "sam": S(
        "Sâm {place}",
        "duoc-lieu",
        "<p>Sâm trồng dưới tán rừng nguyên sinh {place} ở độ cao trên 1.600 m, thu củ sau 5 năm. "
        "Mỗi củ kèm phiếu ghi vị trí vườn và năm trồng. Dùng theo hướng dẫn của thầy thuốc.</p>",
        (("Củ tươi 100 g", "hộp", 100, 4_800_000), ("Sâm khô 50 g", "hộp", 50, 5_500_000)),
    ),
    "giao_co_lam": S(
        "Giảo cổ lam {place}",
        "duoc-lieu",
        "<p>Giảo cổ lam năm lá hái ở {place}, rửa sạch, phơi khô trong bóng râm, hãm như trà.</p>",
        (("Túi 500 g", "túi", 500, 120_000),),
    ),
    "atiso": S(
        "Trà atisô {place}",
        "duoc-lieu",
        "<p>Thân, lá và bông atisô trồng ở {place}, thái lát sấy khô. Nước vàng nhạt, vị ngọt mát.</p>",
        (("Túi 500 g", "túi", 500, 160_000),),
        months=(3, 4, 5),
    ),
    "duong_quy": S(
        "Đương quy {place}",
        "duoc-lieu",
        "<p>Đương quy trồng ở vùng cao {place}, thái lát sấy khô, thơm đặc trưng. Dùng theo hướng dẫn của "
        "thầy thuốc.</p>",
        (("Túi 500 g", "túi", 500, 190_000),),
    ),
    "la_tam_dao_do": S(
        "Lá tắm người Dao đỏ {place}",
        "duoc-lieu",
        "<p>Bài lá tắm truyền đời của người Dao đỏ {place}: hơn 20 loại lá rừng phơi khô. Đun sôi, pha nước "
        "ấm để ngâm tắm, giúp thư giãn sau ngày dài.</p>",
        (("Gói 150 g (2 lần tắm)", "gói", 150, 45_000), ("Túi 1 kg", "túi", 1000, 250_000)),
    ),
    "linh_chi": S(
        "Nấm linh chi rừng {place}",
        "duoc-lieu",
        "<p>Linh chi mọc tự nhiên trên cây gỗ mục ở rừng {place}, thái lát sấy khô. Dùng theo hướng dẫn của "
        "thầy thuốc.</p>",
        (("Túi 250 g", "túi", 250, 420_000),),
    ),
    "tao_meo": S(
        "Táo mèo sấy khô {place}",
        "duoc-lieu",
        "<p>Quả táo mèo (sơn tra) {place} thái lát, sấy khô. Dùng hãm trà hoặc ngâm, vị chua chát dịu.</p>",
        (("Túi 500 g", "túi", 500, 90_000),),
        months=(8, 9, 10),
    ),
}

SPICES: dict[str, Specialty] = {
    "thao_qua": S(
        "Thảo quả khô {place}",
        "gia-vi",
        "<p>Thảo quả trồng dưới tán rừng già {place}, hái khi quả đỏ sẫm rồi sấy bằng lò củi. Quả chắc, "
        "thơm nồng — thứ gia vị không thể thiếu của nồi phở, thắng cố.</p>",
        (("Túi 500 g", "túi", 500, 160_000), ("Túi 1 kg", "túi", 1000, 300_000)),
        months=(10, 11, 12),
    ),
    "mac_khen": S(
        "Hạt mắc khén {place}",
        "gia-vi",
        "<p>Mắc khén rừng {place} phơi khô, hạt đen nhánh, thơm cay tê đầu lưỡi — linh hồn của món nướng "
        "và chẩm chéo của người Thái.</p>",
        (("Túi 100 g", "túi", 100, 55_000), ("Túi 250 g", "túi", 250, 125_000)),
        months=(9, 10, 11),
    ),
    "hat_doi": S(
        "Hạt dổi {place}",
        "gia-vi",
        "<p>Hạt dổi rừng {place}, nhặt khi quả chín rụng, phơi khô. Nướng thơm rồi giã với muối chấm thịt "
        "nướng, gà luộc.</p>",
        (("Túi 100 g", "túi", 100, 180_000),),
        months=(8, 9, 10),
    ),
    "hoi": S(
        "Hoa hồi {place}",
        "gia-vi",
        "<p>Hồi {place} hái vụ chính, phơi nắng tự nhiên: cánh to, đều, màu nâu đỏ, tinh dầu cao.</p>",
        (("Túi 500 g", "túi", 500, 95_000), ("Túi 1 kg", "túi", 1000, 180_000)),
        months=(3, 4, 8, 9, 10),
    ),
    "tinh_dau_hoi": S(
        "Tinh dầu hồi {place}",
        "gia-vi",
        "<p>Tinh dầu cất từ hoa và lá hồi {place}, dùng xông, pha nước tắm hoặc tạo hương.</p>",
        (("Chai 50 ml", "chai", 100, 120_000),),
    ),
    "que": S(
        "Quế {place}",
        "gia-vi",
        "<p>Vỏ quế {place} bóc từ cây trên 15 năm tuổi, cuộn ống, phơi khô. Vỏ dày, nhiều dầu, vị cay ngọt.</p>",
        (("Túi 500 g", "túi", 500, 65_000), ("Túi 1 kg", "túi", 1000, 120_000)),
    ),
    "tinh_dau_que": S(
        "Tinh dầu quế {place}",
        "gia-vi",
        "<p>Tinh dầu chưng cất từ lá và cành quế {place}, mùi ấm, dùng xông phòng hoặc đuổi côn trùng.</p>",
        (("Chai 50 ml", "chai", 100, 110_000),),
    ),
    "bot_que": S(
        "Bột quế {place}",
        "gia-vi",
        "<p>Vỏ quế {place} sấy khô, xay mịn, đóng lọ kín — dùng làm bánh, pha cà phê.</p>",
        (("Lọ 100 g", "lọ", 150, 55_000),),
    ),
    "tuong_ot": S(
        "Tương ớt {place}",
        "gia-vi",
        "<p>Ớt chỉ thiên {place} xay cùng tỏi, muối, ủ chín theo cách người H'Mông, Nùng vẫn làm. "
        "Cay nồng, chua dịu.</p>",
        (("Chai 500 ml", "chai", 650, 45_000),),
    ),
    "cham_cheo": S(
        "Chẩm chéo {place}",
        "gia-vi",
        "<p>Chẩm chéo của người Thái {place}: ớt nướng, tỏi, mắc khén, rau thơm giã nhuyễn, chấm xôi, "
        "rau luộc, thịt nướng.</p>",
        (("Lọ 100 g", "lọ", 200, 40_000),),
    ),
    "sa_nhan": S(
        "Sa nhân tím {place}",
        "gia-vi",
        "<p>Quả sa nhân tím mọc dưới tán rừng {place}, phơi khô, thơm cay.</p>",
        (("Túi 200 g", "túi", 200, 120_000),),
        months=(7, 8),
    ),
}

FOOD: dict[str, Specialty] = {**TEA, **HONEY, **FRUIT, **HERBS, **SPICES}
