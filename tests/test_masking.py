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
        "a13800000001",
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
