as_of_3 = None
for event in history[:3]:
    as_of_3 = event.mutate(as_of_3)
