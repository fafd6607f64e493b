customer = person "${ORG} Customer"
