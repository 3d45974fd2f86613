import SwitchyardAdminAPI
import SwitchyardRouting

extension Render {
    /// `switchyard ctl history`: retained revisions, oldest first, the current one marked `*`.
    public static func revisions(_ list: RevisionList, style: RenderStyle = .plain) -> String {
        guard !list.revisions.isEmpty else { return "no revisions retained (current revision \(list.current))" }
        var table = TextTable([.init(""), .init("REV", .right), .init("WHEN (UTC)"), .init("WHO"), .init("ACTION"), .init("WHY")])
        table.gap = 1
        for r in list.revisions {
            let current = r.number == list.current
            table.add([.init(current ? "*" : "", current ? .good : .none), .init(String(r.number)),
                       .init(Format.timestamp(r.when)), .init(r.who), .init(r.action),
                       .init(r.why.isEmpty ? Format.missing : r.why)])
        }
        return table.render(style) + "\n* current revision (\(list.current)); `switchyard ctl rollback N` returns to revision N"
    }

    /// `switchyard ctl audit`: who did what, when and why, each entry followed by its diff.
    public static func audit(_ list: AuditList, style: RenderStyle = .plain) -> String {
        guard !list.entries.isEmpty else { return "the audit log is empty" }
        var table = TextTable([.init("WHEN (UTC)"), .init("REV", .right), .init("WHO"), .init("ACTION"), .init("WHY")])
        for entry in list.entries {
            let diff = entry.what.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            table.add([.init(Format.timestamp(entry.when)), .init(entry.revision.map(String.init) ?? Format.missing),
                       .init(entry.who), .init(entry.action), .init(entry.why.isEmpty ? Format.missing : entry.why)],
                      details: diff)
        }
        return table.render(style)
    }

    /// The answer to an accepted change: "revision 7: set weights of fraud: candidate=10, control=90".
    /// The gateway may already lead its message with the revision; it is never written twice.
    public static func change(_ result: ChangeResult) -> String {
        guard let revision = result.revision else { return result.message }
        let prefix = "revision \(revision): "
        return result.message.hasPrefix(prefix) ? result.message : prefix + result.message
    }
}
