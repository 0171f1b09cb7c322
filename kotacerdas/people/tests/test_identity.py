from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from kotacerdas.people.identity import check_kk, check_nik, mask_number

TODAY = dt.date(2026, 11, 29)
PREFIXES = frozenset({"327401", "327402", "327403", "327404", "327405"})


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in their source language here."""
    with translation.override("en"):
        yield


def test_it_decodes_a_womans_nik():
    check = check_nik("3274014503180002", today=TODAY, known_prefixes=PREFIXES)

    assert check.valid
    assert check.birth_date == dt.date(2018, 3, 5)
    assert check.sex == "F"
    assert (check.province_code, check.city_code, check.kecamatan_code) == ("32", "3274", "327401")
    assert check.serial == "0002"
    assert check.warnings == []


def test_it_picks_the_last_century_for_an_older_person():
    check = check_nik("3274011207540001", today=TODAY)

    assert check.birth_date == dt.date(1954, 7, 12)
    assert check.sex == "M"


def test_a_year_ahead_of_today_belongs_to_the_previous_century():
    check = check_nik("3274010112270001", today=TODAY)

    assert check.birth_date == dt.date(1927, 12, 1)


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("327401450318", "16"),
        ("32740145031800021", "16"),
        ("3274O14503180002", "digits"),
        ("9974014503180002", "province"),
        ("3274014513180002", "month"),
        ("3274013203180002", "day"),
        ("3274017203180002", "day"),
        ("3274013102180002", "real date"),
        ("3274014503180000", "0000"),
    ],
)
def test_it_blocks_what_is_structurally_impossible(nik, fragment):
    check = check_nik(nik, today=TODAY)

    assert not check.valid
    assert any(fragment in error for error in check.errors), check.errors


def test_a_29_february_is_valid_only_in_a_leap_year():
    assert check_nik("3274012902200001", today=TODAY).valid
    assert not check_nik("3274012902210001", today=TODAY).valid


def test_an_unknown_kecamatan_prefix_is_a_warning_not_an_error():
    check = check_nik("3274094503180002", today=TODAY, known_prefixes=PREFIXES)

    assert check.valid
    assert any("327409" in warning for warning in check.warnings)


def test_a_nik_first_registered_in_another_regency_is_not_questioned():
    check = check_nik("3209014503180002", today=TODAY, known_prefixes=PREFIXES)

    assert check.valid
    assert check.warnings == []


def test_it_warns_when_the_nik_disagrees_with_the_stated_birth_date_and_sex():
    check = check_nik("3274014503180002", today=TODAY, birth_date=dt.date(2018, 3, 6), sex="M")

    assert check.valid
    assert len(check.warnings) == 2


def test_a_family_card_number_has_no_female_offset():
    assert check_kk("3274011203150001", today=TODAY).valid
    assert not check_kk("3274015203150001", today=TODAY).valid


def test_masking_keeps_region_and_serial_only():
    assert mask_number("3274014503180012") == "3274••••••••0012"
