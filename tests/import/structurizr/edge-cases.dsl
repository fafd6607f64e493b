// Identifiers with dashes, quoted expressions, deployment-only tags, keys and names c4c reads as keywords.
workspace {
    model {
        u = person "User"
        s = softwareSystem "S" {
            web-app = container "Web App" {
                c1 = component "C1"
            }
            db = container "DB"
            web-app -> db "Reads" "JDBC" "Sync"
        }
        u -> web-app "Uses"
        deploymentEnvironment "Empty" {
        }
        prod = deploymentEnvironment "Prod" {
            n = deploymentNode "Node" "" "" "Cloud" "1..N" {
                i = containerInstance web-app "" "Edge" {
                    healthCheck "Web" "https://example.com/health"
                }
                lb = infrastructureNode "LB" "" "" "Infra"
                lb -> i "Routes" "" "Routing"
            }
        }
    }
    views {
        deployment * prod {
            include *
        }
        component web-app {
            include *
            exclude "u -> web-app"
        }
        dynamic s {
            u -> web-app "Opens" "HTTPS"
            web-app -> db "Queries"
        }
        dynamic * "flow" {
            u -> web-app "Opens"
        }
        styles {
            element "Cloud" { background #ff0000 }
            element "Edge" { background #00ff00 }
            element "Infra" { background #0000ff }
            relationship "Routing" { color #123456 }
            relationship "Sync" { dashed false }
            element "Component" {
            }
        }
    }
}
