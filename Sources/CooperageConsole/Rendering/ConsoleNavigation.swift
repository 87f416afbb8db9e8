import CooperageCore

/// Each role's navigation: a person sees only where their role may go.
enum ConsoleNavigation {
    struct Link: Sendable {
        let href: String
        let label: String
    }

    static func links(for role: Role) -> [Link] {
        switch role {
        case .cooperativeAdmin:
            [
                Link(href: "/console", label: "Overview"), Link(href: "/console/agencies", label: "Agencies"),
                Link(href: "/console/suppliers", label: "Suppliers"),
                Link(href: "/console/solicitations", label: "Solicitations"),
                Link(href: "/console/agreements", label: "Agreements"),
                Link(href: "/console/supplier-reports", label: "Supplier reports"),
                Link(href: "/console/reports/buying-power", label: "Reports"), Link(href: "/console/alerts", label: "Alerts"),
                Link(href: "/console/audit", label: "Audit trail"),
            ]
        case .cooperativeFinance:
            [
                Link(href: "/console", label: "Overview"), Link(href: "/console/reports/buying-power", label: "Reports"),
                Link(href: "/console/alerts", label: "Alerts"), Link(href: "/console/audit", label: "Audit trail"),
            ]
        case .agencyAdmin:
            [
                Link(href: "/console", label: "Overview"), Link(href: "/console/agreements", label: "Agreements"),
                Link(href: "/console/authorizations", label: "Authorizations"),
                Link(href: "/console/usage", label: "Purchase orders"),
                Link(href: "/console/policy", label: "Policy"), Link(href: "/console/reports/buying-power", label: "Reports"),
                Link(href: "/console/alerts", label: "Alerts"), Link(href: "/console/audit", label: "Audit trail"),
            ]
        case .agencyBuyer:
            [
                Link(href: "/console", label: "Overview"), Link(href: "/console/agreements", label: "Agreements"),
                Link(href: "/console/authorizations", label: "Authorizations"),
                Link(href: "/console/usage", label: "Purchase orders"), Link(href: "/console/alerts", label: "Alerts"),
                Link(href: "/console/audit", label: "Audit trail"),
            ]
        case .agencyApprover:
            [
                Link(href: "/console", label: "Overview"), Link(href: "/console/approvals", label: "Approvals"),
                Link(href: "/console/authorizations", label: "Authorizations"),
                Link(href: "/console/alerts", label: "Alerts"), Link(href: "/console/audit", label: "Audit trail"),
            ]
        case .agencyFinance:
            [
                Link(href: "/console", label: "Overview"), Link(href: "/console/reports/buying-power", label: "Reports"),
                Link(href: "/console/alerts", label: "Alerts"), Link(href: "/console/audit", label: "Audit trail"),
            ]
        case .supplierReporter:
            // Supplier tokens open no console session (they are for the API).
            []
        }
    }
}
