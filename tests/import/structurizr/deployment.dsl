workspace "Shop" {
    !identifiers hierarchical

    model {
        user = person "User"
        shop = softwareSystem "Shop" {
            web = container "Web" "Serves pages" "React"
            api = container "API" "Takes orders" "Rust" {
                -> shop.db "Reads and writes" "SQL"
            }
            db = container "Database" "" "PostgreSQL" "Database"
            shop.web -> shop.api "Calls" "JSON/HTTPS"
        }
        user -> shop.web "Uses" "HTTPS"

        live = deploymentEnvironment "Live" {
            aws = deploymentNode "Amazon Web Services" "" "" "" {
                region = deploymentNode "eu-west-1" {
                    lb = infrastructureNode "Load Balancer" "Routes traffic" "Elastic Load Balancer"
                    web = deploymentNode "Web Server" "" "Ubuntu" "" 4 {
                        webInstance = containerInstance shop.web
                    }
                    apiNode = deploymentNode "API Server" "" "Ubuntu" {
                        instances 3
                        apiInstance = containerInstance shop.api
                    }
                    rds = deploymentNode "RDS" "" "PostgreSQL 16" {
                        primary = containerInstance shop.db "" "Primary"
                        replica = containerInstance shop.db
                    }
                    lb -> web "Forwards requests to" "HTTPS"
                    rds.primary -> rds.replica "Replicates to"
                }
            }
        }

        deploymentEnvironment "Development" {
            laptop = deploymentNode "Developer Laptop" "" "macOS" {
                containerInstance shop.web
                containerInstance shop.api
                containerInstance shop.db
            }
        }
    }

    views {
        deployment shop live "live-deployment" {
            include *
            autoLayout lr
        }
        deployment * "Development" {
            include *
        }
        container shop {
            include *
        }
    }
}
