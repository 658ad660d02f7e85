"""Documents: the Word files offices print, edit, sign and file.

Takes in: the match in force (match.dispatched), the plan, and for the 总结材料 the figures of
publish.summary. Gives out: per inspected entity a 现场检查记录表 (all departments' items with
their legal basis, the team, blank result fields, signature and refusal lines) and a 检查告知书
(the one-time advance notice: all departments, all items, the window, what to prepare); the
总结材料 draft. Rendered with docxtpl from templates: a workspace `templates/` folder overrides
the defaults shipped in documents/templates/ (built by templatebuild.py).
Public names: templates.py `find_template`, `copy_defaults`; inspection.py `write_task_documents`;
summarydoc.py `write_summary_doc`; templatebuild.py `build`, `template_text`, `NAMES`.
Uses core, plan, match, publish.
"""
