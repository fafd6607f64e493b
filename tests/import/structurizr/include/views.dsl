container shop "shop" {
    include *
}
styles {
    element "Database" {
        shape cylinder
    }
}
