"""Deadlines: what is due, done or overdue, in working days, for the clerk and for cron.

Takes in: the plan, the ledger, the filled results, today's date and the working-day calendar.
Gives out: facts.py `gather_facts` / `entry_date`; report.py `load_report`, `build_report`,
`classify`; render.py text, Markdown, CSV and JSON; planexport.py `export_plan` (the plan table
an office publishes). Uses core, sheets, plan and publish's results reader.
"""
