import CFuse3
import Core
import Glibc
import Synchronization

/// Errors of mounting and serving, with a message meant for a person.
public struct MountError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A mounted FUSE session serving one `FUSEServer`, plus its control socket.
public final class FUSEMount {
    public let mountPoint: String
    public let socketPath: String
    let server: FUSEServer
    let session: OpaquePointer
    var listener: Int32 = -1
    var mounted = false
    let invalidator = Invalidator()
    /// After each request, poll without sleeping for this long before sleeping in `poll` again (0: never).
    /// The next request of a process that makes many small calls then needs no wake-up of the server,
    /// which on a virtual machine costs tens of µs when the server's CPU has gone idle. It burns a CPU
    /// while requests come, so it is for a server with a CPU of its own (`bootsim mount --spin`).
    public var spinNanoseconds: UInt64 = 0
    /// Held by the request thread while it runs a request, and by the control loop while it runs a command.
    let lock = ServeLock()
    /// Request threads still running; the session is not destroyed while any is.
    let serving = ThreadCount()

    /// Checks the mount point, creates the session and mounts it. `mountPoint` is normalized.
    public init(server: FUSEServer, at path: String) throws {
        mountPoint = ControlPaths.normalize(path)
        socketPath = ControlPaths.socket(for: mountPoint)
        self.server = server
        try Self.check(mountPoint)
        var ops = Callbacks.make()
        let userdata = Unmanaged.passUnretained(server).toOpaque()
        let kernelChecks: Int32 = server.machine.checksPermissions ? 0 : 1
        guard let session = simfuse_session_new("bootsim", &ops, userdata, kernelChecks) else {
            throw MountError("fuse_session_new failed (is libfuse3 working?)")
        }
        self.session = session
        server.session = session
        server.invalidator = invalidator
        guard fuse_session_mount(session, mountPoint) == 0 else {
            fuse_session_destroy(session)
            throw MountError("cannot mount on \(mountPoint) (is /dev/fuse there and are you root?)")
        }
        mounted = true
    }

    /// Fails with a clear message unless `mountPoint` (normalized) is an existing directory on which
    /// nothing is mounted and for which no server answers.
    public static func check(_ mountPoint: String) throws {
        var status = Glibc.stat()
        guard fstatat(AT_FDCWD, mountPoint, &status, 0) == 0 else {
            throw MountError("mount point \(mountPoint) does not exist (\(String(cString: strerror(errno))))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw MountError("mount point \(mountPoint) is not a directory") }
        guard !ControlPaths.isMountPoint(mountPoint) else {
            throw MountError("mount point \(mountPoint) is busy: something is already mounted there")
        }
        if ControlClient.answers(at: ControlPaths.socket(for: mountPoint)) {
            throw MountError("mount point \(mountPoint) is busy: a bootsim server already answers for it")
        }
    }

    deinit {
        unmount()
        // A thread still dropping names keeps the session; the process is about to exit anyway.
        if invalidator.isIdle && serving.running.load(ordering: .sequentiallyConsistent) == 0 { fuse_session_destroy(session) }
    }

    /// Opens the control socket, replacing a stale one. Fails if a live server already answers there.
    public func listen() throws {
        mkdir(ControlPaths.directory, 0o700)
        if ControlClient.answers(at: socketPath) { throw MountError("control socket \(socketPath) is in use") }
        unlink(socketPath)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MountError("socket: \(String(cString: strerror(errno)))") }
        let bound = SocketIO.withAddress(socketPath) { bind(fd, $0, $1) }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            close(fd)
            throw MountError("cannot listen on \(socketPath): \(String(cString: strerror(errno)))")
        }
        listener = fd
    }

    /// Unmounts (lazily, so a busy mount still goes) and removes the control socket. Held requests are
    /// answered with EIO first so that no process is left waiting.
    public func unmount() {
        for pending in server.pauses.releaseAll() { server.abandon(pending, EIO) }
        if listener >= 0 {
            close(listener)
            listener = -1
            unlink(socketPath)
        }
        if mounted {
            fuse_session_unmount(session)
            mounted = false
        }
    }

    /// Serves requests on a thread of their own and control commands on this one, until unmounted,
    /// stopped by a signal, or told to unmount over the control socket (whose client gets the answer after
    /// the unmount). The request thread sleeps in `read` on /dev/fuse, as libfuse's own loop does (one
    /// system call less per request than a `poll` over the device and the control sockets); the two
    /// threads take turns on the server through `lock`. `worldFile` is where the machine is saved at the end.
    public func run(saveTo worldFile: String?) {
        fuse_set_signal_handlers(session)
        defer { fuse_remove_signal_handlers(session) }
        var wake: [Int32] = [-1, -1]
        guard pipe(&wake) == 0 else {
            finishUnmount(nil, worldFile: worldFile)
            return
        }
        for fd in wake { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let loop = RequestLoop(session: SessionHandle(pointer: session), lock: lock, server: server,
                               spinNanoseconds: spinNanoseconds, wakeFD: wake[1])
        serving.running.add(1, ordering: .sequentiallyConsistent)
        let work = ThreadWork { [serving] in
            loop.run()
            serving.running.subtract(1, ordering: .sequentiallyConsistent)
        }
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { argument in
            Unmanaged<ThreadWork>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, Unmanaged.passRetained(work).toOpaque())
        guard started == 0 else {
            Unmanaged<ThreadWork>.fromOpaque(Unmanaged.passUnretained(work).toOpaque()).release()
            serving.running.subtract(1, ordering: .sequentiallyConsistent)
            finishUnmount(nil, worldFile: worldFile)
            return
        }
        pthread_detach(thread)
        // A request thread still blocked in read writes to the pipe when it ends: the pipe stays open for it.
        defer { if serving.running.load(ordering: .sequentiallyConsistent) == 0 { close(wake[0]); close(wake[1]) } }
        var clients: [Int32: [UInt8]] = [:]
        var fds: [pollfd] = []
        while fuse_session_exited(session) == 0 {
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0))
            if listener >= 0 { fds.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0)) }
            for fd in clients.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            // The request loop ended (the mount is gone, or a signal stopped it).
            if fds[0].revents != 0 { break }
            for entry in fds.dropFirst() where entry.revents != 0 {
                if entry.fd == listener {
                    let client = accept(listener, nil, nil)
                    if client >= 0 {
                        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                        _ = fcntl(client, F_SETFL, O_NONBLOCK)
                        clients[client] = []
                    }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EAGAIN || errno == EINTR { continue }
                if count > 0 {
                    clients[entry.fd]! += chunk[0..<count]
                    continue
                }
                let words = clients.removeValue(forKey: entry.fd)!.split(separator: 0, omittingEmptySubsequences: false)
                    .map { String(decoding: $0, as: UTF8.self) }.filter { !$0.isEmpty }
                SocketIO.setBlocking(entry.fd)
                if words.first == "unmount" {
                    for fd in clients.keys { close(fd) }
                    lock.withLock { finishUnmount(entry.fd, worldFile: words.count > 1 ? words[1] : worldFile) }
                    return
                }
                let answer = lock.withLock { server.control(words) }
                let bytes = Array("\(answer.status)\n\(answer.text)".utf8)
                let client = entry.fd
                if !answer.invalidates {
                    _ = SocketIO.writeAll(client, bytes)
                    close(client)
                } else {
                    invalidator.start(SessionHandle(pointer: session), answer.invalidate,
                                      attributesOf: answer.invalidateAttributes) {
                        _ = SocketIO.writeAll(client, bytes)
                        close(client)
                    }
                }
            }
        }
        for fd in clients.keys { close(fd) }
        lock.withLock { finishUnmount(nil, worldFile: worldFile) }
    }

    /// CLOCK_MONOTONIC in nanoseconds.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Saves the world if asked, then unmounts; the answer goes to `client`.
    func finishUnmount(_ client: Int32?, worldFile: String?) {
        var answer = "0\n"
        if let worldFile, !worldFile.isEmpty {
            do {
                try server.machine.save(to: worldFile)
            } catch {
                answer = "1\ncould not save the world to \(worldFile): \(error)\n"
            }
        }
        unmount()
        if let client {
            _ = SocketIO.writeAll(client, Array(answer.utf8))
            close(client)
        }
    }
}
