#!/bin/bash
# pvhboot install | update | status | set-oneshot | set-default | xl-config
# on disk images, without mounting anything:
#
#   install-image   install --image DISK --efivars VARS.fd writes
#                   \EFI\pvhboot\pvhboot.efi and the version stamp into the
#                   GPT disk's FAT ESP (mtools at its offset) and Boot#### +
#                   BootOrder into a copy of OVMF_VARS_4M.fd
#   boot-nvram      OVMF (q35, TCG, pflash code + that store) boots the disk
#                   through that entry (no \EFI\BOOT\BOOTX64.EFI): the loader's
#                   banner and the PVH probe passing; then status --efivars
#                   reads back the LoaderInfo the loader stored
#   oneshot-efi     set-oneshot --efivars: the next boot takes that entry
#                   (the multiboot1 probe) and consumes it
#   update-same, update-newer   update leaves an equal version alone (image
#                   unchanged) and replaces an older one
#   removable       --removable also writes \EFI\BOOT\BOOTX64.EFI
#   full, readonly, readonly-dir, no-fat   refused with a message, the
#                   image's checksum unchanged
#   grubenv-image, grubenv-file   set-oneshot / set-default rewrite an
#                   existing grubenv in place (same blocks, 1024 bytes) and
#                   `pvhboot menu` then picks that entry; a grubenv that is
#                   not 1024 bytes is refused
#   grubenv-boot    pvhboot.elf (QEMU q35, TCG) boots the next_entry set there
#   xl-config       the xl.cfg lines
#
#   ./install.sh [PATTERN]   cases whose name contains PATTERN
# One line per case, "ok NAME" or "not ok NAME: why"; exit 1 if any failed.
# Needs: ovmf mtools dosfstools e2fsprogs fdisk qemu-system-x86; root only
# for the read-only cases (a read-only bind mount), skipped otherwise.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

P=$PWD/$BUILD/pvhboot
EFI=$BUILD/pvhboot.efi
K=$BUILD/kernels
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
VERSION=${PVHBOOT_VERSION:-0.1}
FILTER=${1:-}
WORK=$(mktemp -d)
MOUNTS=()
cleanup() {
	for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
	[ -n "${INSTALL_KEEP:-}" ] && echo "# work directory: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
FAILED=0

not_ok() { # NAME WHY
	echo "not ok $1: $2"
	FAILED=1
}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }
sum() { sha256sum "$1" | cut -d' ' -f1; }

for f in "$P" "$EFI" "$K/pvh-elf64-note8.elf" "$K/mb1-elf.elf" "$OVMF_CODE" "$OVMF_VARS"; do
	[ -f "$f" ] || { not_ok install "$f missing (make; apt-get install ovmf)"; exit 1; }
done

# --- the disk: a GPT ESP with BLS entries and probes, nothing installed ----
ESP_GUID=5e1d2c3b-4a59-4687-9aab-bccddeeff001
ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
LINUX_TYPE=0FC63DAF-8483-4772-8E79-3D69D8477DE4
# gpt_disk OUT ESP-IMAGE-OR-EMPTY [TYPE]: a 72 MiB disk, partition 1 at 1 MiB
# (64 MiB) holding ESP-IMAGE, typed TYPE (the ESP's by default).
gpt_disk() {
	truncate -s 72M "$1"
	printf 'label: gpt\nstart=2048, size=131072, type=%s, uuid=%s, name="ESP"\n' "${3:-$ESP_TYPE}" "$ESP_GUID" |
		sfdisk -q --no-reread --no-tell-kernel "$1" >/dev/null
	[ -n "$2" ] && dd if="$2" of="$1" bs=1M seek=1 conv=notrunc status=none
}
mkfs.fat -C -F 32 -n ESP "$WORK/esp.img" 65536 >/dev/null
mmd -i "$WORK/esp.img" ::/loader ::/loader/entries ::/probes
mcopy -i "$WORK/esp.img" "$K/pvh-elf64-note8.elf" ::/probes/pvh.elf
mcopy -i "$WORK/esp.img" "$K/mb1-elf.elf" ::/probes/mb1.elf
printf 'title PVH probe\nlinux /probes/pvh.elf\noptions probe=pvh\n' >"$WORK/pvh.conf"
printf 'title multiboot1 probe\nlinux /probes/mb1.elf\noptions probe=mb1\n' >"$WORK/mb1.conf"
printf 'default pvh\ntimeout 0\n' >"$WORK/loader.conf"
mcopy -i "$WORK/esp.img" "$WORK/pvh.conf" "$WORK/mb1.conf" ::/loader/entries/
mcopy -i "$WORK/esp.img" "$WORK/loader.conf" ::/loader/loader.conf
DISK=$WORK/disk.img
gpt_disk "$DISK" "$WORK/esp.img"
cp "$OVMF_VARS" "$WORK/vars.fd"

# --- install into the image and the variable store -----------------------
installed=no
if selected install || selected boot || selected oneshot-efi; then
	if ! "$P" install --image "$DISK" --efivars "$WORK/vars.fd" >"$WORK/install.out" 2>&1; then
		not_ok install-image "$(tr '\n' '|' <"$WORK/install.out")"
	elif ! cmp -s <(mtype -i "$DISK@@1M" ::/EFI/pvhboot/pvhboot.efi) "$EFI"; then
		not_ok install-image "\\EFI\\pvhboot\\pvhboot.efi is not $EFI"
	elif [ "$(mtype -i "$DISK@@1M" ::/EFI/pvhboot/pvhboot.version)" != "$VERSION" ]; then
		not_ok install-image "version stamp: $(mtype -i "$DISK@@1M" ::/EFI/pvhboot/pvhboot.version)"
	elif mdir -i "$DISK@@1M" ::/EFI/BOOT >/dev/null 2>&1; then
		not_ok install-image "\\EFI\\BOOT exists without --removable"
	elif ! "$P" status --image "$DISK" --efivars "$WORK/vars.fd" >"$WORK/status0.out" 2>&1 ||
		! grep -qxF "boot entry: Boot0000 pvhboot HD(1,GPT,$ESP_GUID)/File(\\EFI\\pvhboot\\pvhboot.efi), first in BootOrder" "$WORK/status0.out"; then
		not_ok install-image "status: $(tr '\n' '|' <"$WORK/status0.out")"
	else
		installed=yes
		echo "ok install-image ($(grep -m1 '^boot entry' "$WORK/install.out"))"
	fi
fi

# ovmf_boot NAME: boot the disk with the store as pflash; port 0xE9 -> NAME.log.
ovmf_boot() {
	timeout 150 qemu-system-x86_64 -accel tcg -M q35 -m 512 -nodefaults -nic none -no-reboot \
		-display none -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE" \
		-drive "if=pflash,format=raw,unit=1,file=$WORK/vars.fd" \
		-drive "if=virtio,format=raw,file=$DISK" -debugcon "file:$WORK/$1.log" \
		-serial "file:$WORK/$1.serial" </dev/null >"$WORK/$1.qemu" 2>&1
}

if selected boot && [ $installed = yes ]; then
	ovmf_boot boot
	if expect_log boot-nvram "$WORK/boot.log" $? 1 "pvhboot $VERSION (EFI x86_64)" \
		"PROBE pvh" "FIELD cmdline=probe=pvh" "RESULT PASS" >"$WORK/boot.out"; then
		"$P" status --efivars "$WORK/vars.fd" --image "$DISK" >"$WORK/status1.out" 2>&1
		if grep -qxF "last boot: LoaderInfo=pvhboot $VERSION" "$WORK/status1.out"; then
			echo "ok boot-nvram (OVMF took Boot0000; the PVH probe passed; status --efivars: LoaderInfo=pvhboot $VERSION)"
		else
			not_ok boot-nvram "status after the boot: $(tr '\n' '|' <"$WORK/status1.out")"
		fi
	else
		not_ok boot-nvram "$(cat "$WORK/boot.out"); serial: $(tr -d '\r' <"$WORK/boot.serial" | tail -n 3 | tr '\n' '|')"
	fi
fi

if selected oneshot-efi && [ $installed = yes ]; then
	"$P" set-oneshot mb1 --efivars "$WORK/vars.fd" >"$WORK/oneshot.out" 2>&1
	"$P" status --efivars "$WORK/vars.fd" >"$WORK/status2.out" 2>&1
	if ! grep -qxF "next boot: mb1 (one-shot: LoaderEntryOneShot, taken once)" "$WORK/status2.out"; then
		not_ok oneshot-efi "status before: $(tr '\n' '|' <"$WORK/oneshot.out" "$WORK/status2.out")"
	else
		ovmf_boot oneshot
		if expect_log oneshot-efi "$WORK/oneshot.log" $? 1 \
			'efi: one-shot entry "mb1" (LoaderEntryOneShot)' "PROBE multiboot1" \
			"FIELD cmdline=/probes/mb1.elf probe=mb1" "RESULT PASS" >"$WORK/oneshot.res"; then
			"$P" status --efivars "$WORK/vars.fd" >"$WORK/status3.out" 2>&1
			if grep -q '^next boot: the config' "$WORK/status3.out"; then
				echo "ok oneshot-efi (set-oneshot mb1 in the store; OVMF booted it; consumed)"
			else
				not_ok oneshot-efi "not consumed: $(tr '\n' '|' <"$WORK/status3.out")"
			fi
		else
			not_ok oneshot-efi "$(cat "$WORK/oneshot.res")"
		fi
	fi
fi

# --- update ---------------------------------------------------------------
# A "newer" loader: the same image with its banner's version raised.
NEWER=$WORK/newer.efi
python3 - "$EFI" "$NEWER" "$VERSION" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
old = ("pvhboot %s (EFI" % sys.argv[3]).encode()
new = old.replace(sys.argv[3].encode(), (sys.argv[3][:-1] + chr(ord(sys.argv[3][-1]) + 1)).encode())
assert data.count(old) == 1 and len(new) == len(old)
open(sys.argv[2], "wb").write(data.replace(old, new))
PY
NEWV=$(strings -a "$NEWER" | sed -n 's/^pvhboot \(.*\) (EFI.*/\1/p' | head -n 1)
if selected update; then
	U=$WORK/update.img
	gpt_disk "$U" "$WORK/esp.img"
	"$P" install --image "$U" --no-nvram >/dev/null 2>&1
	before=$(sum "$U")
	if ! "$P" update --image "$U" >"$WORK/update1.out" 2>&1 || [ "$(sum "$U")" != "$before" ] ||
		! grep -q '^up to date' "$WORK/update1.out"; then
		not_ok update-same "$(tr '\n' '|' <"$WORK/update1.out")"
	else
		echo "ok update-same (image unchanged: $(head -n 1 "$WORK/update1.out"))"
	fi
	if ! "$P" update --image "$U" --source "$NEWER" >"$WORK/update2.out" 2>&1; then
		not_ok update-newer "$(tr '\n' '|' <"$WORK/update2.out")"
	elif ! cmp -s <(mtype -i "$U@@1M" ::/EFI/pvhboot/pvhboot.efi) "$NEWER" ||
		[ "$(mtype -i "$U@@1M" ::/EFI/pvhboot/pvhboot.version)" != "$NEWV" ]; then
		not_ok update-newer "the file or stamp was not replaced"
	elif ! "$P" update --image "$U" --source "$EFI" >"$WORK/update3.out" 2>&1 ||
		! grep -q '^up to date' "$WORK/update3.out"; then
		not_ok update-newer "an older source was not refused: $(tr '\n' '|' <"$WORK/update3.out")"
	else
		echo "ok update-newer ($(head -n 1 "$WORK/update2.out"); an older one then left alone)"
	fi
fi

if selected removable; then
	R=$WORK/removable.img
	gpt_disk "$R" "$WORK/esp.img"
	if "$P" install --image "$R" --removable --no-nvram >"$WORK/removable.out" 2>&1 &&
		cmp -s <(mtype -i "$R@@1M" ::/EFI/BOOT/BOOTX64.EFI) "$EFI" &&
		"$P" status --image "$R" --efivars "$WORK/vars.fd" 2>&1 | grep -qxF 'removable path: /EFI/BOOT/BOOTX64.EFI is this pvhboot'; then
		echo "ok removable"
	else
		not_ok removable "$(tr '\n' '|' <"$WORK/removable.out")"
	fi
fi

# --- refusals: a message, and not one byte of the image changed -------------
# refused NAME IMAGE WANT-MESSAGE INSTALL-ARGS...
refused() {
	local name=$1 img=$2 want=$3 before out status
	shift 3
	before=$(sum "$img")
	out=$("$P" install "$@" 2>&1)
	status=$?
	if [ $status = 0 ]; then
		not_ok "$name" "install succeeded: $out"
	elif ! grep -qF -- "$want" <<<"$out"; then
		not_ok "$name" "message '$out', want '$want'"
	elif [ "$(sum "$img")" != "$before" ]; then
		not_ok "$name" "the image changed"
	else
		echo "ok $name ($(tail -n 1 <<<"$out"))"
	fi
}
if selected full; then
	# A 34 MiB FAT32 ESP with 150 KiB left.
	mkfs.fat -C -F 32 -n FULL "$WORK/full-esp.img" 34816 >/dev/null 2>&1
	free=$(mdir -i "$WORK/full-esp.img" ::/ | sed -n 's/ *\([0-9 ]*\) bytes free/\1/p' | tr -d ' ')
	head -c $((free - 150 * 1024)) /dev/zero >"$WORK/filler"
	mcopy -i "$WORK/full-esp.img" "$WORK/filler" ::/filler
	truncate -s 40M "$WORK/full.img"
	printf 'label: gpt\nstart=2048, size=69632, type=%s\n' "$ESP_TYPE" |
		sfdisk -q --no-reread --no-tell-kernel "$WORK/full.img" >/dev/null
	dd if="$WORK/full-esp.img" of="$WORK/full.img" bs=1M seek=1 conv=notrunc status=none
	refused full "$WORK/full.img" "the ESP is full" --image "$WORK/full.img" --no-nvram
fi
if selected no-fat; then
	gpt_disk "$WORK/nofat.img" "" "$LINUX_TYPE"
	refused no-fat "$WORK/nofat.img" "no EFI System Partition" --image "$WORK/nofat.img"
	# The ESP type, but nothing FAT in it.
	gpt_disk "$WORK/nofat2.img" ""
	refused no-fat-typed "$WORK/nofat2.img" "holds no FAT file system" --image "$WORK/nofat2.img"
fi
if selected readonly; then
	if [ "$(id -u)" != 0 ]; then
		echo "ok readonly # SKIP needs root for a read-only bind mount"
	else
		# The image on a read-only bind mount (root ignores file modes).
		mkdir -p "$WORK/rw" "$WORK/ro" "$WORK/rodir"
		gpt_disk "$WORK/rw/ro.img" "$WORK/esp.img"
		mount --bind "$WORK/rw" "$WORK/ro" && MOUNTS+=("$WORK/ro") &&
			mount -o remount,bind,ro "$WORK/ro"
		refused readonly "$WORK/rw/ro.img" "cannot write the image" --image "$WORK/ro/ro.img" --no-nvram
		# A mounted ESP that is read-only (a tmpfs here: the check is the mount's flag).
		mount -t tmpfs -o ro,size=8m tmpfs "$WORK/rodir" && MOUNTS+=("$WORK/rodir")
		before=$(find "$WORK/rodir" | sort | sha256sum)
		out=$("$P" install --esp "$WORK/rodir" --no-nvram 2>&1)
		if [ $? != 0 ] && grep -q 'the ESP is read-only' <<<"$out" &&
			[ "$(find "$WORK/rodir" | sort | sha256sum)" = "$before" ]; then
			echo "ok readonly-dir ($(tail -n 1 <<<"$out"))"
		else
			not_ok readonly-dir "$out"
		fi
	fi
fi

# --- grubenv: a PVH guest's disk ------------------------------------------
# An ext4 /boot with grub.cfg (next_entry / saved_entry logic as distros
# write it) and a grubenv made by grub-editenv.
if selected grubenv; then
	G=$WORK/gtree
	mkdir -p "$G/boot/grub"
	cp "$K/pvh-elf64-note8.elf" "$G/boot/vmlinuz-a"
	cp "$K/pvh-elf64-note8.elf" "$G/boot/vmlinuz-b"
	cat >"$G/boot/grub/grub.cfg" <<'CFG'
load_env
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
else
   set default="${saved_entry}"
fi
set timeout=0
menuentry 'Alpha' --id alpha { linux /boot/vmlinuz-a probe=a }
menuentry 'Beta' --id beta { linux /boot/vmlinuz-b probe=b }
menuentry 'Gamma' --id gamma { linux /boot/vmlinuz-a probe=c }
CFG
	grub-editenv "$G/boot/grub/grubenv" create
	mke2fs -q -F -t ext4 -L root -d "$G" "$WORK/groot.img" 16M >/dev/null
	GI=$WORK/guest.img
	truncate -s 20M "$GI"
	printf 'label: gpt\nstart=2048, type=%s\n' "$LINUX_TYPE" | sfdisk -q --no-reread --no-tell-kernel "$GI" >/dev/null
	dd if="$WORK/groot.img" of="$GI" bs=1M seek=1 conv=notrunc status=none
	blocks() { debugfs -R "blocks /boot/grub/grubenv" "$WORK/groot-now.img" 2>/dev/null; }
	dd if="$GI" of="$WORK/groot-now.img" bs=1M skip=1 status=none
	b0=$(blocks)
	d0=$("$P" menu "$GI" 2>&1 | grep -i default)
	out=$("$P" set-oneshot beta --image "$GI" 2>&1)
	st=$?
	dd if="$GI" of="$WORK/groot-now.img" bs=1M skip=1 status=none
	env=$("$P" cat "$GI:1" /boot/grub/grubenv 2>/dev/null)
	d1=$("$P" menu "$GI" 2>&1 | grep -i default)
	fsck=$(e2fsck -fn "$WORK/groot-now.img" 2>&1)
	if [ $st != 0 ]; then
		not_ok grubenv-image "$out"
	elif [ "$(printf '%s' "$env" | wc -c)" != 1024 ] || ! grep -qx 'next_entry=beta' <<<"$env"; then
		not_ok grubenv-image "grubenv after: $(head -c 200 <<<"$env" | tr '\n' '|')"
	elif [ "$(blocks)" != "$b0" ]; then
		not_ok grubenv-image "the file moved: blocks $b0 -> $(blocks)"
	elif ! e2fsck -fn "$WORK/groot-now.img" >/dev/null 2>&1; then
		not_ok grubenv-image "e2fsck: $(tail -n 3 <<<"$fsck" | tr '\n' '|')"
	elif grep -qi beta <<<"$d0" || ! grep -qi beta <<<"$d1"; then
		not_ok grubenv-image "menu default after: '$d1' (before: '$d0')"
	else
		echo "ok grubenv-image (next_entry=beta in the same block $b0; menu: $d1)"
	fi

	# The PVH loader on that disk takes the entry grub.cfg picks from next_entry.
	# (It does not clear next_entry yet: GRUB's save_env is not done by the loader.)
	qemu_run 90 "$WORK/gboot.log" q35 -kernel "$BUILD/pvhboot.elf" -append "timeout=0" \
		-drive "if=none,id=d0,format=raw,file=$GI,readonly=on" -device virtio-blk-pci,drive=d0
	expect_log grubenv-boot "$WORK/gboot.log" $? 1 "PROBE pvh" "RESULT PASS" >"$WORK/gboot.res"
	if ! grep -q '^ok' "$WORK/gboot.res"; then
		not_ok grubenv-boot "$(cat "$WORK/gboot.res")"
	elif ! grep -q '^FIELD cmdline=.*probe=b' "$WORK/gboot.log"; then
		not_ok grubenv-boot "not the next_entry: $(grep -m1 '^FIELD cmdline' "$WORK/gboot.log")"
	else
		echo "ok grubenv-boot (pvhboot.elf booted 'beta' from next_entry: $(grep -m1 '^FIELD cmdline' "$WORK/gboot.log"))"
	fi

	# A file: set-default keeps the inode's blocks and size; a wrong size is refused.
	cp "$G/boot/grub/grubenv" "$WORK/grubenv"
	ino=$(stat -c %i "$WORK/grubenv")
	"$P" set-default gamma --grubenv "$WORK/grubenv" >"$WORK/gdef.out" 2>&1
	st=$?
	head -c 1000 "$G/boot/grub/grubenv" >"$WORK/grubenv-short"
	short=$("$P" set-oneshot beta --grubenv "$WORK/grubenv-short" 2>&1)
	sst=$?
	if [ $st != 0 ] || [ "$(stat -c %s:%i "$WORK/grubenv")" != "1024:$ino" ] ||
		[ "$(grub-editenv "$WORK/grubenv" list)" != "saved_entry=gamma" ]; then
		not_ok grubenv-file "$(cat "$WORK/gdef.out"); grub-editenv list: $(grub-editenv "$WORK/grubenv" list | tr '\n' '|')"
	elif [ $sst = 0 ] || [ "$(stat -c %s "$WORK/grubenv-short")" != 1000 ]; then
		not_ok grubenv-file "a 1000-byte grubenv was not refused: $short"
	else
		echo "ok grubenv-file (grub-editenv reads saved_entry=gamma back; a 1000-byte file refused)"
	fi
fi

if selected xl-config; then
	out=$("$P" xl-config --entry rescue --timeout 0 2>&1)
	want='type = "pvh"
kernel = "/usr/lib/pvhboot/pvhboot.elf"
extra = "entry=rescue timeout=0"'
	if [ "$(grep -v '^#' <<<"$out")" = "$want" ]; then
		echo "ok xl-config"
	else
		not_ok xl-config "$out"
	fi
fi

exit $FAILED
