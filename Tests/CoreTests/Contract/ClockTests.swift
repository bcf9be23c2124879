import Core
import Testing

/// The clock seam: monotonic time and sleeping to a deadline.
@Suite("Clock contract")
struct ClockTests {
    @Test("the monotonic clock never goes back", arguments: ContractBackend.all)
    func monotonic(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            var previous = world.clock.monotonicNow()
            for _ in 0..<1000 {
                let now = world.clock.monotonicNow()
                #expect(now >= previous)
                previous = now
            }
        }
    }

    @Test("sleep(until:) returns at or after the deadline", arguments: ContractBackend.all)
    func sleepUntil(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let start = world.clock.monotonicNow()
            let deadline = start.advanced(byNanoseconds: 20_000_000)
            try world.clock.sleep(until: deadline)
            #expect(world.clock.monotonicNow() >= deadline)
        }
    }

    @Test("sleep(until:) a deadline already past returns at once", arguments: ContractBackend.all)
    func sleepPast(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let start = world.clock.monotonicNow()
            try world.clock.sleep(until: MonotonicInstant(nanoseconds: start.nanoseconds / 2))
            // Generous bound: a past deadline must not sleep anything like the distance to it.
            #expect(world.clock.monotonicNow().nanoseconds - start.nanoseconds < 1_000_000_000)
        }
    }

    @Test("wall time moves forward across a sleep", arguments: ContractBackend.all)
    func wallTime(_ backend: ContractBackend) throws {
        try backend.withWorld { world in
            let before = world.clock.wallNow()
            try world.clock.sleep(until: world.clock.monotonicNow().advanced(byNanoseconds: 5_000_000))
            let after = world.clock.wallNow()
            #expect(after > before)
            #expect((0..<1_000_000_000).contains(after.nanoseconds))
        }
    }
}
