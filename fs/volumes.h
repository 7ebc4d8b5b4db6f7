/* SPDX-License-Identifier: MIT */
/*
 * Every readable filesystem on every block device, and the path syntax
 * configs and the command line use to name files on them:
 *
 *   /boot/vmlinuz                 on the default volume (the config's own)
 *   (vda2)/boot/vmlinuz           device name, with partition number
 *   (hd0,gpt2)/vmlinuz            GRUB style: device index, partition
 *   (hd1)/vmlinuz                 a whole, unpartitioned device
 *   (UUID=1234-ABCD)/vmlinuz      filesystem UUID (case-insensitive)
 *   (LABEL=boot)/vmlinuz          filesystem label
 *   (PARTUUID=...)/vmlinuz        GPT unique partition GUID
 *   (PARTLABEL=boot)/vmlinuz      GPT partition name
 */
#ifndef PVHBOOT_FS_VOLUMES_H
#define PVHBOOT_FS_VOLUMES_H

#include "fs.h"

/* Documented limit: mounted filesystems over all devices. */
#define VOLUMES_MAX 64

struct mounted {
	struct volume vol;
	struct fs *fs;
	unsigned dev_index;      /* blockdev index: hdN */
	char uuid[48];
	char label[64];
	char part_uuid[37];      /* GPT only, "" otherwise */
};

/* Scan every registered block device for partitions and filesystems. */
void volumes_discover(void);
unsigned volumes_count(void);
struct mounted *volumes_get(unsigned i);

/*
 * path_resolve() - split @spec into a volume and a path on it. @def is the
 * volume for paths without a (DEV) prefix (may be NULL: then -ENOENT).
 * Returns 0, -ENODEV (no such device), -EINVAL (malformed spec).
 */
int path_resolve(const char *spec, struct mounted *def, struct mounted **vol, const char **path);

/* Read a whole file named by @spec (see above), at most @max bytes. */
int path_read_file(const char *spec, struct mounted *def, size_t max, void **out, size_t *size);

#endif
