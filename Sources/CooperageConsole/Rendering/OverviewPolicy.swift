/// The console's display policy for the cooperative's overview: when something is shown as needing attention.
/// These are choices about what to show staff early, not rules of the program (those live in policies and
/// agreements), and the page states them.
enum OverviewPolicy {
    /// Agreements and participation instruments ending within this many days are listed.
    static let expiryWindowDays = 90
    /// Agreements with at least this percentage of their ceiling committed are listed.
    static let ceilingPercent = 80
}
