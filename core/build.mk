# core/: freestanding libc subset, printing, memory maps, allocation.
# CORE_COMMON builds everywhere (loader and host); CORE_FREESTANDING only in
# the loader, where the C library is absent.
CORE_COMMON := core/format.c core/strerror.c core/memmap.c core/parse.c \
	core/crc32.c core/decompress.c core/cpio.c core/pagealloc.c \
	core/acpi.c core/sha256.c core/utf8.c core/str.c \
	core/termsafe.c core/log.c core/words.c
CORE_FREESTANDING := core/string.c core/console.c core/log_console.c core/heap.c core/stackprot.c \
	core/profile.c \
	core/time.c core/kvmclock.c core/lzma_crc64.c core/zstd_legacy_stubs.c
CORE_HOSTED := core/host_log.c

PVH_SRCS  += $(CORE_COMMON) $(CORE_FREESTANDING)
EFI_SRCS  += $(CORE_COMMON) $(CORE_FREESTANDING)
HOST_SRCS += $(CORE_COMMON) $(CORE_HOSTED)

# Debian's static decoders, linked into the loader images and the host tools.
# liblzo2 (btrfs lzo extents) is Debian liblzo2-dev.
DECODER_LIBS := $(LIBDIR)/libz.a $(LIBDIR)/libzstd.a $(LIBDIR)/liblzma.a $(LIBDIR)/liblzo2.a
