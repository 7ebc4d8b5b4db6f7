/* SPDX-License-Identifier: MIT */
/*
 * Secure Boot policy for the kernels pvhboot loads itself, and measured
 * boot (docs/efi.md "Secure Boot", "Measured boot").
 */
#ifndef PVHBOOT_BOOT_TRUST_H
#define PVHBOOT_BOOT_TRUST_H

#include "boot.h"
#include "discover.h"

/* PCRs, GRUB's convention: command lines in 8, files in 9. */
#define TRUST_PCR_CMDLINE 8
#define TRUST_PCR_FILES 9

/* Whether the platform enforces Secure Boot. */
bool trust_enforcing(const struct boot_platform *p);

/*
 * trust_check() - under Secure Boot, whether @req (loaded for entry @e of
 * @bm) may boot. A PE image the platform starts is verified by it; any
 * other kernel and each of its modules must carry a sha256 pin (already
 * compared when the file was read) in a config whose SHA-256 is enrolled
 * in the loader. Returns 0 or -EACCES (logged, naming what is missing).
 */
int trust_check(const struct boot_platform *p, const struct boot_menu *bm,
		const struct menu_entry *e, const struct boot_request *req);

/*
 * trust_measure() - extend the TPM with what pvhboot hands over itself:
 * the config the menu came from (once), and for a kernel it plans (not a
 * PE image, which the firmware measures, nor its initrds and command line,
 * which the Linux EFI stub measures) the kernel, each module and the
 * command line.
 */
void trust_measure(const struct boot_platform *p, const struct boot_menu *bm,
		   const struct boot_request *req);

#endif
