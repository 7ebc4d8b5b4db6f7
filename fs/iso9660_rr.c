/* SPDX-License-Identifier: MIT */
/* ISO 9660: SUSP areas ([SUSP]) and Rock Ridge entries ([RRIP]) (iso9660_priv.h). */
#include "iso9660_priv.h"

/* ---- SUSP and Rock Ridge ---- */

bool iso_sig_is(const uint8_t *e, const char *sig)
{
	return e[0] == (uint8_t)sig[0] && e[1] == (uint8_t)sig[1];
}

/* Where the system use area of a record starts: after the name and its pad byte. */
size_t iso_su_start(const uint8_t *rec)
{
	size_t nl = dirent_of(rec)->name_length;
	return sizeof(struct iso_dirent) + nl + (nl % 2 == 0);
}


/*
 * Visit the SUSP entries of a record, following "CE" continuation areas
 * ([SUSP] §5.1) at most ISO_CE_MAX times: a chain longer than that loops.
 * Stops when @fn returns non-zero.
 */
int iso_susp_walk(struct iso_fs *f, const uint8_t *rec, size_t skip, susp_fn fn, void *ctx)
{
	size_t start = iso_su_start(rec) + skip, len = dirent_of(rec)->length;
	const uint8_t *area = start < len ? rec + start : rec;
	size_t area_len = start < len ? len - start : 0;
	uint8_t *ce_buf = NULL;
	int rc = 0;

	for (unsigned hops = 0;; hops++) {
		bool ce = false;
		uint64_t ce_off = 0;
		uint32_t ce_len = 0;
		for (size_t i = 0; i + sizeof(struct susp_entry) <= area_len;) {
			const uint8_t *e = area + i;
			size_t elen = e[2];
			if (elen < sizeof(struct susp_entry))
				break; /* padding */
			if (elen > area_len - i) {
				rc = corrupt(f, "system use entry runs past its area");
				goto out;
			}
			if (iso_sig_is(e, "ST"))
				break;
			if (iso_sig_is(e, "CE") && elen >= sizeof(struct susp_ce)) {
				const struct susp_ce *c = (const void *)e;
				ce = true;
				ce_off = (uint64_t)c->block * ISO_BLOCK_SIZE + c->offset;
				ce_len = c->length;
			} else {
				rc = fn(ctx, e, elen);
				if (rc)
					goto out;
			}
			i += elen;
		}
		if (!ce)
			break;
		if (hops == ISO_CE_MAX) {
			rc = corrupt(f, "more than %u continuation areas for one record (a loop?)",
				     ISO_CE_MAX);
			break;
		}
		if (ce_len == 0 || ce_len > ISO_BLOCK_SIZE ||
		    ce_off % ISO_BLOCK_SIZE + ce_len > ISO_BLOCK_SIZE ||
		    !range_ok(ce_off, ce_len, f->limit)) {
			rc = corrupt(f, "continuation area at byte %llu, %u bytes, out of bounds",
				     (unsigned long long)ce_off, ce_len);
			break;
		}
		if (!ce_buf && !(ce_buf = malloc(ISO_BLOCK_SIZE))) {
			rc = -ENOMEM;
			break;
		}
		rc = volume_read(f->fs.vol, ce_off, ce_buf, ce_len);
		if (rc)
			break;
		area = ce_buf;
		area_len = ce_len;
	}
out:
	free(ce_buf);
	return rc;
}

struct rr_ctx {
	struct iso_fs *f;
	struct rr_info *info;
	/* The symlink target, when readlink() asks for it. */
	char *link;
	size_t link_cap, link_len;
	bool link_cont; /* the last component goes on in the next record */
	bool link_long;
};

static void link_put(struct rr_ctx *c, const void *s, size_t n)
{
	if (c->link_len + n >= c->link_cap) {
		c->link_long = true;
		return;
	}
	memcpy(c->link + c->link_len, s, n);
	c->link_len += n;
}

/* [RRIP] §4.1.3.1: component records, each a name or ".", "..", "/". */
static int sl_components(struct rr_ctx *c, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (len - i < sizeof(struct rrip_sl_component))
			return corrupt(c->f, "symbolic link component cut short");
		const struct rrip_sl_component *comp = (const void *)(p + i);
		size_t clen = comp->length;
		if (clen > len - i - sizeof(*comp))
			return corrupt(c->f, "symbolic link component runs past its entry");
		const uint8_t *content = p + i + sizeof(*comp);
		if (!c->link_cont && c->link_len && c->link[c->link_len - 1] != '/')
			link_put(c, "/", 1);
		if (comp->flags & (RRIP_SL_ROOT | RRIP_SL_VOLROOT | RRIP_SL_HOST)) {
			if (!c->link_len)
				link_put(c, "/", 1);
		} else if (comp->flags & RRIP_SL_PARENT) {
			link_put(c, "..", 2);
		} else if (comp->flags & RRIP_SL_CURRENT) {
			link_put(c, ".", 1);
		} else {
			if (memchr(content, 0, clen))
				return corrupt(c->f, "NUL in a symbolic link");
			link_put(c, content, clen);
		}
		c->link_cont = comp->flags & RRIP_SL_CONTINUE;
		i += sizeof(*comp) + clen;
	}
	return 0;
}

static int rr_entry(void *ctx, const uint8_t *e, size_t len)
{
	struct rr_ctx *c = ctx;
	struct rr_info *in = c->info;

	if (iso_sig_is(e, "PX") && len >= sizeof(struct rrip_px)) {
		in->has_px = true;
		in->mode = ((const struct rrip_px *)e)->mode;
	} else if (iso_sig_is(e, "NM") && len >= sizeof(struct rrip_nm)) {
		const struct rrip_nm *nm = (const void *)e;
		size_t n = len - sizeof(*nm);
		if (nm->flags & (RRIP_NM_CURRENT | RRIP_NM_PARENT))
			return 0;
		if (n > FS_NAME_MAX - in->nm_len)
			return corrupt(c->f, "Rock Ridge name longer than %u bytes", FS_NAME_MAX);
		const uint8_t *s = e + sizeof(*nm);
		if (memchr(s, '/', n) || memchr(s, 0, n))
			return corrupt(c->f, "Rock Ridge name with '/' or NUL");
		memcpy(in->nm + in->nm_len, s, n);
		in->nm_len += n;
		in->nm[in->nm_len] = 0;
	} else if (iso_sig_is(e, "SL") && len >= sizeof(struct rrip_sl)) {
		in->symlink = true;
		if (c->link)
			return sl_components(c, e + sizeof(struct rrip_sl), len - sizeof(struct rrip_sl));
	} else if (iso_sig_is(e, "CL") && len >= sizeof(struct rrip_link)) {
		in->has_cl = true;
		in->cl_block = ((const struct rrip_link *)e)->block;
	} else if (iso_sig_is(e, "PL") && len >= sizeof(struct rrip_link)) {
		in->has_pl = true;
		in->pl_block = ((const struct rrip_link *)e)->block;
	} else if (iso_sig_is(e, "RE")) {
		in->relocated = true;
	} else if (iso_sig_is(e, "ZF")) {
		in->compressed = true;
	}
	return 0;
}

/* The Rock Ridge facts of a record (all false without Rock Ridge). */
int iso_rr_read(struct iso_fs *f, const uint8_t *rec, struct rr_info *in, char *link,
		   size_t link_cap, size_t *link_len)
{
	memset(in, 0, offsetof(struct rr_info, nm) + 1);
	if (f->naming != NAMES_ROCK_RIDGE)
		return 0;
	struct rr_ctx c = { f, in, link, link_cap, 0, false, false };
	int rc = iso_susp_walk(f, rec, f->susp_skip, rr_entry, &c);
	if (rc)
		return rc;
	if (c.link_long)
		return -ENAMETOOLONG;
	if (link_len)
		*link_len = c.link_len;
	return 0;
}
