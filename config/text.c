/* SPDX-License-Identifier: MIT */
/*
 * Text helpers for the config parsers: a growing string buffer, small string
 * functions the freestanding library lacks, a glob matcher, a line reader
 * and the path arithmetic of includes.
 */
#include "parser.h"

void sb_put(struct strbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (n > SIZE_MAX / 4 - b->len) {
		b->oom = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sb_putc(struct strbuf *b, char c)
{
	sb_put(b, &c, 1);
}

void sb_puts(struct strbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

char *sb_take(struct strbuf *b)
{
	char *s = b->oom ? NULL : b->s ? b->s : str_dup("");
	if (b->oom)
		free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	b->oom = false;
	return s;
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	b->oom = false;
}

char *str_cat3(const char *a, const char *b, const char *c)
{
	size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
	char *d = malloc(na + nb + nc + 1);
	if (d) {
		memcpy(d, a, na);
		memcpy(d + na, b, nb);
		memcpy(d + na + nb, c, nc + 1);
	}
	return d;
}

bool parse_int(const char *s, size_t n, long max, long *out)
{
	bool neg = n && s[0] == '-';
	uint64_t v;
	if (!parse_u64(s + neg, n - neg, &v) || v > (uint64_t)max)
		return false;
	*out = neg ? -(long)v : (long)v;
	return true;
}

/* One character class "[...]" at @p against @c; *end is set past the ']'. */
static bool class_match(const char *p, char c, const char **end)
{
	bool neg = *p == '!' || *p == '^', hit = false;
	const char *q = p + neg;
	if (!*q) {
		*end = NULL; /* "[" or "[!" at the end: a literal '[' */
		return false;
	}
	/* A ']' right after the '[' (or the negation) is a member, not the end. */
	do {
		char lo = *q, hi;
		if (lo == '\\' && q[1])
			lo = *++q;
		hi = lo;
		if (q[1] == '-' && q[2] && q[2] != ']') {
			hi = q[2];
			if (hi == '\\' && q[3])
				hi = q[3], q++;
			q += 2;
		}
		if ((unsigned char)c >= (unsigned char)lo && (unsigned char)c <= (unsigned char)hi)
			hit = true;
		q++;
	} while (*q && *q != ']');
	if (!*q) {
		*end = NULL; /* no closing ']': the '[' is literal */
		return false;
	}
	*end = q + 1;
	return hit != neg;
}

bool glob_match(const char *p, const char *s)
{
	/* Iterative with one backtrack point: linear in practice, no recursion. */
	const char *star_p = NULL, *star_s = NULL;
	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*s) {
			const char *next = NULL;
			bool ok;
			if (*p == '?') {
				ok = true;
				next = p + 1;
			} else if (*p == '[' && p[1]) {
				ok = class_match(p + 1, *s, &next);
				if (!next) {
					ok = *s == '[';
					next = p + 1;
				}
			} else if (*p == '\\' && p[1]) {
				ok = p[1] == *s;
				next = p + 2;
			} else {
				ok = *p && *p == *s;
				next = p + 1;
			}
			if (ok) {
				p = next;
				s++;
				continue;
			}
		} else if (!*p) {
			return true;
		}
		if (!star_p || !*star_s)
			return false;
		p = star_p;
		s = ++star_s;
	}
}

char *expand_vars(const char *s, const char *(*lookup)(void *ctx, const char *name), void *ctx)
{
	struct strbuf b = { 0 };
	while (*s) {
		if (*s != '$') {
			sb_putc(&b, *s++);
			continue;
		}
		const char *name = s + 1, *end;
		size_t n;
		if (*name == '{' && (end = strchr(name, '}'))) {
			name++;
			n = (size_t)(end - name);
			s = end + 1;
		} else {
			for (n = 0; ch_alnum(name[n]) || name[n] == '_'; n++)
				;
			s = name + n;
			if (!n) {
				sb_putc(&b, '$');
				continue;
			}
		}
		char *key = str_ndup(name, n);
		const char *v = key ? lookup(ctx, key) : NULL;
		if (!key)
			b.oom = true;
		if (v)
			sb_puts(&b, v);
		free(key);
	}
	return sb_take(&b);
}

void lines_init(struct line_reader *r, const char *text, size_t len)
{
	r->text = text;
	r->len = len;
	r->pos = 0;
	r->lineno = 0;
}

bool lines_next(struct line_reader *r, const char **line, size_t *n)
{
	if (r->pos >= r->len)
		return false;
	const char *start = r->text + r->pos;
	const char *nl = memchr(start, '\n', r->len - r->pos);
	size_t len = nl ? (size_t)(nl - start) : r->len - r->pos;
	r->pos += len + (nl != NULL);
	r->lineno++;
	if (len && start[len - 1] == '\r')
		len--;
	*line = start;
	*n = len;
	return true;
}

const char *source_path(const char *name)
{
	const char *colon = strchr(name, ':');
	return colon && colon[1] == '/' ? colon + 1 : name[0] == '/' ? name : NULL;
}

char *source_dir(const char *name)
{
	const char *path = source_path(name);
	if (!path)
		return NULL;
	const char *slash = strrchr(path, '/');
	return str_ndup(path, (size_t)(slash - path));
}

char *source_child(const char *parent, const char *path)
{
	const char *colon = strchr(parent, ':');
	if (!colon || path[0] != '/')
		return str_dup(path);
	char *vol = str_ndup(parent, (size_t)(colon - parent) + 1);
	char *s = vol ? str_cat3(vol, path, "") : NULL;
	free(vol);
	return s;
}

char *path_in_dir(const char *dir, const char *path)
{
	if (path[0] == '/' || path[0] == '(' || !dir)
		return str_dup(path);
	return str_cat3(dir, "/", path);
}
