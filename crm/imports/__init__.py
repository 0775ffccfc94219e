"""Imports of customers and of payments from bank statements, from CSV or XLSX files.

The admin's pages (crm/admin/imports.py) take a file of up to IMPORT_MAX_ROWS rows through
upload, column mapping, dry run and apply; the command (`flask --app wsgi import …`,
crm/cli/imports.py) takes any size. Both read the file with crm.imports.reading, write
through crm.imports.running (a transaction per chunk of rows, or a rollback in a dry run)
and the importers in crm.imports.services, which write through the same services as the
staff's forms. docs/IMPORTS.md is the users' guide.
"""
