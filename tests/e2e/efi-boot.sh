#!/bin/bash
# pvhboot.efi under OVMF (q35, TCG) boots kernels from a GPT disk whose ESP
# (FAT32: \EFI\BOOT\BOOTX64.EFI, Boot Loader Specification entries) is
# partition 1 and an ext4 file system (with a native pvhboot.cfg) is
# partition 2. \EFI\BOOT\pvhboot.opt picks the case: `entry=ID`, plus
# `config=(PARTLABEL=root)/pvhboot.cfg` for the ext4 ones.
#
#   probes   the PVH, multiboot1 and Linux probe kernels from each file
#            system, and the multiboot2 probe from ext4 (mb2-ext4: its i386
#            entry after ExitBootServices, no boot services tag), every
#            check passing (tests/kernels/README.md)
#   mb2-efi64  the multiboot2 probe with the EFI boot services and amd64
#            entry tags from ext4: entered in long mode with boot services
#            alive, it prints through ConOut (the marker on the serial
#            console) and passes every check of the EFI state and the MBI
#   gop      a multiboot1 kernel asking for video gets the GOP framebuffer
#            under -vga std (it paints the screen red through the fields it
#            got; QEMU's screenshot must show it), and none without a display
#   debian   Debian's kernel through its EFI stub (LoadImage, LoadOptions,
#            the initrd through LoadFile2) reaches a busybox initramfs that
#            finds /sys/firmware/efi and reads the BLI variables back
#   debian-bootparams  the same kernel forced to boot_params (`protocol
#            linux`): 64-bit entry, boot_params.efi_info
#   xen      Xen 4.17 (gzip'd multiboot1) prints its banner
#   xen-efi  Xen 4.17 from a grub.cfg entry in 20_linux_xen's shape, through
#            multiboot2's EFI amd64 entry with boot services alive: dom0
#            (Debian's kernel) reaches its initramfs, and Xen got
#            no-real-mode edd=off from $grub_platform
#   menu     the menu driven over OVMF's serial console (ConIn): arrows,
#            the line editor, Enter
#   loadoptions  the UEFI Shell starts the loader with `entry=ID` as its
#            LoadOptions (no pvhboot.opt)
#   oneshot  with a pflash variable store: set-oneshot=ID stores
#            LoaderEntryOneShot; the next boot takes that entry once, the
#            one after takes the default again
#
#   ./efi-boot.sh [PATTERN]   cases whose name contains PATTERN
# One line per case, "ok NAME" or "not ok NAME: why"; exit 1 if any failed.
# Needs: ovmf mtools dosfstools e2fsprogs fdisk qemu-system-x86 busybox-static
# cpio python3 (no root).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

EFI=$BUILD/pvhboot.efi
K=$BUILD/kernels
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
FILTER=${1:-}
WORK=$(mktemp -d)
# EFI_BOOT_KEEP=1 keeps the disks and logs for a look afterwards.
[ -n "${EFI_BOOT_KEEP:-}" ] && echo "# work directory: $WORK" || trap 'rm -rf "$WORK"' EXIT
FAILED=0

not_ok() { # NAME WHY
	echo "not ok $1: $2"
	FAILED=1
}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

for f in "$EFI" "$K/pvh-elf64-note8.elf" "$K/mb1-elf.elf" "$K/mb1-aout.bin" "$K/mb2-efi.elf" \
	"$K/linux64.bzImage" "$K/linux32.bzImage" "$OVMF" "$OVMF_CODE" "$OVMF_VARS"; do
	[ -f "$f" ] || { not_ok efi-boot "$f missing (make; apt-get install ovmf)"; exit 1; }
done

# --- the disk -----------------------------------------------------------
crc() { crc32_of "$1"; }
head -c 200000 /dev/urandom >"$WORK/mod.bin"
head -c 1500000 /dev/urandom >"$WORK/initrd.img"
MOD_CRC=$(crc "$WORK/mod.bin")
LINUX_CMD="console=ttyS0 initrd_crc32=$(crc "$WORK/initrd.img") initrd_size=1500000"

# A multiboot1 probe that also asks for video (header flag 2), with the
# checksum fixed: the probe does not check framebuffer fields, so the case
# reads the loader's report and the multiboot_info flags the probe prints.
python3 - "$K/mb1-elf.elf" "$WORK/mb1-video.elf" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
for off in range(0, 8192, 4):
    magic, flags, csum = struct.unpack_from("<III", data, off)
    if magic == 0x1BADB002 and (magic + flags + csum) & 0xffffffff == 0:
        flags |= 4
        struct.pack_into("<II", data, off + 4, flags, (-(magic + flags)) & 0xffffffff)
        break
else:
    sys.exit("no multiboot1 header")
open(sys.argv[2], "wb").write(data)
PY

ESP=$WORK/esp.img ROOT=$WORK/root.img DISK=$WORK/disk.img
mkfs.fat -C -F 32 -n ESP "$ESP" 65536 >/dev/null
mmd -i "$ESP" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries ::/probes
mcopy -i "$ESP" "$EFI" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$ESP" "$K/pvh-elf64-note8.elf" ::/probes/pvh.elf
mcopy -i "$ESP" "$K/mb1-elf.elf" ::/probes/mb1.elf
mcopy -i "$ESP" "$WORK/mb1-video.elf" ::/probes/mb1-video.elf
mcopy -i "$ESP" "$K/linux64.bzImage" ::/probes/linux64.bzImage
mcopy -i "$ESP" "$WORK/initrd.img" ::/probes/initrd.img
bls() { # ID LINUX OPTIONS [INITRD]
	{
		printf 'title %s\nlinux %s\noptions %s\n' "$1" "$2" "$3"
		[ -n "${4:-}" ] && printf 'initrd %s\n' "$4"
	} >"$WORK/$1.conf"
	mcopy -i "$ESP" "$WORK/$1.conf" "::/loader/entries/$1.conf"
}
bls pvh-esp /probes/pvh.elf "probe=pvh-esp"
bls mb1-esp /probes/mb1.elf "probe=mb1-esp"
bls mb1-video /probes/mb1-video.elf "probe=mb1-video fb_paint=1"
bls linux-esp /probes/linux64.bzImage "$LINUX_CMD" /probes/initrd.img

# The ext4 tree: probes with modules, Debian's kernel, Xen.
T=$WORK/tree
mkdir -p "$T/probes" "$T/debian"
cp "$K/pvh-elf64-note8.elf" "$T/probes/pvh.elf"
cp "$K/mb1-aout.bin" "$T/probes/mb1-aout.bin"
cp "$K/linux32.bzImage" "$T/probes/linux32.bzImage"
cp "$K/mb2-elf.elf" "$T/probes/mb2.elf"
cp "$K/mb2-efi.elf" "$T/probes/mb2-efi.elf"
cp "$WORK/mod.bin" "$WORK/initrd.img" "$T/probes/"
cat >"$T/pvhboot.cfg" <<CFG
timeout 0
entry pvh-ext4 "PVH probe on ext4"
	kernel /probes/pvh.elf
	module /probes/mod.bin first crc32=$MOD_CRC
	cmdline probe=pvh-ext4
entry mb1-ext4 "multiboot1 a.out probe on ext4"
	kernel /probes/mb1-aout.bin
	module /probes/mod.bin first crc32=$MOD_CRC
	module /probes/mod.bin second crc32=$MOD_CRC
	cmdline probe=mb1-ext4
entry linux-ext4 "Linux probe, 32-bit entry, on ext4"
	kernel /probes/linux32.bzImage
	initrd /probes/initrd.img
	cmdline $LINUX_CMD
entry mb2-ext4 "multiboot2 ELF probe on ext4"
	kernel /probes/mb2.elf
	module /probes/mod.bin first crc32=$MOD_CRC
	cmdline placeholder probe=mb2-ext4
entry mb2-efi64 "multiboot2 probe, EFI amd64 entry, boot services alive"
	kernel /probes/mb2-efi.elf
	module /probes/mod.bin first crc32=$MOD_CRC
	cmdline placeholder probe=mb2-efi64
CFG

DEB=
if selected debian || selected xen || selected xen-efi; then
	DEB=$(tests/e2e/fetch-debian.sh 2>"$WORK/fetch.log") || DEB=
fi
if [ -n "$DEB" ]; then
	I=$WORK/initramfs
	mkdir -p "$I/bin" "$I/proc" "$I/sys"
	cp /bin/busybox "$I/bin/"
	cp "$(find "$DEB/linux/lib/modules" -name efivarfs.ko | head -n 1)" "$I/efivarfs.ko"
	for a in sh cat mount echo test poweroff insmod tail od printf; do ln -sf busybox "$I/bin/$a"; done
	# The Boot Loader Interface variables, read back through Linux's
	# runtime services: they work only if efi_info was right.
	cat >"$I/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
if test -d /sys/firmware/efi; then efi=yes; else efi=no; fi
echo "=== INITRAMFS-OK efi=$efi $(cat /proc/cmdline)"
insmod /efivarfs.ko && mount -t efivarfs efivarfs /sys/firmware/efi/efivars
# A variable file: 4 bytes of attributes, then the value, UTF-16LE here:
# ASCII keeps every even byte; a NUL unit (a list separator) becomes a space.
var() {
	out= i=0
	for b in $(tail -c +5 "/sys/firmware/efi/efivars/$1-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f" | od -An -v -tx1); do
		if [ $((i % 2)) = 0 ]; then
			if [ "$b" = 00 ]; then out="$out "; else out="$out$(printf "\\$(printf %03o 0x$b)")"; fi
		fi
		i=$((i + 1))
	done
	echo "$out"
}
for v in LoaderInfo LoaderDevicePartUUID LoaderEntries LoaderEntrySelected LoaderTimeInitUSec LoaderTimeExecUSec; do
	echo "=== BLI $v=$(var $v)"
done
# A binary mask, byte by byte.
echo "=== BLI LoaderFeatures=$(tail -c +5 /sys/firmware/efi/efivars/LoaderFeatures-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f | od -An -v -tx1)"
poweroff -f
INIT
	chmod +x "$I/init"
	(cd "$I" && find . | cpio --quiet -o -H newc | gzip) >"$T/debian/initrd.gz"
	cp "$DEB/vmlinuz" "$T/debian/vmlinuz"
	cp "$DEB/xen.gz" "$T/debian/xen.gz"
	cat >>"$T/pvhboot.cfg" <<CFG
entry debian "Debian's kernel"
	kernel /debian/vmlinuz
	initrd /debian/initrd.gz
	cmdline console=ttyS0 panic=-1 via=efi
entry debian-bootparams "Debian's kernel through boot_params"
	kernel /debian/vmlinuz
	initrd /debian/initrd.gz
	protocol linux
	cmdline console=ttyS0 panic=-1 via=bootparams
entry xen "Xen 4.17"
	kernel /debian/xen.gz
	# With both headers Xen would get multiboot2 on EFI: this case is the
	# multiboot1 path.
	protocol multiboot1
	# Xen's multiboot1 path calls the BIOS in real mode unless told not
	# to; EFI firmware has no BIOS (Xen does the same for itself when it
	# sees EFI through multiboot2).
	cmdline console=com1 loglvl=all no-real-mode
CFG
	# Xen as Debian's /etc/grub.d/20_linux_xen writes its entry: multiboot2
	# and module2 lines, placeholders, --nounzip, and $grub_platform's test
	# (efi here, so Xen gets no-real-mode edd=off).
	mkdir -p "$T/boot/grub"
	cat >"$T/boot/grub/grub.cfg" <<'CFG'
menuentry 'Debian GNU/Linux, with Xen 4.17-amd64 and Linux' --class xen --id xen-efi {
	insmod part_gpt
	insmod ext2
	echo	'Loading Xen 4.17-amd64 ...'
	if [ "$grub_platform" = "pc" -o "$grub_platform" = "" ]; then
		xen_rm_opts=
	else
		xen_rm_opts="no-real-mode edd=off"
	fi
	multiboot2	/debian/xen.gz placeholder console=com1 loglvl=all dom0_mem=384M ${xen_rm_opts}
	echo	'Loading Linux ...'
	module2	/debian/vmlinuz placeholder console=hvc0 panic=-1 via=xen-efi
	echo	'Loading initial ramdisk ...'
	module2	--nounzip /debian/initrd.gz
}
CFG
fi
mke2fs -q -F -t ext4 -L root -d "$T" "$ROOT" 64M >/dev/null

# GPT: the ESP from 1 MiB, the ext4 file system after it.
truncate -s 136M "$DISK"
ESP_GUID=5e1d2c3b-4a59-4687-9aab-bccddeeff001
printf 'label: gpt\nstart=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=%s, name="ESP"\nstart=133120, size=131072, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"\n' "$ESP_GUID" |
	sfdisk -q --no-reread --no-tell-kernel "$DISK" >/dev/null
dd if="$ESP" of="$DISK" bs=1M seek=1 conv=notrunc status=none
dd if="$ROOT" of="$DISK" bs=1M seek=65 conv=notrunc status=none

# case_disk NAME OPTIONS: a copy of the disk with pvhboot.opt = OPTIONS.
case_disk() {
	cp --sparse=always "$DISK" "$WORK/$1.img"
	printf '%s\n' "$2" >"$WORK/$1.opt"
	mcopy -o -i "$WORK/$1.img@@1M" "$WORK/$1.opt" ::/EFI/BOOT/pvhboot.opt
}

# ovmf_qemu NAME: CASE_QEMU, the machine every case boots with the case's
# disk and its port 0xE9 log; the serial port is the caller's (a file, or a
# driver's pipe), and so is the firmware.
ovmf_qemu() {
	CASE_QEMU=(qemu-system-x86_64 -accel tcg -M q35 -m 512 -nodefaults -nic none -no-reboot
		-display none -device isa-debug-exit,iobase=0xf4,iosize=4
		-drive "if=virtio,format=raw,file=$WORK/$1.img" -debugcon "file:$WORK/$1.log")
}

# ovmf_run NAME TIMEOUT [QEMU ARGS...]: boot the case's disk; the probe's
# report lands in NAME.log (port 0xE9, after the loader's own lines), the
# firmware console in NAME.serial. Returns QEMU's status.
ovmf_run() {
	local name=$1 timeout=$2
	shift 2
	ovmf_qemu "$name"
	timeout "$timeout" "${CASE_QEMU[@]}" \
		-serial "file:$WORK/$name.serial" "$@" </dev/null >"$WORK/$name.qemu" 2>&1
}

# --- probes -------------------------------------------------------------
probe_case() { # NAME OPTIONS EXPECTED-LINES...
	local name=$1 opts=$2
	shift 2
	selected "$name" || return 0
	case_disk "$name" "$opts"
	ovmf_run "$name" 120 -bios "$OVMF"
	expect_log "$name" "$WORK/$name.log" $? 1 "$@" || FAILED=1
}

ext4="config=(PARTLABEL=root)/pvhboot.cfg"
probe_case pvh-esp "entry=pvh-esp" "PROBE pvh" "FIELD cmdline=probe=pvh-esp" "RESULT PASS"
probe_case mb1-esp "entry=mb1-esp" "PROBE multiboot1" \
	"FIELD cmdline=/probes/mb1.elf probe=mb1-esp" "FIELD loader=pvhboot" "RESULT PASS"
probe_case linux-esp "entry=linux-esp" "PROBE linux" "FIELD entry=64" \
	"FIELD cmdline=$LINUX_CMD" "RESULT PASS"
probe_case pvh-ext4 "$ext4 entry=pvh-ext4" "PROBE pvh" "FIELD cmdline=probe=pvh-ext4" \
	"FIELD nr_modules=1" "FIELD module0_cmdline=first crc32=$MOD_CRC" "RESULT PASS"
probe_case mb1-ext4 "$ext4 entry=mb1-ext4" "PROBE multiboot1" \
	"FIELD cmdline=/probes/mb1-aout.bin probe=mb1-ext4" "FIELD nr_modules=2" "RESULT PASS"
probe_case linux-ext4 "$ext4 entry=linux-ext4" "PROBE linux" "FIELD entry=32" \
	"FIELD cmdline=$LINUX_CMD" "RESULT PASS"
# The i386 entry after ExitBootServices (the "mb2-efi32" path): the system
# table tag may stay, the boot services tags must not.
probe_case mb2-ext4 "$ext4 entry=mb2-ext4" "PROBE multiboot2" "FIELD entry=32" \
	"FIELD cmdline=placeholder probe=mb2-ext4" "FIELD nr_modules=1" "CHECK acpi_new ok" \
	"CHECK efi_systab ok" "CHECK efi_bs_tag_absent ok" "RESULT PASS"

# The EFI amd64 entry: the probe's ConOut line on the firmware console (the
# serial file), its report on port 0xE9 after the loader's lines.
if selected mb2-efi64; then
	case_disk mb2-efi64 "$ext4 entry=mb2-efi64"
	ovmf_run mb2-efi64 120 -bios "$OVMF"
	st=$?
	if ! grep -q "handoff: multiboot2 EFI entry" "$WORK/mb2-efi64.log"; then
		not_ok mb2-efi64 "not entered through the EFI entry: $(grep -a -m2 -E 'error|handoff' "$WORK/mb2-efi64.log" | tr '\n' '|')"
	elif ! grep -qa "PROBE-MB2-EFI64 ConOut->OutputString with boot services alive" "$WORK/mb2-efi64.serial"; then
		not_ok mb2-efi64 "no ConOut marker on the serial console; $(grep -a -m3 -E 'FAIL' "$WORK/mb2-efi64.log" | tr '\n' '|')"
	else
		expect_log mb2-efi64 "$WORK/mb2-efi64.log" "$st" 1 "PROBE multiboot2" "FIELD entry=64" \
			"FIELD cmdline=placeholder probe=mb2-efi64" "FIELD nr_modules=1" \
			"FIELD module0_cmdline=first crc32=$MOD_CRC" "CHECK module0_crc ok" \
			"CHECK requested_tag6 ok" "CHECK acpi_new ok" "CHECK efi_systab ok" \
			"CHECK efi_bs_tag ok" "CHECK efi_image_handle ok" "CHECK efi_conout ok" \
			"FIELD efi_conout_status=0x0" "CHECK long_mode ok" "CHECK identity_mbi ok" \
			"RESULT PASS" || FAILED=1
	fi
fi

# --- the menu through ConIn: OVMF's serial terminal, keys as a person types --
# Down twice to the third entry, `e`, the end of the line, a word, Enter:
# the arrows arrive as VT100 sequences that OVMF's terminal driver turns
# into EFI scan codes, the rest as Unicode characters.
if selected menu; then
	case_disk menu "timeout=-1"
	ovmf_qemu menu
	timeout 150 python3 tests/e2e/serial_driver.py "$WORK/menu.serial" \
		"expect:choose a kernel;send:{down};sleep:1;send:{down};sleep:1;send:e;expect:cmdline> ;send:{end} typed=yes\\r" -- \
		"${CASE_QEMU[@]}" -bios "$OVMF" </dev/null >"$WORK/menu.qemu" 2>&1
	expect_log menu "$WORK/menu.log" $? 1 "PROBE multiboot1" \
		"FIELD cmdline=/probes/mb1.elf probe=mb1-esp typed=yes" "RESULT PASS" || FAILED=1
fi

# --- LoadOptions: the options from the UEFI Shell's command line ----------
# No removable-media loader on the ESP, so OVMF's boot manager falls back to
# its built-in UEFI Shell, whose startup.nsh starts the loader with options.
if selected loadoptions; then
	cp --sparse=always "$DISK" "$WORK/loadoptions.img"
	printf 'fs0:\r\n\\EFI\\pvhboot\\pvhboot.efi entry=mb1-esp\r\n' >"$WORK/startup.nsh"
	mdel -i "$WORK/loadoptions.img@@1M" ::/EFI/BOOT/BOOTX64.EFI
	mmd -i "$WORK/loadoptions.img@@1M" ::/EFI/pvhboot
	mcopy -i "$WORK/loadoptions.img@@1M" "$EFI" ::/EFI/pvhboot/pvhboot.efi
	mcopy -i "$WORK/loadoptions.img@@1M" "$WORK/startup.nsh" ::/startup.nsh
	ovmf_run loadoptions 120 -bios "$OVMF"
	expect_log loadoptions "$WORK/loadoptions.log" $? 1 \
		'options: "\EFI\pvhboot\pvhboot.efi entry=mb1-esp" (from LoadOptions)' \
		"PROBE multiboot1" "FIELD cmdline=/probes/mb1.elf probe=mb1-esp" "RESULT PASS" ||
		FAILED=1
fi

# --- GOP: multiboot1 with the video flag ---------------------------------
# Under -vga std the probe checks the framebuffer fields (type, geometry,
# masks, not RAM), fills the screen with red built from the masks it was
# given (fb_paint=1) and holds; tests/e2e/fb_shot.py takes QEMU's
# screenshot, which must be red at its corners and centre and as large as
# the mode the loader reported. Without a display there must be no
# framebuffer at all.
gop_case() { # NAME WANT-FB QEMU-ARGS...
	local name=$1 want=$2 log=$WORK/$1.log flags status
	shift 2
	selected "$name" || return 0
	case_disk "$name" "entry=mb1-video"
	if [ "$want" = yes ]; then
		ovmf_qemu "$name"
		timeout 200 python3 tests/e2e/fb_shot.py "$log" "$WORK/$name.ppm" -- \
			"${CASE_QEMU[@]}" -bios "$OVMF" "$@" </dev/null >"$WORK/$name.qemu" 2>&1
		status=$?
	else
		ovmf_run "$name" 120 -bios "$OVMF" "$@"
		status=$?
	fi
	expect_log "$name-probe" "$log" $status 1 "PROBE multiboot1" "RESULT PASS" >/dev/null || {
		not_ok "$name" "the probe did not pass (status $status): $(grep -m3 -E 'FAIL|error' "$log" | tr '\n' '|')"
		return
	}
	flags=$(sed -n 's/^FIELD flags=//p' "$log")
	if [ "$want" = yes ]; then
		local gop fb shot
		gop=$(grep -m1 '^gop: ' "$log")
		fb=$(sed -n 's/^FIELD fb=//p' "$log")
		if ! [[ "$gop" =~ ^gop:\ ([0-9]+)x([0-9]+),\ 32\ bpp,\ pitch\ ([0-9]+),\ at\ 0x[0-9a-f]+$ ]]; then
			not_ok "$name" "no GOP report: '$gop'"
		elif ((!(flags & 0x1000))); then
			not_ok "$name" "multiboot_info flags $flags lack the framebuffer (0x1000)"
		elif ! shot=$(python3 - "$WORK/$name.ppm" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" 2>&1 <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
fields, pos = [], 0
while len(fields) < 4:  # P6, width, height, maxval; blanks between
    while data[pos:pos + 1].isspace():
        pos += 1
    end = pos
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[pos:end])
    pos = end
pos += 1
w, h = int(fields[1]), int(fields[2])
if fields[0] != b"P6" or (w, h) != (int(sys.argv[2]), int(sys.argv[3])):
    sys.exit(f"screenshot {fields[0].decode()} {w}x{h}, want {sys.argv[2]}x{sys.argv[3]}")
for x, y in ((0, 0), (w - 1, 0), (w // 2, h // 2), (0, h - 1), (w - 1, h - 1)):
    px = tuple(data[pos + 3 * (y * w + x):pos + 3 * (y * w + x) + 3])
    if px != (255, 0, 0):
        sys.exit(f"pixel ({x},{y}) is {px}, want red (255, 0, 0)")
print(f"{w}x{h} red")
PY
		); then
			not_ok "$name" "screenshot: $shot (fields: $fb)"
		else
			echo "ok $name (${gop#gop: }; probe painted it through the multiboot_info fields: $shot)"
		fi
	elif grep -q '^gop: ' "$log" || ((flags & 0x1000)); then
		not_ok "$name" "framebuffer without a display: flags $flags"
	else
		echo "ok $name (no display, no framebuffer, flags $flags)"
	fi
}
gop_case gop-vga yes -vga std
gop_case gop-none no

# --- Debian's kernel: efi_info and the runtime services ------------------
if selected debian; then
	if [ -z "$DEB" ]; then
		not_ok debian "fetching Debian packages failed: $(tail -n 1 "$WORK/fetch.log")"
	else
		case_disk debian "$ext4 entry=debian"
		ovmf_run debian 240 -bios "$OVMF" -m 1024
		clean=$WORK/debian.clean
		tr -d '\r' <"$WORK/debian.serial" >"$clean"
		want_info="=== BLI LoaderInfo=pvhboot ${PVHBOOT_VERSION:-0.1} "
		init_us=$(sed -n 's/^=== BLI LoaderTimeInitUSec=\([0-9]*\) *$/\1/p' "$clean")
		exec_us=$(sed -n 's/^=== BLI LoaderTimeExecUSec=\([0-9]*\) *$/\1/p' "$clean")
		if ! grep -q "^=== INITRAMFS-OK efi=yes .*via=efi" "$clean"; then
			not_ok debian "no initramfs marker with efi=yes: $(grep -m1 -E '=== INITRAMFS|Kernel panic' "$clean"; tail -n 2 "$WORK/debian.log" | tr '\n' '|')"
		elif ! grep -qxF "$want_info" "$clean"; then
			not_ok debian "LoaderInfo not read back: $(grep -m1 'BLI LoaderInfo' "$clean")"
		elif ! grep -qxF "=== BLI LoaderDevicePartUUID=$ESP_GUID " "$clean"; then
			not_ok debian "LoaderDevicePartUUID: $(grep -m1 'LoaderDevicePartUUID' "$clean"), want $ESP_GUID"
		elif ! grep -qF "/debian/vmlinuz: starting it (LoadImage/StartImage)" "$WORK/debian.log" ||
			! grep -qF "served through LoadFile2" "$WORK/debian.log"; then
			not_ok debian "not started through its EFI stub: $(grep -m2 -E 'vmlinuz|error' "$WORK/debian.log" | tr '\n' '|')"
		elif ! grep -qxF "=== BLI LoaderEntries=pvh-ext4 mb1-ext4 linux-ext4 mb2-ext4 mb2-efi64 debian debian-bootparams xen " "$clean"; then
			not_ok debian "LoaderEntries: $(grep -m1 'LoaderEntries' "$clean")"
		elif ! grep -qxF "=== BLI LoaderEntrySelected=debian " "$clean"; then
			not_ok debian "LoaderEntrySelected: $(grep -m1 'LoaderEntrySelected' "$clean")"
		elif ! grep -qxF "=== BLI LoaderFeatures= 1c 00 00 00 00 00 00 00" "$clean"; then
			# entry default (bit 2), one-shot (bit 3; logind needs it
			# for systemctl reboot --boot-loader-entry), boot counting (bit 4)
			not_ok debian "LoaderFeatures: $(grep -m1 'LoaderFeatures' "$clean")"
		elif [ -z "$init_us" ] || [ -z "$exec_us" ] || [ "$exec_us" -le "$init_us" ]; then
			not_ok debian "LoaderTimeInitUSec '$init_us', LoaderTimeExecUSec '$exec_us'"
		else
			echo "ok debian (initramfs with /sys/firmware/efi; LoaderInfo, LoaderDevicePartUUID, LoaderEntries, LoaderEntrySelected, LoaderFeatures and the times read back)"
		fi
	fi
fi

# --- Debian's kernel forced to boot_params (protocol linux) ----------------
if selected debian-bootparams; then
	if [ -z "$DEB" ]; then
		not_ok debian-bootparams "fetching Debian packages failed: $(tail -n 1 "$WORK/fetch.log")"
	else
		case_disk debian-bootparams "$ext4 entry=debian-bootparams"
		ovmf_run debian-bootparams 240 -bios "$OVMF" -m 1024
		if ! tr -d '\r' <"$WORK/debian-bootparams.serial" | grep -q "^=== INITRAMFS-OK efi=yes .*via=bootparams"; then
			not_ok debian-bootparams "no initramfs marker: $(tail -n 2 "$WORK/debian-bootparams.log" | tr '\n' '|')"
		elif grep -q "starting it" "$WORK/debian-bootparams.log"; then
			not_ok debian-bootparams "started through the EFI stub, not boot_params"
		else
			echo "ok debian-bootparams (boot_params, 64-bit entry, efi_info: /sys/firmware/efi)"
		fi
	fi
fi

# --- Xen: multiboot1 from EFI, up to its banner ---------------------------
if selected xen; then
	if [ -z "$DEB" ]; then
		not_ok xen "fetching Debian packages failed: $(tail -n 1 "$WORK/fetch.log")"
	else
		case_disk xen "$ext4 entry=xen"
		ovmf_run xen 120 -bios "$OVMF" -cpu max -m 1024 &
		qpid=$!
		for _ in $(seq 240); do
			grep -q "Xen version 4.17" "$WORK/xen.serial" 2>/dev/null && break
			kill -0 $qpid 2>/dev/null || break
			sleep 0.5
		done
		kill $qpid 2>/dev/null
		wait $qpid 2>/dev/null
		if grep -q "Xen version 4.17" "$WORK/xen.serial"; then
			echo "ok xen ($(grep -a -m1 -o 'Xen version 4.17[^ ]*' "$WORK/xen.serial"))"
		else
			not_ok xen "no Xen banner; loader: $(grep -a -m2 -E 'error|handoff' "$WORK/xen.log" | tr '\n' '|')"
		fi
	fi
fi

# --- Xen: multiboot2's EFI entry with boot services, to dom0 -------------
if selected xen-efi; then
	if [ -z "$DEB" ]; then
		not_ok xen-efi "fetching Debian packages failed: $(tail -n 1 "$WORK/fetch.log")"
	else
		case_disk xen-efi "config=(PARTLABEL=root)/boot/grub/grub.cfg entry=xen-efi"
		# -smap: with it a PV dom0 under TCG dies in Xen's create_bounce_frame
		# (docs/testing.md, the Xen rig's pitfalls).
		ovmf_run xen-efi 600 -bios "$OVMF" -cpu max,-smap,-rdtscp -m 1024 &
		qpid=$!
		for _ in $(seq 1200); do
			grep -q "=== INITRAMFS-OK" "$WORK/xen-efi.serial" 2>/dev/null && break
			kill -0 $qpid 2>/dev/null || break
			sleep 0.5
		done
		kill $qpid 2>/dev/null
		wait $qpid 2>/dev/null
		s=$WORK/xen-efi.serial
		if ! grep -q "handoff: multiboot2 EFI entry" "$WORK/xen-efi.log"; then
			not_ok xen-efi "not entered through the EFI entry: $(grep -a -m2 -E 'error|handoff' "$WORK/xen-efi.log" | tr '\n' '|')"
		elif ! grep -qa "Command line: .*no-real-mode edd=off" "$s"; then
			not_ok xen-efi "Xen's command line lacks \$grub_platform's options: $(grep -a -m1 'Command line' "$s")"
		elif ! grep -qa "=== INITRAMFS-OK.*via=xen-efi" "$s"; then
			not_ok xen-efi "dom0 did not reach its initramfs; Xen: $(grep -a -m1 -o 'Xen version 4.17[^ ]*' "$s"); last: $(tail -c 300 "$s" | tr -d '\r' | tr '\n' '|')"
		else
			echo "ok xen-efi ($(grep -a -m1 -o 'Xen version 4.17[^ ]*' "$s") on EFI boot services, dom0 initramfs: $(grep -a -m1 -o '=== INITRAMFS-OK efi=[a-z]*' "$s"))"
		fi
	fi
fi

# --- LoaderEntryOneShot in a persistent variable store -------------------
# Three boots on one copy of OVMF's variable store: the first stores the
# one-shot entry and powers off, the second boots it, the third boots the
# menu's default again because the second consumed it.
oneshot_run() { # RUN OPTIONS
	local name=oneshot-$1
	cp --sparse=always "$WORK/oneshot.img" "$WORK/$name.img"
	printf '%s\n' "$2" >"$WORK/$name.opt"
	mcopy -o -i "$WORK/$name.img@@1M" "$WORK/$name.opt" ::/EFI/BOOT/pvhboot.opt
	ovmf_run "$name" 120 -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE" \
		-drive "if=pflash,format=raw,unit=1,file=$WORK/vars.fd"
}
if selected oneshot; then
	cp "$OVMF_VARS" "$WORK/vars.fd"
	cp --sparse=always "$DISK" "$WORK/oneshot.img"
	oneshot_run 1 "set-oneshot=mb1-esp poweroff"
	st=$?
	if [ $st != 0 ] || ! grep -qxF 'efi: LoaderEntryOneShot set to "mb1-esp"' "$WORK/oneshot-1.log"; then
		not_ok oneshot "storing it: status $st; $(grep -m2 -E 'error|LoaderEntryOneShot' "$WORK/oneshot-1.log" | tr '\n' '|')"
	else
		oneshot_run 2 "timeout=0"
		if expect_log oneshot-2 "$WORK/oneshot-2.log" $? 1 \
			'efi: one-shot entry "mb1-esp" (LoaderEntryOneShot)' "PROBE multiboot1" \
			"FIELD cmdline=/probes/mb1.elf probe=mb1-esp" "RESULT PASS" >"$WORK/oneshot.out"; then
			oneshot_run 3 "timeout=0"
			if ! expect_log oneshot-3 "$WORK/oneshot-3.log" $? 1 "PROBE pvh" \
				"FIELD cmdline=probe=pvh-esp" "RESULT PASS" >"$WORK/oneshot.out"; then
				not_ok oneshot "after it: $(cat "$WORK/oneshot.out")"
			elif grep -q 'one-shot entry' "$WORK/oneshot-3.log"; then
				not_ok oneshot "LoaderEntryOneShot was not deleted"
			else
				echo "ok oneshot (stored, booted once, then the default)"
			fi
		else
			not_ok oneshot "the one-shot boot: $(cat "$WORK/oneshot.out")"
		fi
	fi
fi

exit $FAILED
