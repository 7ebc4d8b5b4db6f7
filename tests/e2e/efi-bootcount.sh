#!/bin/bash
# Issue 12 under OVMF: BLS boot counting as systemd-boot does it. The ESP
# (FAT32) holds /loader/entries/good.conf (version 1) and new+2-0.conf
# (version 2, first, loader.conf's default); "new" never blesses itself. pvhboot.efi renames the
# file through the firmware's Simple File System before each try
# (new+1-1.conf, then new+0-2.conf) and sets LoaderBootCountPath (read back
# from the variable store by the loader); the third run boots good.
# fsck.vfat -n is clean after each run, and the image outside the three
# directories on the path is unchanged.
#   efi-bootcount-rename     the three runs
#   efi-bootcount-readonly   a read-only disk: new boots, nothing renamed
#   efi-bootcount-writes-off writes=off in \EFI\BOOT\pvhboot.opt: the same
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
EFI=$BUILD/pvhboot.efi
WORK=${KEEP_WORK:-$(mktemp -d)}
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
FILTER=${1:-}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

make_disk() { # DISK [LOADER-OPTIONS]
	local esp=$WORK/esp.img
	rm -f "$esp"
	mkfs.fat -C -F 32 -n ESP "$esp" 65536 >/dev/null
	mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/probes ::/loader ::/loader/entries
	mcopy -i "$esp" "$EFI" ::/EFI/BOOT/BOOTX64.EFI
	mcopy -i "$esp" "$BUILD/kernels/linux64.bzImage" ::/probes/linux64.bzImage
	printf 'title Good\nversion 1\nlinux /probes/linux64.bzImage\noptions probe=good\n' >"$WORK/good.conf"
	printf 'title New\nversion 2\nlinux /probes/linux64.bzImage\noptions probe=new\n' >"$WORK/new+2-0.conf"
	printf 'timeout 0\ndefault new\n' >"$WORK/loader.conf"
	mcopy -i "$esp" "$WORK/good.conf" "$WORK/new+2-0.conf" ::/loader/entries/
	mcopy -i "$esp" "$WORK/loader.conf" ::/loader/loader.conf
	if [ -n "${2:-}" ]; then
		printf '%s\n' "$2" >"$WORK/pvhboot.opt"
		mcopy -i "$esp" "$WORK/pvhboot.opt" ::/EFI/BOOT/pvhboot.opt
	fi
	rm -f "$1"
	truncate -s 70M "$1"
	printf 'label: gpt\nstart=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"\n' |
		sfdisk -q --no-reread --no-tell-kernel "$1" >/dev/null
	dd if="$esp" of="$1" bs=1M seek=1 conv=notrunc status=none
}

# masked_sum DISK: sha256 with the clusters of /, /loader and /loader/entries
# zeroed: the rename rewrites the file's directory entries, and OVMF's FAT
# driver also stamps the parents' entries with a new modification time.
masked_sum() {
	dd if="$1" of="$WORK/esp.now" bs=1M skip=1 count=64 status=none
	python3 - "$1" "$WORK/esp.now" <<'PY'
import hashlib, struct, sys
img = bytearray(open(sys.argv[1], "rb").read())
d = open(sys.argv[2], "rb").read()
bps, spc, res, nfats = struct.unpack_from("<HBHB", d, 11)
fatsz = struct.unpack_from("<I", d, 36)[0]
root = struct.unpack_from("<I", d, 44)[0]
cs = bps * spc
data = (res + nfats * fatsz) * bps
fat = res * bps
def chain(c):
    while c < 0x0ffffff8:
        yield c
        c = struct.unpack_from("<I", d, fat + 4 * c)[0] & 0x0fffffff
def find(dirc, name):
    for c in chain(dirc):
        base = data + (c - 2) * cs
        for i in range(0, cs, 32):
            e = d[base + i:base + i + 32]
            if e[0] == 0: return None
            if e[11] == 0x0f or e[0] == 0xe5: continue
            if e[:11] == name:
                return struct.unpack_from("<H", e, 20)[0] << 16 | struct.unpack_from("<H", e, 26)[0]
    return None
loader = find(root, b"LOADER     ")
for c in (root, loader, find(loader, b"ENTRIES    ")):
    for k in chain(c):
        at = 1048576 + data + (k - 2) * cs
        img[at:at + cs] = bytes(cs)
print(hashlib.sha256(img).hexdigest())
PY
}

entries() { # DISK: the file names in /loader/entries, sorted
	dd if="$1" of="$WORK/esp.now" bs=1M skip=1 count=64 status=none
	mdir -b -i "$WORK/esp.now" ::/loader/entries | sed 's|.*/||' | sort | tr '\n' ' '
}

run() { # NAME DISK WANT [RO]
	local log=$WORK/$1.log before drive="if=virtio,format=raw,file=$2"
	[ -n "${4:-}" ] && drive+=",readonly=on"
	before=$(masked_sum "$2")
	cp "$2" "$WORK/before.img"
	timeout 120 qemu-system-x86_64 -accel tcg -M q35 -m 512 -nodefaults -nic none -no-reboot \
		-display none -device isa-debug-exit,iobase=0xf4,iosize=4 -bios "$OVMF" \
		-drive "$drive" -debugcon "file:$log" \
		-serial "file:$WORK/$1.serial" </dev/null >"$WORK/$1.qemu" 2>&1
	local st=$? got
	got=$(sed -n 's/^FIELD cmdline=.*probe=\([a-z]*\).*/\1/p' "$log" | head -n1)
	if [ $st != 1 ] || [ "$got" != "$3" ]; then
		echo "not ok $1: booted '$got' (status $st), want $3; $(grep -E 'error|counting' "$log" | head -n 3 | tr '\n' '|')"
		return 1
	fi
	dd if="$2" of="$WORK/esp.now" bs=1M skip=1 count=64 status=none
	if ! fsck.vfat -n "$WORK/esp.now" >"$WORK/fsck.log" 2>&1; then
		echo "not ok $1: fsck.vfat: $(tail -n 3 "$WORK/fsck.log" | tr '\n' '|')"
		return 1
	fi
	if [ "$(masked_sum "$2")" != "$before" ]; then
		echo "not ok $1: bytes outside /loader/entries changed (sectors $(cmp -l "$WORK/before.img" "$2" | awk '{print int(($1 - 1) / 512)}' | uniq | head -n 8 | tr '\n' ' '))"
		return 1
	fi
}

if selected efi-bootcount-rename; then
	D=$WORK/count.img
	make_disk "$D"
	ok=1 n=0
	for want in "new new+1-1.conf \\loader\\entries\\new+1-1.conf" \
		    "new new+0-2.conf \\loader\\entries\\new+0-2.conf" "good new+0-2.conf -"; do
		set -- $want
		n=$((n + 1))
		run "efi-bootcount-rename-$n" "$D" "$1" || { ok=0; break; }
		got=$(entries "$D")
		if [ "$got" != "good.conf $2 " ]; then
			echo "not ok efi-bootcount-rename: run $n: entries '$got', want 'good.conf $2'"
			ok=0; break
		fi
		path=$(sed -n 's/.*efi: LoaderBootCountPath=//p' "$WORK/efi-bootcount-rename-$n.log" | tr -d '\r')
		if [ "$3" != - ] && [ "$path" != "$3" ]; then
			echo "not ok efi-bootcount-rename: run $n: LoaderBootCountPath '$path', want '$3'"
			ok=0; break
		fi
	done
	[ $ok = 1 ] && echo "ok efi-bootcount-rename (renamed new+1-1.conf, new+0-2.conf with LoaderBootCountPath read back; then good boots)"
fi

if selected efi-bootcount-readonly; then
	D=$WORK/ro.img
	make_disk "$D"
	sum=$(sha256sum <"$D")
	if run efi-bootcount-readonly "$D" new ro; then
		if [ "$(sha256sum <"$D")" != "$sum" ]; then
			echo "not ok efi-bootcount-readonly: the image changed"
		else
			echo "ok efi-bootcount-readonly (new boots, nothing renamed: $(grep -m1 -o 'boot counting:.*' "$WORK/efi-bootcount-readonly.log" | tr -d '\r'))"
		fi
	fi
fi

if selected efi-bootcount-writes-off; then
	D=$WORK/off.img
	make_disk "$D" writes=off
	sum=$(sha256sum <"$D")
	if run efi-bootcount-writes-off "$D" new; then
		if [ "$(sha256sum <"$D")" != "$sum" ]; then
			echo "not ok efi-bootcount-writes-off: the image changed"
		elif ! grep -q 'not renamed: writes are off' "$WORK/efi-bootcount-writes-off.log"; then
			echo "not ok efi-bootcount-writes-off: no message"
		else
			echo "ok efi-bootcount-writes-off (new boots, nothing renamed: $(grep -m1 -o 'boot counting:.*' "$WORK/efi-bootcount-writes-off.log" | tr -d '\r'))"
		fi
	fi
fi
