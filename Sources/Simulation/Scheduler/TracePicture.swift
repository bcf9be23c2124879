/// An SVG of a run: one lane per process, named by its command line, on a virtual-time axis; a tick per
/// op, bars while a process holds the baton, marks for switches, waits, sleeps, ends, kills, reboots, power
/// loss and deadlock, the scenario's steps, the broken invariant where the check found it, and a legend.
public enum TracePicture {
    /// The invariant a run broke, for the picture: `text` (`I1 broken: …`), found by the check after the step
    /// at scenario line `line`.
    public struct Failure: Sendable {
        public var text: String
        public var line: Int
        public init(text: String, line: Int) {
            self.text = text
            self.line = line
        }
    }

    public static func svg(_ events: [TraceEvent], title: String, failure: Failure? = nil) -> String {
        var lanes: [Int: (row: Int, label: String, detail: String)] = [:]
        for event in events where event.serial != 0 && lanes[event.serial] == nil {
            let label = event.command.isEmpty ? event.name : event.command
            lanes[event.serial] = (lanes.count, label, "process \(event.serial), pid \(event.pid), program \(event.name)")
        }
        let longest = lanes.values.map { $0.label.count }.max() ?? 8
        let left = min(max(Double(longest) * 6.6 + 20, 120), 420)
        let width = max(1200.0, left + 700)
        let right = width - 30
        let timed = !events.isEmpty && events.allSatisfy { $0.time != nil }
        let axis = TraceTimeAxis(values: events.map { timed ? $0.time! : Int64($0.step) }, isTime: timed,
                                 left: left, right: right)
        func x(_ event: TraceEvent) -> Double { axis.x(timed ? event.time! : Int64(event.step)) }
        let failureBand = failure == nil ? 0.0 : 20
        let stepBand = 40.0 + failureBand
        let laneHeight = 26.0
        let top = 34 + stepBand
        let bottom = top + Double(max(lanes.count, 1)) * laneHeight
        func y(_ row: Int) -> Double { top + Double(row) * laneHeight }
        var svg = SVGText()

        svg.text(10, 22, title, size: 15, weight: "bold")
        if let failure {
            svg.text(10, 42, "✱ \(failure.text) (found by the check after the step at line \(failure.line))",
                     size: 12, color: Marks.invariant, weight: "bold")
        }
        for (_, lane) in lanes.sorted(by: { $0.value.row < $1.value.row }) {
            let middle = y(lane.row) + laneHeight / 2
            if lane.row % 2 == 1 { svg.rect(0, y(lane.row), width, laneHeight, fill: "#f6f6f6") }
            svg.text(10, middle + 4, lane.label.count > 62 ? String(lane.label.prefix(61)) + "…" : lane.label, size: 11,
                     title: "\(lane.label) (\(lane.detail))")
            svg.line(left, middle, right, middle, color: "#ccc")
        }

        // The baton: from a process's switch-in until the next switch, its end, or its wait or sleep.
        var holder: (serial: Int, from: Double)?
        func releaseBaton(at end: Double) {
            if let held = holder, let lane = lanes[held.serial] {
                svg.rect(held.from, y(lane.row) + 7, max(end - held.from, 1), laneHeight - 14, fill: Marks.baton)
            }
            holder = nil
        }
        // Where each waiting or sleeping process began to wait, to draw the wait until it runs again.
        var waiting: [Int: (from: Double, color: String, dash: String)] = [:]
        var labels = LabelRows(rows: 3)
        var marks = SVGText()
        for event in events {
            let px = x(event)
            guard let lane = lanes[event.serial] else {
                worldMark(event, at: px, top: top, bottom: bottom, right: width - 4, labels: &labels, into: &marks)
                if event.kind == .inject || event.kind == .deadlock { releaseBaton(at: px) }
                continue
            }
            let middle = y(lane.row) + laneHeight / 2
            switch event.kind {
            case .run:
                releaseBaton(at: px)
                holder = (event.serial, px)
                if let wait = waiting.removeValue(forKey: event.serial) {
                    svg.line(wait.from, middle, px, middle, color: wait.color, width: 2, dash: wait.dash)
                }
                marks.path("M\(f(px)) \(f(middle - 11)) l5 -4 l-5 -4 z", fill: Marks.switched, title: "switch: \(event.who) gets the baton")
            case .op:
                marks.rect(px, middle - 7, 1.2, 14, fill: Marks.op, title: "[\(event.step)] \(event.text)")
            case .wait, .sleep:
                if holder?.serial == event.serial { releaseBaton(at: px) }
                let isWait = event.kind == .wait
                waiting[event.serial] = (px, isWait ? Marks.wait : Marks.sleep, isWait ? "4 2" : "1 2")
                marks.circle(px, middle, 4, fill: isWait ? Marks.wait : "white", stroke: isWait ? Marks.wait : Marks.sleep,
                             title: event.text)
            case .end:
                if holder?.serial == event.serial { releaseBaton(at: px) }
                if let wait = waiting.removeValue(forKey: event.serial) {
                    svg.line(wait.from, middle, px, middle, color: wait.color, width: 2, dash: wait.dash)
                }
                if event.text == "killed" {
                    marks.text(px - 5, middle + 5, "✕", size: 15, color: Marks.kill, weight: "bold", title: "killed")
                } else {
                    marks.rect(px, middle - 10, 3, 20, fill: event.text == "exit 0" ? Marks.exit : Marks.failedExit,
                               title: event.text)
                }
            case .inject:
                marks.text(px - 5, middle + 5, "✕", size: 15, color: Marks.kill, weight: "bold", title: "crash injected")
            case .start, .deadlock, .step:
                break
            }
        }
        releaseBaton(at: axis.x(Int64.max))
        svg.body += marks.body

        let end = axis.x(Int64.max)
        if let failure {
            svg.line(end + 4, top - 6, end + 4, bottom, color: Marks.invariant, width: 2)
            svg.text(end - 3, top - 8, "✱", size: 16, color: Marks.invariant, weight: "bold", title: failure.text)
        }
        let axisY = bottom + 8
        svg.line(left, axisY, right, axisY, color: "#333")
        for tick in axis.ticks {
            svg.line(tick.x, axisY, tick.x, axisY + 5, color: "#333")
            svg.text(tick.x, axisY + 17, tick.label, size: 10, anchor: "middle")
        }
        var breakLabels = LabelRows(rows: 2)
        for cut in axis.breaks {
            svg.rect(cut.x + 2, axisY - 3, TraceTimeAxis.breakWidth - 4, 6, fill: "white")
            svg.path("M\(f(cut.x + 4)) \(f(axisY + 5)) l4 -10 M\(f(cut.x + 10)) \(f(axisY + 5)) l4 -10", stroke: "#333")
            let label = "≈ +" + TraceTimeAxis.duration(cut.skipped, precision: cut.skipped / 100)
            let row = breakLabels.place(cut.x - 4, width: Double(label.count) * 5.2) ?? 1
            svg.text(cut.x - 4, axisY + 30 + Double(row) * 11, label, size: 9, color: "#666",
                     title: "a jump of \(label.dropFirst(3)) in virtual time, cut out")
        }
        svg.text(left, axisY + 55, axis.caption, size: 10, color: "#333")
        let legendTop = axisY + 73
        let height = Legend.draw(into: &svg, top: legendTop, left: 10, width: width - 20)
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height + 10))\""
            + " font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + svg.body + "</svg>\n"
    }

    /// A world event: a scenario step (a reboot or power-loss step drawn as one), an injected reboot or power
    /// loss, or a deadlock: a line across every lane, labelled in the band above them.
    static func worldMark(_ event: TraceEvent, at px: Double, top: Double, bottom: Double, right: Double,
                          labels: inout LabelRows, into svg: inout SVGText) {
        let (label, color, width, dash): (String, String, Double, String)
        switch event.kind {
        case .step:
            let line = Trace.stepLine(event).map { "line \($0)" } ?? event.text
            let what = event.command.isEmpty ? line : "\(line): \(event.command)"
            if event.command == "reboot" { (label, color, width, dash) = (what, Marks.reboot, 2, "6 3") }
            else if event.command == "power-loss" { (label, color, width, dash) = (what, Marks.power, 3, "") }
            else { (label, color, width, dash) = (what, Marks.step, 1, "2 2") }
        case .inject:
            let power = event.text == "power loss"
            (label, color, width, dash) = ("\(event.text) (injected)", power ? Marks.power : Marks.reboot, power ? 3 : 2,
                                           power ? "" : "6 3")
        case .deadlock:
            (label, color, width, dash) = ("deadlock", Marks.deadlock, 3, "")
        default:
            return
        }
        svg.line(px, top - 4, px, bottom, color: color, width: width, dash: dash, title: "\(label) — \(event.text)")
        let shown = label.count > 48 ? String(label.prefix(47)) + "…" : label
        let labelWidth = Double(shown.count) * 5.6
        // Near the right edge the label ends at the edge instead of running off it.
        let labelX = min(px + 2, right - labelWidth)
        if let row = labels.place(labelX, width: labelWidth) {
            svg.text(labelX, top - 6 - Double(row) * 12, shown, size: 9, color: color, title: "\(label) — \(event.text)")
        }
    }
}

/// Keeps labels in a band from overlapping: each goes in the lowest row where it fits.
struct LabelRows {
    var ends: [Double]
    init(rows: Int) { ends = Array(repeating: -.infinity, count: rows) }
    mutating func place(_ x: Double, width: Double) -> Int? {
        guard let row = ends.firstIndex(where: { $0 + 4 <= x }) else { return nil }
        ends[row] = x + width
        return row
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// A coordinate with one decimal.
func f(_ value: Double) -> String { TraceTimeAxis.fixed(value, places: 1) }
