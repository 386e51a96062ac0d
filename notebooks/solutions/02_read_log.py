credited = 0
section_id = "1,10"
while section_id:
    section = accounts.notification_log[section_id]
    credited += sum(n.topic == "bank.account:Account.Credited" for n in section.items)
    section_id = section.next_id
