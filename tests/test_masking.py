"""Personal numbers on the public screen: masked when they stand alone, nothing else touched."""

from __future__ import annotations

import pytest

from presenter.masking import mask_cells, mask_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("110101199003074512", "110101********4512"),
        ("11010119900307451X", "110101********451X"),
        ("11010119900307451x", "110101********451x"),
        ("身份证号110101199003074512，住址", "身份证号110101********4512，住址"),
        ("13800000001", "138****0001"),
        ("138 0000 0001", "138 **** 0001"),
        ("138-0000-0001", "138-****-0001"),
        ("+86 13800000001", "+86 138****0001"),
        ("6222000000000000101", "622200*********0101"),
        ("6222 0000 0000 0000 101", "6222 00** **** ***0 101"),
        ("6217-0000-0000-0202", "6217-00**-****-0202"),
        ("卡号6222000000000000101转入", "卡号622200*********0101转入"),
        # an 18-digit number whose date is impossible is a card, not an ID
        ("110101199013074512", "110101********4512"),
        # letters touching a number do not hide it: on a screen it is still the number
        ("Tel13812340002", "Tel138****0002"),
        ("ID110101199003071234", "ID110101********1234"),
        ("Card6222021234567890128", "Card622202*********0128"),
        ("a13800000001", "a138****0001"),
        # full-width digits and characters a screen does not show
        ("１３８１２３４０００３", "１３８****０００３"),
        ("138\u200b12340004", "138\u200b****0004"),
        ("1381234\u00ad0005", "138****\u00ad0005"),
        # separators a keyboard or a bank export writes, and other invisible characters
        ("138\u00a01234\u00a05678", "138\u00a0****\u00a05678"),
        ("138－1234－5678", "138－****－5678"),
        ("138\u30001234\u30005678", "138\u3000****\u30005678"),
        ("138\t1234  5678", "138\t****  5678"),
        ("110101.19900307.123X", "110101.********.123X"),
        ("6222.0212.3456.7890", "6222.02**.****.7890"),
        ("008613812345678", "0086138****5678"),
        ("138\u200e1234\u20625678", "138\u200e****\u20625678"),
        ("𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "𝟏𝟑𝟖****𝟓𝟔𝟕𝟖"),
        ("٠١٣٨١٢٣٤٥٦٧٨", "٠١٣٨١٢٣٤٥٦٧٨"),  # twelve digits: no such number
        ("١٣٨١٢٣٤٥٦٧٨", "١٣٨****٥٦٧٨"),
        ("6222<br>0212<br>3456<br>7890", "6222<br>02**<br>****<br>7890"),
        ("abcdef0123456789abcdef13812345678", "abcdef0123456789abcdef138****5678"),
    ],
)
def test_numbers_standing_alone_are_masked(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "20260308",
        "2026-03-08",
        "20260308100000",
        "2026-03-08T10:00:00+08:00",
        "386,000 元",
        "120000.00",
        "203.0.113.25",
        "订单号 HX26030001 与 123456789012345678901234",
        "d593a448dd082c89a9a4380a0fae6dfa380e06cd19b121821c050a58701f0353",
        "6222000000000000101234567",
        "没有数字的文字",
    ],
)
def test_everything_else_is_left_alone(text):
    assert mask_text(text) == text


def test_several_numbers_in_one_text_and_masking_twice_changes_nothing_more():
    text = "张某 13800000001，卡 6222000000000000101，身份证 11010119900307451X。"
    once = mask_text(text)
    assert once == "张某 138****0001，卡 622200*********0101，身份证 110101********451X。"
    assert mask_text(once) == once


def test_cells_are_masked_one_by_one():
    assert mask_cells([["13800000001", "x"], ["", "2026-03-08"]]) == [
        ["138****0001", "x"],
        ["", "2026-03-08"],
    ]


def test_a_number_split_by_tags_is_found_as_a_screen_reads_it():
    from markupsafe import Markup

    html = Markup("<p>138<em>1234</em>0007 与 <b>1381234</b>0014 和 1381234<span></span>0008</p>")
    assert mask_text(html) == (
        "<p>138<em>****</em>0007 与 <b>138****</b>0014 和 138****<span></span>0008</p>"
    )
    # an attribute's value is text a screen may show (a picture's alt, a title)
    assert mask_text(Markup('<img alt="13800000001" src="/x.png">')) == (
        '<img alt="138****0001" src="/x.png">'
    )
    # an entity is one character, never digits: &#34; does not join the number
    assert mask_text(Markup("&#34;13800000001&#34;")) == "&#34;138****0001&#34;"
    # a tag written in plain text is read the same way: over-masked at worst, never under
    assert mask_text("138<b>1234</b>0000") == "138<b>****</b>0000"


def test_check_values_and_the_apps_urls_are_never_masked():
    from presenter.masking import AppUrl

    digest = "e3b0c44298fc1c149afbf4c8996fb92413800000001b7852b855" + "0" * 12
    assert mask_text(f"SHA-256 {digest}") == f"SHA-256 {digest}"
    url = AppUrl("/images/E02/files/13812345678.png")
    assert mask_text(url) is url and mask_text(url + "?thumb=1") == url + "?thumb=1"


def test_a_value_is_masked_whole_keys_too():
    from presenter.masking import mask_value

    figure = {"meta": {"positions": {"张某 13800000001": [0.1, 0.2]}}, "n": 13800000001}
    assert mask_value(figure) == {
        "meta": {"positions": {"张某 138****0001": [0.1, 0.2]}},
        "n": 13800000001,
    }
