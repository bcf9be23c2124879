# The generator boots of scripts/vm-test.sh (sourced; issue 22, item 3). Two boots with our generator installed
# through scripts/install.sh (/etc/systemd/system-generators masks systemd's), then the same two with systemd 252's
# own. The crypttabs, command lines and what every entry must come to are in scripts/vm/generator.py.
disks=$work/disks
mkdir -p "$disks/keys" "$disks/keysfs"
for k in data legacy odd bs spc utf pct late cmd cmdutf; do newkey "$disks/keys/$k.key"; done
newkey "$disks/keysfs/k.key"
luks2 "$disks/data.img" "$disks/keys/data.key" --uuid "$(uuid 1)"
# LUKS1 with a detached header: the data disk carries no header at all.
truncate -s 16M "$disks/legacy.img"; truncate -s 4M "$disks/legacy.hdr"
cryptsetup luksFormat -q --type luks1 --pbkdf-force-iterations 1000 --key-file "$disks/keys/legacy.key" \
    --header "$disks/legacy.hdr" "$disks/legacy.img"
cp "$disks/legacy.hdr" "$disks/keys/legacy.hdr"
# The key on another disk: an ext4 file system labelled KEYS holding /k.key.
mkfs.ext4 -q -L KEYS -d "$disks/keysfs" "$disks/keys.img" 16M
luks2 "$disks/remote.img" "$disks/keysfs/k.key" --label remote
truncate -s 64M "$disks/swap.img" "$disks/tmp.img"
luks2 "$disks/odd.img" "$disks/keys/odd.key" --label 'odd%ilabel'
luks2 "$disks/bs.img" "$disks/keys/bs.key"
luks2 "$disks/spc.img" "$disks/keys/spc.key" --label 'my disk'
luks2 "$disks/utf.img" "$disks/keys/utf.key" --label 'Däten'
luks2 "$disks/pct.img" "$disks/keys/pct.key" --uuid "$(uuid 11)"
luks2 "$disks/late.img" "$disks/keys/late.key" --uuid "$(uuid 10)"
luks2 "$disks/cmd.img" "$disks/keys/cmd.key" --uuid "$(uuid 8)"
luks2 "$disks/cmdutf.img" "$disks/keys/cmdutf.key" --uuid "$(uuid 9)"
data_disks=()
for d in data legacy keys remote swap tmp odd bs spc utf pct late cmd cmdutf; do data_disks+=("$d=$disks/$d.img"); done

# systemd's generator as the guest has it, run outside the guest for the prediction (the host's systemd may be
# another 252 point release).
guest_lib=$work/guest-systemd
mkdir -p "$guest_lib"
debugfs -R "rdump /lib/systemd $guest_lib" "$cache/root.img" >/dev/null 2>&1
predict() { # predict GENERATOR PLANDIR CMDLINE OUTDIR
    local gen=$1 plan=$2 cmdline=$3 out=$4 binary
    mkdir -p "$out"
    if [ "$gen" = ours ]; then
        binary=$stage/etc/systemd/system-generators/systemd-cryptsetup-generator
        env -i SYSTEMD_CRYPTTAB="$plan/crypttab" SYSTEMD_PROC_CMDLINE="$cmdline" SYSTEMD_EFI_OPTIONS= SYSTEMD_IN_INITRD=0 \
            RUNTIME_DIRECTORY=/run/systemd/cryptsetup "$binary" "$out" "$out" "$out" >"$out.log" 2>&1 || true
    else
        binary=$guest_lib/systemd/system-generators/systemd-cryptsetup-generator
        env -i LD_LIBRARY_PATH="$guest_lib/systemd" SYSTEMD_CRYPTTAB="$plan/crypttab" SYSTEMD_PROC_CMDLINE="$cmdline" \
            SYSTEMD_EFI_OPTIONS= SYSTEMD_IN_INITRD=0 RUNTIME_DIRECTORY=/run/systemd/cryptsetup \
            "$binary" "$out" "$out" "$out" >"$out.log" 2>&1 || true
    fi
}

for gen in ${VM_GENERATORS:-ours systemd}; do
    image=$work/$gen-root.img
    cp --sparse=always "$cache/root.img" "$image"
    files=$work/$gen-files
    mkdir -p "$files/etc/keys" "$files/etc/vmtest"
    cp "$disks/keys"/* "$files/etc/keys/"
    install -m 0755 scripts/vm/agent-generator.sh "$files/etc/vmtest/run"
    if [ "$gen" = ours ]; then cp -a "$stage/etc/systemd" "$files/etc/"; fi
    for b in 1 2; do
        dir=$work/$gen-$b
        python3 scripts/vm/generator.py write "$b" "$dir/plan"
        cp "$dir/plan/crypttab" "$files/etc/crypttab"
        cp "$dir/plan/names" "$files/etc/vmtest/names"
        inject "$image" "$files"
        echo "vm-test: generator boot $b, generator: $gen"
        status=0
        boot "$dir" "$(cat "$dir/plan/cmdline")" "root=$image" "${data_disks[@]}" || status=$?
        echo "vm-test:   qemu exited $status after $(cat "$dir/seconds") s"
        cmdline=$(cat "$dir/report/cmdline" 2>/dev/null || echo "root=/dev/vda rw $(cat "$dir/plan/cmdline")")
        predict "$gen" "$dir/plan" "$cmdline" "$dir/predicted"
        python3 scripts/vm/generator.py check "$b" "$gen" "$dir/report" "$dir/predicted" "$results"
    done
done
