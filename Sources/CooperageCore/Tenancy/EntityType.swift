/// The kind of public body a tenant (agency) is; statutes grant piggyback authority by entity type.
public enum EntityType: String, Codable, CaseIterable, Sendable {
    case stateAgency = "state-agency"
    case city
    case county
    case specialDistrict = "special-district"
    case k12
    case higherEd = "higher-ed"
    case nonprofit
    case tribal
}
