from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.kelurahan import sandbox
from kotacerdas.kelurahan.catalogue import placeholders_of

ALLOWED = {"nama", "nik"}


def test_it_renders_placeholders_and_escapes_the_data() -> None:
    body = "<p>Nama: {{ nama|upper }}</p>"
    sandbox.check(body, ALLOWED)
    assert sandbox.render(body, {"nama": "<b>Siti</b>"}) == "<p>Nama: &lt;B&gt;SITI&lt;/B&gt;</p>"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{{ alamat_rahasia }}", "unknown_placeholder"),
        ("{% load static %}{% static 'x' %}", "syntax"),
        ("{% include 'base.html' %}", "syntax"),
        ("{% if nama %}x{% endif %}", "syntax"),
        ("{{ nama.__class__ }}", "syntax"),
        ("{{ nama.upper }}", "lookup"),
        ("{{ nama|safe }}", "syntax"),
        ("{{ nama|date:'Y' }}", "syntax"),
        ("{{ 'literal' }}", "literal"),
        ("{{ settings.SECRET_KEY }}", "lookup"),
    ],
)
def test_it_refuses_what_reaches_outside_the_data(body: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        sandbox.check(body, ALLOWED)
    assert refused.value.code == code


def test_the_engine_has_no_tags_even_if_asked_directly() -> None:
    with pytest.raises(Exception, match="load"):
        sandbox.ENGINE.from_string("{% load i18n %}")


def test_placeholders_of_a_type_include_its_fields_and_persons() -> None:
    names = placeholders_of([{"name": "nama_usaha", "label": "Nama usaha"}], ["mother"])
    assert {"nama", "nomor_surat", "nama_usaha", "ibu_nama", "ibu_nik"} <= names
    assert "ayah_nama" not in names
