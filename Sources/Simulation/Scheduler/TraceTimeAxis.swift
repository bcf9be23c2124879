/// The horizontal axis of a trace picture: virtual time, linear, except that a jump which would take more
/// than a quarter of the picture and is far longer than the usual step between events (a reboot's 30 s, a
/// sleep) is cut out and drawn as a break of fixed width, labelled with the time it skips (at most 8).
/// Without recorded time, scheduling points stand in for it.
struct TraceTimeAxis {
    /// A stretch of time drawn linearly from `x`.
    struct Segment {
        var start: Int64
        var end: Int64
        var x: Double
    }

    /// True when the axis is virtual time (nanoseconds); false when it counts scheduling points.
    let isTime: Bool
    /// The time at the axis's 0.
    let origin: Int64
    private(set) var segments: [Segment] = []
    /// Pixels per unit (nanosecond or scheduling point).
    private(set) var scale = 1.0
    static let breakWidth = 18.0

    /// An axis from `left` to `right` for events at `values` (times, or steps when `isTime` is false).
    init(values: [Int64], isTime: Bool, left: Double, right: Double) {
        self.isTime = isTime
        let sorted = Array(Set(values)).sorted()
        origin = sorted.first ?? 0
        var gaps = zip(sorted, sorted.dropFirst()).map { (from: $0, to: $1) }
        var cut: [(from: Int64, to: Int64)] = []
        var span = max((sorted.last ?? 0) - origin, 1)
        if isTime {
            gaps.sort { $0.to - $0.from > $1.to - $1.from }
            // A jump is long next to the usual step between events (1 µs per op), not only next to the span.
            let usual = gaps.isEmpty ? 0 : gaps[gaps.count / 2].to - gaps[gaps.count / 2].from
            while let widest = gaps.first, cut.count < 8, Double(widest.to - widest.from) > Double(span) / 4,
                  widest.to - widest.from > 50 * usual {
                cut.append(widest)
                span -= widest.to - widest.from
                gaps.removeFirst()
            }
        }
        cut.sort { $0.from < $1.from }
        span = max(span, 1)
        scale = max(right - left - Double(cut.count) * Self.breakWidth, 1) / Double(span)
        var start = origin
        var x = left
        for gap in cut {
            segments.append(Segment(start: start, end: gap.from, x: x))
            x += Double(gap.from - start) * scale + Self.breakWidth
            start = gap.to
        }
        segments.append(Segment(start: start, end: max(sorted.last ?? origin, start), x: x))
    }

    /// Where `value` is drawn.
    func x(_ value: Int64) -> Double {
        var chosen = segments[0]
        for segment in segments where segment.start <= value { chosen = segment }
        return chosen.x + Double(min(value, chosen.end) - chosen.start) * scale
    }

    /// The cut jumps: where each break is drawn (its left edge) and the time it skips.
    var breaks: [(x: Double, skipped: Int64)] {
        zip(segments, segments.dropFirst()).map { previous, next in
            (previous.x + Double(previous.end - previous.start) * scale, next.start - previous.end)
        }
    }

    /// Ticks about every 110 pixels at round values (1, 2 or 5 times a power of ten) within each segment.
    var ticks: [(x: Double, label: String)] {
        var step: Int64 = 1
        while Double(step) * scale < 110 {
            let digits = String(step)
            step = digits.hasPrefix("1") ? step * 2 : digits.hasPrefix("2") ? step / 2 * 5 : step * 2
        }
        var result: [(x: Double, label: String)] = []
        for segment in segments {
            let first = (segment.start - origin + step - 1) / step * step
            var value = first
            while value <= segment.end - origin {
                result.append((x(origin + value), label(value, step: step)))
                value += step
            }
        }
        return result
    }

    /// The axis's caption.
    var caption: String {
        isTime ? "virtual time since the trace began (the machine's clock: 1 µs per protocol call, plus sleeps;"
            + " a ≈ break skips a long jump such as a reboot)"
            : "scheduling points (this run recorded no virtual time)"
    }

    /// `value` (ns, or points) in the largest unit it reaches, precise to `step`.
    func label(_ value: Int64, step: Int64) -> String {
        guard isTime else { return "\(value)" }
        return Self.duration(value, precision: step)
    }

    /// A duration in ns, in s, ms, µs or ns, with as many decimals as `precision` (ns) needs.
    static func duration(_ nanoseconds: Int64, precision: Int64 = 1) -> String {
        if nanoseconds == 0 { return "0" }
        let units: [(Int64, String)] = [(1_000_000_000, "s"), (1_000_000, "ms"), (1_000, "µs"), (1, "ns")]
        let (size, name) = units.first { nanoseconds >= $0.0 } ?? (1, "ns")
        var places = 0
        var resolution = size
        while resolution > max(precision, 1), places < 9 {
            resolution /= 10
            places += 1
        }
        return fixed(Double(nanoseconds) / Double(size), places: places) + " " + name
    }

    /// `value` with exactly `places` decimals (Core and Simulation have no Foundation formatting).
    static func fixed(_ value: Double, places: Int) -> String {
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        let scaled = Int64((abs(value) * factor).rounded())
        let whole = scaled / Int64(factor)
        var text = (value < 0 ? "-" : "") + "\(whole)"
        if places > 0 {
            let fraction = String(scaled % Int64(factor))
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }
}
