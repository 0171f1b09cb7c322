from django.urls import path

from kotacerdas.hospital import bpjs, fhir, views, views_beds, views_staff

app_name = "hospital"

urlpatterns = [
    # Patients
    path("lengko/", views.index, name="index"),
    path("lengko/sesi/<int:session_id>/pesan/", views.book, name="book"),
    path("lengko/pemesanan/", views.my_bookings, name="my-bookings"),
    path("lengko/tiket/<str:code>/", views.ticket, name="ticket"),
    path("lengko/tiket/<str:code>/status.json", views.ticket_status, name="ticket-status"),
    path("lengko/tiket/<str:code>/batal/", views.cancel, name="cancel"),
    path("lengko/tiket/<str:code>/ubah/", views.reschedule, name="reschedule"),
    # Kiosk and waiting-room screens
    path("lengko/anjungan/", views.kiosk, name="kiosk"),
    path("lengko/anjungan/tiket/", views.kiosk_ticket, name="kiosk-ticket"),
    path("lengko/anjungan/selesai/", views.kiosk_done, name="kiosk-done"),
    path("lengko/layar/", views.display, name="display"),
    path("lengko/layar/data.json", views.display_data, name="display-data"),
    path("lengko/layar/<str:code>/", views.display, name="display-clinic"),
    path("lengko/layar/<str:code>/data.json", views.display_data, name="display-clinic-data"),
    # Staff
    path("lengko/loket/", views_staff.counter, name="counter"),
    path("lengko/loket/tiket/<int:booking_id>/", views_staff.counter_ticket, name="counter-ticket"),
    path("lengko/loket/antrean/<int:booking_id>/daftar/", views_staff.admit, name="admit"),
    path("lengko/jadwal/", views_staff.schedule, name="schedule"),
    path("lengko/poli/", views_staff.clinic_today, name="clinic-today"),
    path("lengko/poli/sesi/<int:session_id>/", views_staff.session_queue, name="session-queue"),
    path("lengko/poli/sesi/<int:session_id>/panggil/", views_staff.call_next, name="call-next"),
    path("lengko/poli/antrean/<int:booking_id>/ulang/", views_staff.recall, name="recall"),
    path("lengko/poli/antrean/<int:booking_id>/lewati/", views_staff.skip, name="skip"),
    path("lengko/poli/antrean/<int:booking_id>/selesai/", views_staff.serve, name="serve"),
    path(
        "lengko/poli/antrean/<int:booking_id>/farmasi/<int:task>/",
        views_staff.pharmacy,
        name="pharmacy",
    ),
    # Beds
    path("kamar/", views_beds.beds, name="beds"),
    path("kamar/data.json", views_beds.beds_data, name="beds-data"),
    path("kamar/sirs.json", views_beds.beds_sirs, name="beds-sirs"),
    path("kamar/perawat/", views_staff.nurse_station, name="nurse-station"),
    path("kamar/perawat/tt/<int:bed_id>/", views_staff.bed_status, name="bed-status"),
    path(
        "kamar/perawat/ruang/<int:ward_id>/antrian/", views_staff.ward_waiting, name="ward-waiting"
    ),
    # BPJS Antrean (WS RS)
    path("lengko/bpjs/statusantrean", bpjs.status_antrean, name="bpjs-status"),
    path("lengko/bpjs/sisaantrean", bpjs.sisa_antrean, name="bpjs-remaining"),
    # FHIR R4
    path("fhir/r4/metadata", fhir.metadata, name="fhir-metadata"),
    path("fhir/r4/Schedule", fhir.schedule_search, name="fhir-schedule-search"),
    path("fhir/r4/Schedule/<str:resource_id>", fhir.schedule_read, name="fhir-schedule"),
    path("fhir/r4/Slot", fhir.slot_search, name="fhir-slot-search"),
    path("fhir/r4/Slot/<str:resource_id>", fhir.slot_read, name="fhir-slot"),
    path("fhir/r4/Appointment", fhir.appointment_search, name="fhir-appointment-search"),
    path("fhir/r4/Appointment/<str:resource_id>", fhir.appointment_read, name="fhir-appointment"),
    path("fhir/r4/Location", fhir.location_search, name="fhir-location-search"),
    path("fhir/r4/Location/<str:resource_id>", fhir.location_read, name="fhir-location"),
]
