// The organisation's landscape, which each system's workspace extends.
workspace "Big Bank plc" "The landscape." {
    model {
        customer = person "Personal Banking Customer"
        internetBankingSystem = softwareSystem "Internet Banking System"
        mainframe = softwareSystem "Mainframe Banking System" "" "Existing System"
        customer -> internetBankingSystem "Views account balances using"
        internetBankingSystem -> mainframe "Gets account information from"
    }
    views {
        systemLandscape "Landscape" {
            include *
        }
        styles {
            element "Existing System" {
                background #6b6b6b
                color #ffffff
            }
        }
    }
}
