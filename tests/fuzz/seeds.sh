# Sourced by tests/fuzz/run.sh and campaign.sh: where each target's inputs
# come from and the options it runs with, so the smoke run and the
# campaign fuzz alike. Needs BUILD and IMAGES.

# fuzz_dirs NAME: the corpus ($FUZZ_CORPUS/NAME, else the build's), then
# every seed directory there is, one a line.
fuzz_dirs() {
	local name=$1 d real
	local seeds=("$BUILD/fuzz/seeds/$name" "$IMAGES/$name/fuzz-seeds")
	local corpus=${FUZZ_CORPUS:-$BUILD/fuzz/corpus}/$name
	mkdir -p "$corpus"
	echo "$corpus"
	# The planner takes any kernel: the image parsers' seeds are its seeds.
	[ "$name" = plan ] && seeds+=("$BUILD/fuzz/seeds/elf" "$BUILD/fuzz/seeds/multiboot1" \
		"$BUILD/fuzz/seeds/bzimage")
	for d in "${seeds[@]}"; do
		[ -d "$d" ] && echo "$d"
	done
	real=$BUILD/fuzz/seeds-real/$name
	case $name in
	multiboot2)
		# The probes and Debian's Xen 4.17 (both headers, relocatable, EFI tags).
		mkdir -p "$real"
		cp -f "$BUILD"/kernels/mb2-elf.elf "$BUILD"/kernels/mb2-addr.bin "$real"/ 2>/dev/null
		for x in /boot/xen-4.17-amd64.gz "${XDG_CACHE_HOME:-$HOME/.cache}/pvhboot/debian/xen.gz"; do
			[ -f "$x" ] && gzip -dc "$x" | head -c 65536 >"$real/xen-4.17" && break
		done
		echo "$real"
		;;
	discover)
		# Disks holding the real configs, made by mke2fs, mkfs.fat/mcopy and sfdisk.
		discover_seeds "$real" "$BUILD/fuzz/discover-work"
		echo "$real"
		;;
	config_*)
		# Real configs (tests/config-corpus), each with the files it reads
		# after a "%%" line, as fuzz_config.h splits its input.
		config_seeds "$name" "$real"
		echo "$real"
		;;
	pe)
		# Real PE images: systemd's UKI stub and boot manager, iPXE, the loader itself.
		mkdir -p "$real"
		for x in /usr/lib/systemd/boot/efi/linuxx64.efi.stub \
			/usr/lib/systemd/boot/efi/systemd-bootx64.efi /usr/lib/ipxe/ipxe.efi \
			"$BUILD/pvhboot.efi"; do
			[ -f "$x" ] && cp -fL "$x" "$real/"
		done
		echo "$real"
		;;
	esac
}

# config_seeds NAME DIR: one seed a real config, the files it includes or
# reads (grubenv, custom.cfg, BLS entries, menus) joined after it.
config_seeds() {
	local c=tests/config-corpus d
	mkdir -p "$2"
	join() { local f first=1; for f; do [ $first = 1 ] || printf '\n%%%%\n'; cat "$f"; first=0; done; }
	case $1 in
	config_grub)
		for d in debian12 ubuntu2404; do
			join "$c/$d/boot/grub/grub.cfg" "$c/$d"/boot/grub/{grubenv,custom.cfg} 2>/dev/null >"$2/$d"
		done
		join "$c/fedora40/grub2/grub.cfg" "$c/fedora40/grub2/grubenv" "$c"/fedora40/loader/entries/*.conf >"$2/fedora40"
		;;
	config_native) join "$c/native/pvhboot.cfg" "$c/native/boot/pvhboot.d/xen.cfg" >"$2/native" ;;
	config_extlinux)
		join "$c/debian-installer/isolinux/isolinux.cfg" "$c"/debian-installer/isolinux/[!i]*.cfg >"$2/debian-installer"
		join "$c/alpine/extlinux.conf" >"$2/alpine"
		;;
	config_bls) join "$c"/fedora40/loader/entries/*.conf >"$2/fedora40" ;;
	esac
}

# discover_seeds DIR WORK: whole-disk ext4 and FAT filesystems holding
# tests/config-corpus's trees, and a GPT disk with both kinds, each cut
# after its last non-zero sector (the fuzz disk reads zeros past its input).
discover_seeds() {
	local out=$1 work c=$PWD/tests/config-corpus
	work=$(realpath -m "$2")
	[ -s "$out/gpt" ] && return 0
	rm -rf "$work" && mkdir -p "$out" "$work" || return 1
	trim() { python3 -c 'import sys
d = open(sys.argv[1], "rb").read().rstrip(b"\0")
open(sys.argv[2], "wb").write(d + b"\0" * (-len(d) % 512))' "$1" "$2"; }
	ext4() { mke2fs -q -F -t ext4 -b 1024 -N 64 -O ^has_journal,^resize_inode -d "$2" "$1" 1M >/dev/null; }
	fat() {
		mkfs.fat -C "$1" 1024 >/dev/null && (cd "$2" && MTOOLS_SKIP_CHECK=1 mcopy -s -i "$1" ./* ::/)
	}
	ext4 "$work/debian12" "$c/debian12" && trim "$work/debian12" "$out/ext4-debian12"
	ext4 "$work/fedora40" "$c/fedora40" && trim "$work/fedora40" "$out/ext4-fedora40-boot"
	fat "$work/native" "$c/native" && trim "$work/native" "$out/fat-native"
	fat "$work/alpine" "$c/alpine" && trim "$work/alpine" "$out/fat-alpine"
	# An ESP with a unified kernel image (systemd's stub, objcopy), when
	# systemd-boot-efi is installed.
	local stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
	if [ -f "$stub" ]; then
		mkdir -p "$work/uki/EFI/Linux"
		printf 'ID=debian\nVERSION_ID=12\nPRETTY_NAME="Debian GNU/Linux 12"\n' >"$work/osrel"
		printf '6.1.0-1-amd64' >"$work/uname"
		printf 'root=/dev/vda2 ro quiet' >"$work/cmdline"
		head -c 512 /dev/zero | tr '\0' 'L' >"$work/linux"
		objcopy --add-section .osrel="$work/osrel" --change-section-vma .osrel=0x20000 \
			--add-section .uname="$work/uname" --change-section-vma .uname=0x30000 \
			--add-section .cmdline="$work/cmdline" --change-section-vma .cmdline=0x40000 \
			--add-section .linux="$work/linux" --change-section-vma .linux=0x2000000 \
			"$stub" "$work/uki/EFI/Linux/debian-6.1.0-1.efi" &&
			fat "$work/esp-uki" "$work/uki" && trim "$work/esp-uki" "$out/fat-esp-uki"
	fi
	# GPT: an ESP-like FAT with the native config, then ext4 /boot (Fedora's).
	# The backup table at the disk's end is zeroed so the seed stays small:
	# the primary one is what is read.
	truncate -s 3M "$work/gpt"
	printf 'label: gpt\nstart=64, size=2048, type=U\nstart=2112, size=2048, type=L\n' |
		sfdisk -q "$work/gpt" >/dev/null &&
		dd if="$work/native" of="$work/gpt" bs=512 seek=64 conv=notrunc status=none &&
		dd if="$work/fedora40" of="$work/gpt" bs=512 seek=2112 conv=notrunc status=none &&
		dd if=/dev/zero of="$work/gpt" bs=512 seek=$((6144 - 33)) count=33 conv=notrunc status=none &&
		trim "$work/gpt" "$out/gpt"
	rm -rf "$work"
}

# fuzz_opts NAME: libFuzzer options for the target, one a line.
fuzz_opts() {
	case $1 in
	# Kernel images: room for a header anywhere in its window (multiboot2's is 32 KiB).
	elf | multiboot1 | bzimage | decompress | plan) echo -max_len=16384 ;;
	multiboot2) echo -max_len=40000 ;;
	# Device and backend scripts: a few hundred bytes of faults are plenty.
	virtio_blk | blkfront) echo -max_len=1024 ;;
	esac
}
