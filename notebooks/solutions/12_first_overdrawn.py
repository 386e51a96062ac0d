version = audit[audit["balance"] < 0].index[0]
first_overdrawn_at = events[version - 1].timestamp
