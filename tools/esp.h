/* SPDX-License-Identifier: MIT */
/*
 * The EFI System Partition the install commands write to: a mounted
 * directory (a live system: /boot/efi, /efi, or --esp DIR) or the FAT
 * partition of a disk image found by its GPT type (--esp/--image FILE),
 * written without mounting through mtools (mcopy -i IMAGE@@OFFSET) and
 * read through the loader's own FAT driver.
 *
 * Every write goes to a temporary name first and is renamed over the
 * final one, so an interrupted install leaves the old copy or the new one,
 * never half an image; space and writability are checked before the
 * first byte is written, so a refusal leaves the ESP exactly as it was.
 */
#ifndef PVHBOOT_TOOLS_ESP_H
#define PVHBOOT_TOOLS_ESP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#define ESP_TYPE_GUID "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"

struct esp {
	bool image;              /* a FAT partition inside a file, else a directory */
	char path[PATH_MAX];     /* the mount point or the image file */
	uint64_t offset, size;   /* image: the partition's bytes in the file */
	/* The partition, for a boot entry's HD() node; known for GPT images and, live, from sysfs. */
	bool gpt;
	unsigned partno;
	uint64_t start_lba, nr_lba;
	uint8_t part_guid[16];   /* EFI_GUID byte order */
	char disk[PATH_MAX];     /* live: the whole-disk block device, for efibootmgr */
};

/*
 * esp_find() - the ESP named by @spec (a directory or an image file), or,
 * with @spec NULL, the one mounted at /boot/efi or /efi. Prints the reason
 * and returns -ENOENT (none), -ENODEV (no FAT ESP in the image) or -E*.
 */
int esp_find(const char *spec, struct esp *out);

/* "/EFI/pvhboot/pvhboot.efi" style paths, '/' separated, from the ESP's root. */
int esp_read(const struct esp *esp, const char *path, void **data, size_t *len);

/*
 * esp_check_writable() - refuse (with a message) before writing anything
 * when the ESP is read-only or has less than @need bytes free (plus room
 * for a temporary copy and directory clusters). 0, -EROFS or -ENOSPC.
 */
int esp_check_writable(const struct esp *esp, uint64_t need);

/* esp_write() - @path replaced whole (temporary name, then rename), its directories made. */
int esp_write(const struct esp *esp, const char *path, const void *data, size_t len);

/* A human description: "/boot/efi" or "disk.img partition 1 (offset 1048576)". */
const char *esp_describe(const struct esp *esp);

#endif
