/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/sha256.h"
#include "trust.h"

bool trust_enforcing(const struct boot_platform *p)
{
	return p->secure_boot && p->secure_boot();
}

static bool platform_starts(const struct boot_platform *p, const struct boot_request *req)
{
	return p->start_image && kernel_started_by_platform(req);
}

static bool pinned(const struct menu_entry *e, const char *path)
{
	for (unsigned i = 0; i < e->nr_pins; i++)
		if (!strcmp(e->pins[i].path, path))
			return true;
	return false;
}

int trust_check(const struct boot_platform *p, const struct boot_menu *bm,
		const struct menu_entry *e, const struct boot_request *req)
{
	uint8_t digest[32];
	char hex[65];

	if (!trust_enforcing(p) || platform_starts(p, req))
		return 0;
	if (!bm->config_text)
		return log_err(-EACCES, "%s: Secure Boot: not a signed PE image, and the menu "
			       "(%s) has no config file whose pins could vouch for it",
			       req->name, bm->source);
	sha256(bm->config_text, bm->config_len, digest);
	sha256_hex(digest, hex);
	if (!p->config_enrolled || !p->config_enrolled(digest))
		return log_err(-EACCES, "%s: Secure Boot: the config %s (sha256 %s) is not "
			       "enrolled in the loader image, so its pins count for nothing",
			       req->name, bm->source, hex);
	if (!pinned(e, req->name))
		return log_err(-EACCES, "%s: Secure Boot: not a signed PE image and no sha256 "
			       "pin in the enrolled config", req->name);
	for (unsigned i = 0; i < req->nr_modules; i++)
		if (!pinned(e, req->modules[i].name))
			return log_err(-EACCES, "%s: Secure Boot: module %s has no sha256 pin in "
				       "the enrolled config", req->name, req->modules[i].name);
	log_info("%s: Secure Boot: every file pinned by enrolled config sha256 %s", req->name,
		 hex);
	return 0;
}

void trust_measure(const struct boot_platform *p, const struct boot_menu *bm,
		   const struct boot_request *req)
{
	static bool config_measured;
	char what[160];

	if (!p->measure)
		return;
	if (bm->config_text && !config_measured) {
		fmt_snprintf(what, sizeof(what), "pvhboot config %s", bm->source);
		p->measure(TRUST_PCR_FILES, bm->config_text, bm->config_len, what);
		config_measured = true;
	}
	if (platform_starts(p, req))
		return;
	fmt_snprintf(what, sizeof(what), "pvhboot kernel %s", req->name);
	p->measure(TRUST_PCR_FILES, req->kernel, req->kernel_size, what);
	for (unsigned i = 0; i < req->nr_modules; i++) {
		fmt_snprintf(what, sizeof(what), "pvhboot module %s", req->modules[i].name);
		p->measure(TRUST_PCR_FILES, req->modules[i].data, req->modules[i].size, what);
	}
	/* The text the kernel receives, without a terminator. */
	fmt_snprintf(what, sizeof(what), "pvhboot cmdline %s", req->cmdline);
	p->measure(TRUST_PCR_CMDLINE, req->cmdline, strlen(req->cmdline), what);
}
