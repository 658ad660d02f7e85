"""Intake: the rosters an office has, read into typed records, with every bad row named.

Takes in: the plan's roster files (targets, inspectors, conflicts, special lists, neighbouring
pool) as xlsx or CSV. Gives out: rosters.py `load_rosters` / `collect_rosters` -> `Rosters`
(records plus a `Problem` per rejected or suspicious row), records.py `Target`, `Inspector`,
`Conflict`, `Source`; codes.py `normalise_code` (GB 32100 / GB 11714 checks), `build_code`;
tables.py `read_table`, `FieldSpec`, `display_path` (header detection, encodings, Excel row
numbers); cells.py `parse_date` and the column converters; inspectors.py `read_inspectors`;
checks.py the roster summaries and the problems workbook of `ssj check`.
targets.py and inspectors.py hold the per-roster rules. Uses core, sheets and plan.
"""
