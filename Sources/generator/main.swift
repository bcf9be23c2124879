// systemd-cryptsetup-generator: a drop-in for systemd 252's generator. See GeneratorCommand in Core.
import Core
import Glibc

func write(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { buffer in
        var done = 0
        while done < buffer.count {
            let written = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            done += written
        }
    }
}

// The output directories take nearly every call: resolve below them from an open descriptor.
let machine = Machine.host(anchors: Array(CommandLine.arguments.dropFirst().prefix(3)))
var process = GeneratorProcess(
    arguments: CommandLine.arguments,
    environment: { name in getenv(name).map { String(cString: $0) } },
    fileSystem: machine.fileSystem,
    standardOutput: { write(1, $0) },
    standardError: { write(2, $0) })
process.stderrIsTerminal = isatty(2) == 1
process.pid = getpid()
process.wallSeconds = { Int64(time(nil)) }
// Writing is mostly the kernel making files: a second CPU writes while the plan is still being made.
// The helper runs on another CPU from the start: left to the scheduler, it often waits milliseconds on this
// one while the planner runs.
if HostCPU.usable > 1 {
    process.makeSink = { fileSystem in
        HostPlanPipeline(fileSystem: fileSystem, helpers: 1) { HostThread.start(cpu: HostCPU.other, $0) }
    }
}
exit(GeneratorCommand.run(process))
