"""The checker's rules, in one table: a stable code, the message and its fix, and what the staff
guide says about it.

Every problem the checker (and the post-build fence, `site/csp.py`) reports is made here, by
`problem(code, path, line, **values)`, from a `Rule` of `RULES`. Adding a rule is one entry
below and one fixture, `tests/fixtures/rules/<code>/` (`tests/test_rules.py` checks both ways).
The staff guide's list of messages is made from this table when the site is built
(`site/guide.py`), so it cannot drift from what the checker prints.

A code is `G` and three digits; the first digit is the topic (`TOPICS`), the heading it stands
under in the guide. Codes are never reused: a rule that goes away leaves its code unused.
Templates use `str.format` with named fields; `{{` and `}}` are literal braces.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from .problems import Problem

TOPICS = {
    "1": "ファイルと front matter",
    "2": "議題と見出し",
    "3": "発言と本文",
    "4": "非公表の範囲",
    "5": "文書・名簿・committee.yml",
    "6": "docs/ のページとファイル",
    "7": "作ったサイトの検査",
}
_CODE = re.compile(r"^G([1-9])[0-9]{2}$")


@dataclass(frozen=True)
class Rule:
    """One rule: what `gijiroku check` prints when it is broken, and what the guide says of it."""

    code: str
    message: str  # template
    hint: str = ""  # template: how to fix it (printed after 対処:)
    guide: str = ""  # 意味と対処 in the staff guide, Markdown; empty: the hint
    warning: bool = False  # reported, never a failure

    @property
    def topic(self) -> str:
        return TOPICS[self.code[1]]

    @property
    def fields(self) -> frozenset[str]:
        """The names the templates need."""
        return frozenset(_fields(self.message) | _fields(self.hint))


def _fields(template: str) -> set[str]:
    names = set()
    for _text, name, _spec, _conversion in string.Formatter().parse(template):
        if name is not None:
            if not name.isidentifier():
                raise ValueError(f"{template!r}: only named fields ({{name}}) may stand in a rule")
            names.add(name)
    return names


_HTML_NOTE = "HTML は書けません。非公表の範囲は `<!-- 非公表 -->` と `<!-- /非公表 -->` の行で囲みます。不等号は全角の「＜」にします"
_SIZE_NOTE = ("一つの会議・文書を一つのファイルにし、貼り付けの重複や別の資料が紛れていないか見ます"
              "（`committee.yml` の上限は 64 KB）")
_CHAR_NOTE = "PDF やワープロからの写しで紛れ込んだ文字です。その文字を消すか、行を書き直します"
_YAML_NOTE = "値はそれぞれの場所にそのまま書きます。`*` や `!` で始まる文字列は `\"…\"` で囲みます"
_KEY_NOTE = "項目の名前は `date:` `title:` のような英字の名前にします"
_SHAPE_NOTE = "front matter を README の表の形に戻し、途中に `---` や `...` の行を置きません"
_LISTING_NOTE = ("`minutes/` には `<回次>.md`、`decisions/` には `<id>.md` だけを置きます"
                 "（ほかのファイルは公開されないので、置かないでください）")
_TYPE_NOTE = "日付は `2023-05-31`（和暦は使えません）、時刻は `\"14:40\"`、id は英小文字・数字・ハイフンで書きます"
_MARKER_NOTE = ("その行を `<!-- 非公表 -->`（または `<!-- /非公表 -->`）だけにします（半角、前後に空白なし）。"
                "全角の括弧や文字参照（&amp;lt; など）で書いたもの、非公開・非開示などの書き違いもこの誤りです。"
                "直すまでは、書き損じも範囲として扱い公開しません")
_UNKNOWN_KEY_NOTE = "綴りの誤りです。「…の誤りではありませんか」の候補を確かめます"
_FENCE_NOTE = ("作ったページにスクリプトとして動きうるものがあるため、サイトを公開しません（出力は消去します）。"
               "原稿（`docs/` の手書きのページを含む）に HTML のタグや属性、`javascript:` などの URL を書いていないか確かめます")
_SIZE_HINT = "一つの会議・文書を一つのファイルにしているか確かめ、貼り付けの重複や別の資料が紛れていないか見てください。"
_CHAR_HINT = "この文字を消してください（PDF やワープロからの写しで紛れ込みます）。エディタで見えないときは、その行を書き直してください。"
_ORPHAN = "どの発言にも属さない本文があります: {text}"
_ORPHAN_NOTE = ("`○表記 発言` で発言を始めるか、ト書きなら （ ） で囲んで一行にします。"
                "`gijiroku new` の雛形の行なら、記録の本文に置き換えます")
_MARKER_HINT = "この行を「{marker}」だけにしてください（半角、前後に空白なし）。"
_NOT_A_VALUE = "{what}の「{key}」の値 {value!r} は{kind}ではありません。"
_PAGE_KEYS = "使えるのは title（ページ名）、description（説明）、hide（{parts} の一覧）だけです。"

_TABLE = (
    # -- 1 ファイルと front matter --------------------------------------------------------------
    Rule("G101", "ファイルが UTF-8 ではありません。", "エディタで文字コードを UTF-8（BOM なし）にして保存し直してください。",
         "エディタで文字コードを UTF-8（BOM なし）にして保存し直します"),
    Rule("G102", "ファイルの先頭に BOM（U+FEFF）があります。", "エディタで「UTF-8（BOM なし）」を選んで保存し直してください。",
         "「UTF-8（BOM なし）」で保存し直します"),
    Rule("G103", "改行コードに CR（Windows の CRLF など）が含まれています。",
         "改行コードを LF にして保存し直してください（git config core.autocrlf input）。",
         "改行コードを LF にして保存し直します（`git config core.autocrlf input`）"),
    Rule("G104", "ファイルが front matter（--- で囲んだ YAML）で始まっていません。",
         "1 行目を --- にし、YAML の項目を書いた後を --- の行で閉じてください。",
         "1 行目を `---` にし、項目の後を `---` だけの行で閉じます"),
    Rule("G105", "front matter が --- の行で閉じられていません。", "YAML の項目の後に --- だけの行を置いてください。",
         "1 行目を `---` にし、項目の後を `---` だけの行で閉じます"),
    Rule("G106", "front matter の YAML を読めません（{what}）。",
         "インデントは半角スペースで揃え、「:」の後に半角スペースを入れ、「:」や「#」を含む値は \"…\" で囲んでください。",
         "インデントを半角スペースで揃え、`:` の後に半角スペースを入れ、`:` や `#` を含む値は `\"…\"` で囲みます"),
    Rule("G107", "項目「{key}」が二度書かれています。", "同じ項目は一度だけ書いてください。", "同じ項目は一度だけ書きます"),
    Rule("G108", "日付「{value}」は存在しない日付です（{error}）。", "YYYY-MM-DD 形式で、実在する日付を書いてください。",
         "実在する日付を `YYYY-MM-DD` で書きます"),
    Rule("G109", "{what}に未知の項目「{name}」があります。", "「{close}」の誤りではありませんか。", _UNKNOWN_KEY_NOTE),
    Rule("G110", "{what}に未知の項目「{name}」があります。", "使える項目: {known}。",
         "使える項目の一覧が表示されます。綴りを確かめ、不要な項目は消します"),
    Rule("G111", "{what}に必須の項目「{key}」がありません。", "「{key}: …」を加えてください（{doc}）。", "表示された項目と値を書きます"),
    Rule("G112", "{what}の「{key}」が空です。", "値を書いてください（{doc}）。", "表示された項目と値を書きます"),
    Rule("G113", _NOT_A_VALUE, "{kind}で書いてください（{doc}）。", _TYPE_NOTE),
    Rule("G114", _NOT_A_VALUE, "YYYY-MM-DD（例 2023-05-31）で書いてください。和暦や「5月31日」は使えません。記録にないときは null。",
         _TYPE_NOTE),
    Rule("G115", _NOT_A_VALUE, "時刻を含めず YYYY-MM-DD だけを書いてください。", _TYPE_NOTE),
    Rule("G116", _NOT_A_VALUE, "時刻は \"14:40\" のように引用符で囲んでください。", _TYPE_NOTE),
    Rule("G117", _NOT_A_VALUE, "https:// で始まる公式の URL を書いてください（http:// も可）。javascript: や data: などは"
         "使えません。URL が分からないときは null。",
         "リンクと `url` は `https://`（または `http://`）で始まる公式の URL か、サイト内の相対パスにします"),
    Rule("G118", _NOT_A_VALUE, "id は英小文字・数字・ハイフンだけで書き、docs/ のファイル名と合わせてください（例 digital-agency）。",
         _TYPE_NOTE),
    Rule("G119", "{what}の「{key}」の値 {value} は {low} から {high} までの整数ではありません。",
         "{low} から {high} までの整数で書いてください（{doc}）。", "回次は 1〜9999、議題番号は 1〜999 の整数で書きます"),
    Rule("G120", "{what}は「項目: 値」の集まりでなければなりません。", "各項目を「名前: 値」の形で書いてください。",
         "`名前: 値` の行を並べます（リストや文字列ではなく）"),
    Rule("G121", "front matter は「項目: 値」の並びでなければなりません。", "number: 244 のように書いてください。",
         "`number: 244` のように、`名前: 値` の行を並べます"),
    Rule("G122", "ファイルが大きすぎます（{size:,} バイト。上限は {limit}）。", _SIZE_HINT, _SIZE_NOTE),
    Rule("G123", "ファイルが大きすぎます（上限は {limit}）。", "一つの会議・文書を一つのファイルにしてください。",
         "読んでいる間にファイルが上限を超えました。" + _SIZE_NOTE),
    Rule("G124", "通常のファイルではありません（フォルダや特殊ファイル）。", "原稿は通常のテキストファイルにしてください。",
         "その名前のフォルダや特殊ファイルを、通常のテキストファイルにするか取り除きます"),
    Rule("G125", "見えない制御文字 {char}が含まれています。", _CHAR_HINT, _CHAR_NOTE),
    Rule("G126", "文字の向きを変える見えない制御文字 {char}が含まれています。", _CHAR_HINT, _CHAR_NOTE),
    Rule("G127", "この行から後にも見えない制御文字があります。", "テキストでないもの（バイナリ）を貼り付けていないか確かめてください。",
         "一つのファイルで 20 行を超えました。テキストでないもの（バイナリ）が紛れていないか確かめます"),
    Rule("G128", "YAML の別名「*{name}」は使えません。",
         "参照先の値をこの場所にそのまま書いてください。「*」で始まる文字列なら \"*…\" と引用符で囲んでください。", _YAML_NOTE),
    Rule("G129", "YAML のアンカー「&{name}」は使えません。",
         "「&名前」を消し、同じ値が要る場所にはそれぞれ値をそのまま書いてください。", _YAML_NOTE),
    Rule("G130", "YAML のタグ「{tag}」は使えません。",
         "タグ（! で始まる語）を消してください。文字列として読ませたい値は \"…\" と引用符で囲んでください。", _YAML_NOTE),
    Rule("G131", "front matter に YAML の文書区切り（--- または ...）があります。",
         "front matter は 1 行目の --- から次の --- の行までに書き、途中に --- や ... の行を置かないでください。", _SHAPE_NOTE),
    Rule("G132", "front matter の入れ子が深すぎます（{depth} 段を超えています）。",
         "項目とリストの入れ子を、README の front matter の表にある形に戻してください。", _SHAPE_NOTE),
    Rule("G133", "項目の名前にリストや項目の集まり（「?」で始まる複合キーなど）は使えません。",
         "項目の名前は「date:」「title:」のような文字列だけにしてください。", _KEY_NOTE),
    Rule("G134", "YAML のマージキー「<<」は使えません。", "取り込むつもりの項目を、この場所にそのまま書いてください。", _YAML_NOTE),
    Rule("G135", "項目の名前「{key}」は文字列ではなく{kind}と読まれます。",
         "項目の名前は README の front matter の表にある英字の名前にしてください。", _KEY_NOTE),
    Rule("G136", "値「{value}…」を読めません（桁が多すぎます）。", "記録にある値を書いてください。",
         "数千桁の数のように、読めない値です。記録にある値を書きます"),
    Rule("G137", "number {number} がファイル名「{stem}.md」と違います。", "ファイル名を {number}.md にするか、number を直してください。",
         "ファイル名を `<回次>.md` にするか、`number` を直します"),
    Rule("G138", "会議のファイル名「{name}」が回次の数字ではありません。", "minutes/244.md のように、回次だけをファイル名にしてください。",
         "ファイル名を `<回次>.md` にするか、`number` を直します"),
    Rule("G139", "第{number}回が {other} と重複しています。", "一つの会議は一つのファイルにまとめてください。",
         "一つの会議は一つのファイルにまとめます"),
    Rule("G140", "{folder}/ にシンボリックリンク「{name}」があります。",
         "{noun}のファイルはリンクでなく通常のファイルとして置いてください。", _LISTING_NOTE),
    Rule("G141", "{folder}/ の中にフォルダ「{name}」があります。フォルダの中のファイルは読まれず、公開されません。",
         "{noun}のファイルは {folder}/ の直下に置いてください（例 {example}）。", _LISTING_NOTE),
    Rule("G142", "{folder}/ に{noun}のファイルでないもの「{name}」があります。{folder}/ の .md 以外のファイルは読まれず、公開されません。",
         "{noun}の記録なら {example} のような名前の .md にし、そうでなければ {folder}/ の外に移してください。", _LISTING_NOTE),
    Rule("G143", "隠しファイル「{name}」は{noun}として読まれず、公開されません。",
         "名前の先頭の「.」を外してください（例 {example}）。", _LISTING_NOTE),
    Rule("G144", "文書のファイル名「{name}」は使えません（決定・資料の一覧ページの名前です）。",
         "ファイル名を文書の id にしてください（例 {example}）。", _LISTING_NOTE),
    Rule("G145", "front matter の値（{name}）に非公表マーカーがあります。",
         "front matter の値はそのまま公開され、マーカーは効きません。公表しない文は本文に書き、"
         "<!-- 非公表 --> と <!-- /非公表 --> の行で囲んでください。",
         "front matter の値はそのまま公開され、マーカーは効きません。公表しない文は本文に書き、マーカーで囲みます"),
    Rule("G146", "front matter の値に非公表マーカーがあります。",
         "front matter の値はそのまま公開され、マーカーは効きません。公表しない文は本文に書き、"
         "<!-- 非公表 --> と <!-- /非公表 --> の行で囲んでください。",
         "（`docs/` のページの `キー: 値` の形の front matter）front matter の値はそのまま公開され、マーカーは効きません。"
         "公表しない文は本文に書き、マーカーで囲みます"),
    Rule("G147", "環境変数 SOURCE_DATE_EPOCH の値「{value}」は使えません。",
         "1970-01-01 00:00 UTC からの秒数を、0 以上の整数（9999 年まで）で書いてください"
         "（例 SOURCE_DATE_EPOCH=$(date -d 2030-01-01 +%s)）。"
         "今日の日付で作るときは SOURCE_DATE_EPOCH を設定しないでください（unset SOURCE_DATE_EPOCH）。",
         "（CI や手元で日付を指定したとき）0 以上の整数の秒数にするか、設定を外します"),
    Rule("G148", "会議の日付 {date} がビルドの日（{today}）より後です。",
         "記録に書かれた開催日を確かめてください（年や月の打ち間違いがないか）。",
         "警告です。まだ来ていない日の会議になっています。記録の開催日を確かめて `date` を直します", warning=True),
    Rule("G149", "会議の日付 {date} は委員会の発足（{earliest}）より前です。",
         "記録に書かれた開催日を確かめてください（和暦から直すときの年の誤りがないか）。",
         "警告です。個人情報保護委員会の発足は 2016-01-01、前身の特定個人情報保護委員会の発足は 2014-01-01 なので、"
         "2014-01-01 より前の開催日はありえない日付として確かめます。記録の開催日を確かめて `date` を直します",
         warning=True),
    Rule("G150", "front matter にタブ文字があります。YAML の字下げや区切りにタブは使えません。",
         "タブを半角スペースに置き換えてください（字下げは半角スペース 2 つずつ。エディタの「タブをスペースに変換」でも直せます）。",
         "タブを半角スペースに置き換えます（字下げは半角スペース 2 つずつ）"),
    Rule("G151", "「{quote}」で始まる値の引用符が閉じられていません。",
         "値の終わりにも「{quote}」を置いてください。値の中で引用符を使うときは、全角の「”」「’」にしてください。",
         "値の終わりにも同じ引用符を置きます。値の中の引用符は全角（「”」「’」）にします"),
    Rule("G152", "「{text}」の「:」の後に半角スペースがありません。",
         "「{key}: {value}」のように、「:」の後に半角スペースを一つ入れてください。",
         "`date: 2023-05-31` のように、項目名の `:` の後に半角スペースを一つ入れます"),
    Rule("G153", "値「{value}」に「: 」（コロンと空白）が含まれています。YAML では、そこで項目の名前と値が区切られてしまいます。",
         "値を \"…\" で囲んでください（{key}: {quoted}）。",
         "`: ` や ` #` を含む値は、値全体を `\"…\"` で囲みます"),
    Rule("G154", "字下げ（行頭の半角スペースの数）がずれています。",
         "同じ階層の項目は同じ数の半角スペースで始めてください。議題の「- 」の後の項目は、最初の項目（number）とそろえます。",
         "同じ階層の項目を同じ数の半角スペースで始めます。`- ` の後の項目は、その最初の項目とそろえます"),
    Rule("G155", "「{bracket}」で始まる一覧が「{close}」で閉じられていません。",
         "一覧の終わりに {close} を置いてください（例 [丹野委員長, 小川委員]）。一覧の中の値に「,」「:」「#」があれば \"…\" で囲んでください。",
         "`[丹野委員長, 小川委員]` のように、一覧を同じ行で閉じます"),
    Rule("G156", "閉じかっこ「{bracket}」に対応する開きかっこがありません。", "余分な {bracket} を消してください。",
         "余分な閉じかっこを消します"),
    Rule("G157", "引用符で閉じた値の後に「{rest}」が続いています。",
         "値全体を一組の引用符で囲んでください。値の中の引用符は全角の「”」「’」にしてください。",
         "値全体を一組の引用符で囲みます。値の中の引用符は全角にします"),
    Rule("G158", "項目の名前「{key}」の後の「：」が全角です。", "半角の「:」と半角スペースにしてください（{key}: 値）。",
         "項目名の後の `：` を半角の `:` にし、その後に半角スペースを入れます"),
    Rule("G159", "front matter の字下げか「:」の後に全角スペースがあります。",
         "全角スペースを半角スペースにしてください（字下げは半角スペース 2 つずつ）。",
         "字下げと `:` の後の空白は半角スペースにします（値の中の全角スペースはそのままで構いません）"),
    Rule("G160", "値を「{char}」で始めることはできません（YAML の予約文字です）。", "値全体を \"…\" で囲んでください。",
         "`@` `` ` `` `%` で始まる値は、値全体を `\"…\"` で囲みます"),
    Rule("G161", "\"…\" で囲んだ値の中の「\\」の後に「{char}」があります（「\\」は特別な書き方の始まりと読まれます）。",
         "「\\」を文字として書くときは「\\\\」と二つ重ねるか、値を '…'（半角の一重引用符）で囲んでください。",
         "`\"…\"` の中の `\\` は二つ重ねるか、値を `'…'` で囲みます"),
    Rule("G170", "record の値「{value}」は使えません。",
         "議事録・議事概要・議事要旨 のいずれかにしてください（議事録なら record の行は省けます）。",
         "`record:` は記録の種類です。発言の記録なら `議事録`（書かなくてもかまいません）、"
         "公表された概要なら `議事概要` または `議事要旨` と、記録の表題のとおりに書きます"),
    Rule("G180", "sources/ の「{name}」は出典として読まれません。",
         "sources/ には会議の出典 <回次>.txt（例 sources/245.txt）と文書の出典 decisions/<id>.txt だけを置いてください。",
         "`sources/` には会議の出典 `<回次>.txt` と、文書の出典 `decisions/<id>.txt` だけを置きます"
         "（フォルダやシンボリックリンク、ほかの拡張子は読まれません）"),
    Rule("G181", "出典 {name} に当たる{noun} {target} がありません。",
         "ファイル名を{noun}の{key}に合わせるか、不要ならこの出典を消してください。",
         "出典のファイル名は会議の回次（`sources/245.txt` ↔ `minutes/245.md`）か文書の id"
         "（`sources/decisions/<id>.txt` ↔ `decisions/<id>.md`）と同じにします"),
    Rule("G182", "第{number}回の出典 sources/{number}.txt がありません（ほかの会議には出典があります）。",
         "議事録の PDF（またはそのテキスト）を gijiroku import で取り込むと、出典が sources/ に書かれます。"
         "手で作った会議なら、元にした公式のテキストを sources/{number}.txt に置いてください。",
         "警告です。`gijiroku check` は本文を出典と照合できません。元にした公式のテキストを `sources/<回次>.txt` に置きます",
         warning=True),
    Rule("G183", "部首の文字 {chars}が含まれています。",
         "{fix} のように、漢字に書き直してください（PDF から写すと、同じ形の部首の文字になることがあります）。",
         "PDF から写した文字が、見た目の同じ部首の文字（⽇ U+2F47、⻑ U+2ED1 など）になっています。"
         "名前が名簿と合わず、検索にもかかりません。表示された漢字に書き直します（`gijiroku import` は自動で直します）"),
    Rule("G184", "部首の文字 {chars}が含まれています。", "記録の PDF で使われている漢字に書き直してください。",
         "対応する漢字が一つに決まらない部首の文字です。記録の PDF を見て、漢字に書き直します"),
    Rule("G185", "この行から後にも部首の文字があります。",
         "PDF からの写しなら、gijiroku import で取り込み直すと漢字に直ります。",
         "一つのファイルで 20 行を超えました。`gijiroku import` で取り込み直すと、部首の文字は漢字に直ります"),
    # -- 2 議題と見出し ------------------------------------------------------------------------
    Rule("G201", "議題が一つもありません。", "agenda: に議題を並べてください。", "`agenda:` に議題を並べます"),
    Rule("G202", "議題の番号が {number} ですが、{position} 番目の議題です。", "議題は 1 から順に、飛ばさず重ねずに番号を振ってください。",
         "議題は 1 から順に、飛ばさず番号を振ります"),
    Rule("G203", "議題{n}の見出し「## 議題{n} {title}」が本文にありません。", "その議題の発言の前に見出しを置いてください。",
         "その議題の最初の発言の前に見出しを置きます"),
    Rule("G204", "見出しの議題名が front matter と違います: 「{heading}」と「{title}」。", "記録の印刷どおりの議題名に揃えてください。",
         "記録の印刷どおりの議題名に揃えます"),
    Rule("G205", "見出しの議題{n}が front matter の agenda にありません。",
         "agenda に number: {n} の議題を加えるか、見出しの番号を直してください。", "`agenda` に議題を加えるか、見出しの番号を直します"),
    Rule("G206", "議題{n}の見出しが二つあります。", "議題ごとに見出しは一つにしてください。", "見出しは議題ごとに一つ、番号の順に置きます"),
    Rule("G207", "議題{n}の見出しが順番どおりではありません（次は議題{expected}のはずです）。", "見出しを議題番号の順に並べてください。",
         "見出しは議題ごとに一つ、番号の順に置きます"),
    Rule("G208", "見出し「{text}」の形が違います。",
         "議題の見出しは「## 議題1 議題名」（半角 ## と半角数字）、閉会は「## 閉会」と書いてください。",
         "`## 議題1 議題名`（半角 `##` と半角数字）、`## 閉会` と書きます"),
    Rule("G209", "「## 閉会」の後に議題{n}の見出しがあります。", "「## 閉会」は最後の議題の後に置いてください。",
         "`## 閉会` は最後の議題の後、`## 開会` は本文の先頭に置きます"),
    Rule("G210", "「## 開会」は本文の最初にだけ置けます。", "この見出しを本文の先頭に移してください。",
         "`## 閉会` は最後の議題の後、`## 開会` は本文の先頭に置きます"),
    Rule("G211", "disclosure の値「{value}」は使えません。", "{suggestion}",
         "公開・非公表・後日公表 のいずれかを書きます（候補が表示されます）"),
    Rule("G212", "後日公表の{noun}に publish_after（公表日）がありません。",
         "publish_after: YYYY-MM-DD を加えてください。公表日が決まるまでは 非公表 にしてください。",
         "後日公表には公表日を書き、それ以外では `publish_after` を消すか `null` にします（議題と文書で同じです）"),
    Rule("G213", "publish_after は後日公表の{noun}にだけ書けます。", "disclosure を 後日公表 にするか、publish_after を消してください。",
         "後日公表には公表日を書き、それ以外では `publish_after` を消すか `null` にします（議題と文書で同じです）"),
    Rule("G214", "議題{n}は非公表ですが、その節に（内容について非公表）も非公表の範囲もありません。",
         "非公表の内容は <!-- 非公表 --> と <!-- /非公表 --> で囲むか、記録どおり（内容について非公表）の一行を置いてください。",
         "記録どおり `（内容について非公表）` の行を置くか、本文を非公表の範囲で囲みます"),
    Rule("G215", "議題の種類「{kind}」は committee.yml の agenda_kinds にありません。", "次のいずれかにしてください: {kinds}。",
         "表示された種類のいずれかにします"),
    Rule("G216", "機関 id「{agency}」は docs/agencies/ にありません。", "docs/agencies/{agency}.md を作るか、既存の id を使ってください。",
         "機関のファイルを作るか、既存の id を使います"),
    Rule("G217", "議題{n}の decisions にある「{ref}」が decisions/ にありません。", "decisions/{ref}.md を加えるか、id を直してください。",
         "文書の `meeting`・`agenda` と議題の `decisions` を一致させます"),
    Rule("G218", "議題{n}は文書「{ref}」を挙げていますが、その文書は第{meeting}回の議題{agenda}を指しています。",
         "{path} の meeting・agenda と、この議題の decisions を一致させてください。",
         "文書の `meeting`・`agenda` と議題の `decisions` を一致させます"),
    Rule("G219", "subjects は文字列のリストでなければなりません。", "案件名を並べてください。",
         "`subjects: [案件名, …]` の形で案件名を並べます"),
    Rule("G220", "議題{n}の公表日（publish_after: {after}）が会議の日（{date}）以前です。次のビルドで議題{n}の本文と発言が公開されます。",
         "後日公表の日は会議より後の日です。記録の公表日を確かめて publish_after を直してください。"
         "すぐ公開してよいなら disclosure: 公開 にし、publish_after を消してください。",
         "警告です。後日公表の日が会議の日以前なので、次のビルドでそのまま公開されます。公表日を確かめて直すか、"
         "公開してよいなら `disclosure: 公開` にします", warning=True),
    Rule("G221", "{what}の公表日（publish_after: {after}）は過ぎています（ビルドの日は {today}）。次のビルドで公開されます。",
         "公開してよいなら disclosure: 公開 にし、publish_after を消してください。"
         "まだ公開しないなら、公表日を直すか disclosure: 非公表 にしてください。",
         "警告です。公表日を過ぎた後日公表は、次のビルドで公開されます。そのままでよければ `disclosure: 公開` にし、"
         "まだなら公表日を直すか `非公表` にします", warning=True),
    # -- 3 発言と本文 --------------------------------------------------------------------------
    Rule("G301", "発言者・出席者の表記を名簿で確認できません: {reason}。",
         "記録の表記と照らし、委員なら docs/commissioners/ に登録（姓と役職・在任期間）し、"
         "事務局の役職なら committee.yml の secretariat_titles に加えてください。",
         "表記を記録と照らし、委員なら名簿に登録（姓と役職・在任期間）、事務局の役職なら `committee.yml` の "
         "`secretariat_titles` に加えます。「…に当たる人が複数います」のときは在任期間を確かめます"),
    Rule("G302", "「{label}」は{group}の表記ではありません。", "委員は commissioners に、事務局の職員は secretariat に入れてください。",
         "委員は `commissioners` に、事務局の職員は `secretariat` に入れます"),
    Rule("G303", "発言者「{label}」が出席者（attendees.commissioners）にいません。", "出席者の一覧に加えるか、発言者の表記を確かめてください。",
         "出席者の一覧に加えるか、発言の表記を確かめます"),
    Rule("G304", "出席者に未知の区分「{key}」があります。", "commissioners（委員）と secretariat（事務局）のどちらかに入れてください。",
         "`attendees` には `commissioners` と `secretariat` だけを、`[井上委員長, 青木委員]` の形で書きます"),
    Rule("G305", "出席者の {key} は表記のリストでなければなりません。", "[丹野委員長, 小川委員] のように、記録の表記のまま並べてください。",
         "`attendees` には `commissioners` と `secretariat` だけを、`[井上委員長, 青木委員]` の形で書きます"),
    Rule("G306", _ORPHAN, "「○表記 発言」で発言を始めるか、ト書きなら（ ）で囲んで一行にしてください。", _ORPHAN_NOTE),
    Rule("G307", _ORPHAN, "非公表の範囲に発言の始まり（○）が含まれていたため、その後の段落はどの発言にも属しません。"
         "「○表記 」で発言を始めてください。",
         "範囲の中で発言が始まったときは、範囲の後の段落を `○表記 ` で新しい発言として始めます"),
    Rule("G308", "発言者の表記の後に発言がありません。", "「○丹野委員長 それでは、…」のように、表記・空白・発言を同じ行に書いてください。",
         "`○井上委員長 それでは、…` のように表記・空白・発言を同じ行に書きます"),
    Rule("G309", "発言の印が「{mark}」です。", "発言の始まりは「○」（U+25CB 白丸）にしてください。",
         "発言の始まりは `○`（U+25CB 白丸）にします。漢数字のゼロ（〇）や ◯ ではありません"),
    Rule("G310", "本文に HTML（「{tag}…」）は書けません。",
         "見出し・箇条書き・表などの Markdown で書いてください。記号の「<」を文字として書くときは全角の「＜」にしてください。",
         _HTML_NOTE),
    Rule("G311", "本文に属性リスト（{{: … }} や {{ #id }} など）は書けません。", "{{ … }} の部分を消してください。",
         "`{ … }` の部分を消します"),
    Rule("G312", "本文に画像（![…](…)）は載せられません。",
         "画像を読み込むと閲覧者の情報が外部に送られるおそれがあります。画像の代わりに内容を文章で書くか、"
         "公式の資料へのリンク [資料名](https://…) にしてください。",
         "公式の資料へのリンク `[資料名](https://…)` にします（外部の画像は読者の情報を他のサイトに渡します）"),
    Rule("G313", "リンク先に{why} は使えません。", "https:// で始まる公式の URL（http:// も可）か、サイト内の相対パスにしてください。",
         "リンクと `url` は `https://`（または `http://`）で始まる公式の URL か、サイト内の相対パスにします"),
    Rule("G314", "本文に HTML が含まれています: {text}",
         "HTML は書けません。非公表の範囲は <!-- 非公表 --> と <!-- /非公表 --> の行で囲んでください。", _HTML_NOTE),
    Rule("G315", "発言者・出席者の表記を名簿で確認できません: {reason}。",
         "{close}の誤りではありませんか。別の人なら、委員は docs/commissioners/ に登録し、"
         "事務局の役職は committee.yml の secretariat_titles に加えてください。",
         "名簿と出席者の中で最も近い表記が示されます。記録と照らして直します"),
    Rule("G316", "「{label}」の{name}は{when}{title}ではありません（名簿の在任期間: {terms}）。",
         "会議の日付と記録の表記を確かめてください。名簿の在任期間が誤っていれば {path} の roles を直してください。",
         "名簿にいる委員ですが、会議の日にその役職にありません。会議の `date`、表記（委員長・委員）、名簿の `roles` の"
         "在任期間のどれが誤りかを確かめます"),
    Rule("G317", "発言者「{label}」が出席者（attendees.{key}）にいません。",
         "出席者の{close}の誤りではありませんか。別の人なら、出席者の一覧に加えてください。",
         "出席者の中で最も近い表記が示されます。記録と照らして発言の表記か出席者の一覧を直します"),
    Rule("G318", "発言者「{label}」が出席者（attendees.secretariat）にいません。",
         "出席者の一覧に加えるか、発言者の表記を確かめてください。",
         "出席者を記録した会議で、事務局の発言者が出席者の一覧にありません。一覧に加えるか、発言の表記を確かめます"),
    Rule("G330", "ト書き「{text}」の括弧が半角です。", "記録のとおり全角の括弧で「{fixed}」と書いてください。",
         "ト書き（拍手・退室など）は全角の括弧で `（拍手）` のように一行に書きます。半角の ( ) では本文の段落と読まれます"),
    Rule("G340", "{record}（record: {record}）の本文に発言「○{label}」があります。",
         "議事録が公表されて発言を載せるなら record を 議事録 にする（record の行を消す）か、"
         "発言でなければ行頭の ○ を消してください。",
         "議事概要・議事要旨の本文は議題ごとの段落だけです。議事録が公表されたら、同じファイルを議事録に"
         "置き換え、`record:` の行を消します（ページの URL は変わりません）"),
    Rule("G341", "本文に発言（○）が一つもなく、段落だけがあります。",
         "議事概要・議事要旨なら front matter に record: 議事概要（または 議事要旨）と書いてください。"
         "議事録なら、各発言を「○表記 発言」で始めてください。",
         "発言のない記録は議事概要か議事要旨です。front matter に `record: 議事概要`（または `議事要旨`）と書きます。"
         "議事録なら各発言を `○表記 発言` で始めます"),
    Rule("G350", "本文が出典 {source} と違います。記録「{ours}」、出典 {where}「{theirs}」。",
         "記録の PDF のとおりに直してください（改行と空行の違いは問いません）。PDF に印刷されていない文なら、"
         "公表してよい文か確かめ、公表しない文は非公表の範囲で囲んでください。出典のほうが誤りなら、出典を PDF から取り込み直してください。",
         "公開する発言と段落は、出典 `sources/<回次>.txt`（議事録の PDF のテキスト）のとおりでなければなりません。"
         "最初に違う箇所を、本文と出典の行で示します。本文を PDF のとおりに直します。"
         "公表された PDF にない文は、公表してはならない文かもしれません。確かめて、公表しない文は非公表の範囲で囲みます"),
    # -- 4 非公表の範囲 ------------------------------------------------------------------------
    Rule("G401", "<!-- 非公表 --> で始まる非公表の範囲が閉じられていません。",
         "非公表にする文の後に <!-- /非公表 --> だけの行を置いてください。", "非公表にする文の後に `<!-- /非公表 -->` だけの行を置きます"),
    Rule("G402", "対応する <!-- 非公表 --> のない <!-- /非公表 --> があります。",
         "非公表にする範囲の前に <!-- 非公表 --> を置くか、この行を消してください。",
         "範囲の前に `<!-- 非公表 -->` を置くか、この行を消します"),
    Rule("G403", "非公表の範囲が入れ子になっています（{line} 行目で開いた範囲が閉じていません）。",
         "{line} 行目の範囲を <!-- /非公表 --> で閉じてから、次の範囲を開いてください。", "先の範囲を閉じてから次の範囲を開きます"),
    Rule("G404", "非公表マーカーの書き方が違います: {text}", _MARKER_HINT, _MARKER_NOTE),
    Rule("G405", "非公表マーカーの前後に空白があります。", _MARKER_HINT, _MARKER_NOTE),
    Rule("G406", "非公表マーカーが本文と同じ行にあります。",
         "マーカーは行の中では効きません。「<!-- 非公表 -->」と「<!-- /非公表 -->」をそれぞれ一行だけで書き、"
         "公表しない文をその間の行に置いてください。直すまでは、この行全体を非公表として扱います。",
         "マーカーは行の中では効きません。二つのマーカーをそれぞれ一行だけで書き、公表しない文をその間の行に置きます"
         "（この行は直すまで全体を非公表として扱います）"),
    Rule("G407", "本文に HTML のコメントがあります: {text}",
         "コメントはページの HTML にそのまま公開されます。公表しない文は <!-- 非公表 --> と <!-- /非公表 --> の行で囲んでください。",
         "委員・機関の紹介文や手書きのページでも、HTML のコメントは公開されます。公表しない文は非公表の範囲で囲みます"),
    Rule("G408", "{why}の文「{text}」は {length} 文字しかなく、漏えい検証で照合できません（{shortest} 文字未満）。",
         "公表されることはありませんが、漏えいしても検証では見つかりません。範囲を前後の文と一つの段落にまとめるか、"
         "サイトに出ていないことを目で確かめてください。",
         "警告です。誤りではありません（サイトは作られ、その文は公開されません）。ただ漏えい検証では見つけられないので、"
         "範囲を前後の文とまとめるか、サイトに出ていないことを目で確かめます", warning=True),
    Rule("G409", "非公表マーカーがコードブロック（```）の中にあります。",
         "マーカーはコードブロックの外に置いてください。コードブロックの中では効きません。",
         "文書の本文で、マーカーをコードブロックの外に出します"),
    Rule("G410", "見出しが非公表の範囲の中にあります。", "見出しは非公表の範囲の外に置き、範囲は見出しの後から始めてください。",
         "見出しを範囲の外に置き、範囲は見出しの後から始めます"),
    Rule("G411", "公開リポジトリに非公表の本文があります（{lines}）。",
         "非公表の範囲には本文を置かず、（内容について非公表）の一行だけにしてください。"
         "本文を残す必要があるなら、リポジトリを非公開にしてください。",
         "（`--public-source` のとき）範囲の中を `（内容について非公表）` の一行だけにするか、リポジトリを非公開にします"),
    Rule("G412", "<!-- 非公表 --> で始まる非公表の範囲が閉じられていないため、{heading} 行目の見出しから後もすべて範囲に入っています。",
         "非公表にする文の後、{heading} 行目の見出しより前に <!-- /非公表 --> だけの行を置いてください。",
         "範囲を閉じ忘れると、後の見出しと発言もすべて非公表になります（見出しについての誤りはこの一件にまとめます）。"
         "非公表にする文の後に `<!-- /非公表 -->` だけの行を置きます"),
    # -- 5 文書・名簿・committee.yml ------------------------------------------------------------
    Rule("G501", "ファイル名「{name}」は id に使えません。",
         "ファイル名を英小文字・数字・ハイフンにしてください（例 2023-05-31-taio-hoshin.md）。",
         "文書のファイル名を英小文字・数字・ハイフンにします（例 `2023-04-05-example.md`）"),
    Rule("G502", "文書の種類「{kind}」は使えません。", "次のいずれかにしてください: {kinds}。", "表示された種類のいずれかにします"),
    Rule("G503", "agenda（議題番号）がありますが meeting（回次）がありません。", "meeting: に回次を書いてください。",
         "`meeting:` に回次を書きます"),
    Rule("G504", "文書の meeting: {meeting} の会議が minutes/ にありません。",
         "minutes/{meeting}.md を加えるか、meeting を直してください（不明なら null）。",
         "会議のファイルを加えるか、`meeting`・`agenda` を直します（記録に書かれていないときは `null`）"),
    Rule("G505", "第{meeting}回に議題{agenda}がありません。", "agenda の番号を確かめてください。",
         "会議のファイルを加えるか、`meeting`・`agenda` を直します（記録に書かれていないときは `null`）"),
    Rule("G506", "id「{id}」がファイル名「{stem}」と違います。", "id を {stem} にするか、ファイル名を id に合わせてください。",
         "名簿の `id` とファイル名を揃えます"),
    Rule("G507", "役職の from が to より後です。", "日付を確かめてください。", "在任期間の日付を確かめます"),
    Rule("G508", "機関の種類「{kind}」は committee.yml の agency_kinds にありません。", "次のいずれかにしてください: {kinds}。",
         "表示された種類のいずれかにします"),
    Rule("G509", "名前「{name}」が {first} と {second} の両方にあります。", "どちらか一方の name・aliases から外してください。",
         "どちらか一方の機関の `name`・`aliases` から外します"),
    Rule("G510", "committee.yml は「項目: 値」の並びでなければなりません。", "name: 個人情報保護委員会 のように書いてください。",
         "`committee.yml` の構文を直します"),
    Rule("G511", "未知の項目「{key}」があります。", "使える項目: {known}。", "（`committee.yml`）項目名を直します"),
    Rule("G512", "「{key}」は{what}でなければなりません。", "元の committee.yml の書き方に合わせてください。",
         "（`committee.yml`）元の書き方に合わせます"),
    # front matter の YAML の書き方（G106 のうち、よくある誤りを見分けたもの。record/yaml_errors.py）
    # -- 6 docs/ のページとファイル -------------------------------------------------------------
    Rule("G601", "docs/ に HTML・SVG・XML などの文書ファイルは置けません。",
         "このファイルはそのまま公開され、開いた閲覧者のブラウザでスクリプトを実行できます。"
         "ページは Markdown（.md）で書き、図は PNG などの画像にしてください。"),
    Rule("G602", "docs/ のこのファイルは、テーマ（Material）の同じ場所のファイルの代わりに公開されます。",
         "テーマのスクリプトやスタイルは置き換えられません。ファイル名か場所を変えてください。"),
    Rule("G603", "ページの front matter に「{key}」は書けません。", _PAGE_KEYS + "テーマはこの値を HTML やテンプレートの名前として使います。"),
    Rule("G604", "front matter の hide は隠す部分の一覧にしてください。", "例: hide: [toc]。" + _PAGE_KEYS),
    Rule("G605", "front matter の {key} は文字列にしてください。",
         "例: {key}: お知らせ。値に「:」や「[」があるときは \"…\" で囲んでください。"),
    Rule("G606", "ページを UTF-8 のテキストとして読めません。", "エディタで文字コードを UTF-8（BOM なし）にして保存し直してください。"),
    Rule("G620", "ファイル名の拡張子「{suffix}」に大文字があります。MkDocs はこれをページとして読まず、書いたままの形で公開します（非公表マーカーも効きません）。",
         "拡張子を小文字（{lower}）にしてください。"),
    # -- 7 作ったサイトの検査（make build の最後。site/csp.py） -----------------------------------
    Rule("G701", "<{tag}> にイベント属性 {name}", guide=_FENCE_NOTE),
    Rule("G702", "<{tag} {name}> に {scheme} の URL", guide=_FENCE_NOTE),
    Rule("G703", "<{tag}> 要素", guide=_FENCE_NOTE),
    Rule("G704", "<meta http-equiv=refresh>", guide=_FENCE_NOTE),
    Rule("G705", "<{tag}> がリンク先を書き換えます", guide=_FENCE_NOTE),
    Rule("G706", "許可されていないスクリプト {src}", guide=_FENCE_NOTE),
    Rule("G707", "Material のものでないインラインスクリプト", guide=_FENCE_NOTE),
    Rule("G708", "<head> の最初の要素が Content-Security-Policy ではありません", guide=_FENCE_NOTE),
    Rule("G709", "Content-Security-Policy がこのサイトのものではありません", guide=_FENCE_NOTE),
    Rule("G710", "ページ以外の文書ファイル（HTML・SVG・XML など）は公開できません",
         guide="`docs/` の文書ファイルは検査（G601）でも誤りになります。" + _FENCE_NOTE),
    Rule("G711", "テーマ（Material）のスクリプトが別のファイルに置き換えられています",
         guide="`docs/` のファイルがテーマのスクリプトと同じ場所にあります（G602）。" + _FENCE_NOTE),
)


def _catalogue(table: tuple[Rule, ...]) -> dict[str, Rule]:
    """The rules by code; a malformed table stops the import (and every test) with the reason."""
    rules: dict[str, Rule] = {}
    for rule in table:
        if not _CODE.match(rule.code) or rule.code[1] not in TOPICS:
            raise ValueError(f"{rule.code}: a code is G, a topic digit of TOPICS and two digits")
        if rule.code in rules:
            raise ValueError(f"{rule.code}: two rules with one code")
        if not rule.message:
            raise ValueError(f"{rule.code}: no message")
        rule.fields  # noqa: B018 -- parses both templates: a positional or malformed field raises here
        rules[rule.code] = rule
    return rules


RULES = _catalogue(_TABLE)


def problem(code: str, path: str, line: int | None, /, **values: object) -> Problem:
    """The Problem of rule `code` at `path`:`line`, its templates filled with `values`.

    An unknown code, a missing value or one the templates do not use is a programming error
    (KeyError, TypeError): `tests/test_rules.py` makes every rule happen.
    """
    rule = RULES[code]
    if set(values) != rule.fields:
        raise TypeError(f"{code} takes {sorted(rule.fields)}, not {sorted(values)}")
    return Problem(path, line, rule.message.format(**values), rule.hint.format(**values), code=code)


def sentence(code: str, /, **values: object) -> str:
    """Message and fix of rule `code` as one text, for a message that names no file."""
    found = problem(code, "", None, **values)
    return found.message + found.hint
