"""The cross-script name key meets one name's Persian, Arabic and Latin spellings, and only those."""

from __future__ import annotations

import pytest

from khabar.entities.namekey import name_keys, same_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("لاوروف", "لافروف"),
        ("لاوروف", "Lavrov"),
        ("وانگ یی", "وانغ يي"),
        ("وانگ ایی", "Wang Yi"),
        ("شی جینپینگ", "شي جين بينج"),
        ("شی جین‌پینگ", "Xi Jinping"),
        ("شي جينبينغ", "Xi Jinping"),
        ("پاتروشف", "Patrushev"),
        ("بایدن", "Biden"),
        ("پوتین", "بوتين"),
        ("عراقچی", "عراقجي"),
        ("Araghchi", "عراقچی"),
        ("گوترش", "غوتيريش"),
        ("زاخارووا", "Zakharova"),
        ("ظریف", "Zarif"),
    ],
)
def test_spellings_of_one_name_share_a_key(a: str, b: str) -> None:
    assert same_name(a, b)


@pytest.mark.parametrize(("a", "b"), [("پوتین", "بایدن"), ("روحانی", "نصرالله"), ("لاوروف", "لوکاشنکو"),
                                      ("وانگ یی", "ماو نینگ")])
def test_different_names_do_not(a: str, b: str) -> None:
    assert not same_name(a, b)


def test_a_name_without_letters_has_no_key() -> None:
    assert name_keys("1234 - ،") == frozenset()
