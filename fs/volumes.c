/* SPDX-License-Identifier: MIT */
#include "../core/errno.h"
#include "../core/log.h"
#include "../core/str.h"
#include "partition.h"
#include "volumes.h"

static struct mounted mounts[VOLUMES_MAX];
static unsigned nr_mounts;

static void try_mount(struct volume *v, unsigned dev_index)
{
	if (nr_mounts >= VOLUMES_MAX)
		return;
	struct mounted *m = &mounts[nr_mounts];
	memset(m, 0, sizeof(*m));
	m->vol = *v;
	m->dev_index = dev_index;
	if (fs_mount(&m->vol, &m->fs))
		return;
	if (m->fs->ops->ids)
		m->fs->ops->ids(m->fs, m->uuid, sizeof(m->uuid), m->label, sizeof(m->label));
	if (v->kind == VOLUME_GPT)
		guid_to_text(v->part_guid, m->part_uuid);
	log_info("%s: %s%s%s%s%s", v->name, m->fs->ops->name, *m->label ? " label " : "",
		 m->label, *m->uuid ? " uuid " : "", m->uuid);
	nr_mounts++;
}

void volumes_discover(void)
{
	static struct volume parts[PART_MAX];
	for (unsigned d = 0; d < blockdev_count(); d++) {
		struct volume disk;
		unsigned n = 0;
		volume_of_disk(blockdev_get(d), &disk);
		if (partitions_scan(&disk, parts, PART_MAX, &n) == 0 && n) {
			for (unsigned i = 0; i < n; i++)
				try_mount(&parts[i], d);
		} else {
			try_mount(&disk, d); /* a filesystem on the whole device, or a CD */
		}
	}
}

unsigned volumes_count(void)
{
	return nr_mounts;
}

struct mounted *volumes_get(unsigned i)
{
	return i < nr_mounts ? &mounts[i] : NULL;
}

static bool eq(const char *a, const char *b, size_t n)
{
	return strlen(b) == n && !memcmp(a, b, n);
}

static bool prefix(const char *s, size_t n, const char *p, const char **rest, size_t *rest_len)
{
	size_t pl = strlen(p);
	if (n < pl || memcmp(s, p, pl))
		return false;
	*rest = s + pl;
	*rest_len = n - pl;
	return true;
}

/* "hd0,gpt2", "hd0,msdos1", "hd1": device index and partition (0 = whole). */
static bool parse_grub_dev(const char *s, size_t n, unsigned *dev, unsigned *part)
{
	const char *comma = memchr(s, ',', n);
	uint64_t d, p = 0;
	if (n < 3 || memcmp(s, "hd", 2))
		return false;
	size_t dlen = (size_t)((comma ? comma : s + n) - (s + 2));
	if (!parse_u64(s + 2, dlen, &d) || d > 255)
		return false;
	if (comma) {
		const char *ps = comma + 1;
		size_t pn = n - (size_t)(ps - s);
		if (pn > 3 && !memcmp(ps, "gpt", 3))
			ps += 3, pn -= 3;
		else if (pn > 5 && !memcmp(ps, "msdos", 5))
			ps += 5, pn -= 5;
		if (!parse_u64(ps, pn, &p) || p == 0 || p > 255)
			return false;
	}
	*dev = (unsigned)d;
	*part = (unsigned)p;
	return true;
}

static bool matches(struct mounted *m, const char *s, size_t n)
{
	const char *v;
	size_t vn;
	unsigned dev, part;
	if (prefix(s, n, "UUID=", &v, &vn))
		return mem_eq_nocase(v, vn, m->uuid);
	if (prefix(s, n, "LABEL=", &v, &vn))
		return eq(v, m->label, vn);
	if (prefix(s, n, "PARTUUID=", &v, &vn))
		return *m->part_uuid && mem_eq_nocase(v, vn, m->part_uuid);
	if (prefix(s, n, "PARTLABEL=", &v, &vn))
		return m->vol.kind == VOLUME_GPT && eq(v, m->vol.part_label, vn);
	if (parse_grub_dev(s, n, &dev, &part))
		return m->dev_index == dev && m->vol.index == part;
	return eq(s, m->vol.name, n);
}

int path_resolve(const char *spec, struct mounted *def, struct mounted **vol, const char **path)
{
	if (spec[0] != '(') {
		if (!def)
			return -ENOENT;
		*vol = def;
		*path = spec;
		return 0;
	}
	const char *close = strchr(spec, ')');
	if (!close || close == spec + 1)
		return -EINVAL;
	size_t n = (size_t)(close - spec - 1);
	for (unsigned i = 0; i < nr_mounts; i++) {
		if (matches(&mounts[i], spec + 1, n)) {
			*vol = &mounts[i];
			*path = *(close + 1) ? close + 1 : "/";
			return 0;
		}
	}
	return -ENODEV;
}

int path_read_file(const char *spec, struct mounted *def, size_t max, void **out, size_t *size)
{
	struct mounted *m;
	const char *path;
	int rc = path_resolve(spec, def, &m, &path);
	if (rc)
		return rc;
	return fs_read_file(m->fs, path, max, out, size);
}
