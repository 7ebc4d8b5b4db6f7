#!/bin/bash
# pvhboot.efi under OVMF with Secure Boot enforcing and a TPM 2.0 (q35 with
# SMM, OVMF_CODE_4M.secboot.fd, a copy of OVMF_VARS_4M.snakeoil.fd whose db
# holds Debian's snakeoil certificate, swtpm). The loader, Debian's kernel
# and a unified kernel image are signed with the snakeoil key by sbsign;
# `pvhboot enroll` writes the pinned config's SHA-256 into the loader
# before it is signed. Disk: an ESP (loader, BLS type #1 entries, the UKI
# in /EFI/Linux) and an ext4 partition with the pinned pvhboot.cfg.
#
#   sb-stub      the signed Debian kernel through its EFI stub from a type #1
#                entry, with a busybox initramfs that dumps the TPM event log
#                and runs tpm2_pcrread: the log must hold the SHA-256 of the
#                initrd and of the command line pvhboot passed, the kernel's
#                Authenticode digest, and replay to the PCRs tpm2_pcrread reads
#   sb-uki       the same kernel and initramfs as a signed UKI (objcopy on
#                systemd-boot's linuxx64.efi.stub), titled from its .osrel
#   sb-unsigned  the kernel with its signature stripped: refused, menu stays
#   sb-pinned    a PVH probe pinned in the enrolled config boots
#   sb-tampered  the probe with one byte changed: sha256 mismatch, menu stays
#   sb-unpinned  a probe without a pin: refused, menu stays
#
#   ./efi-secureboot.sh [PATTERN]   cases whose name contains PATTERN
# Needs: ovmf sbsigntool swtpm tpm2-tools systemd-boot-efi mtools dosfstools
# e2fsprogs fdisk qemu-system-x86 busybox-static cpio python3.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

EFI=$BUILD/pvhboot.efi
CLI=$BUILD/pvhboot
K=$BUILD/kernels
CODE=${OVMF_SB_CODE:-/usr/share/OVMF/OVMF_CODE_4M.secboot.fd}
VARS=${OVMF_SB_VARS:-/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd}
KEY=/usr/share/ovmf/PkKek-1-snakeoil.key
CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem
STUB=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
FILTER=${1:-}
WORK=$(mktemp -d)
SWTPM_PID=
cleanup() {
	[ -n "$SWTPM_PID" ] && kill "$SWTPM_PID" 2>/dev/null
	[ -n "${EFI_SB_KEEP:-}" ] && echo "# work directory: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
FAILED=0
not_ok() { echo "not ok $1: $2"; FAILED=1; }
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

for f in "$EFI" "$CLI" "$K/pvh-elf64-note8.elf" "$CODE" "$VARS" "$KEY" "$CERT" "$STUB" \
	/usr/bin/swtpm /usr/bin/sbsign /usr/bin/tpm2_eventlog; do
	[ -e "$f" ] || { not_ok efi-secureboot "$f missing (make; tools/install-deps.sh)"; exit 1; }
done
DEB=$(tests/e2e/fetch-debian.sh 2>"$WORK/fetch.log") || {
	not_ok efi-secureboot "fetching Debian packages failed: $(tail -n 1 "$WORK/fetch.log")"
	exit 1
}

# --- the initramfs: the event log and the PCRs, printed between markers ----
I=$WORK/initramfs
mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev"
cp /bin/busybox "$I/bin/"
for a in sh cat mount echo od poweroff mkdir; do ln -sf busybox "$I/bin/$a"; done
# tpm2_pcrread with the libraries it links and the device TCTI it dlopens.
cp /usr/bin/tpm2 "$I/bin/tpm2_pcrread"
for lib in $(ldd /usr/bin/tpm2 | grep -o '/[^ ]*') /usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0; do
	mkdir -p "$I$(dirname "$lib")"
	cp -L "$lib" "$I$lib"
done
cat >"$I/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t securityfs securityfs /sys/kernel/security
mount -t devtmpfs dev /dev
echo "=== INITRAMFS-OK $(cat /proc/cmdline)"
echo "=== EVENTLOG-BEGIN"
od -An -v -tx1 /sys/kernel/security/tpm0/binary_bios_measurements
echo "=== EVENTLOG-END"
echo "=== PCRS-BEGIN"
LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu \
	tpm2_pcrread -T device:/dev/tpmrm0 sha256:0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
echo "=== PCRS-END"
poweroff -f
INIT
chmod +x "$I/init"
(cd "$I" && find . | cpio --quiet -o -H newc | gzip -1) >"$WORK/initrd.gz"

# --- signed images --------------------------------------------------------
# Debian's snakeoil key is encrypted with the passphrase "snakeoil"
# (/usr/share/doc/ovmf/README.Debian).
openssl rsa -in "$KEY" -passin pass:snakeoil -out "$WORK/snakeoil.key" 2>/dev/null
sign() { sbsign --key "$WORK/snakeoil.key" --cert "$CERT" --output "$2" "$1" >/dev/null 2>&1; }
cp "$DEB/vmlinuz" "$WORK/vmlinuz.debian"
sbattach --remove "$WORK/vmlinuz.debian" >/dev/null 2>&1 || true
cp "$WORK/vmlinuz.debian" "$WORK/vmlinuz.unsigned"
sign "$WORK/vmlinuz.unsigned" "$WORK/vmlinuz.signed"

KCMD="console=ttyS0 panic=-1 sbcase=stub"
printf 'ID=debian\nVERSION_ID=12\n' >"$WORK/osrel"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' >>"$WORK/osrel"
printf 'console=ttyS0 panic=-1 sbcase=uki' >"$WORK/uki.cmdline"
uname_r=$(basename "$DEB"/linux/lib/modules/*)
printf '%s' "$uname_r" >"$WORK/uname"
objcopy --add-section .osrel="$WORK/osrel" --change-section-vma .osrel=0x20000 \
	--add-section .cmdline="$WORK/uki.cmdline" --change-section-vma .cmdline=0x30000 \
	--add-section .uname="$WORK/uname" --change-section-vma .uname=0x40000 \
	--add-section .linux="$WORK/vmlinuz.unsigned" --change-section-vma .linux=0x2000000 \
	--add-section .initrd="$WORK/initrd.gz" --change-section-vma .initrd=0x3000000 \
	"$STUB" "$WORK/uki.unsigned"
sign "$WORK/uki.unsigned" "$WORK/uki.efi"

# PVH probes: pinned, tampered (one byte), unpinned.
cp "$K/pvh-elf64-note8.elf" "$WORK/pvh.elf"
cp "$K/pvh-elf64-note8.elf" "$WORK/pvh-tampered.elf"
printf '\x5a' | dd of="$WORK/pvh-tampered.elf" bs=1 seek=$(($(stat -c %s "$WORK/pvh.elf") - 1)) conv=notrunc status=none
PIN=$(sha256sum "$WORK/pvh.elf" | cut -d' ' -f1)
T=$WORK/tree
mkdir -p "$T/probes"
cp "$WORK/pvh.elf" "$WORK/pvh-tampered.elf" "$T/probes/"
cp "$WORK/pvh.elf" "$T/probes/pvh-unpinned.elf"
cat >"$T/pvhboot.cfg" <<CFG
timeout 0
entry sb-pinned "PVH probe, pinned"
	kernel /probes/pvh.elf
	cmdline probe=sb-pinned
	sha256 /probes/pvh.elf $PIN
entry sb-tampered "PVH probe, one byte changed"
	kernel /probes/pvh-tampered.elf
	cmdline probe=sb-tampered
	sha256 /probes/pvh-tampered.elf $PIN
entry sb-unpinned "PVH probe without a pin"
	kernel /probes/pvh-unpinned.elf
	cmdline probe=sb-unpinned
CFG
mke2fs -q -F -t ext4 -L root -d "$T" "$WORK/root.img" 16M >/dev/null
cp "$EFI" "$WORK/pvhboot.efi"
"$CLI" enroll "$WORK/pvhboot.efi" "$T/pvhboot.cfg" >"$WORK/enroll.out" ||
	{ not_ok efi-secureboot "pvhboot enroll failed"; exit 1; }
sign "$WORK/pvhboot.efi" "$WORK/pvhboot.signed.efi"

# --- the disk: ESP (loader, BLS entries, UKI, kernels) + ext4 --------------
ESP=$WORK/esp.img DISK=$WORK/disk.img
mkfs.fat -C -F 32 -n ESP "$ESP" 98304 >/dev/null
mmd -i "$ESP" ::/EFI ::/EFI/BOOT ::/EFI/Linux ::/loader ::/loader/entries ::/debian
mcopy -i "$ESP" "$WORK/pvhboot.signed.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$ESP" "$WORK/uki.efi" ::/EFI/Linux/debian-uki.efi
mcopy -i "$ESP" "$WORK/vmlinuz.signed" ::/debian/vmlinuz
mcopy -i "$ESP" "$WORK/vmlinuz.unsigned" ::/debian/vmlinuz-unsigned
mcopy -i "$ESP" "$WORK/initrd.gz" ::/debian/initrd.gz
printf 'title Debian (signed, EFI stub)\nversion 1\nlinux /debian/vmlinuz\ninitrd /debian/initrd.gz\noptions %s\n' "$KCMD" >"$WORK/sb-stub.conf"
printf 'title Debian (signature stripped)\nversion 0\nlinux /debian/vmlinuz-unsigned\ninitrd /debian/initrd.gz\noptions %s\n' "$KCMD" >"$WORK/sb-unsigned.conf"
mcopy -i "$ESP" "$WORK/sb-stub.conf" "$WORK/sb-unsigned.conf" ::/loader/entries/
truncate -s 120M "$DISK"
printf 'label: gpt\nstart=2048, size=196608, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"\nstart=198656, size=32768, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"\n' |
	sfdisk -q --no-reread --no-tell-kernel "$DISK" >/dev/null
dd if="$ESP" of="$DISK" bs=1M seek=1 conv=notrunc status=none
dd if="$WORK/root.img" of="$DISK" bs=512 seek=198656 conv=notrunc status=none

# sb_boot NAME OPTIONS TIMEOUT [UNTIL]: boot a copy of the disk with
# pvhboot.opt = OPTIONS, a fresh copy of the snakeoil variables and a fresh
# TPM; with UNTIL, stop QEMU once the loader's log holds that text twice
# (the menu coming back after a refusal).
sb_boot() {
	local name=$1 opts=$2 timeout=$3 until=${4:-} qpid n
	cp --sparse=always "$DISK" "$WORK/$name.img"
	printf '%s\n' "$opts" >"$WORK/$name.opt"
	mcopy -o -i "$WORK/$name.img@@1M" "$WORK/$name.opt" ::/EFI/BOOT/pvhboot.opt
	cp "$VARS" "$WORK/$name.vars"
	rm -rf "$WORK/tpm-$name" && mkdir -p "$WORK/tpm-$name"
	swtpm socket --tpm2 --tpmstate "dir=$WORK/tpm-$name" \
		--ctrl "type=unixio,path=$WORK/tpm-$name/sock" --terminate \
		>"$WORK/swtpm-$name.log" 2>&1 &
	SWTPM_PID=$!
	for _ in $(seq 50); do [ -S "$WORK/tpm-$name/sock" ] && break; sleep 0.1; done
	timeout "$timeout" qemu-system-x86_64 -accel tcg -M q35,smm=on -m 1024 -nodefaults \
		-nic none -no-reboot -display none \
		-global driver=cfi.pflash01,property=secure,value=on \
		-drive "if=pflash,format=raw,unit=0,readonly=on,file=$CODE" \
		-drive "if=pflash,format=raw,unit=1,file=$WORK/$name.vars" \
		-chardev "socket,id=chrtpm,path=$WORK/tpm-$name/sock" \
		-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0 \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "if=virtio,format=raw,file=$WORK/$name.img" \
		-debugcon "file:$WORK/$name.log" -serial "file:$WORK/$name.serial" \
		</dev/null >"$WORK/$name.qemu" 2>&1 &
	qpid=$!
	if [ -n "$until" ]; then
		for _ in $(seq $((timeout * 2))); do
			n=$(grep -c "$until" "$WORK/$name.log" 2>/dev/null)
			[ "${n:-0}" -ge 2 ] && break
			kill -0 $qpid 2>/dev/null || break
			sleep 0.5
		done
		kill $qpid 2>/dev/null
	fi
	wait $qpid 2>/dev/null
	local st=$?
	kill "$SWTPM_PID" 2>/dev/null
	wait "$SWTPM_PID" 2>/dev/null
	SWTPM_PID=
	return $st
}

# The PE image hash Authenticode signs and the firmware measures (PE/COFF
# specification, "Calculating the PE Image Hash"; EDK2's Tcg2 measurement).
authenticode() {
	python3 - "$1" <<'PY'
import hashlib, struct, sys
d = open(sys.argv[1], "rb").read()
pe = struct.unpack_from("<I", d, 0x3c)[0]
nsec, optsz = struct.unpack_from("<H", d, pe + 6)[0], struct.unpack_from("<H", d, pe + 20)[0]
opt = pe + 24
hdrs = struct.unpack_from("<I", d, opt + 60)[0]
cert_dir = opt + 112 + 4 * 8
cert_off, cert_sz = struct.unpack_from("<II", d, cert_dir)
h = hashlib.sha256()
h.update(d[:opt + 64]); h.update(d[opt + 68:cert_dir]); h.update(d[cert_dir + 8:hdrs])
done = hdrs
secs = []
for i in range(nsec):
    s = opt + optsz + 40 * i
    rsz, roff = struct.unpack_from("<II", d, s + 16)
    if rsz:
        secs.append((roff, rsz))
for roff, rsz in sorted(secs):
    h.update(d[roff:roff + rsz]); done += rsz
if len(d) > done + cert_sz:
    h.update(d[done:len(d) - cert_sz])
print(h.hexdigest())
PY
}

# check_measured NAME KERNEL-FILE INITRD-FILE CMDLINE: the event log and the
# PCRs the initramfs printed on the serial console.
check_measured() {
	local name=$1 clean=$WORK/$1.clean
	sed -n '/^=== EVENTLOG-BEGIN/,/^=== EVENTLOG-END/p' "$clean" | sed '1d;$d' | xxd -r -p >"$WORK/$name.eventlog"
	if ! tpm2_eventlog "$WORK/$name.eventlog" >"$WORK/$name.yaml" 2>"$WORK/$name.yaml.err"; then
		not_ok "$name" "tpm2_eventlog cannot read the log: $(head -c 200 "$WORK/$name.yaml.err")"
		return 1
	fi
	local k_hash i_hash c_hash
	k_hash=$(authenticode "$2")
	i_hash=$(sha256sum "$3" | cut -d' ' -f1)
	c_hash=$(printf '%s\0' "$4" | iconv -f utf-8 -t utf-16le | sha256sum | cut -d' ' -f1)
	python3 - "$WORK/$name.yaml" "$clean" "$k_hash" "$i_hash" "$c_hash" <<'PY'
import re, sys
yaml = open(sys.argv[1]).read()
serial = open(sys.argv[2]).read()
kernel, initrd, cmdline = sys.argv[3:6]
def digests(pcr, etype=None):
    out = []
    for ev in yaml.split("- EventNum:")[1:]:
        if not re.search(r"PCRIndex: %d\n" % pcr, ev):
            continue
        if etype and etype not in ev:
            continue
        out += re.findall(r'AlgorithmId: sha256\n\s+Digest: "([0-9a-f]+)"', ev)
    return out
errors = []
if kernel not in digests(4, "EV_EFI_BOOT_SERVICES_APPLICATION"):
    errors.append("kernel Authenticode %s not in PCR 4" % kernel[:16])
if initrd not in digests(9):
    errors.append("initrd sha256 %s not in PCR 9" % initrd[:16])
if cmdline not in digests(9):
    errors.append("command line sha256 %s not in PCR 9" % cmdline[:16])
# Replayed PCRs (tpm2_eventlog's summary) against tpm2_pcrread's.
replay = {}
# The summary at the end lists every bank: sha1 first, then sha256, ...
summary = yaml[yaml.rfind("\npcrs:"):]
m = re.search(r"\n  sha256:\n((?:\s+\d+\s*: 0x[0-9A-Fa-f]+\n)+)", summary)
if not m:
    errors.append("no replayed PCRs in tpm2_eventlog's output")
else:
    for i, v in re.findall(r"(\d+)\s*: 0x([0-9A-Fa-f]+)", m.group(1)):
        replay[int(i)] = v.lower()
read = {}
pm = re.search(r"=== PCRS-BEGIN\n(.*?)=== PCRS-END", serial, re.S)
for i, v in re.findall(r"(\d+)\s*: 0x([0-9A-Fa-f]+)", pm.group(1) if pm else ""):
    read[int(i)] = v.lower()
if not read:
    errors.append("tpm2_pcrread printed nothing")
for i, v in replay.items():
    if i in read and read[i] != v:
        errors.append("PCR %d: replay %s, tpm2_pcrread %s" % (i, v[:16], read[i][:16]))
compared = sorted(i for i in replay if i in read)
if errors:
    print("; ".join(errors)); sys.exit(1)
print("kernel, initrd and cmdline measured; PCRs %s replay to tpm2_pcrread" % ",".join(map(str, compared)))
PY
}

# --- the cases --------------------------------------------------------------
if selected sb-stub; then
	sb_boot sb-stub "entry=sb-stub" 300
	tr -d '\r' <"$WORK/sb-stub.serial" >"$WORK/sb-stub.clean"
	if ! grep -q "efi: Secure Boot enforcing" "$WORK/sb-stub.log"; then
		not_ok sb-stub "Secure Boot not enforcing: $(grep -m1 'Secure Boot' "$WORK/sb-stub.log")"
	elif ! grep -q "^=== INITRAMFS-OK .*sbcase=stub" "$WORK/sb-stub.clean"; then
		not_ok sb-stub "no initramfs: $(grep -a -E 'error|refused' "$WORK/sb-stub.log" | head -n 3 | tr '\n' '|')"
	elif out=$(check_measured sb-stub "$WORK/vmlinuz.signed" "$WORK/initrd.gz" "$KCMD"); then
		echo "ok sb-stub (signed Debian kernel through its stub under Secure Boot; $out)"
	else
		not_ok sb-stub "$out"
	fi
fi

if selected sb-uki; then
	sb_boot sb-uki "entry=debian-uki.efi" 300
	tr -d '\r' <"$WORK/sb-uki.serial" >"$WORK/sb-uki.clean"
	title="Debian GNU/Linux 12 (bookworm) ($uname_r)"
	if ! grep -qF "$title" "$WORK/sb-uki.log"; then
		not_ok sb-uki "no menu entry titled '$title': $(grep -a -m3 'UKI\|EFI/Linux\|unified' "$WORK/sb-uki.log" | tr '\n' '|')"
	elif ! grep -q "^=== INITRAMFS-OK .*sbcase=uki" "$WORK/sb-uki.clean"; then
		not_ok sb-uki "no initramfs with the UKI's .cmdline: $(grep -a -E 'error|refused' "$WORK/sb-uki.log" | head -n 3 | tr '\n' '|')"
	else
		echo "ok sb-uki (signed UKI, titled '$title', its .cmdline and .initrd reached Linux)"
	fi
fi

# refused NAME OPTIONS WANT: the loader says WANT and the menu comes back.
refused() {
	local name=$1 opts=$2 want=$3
	selected "$name" || return 0
	sb_boot "$name" "$opts" 120 "choose a kernel"
	if ! grep -qF "$want" "$WORK/$name.log"; then
		not_ok "$name" "no '$want': $(grep -a -E 'error|refused|Secure' "$WORK/$name.log" | head -n 3 | tr '\n' '|')"
	elif ! awk -v w="$want" 'index($0, w) { seen = 1 } seen && /choose a kernel/ { back = 1 }
			END { exit !back }' "$WORK/$name.log"; then
		# A scripted entry= draws no menu first: it must come after the refusal.
		not_ok "$name" "the menu did not come back"
	elif grep -q "RESULT\|INITRAMFS-OK" "$WORK/$name.log" "$WORK/$name.serial"; then
		not_ok "$name" "it booted anyway"
	else
		echo "ok $name (refused: $(grep -a -m1 -F "$want" "$WORK/$name.log" | cut -c1-120); menu back)"
	fi
}
refused sb-unsigned "entry=sb-unsigned" "refused by the firmware"
ext4="config=(PARTLABEL=root)/pvhboot.cfg"
refused sb-tampered "$ext4 entry=sb-tampered" "sha256 mismatch"
refused sb-unpinned "$ext4 entry=sb-unpinned" "no sha256 pin in the enrolled config"

if selected sb-pinned; then
	sb_boot sb-pinned "$ext4 entry=sb-pinned" 120
	expect_log sb-pinned "$WORK/sb-pinned.log" $? 1 "PROBE pvh" "FIELD cmdline=probe=sb-pinned" \
		"RESULT PASS" || FAILED=1
fi

exit $FAILED
