/* SPDX-License-Identifier: MIT */
/*
 * The EFI benchmark's limit (tests/bench/efi.sh): the fastest a loader
 * could pull the initrd's bytes through the firmware's Block I/O, with no
 * file system in the way.
 *
 * Booted as \EFI\BOOT\BOOTX64.EFI, it takes the Block I/O of the partition
 * it was loaded from (the ESP) and reads one byte range of it, the one
 * \bench\blockio.opt names:
 *
 *   offset=BYTES bytes=BYTES crc32=XXXXXXXX chunks=BYTES,BYTES,...
 *
 * The script computes the range from the FAT: the initrd's own clusters,
 * which mkfs.fat + mcopy lay out in one contiguous run, so these are the
 * very bytes the loaders read. Each chunk size gets its own pass into its
 * own freshly allocated buffer, because a loader fills memory it has not
 * touched before, and under QEMU the first touch of a guest page costs the
 * host a fault and a zeroed page (docs/bench.md); a buffer reused from an
 * earlier pass would not pay that and would flatter the limit. Each pass
 * prints
 *
 *   BENCH blockio BYTES NS tsc KHZ kHz chunk CHUNK fresh crc XXXXXXXX at 0xADDRESS
 *
 * timed from the first ReadBlocks call to the return of the last, and its
 * CRC-32 must match: a pass that read the wrong bytes does not count. A
 * second pass per chunk size into the first buffer, whose pages are backed
 * by then, prints "BENCH blockio-warm ...": the I/O path alone.
 */
#include "bench_efi.h"

#define OPT_PATH L"\\bench\\blockio.opt"
#define OPT_MAX 512
#define MAX_CHUNKS 8

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID block_io_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
static EFI_GUID simple_fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

struct options {
	uint64_t offset, bytes;
	uint32_t crc;
	uint64_t chunks[MAX_CHUNKS];
	unsigned nr_chunks;
};

static int fail(const char *why)
{
	e9_str("BENCH error ");
	e9_str(why);
	e9_str("\n");
	return 0;
}

/* The options file from the volume this image was loaded from, NUL-terminated. */
static int read_options(EFI_BOOT_SERVICES *bs, EFI_HANDLE device, char *buf, UINTN cap)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_FILE_HANDLE root, file;
	if (EFI_ERROR(bs->HandleProtocol(device, &simple_fs_guid, (void **)&fs)) ||
	    EFI_ERROR(fs->OpenVolume(fs, &root)))
		return fail("no file system on the boot partition");
	EFI_STATUS st = root->Open(root, &file, OPT_PATH, EFI_FILE_MODE_READ, 0);
	root->Close(root);
	if (EFI_ERROR(st))
		return fail("no \\bench\\blockio.opt");
	UINTN len = cap - 1;
	st = file->Read(file, &len, buf);
	file->Close(file);
	if (EFI_ERROR(st))
		return fail("reading \\bench\\blockio.opt");
	buf[len] = 0;
	return 1;
}

static const char *number(const char *p, unsigned base, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = p;
	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else
			break;
		v = v * base + d;
	}
	*out = v;
	return p == start ? NULL : p;
}

/* Whether @p starts with @key. */
static int key(const char *p, const char *k)
{
	while (*k)
		if (*p++ != *k++)
			return 0;
	return 1;
}

static int parse(const char *p, struct options *o)
{
	uint64_t v;
	*o = (struct options){ 0 };
	while (p && *p) {
		if (*p == ' ' || *p == '\n' || *p == '\r') {
			p++;
		} else if (key(p, "offset=")) {
			p = number(p + 7, 10, &o->offset);
		} else if (key(p, "bytes=")) {
			p = number(p + 6, 10, &o->bytes);
		} else if (key(p, "crc32=")) {
			p = number(p + 6, 16, &v);
			o->crc = (uint32_t)v;
		} else if (key(p, "chunks=")) {
			p += 7;
			do {
				if (o->nr_chunks == MAX_CHUNKS || !(p = number(p, 10, &v)))
					return fail("bad chunks=");
				o->chunks[o->nr_chunks++] = v;
			} while (*p == ',' && p++);
		} else {
			return fail("unknown word in \\bench\\blockio.opt");
		}
	}
	if (!p)
		return fail("bad number in \\bench\\blockio.opt");
	return o->bytes && o->nr_chunks ? 1 : fail("bytes= and chunks= are needed");
}

/* Ticks to read the range into @buf, @chunk bytes per ReadBlocks; 0 on failure. */
static uint64_t timed_read(EFI_BLOCK_IO *bio, const struct options *o, uint64_t chunk, uint8_t *buf)
{
	UINT32 bs = bio->Media->BlockSize;
	uint64_t start = bench_rdtsc();
	for (uint64_t done = 0; done < o->bytes;) {
		uint64_t n = o->bytes - done < chunk ? o->bytes - done : chunk;
		EFI_STATUS st = bio->ReadBlocks(bio, bio->Media->MediaId, (o->offset + done) / bs,
						(UINTN)n, buf + done);
		if (EFI_ERROR(st))
			return fail("ReadBlocks failed");
		done += n;
	}
	return bench_rdtsc() - start;
}

static void report(const char *what, const struct options *o, uint64_t ticks, uint64_t khz,
		   uint64_t chunk)
{
	e9_str("BENCH ");
	e9_str(what);
	e9_str(" ");
	e9_u64(o->bytes);
	e9_str(" ");
	e9_u64(bench_ticks_ns(ticks, khz));
	e9_str(" tsc ");
	e9_u64(khz);
	e9_str(" kHz chunk ");
	e9_u64(chunk);
}

static int run(EFI_HANDLE image, EFI_BOOT_SERVICES *bs)
{
	EFI_LOADED_IMAGE *li;
	EFI_BLOCK_IO *bio;
	static char text[OPT_MAX];
	struct options o;

	if (EFI_ERROR(bs->HandleProtocol(image, &loaded_image_guid, (void **)&li)))
		return fail("no LoadedImage");
	if (EFI_ERROR(bs->HandleProtocol(li->DeviceHandle, &block_io_guid, (void **)&bio)))
		return fail("no Block I/O on the boot partition");
	if (!read_options(bs, li->DeviceHandle, text, sizeof(text)) || !parse(text, &o))
		return 0;
	const EFI_BLOCK_IO_MEDIA *m = bio->Media;
	uint64_t medium = (m->LastBlock + 1) * m->BlockSize;
	if (o.offset % m->BlockSize || o.bytes % m->BlockSize || o.offset > medium ||
	    o.bytes > medium - o.offset)
		return fail("the range is not whole blocks of the partition");
	/* Page-aligned buffers and page-multiple chunks satisfy any IoAlign up to 4 KiB. */
	if (m->IoAlign > EFI_PAGE_SIZE)
		return fail("IoAlign above 4 KiB");
	for (unsigned i = 0; i < o.nr_chunks; i++)
		if (!o.chunks[i] || o.chunks[i] % EFI_PAGE_SIZE)
			return fail("a chunk is not a multiple of 4 KiB");
	uint64_t khz = bench_tsc_khz(bs);
	if (!khz)
		return fail("Stall failed: no TSC rate");
	e9_str("BENCH-INFO block ");
	e9_u64(m->BlockSize);
	e9_str(" io_align ");
	e9_u64(m->IoAlign);
	e9_str(" partition ");
	e9_u64(m->LogicalPartition);
	e9_str("\n");

	uint8_t *first = NULL;
	for (unsigned i = 0; i < o.nr_chunks; i++) {
		uint8_t *buf = bench_pages(bs, o.bytes);
		if (!buf)
			return fail("no memory for a fresh buffer");
		first = first ? first : buf;
		uint64_t ticks = timed_read(bio, &o, o.chunks[i], buf);
		if (!ticks)
			return 0;
		uint32_t crc = bench_crc32(buf, (size_t)o.bytes);
		report("blockio", &o, ticks, khz, o.chunks[i]);
		e9_str(" fresh crc ");
		e9_hex32(crc);
		e9_str(" at 0x");
		e9_hex32((uint32_t)((uintptr_t)buf >> 32));
		e9_hex32((uint32_t)(uintptr_t)buf);
		e9_str("\n");
		if (crc != o.crc)
			return fail("CRC-32 mismatch: the range is not the initrd");
	}
	for (unsigned i = 0; i < o.nr_chunks; i++) {
		uint64_t ticks = timed_read(bio, &o, o.chunks[i], first);
		if (!ticks)
			return 0;
		report("blockio-warm", &o, ticks, khz, o.chunks[i]);
		e9_str("\n");
	}
	e9_str("BENCH done\n");
	return 1;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	e9_str("BENCH-EFI blockio reader\n");
	bench_exit(st, run(image, st->BootServices));
}
