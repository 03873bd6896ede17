"""The words the archive is made of: its sections, places, topics and names.
The benchmark's editors (bench/newsroom_day) write new stories from them too."""

import random

# A provincial paper: a handful of top sections, each with a few subsections.
# (name, share of the articles)
SECTION_TREE = [
    (("Thời sự", 18), [("Trong tỉnh", 8), ("Trong nước", 5), ("Quốc tế", 3)]),
    (
        ("Chính trị", 10),
        [("Xây dựng Đảng", 4), ("Dân vận", 4), ("Hội đồng nhân dân", 3)],
    ),
    (("Kinh tế", 10), [("Nông nghiệp", 7), ("Thị trường", 4), ("Doanh nghiệp", 3)]),
    (("Xã hội", 8), [("Giáo dục", 5), ("Y tế", 5), ("Lao động - Việc làm", 3)]),
    (("Văn hóa - Thể thao", 5), [("Văn hóa", 3), ("Thể thao", 3), ("Du lịch", 3)]),
    (("Pháp luật", 6), [("An ninh trật tự", 4), ("Bạn đọc", 2)]),
    (("Khoa học - Công nghệ", 3), [("Chuyển đổi số", 3)]),
    (("Môi trường", 3), []),
]

# fmt: off
PLACES = [
    "Bến Tre", "Ba Tri", "Bình Đại", "Châu Thành", "Chợ Lách", "Giồng Trôm",
    "Mỏ Cày Nam", "Mỏ Cày Bắc", "Thạnh Phú", "phường An Hội", "phường Phú Khương",
    "xã Phú Túc", "xã Hòa Lộc", "xã Tân Thạch", "xã An Thủy", "xã Bảo Thạnh",
    "xã Thới Thuận", "xã Vĩnh Hòa", "xã Long Thới", "xã Phước Long", "xã Thành Triệu",
    "xã Hưng Khánh Trung", "xã Tân Phú", "xã Định Thủy", "xã An Ngãi Trung",
    "xã Giao Thạnh", "xã Thạnh Hải", "xã Bình Thới", "xã Mỹ Thạnh", "xã Lương Hòa",
    "cồn Phụng", "cồn Quy", "sông Hàm Luông", "sông Cổ Chiên", "sông Ba Lai",
    "sông Tiền", "cù lao Minh", "cù lao An Hóa", "cù lao Bảo", "thị trấn Ba Tri",
]
TOPICS = [
    "dân vận", "dân vận khéo", "sản xuất dừa hữu cơ", "xâm nhập mặn", "triều cường",
    "nông thôn mới", "chuyển đổi số", "cải cách hành chính", "an sinh xã hội",
    "khuyến học", "y tế cơ sở", "sốt xuất huyết", "tuyển sinh", "giao thông nông thôn",
    "du lịch sinh thái", "làng nghề", "xuất khẩu dừa", "giá dừa khô", "tôm - lúa",
    "bưởi da xanh", "sầu riêng", "cây giống Chợ Lách", "OCOP", "hợp tác xã",
    "nước sạch", "sạt lở bờ sông", "phòng chống thiên tai", "an toàn giao thông",
    "lừa đảo qua mạng", "trộm cắp tài sản", "khai thác cát trái phép", "hòa giải",
    "nhà đại đoàn kết", "đờn ca tài tử", "đua ghe", "bóng đá phong trào",
    "tiếp xúc cử tri", "bảo hiểm y tế", "việc làm", "thanh niên tình nguyện",
    "cựu chiến binh", "người cao tuổi", "trẻ em", "phụ nữ", "chăn nuôi bò",
    "nuôi tôm", "cây ăn trái", "kênh mương", "điện nông thôn", "chợ truyền thống",
    "thương mại điện tử", "khởi nghiệp",
]
ACTIONS = [
    "Đẩy mạnh", "Tăng cường", "Triển khai", "Tổng kết", "Kiểm tra", "Hỗ trợ",
    "Nâng cao hiệu quả", "Bàn giải pháp", "Phát triển", "Khởi động", "Sơ kết",
    "Tuyên truyền", "Ra mắt mô hình", "Lan tỏa", "Tháo gỡ khó khăn",
]
FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi",
]
MIDDLE_NAMES = [
    "Văn", "Thị", "Thanh", "Minh", "Ngọc", "Hữu", "Kim", "Quốc", "Bảo",
]
GIVEN_NAMES = [
    "Hà", "Trí", "Điệp", "Phúc", "Tâm", "Ngân", "Khang", "Trân", "Huyền", "Hiệp", "Lộc",
    "Nhân", "Thảo", "Vy", "Duy", "Hòa", "Tuấn", "Nhung", "Sang", "Yến", "Dũng", "Linh",
    "Phương", "Tài", "Thư", "Quân", "Mai", "Nghĩa", "Trang", "Sơn",
]
USER_AGENTS = [
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/129 Mobile",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130",
]
# fmt: on


def person_name(rng: random.Random) -> str:
    """A Vietnamese full name: family, middle and given name."""
    return " ".join(
        rng.choice(names) for names in (FAMILY_NAMES, MIDDLE_NAMES, GIVEN_NAMES)
    )
