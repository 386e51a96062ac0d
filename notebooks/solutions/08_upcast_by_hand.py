upgraded = dict(snapshot.state)
AccountV2.upcast_v1_v2(upgraded)
