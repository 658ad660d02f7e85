"""Publish: 一公开 — read the departments' filled results, check them, publish the public record.

Takes in: the results-entry workbooks or platform exports (data/results/<task>/) and what the match dispatched.
Gives out: out/<task>/publish/v<n>/ (public CSV and xlsx, office copy, manifest), a ledger entry,
and the summary workbook.
- intake.py     `read_results` (templates with re-typed headers and code forms, the platform's export)
- rows.py       `ResultRow` (one department's result for one target), the fields and their headers
- columns.py    `read_chunk`: a chunk of a results sheet read per column, each distinct cell once
- cells.py      `CellReader`: combined result cells, disposal phrases, the plan's results.values
- validate.py   `validate` (a row's content judged once per distinct content), `load_expected`,
                `Expected` (what was dispatched, with substitutions)
- record.py     what the public sees, per entity (pure); files.py the files of one version
- publication.py `publish`, `Options` (versions, corrections, the ledger entry)
- summary.py    `build_summary` (coverage against the pools committed at the draws, joint share of
                tasks carried out); summaryfiles.py its workbook (with chart), `pct`
- problems.py   a rejection's 问题清单.xlsx and the grouped terminal summary
- verify.py     `verify_publication` (files, ledger, CSV rows, the merge recomputed)
Uses core, sheets, plan and intake; what the draw and the match recorded it reads from their
manifests and the ledger (core.state), not through their code.
"""
