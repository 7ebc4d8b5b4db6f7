/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/profile.h"
#include "../fs/blockdev.h"
#include "../config/module_unzip.h"
#include "../core/sha256.h"
#include "../stage/handoff.h"
#include "boot.h"
#include "bootcount.h"
#include "discover.h"
#include "envwrite.h"
#include "menu_ui.h"
#include "trust.h"

/* Documented limits on what one entry may load. */
#define KERNEL_MAX_BYTES (256ull << 20)
#define MODULE_MAX_BYTES (2048ull << 20)

static struct boot_menu bm;
static struct boot_request req;
static struct boot_plan plan;
static char cmdline[MENU_CMDLINE_MAX + 1024];
/* The menu entry whose disk writes (boot/envwrite.h) go with this boot; -1: none. */
static int writes_for = -1;

/* Plan, then everything fallible of the handoff; 0 or -E* with the plan released. */
static int prepare(const struct boot_env *env, const struct boot_request *r,
		   struct handoff_ready *ready)
{
	profile_phase(PHASE_PLAN);
	int rc = kernel_plan(env, r, &plan);
	if (rc)
		return rc;
	profile_phase(PHASE_HANDOFF);
	if ((rc = handoff_prepare(&plan, ready)) != 0)
		plan_release(&plan);
	return rc;
}

/* The entry's grubenv changes and boot counter, once, while the devices still run. */
static void commit_entry_writes(const struct boot_platform *p)
{
	if (writes_for >= 0) {
		envwrite_commit(p, &bm, (unsigned)writes_for);
		writes_for = -1;
	}
}

int boot_request_run(const struct boot_platform *p, const struct boot_env *env,
		     struct boot_request *r)
{
	static struct handoff_ready ready;
	/*
	 * An image the platform executes itself: no plan, no exit, no handoff.
	 * Its writes go first, as GRUB's do before it starts a kernel.
	 */
	if (p->start_image && kernel_started_by_platform(r)) {
		commit_entry_writes(p);
		return p->start_image(r);
	}
	int rc = prepare(env, r, &ready);
	if (rc)
		return rc;
	/*
	 * The kernel is planned and everything fallible of the handoff is done:
	 * only now are the writes made (a refused kernel wrote nothing).
	 */
	commit_entry_writes(p);
	profile_report(); /* the console may be gone after the exit */
	struct blockdev_stats io = blockdev_stats();
	log_debug("disk reads: %lu requests, %lu KiB", (unsigned long)io.requests,
		  (unsigned long)(io.bytes >> 10));
	if (ready.mode == ENTRY_EFI64) {
		/* ---- The point of no return: the kernel takes over the firmware. ---- */
		if (p->before_firmware_entry)
			p->before_firmware_entry();
		handoff_commit_firmware(&ready);
	}
	rc = p->exit ? p->exit() : 0;
	if (rc == -EAGAIN) {
		/* The memory the firmware took is now kept out of the plan: once more. */
		log_info("%s: planning %s again", p->name, r->name);
		plan_release(&plan);
		if ((rc = prepare(env, r, &ready)) != 0)
			return rc;
		rc = p->exit();
	}
	if (rc) {
		plan_release(&plan);
		return log_err(rc, "%s: cannot leave the platform cleanly", p->name);
	}

	/* ---- The point of no return: devices are quiesced, firmware is gone. ---- */
	if (p->after_exit)
		p->after_exit(&ready.needs);
	handoff_commit(&ready);
}

/* Check @data against the entry's pin for @path, if it has one. */
static int check_pin(const struct menu_entry *e, const char *path, const void *data, size_t len)
{
	for (unsigned i = 0; i < e->nr_pins; i++) {
		if (strcmp(e->pins[i].path, path))
			continue;
		uint8_t got[32];
		char want_hex[65], got_hex[65];
		sha256(data, len, got);
		if (!memcmp(got, e->pins[i].sha256, 32))
			return 0;
		sha256_hex(e->pins[i].sha256, want_hex);
		sha256_hex(got, got_hex);
		return log_err(-EACCES, "%s: sha256 mismatch: expected %s, got %s", path, want_hex,
			       got_hex);
	}
	return 0;
}

static int load_file(const struct menu_entry *e, struct mounted *vol, const char *path,
		     size_t max, void **data, size_t *size)
{
	int rc = path_read_file(path, vol, max, data, size);
	if (rc)
		return log_err(rc, "%s: cannot read it", path);
	rc = check_pin(e, path, *data, *size);
	if (rc) {
		free(*data);
		*data = NULL;
	}
	return rc;
}

static void release(void)
{
	free((void *)req.kernel);
	for (unsigned i = 0; i < req.nr_modules; i++)
		free((void *)req.modules[i].data);
	memset(&req, 0, sizeof(req));
}

static int add_module(const struct menu_entry *e, struct mounted *vol, const char *path,
		      const char *args, bool unzip)
{
	void *data = NULL;
	size_t size;
	if (req.nr_modules >= BOOT_MAX_MODULES)
		return log_err(-E2BIG, "%s: more than %u modules", e->id, BOOT_MAX_MODULES);
	int rc = load_file(e, vol, path, MODULE_MAX_BYTES, &data, &size);
	if (!rc && unzip)
		rc = module_unzip(path, &data, &size); /* issue 11: GRUB's module inflation */
	if (rc) {
		free(data);
		return rc;
	}
	req.modules[req.nr_modules++] = (struct boot_module){ data, size, args, path };
	return 0;
}

static int boot_entry(const struct boot_platform *p, const struct boot_env *env, unsigned index,
		      const char *line, const struct loader_options *o)
{
	const struct menu_entry *e = &bm.menu.entries[index];
	struct mounted *vol = e->volume;
	void *kernel;
	size_t size;
	int rc;

	if (!e->kernel)
		return log_err(-ENOENT, "entry \"%s\" names no kernel", e->title);
	profile_phase(PHASE_READ);
	release();
	rc = load_file(e, vol, e->kernel, KERNEL_MAX_BYTES, &kernel, &size);
	if (rc)
		return rc;
	req.name = e->kernel;
	struct mounted *kvol;
	if (!path_resolve(e->kernel, vol, &kvol, &req.path_on_volume))
		fmt_snprintf(req.part_uuid, sizeof(req.part_uuid), "%s", kvol->part_uuid);
	req.kernel = kernel;
	req.kernel_size = size;
	req.format = e->protocol;
	req.rsdp_low = e->rsdp_low;
	/* Under Secure Boot the loader's options are unsigned: no append= then. */
	const char *append = trust_enforcing(p) ? NULL : o->append;
	fmt_snprintf(cmdline, sizeof(cmdline), "%s%s%s", line, append && *line ? " " : "",
		     append ? append : "");
	req.cmdline = cmdline;
	for (unsigned i = 0; i < e->nr_initrds && !rc; i++)
		rc = add_module(e, vol, e->initrds[i], "", false);
	for (unsigned i = 0; i < e->nr_modules && !rc; i++)
		rc = add_module(e, vol, e->modules[i].path, e->modules[i].cmdline,
				e->modules[i].unzip);
	if (!rc)
		rc = trust_check(p, &bm, e, &req);
	if (!rc) {
		trust_measure(p, &bm, &req);
		writes_for = (int)index;
		rc = boot_request_run(p, env, &req);
		writes_for = -1;
	}
	/* Still here: the kernel was refused; the plan gave its memory back. */
	release();
	return rc;
}

static int pick_default(const struct boot_platform *p, const struct loader_options *o,
			char *one_shot, bool *scripted)
{
	*scripted = false;
	const char *want[] = { o->entry, one_shot };
	for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
		if (!want[i])
			continue;
		int idx = menu_find(&bm.menu, want[i]);
		if (idx >= 0) {
			*scripted = true;
			return idx;
		}
		log_warn("no menu entry \"%s\" (%s)", want[i], i ? "one-shot" : "entry=");
	}
	const char *def = bm.menu.default_id;
	if (!def && p->default_entry)
		def = p->default_entry();
	int idx = def ? menu_find(&bm.menu, def) : 0;
	/* A bad entry (boot counting, no tries left) is not the default: the next good one is. */
	return menu_skip_bad(&bm.menu, idx < 0 ? 0 : idx);
}

unsigned boot_discover(const struct loader_options *o)
{
	profile_phase(PHASE_DISCOVERY);
	if (o->writes_off)
		blockdev_writes_off("writes=off");
	menu_discover(&bm, o->config);
	if (bm.menu.writes_off)
		blockdev_writes_off("the config says writes off");
	for (unsigned i = 0; i < bm.menu.nr_warnings; i++)
		log_warn("%s", bm.menu.warnings[i]);
	if (bm.menu.count)
		log_info("menu: %u entries from %s", bm.menu.count, bm.source);
	return bm.menu.count;
}

_Noreturn void boot_from_disks(const struct boot_platform *p, struct boot_env *env,
			       const struct loader_options *o)
{
	if (!boot_discover(o))
		panic("no menu: no config and no kernel found on %u filesystem(s)", volumes_count());
	boot_menu_run(p, env, o);
}

_Noreturn void boot_menu_run(const struct boot_platform *p, struct boot_env *env,
			     const struct loader_options *o)
{
	static struct menu_choice choice;
	static char message[256];
	bool scripted;

	if (!bm.menu.count)
		panic("empty menu");
	profile_phase(PHASE_MENU);
	if (p->menu_ready)
		p->menu_ready(&bm.menu);
	if (trust_enforcing(p))
		menu_lock_editor("Secure Boot is on");
	if (trust_enforcing(p) && o->append)
		log_warn("Secure Boot is on: append=\"%s\" is ignored", o->append);

	char *one_shot = p->one_shot ? p->one_shot() : NULL;
	int sel = pick_default(p, o, one_shot, &scripted);
	int timeout = scripted ? 0 : o->has_timeout ? o->timeout : bm.menu.timeout;

	for (;;) {
		if (menu_interact(&bm.menu, sel, timeout, message, &choice))
			panic("empty menu");
		sel = choice.index;
		if (p->entry_selected && bm.menu.entries[sel].id)
			p->entry_selected(bm.menu.entries[sel].id);
		int rc = boot_entry(p, env, (unsigned)sel, choice.cmdline, o);
		fmt_snprintf(message, sizeof(message), "booting \"%s\" failed (%s); see above",
			     bm.menu.entries[sel].title, strerror_name(rc));
		log_err(rc, "booting \"%s\" failed", bm.menu.entries[sel].title);
		timeout = -1; /* a human decides what next */
	}
}
