#!/bin/sh
# check-so.sh SO [MAP]: fail unless the linked shared object SO becomes a
# working PE image under gnu-efi's scheme. Three things can go silently wrong:
#
# 1. Relocations. The PE image carries no real base relocations: crt0 calls
#    _relocate() (gnu-efi lib/reloc_x86_64.c), which walks the DT_RELA table
#    and applies only R_X86_64_RELATIVE, skipping R_X86_64_NONE. Any other
#    type (an absolute symbol reference, a GOT/PLT entry for an undefined
#    symbol, an IRELATIVE for an ifunc) would fail at boot or leave a wrong
#    pointer. Linux's EFI stub refuses absolute references the same way
#    (libstub's Makefile runs objdump -r over its objects). And every RELA
#    section must lie inside DT_RELA: _relocate never sees the others.
#
# 2. Sections. objcopy copies only the sections efi/efi.lds lays out for
#    the image. An allocated section the script does not name (an orphan
#    such as .init_array) is simply
#    not in the PE: its variables would live in memory the firmware never
#    loaded or zeroed.
#
# 3. Constructors. Nothing runs .init_array entries in the EFI image (crt0
#    does not, and gnu-efi's script does not keep them), so a library
#    object that needs one must not be linked; the linker MAP shows whether
#    one was discarded (efi/lzma_crc64.c exists for that reason).
set -eu
so=$1
map=${2:-}
fail() {
	echo "error: $so: $*" >&2
	exit 1
}

# --- relocations ---
types=$(readelf -rW "$so" | awk '$3 ~ /^R_/ { print $3 }')
bad=$(printf '%s\n' "$types" | grep -v -x -e R_X86_64_RELATIVE -e R_X86_64_NONE -e '' |
	sort | uniq -c | tr -s ' \n' ' ' || true)
[ -z "$bad" ] || fail "relocations the gnu-efi self-relocator cannot apply:$bad(build every EFI object with -fpic, and leave no symbol undefined)"

listed=$(printf '%s\n' "$types" | grep -c . || true)
dyn=$(readelf -dW "$so")
if printf '%s\n' "$dyn" | grep -q '(REL)\|(RELR)'; then
	fail "REL/RELR tables, but _relocate reads only RELA"
fi
relasz=$(printf '%s\n' "$dyn" | awk '$2 == "(RELASZ)" { print $3 }')
relaent=$(printf '%s\n' "$dyn" | awk '$2 == "(RELAENT)" { print $3 }')
if [ -n "$relasz" ]; then
	[ "${relaent:-0}" -gt 0 ] || fail "DT_RELAENT missing"
	covered=$((relasz / relaent))
	[ "$covered" -eq "$listed" ] ||
		fail "DT_RELA covers $covered relocations but the sections hold $listed: some would never be applied"
elif [ "$listed" -ne 0 ]; then
	fail "$listed relocations but no DT_RELA table"
fi

# --- sections ---
# Copied into the PE (see the objcopy rule in efi/build.mk), or needed only
# at link time (.hash, .gnu.hash, .dynstr, the ignored .eh_frame and notes).
lost=$(readelf -SW "$so" | sed -n 's/^ *\[ *[0-9]*\] //p' |
	awk '$1 != "NULL" && $0 ~ / [WAX]*A[WAX]* / { print $1 }' |
	grep -v -x -e .text -e .sdata -e .data -e .bss -e .dynamic -e .dynsym -e '.rela\{0,1\}' \
		-e '.rela\{0,1\}\..*' -e .reloc -e .hash -e .gnu.hash -e .dynstr \
		-e .eh_frame -e .note.gnu.build-id -e .ignored.reloc -e .sbat -e .pvhcfg |
	tr '\n' ' ' || true)
[ -z "$lost" ] || fail "allocated sections the PE image would leave out: $lost(efi/efi.lds does not place them)"
# Each copied section becomes a PE section, which must start on a
# SectionAlignment (4 KiB) boundary.
unaligned=$(readelf -SW "$so" | sed -n 's/^ *\[ *[0-9]*\] //p' |
	awk '$1 ~ /^\.(text|sdata|data|bss|dynamic|dynsym|rela?(\..*)?|reloc|sbat|pvhcfg)$/ && $3 ~ /[1-9a-f]..$|[1-9a-f].$|[1-9a-f]$/ { print $1 "@0x" $3 }' |
	tr '\n' ' ')
[ -z "$unaligned" ] || fail "PE sections not on a 4 KiB boundary: $unaligned"

# --- constructors ---
if [ -n "$map" ]; then
	ctors=$(sed -n '/^Discarded input sections/,/^Memory Configuration/p' "$map" |
		awk '$1 ~ /^\.(init_array|ctors)/ {
			line = $0
			if (NF < 4) { getline more; line = line " " more } # long names wrap
			print line
		}' |
		grep -o '[^ ]*\.a([^)]*)\|[^ ]*\.o$' | sort -u | tr '\n' ' ' || true)
	[ -z "$ctors" ] || fail "constructors that would never run, from: $ctors"
fi
exit 0
