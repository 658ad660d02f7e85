"""Intake: the rosters an office has, read into typed records, with every bad row named.

Takes in: the plan's roster files (targets, inspectors, conflicts, special lists, neighbouring
pool), each file with the plan's per-file settings (RosterFile), read by content: xlsx/xlsm/xls,
SpreadsheetML 2003, HTML table or CSV (formats.py `sniff`). Gives out: rosters.py `load_rosters` / `collect_rosters` -> `Rosters`
(records plus a `Problem` per rejected or suspicious row), records.py `Target`, `Inspector`,
`Conflict`, `Source`; codes.py `normalise_code` (GB 32100 / GB 11714 checks), `build_code`;
tables.py `read_table`, `FieldSpec`, `display_path` (header detection, encodings, Excel row
numbers); workbooks.py the Excel workbook and the sheet to read (python-calamine, cells typed);
xlsxcols.py a large xlsx target roster whose cells are all text, parsed once by fastexcel into
string columns (else the typed row path); formulas.py names formula cells saved without a result
(read as empty) when rows came out empty; formats.py what a file really is and the SpreadsheetML/HTML readers; templates.py
the instruction and example rows of office templates (skipped with a warning); cells.py
`parse_date` and the column converters (with the plan's `values:` maps); inspectors.py
`read_inspectors`, `read_inspector_files`, `inspector_roles`, `neighbour_roles` (several files
merged, an id on two rows rejects both);
checks.py the roster summaries and the problems workbook of `ssj check`;
columnar.py the columnar path of a large CSV (or all-text xlsx) target roster (pyarrow columns, only odd rows through
targets.py's per-row rules) giving targettable.py `TargetTable` (Arrow columns sorted by code,
a read-only sequence of `Target`: `Rosters.targets` is a list or a TargetTable); codeorder.py
sorts a large roster's codes by integer keys; utf8check.py checks a large file's encoding with
Arrow's validator; cellcols.py holds the column forms of cells.py's checks; arrowcols.py the
numpy views of Arrow columns they share with draw/poolcols.py.
targets.py and inspectors.py hold the per-roster rules. Uses core, sheets and plan.
"""
