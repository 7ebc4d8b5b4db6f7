/* SPDX-License-Identifier: MIT */
/*
 * systemd's Boot Loader Interface (https://systemd.io/BOOT_LOADER_INTERFACE):
 * variables of vendor 4a67b082-0a4c-41cf-b6c7-440b29bb8c4f through which
 * the OS learns what the loader did (LoaderInfo, LoaderEntries, the times)
 * and tells it what to do next (LoaderEntryOneShot, LoaderEntryDefault),
 * e.g. with `bootctl set-oneshot`. Every value is a UTF-16 string. A
 * variable that cannot be written costs a warning, never the boot.
 */
#include "bli.h"
#include "devpath.h"
#include "utf8.h"
#include "vars.h"
#include "core/errno.h"
#include "core/log.h"
#include "core/time.h"

#ifndef PVHBOOT_VERSION
#define PVHBOOT_VERSION "0.1"
#endif

/* Entry ids are file names and config words: this is generous. */
#define BLI_ID_MAX 256

static EFI_GUID loader_guid = { 0x4a67b082, 0x0a4c, 0x41cf,
				{ 0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f } };

static void set_note(const CHAR16 *name, const char *what, const char *value)
{
	if (efi_var_set_string(name, &loader_guid, value, EFI_VAR_VOLATILE))
		log_warn("efi: %s not set", what);
}

/* The Interface's times: microseconds since the CPU's reset, from the TSC. */
static void set_time(const CHAR16 *name, const char *what)
{
	char text[24];
	fmt_snprintf(text, sizeof(text), "%lu", (unsigned long)(time_ns() / 1000));
	set_note(name, what, text);
}

/*
 * LoaderFeatures: what of the Interface the loader honours, a 64-bit
 * little-endian mask. systemd's logind refuses `systemctl reboot
 * --boot-loader-entry=ID` unless the one-shot bit is there.
 */
#define BLI_FEATURE_ENTRY_DEFAULT (1ull << 2)
#define BLI_FEATURE_ENTRY_ONESHOT (1ull << 3)
#define BLI_FEATURE_BOOT_COUNTING (1ull << 4) /* efi/rename.c */

static void set_features(void)
{
	uint64_t features = BLI_FEATURE_ENTRY_DEFAULT | BLI_FEATURE_ENTRY_ONESHOT |
			    BLI_FEATURE_BOOT_COUNTING;
	uint8_t le[8];
	for (unsigned i = 0; i < sizeof(le); i++)
		le[i] = (uint8_t)(features >> (8 * i));
	if (efi_var_set(u"LoaderFeatures", &loader_guid, le, sizeof(le), EFI_VAR_VOLATILE))
		log_warn("efi: LoaderFeatures not set");
}

/*
 * LoaderInfo is kept non-volatile, so `pvhboot status --efivars VARS.fd`
 * can tell from a disk image's variable store which loader last ran. It is
 * written only when it changes (a new version), never once per boot: flash
 * wears, and a full store makes the firmware reclaim space at boot.
 */
static void set_info(void)
{
	static const char info[] = "pvhboot " PVHBOOT_VERSION;
	char have[sizeof(info) + 1];
	if (efi_var_get_string(u"LoaderInfo", &loader_guid, have, sizeof(have)) == 0 &&
	    !strcmp(have, info))
		return;
	if (efi_var_set_string(u"LoaderInfo", &loader_guid, info, EFI_VAR_PERSISTENT))
		log_warn("efi: LoaderInfo not set");
}

void efi_bli_start(EFI_HANDLE image)
{
	char part[37];

	set_time(u"LoaderTimeInitUSec", "LoaderTimeInitUSec");
	set_info();
	set_features();
	if (efi_image_part_guid(image, part) == 0) {
		set_note(u"LoaderDevicePartUUID", "LoaderDevicePartUUID", part);
		log_info("efi: loaded from partition %s", part);
	}
}

char *efi_bli_one_shot(void)
{
	static char id[BLI_ID_MAX];
	int rc = efi_var_get_string(u"LoaderEntryOneShot", &loader_guid, id, sizeof(id));
	if (rc == -ENOENT)
		return NULL;
	/* Consumed whatever its content: a bad value must not stick for ever. */
	if (efi_var_delete(u"LoaderEntryOneShot", &loader_guid))
		log_warn("efi: LoaderEntryOneShot could not be deleted");
	if (rc || !*id) {
		log_warn("efi: LoaderEntryOneShot ignored (%s)", rc ? strerror_name(rc) : "empty");
		return NULL;
	}
	log_info("efi: one-shot entry \"%s\" (LoaderEntryOneShot)", id);
	return id;
}

const char *efi_bli_default_entry(void)
{
	static char id[BLI_ID_MAX];
	int rc = efi_var_get_string(u"LoaderEntryDefault", &loader_guid, id, sizeof(id));
	if (rc || !*id) {
		if (rc && rc != -ENOENT)
			log_warn("efi: LoaderEntryDefault ignored (%s)", strerror_name(rc));
		return NULL;
	}
	log_info("efi: default entry \"%s\" (LoaderEntryDefault)", id);
	return id;
}

int efi_bli_set_one_shot(const char *id)
{
	int rc = efi_var_set_string(u"LoaderEntryOneShot", &loader_guid, id, EFI_VAR_PERSISTENT);
	if (rc)
		return log_err(rc, "efi: LoaderEntryOneShot not set");
	log_info("efi: LoaderEntryOneShot set to \"%s\"", id);
	return 0;
}

/* LoaderEntries: every id, each NUL-terminated, one after the other. */
void efi_bli_menu_ready(const struct menu *m)
{
	size_t units = 0, cap = 0;
	uint8_t *list = NULL;

	for (unsigned i = 0; i < m->count; i++)
		cap += strlen(m->entries[i].id ? m->entries[i].id : "") + 1;
	list = malloc(cap * 2 + 2);
	if (!list) {
		log_warn("efi: no memory for LoaderEntries");
		return;
	}
	for (unsigned i = 0; i < m->count; i++) {
		const char *id = m->entries[i].id ? m->entries[i].id : "";
		/* UTF-8 never needs more UTF-16 units than it has bytes. */
		units += utf8_to_ucs2le(id, list + 2 * units, cap - units);
	}
	if (efi_var_set(u"LoaderEntries", &loader_guid, list, units * 2, EFI_VAR_VOLATILE))
		log_warn("efi: LoaderEntries not set");
	free(list);
}

void efi_bli_entry_selected(const char *id)
{
	set_note(u"LoaderEntrySelected", "LoaderEntrySelected", id);
}

void efi_bli_exec(void)
{
	set_time(u"LoaderTimeExecUSec", "LoaderTimeExecUSec");
}

void efi_bli_boot_count_path(const CHAR16 *path)
{
	size_t n = 0;
	while (path[n])
		n++;
	/* UTF-16 with its NUL, as systemd-bless-boot reads it back. */
	char back[BLI_ID_MAX];
	if (efi_var_set(u"LoaderBootCountPath", &loader_guid, path, (n + 1) * sizeof(CHAR16),
			EFI_VAR_VOLATILE))
		log_warn("efi: LoaderBootCountPath not set");
	else if (!efi_var_get_string(u"LoaderBootCountPath", &loader_guid, back, sizeof(back)))
		log_info("efi: LoaderBootCountPath=%s", back); /* as the firmware now holds it */
}
