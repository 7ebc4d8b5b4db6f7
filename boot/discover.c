/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/str.h"
#include "bootcount.h"
#include "discover.h"

#define CONFIG_MAX_BYTES (1u << 20)

struct vol_ctx {
	struct mounted *m;
};

static int read_cb(void *ctx, const char *path, char **text, size_t *len)
{
	struct vol_ctx *v = ctx;
	void *buf;
	size_t n;
	int rc = path_read_file(path, v->m, CONFIG_MAX_BYTES, &buf, &n);
	if (rc)
		return rc;
	char *t = realloc(buf, n + 1); /* NUL-terminate for the parsers' convenience */
	if (!t) {
		free(buf);
		return -ENOMEM;
	}
	t[n] = 0;
	*text = t;
	*len = n;
	return 0;
}

struct list_ctx {
	char **names;
	unsigned count, cap;
};

static int list_one(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct list_ctx *l = ctx;
	if (type != FS_REG || (len <= 2 && name[0] == '.'))
		return 0;
	if (l->count == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 16;
		if (cap > 4096)
			return 1;
		char **n = realloc(l->names, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		l->names = n;
		l->cap = cap;
	}
	char *s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, name, len);
	s[len] = 0;
	l->names[l->count++] = s;
	return 0;
}

static int list_cb(void *ctx, const char *dir, char ***names, unsigned *count)
{
	struct vol_ctx *v = ctx;
	struct mounted *m;
	const char *path;
	uint64_t ino;
	struct list_ctx l = { 0 };
	int rc = path_resolve(dir, v->m, &m, &path);
	if (!rc)
		rc = fs_resolve(m->fs, path, &ino);
	if (!rc)
		rc = m->fs->ops->readdir(m->fs, ino, list_one, &l);
	if (rc < 0) {
		for (unsigned i = 0; i < l.count; i++)
			free(l.names[i]);
		free(l.names);
		return rc;
	}
	*names = l.names;
	*count = l.count;
	return 0;
}

typedef int (*parse_fn)(struct menu *, const struct config_source *, const char *, size_t);

/* A menu of many files (BLS entries, UKIs, generated) has no one config to trust or measure. */
static void forget_config(struct boot_menu *bm)
{
	free(bm->config_text);
	bm->config_text = NULL;
	bm->config_len = 0;
}

/* Parse @text, the file @path of @m's volume, and free it. */
static void parse_text(struct boot_menu *bm, struct mounted *m, const char *path, char *text,
		       size_t len, parse_fn parse)
{
	struct vol_ctx ctx = { m };
	fmt_snprintf(bm->source, sizeof(bm->source), "%s:%s", m->vol.name, path);
	struct config_source src = { bm->source, read_cb, list_cb, &ctx };
	unsigned before = bm->menu.count;
	parse(&bm->menu, &src, text, len);
	free(bm->config_text);
	bm->config_text = text; /* for Secure Boot and the TPM (discover.h) */
	bm->config_len = len;
	for (unsigned i = before; i < bm->menu.count; i++)
		bm->menu.entries[i].volume = m;
}

/* Parse one file of @m's volume if it exists; true when it was found. */
static bool try_file(struct boot_menu *bm, struct mounted *m, const char *path, parse_fn parse)
{
	struct vol_ctx ctx = { m };
	char *text;
	size_t len;
	if (read_cb(&ctx, path, &text, &len))
		return false;
	parse_text(bm, m, path, text, len, parse);
	return true;
}

/* The first of @paths that @m's volume holds, read into @text; or NULL. */
static const char *read_first(struct mounted *m, const char *const *paths, unsigned count,
			      char **text, size_t *len)
{
	struct vol_ctx ctx = { m };
	for (unsigned i = 0; i < count; i++)
		if (read_cb(&ctx, paths[i], text, len) == 0)
			return paths[i];
	return NULL;
}

static bool try_bls(struct boot_menu *bm, struct mounted *m, const char *dir, const char *conf)
{
	struct vol_ctx ctx = { m };
	char **names;
	unsigned count;
	if (list_cb(&ctx, dir, &names, &count))
		return false;
	unsigned before = bm->menu.count;
	for (unsigned i = 0; i < count; i++) {
		char path[FS_PATH_MAX], id[256];
		char *text;
		size_t len;
		if (!str_ends_with(names[i], ".conf"))
			continue;
		fmt_snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		fmt_snprintf(id, sizeof(id), "%.*s", (int)(strlen(names[i]) - 5), names[i]);
		if (read_cb(&ctx, path, &text, &len))
			continue;
		fmt_snprintf(bm->source, sizeof(bm->source), "%s:%s", m->vol.name, path);
		struct config_source src = { bm->source, read_cb, list_cb, &ctx };
		unsigned had = bm->menu.count;
		config_parse_bls_entry(&bm->menu, &src, id, text, len);
		free(text);
		/* Its file, for boot counting (boot/bootcount.h). */
		if (bm->menu.count > had)
			bm->menu.entries[had].bls_file = str_dup(path);
	}
	for (unsigned i = 0; i < count; i++)
		free(names[i]);
	free(names);
	if (bm->menu.count == before)
		return false;
	bootcount_from_grubenv(bm, before, m);
	config_sort_bls(bm->menu.entries + before, bm->menu.count - before);
	for (unsigned i = before; i < bm->menu.count; i++)
		bm->menu.entries[i].volume = m;
	try_file(bm, m, conf, config_parse_loader_conf);
	forget_config(bm);
	fmt_snprintf(bm->source, sizeof(bm->source), "%s:%s", m->vol.name, dir);
	return true;
}

/* Whether some line of @text starts with the command `blscfg`. */
static bool calls_blscfg(const char *text)
{
	for (const char *line = text; line; line = strchr(line, '\n')) {
		while (*line == '\n' || *line == ' ' || *line == '\t')
			line++;
		if (!strncmp(line, "blscfg", 6) && strchr(" \t;\r\n", line[6]))
			return true;
	}
	return false;
}

static bool from_volume(struct boot_menu *bm, struct mounted *m)
{
	static const char *const native[] = { "/pvhboot.cfg", "/boot/pvhboot.cfg" };
	static const char *const grub[] = { "/boot/grub/grub.cfg", "/grub/grub.cfg",
					    "/boot/grub2/grub.cfg", "/grub2/grub.cfg" };
	static const char *const extlinux[] = {
		"/boot/extlinux/extlinux.conf", "/extlinux/extlinux.conf", "/extlinux.conf",
		"/boot/extlinux.conf",
		"/boot/syslinux/syslinux.cfg",  "/syslinux/syslinux.cfg",  "/syslinux.cfg",
		"/isolinux/isolinux.cfg",
	};
	for (unsigned i = 0; i < ARRAY_SIZE(native); i++)
		if (try_file(bm, m, native[i], config_parse_native))
			return true;
	/*
	 * A grub.cfg that reads the BLS entries itself (Fedora's and RHEL's
	 * call `blscfg`) owns them: its grubenv's saved_entry is the default
	 * that `grubby --set-default` wrote, and old entries say `options
	 * $kernelopts`, which only GRUB's variables expand. Read alone, the
	 * entries would boot the newest kernel with a literal "$kernelopts".
	 * Any other grub.cfg comes after the BLS entries.
	 */
	char *grub_text;
	size_t grub_len;
	const char *grub_path = read_first(m, grub, ARRAY_SIZE(grub), &grub_text, &grub_len);
	if (grub_path && calls_blscfg(grub_text)) {
		parse_text(bm, m, grub_path, grub_text, grub_len, config_parse_grub);
		return true;
	}
	unsigned before = bm->menu.count;
	bool bls = try_bls(bm, m, "/loader/entries", "/loader/loader.conf") ||
		   try_bls(bm, m, "/boot/loader/entries", "/boot/loader/loader.conf");
	/* Type #2 entries join the type #1 entries, one order for both. */
	if (menu_add_ukis(&bm->menu, m)) {
		config_sort_bls(bm->menu.entries + before, bm->menu.count - before);
		if (!bls) {
			forget_config(bm);
			fmt_snprintf(bm->source, sizeof(bm->source), "%s:/EFI/Linux", m->vol.name);
		}
		bls = true;
	}
	if (bls) {
		if (grub_path)
			free(grub_text);
		return true;
	}
	if (grub_path) {
		parse_text(bm, m, grub_path, grub_text, grub_len, config_parse_grub);
		return true;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(extlinux); i++)
		if (try_file(bm, m, extlinux[i], config_parse_extlinux))
			return true;
	return false;
}

static int discover(struct boot_menu *bm, const char *config_path)
{
	memset(bm, 0, sizeof(*bm));
	menu_init(&bm->menu);

	if (config_path) {
		struct mounted *m;
		const char *path;
		int rc = path_resolve(config_path, volumes_get(0), &m, &path);
		if (rc)
			return log_err(rc, "config=%s: no such device", config_path);
		parse_fn parse = str_ends_with(path, ".cfg") && strstr(path, "grub") ? config_parse_grub
				 : str_ends_with(path, ".conf") || strstr(path, "linux") ? config_parse_extlinux
				 : config_parse_native;
		if (!try_file(bm, m, path, parse))
			return log_err(-ENOENT, "config=%s: cannot read it", config_path);
		return 0;
	}
	for (unsigned i = 0; i < volumes_count(); i++)
		if (from_volume(bm, volumes_get(i)) && bm->menu.count)
			return 0;
	for (unsigned i = 0; i < volumes_count(); i++) {
		menu_generate(&bm->menu, volumes_get(i));
		if (bm->menu.count) {
			forget_config(bm);
			for (unsigned e = 0; e < bm->menu.count; e++)
				bm->menu.entries[e].volume = volumes_get(i);
			fmt_snprintf(bm->source, sizeof(bm->source), "%s:/boot (generated)",
				     volumes_get(i)->vol.name);
			return 0;
		}
	}
	return 0;
}

int menu_discover(struct boot_menu *bm, const char *config_path)
{
	int rc = discover(bm, config_path);
	/* Titles and warnings come from disk and go to a terminal. */
	menu_sanitize(&bm->menu);
	return rc;
}

/*
 * What the next boot takes without a one-shot from the platform (an EFI
 * LoaderEntryOneShot or a Xen key, which the host cannot see), and why:
 * the way boot/boot.c's pick_default() chooses.
 */
static void describe_next_boot(const struct boot_menu *bm, int (*print)(const char *fmt, ...))
{
	const struct menu *m = &bm->menu;
	bool counted = false;
	for (unsigned i = 0; i < m->count; i++)
		counted |= m->entries[i].tries_left >= 0;
	if (counted)
		print("counting: %s%s\n", *bm->count_env ? "grubenv " : "",
		      *bm->count_env ? bm->count_env
				     : "file renames under EFI; none under PVH (no grubenv)");
	if (!m->count)
		return;
	int idx = m->default_id ? menu_find(m, m->default_id) : 0;
	const char *why = m->default_why ? m->default_why
			  : m->default_id && idx >= 0 ? "the config's default" : "first entry";
	if (idx < 0)
		idx = 0;
	int pick = menu_skip_bad(m, idx);
	const struct menu_entry *e = &m->entries[pick];
	if (pick != idx)
		print("next-boot: %d id=%s (%s is bad: no tries left; first good entry)\n", pick,
		      e->id ? e->id : "", m->entries[idx].id ? m->entries[idx].id : "");
	else
		print("next-boot: %d id=%s (%s%s)\n", pick, e->id ? e->id : "", why,
		      e->tries_left > 0 ? "; counted: a try is used" : "");
}

void menu_describe(const struct boot_menu *bm, int (*print)(const char *fmt, ...))
{
	const struct menu *m = &bm->menu;
	print("config: %s\n", *bm->source ? bm->source : "(none)");
	print("timeout: %d\n", m->timeout);
	print("default: %s\n", m->default_id ? m->default_id : "(first)");
	/* Why that default, and what booting writes (boot/envwrite.h): only when there is any. */
	if (m->default_why)
		print("default-from: %s\n", m->default_why);
	if (m->env.path)
		print("grubenv: %s\n", m->env.path);
	for (unsigned i = 0; i < m->env.count; i++)
		print("grubenv-on-boot: %s%s%s\n", m->env.w[i].key, m->env.w[i].value ? "=" : " (removed)",
		      m->env.w[i].value ? m->env.w[i].value : "");
	if (m->writes_off)
		print("writes: off\n");
	describe_next_boot(bm, print);
	for (unsigned i = 0; i < m->count; i++) {
		const struct menu_entry *e = &m->entries[i];
		print("entry %u: id=%s\n", i, e->id ? e->id : "");
		print("  title: %s\n", e->title ? e->title : "");
		print("  source: %s\n", e->source ? e->source : "");
		print("  kernel: %s\n", e->kernel ? e->kernel : "(none)");
		for (unsigned j = 0; j < e->nr_initrds; j++)
			print("  initrd: %s\n", e->initrds[j]);
		/* The forced protocol and GRUB's module inflation, when set. */
		if (e->protocol != KERNEL_UNKNOWN)
			print("  protocol: %s\n", kernel_format_name(e->protocol));
		for (unsigned j = 0; j < e->nr_modules; j++)
			print("  module%s: %s %s\n", e->modules[j].unzip ? " (unzip)" : "",
			      e->modules[j].path, e->modules[j].cmdline);
		print("  cmdline: %s\n", e->cmdline ? e->cmdline : "");
		if (e->save_default)
			print("  on-boot: saved_entry=%s\n", e->save_default);
		if (e->tries_left >= 0)
			print("  tries: %d left, %d done%s\n", e->tries_left, e->tries_done,
			      e->tries_left ? "" : " (bad: sorted last)");
	}
	for (unsigned i = 0; i < m->nr_warnings; i++)
		print("warning: %s\n", m->warnings[i]);
}
