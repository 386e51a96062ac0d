fresh = env | {"ACCOUNTSUMMARIES_SQLITE_DBNAME": f"{folder.name}/rebuilt.sqlite"}
with run_view(fresh) as runner:
    runner.wait(last_position(accounts.recorder, AccountSummaries.topics), timeout=10)
rebuilt = query(SUMMARIES, fresh)
