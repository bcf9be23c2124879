import Core
/// Object names: the rule they follow, and random `adjective_surname` names for objects created without one.
public enum Names {
    /// Whether `name` matches `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, isAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// How many random names are tried before giving up.
    public static let maxTries = 64

    /// A random `adjective_surname`.
    public static func random(_ source: any RandomSource) -> String {
        let adjective = adjectives[Int(source.next(below: UInt64(adjectives.count)))]
        let surname = surnames[Int(source.next(below: UInt64(surnames.count)))]
        return adjective + "_" + surname
    }

    /// Draws random names until `isFree` accepts one, at most `maxTries` times.
    public static func unique(_ source: any RandomSource, isFree: (String) throws -> Bool) throws -> String {
        for _ in 0..<maxTries {
            let name = random(source)
            if try isFree(name) { return name }
        }
        throw StateError.namesExhausted(tries: maxTries)
    }

    /// A 64-hex-digit object id.
    public static func randomID(_ source: any RandomSource) -> String {
        (0..<4).map { _ in
            let hex = String(source.next(), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static let adjectives = [
        "agile", "amber", "ancient", "ardent", "azure", "bold", "brave", "bright", "brisk", "calm", "candid",
        "careful", "cheerful", "clever", "cosmic", "crisp", "curious", "daring", "dazzling", "eager", "earnest",
        "elegant", "epic", "fearless", "fervent", "fierce", "frosty", "gentle", "gifted", "glad", "golden",
        "graceful", "hardy", "honest", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid", "mellow",
        "merry", "mighty", "modest", "nimble", "noble", "patient", "placid", "plucky", "polite", "proud", "quiet",
        "quirky", "radiant", "rapid", "serene", "sharp", "shiny", "silent", "sleek", "smooth", "snowy", "solid",
        "steady", "stoic", "sturdy", "sunny", "swift", "tender", "tidy", "trusty", "vivid", "warm", "wise", "witty",
        "zealous", "zen",
    ]

    static let surnames = [
        "agnesi", "khwarizmi", "ampere", "archimedes", "babbage", "banach", "bernoulli", "bohr", "boole",
        "brahe", "cantor", "cauchy", "cavendish", "chebyshev", "copernicus", "curie", "darwin", "descartes",
        "dijkstra", "dirac", "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "fibonacci", "fourier",
        "franklin", "galileo", "galois", "gauss", "germain", "goedel", "hamilton", "hamming", "hilbert", "hopper",
        "hubble", "huygens", "hypatia", "jacobi", "joule", "kelvin", "kepler", "knuth", "kolmogorov", "lagrange",
        "lamport", "laplace", "leibniz", "liskov", "lovelace", "maxwell", "meitner", "mendel", "minsky", "napier",
        "newton", "noether", "ohm", "pascal", "pasteur", "pauli", "planck", "poincare", "ramanujan", "riemann",
        "ritchie", "shannon", "somerville", "tesla", "thompson", "turing", "volta", "wiles", "wirth", "yonath",
    ]
}
