def upcast_v3_v4(state: dict) -> None:
    """Version 3 -> version 4: the `reference` is called `memo`."""
    state["memo"] = state.pop("reference")


alice_v4 = version_3.mapper.transcoder.decode(version_3.recorder.select_events(alice)[1].state)
AccountV3.Credited.upcast_v1_v2(alice_v4)
AccountV3.Credited.upcast_v2_v3(alice_v4)
upcast_v3_v4(alice_v4)
