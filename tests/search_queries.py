"""Queries drawn from the record, each with the pages that must be found (and only those).

Used in Chromium through the real search page (test_search_browser.py) and checked against the
built pages' own text (test_search.py), so that a change of content shows here first.
"""

M244, M136 = "meetings/244/", "meetings/136/"
TAIO = "decisions/2023-05-31-taio-hoshin/"  # 対応方針 (決定), 第244回議題3
KAIZEN = "decisions/digital-agency-kaizen-jokyo/"  # デジタル庁の改善策の実施状況 (資料)
BANGO = "decisions/2017-12-08-bango-ho-hokoku/"  # 番号法第29条の3 の報告 (資料)
ALL = {M244, M136, TAIO, KAIZEN, BANGO}

# (query, expected pages, what it tests)
QUERIES = [
    # names and roles
    ("丹野", {M244, M136}, "name, 2 characters"),
    ("丹野委員長", {M244, M136}, "speaker label"),
    ("髙村委員", {M244}, "name with 髙"),
    ("高村委員", {M244}, "異体字: 高 finds 髙"),
    ("髙村", {M244}, "name alone"),
    ("小川委員", {M244}, "commissioner"),
    ("松元事務局長", {M244}, "secretariat in the attendance list"),
    ("森川総務課長", {M244}, "official's label"),
    # agencies
    ("デジタル庁", {M244, TAIO, KAIZEN}, "agency"),
    ("厚生労働省", {M244, TAIO}, "agency"),
    ("総務省", {M136}, "agency, 3 characters"),
    ("国税庁", {M244, TAIO}, "agency"),
    ("内閣総理大臣", {M244, M136}, "office"),
    ("横浜市", {TAIO}, "local government, only in a decision"),
    ("産業機械健康保険組合", {M136}, "long name in an agenda title"),
    ("富士通Japan", {M244, TAIO}, "printed 富士通 Japan, with a space"),
    ("富士通 Japan 株式会社", {M244, TAIO}, "several words, mixed scripts"),
    # systems and programmes
    ("公金受取口座", {M244, TAIO, KAIZEN}, "the issue's example"),
    ("マイナポイント", {M244, TAIO}, "katakana compound"),
    ("マイナンバーカード", {M244, TAIO}, "long katakana compound"),
    ("ハローワークシステム", {M244}, "katakana compound of two words"),
    ("情報提供ネットワークシステム", {M136}, "compound longer than any token"),
    ("情報提供等記録開示システム", {M136}, "compound in an agenda title"),
    ("コンビニ交付サービス", {M244, TAIO}, "mixed kana and kanji"),
    ("クラウドサービス", {M244, M136}, "katakana"),
    # legal and procedural terms
    ("個人情報保護委員会", ALL, "the issue's example: a compound Lindera splits"),
    ("特定個人情報保護評価", {M244, M136, KAIZEN}, "compound of compounds"),
    ("全項目評価書", {M244, M136, KAIZEN, BANGO}, "document type"),
    ("番号法", {M136, BANGO}, "short legal term"),
    ("独自利用事務", {M136}, "legal term"),
    ("第29条の3", {BANGO}, "article number, printed 第２９条の３ or 29"),
    ("報告徴収", {M244, TAIO}, "power of the Commission"),
    ("監視・監督", {M244}, "with a middle dot"),
    # phrases that start or end inside a word, or span compounds
    ("報保護委員", ALL, "starts and ends inside words"),
    ("御異議がないようですので", {M244}, "phrase of speech"),
    ("原案のとおり決定", {M244, M136}, "phrase across words"),
    ("住民票等の誤交付", {M244, TAIO}, "phrase"),
    ("デジタル社会の実現に向けた重点計画", {M244}, "long phrase"),
    ("紐付け誤り", {M244, TAIO}, "okurigana"),
    ("個人情報保護委員会議事録", {M244, M136}, "source title, printed with a space"),
    # width and variants
    ("議題1", {M244, M136}, "printed 議題１"),
    ("議題１", {M244, M136}, "full width as printed"),
    ("ID", {M244, M136}, "printed ＩＤ"),
    ("ＩＤ", {M244, M136}, "full width as printed"),
    ("id", {M244, M136}, "lower case"),
    ("資料1-1", {M244, M136}, "printed 資料１－１"),
    ("令和5年5月31日", {M244, TAIO}, "printed 令和５年５月 31 日"),
    ("14:40", {M244}, "time of the meeting"),
    # several words: all of them, anywhere on the page
    ("丹野 マイナポイント", {M244}, "two words"),
    ("デジタル庁　公金受取口座　改善策", {KAIZEN}, "full-width spaces"),
    ("全項目評価書 独自利用事務", {M136}, "two long words"),
    # nothing
    ("マイナポータル", set(), "not in this record (Pagefind issue #1237's example)"),
    ("存在しない語句", set(), "nowhere"),
    ("丹野 横浜市", set(), "both words, never on one page"),
    ("個人情報保護委員長", set(), "a compound of printed words that is not printed"),
    ("マイナンバーカード保険証", set(), "two printed words, never adjacent"),
]
