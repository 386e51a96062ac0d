about_bob = DCBQuery(items=[DCBQueryItem(tags=[bob])])
bob_events = [stored.event.type.removeprefix("bank.dcb:") for stored in dcb.recorder.read(about_bob)]
