"""Specialty templates, part 2: rice and grains, meat and dried foods, handicrafts, community tourism."""

from __future__ import annotations

from taybac.demo.model import Specialty

S = Specialty

GRAINS: dict[str, Specialty] = {
    "nep_tu_le": S(
        "Gạo nếp {place}",
        "gao-ngu-coc",
        "<p>Nếp Tú Lệ hạt tròn mẩy, trồng trong thung lũng {place} dưới chân đèo Khau Phạ. Đồ xôi dẻo, "
        "thơm ngay từ khi vo gạo, để nguội không cứng.</p>",
        (("Túi 1 kg", "túi", 1000, 45_000), ("Bao 5 kg", "bao", 5000, 215_000)),
        months=(9, 10),
    ),
    "com": S(
        "Cốm {place}",
        "gao-ngu-coc",
        "<p>Cốm làm từ lúa nếp non {place}, rang và giã tay, màu xanh ngà, dẻo thơm.</p>",
        (("Gói 500 g", "gói", 500, 90_000),),
        months=(9, 10),
        preorder=True,
    ),
    "gao_dien_bien": S(
        "Gạo {place}",
        "gao-ngu-coc",
        "<p>Gạo tẻ thơm trồng trên cánh đồng {place}, nước tưới từ sông Nậm Rốm. Cơm dẻo, mềm, thơm nhẹ.</p>",
        (("Túi 2 kg", "túi", 2000, 56_000), ("Bao 10 kg", "bao", 10000, 260_000)),
        months=(6, 10),
    ),
    "seng_cu": S(
        "Gạo Séng Cù {place}",
        "gao-ngu-coc",
        "<p>Séng Cù là giống lúa thuần cấy một vụ trên ruộng bậc thang {place}. Hạt dài, trong, cơm dẻo và thơm.</p>",
        (("Túi 5 kg", "túi", 5000, 150_000),),
        months=(9, 10),
    ),
    "nep_nuong": S(
        "Gạo nếp nương {place}",
        "gao-ngu-coc",
        "<p>Lúa nếp gieo trên nương {place}, chỉ nhờ nước trời, mỗi năm một vụ. Hạt to, đồ xôi dẻo thơm.</p>",
        (("Túi 2 kg", "túi", 2000, 90_000),),
        months=(9, 10),
    ),
    "bao_thai": S(
        "Gạo Bao thai {place}",
        "gao-ngu-coc",
        "<p>Bao thai hồng — giống lúa đặc sản của {place}: hạt nhỏ, cơm mềm, để nguội vẫn ngon.</p>",
        (("Túi 5 kg", "túi", 5000, 120_000),),
        months=(6, 10),
    ),
    "mien_dong": S(
        "Miến dong {place}",
        "gao-ngu-coc",
        "<p>Miến làm từ 100% tinh bột củ dong riềng {place}, tráng và phơi nắng thủ công, không chất tẩy trắng. "
        "Sợi dai, trong, nấu không nát.</p>",
        (("Gói 500 g", "gói", 500, 55_000), ("Gói 1 kg", "gói", 1000, 105_000)),
    ),
    "banh_tam_giac_mach": S(
        "Bánh tam giác mạch {place}",
        "gao-ngu-coc",
        "<p>Bột hạt tam giác mạch {place} trộn mật ong, nướng trên bếp than: giòn, bùi, thơm khói.</p>",
        (("Hộp 10 chiếc", "hộp", 400, 60_000),),
        months=(10, 11, 12),
    ),
    "khau_sli": S(
        "Bánh khẩu sli {place}",
        "gao-ngu-coc",
        "<p>Khẩu sli của người Tày {place}: nếp rang nổ, mạch nha, lạc và gừng, giòn tan, ngọt nhẹ.</p>",
        (("Hộp 300 g", "hộp", 350, 50_000),),
    ),
}

DRIED: dict[str, Specialty] = {
    "thit_trau": S(
        "Thịt trâu gác bếp {place}",
        "thit-kho",
        "<p>Thịt bắp trâu {place} tẩm mắc khén, gừng, ớt, treo trên gác bếp hun khói củi nghiến nhiều ngày. "
        "Xé sợi chấm chẩm chéo, nhắm cùng rượu ngô.</p>",
        (("Túi 250 g", "túi", 250, 260_000), ("Túi 500 g", "túi", 500, 500_000)),
    ),
    "thit_bo": S(
        "Thịt bò khô {place}",
        "thit-kho",
        "<p>Bò vàng vùng cao {place} thả đồi, thịt thăn tẩm gia vị, sấy gác bếp.</p>",
        (("Túi 500 g", "túi", 500, 480_000),),
    ),
    "thit_lon": S(
        "Thịt lợn gác bếp {place}",
        "thit-kho",
        "<p>Lợn bản {place} nuôi thả, thịt ba chỉ ướp mắc khén, hạt dổi, hun khói trên gác bếp.</p>",
        (("Túi 500 g", "túi", 500, 350_000),),
    ),
    "lap_xuong": S(
        "Lạp xưởng hun khói {place}",
        "thit-kho",
        "<p>Lạp xưởng thịt lợn bản {place} ướp rượu ngô, gừng, hun khói củi. Chiên hoặc hấp đều thơm.</p>",
        (("Túi 500 g", "túi", 500, 180_000),),
    ),
    "mang_kho": S(
        "Măng khô {place}",
        "thit-kho",
        "<p>Măng nứa rừng {place} luộc chín, phơi nắng đến khi vàng óng, không lưu huỳnh. Ngâm mềm nấu "
        "chân giò, xào thịt.</p>",
        (("Túi 500 g", "túi", 500, 130_000), ("Túi 1 kg", "túi", 1000, 250_000)),
    ),
    "nam_huong": S(
        "Nấm hương rừng {place}",
        "thit-kho",
        "<p>Nấm hương mọc trên thân cây dẻ mục ở rừng {place}, mũ dày, thơm đậm.</p>",
        (("Túi 300 g", "túi", 300, 180_000),),
    ),
    "moc_nhi": S(
        "Mộc nhĩ {place}",
        "thit-kho",
        "<p>Mộc nhĩ rừng {place} phơi khô, tai dày, giòn sần sật.</p>",
        (("Túi 300 g", "túi", 300, 75_000),),
    ),
    "mac_ca": S(
        "Hạt mắc ca {place}",
        "thit-kho",
        "<p>Mắc ca trồng trên đồi {place}, sấy nứt vỏ, kèm dụng cụ tách. Nhân béo, bùi, giòn.</p>",
        (("Túi 500 g", "túi", 500, 170_000), ("Hộp 1 kg", "hộp", 1000, 320_000)),
    ),
    "o_mai_man": S(
        "Mận sấy dẻo {place}",
        "thit-kho",
        "<p>Mận hậu {place} chín được sên đường phèn, sấy dẻo, giữ vị chua ngọt.</p>",
        (("Hộp 500 g", "hộp", 550, 120_000),),
    ),
}

CRAFTS: dict[str, Specialty] = {
    "vai_lanh": S(
        "Vải lanh nhuộm chàm {place}",
        "thu-cong-tho-cam",
        "<p>Sợi lanh do phụ nữ H'Mông {place} tự trồng, tước, se, dệt tay rồi nhuộm chàm và vẽ sáp ong. "
        "Mỗi tấm mất hàng tháng để hoàn thành.</p>",
        (("1 mét (khổ 35 cm)", "mét", 150, 350_000),),
    ),
    "vay_hmong": S(
        "Váy lanh H'Mông {place}",
        "thu-cong-tho-cam",
        "<p>Váy xoè xếp nếp của phụ nữ H'Mông {place}, vải lanh vẽ sáp ong, thêu và đắp vải tay.</p>",
        (("Váy người lớn", "chiếc", 1200, 1_500_000),),
    ),
    "khan_tho_cam": S(
        "Khăn thổ cẩm {place}",
        "thu-cong-tho-cam",
        "<p>Khăn dệt tay trên khung cửi của bà con {place}, hoa văn truyền thống, sợi bông nhuộm màu tự nhiên.</p>",
        (("Khăn 30 × 150 cm", "chiếc", 200, 180_000),),
    ),
    "tui_tho_cam": S(
        "Túi thổ cẩm {place}",
        "thu-cong-tho-cam",
        "<p>Túi đeo chéo may từ thổ cẩm dệt tay ở {place}, lót vải, có khoá kéo.</p>",
        (("Túi nhỏ", "chiếc", 250, 220_000), ("Túi lớn", "chiếc", 450, 380_000)),
    ),
    "khan_pieu": S(
        "Khăn piêu {place}",
        "thu-cong-tho-cam",
        "<p>Khăn piêu của phụ nữ Thái {place}: thêu tay hoa văn cút piêu ở hai đầu khăn, mỗi chiếc thêu "
        "hàng tuần liền.</p>",
        (("1 chiếc", "chiếc", 200, 450_000),),
    ),
    "chan_tho_cam": S(
        "Chăn thổ cẩm {place}",
        "thu-cong-tho-cam",
        "<p>Mặt chăn dệt tay hoa văn Thái {place}, ruột bông gạo, ấm và nhẹ.</p>",
        (("Chăn 1,6 × 2 m", "chiếc", 2500, 1_200_000),),
    ),
    "dao_ren": S(
        "Dao rèn {place}",
        "thu-cong-tho-cam",
        "<p>Dao rèn tay từ thép nhíp ô tô tại làng rèn {place}, tôi nước lã, sắc bền, cán gỗ nghiến.</p>",
        (("Dao thái", "chiếc", 350, 220_000), ("Dao phát", "chiếc", 800, 320_000)),
    ),
    "dan_tinh": S(
        "Đàn tính {place}",
        "thu-cong-tho-cam",
        "<p>Đàn tính của người Tày làm thủ công ở {place}: bầu quả bầu khô, cần gỗ dâu, hai dây. Mỗi cây "
        "được lên dây và thử tiếng trước khi giao.</p>",
        (("1 cây", "cây", 1500, 1_600_000),),
    ),
    "may_tre_dan": S(
        "Giỏ mây tre đan {place}",
        "thu-cong-tho-cam",
        "<p>Giỏ, làn đan tay từ mây và tre rừng {place}, bền chắc, dùng đi chợ hoặc trang trí.</p>",
        (("Giỏ nhỏ", "chiếc", 400, 120_000), ("Làn lớn", "chiếc", 900, 250_000)),
    ),
    "giay_ban": S(
        "Giấy bản người Dao {place}",
        "thu-cong-tho-cam",
        "<p>Giấy bản làm từ vỏ cây dó theo cách của người Dao {place}, dùng chép sách cúng, viết thư pháp.</p>",
        (("Tập 50 tờ", "tập", 400, 150_000),),
    ),
}

TOURISM: dict[str, Specialty] = {
    "homestay": S(
        "Homestay nhà sàn {place}",
        "du-lich-cong-dong",
        "<p>Nghỉ đêm trong nhà sàn của gia đình ở {place}, ăn cơm cùng chủ nhà, sáng dậy ngắm sương trên "
        "thung lũng. Giá đã gồm bữa sáng.</p><ul><li>Nhận phòng sau 14 giờ</li><li>Đón tại bưu điện xã "
        "nếu khách đi xe khách</li></ul>",
        (("Giường đệm nhà chung, 1 khách/đêm", "đêm", 1, 180_000), ("Phòng riêng 2 khách/đêm", "đêm", 1, 550_000)),
    ),
    "trekking": S(
        "Trekking bản {place} cùng người dẫn đường bản địa",
        "du-lich-cong-dong",
        "<p>Một ngày đi bộ qua ruộng bậc thang, rừng và bản làng {place} cùng người dẫn đường là người trong "
        "bản. Gồm bữa trưa và nước uống.</p>",
        (("1 khách", "khách", 1, 450_000),),
    ),
    "tour_lua_chin": S(
        "Tour ngắm ruộng bậc thang mùa lúa chín {place}",
        "du-lich-cong-dong",
        "<p>Hai ngày một đêm giữa mùa vàng {place}: đi bộ ngắm ruộng bậc thang, nghỉ nhà dân, ăn cơm lam "
        "và gà đồi.</p>",
        (("1 khách", "khách", 1, 1_200_000),),
        months=(9, 10),
        preorder=True,
    ),
    "tour_tam_giac_mach": S(
        "Tour mùa hoa tam giác mạch {place}",
        "du-lich-cong-dong",
        "<p>Một ngày theo chân người bản địa qua những nương tam giác mạch nở hồng trắng ở {place}, "
        "kèm bữa trưa bánh tam giác mạch, thắng cố.</p>",
        (("1 khách", "khách", 1, 650_000),),
        months=(10, 11),
        preorder=True,
    ),
    "tour_hoa_man": S(
        "Tour mùa hoa mận {place}",
        "du-lich-cong-dong",
        "<p>Ngày xuân dạo giữa những vườn mận trắng muốt ở {place}, ghé chợ phiên, ăn trưa cùng gia đình chủ vườn.</p>",
        (("1 khách", "khách", 1, 450_000),),
        months=(1, 2),
        preorder=True,
    ),
    "tour_hoa_ban": S(
        "Tour mùa hoa ban {place}",
        "du-lich-cong-dong",
        "<p>Tháng ba hoa ban trắng núi rừng {place}: đi bộ qua bản, nghe kể sự tích hoa ban, ăn nộm hoa ban "
        "và cơm lam.</p>",
        (("1 khách", "khách", 1, 400_000),),
        months=(3, 4),
        preorder=True,
    ),
    "tour_che": S(
        "Trải nghiệm hái và sao chè {place}",
        "du-lich-cong-dong",
        "<p>Nửa ngày cùng nhà chè {place}: đeo gùi hái búp, học sao chè bằng chảo gang và mang về gói chè "
        "tự tay làm.</p>",
        (("1 khách", "khách", 1, 250_000),),
        months=tuple(range(3, 12)),
    ),
    "trai_nghiem_det": S(
        "Trải nghiệm dệt và nhuộm chàm {place}",
        "du-lich-cong-dong",
        "<p>Học se sợi, dệt vải và nhuộm chàm với các nghệ nhân {place}. Mang về một chiếc khăn tự làm.</p>",
        (("1 khách", "khách", 1, 300_000),),
    ),
    "tour_thuyen": S(
        "Chèo thuyền độc mộc và nghỉ bản {place}",
        "du-lich-cong-dong",
        "<p>Chèo thuyền độc mộc trên hồ, thăm hang động và nghỉ đêm ở bản {place}; gồm ăn tối và bữa sáng.</p>",
        (("1 khách", "khách", 1, 850_000),),
    ),
    "tour_lang_nghe": S(
        "Tham quan làng nghề {place}",
        "du-lich-cong-dong",
        "<p>Thăm các lò rèn, xưởng thủ công ở {place}, xem nghệ nhân làm việc và tự tay thử một công đoạn.</p>",
        (("1 khách", "khách", 1, 150_000),),
    ),
    "tour_san_may": S(
        "Săn mây {place} – 2 ngày 1 đêm",
        "du-lich-cong-dong",
        "<p>Leo lên đỉnh núi {place} lúc bình minh để ngắm biển mây, nghỉ đêm nhà dân, ăn cơm người H'Mông.</p>",
        (("1 khách", "khách", 1, 950_000),),
        months=(10, 11, 12, 1, 2, 3),
    ),
    "tour_di_tich": S(
        "Về nguồn {place}: di tích và bữa cơm bản",
        "du-lich-cong-dong",
        "<p>Thăm các điểm di tích lịch sử ở {place} cùng người kể chuyện trong bản, ăn trưa món truyền thống.</p>",
        (("1 khách", "khách", 1, 350_000),),
    ),
}

GOODS: dict[str, Specialty] = {**GRAINS, **DRIED, **CRAFTS, **TOURISM}
