/* SPDX-License-Identifier: MIT */
/*
 * Boot Loader Specification type #1 entries and loader.conf
 * (uapi-group.org/specifications/specs/boot_loader_specification).
 *
 * An entry file is "KEY VALUE" lines; '#' starts a comment line. Keys:
 * title, version, machine-id, sort-key, linux, initrd (may repeat; several
 * paths on one line are also taken, as GRUB's blscfg does), options (may
 * repeat; joined with spaces), efi (not bootable here), architecture (only
 * x64 entries are kept), devicetree/devicetree-overlay (ignored), and
 * Fedora's grub_users/grub_arg/grub_class/grub_hotkey (ignored).
 */
#include "../core/errno.h"
#include "parser.h"

struct bls_parse {
	struct menu *m;
	const struct config_source *src;
	const struct bls_context *bc;
	struct menu_entry *e;
	unsigned line;
	const char *line_start;
	bool foreign_arch, has_efi, warned_vars, oom;
	char *efi; /* the `efi` key's value, until the entry is complete */
};

/* A path of the entry: absolute on its partition, which GRUB's blscfg names. */
static char *entry_path(const struct bls_parse *p, const char *path)
{
	/* "Paths may be prefixed with a /, but this is optional" (spec, type #1 keys). */
	const char *slash = path[0] == '/' ? "" : "/";
	if (!p->bc || !p->bc->root || !*p->bc->root)
		return str_cat3(slash, path, "");
	char *dev = str_cat3("(", p->bc->root, ")");
	char *s = dev ? str_cat3(dev, slash, path) : NULL;
	free(dev);
	return s;
}

/*
 * A value with GRUB variables: expanded under blscfg; on its own the entry
 * came from an old Fedora whose options said "$kernelopts" and relied on
 * GRUB's environment block, so say so and keep the text.
 */
static char *value_of(struct bls_parse *p, const char *v, size_t n, unsigned col)
{
	char *s = str_ndup(v, n);
	if (!s || !memchr(v, '$', n))
		return s;
	if (p->bc && p->bc->lookup) {
		/* GRUB splits the expanded line into words: blanks collapse. */
		char *x = expand_vars(s, p->bc->lookup, p->bc->ctx);
		free(s);
		if (x) {
			size_t o = 0;
			for (size_t i = 0; x[i]; i++)
				if (!ch_space(x[i]) || (o && !ch_space(x[o - 1]) &&
							 x[i + 1] && !ch_space(x[i + 1])))
					x[o++] = ch_space(x[i]) ? ' ' : x[i];
			x[o] = 0;
		}
		return x;
	}
	if (!p->warned_vars)
		menu_warn(p->m, p->src->name, p->line, col,
			  "'%s' uses GRUB environment variables; kept as written", s);
	p->warned_vars = true;
	return s;
}

static bool set_str(char **dst, char *value)
{
	if (!value)
		return false;
	free(*dst);
	*dst = value;
	return true;
}

static bool add_initrds(struct bls_parse *p, const char *value, unsigned col)
{
	for (const char *w = value; *w;) {
		while (ch_space(*w))
			w++;
		const char *end = w;
		while (*end && !ch_space(*end))
			end++;
		if (end == w)
			break;
		if (*w == '$') {
			menu_warn(p->m, p->src->name, p->line, col,
				  "initrd '%.*s' is a GRUB variable; ignored", (int)(end - w), w);
		} else {
			char *word = str_ndup(w, (size_t)(end - w));
			char *path = word ? entry_path(p, word) : NULL;
			free(word);
			if (!entry_add_initrd(p->m, p->e, path, p->src->name, p->line, col))
				return false;
		}
		w = end;
	}
	return true;
}

static bool entry_key(struct bls_parse *p, const char *key, size_t klen, const char *v,
		      size_t vlen, unsigned col)
{
	struct menu_entry *e = p->e;
	static const char *const ignored[] = { "devicetree", "devicetree-overlay", "grub_users",
					       "grub_arg", "grub_class", "grub_hotkey" };
#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(key, k, klen))
	if (KEY("title"))
		return set_str(&e->title, str_ndup(v, vlen));
	if (KEY("version"))
		return set_str(&e->version, str_ndup(v, vlen));
	if (KEY("machine-id"))
		return set_str(&e->machine_id, str_ndup(v, vlen));
	if (KEY("sort-key"))
		return set_str(&e->sort_key, str_ndup(v, vlen));
	if (KEY("linux")) {
		if (!vlen) {
			menu_warn(p->m, p->src->name, p->line, col, "'linux' without a path");
			return true;
		}
		char *raw = value_of(p, v, vlen, col);
		char *path = raw ? entry_path(p, raw) : NULL;
		free(raw);
		return set_str(&e->kernel, path);
	}
	if (KEY("initrd")) {
		char *raw = value_of(p, v, vlen, col);
		bool ok = raw && add_initrds(p, raw, col);
		free(raw);
		return ok;
	}
	if (KEY("options")) {
		char *raw = value_of(p, v, vlen, col);
		bool ok = raw && entry_append_cmdline(e, raw);
		free(raw);
		return ok;
	}
	if (KEY("efi")) {
		/* An EFI program (systemd-boot's `efi` key); `linux`, if also given, wins. */
		p->has_efi = true;
		free(p->efi);
		char *raw = value_of(p, v, vlen, col);
		p->efi = raw ? entry_path(p, raw) : NULL;
		free(raw);
		return p->efi != NULL;
	}
	if (KEY("architecture")) {
		/* "compared case-insensitively" with the EFI name of this machine */
		if (!mem_eq_nocase(v, vlen, "x64")) {
			p->foreign_arch = true;
			menu_warn(p->m, p->src->name, p->line, col,
				  "entry for architecture '%.*s'; skipped", (int)vlen, v);
		}
		return true;
	}
#undef KEY
	for (unsigned i = 0; i < ARRAY_SIZE(ignored); i++)
		if (klen == strlen(ignored[i]) && !memcmp(key, ignored[i], klen))
			return true;
	menu_warn(p->m, p->src->name, p->line, (unsigned)(key - p->line_start) + 1, "unknown key '%.*s'; ignored", (int)klen, key);
	return true;
}

/* Split "KEY VALUE" with the value trimmed; false for blank and comment lines. */
static bool split_line(const char *line, size_t n, const char **key, size_t *klen,
		       const char **value, size_t *vlen, unsigned *vcol)
{
	size_t i = 0;
	while (i < n && ch_blank(line[i]))
		i++;
	if (i == n || line[i] == '#')
		return false;
	*key = line + i;
	while (i < n && !ch_blank(line[i]))
		i++;
	*klen = (size_t)(line + i - *key);
	while (i < n && ch_blank(line[i]))
		i++;
	/* A NUL ends the value: C strings could not carry what follows anyway. */
	n = i + strnlen(line + i, n - i);
	while (n > i && ch_blank(line[n - 1]))
		n--;
	*value = line + i;
	*vlen = n - i;
	*vcol = (unsigned)i + 1;
	return true;
}

int bls_parse_entry(struct menu *m, const struct config_source *src, const char *id,
		    const char *text, size_t len, const struct bls_context *bc)
{
	struct bls_parse p = { .m = m, .src = src, .bc = bc };
	struct line_reader r;
	const char *line;
	size_t n;

	p.e = menu_add(m, src->name, 1);
	if (!p.e)
		return m->count < MENU_MAX_ENTRIES ? -ENOMEM : 0;
	if (!set_str(&p.e->id, str_dup(id)))
		goto oom;
	lines_init(&r, text, len);
	while (lines_next(&r, &line, &n)) {
		const char *key, *value;
		size_t klen, vlen;
		unsigned col;
		p.line = r.lineno;
		p.line_start = line;
		if (split_line(line, n, &key, &klen, &value, &vlen, &col) &&
		    !entry_key(&p, key, klen, value, vlen, col))
			goto oom;
	}
	if (p.foreign_arch) {
		free(p.efi);
		menu_drop_last(m);
		return 0;
	}
	if (!p.e->kernel && p.efi) {
		p.e->kernel = p.efi;
		p.e->protocol = KERNEL_EFI;
		p.efi = NULL;
	}
	free(p.efi);
	p.efi = NULL;
	if (!p.e->kernel) {
		menu_warn(m, src->name, 0, 0, "no 'linux' or 'efi' key; entry skipped");
		menu_drop_last(m);
		return 0;
	}
	if (!entry_fill_defaults(p.e))
		goto oom;
	return 0;
oom:
	free(p.efi);
	menu_drop_last(m);
	return -ENOMEM;
}

/* A run of at most 6 digits (the spec's counters are small; larger is not a counter). */
static bool counter_digits(const char **p, int *out)
{
	int v = 0, n = 0;
	for (; ch_digit(**p) && n < 7; (*p)++, n++)
		v = v * 10 + (**p - '0');
	*out = v;
	return n > 0 && n <= 6;
}

bool bls_counter_parse(const char *stem, int *left, int *done, size_t *name_len)
{
	const char *plus = stem ? strrchr(stem, '+') : NULL;
	if (!plus || plus == stem)
		return false;
	const char *p = plus + 1;
	*done = 0;
	if (!counter_digits(&p, left))
		return false;
	if (*p == '-') {
		p++;
		if (!counter_digits(&p, done))
			return false;
	}
	if (*p)
		return false;
	*name_len = (size_t)(plus - stem);
	return true;
}

int config_parse_bls_entry(struct menu *m, const struct config_source *src, const char *id,
			   const char *text, size_t len)
{
	unsigned before = m->count;
	int left, done;
	size_t n;
	int rc = bls_parse_entry(m, src, id, text, len, NULL);
	if (rc || m->count == before || !bls_counter_parse(id, &left, &done, &n))
		return rc;
	/*
	 * Boot counting: the counter is no part of the id (spec, "Boot
	 * counting"), which stays the same while the file is renamed, so
	 * LoaderEntryDefault, one-shots and `entry=` keep naming it.
	 */
	struct menu_entry *e = &m->entries[m->count - 1];
	e->tries_left = left;
	e->tries_done = done;
	e->id[n] = 0;
	return 0;
}

/* loader.conf's "timeout": seconds, or systemd-boot's menu-* words. */
static void loader_timeout(struct menu *m, const struct config_source *src, unsigned line,
			   unsigned col, const char *v, size_t n)
{
	long t;
	if (mem_eq_nocase(v, n, "menu-force"))
		m->timeout = -1;
	else if (mem_eq_nocase(v, n, "menu-hidden") || mem_eq_nocase(v, n, "menu-disabled"))
		m->timeout = 0;
	else if (parse_int(v, n, 100000, &t) && t >= 0)
		m->timeout = (int)t;
	else
		menu_warn(m, src->name, line, col, "timeout '%.*s' is not a number of seconds",
			  (int)n, v);
}

int config_parse_loader_conf(struct menu *m, const struct config_source *src, const char *text,
			     size_t len)
{
	/* systemd-boot settings that have no meaning here. */
	static const char *const ignored[] = {
		"console-mode", "editor", "auto-entries", "auto-firmware", "auto-reboot",
		"auto-poweroff", "beep", "secure-boot-enroll", "reboot-for-bitlocker",
		"random-seed-mode", "reboot-on-error", "preferred",
	};
	struct line_reader r;
	const char *line;
	size_t n;

	lines_init(&r, text, len);
	while (lines_next(&r, &line, &n)) {
		const char *key, *v;
		size_t klen, vlen;
		unsigned col;
		bool known = false;
		if (!split_line(line, n, &key, &klen, &v, &vlen, &col))
			continue;
		if (klen == 7 && !memcmp(key, "default", 7)) {
			if (vlen && v[0] == '@') {
				menu_warn(m, src->name, r.lineno, col,
					  "default '%.*s' needs EFI variables; ignored", (int)vlen, v);
				continue;
			}
			char *d = str_ndup(v, vlen);
			if (!d)
				return -ENOMEM;
			free(m->default_id);
			m->default_id = d;
			continue;
		}
		if (klen == 7 && !memcmp(key, "timeout", 7)) {
			loader_timeout(m, src, r.lineno, col, v, vlen);
			continue;
		}
		for (unsigned i = 0; i < ARRAY_SIZE(ignored); i++)
			known |= klen == strlen(ignored[i]) && !memcmp(key, ignored[i], klen);
		if (!known)
			menu_warn(m, src->name, r.lineno, (unsigned)(key - line) + 1,
				  "unknown key '%.*s'; ignored", (int)klen, key);
	}
	return 0;
}

/*
 * Boot counting ("Boot counting" in the spec): an id ending in "+LEFT" or
 * "+LEFT-DONE" with LEFT = 0 is a "bad" entry.
 */
static bool bad_entry(const char *id)
{
	const char *plus = id ? strrchr(id, '+') : NULL;
	if (!plus || !ch_digit(plus[1]))
		return false;
	const char *p = plus + 1;
	bool zero = true;
	for (; ch_digit(*p); p++)
		zero &= *p == '0';
	if (*p == '-' && ch_digit(p[1]))
		for (p++; ch_digit(*p); p++)
			;
	return !*p && zero;
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

/* The spec's "Sorting" rules 1-4; <0 when @a is shown before @b. */
static int bls_cmp(const struct menu_entry *a, const struct menu_entry *b)
{
	/* A parsed counter (config_parse_bls_entry) or one still in the id (blscfg). */
	bool bad_a = a->tries_left == 0 || bad_entry(a->id);
	bool bad_b = b->tries_left == 0 || bad_entry(b->id);
	if (bad_a != bad_b)
		return bad_a ? 1 : -1;
	const char *ka = str_or_empty(a->sort_key), *kb = str_or_empty(b->sort_key);
	if (*ka && *kb) {
		int r = strcmp(ka, kb);
		if (!r)
			r = strcmp(str_or_empty(a->machine_id), str_or_empty(b->machine_id));
		if (!r)
			r = -config_version_cmp(str_or_empty(a->version), str_or_empty(b->version));
		if (r)
			return r;
	} else if (*ka || *kb) {
		return *ka ? -1 : 1;
	}
	return -config_version_cmp(str_or_empty(a->id), str_or_empty(b->id));
}

void config_sort_bls(struct menu_entry *entries, unsigned count)
{
	/* Insertion sort: stable, no allocation, and count <= MENU_MAX_ENTRIES. */
	for (unsigned i = 1; i < count; i++) {
		struct menu_entry x = entries[i];
		unsigned j = i;
		for (; j > 0 && bls_cmp(&entries[j - 1], &x) > 0; j--)
			entries[j] = entries[j - 1];
		entries[j] = x;
	}
}
