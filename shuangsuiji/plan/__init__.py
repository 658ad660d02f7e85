"""Plan: the annual plan (抽查工作计划) YAML as validated pydantic models.

Takes in: a plan file. Gives out: load.py `load_plan(path) -> LoadedPlan` (the plan, its path
and SHA-256), with every error in Chinese located by line and field; model.py `Plan`, `Task`,
`StratumRule`, `METHODS` and the other models; rosters.py the `rosters` section: `Rosters`,
`RosterFile` (one file's sheet, columns, fixed department, values maps), `as_files`; results.py
the `results:` (platform results sheets: columns and values) and `publicity:` (date style)
settings; numbers.py `number_key` (a task number without width, case, space and bracket
differences: two numbers with one key are one task) and `task_id_problem` (a short id that cannot
name the task's folder). Uses core only.
"""
