"""Sheets: CSV and xlsx files for people who open them in Chinese Excel.

Takes in: rows of values. Gives out: files, written atomically, every cell escaped against
formula injection. Public names: base.py `Sheet`, `Dropdown`, `escape_cell`, `display_width`;
writers.py `write_csv`, `csv_bytes`, `write_xlsx` (openpyxl; large plain sheets go to the fast
writer); fastxlsx.py `write_xlsx_fast`, `escaped`, `fast_csv_bytes`. Uses core only.
"""
