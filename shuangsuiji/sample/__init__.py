"""Sample: the deterministic sample data and `ssj init`.

Takes in: nothing (every value derives from SHA-256 over stable strings). Gives out:
generator.py the sample rosters (byte-identical on every run); words.py the names they are
made of; province.py one department's roster in the provincial 人员名录库 layout (title,
instruction and example rows, divisions, two licence columns, 参数表); workspace.py `create_workspace`, `SAMPLE_PLAN` (`ssj init`); chengzhong-2026.yaml the
shipped sample plan (package data). Uses core, sheets and intake's code builder.
"""
