// Parallel sequences: consecutive `{ }` blocks start at the same step.
workspace {
    model {
        user = person "User"
        shop = softwareSystem "Shop" {
            web = container "Web"
            bus = container "Bus"
            mail = container "Mailer"
            stock = container "Stock"
            audit = container "Audit"
        }
        user -> web "Orders"
        web -> bus "Publishes the order"
        bus -> mail "Delivers the order"
        bus -> stock "Delivers the order"
        stock -> audit "Records the change"
    }
    views {
        dynamic shop "order" {
            user -> web
            web -> bus
            {
                bus -> mail
            }
            {
                bus -> stock
                stock -> audit
            }
            user -> web "Orders again"
            {
                bus -> mail
            }
        }
    }
}
