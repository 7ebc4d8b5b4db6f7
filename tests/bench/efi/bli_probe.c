/* SPDX-License-Identifier: MIT */
/*
 * The "kernel" systemd-boot starts in the EFI benchmark (tests/bench/efi.sh).
 *
 * systemd-boot reads a Type #1 entry's initrds into memory before it starts
 * the entry's EFI image, and it stamps two Boot Loader Interface variables
 * (vendor 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f, UTF-16 decimal strings):
 * LoaderTimeInitUSec when it starts, LoaderTimeExecUSec just before
 * StartImage. This image prints, on port 0xE9:
 *
 *   BENCH bli INIT_US EXEC_US tsc TSC kHz KHZ
 *
 * where TSC is its own first RDTSC, a moment after EXEC_US was taken; with
 * QEMU's TSC counting from 0 at VM start that lets the script tell how
 * fast systemd-boot's clock (calibrated over one 1 ms Stall) really ran.
 * KHZ is this image's own calibration, for reference. Then
 *
 *   BENCH initrd BYTES crc XXXXXXXX
 *
 * for the initrd systemd-boot hands over through LoadFile2 on the
 * LINUX_EFI_INITRD_MEDIA_GUID device path, so the script can check that
 * the bytes it timed were the file's.
 */
#include "bench_efi.h"

/* LINUX_EFI_INITRD_MEDIA_GUID, Linux's include/linux/efi.h. */
#define INITRD_MEDIA_GUID \
	{ 0x5568e427, 0x68fc, 0x4f3d, { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } }
/* EFI_LOAD_FILE2_PROTOCOL_GUID (UEFI 2.10 §13.2); same call as LoadFile. */
#define LOAD_FILE2_GUID \
	{ 0x4006c0c1, 0xfcb3, 0x403e, { 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d } }
#define LOADER_GUID \
	{ 0x4a67b082, 0x0a4c, 0x41cf, { 0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f } }

static EFI_GUID load_file2_guid = LOAD_FILE2_GUID;
static EFI_GUID loader_guid = LOADER_GUID;

/* The vendor media node and the end node, as one device path. */
static struct __attribute__((packed)) {
	VENDOR_DEVICE_PATH vendor;
	EFI_DEVICE_PATH end;
} initrd_path = {
	.vendor = { { MEDIA_DEVICE_PATH, MEDIA_VENDOR_DP, { sizeof(VENDOR_DEVICE_PATH), 0 } },
		    INITRD_MEDIA_GUID },
	.end = { END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE, { sizeof(EFI_DEVICE_PATH), 0 } },
};

/* A Boot Loader Interface time variable in microseconds; 0 when absent or not a number. */
static uint64_t var_usec(EFI_RUNTIME_SERVICES *rt, CHAR16 *name)
{
	CHAR16 text[32];
	UINTN size = sizeof(text) - sizeof(CHAR16);
	uint64_t v = 0;
	if (EFI_ERROR(rt->GetVariable(name, &loader_guid, NULL, &size, text)))
		return 0;
	for (UINTN i = 0; i < size / sizeof(CHAR16) && text[i]; i++) {
		if (text[i] < '0' || text[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	return v;
}

/* Print the initrd's size and CRC-32; 0 if there is none to read. */
static int check_initrd(EFI_BOOT_SERVICES *bs)
{
	EFI_DEVICE_PATH *dp = (EFI_DEVICE_PATH *)&initrd_path;
	EFI_HANDLE handle;
	EFI_LOAD_FILE_PROTOCOL *lf;
	UINTN size = 0;

	if (EFI_ERROR(bs->LocateDevicePath(&load_file2_guid, &dp, &handle)) ||
	    EFI_ERROR(bs->HandleProtocol(handle, &load_file2_guid, (void **)&lf))) {
		e9_str("BENCH error no initrd (LoadFile2 on the initrd media path)\n");
		return 0;
	}
	dp = (EFI_DEVICE_PATH *)&initrd_path;
	if (lf->LoadFile(lf, dp, FALSE, &size, NULL) != EFI_BUFFER_TOO_SMALL || !size) {
		e9_str("BENCH error LoadFile2 gives no size\n");
		return 0;
	}
	void *buf = bench_pages(bs, size);
	if (!buf || EFI_ERROR(lf->LoadFile(lf, dp, FALSE, &size, buf))) {
		e9_str("BENCH error LoadFile2 failed\n");
		return 0;
	}
	e9_str("BENCH initrd ");
	e9_u64(size);
	e9_str(" crc ");
	e9_hex32(bench_crc32(buf, size));
	e9_str("\n");
	return 1;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	uint64_t tsc = bench_rdtsc();
	(void)image;
	e9_str("BENCH-EFI bli probe\n");
	uint64_t init = var_usec(st->RuntimeServices, L"LoaderTimeInitUSec");
	uint64_t exec = var_usec(st->RuntimeServices, L"LoaderTimeExecUSec");
	if (!init || !exec) {
		e9_str("BENCH error no LoaderTimeInitUSec / LoaderTimeExecUSec\n");
		bench_exit(st, 0);
	}
	e9_str("BENCH bli ");
	e9_u64(init);
	e9_str(" ");
	e9_u64(exec);
	e9_str(" tsc ");
	e9_u64(tsc);
	e9_str(" kHz ");
	e9_u64(bench_tsc_khz(st->BootServices));
	e9_str("\n");
	int ok = check_initrd(st->BootServices);
	if (ok)
		e9_str("BENCH done\n");
	bench_exit(st, ok);
}
