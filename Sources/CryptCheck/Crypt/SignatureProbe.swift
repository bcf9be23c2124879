import Core
import CBlkid
import Glibc

/// What libblkid sees on a device or image: a superblock (filesystem, swap, LUKS, RAID member, …) or a
/// partition table. `blkid_do_safeprobe(3)`, read-only.
struct Signature: Hashable, Sendable {
    /// `TYPE` (e.g. "ext4", "swap", "crypto_LUKS") or `PTTYPE` for a partition table ("gpt", "dos").
    var type: String
    var uuid: String?
    var label: String?
    /// "filesystem", "crypto", "raid", "other" or "partition table".
    var usage: String

    /// Probes `path`. Nil when nothing is recognised. Throws the errno of opening it.
    static func probe(_ path: String) throws(Errno) -> Signature? {
        guard let probe = blkid_new_probe_from_filename(path) else {
            throw errno == 0 ? Errno.ioError : Errno(rawValue: errno)
        }
        defer { blkid_free_probe(probe) }
        blkid_probe_enable_superblocks(probe, 1)
        blkid_probe_set_superblocks_flags(
            probe, SHIM_BLKID_SUBLKS_TYPE | SHIM_BLKID_SUBLKS_UUID | SHIM_BLKID_SUBLKS_LABEL | SHIM_BLKID_SUBLKS_USAGE)
        blkid_probe_enable_partitions(probe, 1)
        // 0: found, 1: nothing, -2: ambiguous (several signatures: certainly not empty), -1: error.
        let result = blkid_do_safeprobe(probe)
        if result == -2 { return Signature(type: "ambiguous", usage: "several signatures") }
        guard result == 0 else { return nil }
        if let type = value(probe, "TYPE") {
            return Signature(
                type: type, uuid: value(probe, "UUID"), label: value(probe, "LABEL"),
                usage: value(probe, "USAGE") ?? "other")
        }
        if let table = value(probe, "PTTYPE") {
            return Signature(type: table, uuid: value(probe, "PTUUID"), usage: "partition table")
        }
        return nil
    }

    init(type: String, uuid: String? = nil, label: String? = nil, usage: String) {
        self.type = type
        self.uuid = uuid
        self.label = label
        self.usage = usage
    }

    private static func value(_ probe: blkid_probe, _ name: String) -> String? {
        var data: UnsafePointer<CChar>?
        var length = 0
        guard blkid_probe_lookup_value(probe, name, &data, &length) == 0, let data else { return nil }
        return String(cString: data)
    }
}
