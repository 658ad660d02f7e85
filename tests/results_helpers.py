"""Small builders for the results / publish / summary tests.

A workspace with a three-department plan, the ledger entries and manifests that draw and match
leave behind (built directly, in the shapes those stages record), and filled results workbooks.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from shuangsuiji.core.fileio import sha256_file
from shuangsuiji.core.resultcodes import TEMPLATE_HEADERS, TEMPLATE_SHEET
from shuangsuiji.core.workspace import Workspace
from shuangsuiji.sheets.writers import Sheet, write_xlsx

PLAN = """\
version: 1
year: 2026
office: 测试区联席会议办公室
departments:
  - {id: SCJG, name: 测试区市场监督管理局}
  - {id: WSJK, name: 测试区卫生健康局}
  - {id: YJGL, name: 测试区应急管理局}
items:
  - {id: SX01, name: 企业公示信息的检查, department: SCJG, method: 书面检查}
  - {id: SX02, name: 公共场所卫生的检查, department: WSJK}
  - {id: SX03, name: 安全生产的检查, department: YJGL}
rosters:
  targets: ../data/targets.xlsx
  inspectors: ../data/inspectors.xlsx
risk_classes: [低, 一般, 较高, 高]
deadlines: {entry_wd: 7}
tasks:
  - id: T01
    number: 测试市监抽查〔2026〕1号
    name: 企业公示信息随机抽查
    initiator: SCJG
    items: [SX01]
    sampling:
      strata:
        低: {ratio: 0.03, min_count: 1}
        高: {ratio: 0.30, min_count: 1}
    method: 书面检查
    draw_date: 2026-04-08
    window: {start: 2026-04-15, end: 2026-07-31}
  - id: T02
    number: 测试市监抽查〔2026〕2号
    name: 公共场所部门联合抽查
    initiator: SCJG
    cooperators: [WSJK]
    items: [SX01, SX02]
    scope: {directed: true, industries: [住宿和餐饮业]}
    sampling:
      default: {ratio: 0.10, min_count: 1}
    team: {size: 2}
    draw_date: 2026-05-11
    window: {start: 2026-05-18, end: 2026-08-31}
  - id: T03
    number: 测试市监抽查〔2026〕3号
    name: 安全生产部门联合抽查
    initiator: YJGL
    cooperators: [SCJG]
    items: [SX03, SX01]
    scope: {directed: true, licence: 危险化学品经营许可证}
    sampling:
      default: {ratio: 0.20, min_count: 1}
    team: {size: 2}
    draw_date: 2026-06-08
    window: {start: 2026-06-15, end: 2026-09-30}
"""

DEPT_NAMES = {"SCJG": "测试区市场监督管理局", "WSJK": "测试区卫生健康局", "YJGL": "测试区应急管理局"}
TIME = "2026-06-01T09:30:00+08:00"


def uscc(n: int, kind: str = "91") -> str:
    """A valid 统一社会信用代码 (GB 32100 and GB 11714 checks hold), distinct for each n."""
    from shuangsuiji.intake.codes import build_code

    return build_code(f"{kind}630103", f"{n:08d}")


def make_workspace(root: Path, plan_text: str = PLAN) -> tuple[Workspace, Path]:
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "workspace.yaml").write_text("name: 测试\n", encoding="utf-8")
    plan = root / "plans" / "plan.yaml"
    plan.write_text(plan_text, encoding="utf-8")
    return Workspace(root), plan


def _json(path: Path, obj) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2), encoding="utf-8")
    return sha256_file(path)


def record_draw(ws: Workspace, task_id: str, strata: dict[str, list[str]], reserves: dict | None = None,
                pools: dict[str, int] | None = None) -> str:
    """An official draw: manifest with strata (name, selected, reserve, pool size) and its ledger entry."""
    rel = f"out/{task_id}/draw/manifest.json"
    manifest = {"task": task_id, "strata": [
        {"name": name, "selected": codes, "reserve": (reserves or {}).get(name, []),
         "pool_size": (pools or {}).get(name, len(codes))} for name, codes in strata.items()]}
    sha = _json(ws.root / rel, manifest)
    ws.ledger().append("draw", task=task_id, time=TIME, files={rel: sha},
                       data={"manifest": rel, "manifest_sha256": sha, "official": True, "redo": False,
                             "reason": ""})
    return rel


def record_substitution(ws: Workspace, task_id: str, out: str, into: str, reason: str = "经营场所无法联系") -> None:
    draw = ws.ledger().last("draw", task_id)
    ws.ledger().append("substitution", task=task_id, time=TIME,
                       data={"draw_manifest": draw["data"]["manifest"], "out": out, "in": into,
                             "stratum": "", "reason": reason})


def record_match(ws: Workspace, task_id: str, targets: dict[str, tuple[str, list[str]]],
                 dispatched: str = "2026-04-14T15:00:00+08:00") -> str:
    """A match: targets {code: (name, [department ids])} and its ledger entry."""
    rel = f"out/{task_id}/match/manifest.json"
    manifest = {"task": task_id, "targets": [
        {"credit_code": c, "name": n, "departments": d,
         "team": [{"department": x, "inspector": f"{x}-001"} for x in d]} for c, (n, d) in targets.items()]}
    sha = _json(ws.root / rel, manifest)
    ws.ledger().append("match", task=task_id, time=TIME, files={rel: sha},
                       data={"manifest": rel, "manifest_sha256": sha, "dispatched": dispatched,
                             "redo": False, "reason": "", "fallbacks": []})
    return rel


def setup_task(ws: Workspace, task_id: str, targets: dict[str, tuple[str, list[str]]],
               strata: dict[str, list[str]] | None = None, **kw) -> None:
    record_draw(ws, task_id, strata or {"一般": list(targets)}, **kw)
    record_match(ws, task_id, targets)


def result_row(code: str, dept: str = "SCJG", result="1 未发现问题", subcodes=None, follow_up=None,
               inspected=date(2026, 5, 20), entered=date(2026, 5, 22), name="", task="", method="书面检查",
               seq=None) -> dict:
    return {"序号": seq, "抽查任务编号": task, "统一社会信用代码": code, "企业名称": name,
            "检查部门": DEPT_NAMES.get(dept, dept), "检查事项": "", "检查结果": result, "问题类型": subcodes,
            "后续处置": follow_up, "检查方式": method, "检查日期": inspected, "录入日期": entered, "备注": None}


def write_results(path: Path, rows: list[dict], *, headers=None, title: str | None = "检查结果录入表",
                  sheet: str = TEMPLATE_SHEET, rename: dict[str, str] | None = None) -> Path:
    """A results workbook like the match template (or a re-typed one with `rename`d headers)."""
    headers = list(headers or TEMPLATE_HEADERS)
    data = [[r.get(h) for h in headers] for r in rows]
    shown = [(rename or {}).get(h, h) for h in headers]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(path, [Sheet(sheet, shown, data, title=title,
                            date_columns=[i for i, h in enumerate(headers) if h in ("检查日期", "录入日期")],
                            text_columns=[headers.index("统一社会信用代码")])])
    return path


# -- the provincial platform's own results export (our generator; the layout, not a copied file) --

PLATFORM_HEADERS = ["序号", "统一代码/注册号", "企业名称", "检查结果", "后续处置措施", "后续处置措施是否完结",
                    "检查执行部门", "检查人员", "检查日期", "录入日期", "核查方式"]


def platform_row(code, dept: str, result: str, follow_up: str | None = None, *, name: str = "",
                 inspected=date(2026, 5, 20), entered=date(2026, 5, 22), people: str = "张三、李四",
                 method: str = "实地检查", done: str = "已完结") -> dict:
    """One row as the platform exports it: result texts each ended by ；, disposal phrases, the
    inspecting division's name, the officers' names (never to be published)."""
    return {"统一代码/注册号": code, "企业名称": name, "检查结果": result, "后续处置措施": follow_up,
            "后续处置措施是否完结": done, "检查执行部门": dept, "检查人员": people, "检查日期": inspected,
            "录入日期": entered, "核查方式": method}


def write_platform_results(path: Path, rows: list[dict], *, headers: list[str] | None = None,
                           title: str = "双随机抽查检查结果导出", sheet: str = "Sheet1") -> Path:
    """The platform's export: a merged title row, the header, one row per entity; .xlsx or .csv
    (GB18030, as the platform's CSV export writes it) by the name's suffix. Dates as the platform
    writes them: date cells in xlsx, 2026-05-20 text in CSV."""
    import csv

    headers = headers or PLATFORM_HEADERS
    data = [[n if h == "序号" else r.get(h) for h in headers] for n, r in enumerate(rows, 1)]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        with open(path, "w", encoding="gb18030", newline="") as f:
            w = csv.writer(f)
            w.writerow([title])
            w.writerow(headers)
            w.writerows([["" if v is None else v.isoformat() if isinstance(v, date) else v for v in r] for r in data])
        return path
    write_xlsx(path, [Sheet(sheet, headers, data, title=title,
                            date_columns=[i for i, h in enumerate(headers) if h in ("检查日期", "录入日期")],
                            text_columns=[1])])
    return path
