import CBlkid
import Core
import Glibc

/// Finds the device of a spec the way the boot would, on the checked machine:
/// 1. the `/dev/disk/by-*` link or the path, resolved inside the root;
/// 2. on the live system, libblkid's own tag lookup (`blkid_evaluate_tag`), which sees every block device;
/// 3. otherwise the images named by paths in the crypttab and by `--scan`, probed with libblkid.
/// Step 3 finds what a boot would not: such a result is reported as a warning (no udev link exists).
struct DeviceResolver {
    enum Outcome {
        /// Found: the host path, how, and whether a boot would find it the same way.
        case found(hostPath: String, how: String, bootFindsIt: Bool)
        case missing(String)
    }

    let context: CheckContext
    /// Host paths of the images the crypttab names by path (scan candidates).
    let candidates: [String]

    func resolve(_ spec: String) -> Outcome {
        let parsed = DeviceName(spec)
        let link = parsed.udevPath
        if let host = try? context.hostPath(link) {
            let how = link == spec ? "path" : link
            return .found(hostPath: host, how: how, bootFindsIt: true)
        }
        guard let (name, value) = parsed.tag else {
            return .missing("\(link) does not exist\(context.isLive ? "" : " under the root")")
        }
        if context.isLive, let path = blkidLookup(name, value) {
            return .found(hostPath: path, how: "blkid \(name)=\(value)", bootFindsIt: true)
        }
        for candidate in scanCandidates() {
            guard let signature = try? Signature.probe(candidate) else { continue }
            let found = name == "UUID" ? signature.uuid : name == "LABEL" ? signature.label : nil
            if found == value {
                return .found(hostPath: candidate, how: "scanned \(candidate)", bootFindsIt: false)
            }
        }
        return .missing("\(link) does not exist and no scanned image has \(name)=\(value)")
    }

    /// `blkid_evaluate_tag(3)`: the device with this tag on the running system.
    private func blkidLookup(_ name: String, _ value: String) -> String? {
        guard name == "UUID" || name == "LABEL" || name == "PARTUUID" || name == "PARTLABEL" else { return nil }
        guard let result = blkid_evaluate_tag(name, value, nil) else { return nil }
        defer { free(result) }
        return String(cString: result)
    }

    /// The crypttab's own image paths, then the `--scan` files and the files directly inside `--scan`
    /// directories: regular files and block devices only.
    private func scanCandidates() -> [String] {
        var result = candidates
        let host = HostFileSystem(root: "/")
        for path in context.scanPaths {
            guard let status = try? host.stat(path) else { continue }
            if status.kind == .directory {
                let names = (try? host.readdir(path))?.map(\.name).sorted() ?? []
                result += names.map { path + "/" + $0 }.filter(isImage)
            } else if isImage(path) {
                result.append(path)
            }
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }

    private func isImage(_ path: String) -> Bool {
        guard let kind = try? HostFileSystem(root: "/").stat(path).kind else { return false }
        return kind == .regular || kind == .blockDevice
    }
}
