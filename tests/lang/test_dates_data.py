"""The CLDR-derived date files match their source, and the curated data covers what CLDR gives."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from khabar.temporal.extract import extract
from khabar.temporal.vocab import key, vocab
from tests.conftest import shared_path

REPO = Path(__file__).resolve().parents[2]


def _importer():
    spec = importlib.util.spec_from_file_location("import_cldr_dates", REPO / "scripts" / "import_cldr_dates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_generated_cldr_dates_are_up_to_date(lang: str) -> None:
    shared_path("data", "cldr-fa-ar", "main", lang)
    committed = (REPO / "src" / "khabar" / "lang" / lang / "dates_cldr.yaml").read_text(encoding="utf-8")
    assert committed == _importer().render(lang), "run scripts/import_cldr_dates.py and commit the result"


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_every_month_of_every_calendar_has_names(lang: str) -> None:
    v = vocab(lang)
    calendars = {"fa": ("gregorian", "jalali", "hijri"), "ar": ("gregorian", "hijri"), "en": ("gregorian",)}[lang]
    for calendar in calendars:
        numbers = {n for cal, n in v.months.values() if cal == calendar}
        assert numbers == set(range(1, 13)), (lang, calendar)
    assert set(v.weekdays.values()) == set(range(1, 8))


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_every_cldr_relative_phrase_is_found(lang: str) -> None:
    import yaml

    data = yaml.safe_load((REPO / "src" / "khabar" / "lang" / lang / "dates_cldr.yaml").read_text(encoding="utf-8"))
    missed = []
    for item in data["relative_fixed"]:
        phrase = item["phrase"]
        found = extract(f"{phrase} .", lang)
        if not found or key(f"{phrase} ."[found[0].start:found[0].end]) != key(phrase):
            missed.append(phrase)
    assert missed == []


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_every_levantine_and_maghrebi_month_is_known(lang: str) -> None:
    import json

    v = vocab(lang)
    locales = ["ar-SY", "ar-IQ", "ar-DZ", "ar-MA", "ar-TN"] if lang == "ar" else ["fa"]
    for locale in locales:
        data = json.loads(shared_path("data", "cldr-fa-ar", "main", locale, "ca-gregorian.json").read_text(encoding="utf-8"))
        wide = data["main"][locale]["dates"]["calendars"]["gregorian"]["months"]["format"]["wide"]
        for number, name in wide.items():
            assert v.months[key(name)] == ("gregorian", int(number)), (locale, name)
