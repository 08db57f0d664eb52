"""The record of processing purposes (Law 91/2025/QH15; Decree 356/2025/NĐ-CP): for each purpose, the personal
data used, the legal basis, who receives it and how long it is kept. The privacy notice (/quyen-rieng-tu/) is
rendered from this list and docs/compliance.md repeats it (a test keeps the two alike), so there is one source.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTRACT = "Thực hiện hợp đồng mua bán, giao hàng với bạn"
LAW = "Nghĩa vụ theo luật"
CONSENT = "Sự đồng ý của bạn (rút lại bất cứ lúc nào)"
NOT_IDENTIFYING = "Dữ liệu không xác định được bạn"


@dataclass(frozen=True)
class Purpose:
    key: str
    title: str
    data: str
    basis: str
    recipients: str
    retention: str


PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        "account",
        "Tài khoản và đăng nhập",
        "Số điện thoại, họ tên, e-mail (nếu có); mã đăng nhập (chỉ lưu bản băm); địa chỉ mạng khi xin mã.",
        CONTRACT,
        "Nhà cung cấp dịch vụ SMS (để gửi mã).",
        "Đến khi bạn xoá tài khoản; mã và nhật ký xin mã: 1 ngày.",
    ),
    Purpose(
        "orders",
        "Đặt hàng và giao hàng",
        "Tên, số điện thoại, e-mail người nhận; địa chỉ giao hoặc bưu điện nhận hàng; hàng đã mua.",
        CONTRACT,
        "Gian hàng bán cho bạn; đơn vị vận chuyển; bưu điện xã nơi bạn nhận hàng.",
        "10 năm sau năm của đơn hàng (chứng từ kế toán); sau đó tên, số điện thoại, địa chỉ bị khử nhận dạng.",
    ),
    Purpose(
        "payments",
        "Thanh toán, hoàn tiền, khấu trừ thuế",
        "Giao dịch chuyển khoản (nội dung chuyển khoản), tiền thu hộ, hoàn tiền; của người bán: doanh thu, "
        "thuế đã khấu trừ, họ tên, mã số thuế hoặc số định danh.",
        LAW + " (kế toán, thuế)",
        "Ngân hàng; cơ quan thuế (tờ khai khấu trừ thuế của người bán).",
        "10 năm sau năm của giao dịch; sau đó nội dung chuyển khoản bị khử nhận dạng.",
    ),
    Purpose(
        "sellers",
        "Người bán: thông tin gian hàng và danh tính",
        "Tên cơ sở, xã; họ tên pháp lý, số định danh hoặc mã số thuế (mã hoá), địa chỉ; người giúp được uỷ quyền.",
        LAW + " (thương mại điện tử, thuế)",
        "Người mua (tên pháp lý và xã hiện trên trang gian hàng); cơ quan thuế (báo cáo quý).",
        "Khi còn bán hàng, và 10 năm sau giao dịch cuối cùng cho hồ sơ thuế.",
    ),
    Purpose(
        "reviews",
        "Đánh giá sản phẩm",
        "Tên hiển thị rút gọn, số sao, lời nhận xét, ảnh bạn đăng.",
        CONTRACT,
        "Công khai trên trang sản phẩm.",
        "Đến khi bạn xoá; khi bạn xoá tài khoản, tên hiển thị thành “Người mua đã xoá tài khoản”.",
    ),
    Purpose(
        "marketing",
        "Tin mùa vụ, hội chợ, khuyến mãi",
        "Số điện thoại, e-mail; lựa chọn đồng ý của bạn và thời điểm.",
        CONSENT,
        "Nhà cung cấp dịch vụ SMS và e-mail.",
        "Đến khi bạn rút lại; bản ghi đồng ý/rút lại giữ làm bằng chứng cùng tài khoản.",
    ),
    Purpose(
        "assistant",
        "Trợ lý mua hàng",
        "Tin nhắn bạn gửi trợ lý, sản phẩm trợ lý đã gợi ý; địa chỉ mạng.",
        CONTRACT + "; ghi nhớ lâu hơn chỉ khi bạn đồng ý",
        "Người bán hoặc nhân viên sàn khi bạn nhờ người thật trả lời.",
        "Xoá 24 giờ sau tin nhắn cuối; 30 ngày nếu bạn đồng ý cho trợ lý ghi nhớ.",
    ),
    Purpose(
        "search",
        "Thống kê tìm kiếm",
        "Từ khoá đã tìm, tỉnh nhận hàng, một mã lượt truy cập ngẫu nhiên (không gắn tài khoản, số điện thoại hay "
        "địa chỉ mạng).",
        NOT_IDENTIFYING,
        "Nhà sản xuất và cán bộ Sở Công Thương, chỉ số liệu gộp (từ 3 lượt trở lên).",
        "Mã lượt truy cập xoá sau 180 ngày; từ khoá giữ để thống kê.",
    ),
    Purpose(
        "messages",
        "Tin nhắn SMS và e-mail về đơn hàng",
        "Số điện thoại hoặc e-mail, nội dung tin.",
        CONTRACT,
        "Nhà cung cấp dịch vụ SMS và e-mail.",
        "Tin đã gửi: 30 ngày; tin gửi không được: 90 ngày.",
    ),
    Purpose(
        "security",
        "An toàn tài khoản và chống gian lận",
        "Phiên đăng nhập (cookie), địa chỉ mạng khi xin mã hoặc tra cứu đơn sai, nhật ký thao tác.",
        LAW + " (an toàn thông tin) và " + CONTRACT.lower(),
        "Không chia sẻ, trừ cơ quan nhà nước có thẩm quyền theo yêu cầu hợp pháp.",
        "Phiên hết hạn xoá hằng ngày; địa chỉ mạng: 1 ngày; nhật ký thao tác: cùng hồ sơ nó ghi lại.",
    ),
)
