/// The nearest valid word to a misspelt one, by edit distance (Damerau–Levenshtein, optimal string alignment:
/// a swap of two neighbours is one edit), as compilers and git suggest ("did you mean …?").
enum Spelling {
    /// The candidate nearest to `word`, if it is near: at most 2 edits and fewer than the candidate's length
    /// (so `I99` suggests nothing rather than `I1`), or at most a third of the word's length.
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let d = distance(word, candidate)
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        guard let best else { return nil }
        let near = (best.distance <= 2 && best.distance < best.candidate.count) || best.distance <= word.count / 3
        return near ? best.candidate : nil
    }

    /// The optimal-string-alignment distance between `a` and `b` (case counts: `Reboot` is 1 from `reboot`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        // Longer inputs are never near a vocabulary word; cap the work the fuzzer can ask for.
        if a.count > 64 || b.count > 64 { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
