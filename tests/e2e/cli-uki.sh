#!/bin/bash
# `pvhboot menu` on an ESP holding unified kernel images (BLS type #2) built
# with objcopy on systemd-boot's stub: titled from .osrel and .uname, ordered
# newest first, and the bad ones (truncated headers, no .linux) warned about
# and left out. The loader builds its menu with the same code.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
CLI=$BUILD/pvhboot
STUB=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
[ -f "$STUB" ] || { echo "not ok cli-uki: $STUB missing (apt-get install systemd-boot-efi)"; exit 1; }

head -c 5000 /dev/urandom >"$W/linux"
uki() { # OUT OSREL [UNAME]
	local args=(--add-section .osrel="$W/$1.osrel" --change-section-vma .osrel=0x20000)
	printf '%b' "$2" >"$W/$1.osrel"
	if [ -n "${3:-}" ]; then
		printf '%s' "$3" >"$W/$1.uname"
		args+=(--add-section .uname="$W/$1.uname" --change-section-vma .uname=0x30000)
	fi
	objcopy "${args[@]}" --add-section .linux="$W/linux" --change-section-vma .linux=0x2000000 \
		"$STUB" "$W/$1.efi"
}
uki old 'ID=debian\nVERSION_ID=11\nPRETTY_NAME="Debian GNU/Linux 11"\n' 5.10.0-1-amd64
uki new 'ID=debian\nVERSION_ID=12\nPRETTY_NAME="Debian GNU/Linux 12"\n' 6.1.0-1-amd64
uki noname 'ID=plain\nVERSION_ID=3\n'
head -c 300 "$W/new.efi" >"$W/trunc.efi"
cp "$STUB" "$W/nolinux.efi"
mkfs.fat -C -F 32 "$W/esp.img" 65536 >/dev/null
mmd -i "$W/esp.img" ::/EFI ::/EFI/Linux
for f in old new noname trunc nolinux; do mcopy -i "$W/esp.img" "$W/$f.efi" ::/EFI/Linux/; done
out=$("$CLI" menu "$W/esp.img" 2>&1)
titles=$(printf '%s\n' "$out" | sed -n 's/^  title: //p' | tr '\n' '|')
want="Debian GNU/Linux 12 (6.1.0-1-amd64)|Debian GNU/Linux 11 (5.10.0-1-amd64)|plain (3)|"
if [ "$titles" != "$want" ]; then
	echo "not ok cli-uki titles: '$titles', want '$want'"
else
	echo "ok cli-uki titles and order ($titles)"
fi
if printf '%s\n' "$out" | grep -q "trunc.efi: not a unified kernel image (malformed PE)" &&
	printf '%s\n' "$out" | grep -q "nolinux.efi: not a unified kernel image (no .linux section)"; then
	echo "ok cli-uki bad images warned about and left out"
else
	echo "not ok cli-uki bad images: $(printf '%s' "$out" | grep warning | tr '\n' '|')"
fi
