"""Deterministic demo data for trying the CRM and for benchmarks: `flask --app wsgi demo load`.

Generators started from fixed numbers draw every value, so each run creates the same products,
staff, customers and loans, and the same schedules and payments for the same moment of
loading. Times are offsets back from that moment, so the data always looks current: the
newest applications are still pending, old loans are finished, and running loans carry what
their borrowers paid by that day: most on time, some late, some nothing for months.

Rows go in with bulk INSERTs in chunks, never one ORM object at a time, each chunk drawn in a
second process while the one before is written: that is what loads 100 000 customers,
300 000 loans and their 650 000 installments in about 40 s on two cores (see
docs/PERFORMANCE.md). Bulk INSERTs skip mapper events, so the rows carry their `search_text`
ready-made, and the customers' search terms are rows of their own.

- `tables`: the fixed tables drawn from (products, names, places, reasons, weights);
- `drawing`: customers and their loans as rows;
- `servicing`: the started loans' installments, payments and allocations;
- `bulk`: writing rows with one executemany of the driver, and the id helpers;
- `ahead`: drawing the next chunk in a second process while the last one is written;
- `load`: `load_demo` itself, the demo logins and the summary it prints.
"""
