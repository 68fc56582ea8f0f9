"""Traditional, Taiwan and Hong Kong variant characters normalise to the simplified form users type
(issue #13, case 5): one normal form for indexing and for queries."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipoffice.domain.text import normalise

# (as written in Taiwan, Hong Kong or traditional text, the simplified form typed by users)
VARIANTS = [
    ("附著力", "附着力"), ("附著", "附着"), ("隨著", "随着"), ("著色劑", "着色剂"), ("著陸", "着陆"),
    ("睡著", "睡着"), ("沉著", "沉着"), ("執著", "执着"),
    ("著作權", "著作权"), ("顯著", "显著"), ("著名", "著名"),  # these keep 著
    ("裏面", "里面"), ("裡面", "里面"), ("綫路", "线路"), ("線路", "线路"), ("衞生", "卫生"), ("衛生", "卫生"),
    ("麪包", "面包"), ("麵包", "面包"), ("啓動", "启动"), ("乾燥", "干燥"), ("溫度", "温度"), ("爲", "为"),
    ("塗層附著力的測試方法", "涂层附着力的测试方法"),
]


@pytest.mark.parametrize(("variant", "simplified"), VARIANTS)
def test_variant_characters_normalise_to_the_simplified_form(variant: str, simplified: str) -> None:
    assert normalise(variant) == simplified
    assert normalise(simplified) == simplified  # what users type is already the normal form


def test_taiwan_sentence_from_a_bug_report_reads_as_simplified() -> None:
    # Invented, in the style of the Taiwan record of the bug report.
    text = "本發明揭示一種薄膜附著力的量測方法，隨著濕度變化觀察著色劑的擴散。"
    assert normalise(text) == "本发明揭示一种薄膜附着力的量测方法，随着湿度变化观察着色剂的扩散。"


PHRASES = [s for _, s in VARIANTS] + ["显著提高", "著作权人", "随着温度升高", "本发明涉及一种激光雷达的标定方法",
                                      "他的专著与论著", "正在讨论着问题"]


@cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


@settings(deadline=None)  # the first example loads the OpenCC dictionaries (0.5 s)
@given(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4))
def test_traditional_taiwan_and_hong_kong_spellings_of_a_text_meet(phrases: list[str]) -> None:
    text = "，".join(phrases)
    expected = normalise(text)
    for config in ("s2t", "s2tw", "s2hk"):
        assert normalise(_opencc(config).convert(text)) == expected, config


def test_normalising_is_idempotent_on_variants() -> None:
    for variant, _ in VARIANTS:
        assert normalise(normalise(variant)) == normalise(variant)


# Variants of #13 case 5 written for this project: more words of each sense of 著, Hong Kong forms.
@pytest.mark.parametrize(("variant", "simplified"), [
    ("論著", "论著"), ("專著", "专著"), ("原著", "原著"), ("編著者", "编著者"), ("譯著", "译著"), ("卓著", "卓著"),
    ("土著", "土著"), ("他的專著與論著", "他的专著与论著"), ("著作財產權", "著作财产权"), ("臭名昭著", "臭名昭著"),
    ("接著劑", "接着剂"), ("沿著", "沿着"), ("穿著", "穿着"), ("著火", "着火"), ("著重", "着重"), ("著陸器", "着陆器"),
    ("正在討論著問題", "正在讨论着问题"),  # progressive 着, not the 論著 "treatise"
    ("附著力的論著", "附着力的论著"),
    ("電綫", "电线"), ("峯值", "峰值"), ("羣組", "群组"), ("鈎", "钩"), ("衆多", "众多"), ("僞", "伪"), ("啓", "启"),
])
def test_more_words_of_both_senses_of_zhu_and_hong_kong_forms(variant: str, simplified: str) -> None:
    assert normalise(variant) == simplified
    assert normalise(simplified) == simplified
