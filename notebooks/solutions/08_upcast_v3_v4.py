def upcast_v3_v4(state: dict) -> None:
    """Version 3 -> version 4: the `note` is called `memo`."""
    state["memo"] = state.pop("note")


alice_v4 = app.mapper.transcoder.decode(app.recorder.select_events(jar.id)[1].state)
SavingsJar.Credited.upcast_v1_v2(alice_v4)
SavingsJar.Credited.upcast_v2_v3(alice_v4)
upcast_v3_v4(alice_v4)
