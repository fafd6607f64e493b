// Structurizr reads identifiers without regard to case (its own test
// workspace writes `HomePageController` for `homePageController`).
workspace {
    !identifiers hierarchical
    model {
        user = person "User"
        shop = softwareSystem "Shop" {
            homePageController = container "Home Page Controller"
        }
        User -> Shop.HomePageController "Visits"
        toShop = user -> shop "Buys from"
        deploymentEnvironment "Live" {
            web = deploymentNode "Web" {
                hpc = containerInstance shop.homepagecontroller
            }
        }
    }
    views {
        dynamic SHOP "Visit" {
            USER -> shop.homePageController "Visits"
        }
        dynamic * "Buy" {
            TOSHOP "Buys"
        }
        deployment shop "Live" "Deployed" {
            include WEB.HPC
        }
    }
}
