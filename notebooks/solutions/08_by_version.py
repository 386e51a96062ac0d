import json

by_version = {}
for row in app.recorder.select_notifications(start=None, limit=100):
    version = json.loads(row.state).get("class_version", 1)
    by_version[version] = by_version.get(version, 0) + 1
