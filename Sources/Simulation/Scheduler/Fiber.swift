import CSupport
import Glibc
import Synchronization

/// A simulated process's own stack and saved context. Exactly one fiber of a scheduler runs at a time, on
/// the scheduler's thread; handing the baton over is a switch of a few registers, not a thread wake-up.
/// A fiber runs bodies one after the other: when a body has ended it switches to `exitTarget`, and it is
/// resumed only to run the next body it is given.
final class Fiber {
    let context = UnsafeMutablePointer<csupport_fiber>.allocate(capacity: 1)
    private let stack: UnsafeMutableRawPointer?
    private let mapped: Int
    /// What to run the next time this fiber is switched to.
    var body: (() -> Void)?
    /// Where the fiber goes when its body has returned.
    var exitTarget: Fiber?
    /// Thread-local state that belongs to the process (`FiberLocals`), kept here while another fiber runs.
    var locals = FiberLocals.empty

    /// The calling thread's own context: no stack of its own, filled in by the first switch away from it.
    init() {
        context.initialize(to: csupport_fiber())
        stack = nil
        mapped = 0
    }

    /// A fiber with a stack of `stackSize` bytes below a guard page.
    init(stackSize: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        mapped = stackSize + page
        let memory = mmap(nil, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        precondition(memory != MAP_FAILED, "bootsim: cannot map a stack for a simulated process (errno \(errno))")
        mprotect(memory, page, PROT_NONE)
        stack = memory
        context.initialize(to: csupport_fiber())
        csupport_fiber_make(context, memory! + page, stackSize, { raw in
            Unmanaged<Fiber>.fromOpaque(raw!).takeUnretainedValue().loop()
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        csupport_fiber_free(context)
        context.deallocate()
        if let stack { munmap(stack, mapped) }
    }

    /// Saves this (running) fiber and resumes `other`.
    func switchTo(_ other: Fiber) {
        for index in FiberLocals.swaps.indices {
            var value = other.locals[index]
            FiberLocals.swaps[index](&value)
            locals[index] = value
        }
        csupport_fiber_switch(context, other.context)
    }

    private func loop() -> Never {
        while true {
            var next = body
            body = nil
            next?()
            next = nil
            let target = exitTarget!
            exitTarget = nil
            switchTo(target)
        }
    }
}

/// Fibers whose bodies have ended, for the next process of any scheduler: mapping a stack and its first
/// page faults cost more than the process's own switches.
enum FiberPool {
    static let stackSize = 2 << 20
    private static let idle = Mutex<[Fiber]>([])

    static func take() -> Fiber {
        idle.withLock { $0.popLast() } ?? Fiber(stackSize: stackSize)
    }

    /// Gives back fibers that have switched away for good (their bodies ended).
    static func put(_ fibers: [Fiber]) {
        idle.withLock { $0 += fibers }
    }
}

// A fiber is run by one thread at a time: the scheduler that switched to it.
extension Fiber: @unchecked Sendable {}
