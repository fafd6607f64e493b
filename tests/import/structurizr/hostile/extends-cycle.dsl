workspace extends extends-cycle.dsl {
    model {
        a = person "A"
    }
}
