#!/bin/bash
# Real kernels from Debian's packages (fetched into the cache by
# fetch-debian.sh), booted by pvhboot.elf through the module path on QEMU:
# Debian's bzImage through its PVH entry and through boot_params, the ELF
# inside it, Xen 4.17 (gzip'd; through multiboot1 and multiboot2) with a dom0
# kernel and initrd as modules, and invaders.exec (multiboot a.out kludge).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
LOADER=$BUILD/pvhboot.elf
FILTER=${1:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
D=$(tests/e2e/fetch-debian.sh 2>"$WORK/fetch.log") || {
	for n in debian-bzimage-default debian-bzimage-pvh debian-bzimage-linux debian-vmlinux-pvh xen-multiboot xen-multiboot2 invaders; do
		echo "not ok $n: fetching Debian packages failed: $(tail -n 1 "$WORK/fetch.log")"
	done
	exit 1
}

# linux_case NAME MODULE LOADER_OPTS ENTRY: the kernel must print its
# command line, entered through ENTRY (pvh or linux, the loader's handoff line).
linux_case() {
	local name=$1 module=$2 opts=$3 entry=$4 serial=$WORK/$1.serial
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	local marker="pvhboot-case=$name"
	qemu_run 120 "$WORK/$name.e9" pc -m 1024 -serial "file:$serial" -kernel "$LOADER" \
		-initrd "$module" -append "$opts -- console=ttyS0 panic=-1 $marker"
	if ! grep -q "^handoff: $entry entry" "$WORK/$name.e9"; then
		echo "not ok $name: not entered through its $entry entry: $(grep -m1 '^handoff' "$WORK/$name.e9")"
	elif grep -q "Kernel command line: .*$marker" "$serial"; then
		echo "ok $name ($(grep -c . "$serial") lines of kernel log)"
	else
		echo "not ok $name: no command line on ttyS0; loader: $(tail -n 2 "$WORK/$name.e9" | tr '\n' '|')"
	fi
}

# A bzImage goes through boot_params on a KVM VMM unless the PVH entry is
# asked for (a Xen PVH domain takes the PVH entry: tests/e2e/xen/).
linux_case debian-bzimage-default "$D/vmlinuz" "" linux
linux_case debian-bzimage-pvh "$D/vmlinuz" "protocol=pvh" pvh
linux_case debian-bzimage-linux "$D/vmlinuz" "protocol=linux" linux
linux_case debian-vmlinux-pvh "$D/vmlinux-pvh" "" pvh

# From a disk, with a busybox initramfs: the bzImage through its PVH entry
# (`protocol pvh`) and through boot_params (`protocol linux`).
disk_case() { # NAME ENTRY
	local name=$1 serial=$WORK/$1.serial
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	if [ ! -f "$WORK/debian-disk.img" ]; then
		local I=$WORK/initramfs T=$WORK/dtree
		mkdir -p "$I/bin" "$I/proc" "$T/boot"
		cp /bin/busybox "$I/bin/"
		for a in sh cat mount echo poweroff; do ln -sf busybox "$I/bin/$a"; done
		printf '#!/bin/sh\nmount -t proc proc /proc\necho "=== INITRAMFS-OK $(cat /proc/cmdline)"\npoweroff -f\n' >"$I/init"
		chmod +x "$I/init"
		(cd "$I" && find . | cpio --quiet -o -H newc | gzip) >"$T/boot/initrd.gz"
		cp "$D/vmlinuz" "$T/boot/vmlinuz"
		cat >"$T/boot/pvhboot.cfg" <<CFG
timeout 0
entry pvh "Debian, PVH entry"
	kernel /boot/vmlinuz
	initrd /boot/initrd.gz
	protocol pvh
	cmdline console=ttyS0 panic=-1 via=pvh
entry linux "Debian, boot_params"
	kernel /boot/vmlinuz
	initrd /boot/initrd.gz
	protocol linux
	cmdline console=ttyS0 panic=-1 via=linux
CFG
		mke2fs -q -F -t ext4 -d "$T" "$WORK/debian-disk.img" 64M
	fi
	timeout 180 qemu-system-x86_64 -accel "$(qemu_accel)" -M q35 -m 1024 -nodefaults \
		-nic none -no-reboot -display none -serial "file:$serial" \
		-debugcon "file:$WORK/$name.e9" -kernel "$LOADER" -append "entry=$2" \
		-drive "if=virtio,format=raw,file=$WORK/debian-disk.img,readonly=on" </dev/null \
		>/dev/null 2>&1
	if ! grep -q "^handoff: $2 entry" "$WORK/$name.e9"; then
		echo "not ok $name: not entered through its $2 entry: $(grep -m1 '^handoff' "$WORK/$name.e9")"
	elif grep -q "=== INITRAMFS-OK .*via=$2" "$serial"; then
		echo "ok $name (initramfs reached)"
	else
		echo "not ok $name: no initramfs marker; $(grep -m2 -E 'error|panic' "$serial" "$WORK/$name.e9" | tr '\n' '|')"
	fi
}
disk_case debian-disk-pvh pvh
disk_case debian-disk-boot-params linux

# Xen: xen.gz, then dom0's kernel and initrd as multiboot modules.
# xen_case NAME LOADER_OPTS XEN_ARGS DOM0_ARGS
xen_case() {
	local name=$1 opts=$2 xen_args=$3 dom0_args=$4
	make_bundle "$WORK/$name.cpio" "$D/xen.gz" "$xen_args" \
		"$D/vmlinuz" "$dom0_args" "$WORK/dom0-initrd.gz" "initrd"
	timeout 240 qemu-system-x86_64 -accel tcg -cpu max,-smap,-rdtscp -M pc -m 2048 -nodefaults \
		-nic none -no-reboot -display none -debugcon "file:$WORK/$name.e9" \
		-serial "file:$WORK/$name.serial" -kernel "$LOADER" -initrd "$WORK/$name.cpio" \
		-append "$opts" </dev/null >/dev/null 2>&1 &
	qpid=$!
	for _ in $(seq 200); do
		grep -q "Kernel command line:" "$WORK/$name.serial" 2>/dev/null && break
		kill -0 $qpid 2>/dev/null || break
		sleep 1
	done
	sleep 2
	kill $qpid 2>/dev/null
	wait $qpid 2>/dev/null
}
if [[ "xen-multiboot" == *"$FILTER"* || "xen-multiboot2" == *"$FILTER"* ]]; then
	mkdir -p "$WORK/ird/bin"
	cp /bin/busybox "$WORK/ird/bin/sh" 2>/dev/null || true
	printf '#!/bin/sh\necho dom0-initrd\n' >"$WORK/ird/init"
	(cd "$WORK/ird" && find . | cpio --quiet -o -H newc | gzip) >"$WORK/dom0-initrd.gz"
fi
if [[ "xen-multiboot" == *"$FILTER"* ]]; then
	xen_case xen "" "console=com1 dom0_mem=512M loglvl=all" "console=hvc0 earlyprintk=xen"
	if grep -q "Xen version 4.17" "$WORK/xen.serial" &&
		grep -q "Hypervisor detected: Xen PV" "$WORK/xen.serial"; then
		echo "ok xen-multiboot (Xen banner, dom0 kernel started)"
	else
		echo "not ok xen-multiboot: $(grep -m1 -E 'Xen version|error' "$WORK/xen.serial" "$WORK/xen.e9" | tr '\n' '|')"
	fi
fi
# The same Xen through its multiboot2 header, with command lines as Debian's
# 20_linux_xen writes them: "placeholder" first, which Xen drops (the
# loader is not GRUB 2), so neither Xen nor dom0 may see it.
if [[ "xen-multiboot2" == *"$FILTER"* ]]; then
	xen_case xen2 "protocol=multiboot2" "placeholder console=com1 dom0_mem=512M loglvl=all" \
		"placeholder console=hvc0 earlyprintk=xen pvhboot-mb2"
	xen_cmd=$(grep -a -m1 "Command line:" "$WORK/xen2.serial")
	dom0_cmd=$(grep -a -m1 "Kernel command line:" "$WORK/xen2.serial")
	if grep -q "Xen version 4.17" "$WORK/xen2.serial" &&
		grep -q "Hypervisor detected: Xen PV" "$WORK/xen2.serial" &&
		grep -q "handoff: multiboot2" "$WORK/xen2.e9" &&
		[[ "$xen_cmd" == *"console=com1 dom0_mem=512M"* && "$xen_cmd" != *placeholder* ]] &&
		[[ "$dom0_cmd" == *"pvhboot-mb2"* && "$dom0_cmd" != *placeholder* ]]; then
		echo "ok xen-multiboot2 (Xen banner, dom0 kernel started, placeholder dropped by Xen)"
	else
		echo "not ok xen-multiboot2: xen '${xen_cmd}' dom0 '${dom0_cmd}' $(grep -a -m2 -E 'Xen version|error|handoff' "$WORK/xen2.serial" "$WORK/xen2.e9" | tr '\n' '|')"
	fi
fi

# invaders.exec only draws on VGA: check it was identified and handed over.
if [[ "invaders" == *"$FILTER"* ]]; then
	qemu_run 20 "$WORK/inv.e9" pc -kernel "$LOADER" -initrd "$D/invaders.exec"
	if grep -q "handoff: multiboot1 entry" "$WORK/inv.e9"; then
		echo "ok invaders (multiboot1 a.out kludge loaded and entered)"
	else
		echo "not ok invaders: $(tail -n 2 "$WORK/inv.e9" | tr '\n' '|')"
	fi
fi
