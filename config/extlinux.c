/* SPDX-License-Identifier: MIT */
/*
 * extlinux.conf / syslinux.cfg / isolinux.cfg, as the Syslinux
 * documentation (wiki.syslinux.org, "Config") describes them and Alpine's
 * update-extlinux writes them. Keywords are case-insensitive; a line is
 * "KEYWORD VALUE". What becomes a menu entry is each LABEL whose kernel is
 * a Linux-style image (KERNEL without a .c32/.cbt/.bin/... extension, or
 * LINUX). Relative paths are relative to the config file's directory,
 * which is Syslinux's working directory.
 */
#include "../core/errno.h"
#include "parser.h"

#define SUBMENU_DEPTH 8

/* One LABEL as written; it becomes an entry once the label is complete. */
struct label {
	char *name, *title, *kernel, *append, *initrd;
	bool has_append, has_initrd, menu_default;
	char why[12];             /* the keyword that makes it unbootable, or "" */
	char *source;             /* the file of its LABEL line */
	unsigned line;
};

struct extlinux {
	struct menu *m;
	const struct config_source *src;
	struct include_stack *inc;
	char *dir;                /* of the top config: Syslinux's working directory */
	struct label *cur;
	struct label l;           /* storage for cur */
	char *g_append, *g_initrd, *g_default, *ontimeout, *menu_default;
	bool has_g_append, has_g_initrd;
	/* MENU BEGIN ... MENU END nesting: entries inside are titled "Sub>Entry". */
	char *sub[SUBMENU_DEPTH];
	unsigned nr_sub;
	bool sub_header;          /* after MENU BEGIN, before its first LABEL */
	bool sub_labelled;        /* that submenu has its MENU LABEL */
	long timeout;             /* tenths of a second; -2: not given */
	unsigned base;            /* the first entry of this config */
	bool prompt, ui;
	bool oom;
};

static bool replace(char **dst, const char *v, size_t n, bool *oom)
{
	char *s = str_ndup(v, n);
	if (!s) {
		*oom = true;
		return false;
	}
	free(*dst);
	*dst = s;
	return true;
}

static void label_clear(struct label *l)
{
	free(l->name);
	free(l->title);
	free(l->kernel);
	free(l->append);
	free(l->initrd);
	free(l->source);
	memset(l, 0, sizeof(*l));
}

/* Syslinux decides by extension what KERNEL runs; only Linux images boot here. */
static bool linux_image(const char *path)
{
	static const char *const foreign[] = { ".c32", ".cbt", ".com", ".bin", ".bs",
					       ".bss", ".0",   ".img" };
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return true;
	for (unsigned i = 0; i < ARRAY_SIZE(foreign); i++)
		if (str_eq_nocase(dot, foreign[i]))
			return false;
	return true;
}

static bool add_initrd_list(struct extlinux *x, struct menu_entry *e, const char *list,
			    size_t n, const char *src, unsigned line)
{
	while (n) {
		size_t k = 0;
		while (k < n && list[k] != ',')
			k++;
		if (k) {
			char *w = str_ndup(list, k);
			char *path = w ? path_in_dir(x->dir, w) : NULL;
			free(w);
			if (!entry_add_initrd(x->m, e, path, src, line, 0))
				return false;
		}
		list += k + (k < n);
		n -= k + (k < n);
	}
	return true;
}

/*
 * The kernel command line from APPEND, minus "initrd=A,B" words, whose
 * files become initrds: this loader loads them itself, and an EFI stub
 * given initrd= would try to load them a second time.
 */
static bool apply_append(struct extlinux *x, struct menu_entry *e, const char *append,
			 const char *src, unsigned line)
{
	for (const char *w = append; *w;) {
		while (ch_space(*w))
			w++;
		const char *end = w;
		while (*end && !ch_space(*end))
			end++;
		if (end == w)
			break;
		size_t n = (size_t)(end - w);
		if (n > 7 && !memcmp(w, "initrd=", 7)) {
			if (!add_initrd_list(x, e, w + 7, n - 7, src, line))
				return false;
		} else {
			char *word = str_ndup(w, n);
			bool ok = word && entry_append_cmdline(e, word);
			free(word);
			if (!ok)
				return false;
		}
		w = end;
	}
	return true;
}

/* @title behind the titles of the submenus it is in, as GRUB's are flattened. */
static char *submenu_title(const struct extlinux *x, const char *title)
{
	struct strbuf b = { 0 };
	sb_puts(&b, "");
	for (unsigned i = 0; i < x->nr_sub && i < SUBMENU_DEPTH; i++)
		if (x->sub[i] && *x->sub[i]) {
			sb_puts(&b, x->sub[i]);
			sb_putc(&b, '>');
		}
	sb_puts(&b, title);
	return sb_take(&b);
}

/* A complete label: becomes a menu entry, or a warning saying why not. */
static void end_label(struct extlinux *x)
{
	struct label *l = x->cur;
	if (!l)
		return;
	x->cur = NULL;
	const char *src = l->source;
	if (*l->why) {
		menu_warn(x->m, src, l->line, 0, "label '%s' uses %s, which pvhboot cannot run; skipped",
			  l->name, l->why);
		goto out;
	}
	if (!l->kernel || !*l->kernel) {
		menu_warn(x->m, src, l->line, 0, "label '%s' names no kernel; skipped", l->name);
		goto out;
	}
	/* KERNEL's first word is the image; any further words open the command line. */
	const char *k = l->kernel, *kend = k;
	while (*kend && !ch_space(*kend))
		kend++;
	char *image = str_ndup(k, (size_t)(kend - k));
	if (!image) {
		x->oom = true;
		goto out;
	}
	if (!linux_image(image)) {
		menu_warn(x->m, src, l->line, 0,
			  "label '%s' runs '%s', which is not a Linux kernel; skipped", l->name,
			  image);
		free(image);
		goto out;
	}
	struct menu_entry *e = menu_add(x->m, src, l->line);
	if (!e) {
		free(image);
		x->oom |= x->m->count < MENU_MAX_ENTRIES;
		goto out;
	}
	e->kernel = path_in_dir(x->dir, image);
	free(image);
	e->title = submenu_title(x, l->title ? l->title : l->name);
	e->id = l->name;
	l->name = NULL;
	const char *initrd = l->has_initrd ? l->initrd : x->has_g_initrd ? x->g_initrd : NULL;
	const char *append = l->has_append ? l->append : x->has_g_append ? x->g_append : "";
	/* "APPEND -" means: no options, not even the global ones. */
	if (!strcmp(append, "-"))
		append = "";
	bool ok = e->kernel && e->title && apply_append(x, e, kend, src, l->line);
	if (ok && initrd)
		ok = add_initrd_list(x, e, initrd, strlen(initrd), src, l->line);
	ok = ok && apply_append(x, e, append, src, l->line) && entry_fill_defaults(e);
	if (!ok) {
		x->oom = true;
		menu_drop_last(x->m);
	} else if (l->menu_default && !x->menu_default) {
		x->menu_default = str_dup(e->id);
		x->oom |= !x->menu_default;
	}
out:
	label_clear(l);
}

static void begin_label(struct extlinux *x, const char *name, const char *value, size_t n,
			unsigned line)
{
	end_label(x);
	x->sub_header = false;
	x->cur = &x->l;
	memset(x->cur, 0, sizeof(*x->cur));
	x->cur->line = line;
	x->oom |= !replace(&x->cur->name, value, n, &x->oom) ||
		  !(x->cur->source = str_dup(name));
}

/* Words that name a kind of image Syslinux runs but this loader cannot. */
static bool foreign_kind(const char *kw, size_t n)
{
	static const char *const kinds[] = { "boot", "bss", "pxe", "fdimage", "comboot",
					     "com32", "config", "localboot" };
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++)
		if (mem_eq_nocase(kw, n, kinds[i]))
			return true;
	return false;
}

/* Keywords with no meaning here, quietly ignored. */
static bool ignored(const char *kw, size_t n)
{
	static const char *const words[] = {
		"serial", "console", "font", "kbdmap", "display", "say", "noescape",
		"nocomplete", "nohalt", "allowoptions", "implicit", "onerror", "path",
		"totaltimeout", "ipappend", "sysappend", "fdt", "fdtdir", "devicetree",
		"fdtoverlays", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10",
		"f11", "f12",
	};
	for (unsigned i = 0; i < ARRAY_SIZE(words); i++)
		if (mem_eq_nocase(kw, n, words[i]))
			return true;
	return false;
}

static int parse_file(struct extlinux *x, const char *name, const char *text, size_t len);

static void include(struct extlinux *x, const char *name, unsigned line, unsigned col,
		    const char *v, size_t n)
{
	/* "INCLUDE file" and "MENU INCLUDE file [title]": the first word is the file. */
	size_t k = 0;
	while (k < n && !ch_blank(v[k]))
		k++;
	char *word = str_ndup(v, k);
	char *path = word ? path_in_dir(x->dir, word) : NULL;
	free(word);
	if (!path) {
		x->oom = true;
		return;
	}
	char *text, *child;
	size_t tlen;
	if (!include_enter(x->m, x->src, x->inc, path, name, line, col, &text, &tlen)) {
		child = source_child(name, path);
		if (child)
			x->oom |= parse_file(x, child, text, tlen) < 0;
		else
			x->oom = true;
		free(child);
		free(text);
		include_leave(x->inc);
	}
	free(path);
}

static void menu_keyword(struct extlinux *x, const char *name, unsigned line, const char *v,
			 size_t n, unsigned col)
{
	size_t k = 0;
	while (k < n && !ch_blank(v[k]))
		k++;
	const char *rest = v + k;
	size_t rn = n - k;
	while (rn && ch_blank(*rest))
		rest++, rn--;
	if ((mem_eq_nocase(v, k, "label") || mem_eq_nocase(v, k, "title")) &&
	    (x->cur || x->sub_header)) {
		/* '^' marks the hotkey letter in the menu; it is not part of the title. */
		struct strbuf b = { 0 };
		for (size_t i = 0; i < rn; i++)
			if (rest[i] != '^')
				sb_putc(&b, rest[i]);
		char *t = sb_take(&b);
		x->oom |= !t;
		/* A submenu is shown by its MENU LABEL, else its MENU TITLE; a label by its LABEL. */
		bool is_label = ascii_lower(v[0]) == 'l';
		char **dst = x->cur ? &x->cur->title : &x->sub[x->nr_sub - 1];
		if (x->cur ? is_label : is_label || !x->sub_labelled) {
			free(*dst);
			*dst = t;
			x->sub_labelled |= !x->cur && is_label;
		} else {
			free(t);
		}
	} else if (mem_eq_nocase(v, k, "default") && x->cur) {
		x->cur->menu_default = true;
	} else if (mem_eq_nocase(v, k, "include")) {
		include(x, name, line, col + (unsigned)(rest - v), rest, rn);
	} else if (mem_eq_nocase(v, k, "begin")) {
		end_label(x);
		if (x->nr_sub < SUBMENU_DEPTH) {
			x->sub[x->nr_sub] = str_ndup(rest, rn);
			x->oom |= !x->sub[x->nr_sub];
		}
		x->nr_sub++;
		x->sub_header = x->nr_sub <= SUBMENU_DEPTH;
		x->sub_labelled = false;
	} else if (mem_eq_nocase(v, k, "end") && x->nr_sub) {
		end_label(x);
		if (--x->nr_sub < SUBMENU_DEPTH) {
			free(x->sub[x->nr_sub]);
			x->sub[x->nr_sub] = NULL;
		}
		x->sub_header = false;
	}
	/* MENU TITLE, COLOR, HIDDEN, SEPARATOR, BEGIN/END, ...: presentation only. */
}

static void keyword(struct extlinux *x, const char *name, unsigned line, const char *kw,
		    size_t kn, unsigned kcol, const char *v, size_t n, unsigned col)
{
	struct label *l = x->cur;
	long t;
	if (mem_eq_nocase(kw, kn, "label")) {
		begin_label(x, name, v, n, line);
	} else if (mem_eq_nocase(kw, kn, "kernel") || mem_eq_nocase(kw, kn, "linux")) {
		if (!l)
			menu_warn(x->m, name, line, kcol, "%.*s outside a LABEL; ignored", (int)kn,
				  kw);
		else
			replace(&l->kernel, v, n, &x->oom);
	} else if (foreign_kind(kw, kn)) {
		/* Remembered in capitals, as the Syslinux documentation writes keywords. */
		for (size_t i = 0; l && i < kn && i + 1 < sizeof(l->why); i++) {
			l->why[i] = ch_alpha(kw[i]) ? (char)(kw[i] & ~0x20) : kw[i];
			l->why[i + 1] = 0;
		}
	} else if (mem_eq_nocase(kw, kn, "append")) {
		if (l) {
			l->has_append = replace(&l->append, v, n, &x->oom);
		} else {
			x->has_g_append = replace(&x->g_append, v, n, &x->oom);
		}
	} else if (mem_eq_nocase(kw, kn, "initrd")) {
		if (l)
			l->has_initrd = replace(&l->initrd, v, n, &x->oom);
		else
			x->has_g_initrd = replace(&x->g_initrd, v, n, &x->oom);
	} else if (mem_eq_nocase(kw, kn, "default")) {
		replace(&x->g_default, v, n, &x->oom);
	} else if (mem_eq_nocase(kw, kn, "ontimeout")) {
		replace(&x->ontimeout, v, n, &x->oom);
	} else if (mem_eq_nocase(kw, kn, "ui")) {
		x->ui = true;
	} else if (mem_eq_nocase(kw, kn, "prompt")) {
		x->prompt = n && v[0] != '0';
	} else if (mem_eq_nocase(kw, kn, "timeout")) {
		if (parse_int(v, n, 1000000, &t) && t >= 0)
			x->timeout = t;
		else
			menu_warn(x->m, name, line, col, "TIMEOUT '%.*s' is not a number", (int)n, v);
	} else if (mem_eq_nocase(kw, kn, "include")) {
		include(x, name, line, col, v, n);
	} else if (mem_eq_nocase(kw, kn, "menu")) {
		menu_keyword(x, name, line, v, n, col);
	} else if (!ignored(kw, kn)) {
		menu_warn(x->m, name, line, kcol, "unknown keyword '%.*s'; ignored", (int)kn, kw);
	}
}

static int parse_file(struct extlinux *x, const char *name, const char *text, size_t len)
{
	struct line_reader r;
	const char *line;
	size_t n;
	bool in_text = false;

	lines_init(&r, text, len);
	while (!x->oom && lines_next(&r, &line, &n)) {
		size_t i = 0;
		while (i < n && ch_blank(line[i]))
			i++;
		if (i == n || line[i] == '#')
			continue;
		const char *kw = line + i;
		while (i < n && !ch_blank(line[i]))
			i++;
		size_t kn = (size_t)(line + i - kw);
		/* TEXT HELP ... ENDTEXT: help text shown by the menu, not keywords. */
		if (in_text) {
			in_text = !mem_eq_nocase(kw, kn, "endtext");
			continue;
		}
		if (mem_eq_nocase(kw, kn, "text")) {
			in_text = true;
			continue;
		}
		while (i < n && ch_blank(line[i]))
			i++;
		size_t end = n;
		while (end > i && ch_blank(line[end - 1]))
			end--;
		keyword(x, name, r.lineno, kw, kn, (unsigned)(kw - line) + 1, line + i, end - i,
			(unsigned)i + 1);
	}
	return x->oom ? -ENOMEM : 0;
}

/* DEFAULT without a matching LABEL is a kernel command line ("DEFAULT vmlinuz ro"). */
static void default_kernel(struct extlinux *x, const char *name)
{
	const char *d = x->g_default;
	size_t k = 0;
	while (d[k] && !ch_space(d[k]))
		k++;
	char *first = str_ndup(d, k);
	if (!first) {
		x->oom = true;
		return;
	}
	bool labelled = false;
	for (unsigned i = x->base; i < x->m->count; i++)
		labelled |= !strcmp(x->m->entries[i].id, first);
	if (!labelled) {
		begin_label(x, name, first, k, 0);
		if (x->cur)
			replace(&x->cur->kernel, d, strlen(d), &x->oom);
	}
	free(first);
	end_label(x);
}

int config_parse_extlinux(struct menu *m, const struct config_source *src, const char *text,
			  size_t len)
{
	struct include_stack inc = { .top = source_path(src->name) };
	struct extlinux x = { .m = m, .src = src, .inc = &inc, .timeout = -2, .base = m->count };
	unsigned base = m->count;
	int rc = 0;

	x.dir = source_dir(src->name);
	if (!x.dir && source_path(src->name))
		return -ENOMEM;
	parse_file(&x, src->name, text, len);
	end_label(&x);
	if (x.g_default && !x.oom) {
		/* "DEFAULT menu.c32" (old style) selects the menu program, not an entry. */
		if (!linux_image(x.g_default))
			x.ui = true;
		else
			default_kernel(&x, src->name);
	}
	/* Which entry the timeout boots: MENU DEFAULT, else ONTIMEOUT, else DEFAULT. */
	const char *def = x.menu_default ? x.menu_default : x.ontimeout ? x.ontimeout
			  : x.g_default && linux_image(x.g_default) ? x.g_default : NULL;
	if (def && m->count > base && !x.oom) {
		size_t k = 0;
		while (def[k] && !ch_space(def[k]))
			k++;
		free(m->default_id);
		m->default_id = str_ndup(def, k);
		x.oom |= !m->default_id;
	}
	/*
	 * TIMEOUT is in tenths of a second (rounded up here) and 0 disables it;
	 * without one, Syslinux boots at once unless a prompt or menu waits.
	 */
	if (x.timeout > 0)
		m->timeout = (int)((x.timeout + 9) / 10);
	else if (x.timeout == 0 || x.prompt || x.ui)
		m->timeout = -1;
	else
		m->timeout = 0;
	if (x.oom)
		rc = -ENOMEM;
	label_clear(&x.l);
	free(x.dir);
	free(x.g_append);
	free(x.g_initrd);
	free(x.g_default);
	free(x.ontimeout);
	free(x.menu_default);
	for (unsigned i = 0; i < x.nr_sub && i < SUBMENU_DEPTH; i++)
		free(x.sub[i]);
	return rc;
}
