workspace {
    model {
        admin = person "Admin" "Runs the platform" "Internal"
        platform = softwareSystem "Platform" {
            svc = container "Service" "" "Go" "Critical"
            old = container "Old Service" "" "Java" "Deprecated"
            store = container "Store" "" "PostgreSQL" "Database"
            svc -> store "Writes" "" "Hot"
            old -> store "Reads" {
                tags "Deprecated"
            }
        }
        partner = softwareSystem "Partner" "" "External"
        admin -> svc "Operates"
        svc -> partner "Calls"
    }
    views {
        systemLandscape {
            include *
            autoLayout lr 300 300
        }
        container platform {
            include *
            exclude relationship.tag==Deprecated
        }
        styles {
            element "Element" {
                stroke #333333
                strokeWidth 2
            }
            element "Person" {
                background #0173b2
                color #ffffff
                shape Person
            }
            element "Critical" {
                stroke #d55e00
                border dashed
            }
            element "Deprecated" {
                opacity 60
                border dotted
                background grey
            }
            element "Database" {
                shape Cylinder
            }
            element "External" {
                background #8c8c8c
                shape RoundedBox
            }
            relationship "Relationship" {
                color #555555
                routing Orthogonal
            }
            relationship "Hot" {
                thickness 4
                color #d55e00
            }
            relationship "Deprecated" {
                style dotted
            }
        }
        theme default
    }
}
