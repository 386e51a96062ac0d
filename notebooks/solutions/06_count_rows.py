with sqlite3.connect(f"{sqlite_folder}/accountservice.sqlite") as connection:
    counts = {
        table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("stored_events", "stored_snapshots")
    }
