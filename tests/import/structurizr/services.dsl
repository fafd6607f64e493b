# Services as group archetypes, hierarchical identifiers, `tag` and `this`.
workspace "Services" {
    !identifiers hierarchical

    model {
        archetypes {
            partner = softwareSystem {
                tag "Partner"
            }
            service = group
            https = -> {
                technology "HTTPS"
                tags "Sync"
            }
            api = container {
                technology "Go"
                tag "API"
            }
            store = container {
                technology "PostgreSQL"
                tag "Store"
            }
        }

        buyer = person "Buyer"
        payments = partner "Payments"

        shop = softwareSystem "Shop" {
            web = container "Web" {
                description "Serves the single-page app"
                technology "Nginx"
                tag "Web"
            }
            orders = service "Orders" {
                ordersApi = api "Orders API"
                store "Orders Schema" {
                    ordersApi -> this "Reads and writes"
                }
            }
            billing = service "Billing" {
                billingApi = api "Billing API" {
                    -> payments "Charges cards with"
                }
                store "Billing Schema" {
                    billingApi -> this "Reads and writes"
                }
            }
            buyer -> web "Shops with"
            web --https-> ordersApi "Calls"
            ordersApi -> billingApi "Bills through"
        }
    }

    views {
        container shop "all" {
            include *
            autolayout
        }
        container shop "orders" {
            include ->shop.orders->
            autolayout lr
        }
        container shop "billing-parts" {
            include shop.billing
        }
        styles {
            element "API" {
                shape hexagon
            }
            element "Store" {
                shape cylinder
            }
            element "Partner" {
                background #999999
                colour #ffffff
            }
            element "Web" {
                shape folder
            }
        }
    }
}
