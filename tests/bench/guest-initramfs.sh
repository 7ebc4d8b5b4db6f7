#!/bin/bash
# guest_initramfs VMLINUZ OUT: a newc cpio for the benchmark's Linux guest
# (sourced by tests/bench/run.sh): static busybox, tests/bench/guest-init as
# /init, and the modules Debian builds as loadable that the guest needs to
# read ext4 from virtio-blk-pci, in an order where every module follows the
# modules it depends on (`modinfo -F depends`).
#
# The modules must be the kernel's own build: they come from the Debian
# package extracted by tests/e2e/fetch-debian.sh, or the host's /lib/modules
# when it holds the same version.

# The guest needs these; everything they depend on is added.
GUEST_MODULES="virtio_pci virtio_blk crc32c_generic ext4"

# kernel_release BZIMAGE: the release string ("6.1.0-56-amd64"), from the
# setup header's kernel_version pointer (boot protocol 2.00+, offset 0x20e,
# relative to 0x200).
kernel_release() {
	local ptr
	ptr=$(od -An -tu2 -j $((0x20e)) -N2 "$1" | tr -d ' ')
	[ -n "$ptr" ] && [ "$ptr" -gt 0 ] || return 1
	dd if="$1" bs=1 skip=$((ptr + 0x200)) count=64 status=none | tr '\0' ' ' | cut -d' ' -f1
}

# module_dir RELEASE: a /lib/modules/RELEASE holding that kernel's modules.
module_dir() {
	local rel=$1 deb
	local cached=$CACHE/debian/linux/lib/modules/$rel
	if [ ! -d "$cached/kernel" ]; then
		deb=$(find "$CACHE/debian/debs" -name "linux-image-${rel}_*.deb" 2>/dev/null | sort | tail -n 1)
		if [ -n "$deb" ]; then
			rm -rf "$CACHE/debian/linux" && mkdir -p "$CACHE/debian/linux" &&
				dpkg-deb -x "$deb" "$CACHE/debian/linux"
		fi
	fi
	if [ -d "$cached/kernel" ]; then
		echo "$cached"
	elif [ -d "/lib/modules/$rel/kernel" ]; then
		echo "/lib/modules/$rel"
	else
		return 1
	fi
}

# module_file DIR NAME: the module's file; modinfo names use '_' where file
# names may use '-'.
module_file() {
	local alt=${2//_/-}
	find "$1/kernel" \( -name "$2.ko" -o -name "$2.ko.*" -o -name "$alt.ko" -o -name "$alt.ko.*" \) \
		-print -quit
}

# add_module DIR NAME STAGE: copy NAME after its dependencies (depth first);
# $STAGE/lib/modules/load-order lists them in that order.
add_module() {
	local dir=$1 name=$2 stage=$3 file dep base
	grep -qxF "$name.ko" "$stage/lib/modules/load-order" 2>/dev/null && return 0
	file=$(module_file "$dir" "$name")
	if [ -z "$file" ]; then
		# Built in (modules.builtin) is fine: nothing to load.
		grep -q "/$name.ko\$\|/${name//_/-}.ko\$" "$dir/modules.builtin" 2>/dev/null && return 0
		note "module $name not found in $dir"
		return 1
	fi
	for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
		add_module "$dir" "$dep" "$stage" || return 1
	done
	base=$stage/lib/modules/$name.ko
	case $file in
	*.ko.xz) xz -dc "$file" >"$base" ;;
	*.ko.zst) zstd -qdc "$file" >"$base" ;;
	*.ko.gz) gzip -dc "$file" >"$base" ;;
	*) cp "$file" "$base" ;;
	esac || return 1
	echo "$name.ko" >>"$stage/lib/modules/load-order"
}

guest_initramfs() {
	local vmlinuz=$1 out=$2 rel dir stage m
	rel=$(kernel_release "$vmlinuz") || { note "no release string in $vmlinuz"; return 1; }
	dir=$(module_dir "$rel") || { note "no modules for $rel (run tests/e2e/fetch-debian.sh)"; return 1; }
	stage=$(mktemp -d "${out%/*}/initramfs.XXXXXX")
	mkdir -p "$stage/bin" "$stage/lib/modules" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/mnt"
	: >"$stage/lib/modules/load-order"
	for m in $GUEST_MODULES; do
		add_module "$dir" "$m" "$stage" || { rm -rf "$stage"; return 1; }
	done
	cp /bin/busybox "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	cp tests/bench/guest-init "$stage/init"
	chmod 755 "$stage/init"
	(cd "$stage" && find . -mindepth 1 | sort | cpio --quiet -o -H newc) >"$out"
	note "guest initramfs: Linux $rel, modules: $(tr '\n' ' ' <"$stage/lib/modules/load-order")"
	rm -rf "$stage"
}
