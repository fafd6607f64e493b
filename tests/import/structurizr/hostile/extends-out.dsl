workspace extends ../include/workspace.dsl {
    model {
        a = person "A"
    }
}
