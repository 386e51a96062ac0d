def count_rows(folder) -> dict[str, int]:
    with closing(sqlite3.connect(Path(folder) / "accountservice.sqlite")) as db:
        return {
            table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("stored_events", "stored_snapshots")
        }
