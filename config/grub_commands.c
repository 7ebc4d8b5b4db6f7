/* SPDX-License-Identifier: MIT */
/*
 * The GRUB commands that shape the menu (GRUB manual, "Commands"), and the
 * many that only matter on a screen, which are accepted and ignored.
 */
#include "../core/errno.h"
#include "grub.h"

/* Commands that change nothing pvhboot uses; their status when they run. */
static const struct {
	const char *name;
	int status;
} quiet[] = {
	{ "insmod", 0 },         { "echo", 0 },           { "export", 0 },
	{ "terminal_output", 0 }, { "terminal_input", 0 },
	{ "terminal", 0 },       { "serial", 0 },         { "font", 0 },
	{ "background_image", 0 }, { "background_color", 0 }, { "play", 0 },
	{ "gettext", 0 },        { "password", 0 },       { "password_pbkdf2", 0 },
	{ "clear", 0 },          { "set_gfxmode", 0 },    { "videoinfo", 0 },
	{ "sleep", 0 },
	{ "rmmod", 0 },          { "lsmod", 0 },          { "nativedisk", 0 },
	{ "smbios", 1 },         { "probe", 1 },          { "regexp", 1 },
	{ "cryptomount", 1 },    { "cutmem", 0 },         { "badram", 0 },
	{ "tpm2_key_protector_init", 1 },
	/* Tests answered as a screenless 64-bit loader would: no font, no key held. */
	{ "loadfont", 1 },       { "hwmatch", 1 },        { "keystatus", 1 },
	{ "cpuid", 0 },
};

/* Boot commands for things other than a kernel pvhboot can load. */
static const char *const foreign_boot[] = {
	"chainloader", "fwsetup",   "ntldr",      "kfreebsd",     "knetbsd", "kopenbsd",
	"appleloader", "xnu_kernel", "xnu_kernel64", "legacy_kernel", "drivemap", "halt",
	"reboot",      "boot",      "configfile",
};

static bool is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static bool identifier(const char *s, size_t n)
{
	if (!n || ch_digit(s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ch_alnum(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* "name=value": set it; false when @s is not an assignment. */
static bool assignment(struct grub *g, const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || !identifier(s, (size_t)(eq - s)))
		return false;
	char *name = str_ndup(s, (size_t)(eq - s));
	g->oom |= !name || !grub_var_set(g, name, eq + 1);
	free(name);
	return true;
}

/* @path (made absolute) on device @dev ("UUID=...", "hd0,gpt2", "(hd0)"), if any. */
static char *on_device(const char *dev, const char *path)
{
	const char *slash = path[0] == '/' ? "" : "/";
	if (path[0] == '(' || !dev || !*dev)
		return str_dup(path);
	if (dev[0] == '(')
		return str_cat3(dev, slash, path);
	char *d = str_cat3("(", dev, ")");
	char *s = d ? str_cat3(d, slash, path) : NULL;
	free(d);
	return s;
}

/*
 * GRUB opens a path without a device on $root; keep that device in front
 * of the path, in pvhboot's syntax. Paths that name a device stay as written.
 */
static char *rooted(struct grub *g, const char *path)
{
	return on_device(grub_var(g, "root"), path);
}

/*
 * The command line GRUB makes of arguments @a->v[from...]
 * (grub_create_loader_cmdline): joined with spaces, and an argument that
 * holds a space put in double quotes, so that "dyndbg=file x +p" reaches
 * the kernel as one parameter. (GRUB 2.04-2.06 also put a backslash before
 * '\\', '\'' and '"'; later versions do not, and Linux does not undo it.)
 */
static char *loader_cmdline(struct grub_args *a, unsigned from)
{
	struct strbuf b = { 0 };
	sb_puts(&b, "");
	for (unsigned i = from; i < a->count; i++) {
		bool quote = strchr(a->v[i], ' ') != NULL;
		if (i > from)
			sb_putc(&b, ' ');
		if (quote)
			sb_putc(&b, '"');
		sb_puts(&b, a->v[i]);
		if (quote)
			sb_putc(&b, '"');
	}
	return sb_take(&b);
}

/* The first argument after the command's own --options. */
static unsigned skip_options(const struct grub_args *a)
{
	unsigned i = 1;
	while (i < a->count && a->v[i][0] == '-' && a->v[i][1] == '-')
		i++;
	return i;
}

/* True when @opt is among the --options before argument @end. */
static bool has_option(const struct grub_args *a, unsigned end, const char *opt)
{
	for (unsigned k = 1; k < end; k++)
		if (!strcmp(a->v[k], opt))
			return true;
	return false;
}

static bool in_entry(struct grub *g, const struct grub_word *at, const char *cmd)
{
	if (g->e)
		return true;
	GRUB_WARN(g, at, "'%s' outside a menuentry; ignored", cmd);
	return false;
}

/* linux, multiboot: the kernel and its command line. */
/* `chainloader +1`: a BIOS boot sector by block list, not an EFI program. */
static bool chainloads_blocks(struct grub_args *a)
{
	unsigned i = skip_options(a);
	return i < a->count && a->v[i][0] == '+';
}

static int kernel(struct grub *g, const struct grub_word *at, struct grub_args *a,
		  enum kernel_format protocol)
{
	struct menu_entry *e = g->e;
	if (!in_entry(g, at, a->v[0]))
		return 1;
	unsigned i = skip_options(a);
	if (i >= a->count || !*a->v[i]) {
		GRUB_WARN(g, at, "'%s' without a file", a->v[0]);
		return 1;
	}
	if (e->kernel)
		GRUB_WARN(g, at, "a second kernel; it replaces '%s'", e->kernel);
	char *path = rooted(g, a->v[i]), *args = loader_cmdline(a, i + 1);
	if (!path || !args) {
		free(path);
		free(args);
		g->oom = true;
		return 1;
	}
	free(e->kernel);
	free(e->cmdline);
	e->kernel = path;
	e->cmdline = args;
	e->protocol = protocol;
	return 0;
}

static int initrd(struct grub *g, const struct grub_word *at, struct grub_args *a)
{
	if (!in_entry(g, at, a->v[0]))
		return 1;
	for (unsigned i = skip_options(a); i < a->count && !g->oom; i++)
		g->oom |= !entry_add_initrd(g->m, g->e, rooted(g, a->v[i]), g->lx->name, at->line,
					    at->col);
	return 0;
}

/*
 * module/module2 after multiboot: Xen's dom0 kernel, then its initrd
 * (Debian's 20_linux_xen), kept in order with their arguments.
 */
static int module(struct grub *g, const struct grub_word *at, struct grub_args *a)
{
	if (!in_entry(g, at, a->v[0]))
		return 1;
	unsigned i = skip_options(a);
	if (i >= a->count) {
		GRUB_WARN(g, at, "'%s' without a file", a->v[0]);
		return 1;
	}
	unsigned before = g->e->nr_modules;
	g->oom |= !entry_add_module(g->m, g->e, rooted(g, a->v[i]), loader_cmdline(a, i + 1), g->lx->name,
				    at->line, at->col);
	/* GRUB inflates modules unless told --nounzip (grub-core/loader/multiboot.c). */
	if (g->e->nr_modules > before)
		g->e->modules[before].unzip = !has_option(a, i, "--nounzip");
	return 0;
}

/*
 * search: the device is named the way pvhboot's paths name devices
 * ("UUID=...", "LABEL=..."), so later paths resolve without scanning here.
 */
static int search(struct grub *g, const struct grub_word *at, struct grub_args *a)
{
	const char *cmd = a->v[0], *var = NULL, *key = NULL;
	char kind = 'f';
	unsigned i = 1;
	if (strchr(cmd, '.') || strchr(cmd + 1, '_')) {
		/* search.fs_uuid KEY [VAR], search_label ..., search.file ... */
		kind = strstr(cmd, "uuid") ? 'u' : strstr(cmd, "label") ? 'l' : 'f';
		key = a->count > 1 ? a->v[1] : NULL;
		var = a->count > 2 ? a->v[2] : NULL;
	} else {
		for (; i < a->count; i++) {
			const char *s = a->v[i];
			if (is(s, "--set") || is(s, "-s"))
				var = "root";
			else if (!strncmp(s, "--set=", 6))
				var = s + 6;
			else if (is(s, "--fs-uuid") || is(s, "-u"))
				kind = 'u';
			else if (is(s, "--label") || is(s, "-l"))
				kind = 'l';
			else if (is(s, "--file") || is(s, "-f"))
				kind = 'f';
			else if (is(s, "--part-uuid"))
				kind = 'p';
			else if (is(s, "--part-label"))
				kind = 'P';
			else if (is(s, "--hint") || is(s, "-h"))
				i++; /* its value follows */
			else if (s[0] != '-' && !key)
				key = s;
		}
	}
	if (!key) {
		GRUB_WARN(g, at, "'%s' without anything to search for", cmd);
		return 1;
	}
	if (!var)
		return 0; /* only prints what it finds */
	if (kind == 'f') {
		GRUB_WARN(g, at, "the device holding '%s' cannot be known before boot; $%s unchanged",
			  key, var);
		return 0;
	}
	const char *prefix = kind == 'u' ? "UUID=" : kind == 'l' ? "LABEL=" : kind == 'p'
			     ? "PARTUUID=" : "PARTLABEL=";
	char *dev = str_cat3(prefix, key, "");
	g->oom |= !dev || !grub_var_set(g, var, dev);
	free(dev);
	return 0;
}

/* An environment block: "# GRUB Environment Block" then NAME=VALUE lines, '#' padding. */
static void load_envblk(struct grub *g, const char *text, size_t len, struct grub_args *a,
			unsigned names)
{
	struct line_reader r;
	const char *line;
	size_t n;
	lines_init(&r, text, len);
	while (lines_next(&r, &line, &n) && !g->oom) {
		const char *eq = memchr(line, '=', n);
		if (!n || line[0] == '#' || !eq || !identifier(line, (size_t)(eq - line)))
			continue;
		char *name = str_ndup(line, (size_t)(eq - line));
		struct strbuf v = { 0 };
		sb_puts(&v, "");
		/* GRUB escapes '\' and newlines in values with a '\'. */
		for (const char *p = eq + 1; p < line + n; p++)
			sb_putc(&v, *p == '\\' && p + 1 < line + n ? *++p : *p);
		char *value = sb_take(&v);
		bool wanted = names >= a->count;
		for (unsigned i = names; name && i < a->count; i++)
			wanted |= is(a->v[i], name);
		if (!name || !value) {
			g->oom = true;
		} else if (wanted) {
			g->oom |= !grub_var_set(g, name, value);
			char **keep = is(name, "next_entry") ? &g->env_next
				      : is(name, "saved_entry") ? &g->env_saved : NULL;
			if (keep && *value) {
				free(*keep);
				*keep = str_dup(value);
				g->oom |= !*keep;
			}
		}
		free(name);
		free(value);
	}
}

/*
 * The grubenv of load_env/save_env [-f FILE] [--skip-sig] NAME...: FILE,
 * else $prefix/grubenv; *first is set to the first NAME. NULL when neither
 * is known (warned), or on oom.
 */
static char *env_file(struct grub *g, const struct grub_word *at, struct grub_args *a,
		      unsigned *first)
{
	const char *file = NULL;
	unsigned i = 1;
	for (; i < a->count && a->v[i][0] == '-'; i++) {
		if ((is(a->v[i], "-f") || is(a->v[i], "--file")) && i + 1 < a->count)
			file = a->v[++i];
		else if (!strncmp(a->v[i], "--file=", 7))
			file = a->v[i] + 7;
	}
	*first = i;
	const char *prefix = grub_var(g, "prefix");
	char *path = file ? str_dup(file) : prefix ? str_cat3(prefix, "/grubenv", "") : NULL;
	if (!path) {
		g->oom |= file || prefix;
		GRUB_WARN(g, at, "%s: the config's directory is not known", a->v[0]);
	}
	return path;
}

static int load_env(struct grub *g, const struct grub_word *at, struct grub_args *a)
{
	unsigned i;
	char *path = env_file(g, at, a, &i);
	if (!path)
		return 1;
	char *text;
	size_t len;
	int rc = g->src->read ? g->src->read(g->src->ctx, path, &text, &len) : -ENOSYS;
	if (rc) {
		GRUB_WARN(g, at, "load_env: cannot read '%s' (%s)", path, strerror_name(rc));
		free(path);
		return 1;
	}
	load_envblk(g, text, len, a, i);
	free(text);
	free(path);
	return 0;
}

/*
 * save_env NAME...: GRUB writes the variables' values (an unset one is
 * removed) into the grubenv as the menu is read. pvhboot records them and
 * writes them once a kernel is about to start (boot/envwrite.c), so the
 * one-shot `next_entry` that grub.cfg clears here is cleared exactly when
 * it booted.
 */
static int save_env(struct grub *g, const struct grub_word *at, struct grub_args *a)
{
	unsigned i;
	char *path = env_file(g, at, a, &i);
	if (!path)
		return 1;
	for (; i < a->count && !g->oom; i++)
		g->oom |= !menu_env_set(g->m, path, a->v[i], grub_var(g, a->v[i]));
	free(path);
	return 0;
}

/* increment/decrement NAME (Fedora's 08_fallback_counting): a decimal number, ±1. */
static int add_one(struct grub *g, const struct grub_word *at, struct grub_args *a, int step)
{
	const char *v = a->count == 2 ? grub_var(g, a->v[1]) : NULL;
	long n;
	char buf[24];
	if (!v || !parse_int(v, strlen(v), 1000000000, &n)) {
		GRUB_WARN(g, at, "%s: '%s' is not a number", a->v[0], a->count == 2 ? a->v[1] : "");
		return 1;
	}
	fmt_snprintf(buf, sizeof(buf), "%ld", n + step);
	g->oom |= !grub_var_set(g, a->v[1], buf);
	return 0;
}

/*
 * savedefault, as grub-mkconfig's 00_header defines it: unless this boot
 * is a one-shot ($boot_once), the entry being booted ($chosen) becomes
 * saved_entry. Recorded on the entry; written when it boots.
 */
static void savedefault(struct grub *g)
{
	const char *once = grub_var(g, "boot_once"), *chosen = grub_var(g, "chosen");
	if (!g->e || (once && *once) || !chosen)
		return;
	/* Its save_env names no file: $prefix/grubenv, unless the config saved elsewhere. */
	const char *prefix = grub_var(g, "prefix");
	if (!g->m->env.path && prefix) {
		g->m->env.path = str_cat3(prefix, "/grubenv", "");
		g->oom |= !g->m->env.path;
	}
	free(g->e->save_default);
	g->e->save_default = str_dup(chosen);
	g->oom |= !g->e->save_default;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_names(char **names, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && cmp_names(&names[j - 1], &names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
}

static const char *lookup(void *ctx, const char *name)
{
	return grub_var(ctx, name);
}

/* Parse every NAME.conf of @dir as a BLS entry; false when @dir lists nothing. */
static bool bls_dir(struct grub *g, const struct grub_word *at, const char *dir)
{
	char **names;
	unsigned count, before = g->m->count;
	if (!g->src->list || !g->src->read || g->src->list(g->src->ctx, dir, &names, &count))
		return false;
	/* Listing order is the filesystem's; sort so that ties stay reproducible. */
	sort_names(names, count);
	struct bls_context bc = { lookup, g, grub_var(g, "root") };
	for (unsigned i = 0; i < count && !g->oom; i++) {
		size_t n = strlen(names[i]);
		char *text, *path, *name;
		size_t len;
		if (n <= 5 || !str_ends_with(names[i], ".conf"))
			continue;
		path = str_cat3(dir, "/", names[i]);
		name = path ? source_child(g->lx->name, path) : NULL;
		names[i][n - 5] = 0;
		if (!path || !name) {
			g->oom = true;
		} else if (g->src->read(g->src->ctx, path, &text, &len)) {
			GRUB_WARN(g, at, "blscfg: cannot read '%s'", path);
		} else {
			struct config_source s = *g->src;
			s.name = name;
			g->oom |= bls_parse_entry(g->m, &s, names[i], text, len, &bc) < 0;
			free(text);
		}
		free(path);
		free(name);
	}
	for (unsigned i = 0; i < count; i++)
		free(names[i]);
	free(names);
	if (g->m->count == before)
		return false;
	config_sort_bls(g->m->entries + before, g->m->count - before);
	for (unsigned i = before; i < g->m->count && !g->oom; i++) {
		struct menu_entry *e = &g->m->entries[i];
		/* Inside a submenu, like any entry there: "Submenu>Title". */
		if (*g->title_prefix) {
			char *title = str_cat3(g->title_prefix, e->title, "");
			char *id = str_cat3(g->id_prefix, e->id, "");
			free(e->title);
			free(e->id);
			e->title = title;
			e->id = id;
			g->oom |= !title || !id;
		}
		g->oom |= !grub_note_entry(g, i);
	}
	return true;
}

/*
 * blscfg (Fedora's GRUB): the BLS entries of /loader/entries on $boot,
 * as menu entries at this point of the menu. $blsdir overrides the
 * directory; the /boot/loader/entries of the config's own volume is the
 * fallback for a /boot that is not a partition of its own.
 */
static int blscfg(struct grub *g, const struct grub_word *at)
{
	if (g->e) {
		GRUB_WARN(g, at, "'blscfg' inside a menuentry; ignored");
		return 1;
	}
	const char *boot = grub_var(g, "boot"), *blsdir = grub_var(g, "blsdir");
	const char *dirs[] = { blsdir, "/loader/entries", "/loader/entries",
			       "/boot/loader/entries" };
	for (unsigned i = 0; i < ARRAY_SIZE(dirs) && !g->oom; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		/* The first two on $boot, when it is set; the others on this volume. */
		char *dir = i < 2 ? on_device(boot, dirs[i]) : str_dup(dirs[i]);
		if (!dir) {
			g->oom = true;
			break;
		}
		bool found = bls_dir(g, at, dir);
		free(dir);
		if (found)
			return 0;
	}
	GRUB_WARN(g, at, "blscfg: no BLS entries found");
	return 1;
}

static int include(struct grub *g, const struct grub_word *at, struct grub_args *a)
{
	if (a->count < 2) {
		GRUB_WARN(g, at, "'%s' without a file", a->v[0]);
		return 1;
	}
	grub_run_file(g, a->v[1], at);
	return 0;
}

static bool is_function(const struct grub *g, const char *name)
{
	for (unsigned i = 0; i < g->nr_functions; i++)
		if (is(g->functions[i], name))
			return true;
	return false;
}

int grub_command(struct grub *g, const struct grub_word *at, struct grub_args *a)
{
	const char *cmd = a->v[0];
	bool negate = is(cmd, "!") && a->count > 1;
	if (negate) {
		free(a->v[0]);
		memmove(a->v, a->v + 1, (a->count - 1) * sizeof(a->v[0]));
		a->count--;
		cmd = a->v[0];
	}
	int st = 1;
	if (is(cmd, "set")) {
		for (unsigned i = 1; i < a->count; i++)
			if (!assignment(g, a->v[i]))
				GRUB_WARN(g, at, "set: '%s' is not NAME=VALUE", a->v[i]);
		st = 0;
	} else if (is(cmd, "unset")) {
		for (unsigned i = 1; i < a->count; i++)
			grub_var_set(g, a->v[i], NULL);
		st = 0;
	} else if (is(cmd, "[") || is(cmd, "test")) {
		unsigned n = a->count - 1;
		if (is(cmd, "[") && (!n || !is(a->v[n], "]"))) {
			GRUB_WARN(g, at, "'[' without ']'; taken as false");
		} else {
			st = grub_test(g, at, a->v + 1, is(cmd, "[") ? n - 1 : n);
		}
	} else if (is(cmd, "true")) {
		st = 0;
	} else if (is(cmd, "false")) {
		st = 1;
	} else if (!strncmp(cmd, "search", 6) &&
		   (!cmd[6] || is(cmd + 6, ".fs_uuid") || is(cmd + 6, ".fs_label") ||
		    is(cmd + 6, ".file") || is(cmd + 6, "_fs_uuid") || is(cmd + 6, "_label") ||
		    is(cmd + 6, "_fs_file"))) {
		st = search(g, at, a);
	} else if (is(cmd, "linux") || is(cmd, "linuxefi") || is(cmd, "linux16")) {
		st = kernel(g, at, a, KERNEL_UNKNOWN);
	} else if (is(cmd, "multiboot")) {
		st = kernel(g, at, a, KERNEL_MULTIBOOT1);
	} else if (is(cmd, "multiboot2")) {
		st = kernel(g, at, a, KERNEL_MULTIBOOT2);
	} else if (is(cmd, "chainloader") && !chainloads_blocks(a)) {
		/* An EFI program, started by the firmware with the rest as LoadOptions. */
		st = kernel(g, at, a, KERNEL_EFI);
	} else if (is(cmd, "initrd") || is(cmd, "initrdefi") || is(cmd, "initrd16")) {
		st = initrd(g, at, a);
	} else if (is(cmd, "module") || is(cmd, "module2")) {
		st = module(g, at, a);
	} else if (is(cmd, "load_env")) {
		st = load_env(g, at, a);
	} else if (is(cmd, "save_env")) {
		st = save_env(g, at, a);
	} else if (is(cmd, "increment") || is(cmd, "decrement")) {
		st = add_one(g, at, a, is(cmd, "increment") ? 1 : -1);
	} else if (is(cmd, "blscfg")) {
		st = blscfg(g, at);
	} else if (is(cmd, "source") || is(cmd, ".") || (is(cmd, "configfile") && !g->e)) {
		st = include(g, at, a);
	} else if (is_function(g, cmd)) {
		if (is(cmd, "savedefault"))
			savedefault(g);
		st = 0; /* load_video, recordfail, gfxmode: screen only */
	} else if (a->count == 1 && assignment(g, cmd)) {
		st = 0;
	} else {
		bool known = false;
		for (unsigned i = 0; i < ARRAY_SIZE(quiet) && !known; i++)
			if (is(cmd, quiet[i].name)) {
				st = quiet[i].status;
				known = true;
			}
		for (unsigned i = 0; i < ARRAY_SIZE(foreign_boot) && !known; i++)
			if (is(cmd, foreign_boot[i])) {
				if (g->e && !g->unsupported)
					g->unsupported = foreign_boot[i];
				known = true;
			}
		if (!known)
			GRUB_WARN(g, at, "unknown command '%s'; ignored", cmd);
	}
	return negate ? !st : st;
}
