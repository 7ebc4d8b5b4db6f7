/* SPDX-License-Identifier: MIT */
/*
 * The firmware's block devices as pvhboot block devices
 * (EFI_BLOCK_IO_PROTOCOL, UEFI 2.10 §13.9). Only whole media are used: the
 * firmware adds a Block I/O handle for every partition it recognises, but
 * pvhboot reads the partition tables itself (fs/partition.c), and its
 * ext4 and ISO 9660 drivers read what the firmware's FAT driver cannot.
 * Writes (a grubenv block, fs/blockdev.h) go through WriteBlocks and
 * FlushBlocks.
 */
#include "blockio.h"
#include "status.h"
#include "core/errno.h"
#include "core/log.h"
#include "fs/blockdev.h"

/*
 * Bytes per ReadBlocks call. OVMF's virtio-blk driver sends one request
 * per call and waits for it, so every call costs a fixed round trip (about
 * 90 us under QEMU TCG): 8 MiB calls ran 10-20 % faster than 4 MiB ones,
 * 16 MiB ones a few percent more at best (docs/bench-efi.md). 8 MiB is
 * what fs_read_file() asks for at a time, so a file read makes one call
 * per step.
 */
#define EFI_XFER_BYTES (8u << 20)

struct efi_blockdev {
	struct blockdev dev; /* first: read() gets this pointer back */
	EFI_BLOCK_IO *bio;
	UINT32 media_id;
	UINT32 io_align;  /* the buffer alignment ReadBlocks needs; 0 or 1: none */
	uint8_t *bounce;  /* EFI_XFER_BYTES, io_align-aligned, made on first need */
	uint8_t *bounce_mem;
};

static bool aligned(const void *p, UINT32 align)
{
	return align <= 1 || (uintptr_t)p % align == 0;
}

/* The firmware's ReadBlocks for one transfer, into @buf or through the bounce buffer. */
static int read_some(struct efi_blockdev *b, uint64_t lba, uint64_t bytes, uint8_t *buf)
{
	void *target = buf;
	if (!aligned(buf, b->io_align)) {
		if (!b->bounce) {
			/* IoAlign is a power of two (UEFI 2.10 §13.9); the heap gives 16. */
			b->bounce_mem = malloc(EFI_XFER_BYTES + b->io_align);
			if (!b->bounce_mem)
				return log_err(-ENOMEM, "%s: no bounce buffer", b->dev.name);
			b->bounce = (uint8_t *)ALIGN_UP((uintptr_t)b->bounce_mem, b->io_align);
		}
		target = b->bounce;
	}
	EFI_STATUS st = uefi_call_wrapper(b->bio->ReadBlocks, 5, b->bio, b->media_id, lba,
					  (UINTN)bytes, target);
	/* Whatever the firmware's reason, the block layer's word for it is -EIO. */
	if (EFI_ERROR(st))
		return log_err(-EIO, "%s: ReadBlocks of %lu bytes at block %lu failed: %s",
			       b->dev.name, (unsigned long)bytes, (unsigned long)lba,
			       efi_status_name(st));
	if (target != buf)
		memcpy(buf, target, bytes);
	return 0;
}

static int efi_read(struct blockdev *dev, uint64_t lba, uint64_t count, void *buf)
{
	struct efi_blockdev *b = (struct efi_blockdev *)dev;
	uint8_t *out = buf;
	uint64_t per_call = EFI_XFER_BYTES / dev->sector_size;

	if (lba > dev->nr_sectors || count > dev->nr_sectors - lba)
		return -EINVAL;
	while (count) {
		uint64_t n = MIN(count, per_call);
		int rc = read_some(b, lba, n * dev->sector_size, out);
		if (rc)
			return rc;
		lba += n;
		count -= n;
		out += n * dev->sector_size;
	}
	return 0;
}

/*
 * WriteBlocks, then FlushBlocks (UEFI 2.10 §13.9): the write is on the
 * medium, not in a firmware or device cache, when this returns 0. A medium
 * the firmware calls read-only is never written (blockdev.read_only, and
 * again here, since Media may change with a removable medium).
 */
static int efi_write(struct blockdev *dev, uint64_t lba, uint64_t count, const void *buf)
{
	struct efi_blockdev *b = (struct efi_blockdev *)dev;
	uint64_t bytes = count * dev->sector_size;
	const void *src = buf;

	if (b->bio->Media->ReadOnly || b->bio->Media->MediaId != b->media_id)
		return log_err(-EROFS, "%s: read-only or changed medium; not written", dev->name);
	if (lba > dev->nr_sectors || count > dev->nr_sectors - lba || bytes > EFI_XFER_BYTES)
		return -EINVAL;
	if (!aligned(buf, b->io_align)) {
		if (!b->bounce) {
			b->bounce_mem = malloc(EFI_XFER_BYTES + b->io_align);
			if (!b->bounce_mem)
				return log_err(-ENOMEM, "%s: no bounce buffer", dev->name);
			b->bounce = (uint8_t *)ALIGN_UP((uintptr_t)b->bounce_mem, b->io_align);
		}
		memcpy(b->bounce, buf, bytes);
		src = b->bounce;
	}
	EFI_STATUS st = uefi_call_wrapper(b->bio->WriteBlocks, 5, b->bio, b->media_id, lba,
					  (UINTN)bytes, (void *)(uintptr_t)src);
	if (EFI_ERROR(st))
		return log_err(st == EFI_WRITE_PROTECTED ? -EROFS : -EIO,
			       "%s: WriteBlocks of %lu bytes at block %lu failed: %s", dev->name,
			       (unsigned long)bytes, (unsigned long)lba, efi_status_name(st));
	st = uefi_call_wrapper(b->bio->FlushBlocks, 1, b->bio);
	if (EFI_ERROR(st))
		return log_err(-EIO, "%s: FlushBlocks failed: %s", dev->name, efi_status_name(st));
	return 0;
}

/* 1 when @handle's medium was registered, 0 when it is not one to use, or -E*. */
static int add_one(EFI_HANDLE handle, unsigned index)
{
	EFI_BLOCK_IO *bio;
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, handle, &BlockIoProtocol,
					  (void **)&bio);
	if (EFI_ERROR(st))
		return efi_fail(st, "HandleProtocol (Block I/O)");
	const EFI_BLOCK_IO_MEDIA *m = bio->Media;
	if (!m || !m->MediaPresent || m->LogicalPartition || m->LastBlock == UINT64_MAX)
		return 0;
	if (!IS_POW2(m->BlockSize) || m->BlockSize < 512 || m->BlockSize > EFI_XFER_BYTES ||
	    (m->IoAlign > 1 && !IS_POW2(m->IoAlign))) {
		log_warn("efi: disk %u: block size %u, IoAlign %u not supported: skipped", index,
			 m->BlockSize, m->IoAlign);
		return 0;
	}
	struct efi_blockdev *b = calloc(1, sizeof(*b));
	if (!b)
		return log_err(-ENOMEM, "efi: no memory for a block device");
	/* A letter, as vda: partition names then read "efia2", not "efi02". */
	fmt_snprintf(b->dev.name, sizeof(b->dev.name), "efi%c", (char)('a' + index));
	b->dev.sector_size = m->BlockSize;
	b->dev.nr_sectors = m->LastBlock + 1;
	b->dev.read_only = m->ReadOnly;
	b->dev.removable = m->RemovableMedia;
	b->dev.read = efi_read;
	b->dev.write = efi_write;
	b->bio = bio;
	b->media_id = m->MediaId;
	b->io_align = m->IoAlign;
	int rc = blockdev_register(&b->dev);
	if (rc) {
		free(b);
		return log_err(rc, "efi: disk %u not registered", index);
	}
	return 1;
}

int efi_blockio_register(void)
{
	UINTN count = 0;
	EFI_HANDLE *handles = NULL;
	unsigned added = 0;
	EFI_STATUS st = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol, &BlockIoProtocol,
					  NULL, &count, &handles);
	if (st == EFI_NOT_FOUND)
		return 0;
	if (EFI_ERROR(st))
		return efi_fail(st, "LocateHandleBuffer (Block I/O)");
	for (UINTN i = 0; i < count; i++) {
		/* One bad handle must not cost the others. */
		if (add_one(handles[i], added) == 1)
			added++;
	}
	st = uefi_call_wrapper(BS->FreePool, 1, handles);
	if (EFI_ERROR(st))
		(void)efi_fail(st, "FreePool (handle buffer)");
	log_info("disks: %u whole medium(s) registered", added);
	return 0;
}
