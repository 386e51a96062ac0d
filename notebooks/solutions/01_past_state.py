as_of_3 = None
for recorded in history[:3]:
    as_of_3 = recorded.mutate(as_of_3)
