with embedded_postgres(pg_folder) as url, psycopg.connect(url) as connection:
    (position,) = connection.execute(
        "SELECT notification_id FROM ledgerservice_tracking WHERE application_name = 'AccountService'"
    ).fetchone()
