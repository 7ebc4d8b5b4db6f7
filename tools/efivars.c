/* SPDX-License-Identifier: MIT */
/*
 * EFI variables through efivarfs or in a variable store file
 * (tools/efivars.h). efivarfs files are the 4-byte attributes then the
 * value; they are created immutable, so a write or delete first clears
 * that flag (Documentation/filesystems/efivarfs.rst).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "efivars.h"

/* Value sizes pvhboot reads: strings and load options are far smaller. */
#define EFIVAR_MAX (64u * 1024)

int efivars_open(struct efivars *ev, const char *store_path)
{
	memset(ev, 0, sizeof(*ev));
	ev->store_path = store_path;
	if (!store_path) {
		if (access(EFIVARFS, R_OK) < 0) {
			fprintf(stderr, "pvhboot: no EFI variables (%s: %s): not booted through EFI?\n",
				EFIVARFS, strerror(errno));
			return -ENOENT;
		}
		return 0;
	}
	int rc = varstore_load(store_path, &ev->store);
	if (rc)
		fprintf(stderr, "pvhboot: %s: %s\n", store_path,
			rc == -EINVAL ? "not an EDK2 variable store (a copy of OVMF_VARS*.fd)"
				      : strerror(-rc));
	return rc;
}

int efivars_close(struct efivars *ev, bool save)
{
	int rc = 0;
	if (!ev->store_path)
		return 0;
	if (save && ev->dirty) {
		rc = varstore_save(ev->store_path, &ev->store);
		if (rc)
			fprintf(stderr, "pvhboot: %s: %s\n", ev->store_path, strerror(-rc));
	}
	varstore_free(&ev->store);
	return rc;
}

static void fs_path(const char *name, const char *guid, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s-%s", EFIVARFS, name, guid);
}

int efivars_get(struct efivars *ev, const char *name, const char *guid, uint8_t **data,
		size_t *size, uint32_t *attrs)
{
	if (ev->store_path) {
		uint8_t g[16];
		struct varstore_var v;
		if (guid_parse(guid, g) || varstore_get(&ev->store, name, g, &v))
			return -ENOENT;
		*data = malloc(v.size ? v.size : 1);
		if (!*data)
			return -ENOMEM;
		memcpy(*data, v.data, v.size);
		*size = v.size;
		*attrs = v.attrs;
		return 0;
	}
	char path[512];
	void *raw;
	size_t len;
	fs_path(name, guid, path, sizeof(path));
	int rc = read_whole_file(path, &raw, &len);
	if (rc)
		return rc;
	if (len < 4 || len - 4 > EFIVAR_MAX) {
		free(raw);
		return -EINVAL;
	}
	memcpy(attrs, raw, 4);
	memmove(raw, (uint8_t *)raw + 4, len - 4);
	*data = raw;
	*size = len - 4;
	return 0;
}

/* efivarfs makes each variable file immutable; writing or deleting needs that off. */
static void make_mutable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int flags;
	if (fd < 0)
		return;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL)) {
		flags &= ~FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
}

int efivars_set(struct efivars *ev, const char *name, const char *guid, uint32_t attrs,
		const void *data, size_t size)
{
	if (ev->store_path) {
		uint8_t g[16];
		if (guid_parse(guid, g) || size > UINT32_MAX)
			return -EINVAL;
		int rc = varstore_set(&ev->store, name, g, attrs, data, (uint32_t)size);
		if (!rc)
			ev->dirty = true;
		return rc;
	}
	char path[512];
	fs_path(name, guid, path, sizeof(path));
	make_mutable(path);
	if (!data)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	/* One write() carrying attributes and value is one SetVariable() call. */
	uint8_t *buf = malloc(size + 4);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &attrs, 4);
	memcpy(buf + 4, data, size);
	int rc = 0, fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		rc = -errno;
	else if (write(fd, buf, size + 4) != (ssize_t)(size + 4))
		rc = -errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int efivars_get_string(struct efivars *ev, const char *name, const char *guid, char *out,
		       size_t cap)
{
	uint8_t *data;
	size_t size, n = 0;
	uint32_t attrs;
	int rc = efivars_get(ev, name, guid, &data, &size, &attrs);
	if (rc)
		return rc;
	for (size_t i = 0; i + 1 < size && n + 1 < cap; i += 2) {
		uint16_t c = (uint16_t)(data[i] | data[i + 1] << 8);
		if (!c)
			break;
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	out[n] = 0;
	free(data);
	return 0;
}

int efivars_set_string(struct efivars *ev, const char *name, const char *guid, const char *value)
{
	size_t n = strlen(value) + 1;
	uint8_t *buf = malloc(2 * n);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)value[i] >= 0x80) {
			free(buf);
			return -EINVAL;
		}
		buf[2 * i] = (uint8_t)value[i];
		buf[2 * i + 1] = 0;
	}
	int rc = efivars_set(ev, name, guid, EFI_VAR_NV_BS_RT, buf, 2 * n);
	free(buf);
	return rc;
}
