#!/bin/bash
# xen_dom0_image RIG KVER: make sure RIG/dom0.img and RIG/xen.elf exist
# (sourced by tests/bench/xen.sh).
#
# The benchmark boots the very dom0 the real-Xen test rig uses
# (tests/e2e/xen/run.sh, test-rigs.md "Real Xen PVH domU") and shares its
# cache, so a machine that has run either one builds it only once. This is
# the same recipe with the same staleness rule: Debian minbase with the Xen
# tools, the host's modules for KVER, the rig's dom0 init and run-domu.
# Everything the benchmark adds travels in its payload disk, so the image
# stays byte-for-byte what the test rig expects.

xen_dom0_image() {
	local rig=$1 kver=$2 rig_src=tests/e2e/xen mirror
	mkdir -p "$rig"
	if [ ! -f "$rig/dom0.img" ] || [ "$rig/dom0.img" -ot "$rig_src/dom0-init" ] ||
		[ "$rig/dom0.img" -ot "$rig_src/run-domu" ]; then
		if [ ! -x "$rig/rootfs/usr/lib/xen-4.17/bin/xl" ]; then
			# The mirror apt already uses, so the rig needs no address of its own.
			mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
			[ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
			rm -rf "$rig/rootfs"
			note "debootstrap of the dom0 (once, about 2 minutes; log: $rig/debootstrap.log)"
			debootstrap --variant=minbase \
				--include=xen-utils-4.17,xenstore-utils,kmod,udev,busybox,procps,util-linux,e2fsprogs \
				bookworm "$rig/rootfs" "$mirror" >"$rig/debootstrap.log" 2>&1 ||
				{ note "debootstrap failed (see $rig/debootstrap.log)"; return 1; }
		fi
		rm -rf "$rig/rootfs/lib/modules"
		mkdir -p "$rig/rootfs/lib/modules"
		cp -a "/lib/modules/$kver" "$rig/rootfs/lib/modules/"
		install -m755 "$rig_src/dom0-init" "$rig/rootfs/sbin/pvhboot-rig-init"
		install -m755 "$rig_src/run-domu" "$rig/rootfs/usr/local/bin/run-domu"
		rm -f "$rig/dom0.img"
		mkfs.ext4 -q -F -L dom0 -d "$rig/rootfs" "$rig/dom0.img" 2G ||
			{ note "mkfs of the dom0 image failed"; return 1; }
	fi
	[ -f "$rig/xen.elf" ] || zcat /boot/xen-4.17-amd64.gz >"$rig/xen.elf"
}
