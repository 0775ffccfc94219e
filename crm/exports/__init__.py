"""Lists taken to a spreadsheet: a list's columns and rows written as CSV or XLSX
(`columns` and `writers`, shared helpers any layer above the models may use) and the
download that streams the file and audits it (`download`, for the routes)."""
