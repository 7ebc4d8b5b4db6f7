# Sourced by tests/fuzz/run.sh and campaign.sh: where each target's inputs
# come from and the options it runs with, so the smoke run and the
# campaign fuzz alike. Needs BUILD and IMAGES.

# fuzz_dirs NAME: the corpus, then every seed directory there is, one a line.
fuzz_dirs() {
	local name=$1 d real
	local seeds=("$BUILD/fuzz/seeds/$name" "$IMAGES/$name/fuzz-seeds")
	mkdir -p "$BUILD/fuzz/corpus/$name"
	echo "$BUILD/fuzz/corpus/$name"
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
