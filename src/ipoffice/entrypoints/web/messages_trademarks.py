"""Portal messages of trademark search (``/trademarks/search``), in English and Chinese (same keys), and the
details of why marks conflict (``tm.detail.<code>``, domain.reason_details: English as the domain writes it)
shown on the search page, the examiner's relative-grounds panel and wherever a reason is shown."""

from __future__ import annotations

from ipoffice.domain.reason_details import ENGLISH

_DETAILS_ZH = {
    "visual.identical": "文字相同",
    "visual.same_letters": "除大小写、空格、重音或形近字符外字母相同：{mark} ~ {earlier}",
    "visual.look_alike": "形近字符 {pairs}：{mark} ~ {earlier}",
    "visual.distance": "编辑距离 {distance}（形近字符视为相同）：{mark} ~ {earlier}",
    "phonetic.same_pinyin": "拼音相同：{pinyin}（不计声调）",
    "phonetic.pinyin": "拼音近似：{pinyin} ~ {earlier_pinyin}",
    "phonetic.reads": "{chinese} 读作 {pinyin}，与 {latin} 读音近似",
    "phonetic.same_key": "读音编码相同：{key}",
    "phonetic.keys": "读音编码近似：{key} ~ {earlier_key}",
    "conceptual.cosine": "含义近似：{mark} ~ {earlier}（语义相似度 {cosine}）",
    "conceptual.dictionary": "词典释义相同：{mark} ~ {earlier}（{meanings}）",
    "containment.mark_inside": "申请商标包含于在先商标之中：{inner} 在 {outer} 中",
    "containment.earlier_inside": "在先商标包含于申请商标之中：{inner} 在 {outer} 中",
    "goods.same_class": "同一尼斯分类：第 {classes} 类",
    "goods.neighbours": "类似的尼斯分类：{pairs}",
    "goods.terms": "商品/服务用语相同：{terms}",
    "conflict.identical": "“{mark}”为相同的文字商标",
    "conflict.contained": "“{inner}”包含于“{outer}”之中",
}

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "nav.trademarks": "Trademarks",
        "tm.title": "Trademark search",
        "tm.intro": "Earlier word marks that look, sound or mean like a mark, in any script, ranked, with the "
                    "reasons; give Nice classes to weigh the goods and services.",
        "tm.mark": "Mark",
        "tm.classes": "Nice classes",
        "tm.classes_help": "e.g. 9,42",
        "tm.before": "Filed before",
        "tm.submit": "Search",
        "tm.results": "{count} earlier marks",
        "tm.none": "No earlier mark is like this one.",
        "tm.number": "Number",
        "tm.score": "Similarity",
        "tm.filed": "Filed",
        "tm.reasons": "Why",
        "tm.reason.visual": "Looks alike",
        "tm.reason.phonetic": "Sounds alike",
        "tm.reason.conceptual": "Same meaning",
        "tm.reason.containment": "Contains or is contained",
        "tm.reason.goods": "Related goods/services",
        "tm.error.mark": "Mark: give a word mark with at least one letter, digit or Chinese character.",
        "tm.error.classes": "Nice classes: give class numbers from 1 to 45 separated by commas, e.g. 9,42.",
        "tm.error.limit": "Limit: give a number from 1 to 1000.",
        "tm.error.before": "Filed before: give a date as YYYY-MM-DD.",
        **{f"tm.detail.{code}": text for code, text in ENGLISH.items()},
    },
    "zh": {
        "nav.trademarks": "商标",
        "tm.title": "商标检索",
        "tm.intro": "检索与某一商标在字形、读音或含义上近似的在先文字商标（任何文字），按近似程度排序并说明理由；"
                    "填写尼斯分类可同时考虑商品和服务的类似程度。",
        "tm.mark": "商标",
        "tm.classes": "尼斯分类",
        "tm.classes_help": "例如 9,42",
        "tm.before": "申请日早于",
        "tm.submit": "检索",
        "tm.results": "在先商标{count}件",
        "tm.none": "没有与该商标近似的在先商标。",
        "tm.number": "编号",
        "tm.score": "近似度",
        "tm.filed": "申请日",
        "tm.reasons": "理由",
        "tm.reason.visual": "字形近似",
        "tm.reason.phonetic": "读音近似",
        "tm.reason.conceptual": "含义相同或近似",
        "tm.reason.containment": "包含或被包含",
        "tm.reason.goods": "商品/服务类似",
        "tm.error.mark": "商标：请填写至少含有一个字母、数字或汉字的文字商标。",
        "tm.error.classes": "尼斯分类：请填写1至45之间的类别号，以逗号分隔，例如 9,42。",
        "tm.error.limit": "数量：请填写1至1000之间的数字。",
        "tm.error.before": "申请日早于：请按 YYYY-MM-DD 填写日期。",
        **{f"tm.detail.{code}": text for code, text in _DETAILS_ZH.items()},
    },
}
