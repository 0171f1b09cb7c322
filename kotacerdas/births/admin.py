from django.contrib import admin

from kotacerdas.births.models import Certificate, Declaration


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "birth_date", "submitted_at", "akta_number"]
    list_filter = ["status", "late"]
    search_fields = ["reference", "akta_number"]
    readonly_fields = [field.name for field in Declaration._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["akta_number", "version", "status", "issued_at", "printed_at"]
    list_filter = ["status"]
    exclude = ["pdf", "token"]
    readonly_fields = ["declaration", "version", "status", "akta_number", "shown", "issued_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
