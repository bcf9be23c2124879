import Glibc
import SimFUSE

/// A fast path for the control verbs that scripts call in tight loops (`ctl DIR reboot [--power-loss]`,
/// `ctl DIR crash`, `ctl DIR status`): they skip argument parsing, whose type lookups cost a few ms per
/// process start. Any other shape goes through ArgumentParser as usual.
enum FastControl {
    static func words(_ arguments: [String]) -> [String]? {
        guard arguments.count >= 4, arguments[1] == "ctl", !arguments[2].hasPrefix("-") else { return nil }
        switch Array(arguments[3...]) {
        case ["reboot"]: return ["reboot", "clean"]
        case ["reboot", "--power-loss"]: return ["reboot", "power-loss"]
        case ["crash"]: return ["crash"]
        case ["status"]: return ["status"]
        default: return nil
        }
    }

    /// Sends `words` to the mount and exits with the server's status.
    static func run(_ words: [String], mountPoint: String) -> Never {
        do {
            let answer = try ControlClient.send(words, to: mountPoint)
            if answer.status != 0 {
                printError("bootsim: " + answer.text.trimmingSuffix())
            } else if !answer.text.isEmpty {
                print(answer.text, terminator: "")
            }
            exit(answer.status)
        } catch {
            printError("Error: \(error)")
            exit(64)
        }
    }
}
