"""Plain helpers every app may use: no models, no views, no import of any app.

The lowest layer of the platform (see docs/architecture.md): locks, paging,
the rate limiter, safe redirects, spreadsheet responses, input cleaning.
"""
