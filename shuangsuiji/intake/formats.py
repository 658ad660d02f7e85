"""What a roster file really is, told by its content (never by its name), and the markup readers.

`sniff(path)` looks at the first bytes: a zip (xlsx/xlsm/ods), an OLE2 container (BIFF .xls, or a
password-protected xlsx), SpreadsheetML 2003 XML, an HTML table, or text (CSV). Platforms export
all of these under `.xls` or `.xlsx` names, so the name decides nothing.

SpreadsheetML 2003 is parsed with defusedxml (no entity expansion, no external entities: a
hostile file cannot blow up memory or reach the network); HTML with the standard library's
`html.parser` (it resolves no entities outside HTML's own and fetches nothing). Both give plain
rows of text cells, like a CSV; `ss:MergeAcross` / `colspan` and `ss:Index` keep cells in their
columns.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ..core.errors import InputInvalid, Problem

ZIP, OLE2, XML2003, HTML, TEXT = "zip", "ole2", "spreadsheetml", "html", "text"
SS_NS = "urn:schemas-microsoft-com:office:spreadsheet"
KIND_TEXT = {ZIP: "Excel 工作簿（xlsx）", OLE2: "Excel 97-2003 工作簿（xls）", XML2003: "XML 表格（SpreadsheetML 2003）",
             HTML: "网页表格（HTML）", TEXT: "文本（CSV）"}
MAGIC = ((b"%PDF", "PDF 文档"), (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"Rar!", "RAR 压缩包"),
         (b"7z\xbc\xaf", "7z 压缩包"), (b"{\\rtf", "RTF 文档"), (b"\x1f\x8b", "gzip 压缩包"))


def sniff(path: Path) -> tuple[str | None, str]:
    """(kind, what it is in Chinese); kind None for a file no reader takes."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head:
        return None, "空文件（0 字节）"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK"):
        return ZIP, KIND_TEXT[ZIP]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return OLE2, KIND_TEXT[OLE2]
    for magic, what in MAGIC:
        if head.startswith(magic):
            return None, what
    text = _decode_head(head)
    if text is None:
        return None, "二进制文件（不是表格）"
    lower = text.lstrip("\ufeff \r\n\t").lower()
    if lower.startswith("<?xml") or lower.startswith("<workbook"):
        if SS_NS in lower or "<workbook" in lower:
            return XML2003, KIND_TEXT[XML2003]
        return None, "XML 文件（不是 Excel 的 XML 表格）"
    if lower.startswith("<") and ("<table" in lower or "<html" in lower or "<!doctype html" in lower):
        return HTML, KIND_TEXT[HTML]
    if "\x00" in text:
        return None, "二进制文件（不是表格）"
    return TEXT, KIND_TEXT[TEXT]


def _decode_head(head: bytes) -> str | None:
    for enc in ("utf-8", "gb18030", "utf-16"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as e:
            if enc != "utf-16" and e.start > len(head) - 4:  # a character cut at the 4096-byte edge
                return head[:e.start].decode(enc)
    return None


def markup_sheet(path: Path, display: str, kind: str, sheet: str | None, has_header):
    """Rows of a SpreadsheetML 2003 / HTML export: the named sheet, else the first with a header."""
    try:
        sheets = spreadsheetml_sheets(path) if kind == XML2003 else html_sheets(path)
    except ValueError as e:
        raise InputInvalid(f"{display}：{KIND_TEXT[kind]}无法读取：{e}。", hint="请重新导出该文件，或用 Excel 打开后另存为 .xlsx。",
                           problems=[Problem(reason=f"{KIND_TEXT[kind]}无法读取：{e}", file=display)]) from None
    if not sheets:
        raise InputInvalid(f"{display}：{KIND_TEXT[kind]}中没有表格。", hint="请确认导出的是名录表格。",
                           problems=[Problem(reason="文件中没有表格", file=display)])
    names = [n for n, _ in sheets]
    if sheet is not None:
        if sheet not in names:
            raise InputInvalid(f"{display}：没有名为「{sheet}」的工作表；现有工作表：{'、'.join(names)}。",
                               hint="请改正计划文件中的工作表名（sheet）。",
                               problems=[Problem(reason=f"没有工作表「{sheet}」", file=display, sheet=sheet)])
        return dict(sheets)[sheet], sheet
    for name, rows in sheets:
        if has_header(rows):
            return rows, name
    return sheets[0][1], sheets[0][0]



def read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


# -- SpreadsheetML 2003 ---------------------------------------------------------------------------
def spreadsheetml_sheets(path: Path) -> list[tuple[str, list[list]]]:
    """[(sheet name, rows)] of a SpreadsheetML 2003 file; raises ValueError when malformed."""
    from defusedxml import ElementTree as ET

    try:
        root = ET.fromstring(path.read_bytes(), forbid_dtd=True)
    except Exception as e:  # noqa: BLE001 - ParseError, DefusedXmlException
        raise ValueError(f"XML 格式错误（{e}）") from None
    ns = "{%s}" % SS_NS
    out = []
    for ws in root.iter(f"{ns}Worksheet"):
        rows: list[list] = []
        for table in ws.iter(f"{ns}Table"):
            for row in table.iter(f"{ns}Row"):
                at = int(row.get(f"{ns}Index", len(rows) + 1))
                while len(rows) < at - 1:
                    rows.append([])
                cells: list = []
                for cell in row.iter(f"{ns}Cell"):
                    col = int(cell.get(f"{ns}Index", len(cells) + 1))
                    cells += [""] * (col - 1 - len(cells))
                    data = cell.find(f"{ns}Data")
                    cells.append(_ss_value(data, ns))
                    cells += [""] * int(cell.get(f"{ns}MergeAcross", 0))
                rows.append(cells)
        out.append((ws.get(f"{ns}Name") or f"Sheet{len(out) + 1}", rows))
    return out


def _ss_value(data, ns: str):
    if data is None:
        return ""
    text = "".join(data.itertext()).strip()
    if data.get(f"{ns}Type") == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    return text


# -- HTML -----------------------------------------------------------------------------------------
def html_sheets(path: Path) -> list[tuple[str, list[list]]]:
    """[(\"表格1\", rows), ...] for every <table> of an HTML file (nested tables are flattened)."""
    parser = _Tables()
    parser.feed(read_text(path))
    parser.close()
    return [(f"表格{i}", rows) for i, rows in enumerate(parser.tables, 1) if rows]


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list]] = []
        self._stack: list[list[list]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []
            try:
                self._span = max(1, min(int(dict(attrs).get("colspan") or 1), 1000))
            except ValueError:
                self._span = 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._stack:
            self._stack[-1][-1] += ["".join(self._cell).strip()] + [""] * (self._span - 1)
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
