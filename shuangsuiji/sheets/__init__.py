"""Sheets: CSV and xlsx files for people who open them in Chinese Excel.

Takes in: rows of values. Gives out: files, written atomically, every cell escaped against
formula injection, every sheet set up to print on A4. Public names: base.py `Sheet`, `Dropdown`,
`Chart`, `escape_cell`, `display_width`; writers.py `write_csv`, `csv_bytes`, `write_xlsx`
(xlsxwriter, constant memory, any size: print setup, validation, protection, charts);
xlsxrows.py `RowWriter` (the data rows as XML blocks in xlsxwriter's row stream, same bytes);
fastxlsx.py `escaped`, `fast_csv_bytes` (pre-escaped CSV) and `write_xlsx_fast` (an alias of
`write_xlsx`, kept for callers). Uses core only.
"""
