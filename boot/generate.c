/* SPDX-License-Identifier: MIT */
/*
 * A menu for a disk with no config at all: every /boot/vmlinuz-VERSION (or
 * /vmlinuz-VERSION), with the initrd of the same version if there is one
 * (Debian's initrd.img-VERSION, Fedora's initramfs-VERSION.img), newest
 * version first.
 */
#include "../core/log.h"
#include "discover.h"

/* Compare versions: runs of digits numerically, everything else bytewise. */
static int version_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			uint64_t x = 0, y = 0;
			while (*a >= '0' && *a <= '9')
				x = x * 10 + (uint64_t)(*a++ - '0');
			while (*b >= '0' && *b <= '9')
				y = y * 10 + (uint64_t)(*b++ - '0');
			if (x != y)
				return x < y ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++, b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

struct scan {
	const char *dir;
	struct mounted *m;
	char *versions[MENU_MAX_ENTRIES];
	unsigned count;
};

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, enum fs_type type)
{
	struct scan *s = ctx;
	if (len <= 8 || memcmp(name, "vmlinuz-", 8) || s->count >= MENU_MAX_ENTRIES)
		return 0;
	char *v = malloc(len - 8 + 1);
	if (!v)
		return -1;
	memcpy(v, name + 8, len - 8);
	v[len - 8] = 0;
	s->versions[s->count++] = v;
	return 0;
}

static bool exists(struct mounted *m, const char *path)
{
	uint64_t ino;
	return fs_resolve(m->fs, path, &ino) == 0;
}

static char *dup_printf2(const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
	char *s = malloc(n);
	if (s)
		fmt_snprintf(s, n, fmt, a, b);
	return s;
}

void menu_generate(struct menu *menu, struct mounted *m)
{
	static const char *const dirs[] = { "/boot", "" };
	for (unsigned d = 0; d < ARRAY_SIZE(dirs); d++) {
		struct scan s = { dirs[d], m, { 0 }, 0 };
		uint64_t ino;
		if (fs_resolve(m->fs, *dirs[d] ? dirs[d] : "/", &ino) ||
		    m->fs->ops->readdir(m->fs, ino, collect, &s) < 0 || !s.count) {
			for (unsigned i = 0; i < s.count; i++)
				free(s.versions[i]);
			continue;
		}
		/* Newest first: a simple insertion sort, descending. */
		for (unsigned i = 1; i < s.count; i++) {
			char *x = s.versions[i];
			unsigned j = i;
			for (; j > 0 && version_cmp(s.versions[j - 1], x) < 0; j--)
				s.versions[j] = s.versions[j - 1];
			s.versions[j] = x;
		}
		for (unsigned i = 0; i < s.count; i++) {
			const char *v = s.versions[i];
			struct menu_entry *e = menu_add(menu, "generated", 0);
			if (!e)
				break;
			e->id = dup_printf2("%s%s", "vmlinuz-", v);
			e->title = dup_printf2("Linux %s%s", v, "");
			e->kernel = dup_printf2("%s/vmlinuz-%s", dirs[d], v);
			/* The root is most likely the filesystem holding /boot. */
			e->cmdline = *m->uuid ? dup_printf2("root=UUID=%s ro%s", m->uuid, "")
					      : dup_printf2("%s%s", "", "");
			char *initrd = dup_printf2("%s/initrd.img-%s", dirs[d], v);
			if (initrd && !exists(m, initrd)) {
				free(initrd);
				initrd = dup_printf2("%s/initramfs-%s.img", dirs[d], v);
				if (initrd && !exists(m, initrd)) {
					free(initrd);
					initrd = NULL;
				}
			}
			if (initrd)
				e->initrds[e->nr_initrds++] = initrd;
		}
		for (unsigned i = 0; i < s.count; i++)
			free(s.versions[i]);
		return;
	}
}
