"""A throwaway service for the tests: it proves that a new service needs its
folder and one line in INSTALLED_APPS, nothing else (test_sample_service.py)."""
