workspace "Everything else" {
    !docs docs
    !adrs decisions
    !impliedRelationships false

    properties {
        "structurizr.dslEditor" "false"
    }

    model {
        u = person "User" {
            perspectives {
                "Security" "Authenticates with SSO"
            }
        }
        s = softwareSystem "System" {
            url "https://example.com/system"
            properties {
                "owner" "Team A"
                tier 1
            }
            !docs system-docs
        }
        e = element "Printer" "Hardware" "Prints receipts" "Device"
        u -> s "Uses" {
            perspectives {
                "Security" "TLS"
            }
        }
        s -> e "Prints on"
        u -> missing "Broken reference"
        enterprise "Acme" {
            legacy = softwareSystem "Legacy" {
                location External
            }
        }
    }

    views {
        filtered "Landscape" include "Internal" "FilteredInternal"
        image * "Logo" {
            image logo.png
        }
        systemContext s {
            include *
            default
            include ->s->
        }
        custom "Printing" "The print path" {
            include u s e
        }
        themes https://static.structurizr.com/themes/amazon-web-services-2023.01.31/theme.json
        branding {
            logo logo.png
        }
        !script groovy {
            workspace.views.createDefaultViews()
        }
    }

    configuration {
        scope softwaresystem
    }
}
