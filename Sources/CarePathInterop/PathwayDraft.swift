/// A pathway being built from BPMN, with the comments that go beside each value.
struct PathwayDraft {
    struct Role { var id: String; var title: String; var comment: String }
    struct Organisation { var id: String; var name: String; var roles: [Role]; var comment: String? }
    struct Item {
        var id: String; var title: String; var comment: String
        /// Organisations (black-box pools) where the item exists before the pathway starts.
        var existsAt: [String] = []
    }
    struct Send: Equatable { var item: String; var organisation: String }
    struct Owner: Equatable { var organisation: String; var role: String }
    struct Branch {
        var to: String
        var share: Double
        var p: String?
        var carries: [String]?
        var notes: [String]
    }
    struct State {
        var id: String
        var title: String?
        var owner: Owner?
        var duration: String
        var durationComment: String?
        var occupies: Bool
        var needs: [String] = []
        var produces: [String] = []
        var sends: [Send] = []
        var terminal: Bool
        var branches: [Branch] = []
        var comments: [String] = []
        /// BPMN element ids this state came from, for warnings.
        var sources: [String] = []
    }

    var id: String
    var title: String
    var description: String
    var header: [String]
    var start: String
    var organisations: [Organisation]
    var items: [Item]
    var states: [State]

    func organisationOf(_ state: String) -> String? { states.first { $0.id == state }?.owner?.organisation }
}
