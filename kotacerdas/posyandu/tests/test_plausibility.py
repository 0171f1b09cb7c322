"""Issue 16, the cadre's weighing: the method preselected, changes against the previous
visit asked again, one alert per visit, decimal commas, the result in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from kotacerdas.conftest import signed_in
from kotacerdas.posyandu import actions
from kotacerdas.posyandu.forms import MeasurementForm
from kotacerdas.posyandu.models import Alert, Measurement
from kotacerdas.posyandu.tests.conftest import months_ago

pytestmark = pytest.mark.django_db


def weigh(child: Any, cadre: Any, posyandu: Any, date: Any, weight: str, **fields: Any):
    values = {"date": date, "weight": Decimal(weight), **fields}
    return actions.record_measurement(child, posyandu, values, user=cadre).measurement


def page(client: Any, child: Any, data: dict | None = None) -> tuple[int, str]:
    url = f"/posyandu/anak/{child.pk}/timbang/"
    with translation.override("id"):
        if data is None:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
        else:
            response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="id")
    return response.status_code, response.content.decode()


def checked(body: str, value: str) -> bool:
    start = body.index(f'name="measure" value="{value}"')
    return "checked" in body[start : body.index(">", start)]


def test_the_method_is_preselected_from_the_age_and_the_last_visit(cadre, posyandu, make_child):
    client = signed_in(cadre)
    baby = make_child("Bayi", birth_date=months_ago(14, 1))
    assert checked(page(client, baby)[1], "l") and not checked(page(client, baby)[1], "h")
    toddler = make_child("Balita", birth_date=months_ago(30, 1))
    assert checked(page(client, toddler)[1], "h")
    # Past two years and measured lying last time (cannot stand yet): lying again.
    weigh(toddler, cadre, posyandu, months_ago(1, 2), "11.0", lenhei=Decimal("86.0"), measure="l")
    assert checked(page(client, toddler)[1], "l")
    # Lying at 23 months, now 25 months: standing, by age.
    older = make_child("Dua tahun", birth_date=months_ago(25, 1))
    weigh(older, cadre, posyandu, months_ago(2, 2), "11.0", lenhei=Decimal("85.0"), measure="l")
    assert checked(page(client, older)[1], "h")


def test_a_first_length_saves_without_choosing_the_method(cadre, posyandu, make_child):
    child = make_child(birth_date=months_ago(10, 1))
    status, _body = page(
        signed_in(cadre),
        child,
        {"date": months_ago(0, 1).isoformat(), "weight": "8,4", "lenhei": "71,5", "measure": "l"},
    )
    assert status == 302
    saved = Measurement.objects.get(child=child)
    assert saved.weight == Decimal("8.40") and saved.lenhei == Decimal("71.5")


def test_a_weight_that_fell_by_4_kg_is_measured_again_then_confirmed(
    cadre, posyandu, make_child, nutrition_officer
):
    child = make_child(birth_date=months_ago(14, 1))
    weigh(child, cadre, posyandu, months_ago(1, 2), "10.54", lenhei=Decimal("71.6"), measure="l")
    client = signed_in(cadre)
    data = {
        "date": months_ago(0, 1).isoformat(),
        "weight": "6,50",
        "lenhei": "70,0",
        "measure": "l",
    }
    status, body = page(client, child, data)
    assert status == 200
    assert "Berat badan turun dari 10,54 kg menjadi 6,50 kg" in body
    assert "Panjang atau tinggi badan turun dari 71,6 cm menjadi 70,0 cm" in body
    assert not Measurement.objects.filter(month=months_ago(0, 1)).exists()
    warned = body.split('name="warned" value="')[1].split('"')[0]
    status, _body = page(client, child, {**data, "confirm": "on", "warned": warned})
    assert status == 302
    saved = Measurement.objects.get(child=child, month=months_ago(0, 1))
    assert saved.change_list == ["weight", "lenhei"]
    alert = Alert.objects.get(measurement=saved)
    assert Alert.Kind.CHANGE in alert.reason_list
    with translation.override("id"):
        result = client.get(f"/posyandu/anak/{child.pk}/hasil/", HTTP_ACCEPT_LANGUAGE="id")
    text = result.content.decode()
    assert "Turun 4,04 kg" in text and "4040" not in text
    assert "Tidak naik (T)" in text and "T — tidak naik" not in text


def test_plausible_changes_and_the_second_birthday_are_not_questioned(cadre, posyandu, make_child):
    today = timezone.localdate()
    child = make_child(birth_date=today - dt.timedelta(days=731))
    last_month = today - dt.timedelta(days=31)
    weigh(child, cadre, posyandu, last_month, "11.0", lenhei=Decimal("86.0"), measure="l")
    # 200 g down, 0.5 cm less, lying at 23 months then standing at 24: all plausible.
    m = weigh(child, cadre, posyandu, today, "10.8", lenhei=Decimal("85.5"), measure="h")
    assert m.changes == "" and not m.flags


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        ("10.00", "8.95", True),
        ("5.00", "4.45", True),
        ("5.00", "4.55", False),
        ("9.0", "9.9", False),
    ],
)
def test_weight_limits_are_one_kilogram_or_ten_percent(
    cadre, posyandu, make_child, before, after, changed
):
    child = make_child(birth_date=months_ago(14, 1))
    weigh(child, cadre, posyandu, months_ago(1, 2), before)
    if changed:
        with pytest.raises(actions.NeedsConfirmation) as raised:
            weigh(child, cadre, posyandu, months_ago(0, 1), after)
        assert [c.code for c in raised.value.changes] == ["weight"]
    else:
        assert weigh(child, cadre, posyandu, months_ago(0, 1), after).changes == ""


def test_standing_after_two_years_then_lying_again_is_questioned(cadre, posyandu, make_child):
    child = make_child(birth_date=months_ago(30, 1))
    weigh(child, cadre, posyandu, months_ago(1, 2), "12.0", lenhei=Decimal("88.0"), measure="h")
    with pytest.raises(actions.NeedsConfirmation) as raised:
        weigh(child, cadre, posyandu, months_ago(0, 1), "12.2", lenhei=Decimal("89.0"), measure="l")
    assert [c.code for c in raised.value.changes] == ["measure"]


def test_one_alert_per_visit_with_all_its_reasons_and_one_handled(
    cadre, posyandu, make_child, nutrition_officer
):
    child = make_child(birth_date=months_ago(14, 1))
    m = weigh(child, cadre, posyandu, months_ago(0, 1), "6.3", lenhei=Decimal("68.0"), measure="l")
    alert = Alert.objects.get(measurement=m)
    assert {Alert.Kind.BGM, Alert.Kind.STUNTING} <= set(alert.reason_list)
    client = signed_in(nutrition_officer)
    with translation.override("id"):
        listing = client.get("/posyandu/peringatan/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert listing.count(f"/posyandu/peringatan/{alert.pk}/tangani/") == 1
    for label in alert.reason_labels:
        assert f"{escape(label)}: 1" in listing
    response = client.post(
        f"/posyandu/peringatan/{alert.pk}/tangani/", {"note": "Dirujuk ke puskesmas"}
    )
    assert response.status_code == 302
    assert not Alert.objects.filter(measurement__child=child, handled_at=None).exists()
    # The same visit corrected with the same reasons raises nothing new.
    weigh(child, cadre, posyandu, months_ago(0, 1), "6.2", lenhei=Decimal("68.0"), measure="l")
    assert Alert.objects.filter(measurement__child=child).count() == 1


def test_an_older_alert_without_reasons_reads_its_kind():
    alert = Alert(kind=Alert.Kind.TWO_T, reasons="")
    assert alert.reason_list == ["2t"] and len(alert.reason_labels) == 1


def test_comma_and_dot_are_both_decimal_marks_and_the_hint_uses_a_comma():
    base = {"date": months_ago(0, 1).isoformat(), "lenhei": "", "measure": ""}
    for typed in ("8,75", "8.75", " 8,75 "):
        form = MeasurementForm({**base, "weight": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["weight"] == Decimal("8.75")
    refused = MeasurementForm({**base, "weight": "1.234,5"})
    assert not refused.is_valid() and "weight" in refused.errors
    with translation.override("id"):
        shown = MeasurementForm(initial={"weight": Decimal("8.75")})
        html = str(shown["weight"])
        assert 'value="8,75"' in html and 'inputmode="decimal"' in html
        assert str(shown.fields["weight"].help_text) == "mis. 8,75"
