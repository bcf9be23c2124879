import CFuse3
import Glibc

/// The `fuse_lowlevel_ops` table. C callbacks cannot capture, so each one finds the server through the
/// session's userdata, copies its arguments into an `Operation`, and hands it over.
enum Callbacks {
    static func server(_ req: fuse_req_t?) -> FUSEServer {
        Unmanaged<FUSEServer>.fromOpaque(fuse_req_userdata(req)!).takeUnretainedValue()
    }

    static func receive(_ req: fuse_req_t?, _ operation: Operation) {
        server(req).receive(req!, operation)
    }

    static func text(_ name: UnsafePointer<CChar>?) -> String { String(cString: name!) }

    static func handle(_ fi: UnsafeMutablePointer<fuse_file_info>?) -> UInt64 { fi?.pointee.fh ?? 0 }

    static func make() -> fuse_lowlevel_ops {
        var ops = fuse_lowlevel_ops()
        ops.`init` = { userdata, conn in simfuse_configure(conn) }
        ops.lookup = { req, parent, name in Callbacks.receive(req, .lookup(parent: parent, name: Callbacks.text(name))) }
        ops.forget = { req, node, count in
            Callbacks.server(req).forget(node, count)
            fuse_reply_none(req)
        }
        ops.getattr = { req, node, fi in Callbacks.receive(req, .getattr(node: node, handle: fi.map { $0.pointee.fh })) }
        ops.setattr = { req, node, attributes, fields, fi in
            Callbacks.receive(req, .setattr(node: node, attributes: attributes!.pointee, fields: fields,
                                  handle: fi.map { $0.pointee.fh }))
        }
        ops.readlink = { req, node in Callbacks.receive(req, .readlink(node: node)) }
        ops.symlink = { req, target, parent, name in
            Callbacks.receive(req, .symlink(target: Callbacks.text(target), parent: parent, name: Callbacks.text(name)))
        }
        ops.mknod = { req, parent, name, mode, device in
            Callbacks.receive(req, .mknod(parent: parent, name: Callbacks.text(name), mode: mode, device: UInt64(device)))
        }
        ops.mkdir = { req, parent, name, mode in Callbacks.receive(req, .mkdir(parent: parent, name: Callbacks.text(name), mode: mode)) }
        ops.unlink = { req, parent, name in Callbacks.receive(req, .unlink(parent: parent, name: Callbacks.text(name))) }
        ops.rmdir = { req, parent, name in Callbacks.receive(req, .rmdir(parent: parent, name: Callbacks.text(name))) }
        ops.rename = { req, parent, name, newParent, newName, flags in
            Callbacks.receive(req, .rename(parent: parent, name: Callbacks.text(name), newParent: newParent, newName: Callbacks.text(newName),
                                 flags: flags))
        }
        ops.link = { req, node, newParent, newName in
            Callbacks.receive(req, .link(node: node, newParent: newParent, newName: Callbacks.text(newName)))
        }
        ops.open = { req, node, fi in Callbacks.receive(req, .open(node: node, info: fi!.pointee)) }
        ops.create = { req, parent, name, mode, fi in
            Callbacks.receive(req, .create(parent: parent, name: Callbacks.text(name), mode: mode, info: fi!.pointee))
        }
        ops.read = { req, node, size, offset, fi in
            Callbacks.receive(req, .read(node: node, size: size, offset: Int64(offset), handle: Callbacks.handle(fi)))
        }
        ops.write = { req, node, bytes, size, offset, fi in
            let data = Array(UnsafeRawBufferPointer(start: bytes, count: size))
            Callbacks.receive(req, .write(node: node, data: data, offset: Int64(offset), handle: Callbacks.handle(fi)))
        }
        ops.flush = { req, node, fi in Callbacks.receive(req, .flush(node: node, handle: Callbacks.handle(fi))) }
        ops.release = { req, node, fi in Callbacks.receive(req, .release(node: node, handle: Callbacks.handle(fi))) }
        ops.fsync = { req, node, datasync, fi in
            Callbacks.receive(req, .fsync(node: node, dataOnly: datasync != 0, handle: Callbacks.handle(fi)))
        }
        ops.opendir = { req, node, fi in Callbacks.receive(req, .opendir(node: node, info: fi!.pointee)) }
        ops.readdir = { req, node, size, offset, fi in
            Callbacks.receive(req, .readdir(node: node, size: size, offset: Int64(offset), handle: Callbacks.handle(fi)))
        }
        ops.releasedir = { req, node, fi in Callbacks.receive(req, .releasedir(node: node, handle: Callbacks.handle(fi))) }
        ops.fsyncdir = { req, node, datasync, fi in
            Callbacks.receive(req, .fsyncdir(node: node, dataOnly: datasync != 0, handle: Callbacks.handle(fi)))
        }
        ops.statfs = { req, node in Callbacks.receive(req, .statfs(node: node)) }
        ops.access = { req, node, mask in Callbacks.receive(req, .access(node: node, mask: mask)) }
        return ops
    }
}
