"""Certificate codes that survive being printed, read and typed; the verification page.

A genuine certificate must never look forged because a person typed its code
the way people do: in small letters, with the groups' spaces or dashes, an O
for a 0, or without the leading dash an older code has. Codes printed before
the new alphabet keep verifying exactly as before.
"""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kotacerdas.births import actions, certificates, tokens
from kotacerdas.births.models import Certificate, Declaration
from kotacerdas.messaging.models import Message

# An older code, as secrets.token_urlsafe(16) made them: it may start with "-".
OLD = "-Kq3x_Zm9yZ2VkLXRva2Vu"


def current(declaration: Declaration) -> Certificate:
    certificate = declaration.current_certificate
    assert certificate is not None
    return certificate


def verify(client: Client, typed: str) -> tuple[int, str]:
    with translation.override("id"):
        page = client.get(reverse("births:verify", args=[typed]))
    return page.status_code, page.content.decode()


def verdict(body: str) -> str:
    found = re.search(r'class="verdict[^"]*"[^>]*><strong>([^<]+)</strong>', body)
    return found.group(1) if found else ""


def test_new_codes_have_no_look_alike_characters_and_are_printed_in_groups() -> None:
    for _ in range(200):
        code = tokens.new_token()
        assert len(code) == 28 and set(code) <= set(tokens.ALPHABET)  # 140 bits
        assert not set(code) & set("ILOU-_") and code[0].isalnum()
        groups = tokens.grouped(code).split("-")
        assert [len(g) for g in groups] == [4] * 7 and "".join(groups) == code
    assert tokens.grouped(OLD) == OLD  # an old code is printed as it always was
    assert tokens.canonical(" abcd-efgh ijOl ") == "ABCDEFGHIJ01".replace("IJ", "1J")


def test_issued_certificates_get_new_codes(registered: Declaration) -> None:
    certificate = current(registered)
    assert tokens.is_new(certificate.token)


@pytest.mark.parametrize(
    "typing",
    [
        lambda code: tokens.grouped(code).lower(),  # small letters, with the dashes
        lambda code: " ".join(tokens.grouped(code).split("-")),  # the groups' spaces
        lambda code: code.replace("0", "O").replace("1", "l"),  # O for 0, l for 1
    ],
    ids=["lower-dashes", "spaces", "look-alikes"],
)
def test_a_new_code_verifies_however_it_is_typed(
    registered: Declaration, client: Client, typing: Any
) -> None:
    certificate = current(registered)
    status, body = verify(client, typing(certificate.token))
    assert status == 200 and verdict(body) == "SAH", body
    assert tokens.grouped(certificate.token) in body  # shown as printed


def test_an_older_code_keeps_verifying_exactly_as_before(
    registered: Declaration, client: Client
) -> None:
    Certificate.objects.filter(pk=current(registered).pk).update(token=OLD)
    status, body = verify(client, OLD)
    assert status == 200 and verdict(body) == "SAH"
    # Old codes are case-sensitive: another case is not that certificate ...
    status, body = verify(client, OLD.upper())
    assert status == 404 and "Aisyah" not in body
    # ... but neither is it called a forgery: the person is asked to check the code.
    assert verdict(body) == "PERIKSA KEMBALI KODE"


@pytest.mark.parametrize(
    "mistype",
    [
        lambda code: code[1:],  # the leading dash dropped where the printed URL wrapped
        lambda code: code[:10] + ("A" if code[10] != "A" else "B") + code[11:],  # one typo
        lambda code: code[:-1],  # the last character left off
    ],
    ids=["dropped-dash", "typo", "short"],
)
def test_a_near_miss_of_an_older_code_says_check_the_code(
    registered: Declaration, client: Client, mistype: Any
) -> None:
    Certificate.objects.filter(pk=current(registered).pk).update(token=OLD)
    status, body = verify(client, mistype(OLD))
    assert status == 404 and verdict(body) == "PERIKSA KEMBALI KODE"
    assert "palsu" not in body and "Aisyah" not in body  # nothing of the certificate shown


def test_a_typo_in_a_new_code_says_check_the_code(
    registered: Declaration, client: Client, django_assert_max_num_queries: Any
) -> None:
    code = current(registered).token
    typo = code[:20] + ("X" if code[20] != "X" else "Y") + code[21:]
    with django_assert_max_num_queries(8):  # a few bounded look-ups, never a scan in Python
        status, body = verify(client, tokens.grouped(typo))
    assert status == 404 and verdict(body) == "PERIKSA KEMBALI KODE"
    # A code close to nothing is still not valid.
    status, body = verify(client, tokens.new_token())
    assert status == 404 and verdict(body) == "TIDAK SAH"


def test_unknown_codes_are_limited_per_address_and_real_ones_still_verify(
    registered: Declaration, client: Client, settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "birth_code_unknown": (3, 3600)}
    for _ in range(3):
        assert verify(client, tokens.new_token())[0] == 404
    status, body = verify(client, tokens.new_token())
    assert status == 429 and verdict(body) == "COBA LAGI NANTI"
    status, body = verify(client, current(registered).token)
    assert status == 200 and verdict(body) == "SAH"


def test_a_person_types_the_code_on_a_form_without_javascript(
    registered: Declaration, client: Client
) -> None:
    form = reverse("births:verify-form")
    with translation.override("id"):
        page = client.get(form).content.decode()
    assert 'name="kode"' in page and 'method="get"' in page
    code = current(registered).token
    typed = " ".join(tokens.grouped(code).lower().split("-"))
    response = client.get(form, {"kode": typed}, follow=True)
    assert response.status_code == 200 and verdict(response.content.decode()) == "SAH"
    with translation.override("id"):
        empty = client.get(form, {"kode": "  "}).content.decode()
    assert "Ketik kode" in empty


def test_the_page_speaks_plainly_and_keeps_the_file_hash_for_developers(
    registered: Declaration, client: Client
) -> None:
    certificate = current(registered)
    certificates.pdf_of(certificate)
    status, body = verify(client, certificate.token)
    assert status == 200
    main, _, developers = body.partition('class="dev-line"')
    assert "SHA-256" not in main and certificate.pdf_sha256 in developers
    assert "Untuk pengembang" in developers


def test_the_certificate_prints_the_code_in_groups_that_never_break(
    registered: Declaration,
) -> None:
    certificate = current(registered)
    html = _certificate_html(certificate)
    groups = tokens.grouped(certificate.token).split("-")
    assert "".join(f"<span>{g}</span> " for g in groups).strip() in html
    assert "http://testserver/akta/v/" in html


def _certificate_html(certificate: Certificate) -> str:
    """The certificate's HTML, as WeasyPrint would get it."""
    with mock.patch.object(certificates, "html_to_pdf", side_effect=lambda html: html.encode()):
        return certificates.render_pdf(certificate).decode()


def test_in_development_certificates_and_sms_carry_the_address_actually_served(
    validated: Declaration,
    registrar: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.BIRTHS_PUBLIC_BASE_URL = ""  # development: no address configured
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    # The site is served on port 8101, not the 8000 a default would assume.
    Client().get(reverse("births:verify-form"), HTTP_HOST="127.0.0.1:8101")
    with django_capture_on_commit_callbacks(execute=True):  # the SMS is sent after the commit
        declaration = actions.register(validated, actor=registrar, request=None)
    token = current(declaration).token
    assert certificates.verification_url(token) == f"http://127.0.0.1:8101/akta/v/{token}/"
    assert "http://127.0.0.1:8101/akta/v/" in _certificate_html(current(declaration))
    sms = Message.objects.get(purpose="births:registered")
    assert "http://127.0.0.1:8101/" in sms.text and ":8000" not in sms.text
