"""Excel workbooks (xlsx/xlsm/xls) through python-calamine: which sheet holds the roster, and its rows.

`excel_sheet` reads the whole chosen sheet, every cell typed as calamine gives it (str / float /
date / datetime / bool), so that a number where text belongs is seen as a number. `first_sheet`
names the sheet that would be read without reading any (the columnar path of a large xlsx,
xlsxcols.py, parses it itself). A file that is not a readable workbook raises `InputInvalid`
saying what the file really is and what to do.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import InputInvalid, Problem

EXCEL_EXT = {".xlsx", ".xlsm", ".xls"}

def excel_sheet(wb, display: str, sheet: str | None, has_header, sheet_option: str | None = None
                ) -> tuple[list[list], str]:
    """(every row of the sheet, its name) of an open workbook: the named sheet, else the first
    visible worksheet; when that one has no header (`has_header(rows)`) but another has, an error
    naming the other."""
    names = visible_sheets(wb)
    if sheet is not None:
        if sheet not in wb.sheet_names:
            raise InputInvalid(f"{display}：没有名为「{sheet}」的工作表；现有工作表：{'、'.join(wb.sheet_names)}。",
                               hint="请改正计划文件中的工作表名（rosters.*_sheet）。",
                               problems=[Problem(reason=f"没有工作表「{sheet}」", file=display, sheet=sheet)])
        return sheet_rows(wb, sheet, display), sheet
    if not names:
        raise InputInvalid(f"{display}：工作簿中没有可见的工作表。",
                           problems=[Problem(reason="没有可见的工作表", file=display)])
    rows = sheet_rows(wb, names[0], display)
    if not has_header(rows) and len(names) > 1:
        others = [n for n in names[1:] if has_header(sheet_rows(wb, n, display))]
        if others:
            raise InputInvalid(
                f"{display}：第一个工作表「{names[0]}」中找不到表头；含名录表头的工作表：{'、'.join(others)}。",
                hint=(f"请在计划文件 rosters 中写明要读的工作表：{sheet_option}: {others[0]}" if sheet_option else
                      f"请把工作表「{others[0]}」拖到最前面（或删去它前面的工作表）后保存。"),
                problems=[Problem(reason="第一个工作表中找不到表头", file=display, sheet=names[0])])
    return rows, names[0]


def first_sheet(wb, sheet: str | None) -> str | None:
    """The sheet `excel_sheet` reads first, told without reading any sheet: the named one if it
    exists, else the first visible worksheet; None where excel_sheet must decide (or raise)."""
    if sheet is not None:
        return sheet if sheet in wb.sheet_names else None
    names = visible_sheets(wb)
    return names[0] if names else None


def visible_sheets(wb) -> list[str]:
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    return [m.name for m in wb.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible]


def open_workbook(path: Path, display: str):
    """A python-calamine workbook (its sheets not yet read), or InputInvalid saying why not."""
    from python_calamine import CalamineWorkbook

    try:
        if path.suffix.lower() in EXCEL_EXT:
            wb = CalamineWorkbook.from_path(str(path))
        else:  # a name that is not an Excel one: let calamine tell the format from the content
            with open(path, "rb") as f:
                wb = CalamineWorkbook.from_filelike(f)
    except Exception:
        try:  # the name lies (an xlsx saved as .xls): read by content
            with open(path, "rb") as f:
                wb = CalamineWorkbook.from_filelike(f)
        except Exception:  # noqa: BLE001
            wb = None
    if wb is None:  # noqa: BLE001 - calamine raises several types for broken files
        why, hint = not_a_workbook(path)
        raise InputInvalid(f"{display}：无法读取 Excel 文件：{why}。", hint=hint,
                           problems=[Problem(reason=f"无法读取 Excel 文件：{why}", file=display)]) from None
    return wb


def not_a_workbook(path: Path) -> tuple[str, str]:
    """Why an .xlsx file could not be opened, told from its first bytes: (reason, what to do)."""
    with open(path, "rb") as f:
        head = f.read(4096)
    resave = "用 Excel 打开后「另存为」.xlsx 格式再试。"
    if not head:
        return "文件是空的（0 字节）", "请重新导出或复制该文件。"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 container: password-protected .xlsx, or a real .xls
        with open(path, "rb") as f:
            if "EncryptionInfo".encode("utf-16-le") in f.read():
                return "文件设置了打开密码", "请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存。"
        return "文件是旧版 Excel 97-2003 格式或已损坏", "请" + resave
    if head.startswith(b"PK"):
        return "文件已损坏或不完整（可能复制、下载未完成）", "请重新导出或复制该文件，或" + resave
    lower = head.lower()
    if b"<html" in lower or b"<table" in lower or b"<?xml" in lower:
        return "文件实际是网页（HTML/XML）格式，只是扩展名为 Excel", "请" + resave
    if b"\x00" not in head:
        return "文件实际是文本（CSV）文件，只是扩展名为 Excel", "请把扩展名改为 .csv（计划文件 rosters 中的文件名同样改），或" + resave
    return "不是 Excel 文件或已损坏", "请" + resave


def sheet_rows(wb, name: str, display: str = "") -> list[list]:
    try:
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as e:  # noqa: BLE001 - a valid zip whose sheet XML is broken
        raise InputInvalid(f"{display}：工作表「{name}」已损坏，无法读取（{str(e)[:120]}）。",
                           hint="请用 Excel 打开该文件（Excel 会提示修复），修复后另存为 .xlsx 再试；或重新导出。",
                           problems=[Problem(reason="工作表内容已损坏，无法读取", file=display, sheet=name,
                                             code="sheet_broken")]) from None
