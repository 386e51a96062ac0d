by_version = {1: 0, 2: 0}
for row in version_2.recorder.select_notifications(start=None, limit=100):
    by_version[json.loads(row.state).get("class_version", 1)] += 1
