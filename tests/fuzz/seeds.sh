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
