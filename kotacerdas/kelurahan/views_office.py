"""The kelurahan office's pages: letter types and their texts, the agenda registers, statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kotacerdas.accounts.access import StaffRequest
from kotacerdas.core.excel import xlsx_response
from kotacerdas.core.pagination import paginate
from kotacerdas.kelurahan import access, sandbox, stats
from kotacerdas.kelurahan.actions import registers, templates
from kotacerdas.kelurahan.catalogue import placeholders_of
from kotacerdas.kelurahan.forms import CorrespondenceForm, SearchForm, TemplateForm
from kotacerdas.kelurahan.letterdata import preview_data
from kotacerdas.kelurahan.models import Correspondence, LetterType


def letter_types(request: StaffRequest) -> HttpResponse:
    access.require_reader(request.user)
    return render(
        request,
        "kelurahan/types.html",
        {
            "types": LetterType.objects.prefetch_related("versions"),
            "may_edit": access.edits_templates(request.user),
        },
    )


def edit_type(request: StaffRequest, code: str) -> HttpResponse:
    """A type's text: preview with a real resident of the user's area, then publish."""
    if not access.edits_templates(request.user):
        raise PermissionDenied
    letter_type = get_object_or_404(LetterType, code=code)
    current = letter_type.current_version()
    initial = {
        "body": current.body if current else "",
        "classification": letter_type.classification,
        "number_format": letter_type.number_format,
    }
    form = TemplateForm(letter_type, request.POST or None, initial=initial)
    preview = ""
    if request.method == "POST" and form.is_valid():
        if "publish" in request.POST:
            version = templates.publish(
                letter_type.pk,
                request.user,
                body=form.cleaned_data["body"],
                classification=form.cleaned_data["classification"],
                number_format=form.cleaned_data["number_format"],
            )
            messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
            return redirect("kelurahan:types")
        preview = _preview(request, form, letter_type)
    return render(
        request,
        "kelurahan/type_edit.html",
        {
            "letter_type": letter_type,
            "form": form,
            "preview": preview,
            "placeholders": sorted(placeholders_of(letter_type.extra_fields, letter_type.persons)),
        },
    )


def _preview(request: StaffRequest, form: TemplateForm, letter_type: LetterType) -> str:
    person = (
        access.residents_for_preview(request.user)
        .select_related("rt__rw__kelurahan", "family")
        .filter(nik=form.cleaned_data.get("preview_nik") or "")
        .first()
    )
    if person is None:
        form.add_error("preview_nik", _("No resident of your area has this NIK."))
        return ""
    extra = {f["name"]: f"[{f['label']}]" for f in letter_type.extra_fields}
    return sandbox.render(
        form.cleaned_data["body"], preview_data(person, extra, person.rt.rw.kelurahan)
    )


def agenda(request: StaffRequest) -> HttpResponse:
    """Both registers, searchable; the office adds lines, the Excel export takes the search."""
    access.require_reader(request.user)
    search = SearchForm(request.GET or None)
    entries = _searched(request, search)
    offices = access.kelurahan_for_user(request.user)
    form = CorrespondenceForm(request.POST or None)
    if request.method == "POST":
        office = offices.filter(code=request.POST.get("kelurahan", "")).first()
        if office is None:
            raise PermissionDenied
        if form.is_valid():
            entry = registers.enter(office, request.user, **form.cleaned_data)
            messages.success(request, _("Entered as %(number)s.") % {"number": entry.number})
            return redirect("kelurahan:agenda")
    if request.GET.get("format") == "xlsx":
        return _agenda_xlsx(entries)
    return render(
        request,
        "kelurahan/agenda.html",
        {
            "page": paginate(
                entries, ("-year", "-sequence", "-pk"), request.GET.get("page"), per_page=50
            ),
            "search": search,
            "form": form,
            "offices": offices,
        },
    )


def _searched(request: StaffRequest, search: SearchForm) -> QuerySet[Correspondence]:
    entries = access.correspondence_for_user(request.user).select_related("kelurahan")
    if search.is_valid():
        q, direction, year = (search.cleaned_data[k] for k in ("q", "direction", "year"))
        if q:
            entries = entries.filter(
                Q(subject__icontains=q)
                | Q(counterpart__icontains=q)
                | Q(number__icontains=q)
                | Q(their_number__icontains=q)
            )
        if direction:
            entries = entries.filter(direction=direction)
        if year:
            entries = entries.filter(year=year)
    return entries


def _agenda_xlsx(entries: QuerySet[Correspondence]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.append(
        ["Kelurahan", "Agenda", "Nomor", "Nomor surat", "Tanggal", "Dari/kepada", "Perihal", "Kode"]
    )
    for e in entries[:10_000]:
        sheet.append(
            [
                e.kelurahan.name,
                e.get_direction_display(),
                e.number,
                e.their_number,
                e.date,
                e.counterpart,
                e.subject,
                e.classification,
            ]
        )
    return xlsx_response(book, "agenda-surat.xlsx")


def statistics_page(request: StaffRequest) -> HttpResponse:
    access.require_reader(request.user)
    year = _year(request)
    summary = stats.summary(year, access.figures_area_q(request.user))
    if request.GET.get("format") == "xlsx":
        return _stats_xlsx(summary)
    return render(
        request,
        "kelurahan/stats.html",
        {
            "s": summary,
            "bars": stats.bars(summary.by_month),
            "months": stats.MONTHS,
            "year": year,
        },
    )


def _year(request: StaffRequest) -> int:
    try:
        return max(2000, min(2100, int(request.GET.get("tahun", ""))))
    except ValueError:
        return timezone.localdate().year


def _stats_xlsx(summary: stats.Summary) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = "Per jenis"
    sheet.append(["Jenis surat", *stats.MONTHS, "Jumlah", "Median hari kerja"])
    for t in summary.by_type:
        sheet.append([t["title"], *t["months"], t["total"], t["median"]])
    per_kelurahan = book.create_sheet("Per kelurahan")
    per_kelurahan.append(["Kelurahan", "Jumlah", "Median hari kerja"])
    for k in summary.by_kelurahan:
        per_kelurahan.append([k["name"], k["n"], k["median"]])
    return xlsx_response(book, f"surat-{summary.year}.xlsx")
