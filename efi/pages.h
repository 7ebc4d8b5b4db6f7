/* SPDX-License-Identifier: MIT */
#ifndef PVHBOOT_EFI_PAGES_H
#define PVHBOOT_EFI_PAGES_H

/*
 * efi_heap_init() - make malloc() take its pages from the firmware's
 * AllocatePages while boot services run (core/heap.h). Before this call
 * malloc would ask core's page allocator, which the EFI platform does not
 * set up.
 */
void efi_heap_init(void);

#endif
