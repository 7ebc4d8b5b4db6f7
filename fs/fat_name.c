/* SPDX-License-Identifier: MIT */
/* FAT: 8.3 and long names, case folding for lookups, name walks (fat_priv.h). */
#include "../core/str.h"
#include "../core/utf8.h"
#include "fat_priv.h"

/* ---- names ---- */


/*
 * The 8.3 name as text: "NAME.EXT", lower-cased per the NT case bits. The
 * OEM code page is unknown, so bytes above 0x7f become U+FFFD; files with
 * such short names are still found through their long names.
 */
static size_t short_name(const struct fat_dirent *d, char *out)
{
	size_t base = 8, ext = 3, n = 0;
	while (base && d->name[base - 1] == ' ')
		base--;
	while (ext && d->name[8 + ext - 1] == ' ')
		ext--;
	for (size_t i = 0; i < base + ext; i++) {
		uint8_t c = i < base ? d->name[i] : d->name[8 + i - base];
		bool lower = i < base ? d->nt_case & FAT_NT_LOWER_BASE : d->nt_case & FAT_NT_LOWER_EXT;
		if (i == base)
			out[n++] = '.';
		if (i == 0 && c == FAT_NAME_KANJI_E5)
			c = FAT_NAME_DELETED;
		if (c >= 0x80)
			n += utf8_put(out + n, UTF8_REPLACEMENT_CHAR);
		else
			out[n++] = lower ? ascii_lower((char)c) : (char)c;
	}
	out[n] = 0;
	return n;
}

/* [FATGEN] §7.2: the checksum every long-name entry carries of its 8.3 name. */
static uint8_t lfn_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
	return sum;
}

/* A long name being assembled from its entries, last part first. */
struct lfn {
	uint8_t units[FAT_LFN_MAX_ENTRIES * FAT_LFN_UNITS * 2]; /* UTF-16LE as on disk */
	unsigned count;    /* units in the name (entries * 13) */
	unsigned next_ord; /* the order number the next entry must have; 0 = complete */
	uint8_t checksum;
	bool active;
};

static void lfn_add(struct lfn *l, const struct fat_lfn_entry *e)
{
	unsigned ord = e->ord & FAT_LFN_ORD_MASK;
	if (e->type != 0 || e->cluster != 0 || ord == 0 || ord > FAT_LFN_MAX_ENTRIES) {
		l->active = false;
		return;
	}
	if (e->ord & FAT_LFN_LAST) {
		l->active = true;
		l->count = ord * FAT_LFN_UNITS;
		l->checksum = e->checksum;
	} else if (!l->active || ord != l->next_ord || e->checksum != l->checksum) {
		l->active = false; /* an orphan: ignore it, as [FATGEN] §7.4 asks */
		return;
	}
	/* The three pieces of 5, 6 and 2 units, kept as the little-endian bytes they are. */
	uint8_t *u = l->units + (ord - 1) * FAT_LFN_UNITS * 2;
	const uint8_t *raw = (const uint8_t *)e;
	memcpy(u, raw + offsetof(struct fat_lfn_entry, name1), 10);
	memcpy(u + 10, raw + offsetof(struct fat_lfn_entry, name2), 12);
	memcpy(u + 22, raw + offsetof(struct fat_lfn_entry, name3), 4);
	l->next_ord = ord - 1;
}

/* The assembled long name as UTF-8 (core/utf8.h's surrogate policy); 0 if unusable. */
static size_t lfn_name(const struct lfn *l, const struct fat_dirent *d, char *out)
{
	if (!l->active || l->next_ord != 0 || l->checksum != lfn_checksum(d->name))
		return 0;
	/* FAT_NAME_BUF holds 3 bytes a unit, the most any unit needs: never -E2BIG. */
	int n = utf16_to_utf8(l->units, l->count, UTF16_LE, out, FAT_NAME_BUF);
	return n > 0 ? (size_t)n : 0;
}


struct name_walk {
	struct fat_fs *f;
	int (*fn)(void *ctx, const struct fat_name *n);
	void *ctx;
	struct lfn lfn;
	char name[FAT_NAME_BUF];
	char alias[FAT_SHORT_BUF];
};

static int name_visit(void *ctx, const struct fat_dirent *d, uint64_t off)
{
	struct name_walk *w = ctx;
	if (d->name[0] == FAT_NAME_DELETED) {
		w->lfn.active = false;
		return 0;
	}
	if ((d->attr & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN) {
		lfn_add(&w->lfn, (const struct fat_lfn_entry *)d);
		return 0;
	}
	struct fat_name n = { w->name, 0, w->alias, 0, d, off };
	if (d->attr & FAT_ATTR_DIRECTORY)
		n.ino = fat_dir_ino(w->f, fat_first_cluster(w->f, d));
	n.len = lfn_name(&w->lfn, d, w->name);
	w->lfn.active = false;
	if (d->attr & FAT_ATTR_VOLUME_ID)
		return 0;
	n.alias_len = short_name(d, w->alias);
	if (!n.alias_len)
		return 0;
	if (!n.len)
		n.name = w->alias, n.len = n.alias_len;
	return w->fn(w->ctx, &n);
}

int fat_name_walk(struct fat_fs *f, uint64_t dir, int (*fn)(void *, const struct fat_name *),
		  void *ctx)
{
	uint32_t cluster;
	int rc = fat_dir_location(f, dir, &cluster);
	if (rc)
		return rc;
	struct name_walk *w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->f = f;
	w->fn = fn;
	w->ctx = ctx;
	w->lfn.active = false;
	rc = fat_dir_walk(f, cluster, name_visit, w);
	free(w);
	return rc;
}

bool fat_is_dot_or_dotdot(const char *s, size_t len)
{
	return (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
}

/*
 * Case folding for lookups. Windows compares names through an upper-case
 * table covering the BMP; this folds ASCII, Latin-1, Latin Extended-A,
 * Greek and Cyrillic (one-to-one mappings only), which covers file names in
 * European languages. Other scripts must match exactly.
 */
static uint32_t fold(uint32_t c)
{
	if (c < 0x80)
		return (uint8_t)ascii_lower((char)c);
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if ((c >= 0x100 && c < 0x130) || (c >= 0x132 && c < 0x138) || (c >= 0x14a && c < 0x178))
		return c | 1;
	if ((c >= 0x139 && c < 0x149) || (c >= 0x179 && c < 0x17f))
		return c & 1 ? c + 1 : c;
	if (c == 0x178)
		return 0xff;
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	if (c >= 0x391 && c <= 0x3ab && c != 0x3a2)
		return c + 32;
	if (c == 0x3c2) /* final sigma */
		return 0x3c3;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	return c;
}

/* The next code point of UTF-8 text; a malformed byte stands for itself (0x80000000 | byte). */
static uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
	const uint8_t *p = (const uint8_t *)s + *i;
	size_t left = len - *i;
	unsigned n = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
				       : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 0 || n > left) {
		(*i)++;
		return 0x80000000u | p[0];
	}
	uint32_t c = n == 1 ? p[0] : p[0] & (0x7fu >> n);
	for (unsigned k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			(*i)++;
			return 0x80000000u | p[0];
		}
		c = c << 6 | (p[k] & 0x3fu);
	}
	*i += n;
	return c;
}

bool fat_names_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;
	while (i < alen && j < blen)
		if (fold(utf8_next(a, alen, &i)) != fold(utf8_next(b, blen, &j)))
			return false;
	return i == alen && j == blen;
}
