/// The colours of a trace picture's marks, one per meaning (the legend shows each).
enum Marks {
    static let op = "#2f5fb3"
    static let baton = "#cfe0f7"
    static let switched = "#2a9d3a"
    static let wait = "#f08c00"
    static let sleep = "#777"
    static let exit = "#000"
    static let failedExit = "#a0522d"
    static let kill = "#d00"
    static let step = "#999"
    static let reboot = "#d00"
    static let power = "#7a0000"
    static let deadlock = "#9b30b0"
    static let invariant = "#d00"
}

/// What each mark of a trace picture means, drawn below the axis.
enum Legend {
    /// Draws the legend in rows from `top`; returns the bottom of the last row.
    static func draw(into svg: inout SVGText, top: Double, left: Double, width: Double) -> Double {
        svg.text(left, top, "Legend", size: 12, weight: "bold")
        let items: [(String, (inout SVGText, Double, Double) -> Void)] = [
            ("op: one protocol call (file, lock, clock…)", { s, x, y in s.rect(x + 8, y - 7, 1.2, 14, fill: Marks.op) }),
            ("holds the baton (runs)", { s, x, y in s.rect(x, y - 6, 18, 12, fill: Marks.baton) }),
            ("switch: gets the baton", { s, x, y in s.path("M\(f(x + 6)) \(f(y - 4)) l5 4 l-5 4 z", fill: Marks.switched) }),
            ("waits for a lock or child (until it runs again)", { s, x, y in
                s.line(x + 4, y, x + 18, y, color: Marks.wait, width: 2, dash: "4 2")
                s.circle(x + 4, y, 4, fill: Marks.wait, stroke: Marks.wait)
            }),
            ("sleeps (until it runs again)", { s, x, y in
                s.line(x + 4, y, x + 18, y, color: Marks.sleep, width: 2, dash: "1 2")
                s.circle(x + 4, y, 4, fill: "white", stroke: Marks.sleep)
            }),
            ("exit 0", { s, x, y in s.rect(x + 7, y - 10, 3, 20, fill: Marks.exit) }),
            ("exits failing", { s, x, y in s.rect(x + 7, y - 10, 3, 20, fill: Marks.failedExit) }),
            ("killed (crash injected, @crash, reboot, deadlock)", { s, x, y in
                s.text(x + 3, y + 5, "✕", size: 15, color: Marks.kill, weight: "bold")
            }),
            ("scenario step (line N: what it does)", { s, x, y in
                s.line(x + 9, y - 10, x + 9, y + 10, color: Marks.step, width: 1, dash: "2 2")
            }),
            ("reboot (a step or injected)", { s, x, y in
                s.line(x + 9, y - 10, x + 9, y + 10, color: Marks.reboot, width: 2, dash: "6 3")
            }),
            ("power loss (a step or injected)", { s, x, y in
                s.line(x + 9, y - 10, x + 9, y + 10, color: Marks.power, width: 3)
            }),
            ("deadlock: every process blocked (I5)", { s, x, y in
                s.line(x + 9, y - 10, x + 9, y + 10, color: Marks.deadlock, width: 3)
            }),
            ("broken invariant, where the check found it", { s, x, y in
                s.line(x + 9, y - 10, x + 9, y + 10, color: Marks.invariant, width: 2)
                s.text(x + 2, y - 1, "✱", size: 14, color: Marks.invariant, weight: "bold")
            }),
        ]
        var x = left
        var y = top + 20
        for (text, glyph) in items {
            let itemWidth = 26 + Double(text.count) * 5.9 + 18
            if x + itemWidth > left + width, x > left {
                x = left
                y += 24
            }
            glyph(&svg, x, y)
            svg.text(x + 24, y + 4, text, size: 10)
            x += itemWidth
        }
        return y + 14
    }
}

/// SVG elements as text, each with an optional tooltip (`<title>`).
struct SVGText {
    var body = ""

    static func escape(_ text: String) -> String {
        text.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;")
    }

    private mutating func element(_ name: String, _ attributes: String, title: String?, content: String = "") {
        let inner = content + (title.map { "<title>\(Self.escape($0))</title>" } ?? "")
        body += inner.isEmpty ? "<\(name) \(attributes)/>\n" : "<\(name) \(attributes)>\(inner)</\(name)>\n"
    }

    mutating func text(_ x: Double, _ y: Double, _ text: String, size: Double, color: String = "#000",
                       weight: String = "normal", anchor: String = "start", title: String? = nil) {
        element("text", "x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" fill=\"\(color)\" font-weight=\"\(weight)\""
                + " text-anchor=\"\(anchor)\"", title: title, content: Self.escape(text))
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double = 1,
                       dash: String = "", title: String? = nil) {
        let dashing = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        element("line", "x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(color)\""
                + " stroke-width=\"\(f(width))\"\(dashing)", title: title)
    }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, title: String? = nil) {
        element("rect", "x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"\(fill)\"",
                title: title)
    }

    mutating func circle(_ x: Double, _ y: Double, _ radius: Double, fill: String, stroke: String, title: String? = nil) {
        element("circle", "cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\""
                + " stroke-width=\"1.5\"", title: title)
    }

    mutating func path(_ d: String, fill: String = "none", stroke: String = "none", title: String? = nil) {
        element("path", "d=\"\(d)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"", title: title)
    }
}
