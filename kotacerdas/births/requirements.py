"""Which documents a declaration still lacks (Disdukcapil Kota Cirebon's list).

- a birth notice from the midwife or hospital, or else the kelurahan's birth
  statement, or else an SPTJM on the birth's facts signed with two witnesses;
- when a father is named: the marriage book or certificate, or else an SPTJM
  of being a married couple;
- the family card;
- when reported late: the request for late registration approval.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kotacerdas.births.models import Declaration, DocumentKind

K = DocumentKind


@dataclass(frozen=True)
class Missing:
    text: str | Promise
    kinds: tuple[str, ...]


def missing_documents(declaration: Declaration, kinds: set[str] | None = None) -> list[Missing]:
    if kinds is None:
        kinds = set(declaration.documents.values_list("kind", flat=True))
    missing: list[Missing] = []
    if declaration.rt_id is None or not declaration.kk_number or not declaration.address:
        missing.append(
            Missing(_("The family card number and the family's address (change the data)"), ())
        )
    if not kinds & {K.BIRTH_NOTICE, K.KELURAHAN_NOTICE, K.SPTJM_BIRTH}:
        missing.append(
            Missing(
                _(
                    "Birth notice from the midwife, puskesmas or hospital (or, without one: the "
                    "kelurahan's birth statement, or an SPTJM F-2.02 with two witnesses)"
                ),
                (K.BIRTH_NOTICE, K.KELURAHAN_NOTICE, K.SPTJM_BIRTH),
            )
        )
    elif (
        K.SPTJM_BIRTH in kinds
        and not kinds & {K.BIRTH_NOTICE, K.KELURAHAN_NOTICE}
        and not (declaration.witness1_nik and declaration.witness2_nik)
    ):
        missing.append(
            Missing(_("The two witnesses of the SPTJM F-2.02 (their NIK and name in the form)"), ())
        )
    if declaration.has_father and not kinds & {K.MARRIAGE, K.SPTJM_MARRIAGE}:
        missing.append(
            Missing(
                _("Marriage book or marriage certificate (or an SPTJM F-2.04 of being married)"),
                (K.MARRIAGE, K.SPTJM_MARRIAGE),
            )
        )
    if K.FAMILY_CARD not in kinds:
        missing.append(Missing(_("Family card (KK)"), (K.FAMILY_CARD,)))
    if declaration.late and K.LATE_REQUEST not in kinds:
        missing.append(
            Missing(
                _("Request for late registration approval (the baby is over the limit)"),
                (K.LATE_REQUEST,),
            )
        )
    return missing
