from django.contrib import admin

from kotacerdas.hospital.models import Clinic, Doctor, Ward, WeeklySchedule


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "bpjs_code", "unit", "active", "sensitive"]


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = ["name", "bpjs_code", "unit", "active"]


@admin.register(WeeklySchedule)
class WeeklyScheduleAdmin(admin.ModelAdmin):
    list_display = ["clinic", "doctor", "weekday", "start", "end", "quota_jkn", "quota_non_jkn"]
    list_filter = ["clinic", "weekday"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "bed_type", "unit"]
