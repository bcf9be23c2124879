import Core
import CCryptSetup

/// A libcryptsetup context (`struct crypt_device`) on one image file or block device. Read-only use:
/// it loads headers and tests keys with `crypt_activate_by_passphrase(cd, NULL, …)`, which checks a key
/// against the keyslots without creating a device-mapper device.
final class CryptDevice {
    private let handle: OpaquePointer

    /// `crypt_init_data_device(3)`: `headerPath` holds the LUKS header; `dataPath` the data when the header
    /// is detached. Throws the negative errno libcryptsetup returned, as a positive `Errno`.
    init(headerPath: String, dataPath: String? = nil) throws(Errno) {
        CryptDevice.silenceLibrary()
        var device: OpaquePointer?
        let result = crypt_init_data_device(&device, headerPath, dataPath)
        guard result == 0, let device else { throw Errno(rawValue: -result) }
        handle = device
        shim_crypt_silence(handle)
    }

    deinit { crypt_free(handle) }

    /// `crypt_load(3)` of any LUKS version. Throws what libcryptsetup returned (EINVAL: no LUKS header).
    func loadLUKS() throws(Errno) {
        let result = crypt_load(handle, nil, nil)
        if result < 0 { throw Errno(rawValue: -result) }
    }

    /// `crypt_get_type(3)`: "LUKS1", "LUKS2", … after a successful load.
    var type: String? { crypt_get_type(handle).map { String(cString: $0) } }

    /// `crypt_get_uuid(3)`: the header UUID after a successful load.
    var uuid: String? { crypt_get_uuid(handle).map { String(cString: $0) } }

    /// The keyslots that hold a key (`crypt_keyslot_status(3)` active or active-last).
    var activeKeyslots: [Int32] {
        guard let type = crypt_get_type(handle) else { return [] }
        let count = crypt_keyslot_max(type)
        guard count > 0 else { return [] }
        return (0..<count).filter {
            let status = crypt_keyslot_status(handle, $0)
            return status == CRYPT_SLOT_ACTIVE || status == CRYPT_SLOT_ACTIVE_LAST
        }
    }

    /// Tests `key` against one keyslot or all (`slot` nil). Returns the keyslot it opens, or throws
    /// (EPERM: no keyslot accepts it; ENOENT: the slot is empty).
    func unlockingKeyslot(for key: [UInt8], slot: Int32?) throws(Errno) -> Int32 {
        let result = key.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                crypt_activate_by_passphrase(handle, nil, slot ?? SHIM_CRYPT_ANY_SLOT, $0.baseAddress, $0.count, 0)
            }
        }
        if result < 0 { throw Errno(rawValue: -result) }
        return result
    }

    /// Routes libcryptsetup's default log to nowhere: every failure is reported by crypttab-check itself.
    static func silenceLibrary() {
        shim_crypt_silence(nil)
    }
}
