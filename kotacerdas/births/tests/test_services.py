from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from kotacerdas.conftest import signed_in


def test_the_home_page_offers_birth_reporting_to_everyone_and_the_queues_to_disdukcapil(
    registrar, midwife
):
    with translation.override("id"):
        anyone = Client().get(reverse("web:home")).content.decode()
        staff = signed_in(registrar, verified=True).get(reverse("web:home")).content.decode()
        bidan = signed_in(midwife).get(reverse("web:home")).content.decode()
    assert "Laporkan kelahiran" in anyone
    assert reverse("births:queues") not in anyone
    assert reverse("births:queues") in staff and reverse("births:dashboard") in staff
    assert reverse("births:list") in bidan and reverse("births:queues") not in bidan
