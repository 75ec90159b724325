"""Import of collectives and rosters from .xlsx / .csv: check the file, read it, validate
every row against the same rules as the services, preview, then apply in one transaction.

- ``columns``: the template's sheets and columns (the documented format).
- ``files``: file checks before parsing and reading rows.
- ``validate``: rows → a plan (creates / updates) or a list of errors by sheet, row, column.
- ``services``: upload (check + preview) and apply, each audited.
"""
