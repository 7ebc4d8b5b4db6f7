/* SPDX-License-Identifier: MIT */
/*
 * A xenstore client over the shared ring (docs/misc/xenstore.txt,
 * xenstore-ring.txt): one request at a time, replies matched by req_id,
 * unsolicited watch events skipped, error replies turned into -E* codes.
 * Every wait is bounded.
 */
#include "../core/errno.h"
#include "../core/log.h"
#include "xen.h"

#define XS_TIMEOUT_NS 5000000000ull

static volatile struct xenstore_domain_interface *ring;
static uint32_t port;
static uint32_t next_id = 1;

int xs_init(void)
{
	uint64_t pfn, evtchn;
	if (xen_hvm_param(HVM_PARAM_STORE_PFN, &pfn) || !pfn ||
	    xen_hvm_param(HVM_PARAM_STORE_EVTCHN, &evtchn))
		return log_err(-ENODEV, "xen: no xenstore");
	ring = (volatile struct xenstore_domain_interface *)(uintptr_t)(pfn << 12);
	port = (uint32_t)evtchn;
	return 0;
}

static int ring_write(const void *data, size_t len, uint64_t deadline)
{
	const char *p = data;
	while (len) {
		uint32_t prod = ring->req_prod, cons = ring->req_cons;
		__asm__ volatile("" ::: "memory");
		if (prod - cons > XENSTORE_RING_SIZE)
			return -EIO; /* the indices make no sense */
		uint32_t space = XENSTORE_RING_SIZE - (prod - cons);
		if (!space) {
			xen_evtchn_send(port);
			if (!xen_evtchn_wait(port, deadline))
				return -ETIMEDOUT;
			continue;
		}
		size_t n = MIN(len, (size_t)space);
		for (size_t i = 0; i < n; i++)
			ring->req[(prod + i) % XENSTORE_RING_SIZE] = p[i];
		/* Data before the index that publishes it. */
		__asm__ volatile("sfence" ::: "memory");
		ring->req_prod = prod + (uint32_t)n;
		xen_evtchn_send(port);
		p += n;
		len -= n;
	}
	return 0;
}

static int ring_read(void *data, size_t len, uint64_t deadline)
{
	char *p = data;
	while (len) {
		uint32_t cons = ring->rsp_cons, prod = ring->rsp_prod;
		__asm__ volatile("lfence" ::: "memory");
		if (prod - cons > XENSTORE_RING_SIZE)
			return -EIO;
		if (prod == cons) {
			if (!xen_evtchn_wait(port, deadline))
				return -ETIMEDOUT;
			continue;
		}
		size_t n = MIN(len, (size_t)(prod - cons));
		for (size_t i = 0; i < n; i++)
			p[i] = ring->rsp[(cons + i) % XENSTORE_RING_SIZE];
		__asm__ volatile("" ::: "memory");
		ring->rsp_cons = cons + (uint32_t)n;
		xen_evtchn_send(port);
		p += n;
		len -= n;
	}
	return 0;
}

static int errno_of(const char *name, size_t len)
{
	static const struct {
		const char *name;
		int err;
	} names[] = { { "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EINVAL", EINVAL },
		      { "EEXIST", EEXIST }, { "EAGAIN", EAGAIN }, { "E2BIG", E2BIG },
		      { "ENOSPC", ENOSPC }, { "EBUSY", EBUSY } };
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (strnlen(name, len) == strlen(names[i].name) && !strncmp(name, names[i].name, len))
			return -names[i].err;
	return -EIO;
}

/*
 * One request: @parts are concatenated as the payload. The reply payload
 * (at most @cap bytes kept, always NUL-terminated) goes to @reply.
 */
static int xs_request(uint32_t type, const char *const *parts, const size_t *lens, unsigned n,
		      char *reply, size_t cap, size_t *reply_len)
{
	static char payload[XENSTORE_PAYLOAD_MAX + 1];
	if (!ring)
		return -ENODEV;
	size_t total = 0;
	for (unsigned i = 0; i < n; i++)
		total += lens[i];
	if (total > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	uint64_t deadline = xen_time_ns() + XS_TIMEOUT_NS;
	struct xsd_sockmsg msg = { type, next_id++, 0, (uint32_t)total };
	int rc = ring_write(&msg, sizeof(msg), deadline);
	for (unsigned i = 0; i < n && !rc; i++)
		rc = ring_write(parts[i], lens[i], deadline);
	if (rc)
		return log_err(rc, "xenstore: request not sent");

	for (;;) {
		struct xsd_sockmsg hdr;
		rc = ring_read(&hdr, sizeof(hdr), deadline);
		if (rc)
			return log_err(rc, "xenstore: no reply");
		if (hdr.len > XENSTORE_PAYLOAD_MAX)
			return log_err(-EIO, "xenstore: reply of %u bytes", hdr.len);
		rc = ring_read(payload, hdr.len, deadline);
		if (rc)
			return rc;
		payload[hdr.len] = 0;
		if (hdr.type == XS_WATCH_EVENT || hdr.req_id != msg.req_id)
			continue; /* not ours */
		if (hdr.type == XS_ERROR)
			return errno_of(payload, hdr.len);
		size_t keep = MIN((size_t)hdr.len, cap ? cap - 1 : 0);
		if (reply) {
			memcpy(reply, payload, keep);
			reply[keep] = 0;
		}
		if (reply_len)
			*reply_len = hdr.len;
		return hdr.len > keep && reply ? -E2BIG : 0;
	}
}

int xs_read(const char *path, char *buf, size_t cap)
{
	const char *parts[] = { path };
	size_t lens[] = { strlen(path) + 1 };
	return xs_request(XS_READ, parts, lens, 1, buf, cap, NULL);
}

int xs_read_u64(const char *path, uint64_t *v)
{
	char buf[32];
	int rc = xs_read(path, buf, sizeof(buf));
	if (rc)
		return rc;
	return parse_u64(buf, strlen(buf), v) ? 0 : -EINVAL;
}

int xs_write(const char *path, const char *value)
{
	const char *parts[] = { path, value };
	size_t lens[] = { strlen(path) + 1, strlen(value) };
	char ok[8];
	return xs_request(XS_WRITE, parts, lens, 2, ok, sizeof(ok), NULL);
}

int xs_rm(const char *path)
{
	const char *parts[] = { path };
	size_t lens[] = { strlen(path) + 1 };
	char ok[8];
	return xs_request(XS_RM, parts, lens, 1, ok, sizeof(ok), NULL);
}

int xs_directory(const char *path, char *buf, size_t cap)
{
	const char *parts[] = { path };
	size_t lens[] = { strlen(path) + 1 };
	size_t len;
	int rc = xs_request(XS_DIRECTORY, parts, lens, 1, buf, cap, &len);
	if (rc)
		return rc;
	int count = 0;
	for (size_t i = 0; i < len; i++)
		if (!buf[i])
			count++;
	return count;
}
