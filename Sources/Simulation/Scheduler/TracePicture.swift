/// An SVG of a run: one lane per process, a tick per op, and marks for lock waits, crashes and reboots.
public enum TracePicture {
    public static func svg(_ events: [TraceEvent], title: String) -> String {
        var lanes: [Int: (row: Int, label: String)] = [:]
        for event in events where event.serial != 0 && lanes[event.serial] == nil {
            lanes[event.serial] = (lanes.count, "\(event.pid)/\(event.name)")
        }
        let maxStep = max(events.map(\.step).max() ?? 1, 1)
        let width = 1200.0, left = 160.0, laneHeight = 28.0, top = 40.0
        let height = top + Double(lanes.count) * laneHeight + 30
        func x(_ step: Int) -> Double { left + (width - left - 20) * Double(step) / Double(maxStep) }
        func y(_ row: Int) -> Double { top + Double(row) * laneHeight }
        func escape(_ text: String) -> String {
            text.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
        }
        var body = ""
        body += "<text x=\"10\" y=\"20\" font-size=\"14\">\(escape(title))</text>\n"
        for (_, lane) in lanes.sorted(by: { $0.value.row < $1.value.row }) {
            body += "<text x=\"10\" y=\"\(y(lane.row) + 16)\" font-size=\"11\">\(escape(lane.label))</text>\n"
            body += "<line x1=\"\(left)\" y1=\"\(y(lane.row) + 12)\" x2=\"\(width - 20)\" y2=\"\(y(lane.row) + 12)\" stroke=\"#ddd\"/>\n"
        }
        for event in events {
            let px = x(event.step)
            guard let lane = lanes[event.serial] else {
                if event.kind == .inject || event.kind == .deadlock {
                    let color = event.kind == .deadlock ? "#a0a" : "#c00"
                    body += "<line x1=\"\(px)\" y1=\"\(top - 8)\" x2=\"\(px)\" y2=\"\(height - 20)\" stroke=\"\(color)\" stroke-width=\"2\"><title>\(escape(event.text))</title></line>\n"
                    body += "<text x=\"\(px + 2)\" y=\"\(height - 8)\" font-size=\"10\" fill=\"\(color)\">\(escape(event.text))</text>\n"
                }
                continue
            }
            let py = y(lane.row)
            switch event.kind {
            case .op:
                body += "<rect x=\"\(px)\" y=\"\(py + 4)\" width=\"1.5\" height=\"16\" fill=\"#36c\"><title>\(escape(event.description))</title></rect>\n"
            case .wait:
                body += "<circle cx=\"\(px)\" cy=\"\(py + 12)\" r=\"4\" fill=\"#f90\"><title>\(escape(event.text))</title></circle>\n"
            case .inject:
                body += "<text x=\"\(px - 4)\" y=\"\(py + 18)\" font-size=\"16\" fill=\"#c00\">✕<title>crash</title></text>\n"
            case .end:
                body += "<rect x=\"\(px)\" y=\"\(py + 2)\" width=\"3\" height=\"20\" fill=\"#000\"><title>\(escape(event.text))</title></rect>\n"
            default:
                break
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
