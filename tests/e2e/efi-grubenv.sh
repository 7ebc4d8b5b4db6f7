#!/bin/bash
# Issue 12 under OVMF: pvhboot.efi takes grub.cfg's next_entry from a
# grubenv on the FAT32 ESP (made with grub-editenv on the host, copied in
# with mtools), boots it once, clears it in place through Block I/O
# (WriteBlocks + FlushBlocks) and boots saved_entry the next time.
# fsck.vfat -n is clean after each run, and the image outside the
# grubenv's cluster is unchanged.
#   efi-grubenv-next   as above
#   efi-grubenv-xlink  the same ESP with /boot/other cross-linked to the
#                      grubenv (its directory entry edited to start at the
#                      grubenv's cluster): beta boots, the grubenv is not
#                      rewritten ("cross-linked" logged), the disk is byte
#                      for byte what it was, and fsck.vfat -n says what it
#                      said before the boot
#   ./efi-grubenv.sh [PATTERN]
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
EFI=$BUILD/pvhboot.efi
WORK=${KEEP_WORK:-$(mktemp -d)}
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
FILTER=${1:-}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }
PART_OFF=1048576

ESP=$WORK/esp.img DISK=$WORK/disk.img
mkfs.fat -C -F 32 -n ESP "$ESP" 65536 >/dev/null
mmd -i "$ESP" ::/EFI ::/EFI/BOOT ::/probes ::/boot ::/boot/grub
printf 'not the grubenv\n' >"$WORK/other"
mcopy -i "$ESP" "$WORK/other" ::/boot/other
mcopy -i "$ESP" "$EFI" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$ESP" "$BUILD/kernels/linux64.bzImage" ::/probes/linux64.bzImage
cat >"$WORK/grub.cfg" <<'CFG'
if [ -s $prefix/grubenv ]; then
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="${saved_entry}"
fi
set timeout=0
menuentry 'Alpha' --id alpha {
	linux /probes/linux64.bzImage probe=alpha
}
menuentry 'Beta' --id beta {
	linux /probes/linux64.bzImage probe=beta
}
CFG
mcopy -i "$ESP" "$WORK/grub.cfg" ::/boot/grub/grub.cfg
grub-editenv "$WORK/grubenv" create
grub-editenv "$WORK/grubenv" set saved_entry=alpha next_entry=beta
mcopy -i "$ESP" "$WORK/grubenv" ::/boot/grub/grubenv
make_disk() { # ESP
	rm -f "$DISK"
	truncate -s 70M "$DISK"
	printf 'label: gpt\nstart=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"\n' |
		sfdisk -q --no-reread --no-tell-kernel "$DISK" >/dev/null
	dd if="$1" of="$DISK" bs=1M seek=1 conv=notrunc status=none
}

# The grubenv's byte range in the image, from the loader's own FAT driver
# is not what is checked: mtools says where the file's cluster is.
grubenv_range() {
	dd if="$DISK" of="$WORK/esp.now" bs=1M skip=1 count=64 status=none
	python3 - "$WORK/esp.now" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
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
c = root
for n in (b"BOOT       ", b"GRUB       ", b"GRUBENV    "):
    c = find(c, n)
print(1048576 + data + (c - 2) * cs, cs)
PY
}

masked_sum() {
	read -r at len < <(grubenv_range)
	python3 - "$DISK" "$at" "$len" <<'PY'
import hashlib, sys
d = bytearray(open(sys.argv[1], "rb").read())
at, n = int(sys.argv[2]), int(sys.argv[3])
d[at:at + n] = bytes(n)
print(hashlib.sha256(d).hexdigest())
PY
}

qemu_ovmf() { # LOG
	timeout 120 qemu-system-x86_64 -accel tcg -M q35 -m 512 -nodefaults -nic none -no-reboot \
		-display none -device isa-debug-exit,iobase=0xf4,iosize=4 -bios "$OVMF" \
		-drive "if=virtio,format=raw,file=$DISK" -debugcon "file:$1" \
		-serial "file:$1.serial" </dev/null >"$1.qemu" 2>&1
}

run() { # N WANT
	local log=$WORK/run$1.log before
	before=$(masked_sum)
	qemu_ovmf "$log"
	local st=$? got
	got=$(sed -n 's/^FIELD cmdline=.*probe=\([a-z]*\).*/\1/p' "$log" | head -n1)
	if [ $st != 1 ] || [ "$got" != "$2" ]; then
		echo "not ok efi-grubenv-next: run $1 booted '$got' (status $st), want $2; $(grep -E 'error|grubenv' "$log" | head -n 3 | tr '\n' '|')"
		return 1
	fi
	dd if="$DISK" of="$WORK/esp.now" bs=1M skip=1 count=64 status=none
	if ! fsck.vfat -n "$WORK/esp.now" >"$WORK/fsck.log" 2>&1; then
		echo "not ok efi-grubenv-next: fsck.vfat after run $1: $(tail -n 3 "$WORK/fsck.log" | tr '\n' '|')"
		return 1
	fi
	if [ "$(masked_sum)" != "$before" ]; then
		echo "not ok efi-grubenv-next: run $1 changed bytes outside the grubenv's cluster"
		return 1
	fi
}

if selected efi-grubenv-next; then
	make_disk "$ESP"
	if run 1 beta; then
		mcopy -o -i "$WORK/esp.now" ::/boot/grub/grubenv "$WORK/grubenv.after"
		env=$(grub-editenv "$WORK/grubenv.after" list)
		if ! grep -qx "next_entry=" <<<"$env" || ! grep -qx "saved_entry=alpha" <<<"$env"; then
			echo "not ok efi-grubenv-next: grub-editenv list after run 1: $(tr '\n' '|' <<<"$env")"
		elif run 2 alpha; then
			echo "ok efi-grubenv-next (beta once from the ESP's grubenv, then alpha; $(grep -m1 'rewritten in place' "$WORK/run1.log"))"
		fi
	fi
fi

# /boot/other's directory entry made to start at the grubenv's cluster (its
# own cluster freed in both FATs), as tests/images/grubenv.sh does on FAT16.
crosslink() { # ESP
	python3 - "$1" <<'PY'
import struct, sys
img = sys.argv[1]
d = bytearray(open(img, "rb").read())
bps, spc, res, nfats = struct.unpack_from("<HBHB", d, 11)
fatsz = struct.unpack_from("<I", d, 36)[0]
root = struct.unpack_from("<I", d, 44)[0]
cs = bps * spc
data = (res + nfats * fatsz) * bps
def find(dirc, name):
    base = data + (dirc - 2) * cs
    for i in range(base, base + cs, 32):
        if d[i] == 0:
            break
        if d[i] != 0xE5 and d[i + 11] != 0x0F and d[i:i + 11] == name.ljust(11).encode():
            return i
    sys.exit("crosslink: no " + name)
first = lambda e: struct.unpack_from("<H", d, e + 20)[0] << 16 | struct.unpack_from("<H", d, e + 26)[0]
boot = first(find(root, "BOOT"))
env = first(find(first(find(boot, "GRUB")), "GRUBENV"))
other = find(boot, "OTHER")
for k in range(nfats):
    struct.pack_into("<I", d, (res + k * fatsz) * bps + 4 * first(other), 0)
struct.pack_into("<H", d, other + 20, env >> 16)
struct.pack_into("<H", d, other + 26, env & 0xFFFF)
open(img, "wb").write(d)
PY
}

if selected efi-grubenv-xlink; then
	cp "$ESP" "$WORK/xlink.img"
	crosslink "$WORK/xlink.img"
	make_disk "$WORK/xlink.img"
	fsck.vfat -n "$WORK/xlink.img" 2>&1 | sed 1d >"$WORK/fsck.before"
	sum=$(sha256sum <"$DISK")
	log=$WORK/xlink.log
	qemu_ovmf "$log"
	st=$?
	got=$(sed -n 's/^FIELD cmdline=.*probe=\([a-z]*\).*/\1/p' "$log" | head -n1)
	dd if="$DISK" of="$WORK/esp.now" bs=1M skip=1 count=64 status=none
	fsck.vfat -n "$WORK/esp.now" 2>&1 | sed 1d | sed "s|$WORK/esp.now|$WORK/xlink.img|" >"$WORK/fsck.after"
	if [ $st != 1 ] || [ "$got" != beta ]; then
		echo "not ok efi-grubenv-xlink: booted '$got' (status $st), want beta"
	elif ! grep -q "cross-linked" "$log"; then
		echo "not ok efi-grubenv-xlink: no cross-link refusal; $(grep -E 'error|grubenv' "$log" | head -n 3 | tr '\n' '|')"
	elif [ "$(sha256sum <"$DISK")" != "$sum" ]; then
		echo "not ok efi-grubenv-xlink: the disk changed"
	elif ! grep -q "share clusters" "$WORK/fsck.before" || ! cmp -s "$WORK/fsck.before" "$WORK/fsck.after"; then
		echo "not ok efi-grubenv-xlink: fsck.vfat -n before/after: $(tr '\n' '|' <"$WORK/fsck.before") / $(tr '\n' '|' <"$WORK/fsck.after")"
	else
		echo "ok efi-grubenv-xlink (beta booted, disk unchanged; $(grep -m1 -o 'FAT: .*cross-linked.*' "$log"))"
	fi
fi
