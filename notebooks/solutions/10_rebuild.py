rebuilt_env = env | {"ACCOUNTSUMMARIES_SQLITE_DBNAME": f"{folder.name}/rebuilt.sqlite"}
with ProjectionRunner(
    application_class=AccountService,
    projection_class=AccountSummaries,
    view_class=SQLiteAccountSummaries,
    env=rebuilt_env,
) as rebuilding:
    rebuilding.wait(accounts.recorder.max_notification_id(), timeout=10)
with closing(sqlite3.connect(rebuilt_env["ACCOUNTSUMMARIES_SQLITE_DBNAME"])) as connection:
    rebuilt = pd.read_sql(SUMMARIES, connection)
