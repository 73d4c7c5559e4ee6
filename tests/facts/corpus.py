#!/usr/bin/python3
"""corpus.py - write the labelled corpus of official documents.

Usage: corpus.py OUTDIR

For every document of the table below it writes OUTDIR/NAME.{pdf,docx,odt,
edxml} and OUTDIR/NAME.json, the facts a careful clerk would type from it
(the names of `doc_facts`'s JSON; null where the document has no such
fact).  PDFs are drawn with reportlab and DejaVu fonts in the layout of
ND30 appendix I: issuer and number in the left column, motto and place and
date in the right one, type heading, summary, body, then "Nơi nhận" on the
left and the signer block on the right.  Everything is generated, nothing
is copied from real documents.
"""
import base64, json, os, sys, unicodedata, zipfile

CODES = {
    'NQ': 'Nghị quyết', 'NĐ': 'Nghị định', 'QĐ': 'Quyết định', 'CT': 'Chỉ thị', 'QC': 'Quy chế',
    'QyĐ': 'Quy định', 'QĐi': 'Quy định', 'TC': 'Thông cáo', 'TB': 'Thông báo',
    'HD': 'Hướng dẫn', 'CTr': 'Chương trình', 'KH': 'Kế hoạch',
    'PA': 'Phương án', 'ĐA': 'Đề án', 'BC': 'Báo cáo', 'BB': 'Biên bản',
    'TTr': 'Tờ trình', 'CĐ': 'Công điện', 'GM': 'Giấy mời',
    'GGT': 'Giấy giới thiệu', 'CV': 'Công văn', None: 'Công văn',
}

BODY = [
    'Thực hiện chương trình công tác năm, cơ quan đề nghị các đơn vị khẩn trương '
    'triển khai các nội dung sau đây.',
    'Tổng số 15 người tham dự; địa điểm tại nhà số 5/12 ngõ 34 phố Hàng Bài, '
    'Số điện thoại liên hệ 0243.123456.',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ '
    'về công tác văn thư, các đơn vị thực hiện nghiêm túc.',
    'Trong quá trình thực hiện, nếu có vướng mắc đề nghị phản ánh về Văn phòng '
    'để tổng hợp, báo cáo.',
]

# name, form, issuer lines, number, year, symbol, place, date, code,
# heading?, summary lines, urgency, secrecy, recipients, competence line,
# position, signer, and options.
def doc(name, party, issuer, number, symbol, place, date, code, summary,
        signer, position, competence=None, year=None, heading=None,
        urgency=None, secrecy=None, circulation=None, recipients=None,
        fmt='pdf', pages=1, spaced=False, **opt):
    if heading is None:
        heading = code not in (None, 'CV')
    return dict(name=name, party=party, issuer=issuer, number=number,
                symbol=symbol, place=place, date=date, code=code,
                summary=summary, signer=signer, position=position,
                competence=competence, year=year, heading=heading,
                urgency=urgency, secrecy=secrecy, circulation=circulation,
                recipients=recipients or ['Như trên;', 'Lưu: VT.'],
                fmt=fmt, pages=pages, spaced=spaced, opt=opt)

UB_BD = ['ỦY BAN NHÂN DÂN', 'TỈNH BÌNH ĐỊNH']
TU_HD = ['TỈNH ỦY HẢI DƯƠNG']
DOCS = [
    doc('s01', 0, ['BỘ NỘI VỤ'], '15', 'QĐ-BNV', 'Hà Nội', (2021, 4, 28), 'QĐ',
        ['Về việc ban hành Quy chế công tác văn thư, lưu trữ', 'của Bộ Nội vụ'],
        'Nguyễn Văn An', 'THỨ TRƯỞNG', 'KT. BỘ TRƯỞNG',
        recipients=['Như Điều 3;', 'Bộ trưởng (để b/c);', 'Lưu: VT, VP.']),
    doc('s02', 0, ['BỘ NỘI VỤ'], '05', 'BNV-VP', 'Hà Nội', (2022, 1, 7), None,
        ['V/v gửi, nhận văn bản điện tử trên', 'mạng của các cơ quan'],
        'Trần Thị Bình', 'CHÁNH VĂN PHÒNG', 'TL. BỘ TRƯỞNG'),
    doc('s03', 0, ['CHÍNH PHỦ'], '30', 'NĐ-CP', 'Hà Nội', (2020, 3, 5), 'NĐ',
        ['Về công tác văn thư'], 'Nguyễn Xuân Phúc', 'THỦ TƯỚNG',
        'TM. CHÍNH PHỦ', year='2020', heading='NGHỊ ĐỊNH', pages=2),
    doc('s04', 0, UB_BD, '12', 'QĐ-UBND', 'Bình Định', (2019, 11, 3), 'QĐ',
        ['Ban hành Quy định về quản lý văn bản điện tử trên địa bàn tỉnh'],
        'Lê Văn Cường', 'CHỦ TỊCH', 'T/M ỦY BAN NHÂN DÂN', year='2019',
        urgency='KHẨN'),
    doc('s05', 0, UB_BD, '234', 'KH-UBND', 'Bình Định', (2021, 6, 15), 'KH',
        ['Triển khai công tác chuyển đổi số', 'năm 2021 và định hướng đến năm 2025'],
        'Phạm Quốc Dũng', 'PHÓ CHỦ TỊCH', 'KT. CHỦ TỊCH', pages=2),
    doc('s06', 0, ['UBND TỈNH QUẢNG NINH', 'SỞ NỘI VỤ'], '1023', 'SNV-CCVC',
        'Quảng Ninh', (2023, 9, 21), None,
        ['V/v báo cáo số lượng, chất lượng', 'cán bộ, công chức cấp xã'],
        'Hoàng Minh Đức', 'GIÁM ĐỐC', None, urgency='HỎA TỐC'),
    doc('s07', 0, ['BỘ TÀI CHÍNH'], '45', 'TB-BTC', 'Hà Nội', (2022, 12, 30), 'TB',
        ['Kết luận của Thứ trưởng tại cuộc họp giao ban', 'tháng 12 năm 2022'],
        'Đỗ Thị Hà', 'CHÁNH VĂN PHÒNG', 'TL. BỘ TRƯỞNG'),
    doc('s08', 0, ['UBND HUYỆN ĐÔNG ANH', 'PHÒNG NỘI VỤ'], '08', 'BC-PNV',
        'Đông Anh', (2021, 3, 2), 'BC',
        ['Tình hình thực hiện nhiệm vụ quý I năm 2021'],
        'Vũ Văn Giang', 'TRƯỞNG PHÒNG', None),
    doc('s09', 0, ['SỞ GIÁO DỤC VÀ ĐÀO TẠO', 'TỈNH NGHỆ AN'], '77', 'TTr-SGDĐT',
        'Nghệ An', (2020, 8, 14), 'TTr',
        ['Về việc đề nghị phê duyệt kế hoạch tuyển dụng', 'viên chức năm 2020'],
        'Ngô Thị Lan', 'GIÁM ĐỐC', None),
    doc('s10', 0, ['BỘ Y TẾ'], '2345', 'CĐ-BYT', 'Hà Nội', (2021, 7, 19), 'CĐ',
        ['Về việc tăng cường phòng, chống dịch bệnh'], 'Nguyễn Thanh Long',
        'BỘ TRƯỞNG', None, urgency='THƯỢNG KHẨN'),
    doc('s11', 0, UB_BD, '09', 'GM-UBND', 'Bình Định', (2024, 2, 26), 'GM',
        ['Dự hội nghị tổng kết công tác năm 2023'], 'Trương Công Hải',
        'CHÁNH VĂN PHÒNG', 'TL. CHỦ TỊCH'),
    doc('s12', 0, ['BỘ CÔNG AN'], '03', 'CT-BCA', 'Hà Nội', (2018, 5, 10), 'CT',
        ['Về tăng cường công tác bảo vệ bí mật nhà nước'], 'Tô Lâm',
        'BỘ TRƯỞNG', None, secrecy='MẬT'),
    doc('s13', 0, ['BỘ QUỐC PHÒNG'], '112', 'BQP-VP', 'Hà Nội', (2023, 10, 4),
        None, ['V/v chuẩn bị tài liệu hội nghị'], 'Lê Huy Vịnh',
        'THỨ TRƯỞNG', 'KT. BỘ TRƯỞNG', secrecy='TỐI MẬT', urgency='KHẨN'),
    doc('s14', 0, ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ XÂY DỰNG'], '56', 'HD-SXD',
        'Hà Nội', (2022, 4, 1), 'HD',
        ['Thực hiện quy định về cấp giấy phép xây dựng', 'trên địa bàn thành phố'],
        'Võ Nguyên Phong', 'PHÓ GIÁM ĐỐC', 'KT. GIÁM ĐỐC'),
    doc('s15', 0, ['BỘ GIAO THÔNG VẬN TẢI'], '18', 'BB-BGTVT', 'Hà Nội',
        (2021, 9, 9), 'BB', ['Họp Hội đồng thẩm định dự án'], 'Lê Đình Thọ',
        'THỨ TRƯỞNG', None),
    doc('s16', 0, UB_BD, '21', 'CTr-UBND', 'Bình Định', (2022, 2, 8), 'CTr',
        ['Công tác năm 2022 của Ủy ban nhân dân tỉnh'], 'Nguyễn Phi Long',
        'CHỦ TỊCH', 'T/M ỦY BAN NHÂN DÂN', circulation='LƯU HÀNH NỘI BỘ'),
    doc('s17', 0, ['SỞ TƯ PHÁP TỈNH LONG AN'], '33', 'PA-STP', 'Long An',
        (2020, 12, 1), 'PA', ['Tổ chức kỳ thi tuyển công chức năm 2021'],
        'Huỳnh Văn Sang', 'GIÁM ĐỐC', None),
    doc('s18', 0, ['UBND TỈNH ĐỒNG THÁP'], '04', 'ĐA-UBND', 'Đồng Tháp',
        (2021, 1, 20), 'ĐA', ['Phát triển du lịch cộng đồng', 'giai đoạn 2021-2025'],
        'Phạm Thiện Nghĩa', 'CHỦ TỊCH', 'TM. ỦY BAN NHÂN DÂN', pages=2),
    doc('s19', 0, ['HỘI ĐỒNG NHÂN DÂN', 'TỈNH THANH HÓA'], '150', 'NQ-HĐND',
        'Thanh Hóa', (2021, 12, 10), 'NQ',
        ['Về dự toán ngân sách địa phương năm 2022'], 'Đỗ Trọng Hưng',
        'CHỦ TỊCH', None, year='2021'),
    doc('s20', 0, ['BỘ NỘI VỤ'], '06', 'BNV-TCBC', 'Hà Nội', (2024, 3, 15), None,
        ['V/v hướng dẫn xác định vị trí việc làm'], 'Vũ Đăng Minh',
        'THỨ TRƯỞNG', 'KT. BỘ TRƯỞNG', fmt='docx', table=True),
    doc('s21', 0, UB_BD, '87', 'QĐ-UBND', 'Bình Định', (2023, 5, 5), 'QĐ',
        ['Về việc thành lập Tổ công tác', 'chuyển đổi số của tỉnh'],
        'Lâm Hải Giang', 'PHÓ CHỦ TỊCH', 'KT. CHỦ TỊCH', fmt='docx',
        urgency='KHẨN'),
    doc('s22', 0, ['SỞ NỘI VỤ TỈNH BẮC NINH'], '14', 'TB-SNV', 'Bắc Ninh',
        (2022, 7, 11), 'TB', ['Kết quả kỳ thi nâng ngạch công chức'],
        'Nguyễn Văn Lợi', 'GIÁM ĐỐC', None, fmt='odt'),
    doc('s23', 0, ['BỘ NỘI VỤ'], '27', 'BNV-VTLTNN', 'Hà Nội', (2021, 11, 2),
        None, ['V/v triển khai hệ thống quản lý', 'văn bản và điều hành'],
        'Đặng Thanh Tùng', 'CỤC TRƯỞNG', 'TUQ. BỘ TRƯỞNG', fmt='odt'),
    doc('s24', 0, ['BỘ NỘI VỤ'], '301', 'QĐ-BNV', 'Hà Nội', (2022, 6, 30), 'QĐ',
        ['Về việc ban hành danh mục hồ sơ năm 2022'], 'Nguyễn Trọng Thừa',
        'THỨ TRƯỞNG', 'KT. BỘ TRƯỞNG', fmt='edxml'),
    doc('s25', 0, ['VĂN PHÒNG CHÍNH PHỦ'], '1502', 'VPCP-KSTT', 'Hà Nội',
        (2023, 3, 17), None, ['V/v kết nối trục liên thông văn bản quốc gia'],
        'Mai Tiến Dũng', 'BỘ TRƯỞNG, CHỦ NHIỆM', None, fmt='edxml',
        urgency='THƯỢNG KHẨN'),
    doc('s26', 0, UB_BD, '44', 'UBND-VX', 'Bình Định', (2021, 10, 12), None,
        ['V/v rà soát hồ sơ người có công'], 'Nguyễn Tuấn Thanh',
        'PHÓ CHỦ TỊCH', 'KT. CHỦ TỊCH', fmt='scan',
        subject='Công văn số 44/UBND-VX V/v rà soát hồ sơ người có công'),
    doc('s27', 0, ['UBND TỈNH NAM ĐỊNH'], '19', 'QĐ-UBND', 'Nam Định',
        (2005, 4, 9), 'QĐ', ['Về việc công nhận xã đạt chuẩn văn hóa'],
        'Trần Văn Chung', 'CHỦ TỊCH', 'T/M ỦY BAN NHÂN DÂN', fmt='tcvn3'),
    doc('s28', 0, ['SỞ NỘI VỤ TỈNH AN GIANG'], '58', 'BC-SNV', 'An Giang',
        (2004, 6, 2), 'BC', ['Tình hình cải cách hành chính 6 tháng đầu năm'],
        'Lê Văn Nưng', 'GIÁM ĐỐC', None, fmt='vni'),
    doc('s29', 0, ['BỘ NỘI VỤ'], '71', 'KH-BNV', 'Hà Nội', (2022, 10, 3), 'KH',
        ['Kiểm tra công tác văn thư, lưu trữ năm 2022'], 'Trương Hải Long',
        'THỨ TRƯỞNG', 'KT. BỘ TRƯỞNG', nfd=True),
    doc('s30', 0, ['UBND TINH BINH DINH'], '16', 'QD-UBND', 'Binh Dinh',
        (2020, 2, 14), 'QĐ', ['Ve viec phe duyet ke hoach dao tao'],
        'Nguyen Van Tam', 'CHU TICH', None, plain=True),
    doc('s31', 0, ['SỞ Y TẾ TỈNH CÀ MAU'], '29', 'QyĐ-SYT', 'Cà Mau',
        (2023, 8, 8), 'QyĐ', ['Về quản lý, sử dụng con dấu'], 'Lâm Văn Bi',
        'GIÁM ĐỐC', None),
    doc('s32', 0, ['BỘ NỘI VỤ'], '02', 'QC-BNV', 'Hà Nội', (2024, 1, 2), 'QC',
        ['Quy chế làm việc của Bộ Nội vụ'], 'Phạm Thị Thanh Trà', 'BỘ TRƯỞNG',
        None, subject='Quyết định ban hành quy chế'),
    doc('s33', 0, ['BỘ NỘI VỤ'], '419', 'BNV-VP', 'Hà Nội', (2024, 4, 22), None,
        ['V/v thông báo lịch công tác tuần'], 'Nguyễn Thị Hương', 'CHÁNH VĂN PHÒNG',
        'TL. BỘ TRƯỞNG', signed=True),
    doc('s34', 0, ['UBND TỈNH HÀ TĨNH'], '101', 'TC-UBND', 'Hà Tĩnh',
        (2022, 11, 11), 'TC', ['Kết quả kỳ họp thứ tám'], 'Võ Trọng Hải',
        'CHỦ TỊCH', None),
    # Quirks: columns drawn right first, "(Đã ký)" in the signer block,
    # a number in capitals, a summary wrapped at a proper name.
    doc('s35', 0, ['BỘ KHOA HỌC VÀ CÔNG NGHỆ'], '88', 'BKHCN-VP', 'Hà Nội',
        (2023, 7, 14), None, ['V/v góp ý dự thảo Thông tư của', 'Bộ Khoa học và Công nghệ'],
        'Lê Xuân Định', 'THỨ TRƯỞNG', 'KT. BỘ TRƯỞNG', rightfirst=True,
        sealnote=True),
    doc('s36', 0, ['UBND TỈNH BÌNH ĐỊNH', 'SỞ TÀI CHÍNH'], '402', 'STC-NS',
        'Bình Định', (2022, 9, 5), None, ['V/v hướng dẫn xây dựng dự toán', 'năm 2023'],
        'Nguyễn Thị Kim Loan', 'GIÁM ĐỐC', None, upper_so=True),
    doc('s37', 0, UB_BD, '2210', 'QĐ-UBND', 'Bình Định', (2021, 12, 24), 'QĐ',
        ['Về việc phê duyệt quy hoạch chung đô thị mới Nhơn Hội', 'tỉnh',
         'Bình Định đến năm 2040'], 'Nguyễn Tự Công Hoàng', 'PHÓ CHỦ TỊCH',
        'KT. CHỦ TỊCH', sealnote=True, rightfirst=True),
    doc('p13', 1, ['ĐẢNG BỘ TỈNH BÌNH ĐỊNH', 'HUYỆN ỦY PHÙ CÁT'], '315', 'CV/HU',
        'Phù Cát', (2024, 1, 9), 'CV', ['V/v triển khai', 'Chỉ thị số 35-CT/TW'],
        'Trần Văn Hùng', 'BÍ THƯ', 'T/M BAN THƯỜNG VỤ', sealnote=True),
    # Party documents.
    doc('p01', 1, TU_HD, '572', 'CV/TU', 'Hải Dương', (2021, 4, 28), 'CV',
        ['V/v chuẩn bị nội dung hội nghị', 'Ban Chấp hành Đảng bộ tỉnh'],
        'Phạm Xuân Thăng', 'BÍ THƯ', 'T/M BAN THƯỜNG VỤ'),
    doc('p02', 1, ['BAN CHẤP HÀNH TRUNG ƯƠNG'], '127', 'QĐ/TW', 'Hà Nội',
        (2023, 10, 27), 'QĐ', ['Về việc ban hành Quy chế làm việc'],
        'Võ Văn Thưởng', 'THƯỜNG TRỰC BAN BÍ THƯ', 'T/M BAN BÍ THƯ'),
    doc('p03', 1, ['ĐẢNG BỘ TỈNH BÌNH ĐỊNH', 'ĐẢNG ỦY KHỐI CƠ QUAN'], '90',
        'BC/ĐU', 'Quy Nhơn', (2022, 12, 15), 'BC',
        ['Tổng kết công tác xây dựng Đảng năm 2022'], 'Lê Kim Toàn', 'BÍ THƯ',
        'T/M ĐẢNG ỦY'),
    doc('p04', 1, TU_HD, '145', 'CV/TU', 'Hải Dương', (2020, 9, 3), 'CV',
        ['V/v tổ chức lấy ý kiến góp ý'], 'Nguyễn Mạnh Hiển', 'PHÓ BÍ THƯ',
        'T/M BAN THƯỜNG VỤ', spaced=True, urgency='KHẨN'),
    doc('p05', 1, ['TỈNH ỦY BẮC GIANG'], '12', 'NQ/TU', 'Bắc Giang',
        (2021, 5, 20), 'NQ', ['Về phát triển nông nghiệp hàng hóa', 'giai đoạn 2021-2025'],
        'Dương Văn Thái', 'BÍ THƯ', 'T/M TỈNH ỦY', pages=2),
    doc('p06', 1, ['THÀNH ỦY HÀ NỘI', 'BAN TUYÊN GIÁO'], '33', 'HD/BTGTU',
        'Hà Nội', (2022, 3, 1), 'HD', ['Tuyên truyền kỷ niệm các ngày lễ lớn'],
        'Nguyễn Doãn Toản', 'TRƯỞNG BAN', None),
    doc('p07', 1, ['HUYỆN ỦY ĐÔNG ANH'], '41', 'KH/HU', 'Đông Anh',
        (2023, 2, 6), 'KH', ['Học tập, quán triệt nghị quyết'], 'Nguyễn Xuân Linh',
        'PHÓ BÍ THƯ', 'T/M BAN THƯỜNG VỤ', secrecy='MẬT'),
    doc('p08', 1, ['TỈNH ỦY NGHỆ AN'], '08', 'QĐi/TU', 'Vinh', (2021, 7, 30),
        'QĐi', ['Về chế độ làm việc của cấp ủy'], 'Thái Thanh Quý', 'BÍ THƯ',
        'T/M BAN THƯỜNG VỤ'),
    doc('p09', 1, TU_HD, '203', 'TB/TU', 'Hải Dương', (2022, 8, 19), 'TB',
        ['Kết luận của Thường trực Tỉnh ủy'], 'Lê Văn Hiệu', 'PHÓ BÍ THƯ',
        'T/L BAN THƯỜNG VỤ', fmt='docx', table=True),
    doc('p10', 1, ['ĐẢNG ỦY KHỐI', 'CÁC CƠ QUAN TRUNG ƯƠNG'], '260', 'CV/ĐUK',
        'Hà Nội', (2024, 5, 6), 'CV', ['V/v sơ kết công tác kiểm tra'],
        'Huỳnh Tấn Việt', 'BÍ THƯ', 'T/M ĐẢNG ỦY KHỐI', fmt='odt',
        urgency='HỎA TỐC'),
    doc('p11', 1, ['TỈNH ỦY QUẢNG NAM'], '19', 'CT/TU', 'Tam Kỳ', (2021, 4, 2),
        'CT', ['Về lãnh đạo cuộc bầu cử đại biểu Quốc hội'], 'Phan Việt Cường',
        'BÍ THƯ', 'T/M BAN THƯỜNG VỤ', fmt='edxml'),
    doc('p12', 1, ['HUYỆN ỦY GIA LÂM'], '77', 'TTr/HU', 'Gia Lâm',
        (2020, 10, 15), 'TTr', ['Đề nghị khen thưởng tổ chức đảng'],
        'Lê Anh Quân', 'BÍ THƯ', 'T/M BAN THƯỜNG VỤ', circulation='LƯU HÀNH NỘI BỘ'),
]


def party_code_of(d):
    return d['symbol'].split('/')[0] if d['party'] else None


def expected(d):
    num, sym, year = d['number'], d['symbol'], d['year']
    if d['party']:
        ref = '%s-%s' % (num, sym)
        printed = ('Số %s - %s' % (num, sym.replace('/', ' / ', 0))
                   if d['spaced'] else 'Số ' + ref)
    else:
        ref = '%s/%s%s' % (num, year + '/' if year else '', sym)
        printed = ('So: ' if d['opt'].get('plain') else
                   'SỐ: ' if d['opt'].get('upper_so') else 'Số: ') + ref
    code = d['code']
    heading = d['heading']
    if isinstance(heading, str):
        tname = heading.capitalize()
    else:
        tname = CODES[code]
    summary = ' '.join(d['summary'])
    if summary.startswith('V/v '):
        summary = summary[4:]
    y, m, dd = d['date']
    comp = d['competence'].split(' ')[0] if d['competence'] else None
    f = {
        'issuer': ' '.join(d['issuer']), 'number': num, 'symbol': sym,
        'reference': ref, 'reference_printed': printed, 'year': year,
        'date': '%04d-%02d-%02d' % (y, m, dd), 'place': d['place'],
        'type_code': code, 'type_name': tname, 'summary': summary,
        'urgency': d['urgency'], 'secrecy': d['secrecy'],
        'circulation': d['circulation'], 'signer_name': d['signer'],
        'signer_position': d['position'], 'signer_competence': comp,
        'recipients': '\n'.join(r.rstrip(';.') for r in d['recipients']),
    }
    if d['opt'].get('plain'):
        f['type_name'] = 'Quyết định'
    if d['fmt'] == 'scan':
        # No text layer: only the subject speaks, and only of these.
        keep = ('number', 'symbol', 'reference', 'type_name', 'summary')
        f = {k: (v if k in keep else None) for k, v in f.items()}
    if d['fmt'] == 'edxml':
        # The header has no recipients list in Nơi nhận form, no marks
        # of secrecy and no printed reference.
        f['reference_printed'] = None
        f['recipients'] = None
        f['circulation'] = None
        f['secrecy'] = None
    return f


def lines_of(d):
    """The document as (zone, style, text) lines, zone L/R/C/B."""
    y, m, dd = d['date']
    plain = d['opt'].get('plain')
    out = []
    motto = (['ĐẢNG CỘNG SẢN VIỆT NAM'] if d['party'] else
             ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'])
    if plain:
        motto = ['CONG HOA XA HOI CHU NGHIA VIET NAM', 'Doc lap - Tu do - Hanh phuc']
    left = [('b', s) for s in d['issuer']]
    left.append(('n', '*' if d['party'] else '-------'))
    e = expected(d)
    ref_line = e['reference_printed'] if e['reference_printed'] else ('Số: ' + e['reference'])
    left.append(('n', ref_line))
    if not d['heading']:
        left += [('i', s) for s in d['summary']]
    for mark in (d['secrecy'], d['urgency']):
        if mark:
            left.append(('b', mark))
    dl = '%s, ngày %02d tháng %02d năm %d' % (d['place'], dd, m, y) \
        if dd < 10 or m < 3 else '%s, ngày %d tháng %d năm %d' % (d['place'], dd, m, y)
    if plain:
        dl = '%s, ngay %d thang %d nam %d' % (d['place'], dd, m, y)
    right = [('b', s) for s in motto] + [('n', '-------'), ('i', dl)]
    out.append(('LR', left, right))
    body = []
    if d['heading']:
        h = d['heading'] if isinstance(d['heading'], str) else CODES[d['code']].upper()
        if plain:
            h = 'QUYET DINH'
        body.append(('C', 'b', h))
        body += [('C', 'b', s) for s in d['summary']]
        body.append(('C', 'n', '_____'))
    if d['circulation']:
        body.append(('C', 'b', d['circulation']))
    if not d['heading']:
        body.append(('C', 'n', 'Kính gửi: Các cơ quan, đơn vị liên quan.'))
    paras = BODY if d['pages'] == 1 else BODY * 9
    if plain:
        paras = ['Tong so 15 nguoi tham du tai nha so 5/12 ngo 34.',
                 'Cac don vi thuc hien nghiem tuc Quyet dinh nay.']
    body += [('B', 'n', p) for p in paras]
    out.append(('BODY', body))
    rec = [('b', 'Noi nhan:' if plain else 'Nơi nhận:')] + \
        [('i', '- ' + r) for r in d['recipients']]
    sig = []
    if d['competence']:
        sig.append(('b', d['competence']))
    sig.append(('b', d['position']))
    if d['opt'].get('sealnote'):
        sig += [('n', ''), ('i', '(Đã ký)'), ('n', ''), ('b', d['signer'])]
    else:
        sig += [('n', ''), ('n', ''), ('b', d['signer'])]
    out.append(('SIG', rec, sig))
    return out


def nfd(s):
    return unicodedata.normalize('NFD', s)


TCVN3 = dict(zip(
    'ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ',
    [chr(c) for c in (
        0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC,
        0xAD, 0xAE, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6,
        0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3,
        0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3,
        0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF,
        0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC,
        0xFD, 0xFE)]))


def tcvn3(s):
    # Capitals with marks exist only in the ".VnTimeH" fonts, which draw
    # the small letters' codes as capitals: the text layer holds the
    # small-letter code.
    out = []
    for ch in unicodedata.normalize('NFC', s):
        if ch in TCVN3:
            out.append(TCVN3[ch])
        elif ch.lower() in TCVN3 and ch not in 'ĂÂÊÔƠƯĐ':
            out.append(TCVN3[ch.lower()])
        else:
            out.append(ch)
    return ''.join(out)


VNI_TONE = {'\u0301': 'ù', '\u0300': 'ø', '\u0309': 'û', '\u0303': 'õ', '\u0323': 'ï'}
VNI_CIRC = {None: 'â', '\u0301': 'á', '\u0300': 'à', '\u0309': 'å', '\u0303': 'ã', '\u0323': 'ä'}
VNI_BREVE = {None: 'ê', '\u0301': 'é', '\u0300': 'è', '\u0309': 'ú', '\u0303': 'ü', '\u0323': 'ë'}
VNI_I = {'\u0301': 'í', '\u0300': 'ì', '\u0309': 'æ', '\u0303': 'ó', '\u0323': 'ò'}


def vni(s):
    out = []
    for ch in unicodedata.normalize('NFC', s):
        if ch in 'đĐ':
            out.append('ñ' if ch == 'đ' else 'Ñ')
            continue
        dec = unicodedata.normalize('NFD', ch)
        base, marks = dec[0], dec[1:]
        if not marks:
            out.append(ch)
            continue
        up = base.isupper()
        tone = next((m for m in marks if m in VNI_TONE), None)
        if base.lower() == 'i':
            code = VNI_I[tone]
            out.append(code.upper() if up else code)
            continue
        if '\u0302' in marks:
            code = VNI_CIRC[tone]
        elif '\u0306' in marks:
            code = VNI_BREVE[tone]
        elif '\u031b' in marks:
            base = {'o': 'ô', 'u': 'ö', 'O': 'Ô', 'U': 'Ö'}[base]
            code = VNI_TONE[tone] if tone else ''
        else:
            code = VNI_TONE[tone]
        out.append(base + (code.upper() if up else code))
    return ''.join(out)


def render_pdf(d, path):
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.lib.utils import simpleSplit
    dv = '/usr/share/fonts/truetype/dejavu/'
    pdfmetrics.registerFont(TTFont('Serif', dv + 'DejaVuSerif.ttf'))
    pdfmetrics.registerFont(TTFont('SerifB', dv + 'DejaVuSerif-Bold.ttf'))
    pdfmetrics.registerFont(TTFont('SerifI', dv + 'DejaVuSerif-Italic.ttf'))
    fmt = d['fmt']
    conv = (lambda s: s)
    fonts = {'n': 'Serif', 'b': 'SerifB', 'i': 'SerifI'}
    if d['opt'].get('nfd'):
        conv = nfd
    if fmt == 'tcvn3':
        # The text layer of a document typed with ABC fonts: bytes of
        # TCVN3 shown through a one-byte font.
        conv = tcvn3
        fonts = {'n': 'Times-Roman', 'b': 'Times-Bold', 'i': 'Times-Italic'}
    W, H = A4
    mm = 72 / 25.4
    c = canvas.Canvas(path, pagesize=A4, invariant=1)
    c.setTitle(d['name'])
    if fmt == 'scan':
        # An image-only page: grey bars where text would be, no text.
        c.setFillGray(0.2)
        yy = H - 25 * mm
        for i in range(30):
            c.rect(25 * mm, yy, (60 + (i * 37) % 100) * mm, 3 * mm, stroke=0, fill=1)
            yy -= 7 * mm
        c.showPage()
        c.save()
        return
    y = [H - 20 * mm]

    def newline(step):
        y[0] -= step
        if y[0] < 25 * mm:
            c.showPage()
            y[0] = H - 20 * mm

    for block in lines_of(d):
        if block[0] == 'LR':
            left, right = block[1], block[2]
            top = y[0]
            cols = [(left, 50), (right, 140)]
            if d['opt'].get('rightfirst'):
                cols.reverse()
            for col, x in cols:
                y[0] = top
                for i, (st, t) in enumerate(col):
                    c.setFont(fonts[st], 12 if st == 'b' and i < 2 and x == 50 else 11)
                    c.drawCentredString(x * mm, y[0], conv(t))
                    y[0] -= 15
            y[0] = top - 15 * max(len(left), len(right))
            newline(10)
        elif block[0] == 'BODY':
            for zone, st, t in block[1]:
                c.setFont(fonts[st], 12 if zone == 'C' else 11)
                if zone == 'C':
                    c.drawCentredString(W / 2, y[0], conv(t))
                    newline(16)
                    continue
                for ln in simpleSplit(conv(t), fonts[st], 11, W - 50 * mm):
                    c.drawString(30 * mm, y[0], ln)
                    newline(15)
            newline(14)
        else:
            rec, sig = block[1], block[2]
            if y[0] < 80 * mm:
                c.showPage()
                y[0] = H - 25 * mm
            for i in range(max(len(rec), len(sig))):
                if i < len(rec):
                    st, t = rec[i]
                    c.setFont(fonts[st], 10)
                    c.drawString(25 * mm, y[0], conv(t))
                if i < len(sig) and sig[i][1]:
                    st, t = sig[i]
                    c.setFont(fonts[st], 11)
                    c.drawCentredString(145 * mm, y[0], conv(t))
                newline(14)
    c.showPage()
    c.save()


def para_xml(t, bold=False, center=False, kind='docx'):
    from xml.sax.saxutils import escape
    t = escape(t)
    if kind == 'docx':
        ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ''
        rpr = '<w:rPr><w:b/></w:rPr>' if bold else ''
        return '<w:p>%s<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r></w:p>' % (ppr, rpr, t)
    return '<text:p>%s</text:p>' % t


def doc_lines_plain(d, conv):
    """Paragraphs in reading order, for the office formats."""
    out = []
    for block in lines_of(d):
        if block[0] == 'LR':
            out += [conv(t) for _, t in block[1]]
            out += [conv(t) for _, t in block[2]]
        elif block[0] == 'BODY':
            out += [conv(t) for _, _, t in block[1]]
        else:
            out += [conv(t) for _, t in block[1]]
            out += [conv(t) for _, t in block[2] if t]
    return out


def header_table(d, conv):
    """The header as Word writes it: a table of one row, two cells."""
    block = lines_of(d)[0]
    cells = ''.join('<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>%s</w:tc>' %
                    ''.join(para_xml(conv(t), center=True) for _, t in col)
                    for col in (block[1], block[2]))
    return '<w:tbl><w:tblPr/><w:tr>%s</w:tr></w:tbl>' % cells


def render_docx(d, path):
    conv = vni if d['fmt'] == 'vni' else (lambda s: s)
    lines = doc_lines_plain(d, conv)
    if d['opt'].get('table'):
        n = len(lines_of(d)[0][1]) + len(lines_of(d)[0][2])
        body = header_table(d, conv) + ''.join(para_xml(t) for t in lines[n:])
    else:
        body = ''.join(para_xml(t) for t in lines)
    # Split one paragraph over two runs, as Word does after an edit.
    body = body.replace('<w:t xml:space="preserve">Nơi nhận:</w:t>',
                        '<w:t xml:space="preserve">Nơi </w:t></w:r>'
                        '<w:r><w:t>nhận:</w:t>', 1)
    docxml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<w:document xmlns:w="http://schemas.openxmlformats.org/'
              'wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % body)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   '</Types>')
        z.writestr('_rels/.rels',
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr('word/document.xml', docxml)


def render_odt(d, path):
    body = ''.join(para_xml(t, kind='odt') for t in doc_lines_plain(d, lambda s: s))
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'office:version="1.2"><office:body><office:text>%s</office:text>'
               '</office:body></office:document-content>' % body)
    with zipfile.ZipFile(path, 'w') as z:
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.text')
        z.writestr('META-INF/manifest.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:'
                   'manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                   '"application/vnd.oasis.opendocument.text"/></manifest:manifest>')
        z.writestr('content.xml', content, zipfile.ZIP_DEFLATED)


PRIORITY = {None: 0, 'KHẨN': 1, 'THƯỢNG KHẨN': 2, 'HỎA TỐC': 3}


def render_edxml(d, path, pdfpath):
    from xml.sax.saxutils import escape as e
    y, m, dd = d['date']
    ex = expected(d)
    summ = ' '.join(d['summary'])
    if summ.startswith('V/v '):
        summ = summ[4:]
    with open(pdfpath, 'rb') as f:
        att = base64.encodebytes(f.read()).decode()
    notation = d['symbol'] if not d['year'] else d['year'] + '/' + d['symbol']
    tname = ex['type_name']
    xml = f'''<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLHeader>
  <edXML:MessageHeader>
   <edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId>
    <edXML:OrganName>{e(' '.join(d['issuer']))}</edXML:OrganName>
    <edXML:Email>vanthu@example.gov.vn</edXML:Email></edXML:From>
   <edXML:To><edXML:OrganId>000.00.01.H08</edXML:OrganId>
    <edXML:OrganName>UBND tỉnh Bình Định</edXML:OrganName></edXML:To>
   <edXML:Code><edXML:CodeNumber>{d['number']}</edXML:CodeNumber>
    <edXML:CodeNotation>{e(notation)}</edXML:CodeNotation></edXML:Code>
   <edXML:PromulgationInfo><edXML:Place>{e(d['place'])}</edXML:Place>
    <edXML:PromulgationDate>{y:04d}/{m:02d}/{dd:02d}</edXML:PromulgationDate></edXML:PromulgationInfo>
   <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>{e(tname)}</edXML:TypeName></edXML:DocumentType>
   <edXML:Subject>{e(summ)}</edXML:Subject>
   <edXML:Content>{e(summ)}</edXML:Content>
   <edXML:SignerInfo><edXML:Competence>{e(d['competence'] or '')}</edXML:Competence>
    <edXML:Position>{e(d['position'])}</edXML:Position>
    <edXML:FullName>{e(d['signer'])}</edXML:FullName></edXML:SignerInfo>
   <edXML:DueDate/>
   <edXML:OtherInfo><edXML:Priority>{PRIORITY[d['urgency']]}</edXML:Priority>
    <edXML:SphereOfPromulgation/><edXML:TyperNotation>VT</edXML:TyperNotation>
    <edXML:PromulgationAmount>1</edXML:PromulgationAmount><edXML:PageAmount>1</edXML:PageAmount></edXML:OtherInfo>
   <edXML:SteeringType>0</edXML:SteeringType>
  </edXML:MessageHeader>
 </edXML:edXMLHeader>
 <edXML:edXMLBody><edXML:Manifest/></edXML:edXMLBody>
 <edXML:AttachmentEncoded>
  <edXML:Attachment><edXML:ContentType>application/pdf</edXML:ContentType>
   <edXML:Name>{d['name']}.pdf</edXML:Name>
   <edXML:Value>{att}</edXML:Value></edXML:Attachment>
 </edXML:AttachmentEncoded>
</edXML:edXMLEnvelope>
'''
    with open(path, 'w') as f:
        f.write(xml)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    index = []
    for d in DOCS:
        fmt = d['fmt']
        name = d['name']
        if fmt in ('pdf', 'scan', 'tcvn3'):
            path = name + '.pdf'
            render_pdf(d, os.path.join(out, path))
        elif fmt in ('docx', 'vni'):
            path = name + '.docx'
            render_docx(d, os.path.join(out, path))
        elif fmt == 'odt':
            path = name + '.odt'
            render_odt(d, os.path.join(out, path))
        else:
            inner = os.path.join(out, name + '-inner.pdf')
            render_pdf(dict(d, fmt='pdf'), inner)
            path = name + '.edxml'
            render_edxml(d, os.path.join(out, path), inner)
            os.unlink(inner)
        meta = {'file': path, 'format': fmt, 'facts': expected(d),
                'subject': d['opt'].get('subject'), 'signed': bool(d['opt'].get('signed'))}
        with open(os.path.join(out, name + '.json'), 'w') as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
        index.append(name)
    with open(os.path.join(out, 'index'), 'w') as f:
        f.write('\n'.join(index) + '\n')


if __name__ == '__main__':
    main()
