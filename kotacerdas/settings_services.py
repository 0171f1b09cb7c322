"""Each service's own settings, from the environment (deploy/kotacerdas.env.example).

``kotacerdas/settings.py`` holds the platform's (Django, database, cache,
security, SMS, the floor's limits) and imports this module at its end; a new
service adds its block here. Limits go through ``_rate_limit`` into
``SERVICE_RATE_LIMITS``, which settings.py merges into ``RATE_LIMITS``.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from kotacerdas.core.env import env_int, env_list, env_str, environment, rate_limit_from_env

# Private names: settings.py takes every public name of this module (import *).
_PRODUCTION = environment() == "production"
_HOUR = 3600
SERVICE_RATE_LIMITS: dict[str, tuple[int, int]] = {}


def _rate_limit(name: str, count: int, seconds: int) -> None:
    SERVICE_RATE_LIMITS[name] = rate_limit_from_env(name, count, seconds)


# Wadul Bae: the protection unit (Unit code) that receives reports, and the
# working-day deadlines [verify with DP3A]; its flood limits are above.
WADUL_UNIT_CODE = env_str("WADUL_UNIT_CODE", "dp3a")
WADUL_VERIFY_DAYS = env_int("WADUL_VERIFY_DAYS", 3)
WADUL_ACTION_DAYS = env_int("WADUL_ACTION_DAYS", 5)
WADUL_MAX_STORY = env_int("WADUL_MAX_STORY", 5000)

# E-Posyandu. Dinkes is the Unit whose health officers see the whole city.
POSYANDU_DINKES_UNIT_CODE = env_str("POSYANDU_DINKES_UNIT_CODE", "dinkes")
# BGM (bawah garis merah): weight-for-age z below this [verify the KMS red line with Dinkes].
POSYANDU_BGM_Z = float(env_str("POSYANDU_BGM_Z", "-3"))
# Hard limits of the entry form: outside them a value is refused, not warned about.
# Length/height: the span of the WHO weight-for-length (45 cm) and -height (120 cm) tables.
POSYANDU_WEIGHT_MAX_KG = env_int("POSYANDU_WEIGHT_MAX_KG", 40)
POSYANDU_LENHEI_MIN_CM = env_int("POSYANDU_LENHEI_MIN_CM", 45)
POSYANDU_LENHEI_MAX_CM = env_int("POSYANDU_LENHEI_MAX_CM", 120)
# Against the previous visit: a weight down by more than this many kg or this
# percentage, or a length/height down by more than the measuring error (cm), is
# measured again or confirmed, like a WHO flag [verify all three with Dinkes].
POSYANDU_DROP_KG = float(env_str("POSYANDU_DROP_KG", "1"))
POSYANDU_DROP_PERCENT = float(env_str("POSYANDU_DROP_PERCENT", "10"))
POSYANDU_SHRINK_CM = float(env_str("POSYANDU_SHRINK_CM", "1"))
# A dose is overdue this many days after its due date [verify].
POSYANDU_OVERDUE_DAYS = env_int("POSYANDU_OVERDUE_DAYS", 28)
# Immunisation reminders go out this many days before posyandu day.
POSYANDU_REMINDER_DAYS_BEFORE = env_int("POSYANDU_REMINDER_DAYS_BEFORE", 2)
# SKDN: months shown side by side.
POSYANDU_SKDN_MONTHS = env_int("POSYANDU_SKDN_MONTHS", 6)
# SKDN page: its tables (aggregates of an area) come from the shared cache this
# many seconds; a weighing shows on it within this delay. 0 turns it off.
POSYANDU_SKDN_CACHE_SECONDS = env_int("POSYANDU_SKDN_CACHE_SECONDS", 60)
# Anaemia in pregnancy below this Hb (g/dL), KEK below this LiLA (cm) [verify].
POSYANDU_ANAEMIA_HB = float(env_str("POSYANDU_ANAEMIA_HB", "11"))
POSYANDU_KEK_LILA_CM = float(env_str("POSYANDU_KEK_LILA_CM", "23.5"))
# A citizen links the account to the register by a NIK (whose record must carry
# the account's number) before acting for anyone: NIKs tried per account an hour.
# POSYANDU_MOTHER_LINK_ATTEMPTS_PER_HOUR is the older name of the count.
_rate_limit("citizen_link", env_int("POSYANDU_MOTHER_LINK_ATTEMPTS_PER_HOUR", 5), 3600)
# Brojol Aja Klalen (births) [verify each with Disdukcapil Kota Cirebon].
# Certificate codes typed on the public verification page that match none, per
# address an hour: each is also compared with near codes ("check the code").
_rate_limit("birth_code_unknown", env_int("BIRTHS_UNKNOWN_CODES_PER_HOUR", 30), _HOUR)
# The Disdukcapil unit whose registrars work the queues (Unit code).
BIRTHS_REGISTRY_UNIT_CODE = env_str("BIRTHS_REGISTRY_UNIT_CODE", "disdukcapil")
# UU 24/2013 Pasal 27: 60 days; some local pages say 60 working days.
BIRTHS_LATE_AFTER_DAYS = env_int("BIRTHS_LATE_AFTER_DAYS", 60)
# Akta number: {city} kab/kota code, {kind} LU (on time) or LT (late),
# {date} registration date DDMMYYYY, {number} the day's running number.
BIRTHS_AKTA_FORMAT = env_str("BIRTHS_AKTA_FORMAT", "{city}-{kind}-{date}-{number:04d}")
BIRTHS_CITY_CODE = env_str("BIRTHS_CITY_CODE", "3274")
# Uploaded documents: largest file accepted.
BIRTHS_MAX_UPLOAD_BYTES = env_int("BIRTHS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Uploads and drafts cannot fill the disk: documents kept per declaration
# (and per kind of document), drafts a citizen may have open at once.
BIRTHS_MAX_DOCUMENTS_PER_DECLARATION = env_int("BIRTHS_MAX_DOCUMENTS_PER_DECLARATION", 20)
BIRTHS_MAX_DOCUMENTS_PER_KIND = env_int("BIRTHS_MAX_DOCUMENTS_PER_KIND", 3)
BIRTHS_MAX_OPEN_DRAFTS_PER_CITIZEN = env_int("BIRTHS_MAX_OPEN_DRAFTS_PER_CITIZEN", 3)
# Wrong NIKs a citizen may enter when claiming a staff-started report before
# it locks (staff then send it again).
BIRTHS_CLAIM_MAX_ATTEMPTS = env_int("BIRTHS_CLAIM_MAX_ATTEMPTS", 5)
# Deduplication: same mother NIK with a child born within this many days.
BIRTHS_DUPLICATE_DAYS = env_int("BIRTHS_DUPLICATE_DAYS", 5)
# Completeness: expected births = population × crude birth rate (per 1,000 a year).
BIRTHS_POPULATION = env_int("BIRTHS_POPULATION", 341_980)
BIRTHS_CRUDE_BIRTH_RATE = float(env_str("BIRTHS_CRUDE_BIRTH_RATE", "15.2"))
# The address printed in the certificate's QR (the public verification page).
# A certificate outlives any server move, so production must name it: https only.
# Empty in development: the address the site is actually served on (core.addresses).
BIRTHS_PUBLIC_BASE_URL = env_str("BIRTHS_PUBLIC_BASE_URL", "")
if _PRODUCTION and not BIRTHS_PUBLIC_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "Production needs BIRTHS_PUBLIC_BASE_URL=https://… (printed in every birth certificate's QR)"
    )
# Name and title printed as the signing official on certificates.
BIRTHS_SIGNATORY_TITLE = env_str(
    "BIRTHS_SIGNATORY_TITLE", "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Cirebon"
)
# The register's public population statistics (/statistik-penduduk/) hide counts
# from 1 to this minus one, and one more where a single hidden count could be
# rebuilt from a total.
POPULATION_PUBLIC_MIN_COUNT = env_int("POPULATION_PUBLIC_MIN_COUNT", 5)

# Cirebon Lengko (RSD Gunung Jati outpatient booking and beds). The hospital
# (Unit code); booking opens this many days ahead (Jati Isun: H-14) and closes
# this many minutes before a session starts; the kiosk checks in from this many
# minutes before the session until its end; reminders go out the day before
# (after the hour below) and this many minutes before the estimated time.
# Every figure [verify] with the hospital's registration unit.
HOSPITAL_UNIT_CODE = env_str("HOSPITAL_UNIT_CODE", "rsd-gunung-jati")
HOSPITAL_BOOKING_DAYS = env_int("HOSPITAL_BOOKING_DAYS", 14)
HOSPITAL_BOOKING_CUTOFF_MINUTES = env_int("HOSPITAL_BOOKING_CUTOFF_MINUTES", 60)
HOSPITAL_CHECKIN_BEFORE_MINUTES = env_int("HOSPITAL_CHECKIN_BEFORE_MINUTES", 120)
HOSPITAL_REMINDER_DAY_BEFORE_HOUR = env_int("HOSPITAL_REMINDER_DAY_BEFORE_HOUR", 16)
HOSPITAL_REMINDER_MINUTES_BEFORE = env_int("HOSPITAL_REMINDER_MINUTES_BEFORE", 60)
# Which kinds of day off in the city calendar close the outpatient clinics
# (national, cuti_bersama, local); the hospital records closures of its own on
# top at /lengko/jadwal/. [verify] with the hospital whether clinics open on
# cuti bersama (the SKB asks hospitals to keep services running).
HOSPITAL_CLOSED_ON = env_list("HOSPITAL_CLOSED_ON", ["national", "cuti_bersama", "local"])
_unknown_kinds = set(HOSPITAL_CLOSED_ON) - {"national", "cuti_bersama", "local"}
if _unknown_kinds:
    raise ImproperlyConfigured(
        f"HOSPITAL_CLOSED_ON: unknown kinds {sorted(_unknown_kinds)} (use national, cuti_bersama, local)"
    )
# Seconds between refreshes of the queue displays and the public bed page.
HOSPITAL_REFRESH_SECONDS = env_int("HOSPITAL_REFRESH_SECONDS", 5)
# The token Mobile JKN (or the hospital's bridge) sends as x-token to the
# BPJS-Antrean-shaped endpoints; empty: those endpoints refuse every call.
HOSPITAL_BPJS_TOKEN = env_str("HOSPITAL_BPJS_TOKEN", "")
# The public kiosk, per device address and hour: booking codes that match no
# booking (someone guessing), and all check-in attempts (a real kiosk in the
# hall checks in perhaps 100 patients an hour at the morning peak) [verify].
# Online booking limits per signed-in citizen (counter bookings are not capped):
# active bookings (booked or checked in, today or later) at one time, and
# bookings made in one day, cancelled and rescheduled ones included, so that
# book-then-cancel loops stay bounded [verify].
HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN = env_int("HOSPITAL_MAX_ACTIVE_BOOKINGS_PER_CITIZEN", 3)
HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY = env_int("HOSPITAL_MAX_BOOKINGS_PER_CITIZEN_PER_DAY", 6)

# Cirebon Melet (literacy): WiFi points and digital-literacy classes.
# The DKIS unit (Unit code) whose WiFi officers and read-only members see every point.
LITERACY_DKIS_UNIT_CODE = env_str("LITERACY_DKIS_UNIT_CODE", "dkis")
# Map tiles of the public WiFi page; the list of points shows without them.
LITERACY_TILE_URL = env_str("LITERACY_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
LITERACY_TILE_ATTRIBUTION = env_str(
    "LITERACY_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
# The key of the keyed hash (HMAC-SHA256) that replaces MAC addresses and RADIUS
# user names on import; kept outside the database. A new key starts a new
# version: distinct-device counts hold within one key version only.
LITERACY_DEVICE_KEY = env_str("LITERACY_DEVICE_KEY", "" if _PRODUCTION else "melet-development-key")
LITERACY_DEVICE_KEY_VERSION = env_int("LITERACY_DEVICE_KEY_VERSION", 1)
if _PRODUCTION and len(LITERACY_DEVICE_KEY) < 32:
    raise ImproperlyConfigured(
        "Production needs LITERACY_DEVICE_KEY (or LITERACY_DEVICE_KEY_FILE) of 32+ characters"
    )
# Accounting rows dated later than now plus this many minutes are refused (a NAS clock gone wrong).
LITERACY_FUTURE_TOLERANCE_MINUTES = env_int("LITERACY_FUTURE_TOLERANCE_MINUTES", 10)
# Down reports for one point from one address an hour (a prank cannot flood DKIS).
_rate_limit("wifi_down_reports", env_int("LITERACY_DOWN_REPORTS_PER_HOUR", 3), _HOUR)
# Where a class certificate's QR and link point (production: the public address; empty:
# the address served, in development).
LITERACY_PUBLIC_BASE_URL = env_str("LITERACY_PUBLIC_BASE_URL", "")
# The literacy mini-index hides a kelurahan x pillar x quarter cell with fewer post-tests.
LITERACY_INDEX_MIN_COUNT = env_int("LITERACY_INDEX_MIN_COUNT", 5)
# The city dashboard (docs/dashboard.md): counts 1 … threshold-1 hidden from readers
# without detail; higher for specific data (health, children: UU 27/2022).
DASHBOARD_SMALL_COUNT = env_int("DASHBOARD_SMALL_COUNT", 5)
DASHBOARD_SMALL_COUNT_SPECIFIC = env_int("DASHBOARD_SMALL_COUNT_SPECIFIC", 11)
DASHBOARD_SPECIFIC_DATA_APPS = env_list(
    "DASHBOARD_SPECIFIC_DATA_APPS", ["reports", "hospital", "births", "posyandu"]
)
# Counts of what stands on a day: a year shows their last month, not a sum.
DASHBOARD_STOCK_FIGURES = env_list(
    "DASHBOARD_STOCK_FIGURES",
    [
        "posyandu.children_under_five",
        "hospital.free_beds",
        "web.residents",
        "web.residents_by_age",
    ],
)
DASHBOARD_YEARS = env_int("DASHBOARD_YEARS", 3)  # years offered and rebuilt nightly
# Open data (docs/opendata.md): counts from 1 to the threshold minus one are
# hidden in every published file, with complementary cells; higher for specific data.
OPENDATA_SMALL_COUNT = env_int("OPENDATA_SMALL_COUNT", 5)
OPENDATA_SMALL_COUNT_SPECIFIC = env_int("OPENDATA_SMALL_COUNT_SPECIFIC", 11)
OPENDATA_SPECIFIC_DATA_APPS = env_list(
    "OPENDATA_SPECIFIC_DATA_APPS", ["reports", "hospital", "births", "posyandu"]
)
OPENDATA_STOCK_FIGURES = env_list(
    "OPENDATA_STOCK_FIGURES",
    ["posyandu.children_under_five", "hospital.free_beds", "web.residents"],
)
OPENDATA_YEARS = env_int("OPENDATA_YEARS", 3)  # years each dataset covers
OPENDATA_SEARCH_MAX_ROWS = env_int("OPENDATA_SEARCH_MAX_ROWS", 1000)  # package_search's cap
# Cirebon Sedulur letters [verify with Bagian Pemerintahan, Diskominfo]: see docs/kelurahan.md.
KELURAHAN_NUMBER_FORMAT = env_str(
    "KELURAHAN_NUMBER_FORMAT", "[kode]/[nomor,3]/[kode kelurahan]/[bulan romawi]/[tahun]"
)
KELURAHAN_NUMBER_SCOPE = env_str("KELURAHAN_NUMBER_SCOPE", "type")  # or letters, shared
KELURAHAN_PUBLIC_BASE_URL = env_str("KELURAHAN_PUBLIC_BASE_URL", "")  # in every letter's QR
_https = KELURAHAN_PUBLIC_BASE_URL.startswith("https://") or not _PRODUCTION
if KELURAHAN_NUMBER_SCOPE not in ("type", "letters", "shared") or not _https:
    raise ImproperlyConfigured("KELURAHAN_NUMBER_SCOPE or KELURAHAN_PUBLIC_BASE_URL is wrong")
KELURAHAN_LETTERHEAD = env_str("KELURAHAN_LETTERHEAD", "PEMERINTAH KOTA CIREBON")
KELURAHAN_ADDRESS = env_str("KELURAHAN_ADDRESS", "Kantor Kelurahan {kelurahan}, Kota Cirebon")
KELURAHAN_BSRE = {  # BSrE TTE; no URL: printed and signed by hand
    "url": env_str("KELURAHAN_BSRE_URL"),
    "user": env_str("KELURAHAN_BSRE_USER"),
    "password": env_str("KELURAHAN_BSRE_PASSWORD"),
    "passphrase": env_str("KELURAHAN_BSRE_PASSPHRASE"),
}
KELURAHAN_BSRE_SIGNERS = env_list("KELURAHAN_BSRE_SIGNERS", [])  # "<kelurahan code>=<NIK>,…"
_rate_limit("letter_verify", env_int("KELURAHAN_VERIFY_PER_HOUR", 600), _HOUR)
_rate_limit("letter_sms_status", env_int("KELURAHAN_SMS_STATUS_PER_HOUR", 10), _HOUR)
