def ledger_position(folder) -> int:
    with closing(sqlite3.connect(Path(folder) / "ledgerservice.sqlite")) as db:
        (position,) = db.execute(
            "SELECT notification_id FROM tracking WHERE application_name = 'AccountService'"
        ).fetchone()
    return position
