"""The lending engine: schedules, payment allocation, delinquency, cost disclosure, status rules.

Pure Python on Decimal: no Flask, no database session. Inputs are Decimal (never float),
outputs are frozen dataclasses, so the same functions serve the web views, the CLI and
the tests.
"""
