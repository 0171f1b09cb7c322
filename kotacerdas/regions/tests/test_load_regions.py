from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.regions.models import Region


def test_it_loads_kota_cirebon(db):
    out = io.StringIO()
    call_command("load_regions", stdout=out)

    assert Region.objects.filter(level="kecamatan").count() == 5
    assert Region.objects.filter(level="kelurahan").count() == 22
    assert Region.objects.get(code="32.74.03.1002").parent.name == "Harjamukti"
    assert "29 created" in out.getvalue()


def test_loading_twice_updates_in_place(db):
    call_command("load_regions", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_regions", stdout=out)

    assert Region.objects.count() == 29
    assert "0 created, 29 updated" in out.getvalue()


def test_a_bad_row_changes_nothing(db, tmp_path):
    path = tmp_path / "kota.csv"
    path.write_text(
        "code,level,name,parent_code\n"
        "32,provinsi,Jawa Barat,\n"
        "32.09,kota,Kabupaten Cirebon,32\n"
        "32.09.01,kelurahan,Wrong Level,32.09\n"
    )

    with pytest.raises(CommandError, match="Baris 4"):
        call_command("load_regions", str(path), stdout=io.StringIO())
    assert not Region.objects.exists()
