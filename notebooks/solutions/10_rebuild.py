rebuilt_env = env | {"ACCOUNTSUMMARIES_SQLITE_DBNAME": f"{folder.name}/rebuilt.sqlite"}
with run_projection(rebuilt_env) as rebuilding:
    rebuilding.wait(last_position(accounts.recorder, AccountSummaries.topics), timeout=10)
with closing(sqlite3.connect(rebuilt_env["ACCOUNTSUMMARIES_SQLITE_DBNAME"])) as connection:
    rebuilt = pd.read_sql(SUMMARIES, connection)
