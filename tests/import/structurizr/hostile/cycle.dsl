workspace {
    model {
        a = person "A"
        !include cycle.dsl
        !include ../deployment.dsl
        !include /etc/passwd
        !include missing.dsl
    }
}
