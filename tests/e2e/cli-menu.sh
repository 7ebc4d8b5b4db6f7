#!/bin/bash
# `pvhboot menu` on disks laid out as distributions leave them: which config
# wins on a volume, and what the menu then holds. Made with mke2fs -d from
# tests/config-corpus, changed where a case needs it.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
CLI=$BUILD/pvhboot
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
MID=9c3f1a6e2b8d4f7a8e5c1b2d3a4f6e7d

# menu_of IMAGE: `pvhboot menu IMAGE` into $out; has LINE: $out holds LINE.
menu_of() { out=$("$CLI" menu "$1" 2>&1); }
has() { printf '%s\n' "$out" | grep -qx -- "$1"; }
first_line() { printf '%s\n' "$out" | head -n 1; }

# Fedora's /boot after `grubby --set-default` picked the older kernel, with
# one entry in the pre-F33 style (`options $kernelopts`): grub.cfg calls
# blscfg, so it and its grubenv own the BLS entries.
T=$W/fedora
cp -r tests/config-corpus/fedora40 "$T"
sed -i "s/^saved_entry=.*/saved_entry=$MID-6.8.4-300.fc40.x86_64\nkernelopts=root=UUID=feed ro quiet/" "$T/grub2/grubenv"
sed -i 's/^options .*/options $kernelopts/' "$T/loader/entries/$MID-6.8.4-300.fc40.x86_64.conf"
mke2fs -q -F -t ext4 -d "$T" "$W/fedora.img" 16M >/dev/null
menu_of "$W/fedora.img"
older=$(printf '%s\n' "$out" | sed -n "/^entry [0-9]*: id=$MID-6.8.4-300/,/^entry/p")
if ! has "config: hd0:/grub2/grub.cfg"; then
	echo "not ok menu-fedora-blscfg: config not from grub.cfg: $(first_line)"
elif ! has "default: $MID-6.8.4-300.fc40.x86_64"; then
	echo "not ok menu-fedora-blscfg: grubenv's saved_entry ignored: $(printf '%s\n' "$out" | grep '^default')"
elif ! printf '%s\n' "$older" | grep -qx "  cmdline: root=UUID=feed ro quiet"; then
	echo "not ok menu-fedora-blscfg: \$kernelopts not expanded: $(printf '%s\n' "$older" | grep cmdline)"
else
	echo "ok menu-fedora-blscfg (grub.cfg owns the BLS entries: saved_entry, \$kernelopts)"
fi

# The same entries without a grub.cfg that calls blscfg (systemd-boot's
# layout): the BLS entries alone, newest first by default.
rm "$T/grub2/grub.cfg"
printf 'options root=/dev/sda2\n' >>"$T/loader/entries/$MID-6.8.4-300.fc40.x86_64.conf"
mke2fs -q -F -t ext4 -d "$T" "$W/bls.img" 16M >/dev/null
menu_of "$W/bls.img"
if ! has "config: hd0:/loader/entries"; then
	echo "not ok menu-bls: config not from the BLS entries: $(first_line)"
elif ! has "default: (first)" || ! has "entry 0: id=$MID-6.8.5-301.fc40.x86_64"; then
	echo "not ok menu-bls: $(printf '%s\n' "$out" | grep -m2 -E '^(default|entry)' | tr '\n' '|'), want the newest kernel first and default"
else
	echo "ok menu-bls (no blscfg caller: BLS entries, newest first)"
fi

# Debian's /boot: a grub.cfg without blscfg and no BLS entries, read once
# while looking for blscfg and parsed after the BLS entries are not found.
mke2fs -q -F -t ext4 -d tests/config-corpus/debian12 "$W/debian.img" 16M >/dev/null
menu_of "$W/debian.img"
if ! has "config: hd0:/boot/grub/grub.cfg"; then
	echo "not ok menu-grub: config not from grub.cfg: $(first_line)"
elif ! printf '%s\n' "$out" | grep -q "^entry 0: id=gnulinux-simple-"; then
	echo "not ok menu-grub: $(printf '%s\n' "$out" | grep -m1 '^entry')"
else
	echo "ok menu-grub (a grub.cfg without blscfg, after the BLS entries)"
fi

# Debian's 20_linux_xen entry (issue 11): multiboot2, the dom0 kernel then
# its initrd as modules in that order, "placeholder" kept first, and only
# the initrd passed as stored (--nounzip).
xen=$(printf '%s\n' "$out" | sed -n '/^entry 5: id=xen-gnulinux-simple-/,/^entry 6/p')
dev="(UUID=3f2c9d4e-8b1a-4e6f-9c7d-2a5b8e1f0c34)"
want_mod0="  module (unzip): $dev/boot/vmlinuz-6.1.0-18-amd64 placeholder root=UUID=3f2c9d4e-8b1a-4e6f-9c7d-2a5b8e1f0c34 ro quiet"
want_mod1="  module: $dev/boot/initrd.img-6.1.0-18-amd64 "
mods=$(printf '%s\n' "$xen" | grep '^  module')
if ! printf '%s\n' "$xen" | grep -qx "  protocol: multiboot2"; then
	echo "not ok menu-grub-xen: $(printf '%s\n' "$xen" | grep -m1 'protocol' || echo 'no protocol line')"
elif [ "$mods" != "$(printf '%s\n%s' "$want_mod0" "$want_mod1")" ]; then
	echo "not ok menu-grub-xen: modules $(printf '%s' "$mods" | tr '\n' '|')"
elif ! printf '%s\n' "$xen" | grep -qx "  cmdline: placeholder dom0_mem=2048M,max:2048M"; then
	echo "not ok menu-grub-xen: $(printf '%s\n' "$xen" | grep -m1 cmdline)"
else
	echo "ok menu-grub-xen (multiboot2, dom0 kernel then initrd, placeholder kept, --nounzip)"
fi

# Text from a disk never reaches the terminal as control: a BLS title that
# clears the screen and retitles the window, and an unknown key carrying a
# colour sequence (quoted in its warning), are printed with '?' instead.
T=$W/evil
mkdir -p "$T/loader/entries"
printf 'title Evil\033[2J\033]0;pwned\007 Linux\nlinux /vmlinuz\n\033[31mred x\n\302\233' \
	>"$T/loader/entries/evil.conf"
mke2fs -q -F -t ext4 -d "$T" "$W/evil.img" 16M >/dev/null
menu_of "$W/evil.img"
if printf '%s' "$out" | LC_ALL=C grep -q $'[\x1b\x07\x9b]'; then
	echo "not ok menu-sanitized: control bytes reach the terminal: $(printf '%s' "$out" | grep -m1 title | od -c | head -2 | tr -s ' \n' ' ')"
elif ! printf '%s\n' "$out" | grep -Fqx "  title: Evil?[2J?]0;pwned? Linux"; then
	echo "not ok menu-sanitized: $(printf '%s\n' "$out" | grep -m1 title)"
else
	echo "ok menu-sanitized (ESC, BEL and CSI in a title and a warning become '?')"
fi
