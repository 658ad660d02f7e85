"""Publish: 一公开 — read the departments' filled results, check them, publish the public record.

Takes in: the results-entry workbooks (data/results/<task>/) and what the match dispatched.
Gives out: out/<task>/publish/v<n>/ (public CSV and xlsx, office copy, manifest), a ledger entry,
and the summary workbook.
- intake.py     `read_results` (templates with re-typed headers and code forms)
- validate.py   `validate`, `load_expected`, `Expected` (what was dispatched, with substitutions)
- record.py     what the public sees, per entity (pure); files.py the files of one version
- publication.py `publish`, `Options` (versions, corrections, the ledger entry)
- summary.py    `build_summary`; summaryfiles.py its workbook
- verify.py     `verify_publication` (files, ledger, CSV rows, the merge recomputed)
Uses core, sheets, plan, intake, draw and match's public names.
"""
