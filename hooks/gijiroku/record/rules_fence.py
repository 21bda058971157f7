"""The rules of the post-build fence (`site/csp.py`): part of the catalogue of `record/rules.py`,
under the guide's heading 7, in a module of their own."""

from __future__ import annotations

from .problems import Rule

_FENCE_NOTE = ("作ったページにスクリプトとして動きうるものがあるため、サイトを公開しません（出力は消去します）。"
               "原稿（`docs/` の手書きのページを含む）に HTML のタグや属性、`javascript:` などの URL を書いていないか確かめます")

FENCE_RULES = (
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
    Rule("G712", "ブラウザとこの検査とで読み方が分かれうる HTML の書き方があります（この行から）",
         guide="サイトのページは、どのタグも読み方が一通りに決まる平易な形で作られます（属性は ASCII の空白で区切り、"
               "引用符の中に < も > もない、など）。そうでない形がページに現れるのは、原稿の文字列が HTML として"
               "ページに入ったときだけで、ブラウザはそこにスクリプトを見つけうるのに、検査は見落としえます。" + _FENCE_NOTE),
)
