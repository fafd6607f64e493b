// One system's workspace: the landscape, with this system's containers.
workspace extends landscape.dsl {
    name "Big Bank plc - Internet Banking System"
    model {
        !ref internetBankingSystem {
            web = container "Web Application" "" "Java"
            api = container "API Application" "" "Java"
        }
        customer -> web "Visits"
        web -> api "Calls" "JSON/HTTPS"
        api -> mainframe "Uses" "XML/HTTPS"
    }
    views {
        container internetBankingSystem "Containers" {
            include *
        }
    }
}
