shop = softwareSystem "${ORG} Shop" {
    api = application "API"
    db = datastore "Orders"
    api -> db "Stores orders in"
}
customer -> api "Orders through"
