// A workspace split over files, with constants, archetypes and !element.
workspace "Split" {
    !const ORG "Acme"
    !var TECH "Kotlin"

    model {
        archetypes {
            application = container {
                technology "${TECH}"
                tags "Application"
            }
            datastore = container {
                technology "PostgreSQL"
                tags "Database"
            }
        }
        !include model

        !element shop {
            worker = application "Worker" "Runs ${ORG}'s nightly jobs"
            worker -> db "Reads"
        }

        !elements "element.tag==Application" {
            properties {
                "team" "Platform"
            }
        }
    }

    views {
        !include views.dsl
    }
}
