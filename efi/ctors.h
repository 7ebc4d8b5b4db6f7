/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_CTORS_H
#define PVHBOOT_EFI_CTORS_H

/*
 * efi_run_constructors() - call the .init_array entries the static decoder
 * libraries carry (see efi/init_array.lds), once, before any decoder runs.
 * gnu-efi 3.0.15's crt0 does not.
 */
void efi_run_constructors(void);

#endif
