#!/bin/bash
# Fetch real kernels from Debian's packages into the cache (never the repo):
#   $CACHE/debian/vmlinuz        Debian's bzImage (linux-image-amd64)
#   $CACHE/debian/vmlinux-pvh    the ELF inside it, with its PVH note
#   $CACHE/debian/xen.gz         Xen 4.17, gzip'd multiboot1
#   $CACHE/debian/invaders.exec  multiboot1 a.out kludge (grub-invaders)
# Prints the cache directory. Re-runs are free once the files exist.
set -e
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
OUT=$CACHE/debian
mkdir -p "$OUT"

download() { # PACKAGE: the .deb into $OUT/debs, apt lists refreshed once if needed
	mkdir -p "$OUT/debs"
	(cd "$OUT/debs" && { apt-get download "$1" >/dev/null 2>&1 ||
		{ [ "$(id -u)" = 0 ] && apt-get update -qq && apt-get download "$1" >/dev/null; }; })
	ls "$OUT"/debs/"$1"_*.deb | tail -n 1
}

extract() { # DEB DIR
	rm -rf "$2" && mkdir -p "$2" && dpkg-deb -x "$1" "$2"
}

if [ ! -s "$OUT/vmlinuz" ]; then
	pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
	extract "$(download "$pkg")" "$OUT/linux"
	cp "$OUT"/linux/boot/vmlinuz-* "$OUT/vmlinuz"
fi
if [ ! -s "$OUT/vmlinux-pvh" ]; then
	# The bzImage payload is xz (Debian's build); pull the ELF out of it.
	python3 tests/e2e/extract-payload.py "$OUT/vmlinuz" "$OUT/vmlinux-pvh"
fi
if [ ! -s "$OUT/xen.gz" ]; then
	extract "$(download xen-hypervisor-4.17-amd64)" "$OUT/xen"
	cp "$OUT"/xen/boot/xen-4.17-amd64.gz "$OUT/xen.gz"
fi
if [ ! -s "$OUT/invaders.exec" ]; then
	extract "$(download grub-invaders)" "$OUT/invaders"
	cp "$(find "$OUT/invaders" -name invaders.exec | head -n 1)" "$OUT/invaders.exec"
fi
echo "$OUT"
