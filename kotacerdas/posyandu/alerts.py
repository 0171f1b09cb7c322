"""Which alerts a weighing raises: one per child and visit, with every reason.

The puskesmas nutrition officer handles a child's visit once, whatever the
number of reasons (BGM, 2T, stunting …). A reason that appears after the alert
was handled (a correction, a late month making this one 2T) opens a new alert
with the new reasons only.
"""

from __future__ import annotations

from kotacerdas.posyandu.models import Alert, Measurement

# Stunting and wasting: Permenkes 2/2020 "pendek" and "gizi kurang" start below −2 SD.
STUNTING_Z = -2.0
WASTING_Z = -2.0


def alert_kinds(measurement: Measurement) -> list[str]:
    flags = measurement.flag_list
    wanted: list[str] = []
    if measurement.bgm:
        wanted.append(Alert.Kind.BGM)
    if measurement.two_t:
        wanted.append(Alert.Kind.TWO_T)
    if measurement.z_lhfa is not None and "lhfa" not in flags and measurement.z_lhfa < STUNTING_Z:
        wanted.append(Alert.Kind.STUNTING)
    if measurement.z_wflh is not None and "wflh" not in flags and measurement.z_wflh < WASTING_Z:
        wanted.append(Alert.Kind.WASTING)
    if flags:
        wanted.append(Alert.Kind.IMPLAUSIBLE)
    if measurement.change_list:
        wanted.append(Alert.Kind.CHANGE)
    return wanted


def new_alert(measurement: Measurement, reasons: list[str]) -> Alert:
    """An unsaved alert (the demo creates them in bulk)."""
    return Alert(
        measurement=measurement,
        posyandu=measurement.posyandu,
        kind=reasons[0],
        reasons=",".join(reasons),
    )


def sync_alerts(measurement: Measurement) -> list[Alert]:
    """Keep the visit's open alert in step with what it raises; the new alert, if any.

    Reasons it no longer raises are withdrawn (the open alert goes when none is left).
    """
    wanted = alert_kinds(measurement)
    handled = {
        reason
        for alert in Alert.objects.filter(measurement=measurement).exclude(handled_at=None)
        for reason in alert.reason_list
    }
    reasons = [kind for kind in wanted if kind not in handled]
    current = Alert.objects.filter(measurement=measurement, handled_at=None).first()
    if not reasons:
        if current is not None:
            current.delete()
        return []
    if current is None:
        alert = new_alert(measurement, reasons)
        alert.save()
        return [alert]
    if current.reason_list != reasons or current.posyandu_id != measurement.posyandu_id:
        current.kind, current.reasons = reasons[0], ",".join(reasons)
        current.posyandu = measurement.posyandu
        current.save(update_fields=["kind", "reasons", "posyandu"])
    return []


__all__ = ["STUNTING_Z", "WASTING_Z", "alert_kinds", "new_alert", "sync_alerts"]
