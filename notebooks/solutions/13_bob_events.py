from eventsourcing.dcb.api import DCBQuery, DCBQueryItem

about_bob = DCBQuery(items=[DCBQueryItem(tags=[bob])])
bob_events = [stored.event.type.split(":")[1] for stored in bank.recorder.read(about_bob)]
