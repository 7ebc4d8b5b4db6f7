/* SPDX-License-Identifier: MIT */
/*
 * GRUB's "test" command ("[ EXPR ]"; GRUB manual, "test"): string and
 * integer comparisons, -n/-z, file tests, '!', -a, -o and parentheses.
 * File tests ask the config source: -e/-f/-s read the file, -d lists the
 * directory. A malformed expression is false, with a warning.
 */
#include "../core/errno.h"
#include "grub.h"

struct test {
	struct grub *g;
	const struct grub_word *at;
	char *const *a;
	unsigned n, i, depth;
	bool bad;
};

static const char *peek(const struct test *t, unsigned ahead)
{
	return t->i + ahead < t->n ? t->a[t->i + ahead] : NULL;
}

static bool is(const char *s, const char *what)
{
	return s && !strcmp(s, what);
}

/* The number in @s, after any non-digit prefix when @prefixed (-pgt, -plt). */
static bool number(const char *s, bool prefixed, long *v)
{
	if (prefixed)
		while (*s && !ch_digit(*s))
			s++;
	return parse_int(s, strlen(s), 0x7fffffffL, v);
}

static bool file_test(struct test *t, char op, const char *path)
{
	const struct config_source *src = t->g->src;
	if (op == 'd') {
		char **names;
		unsigned count;
		if (!src->list || src->list(src->ctx, path, &names, &count))
			return false;
		for (unsigned i = 0; i < count; i++)
			free(names[i]);
		free(names);
		return true;
	}
	char *text;
	size_t len;
	int rc = src->read ? src->read(src->ctx, path, &text, &len) : -ENOENT;
	if (!rc) {
		free(text);
		return op != 's' || len > 0;
	}
	/* Too big or unreadable still exists; only a missing file is false. */
	return rc != -ENOENT && rc != -ENOTDIR && rc != -EISDIR && rc != -ENOSYS &&
	       rc != -EDQUOT; /* past the read budget nothing is known: false, warned */
}

static bool binary(struct test *t, const char *l, const char *op, const char *r)
{
	long x, y;
	if (is(op, "=") || is(op, "=="))
		return !strcmp(l, r);
	if (is(op, "!="))
		return strcmp(l, r) != 0;
	if (is(op, "<"))
		return strcmp(l, r) < 0;
	if (is(op, "<="))
		return strcmp(l, r) <= 0;
	if (is(op, ">"))
		return strcmp(l, r) > 0;
	if (is(op, ">="))
		return strcmp(l, r) >= 0;
	if (is(op, "-nt") || is(op, "-ot"))
		return false; /* file times are not known before boot */
	bool prefixed = op[1] == 'p';
	if (!number(l, prefixed, &x) || !number(r, prefixed, &y)) {
		t->bad = true;
		return false;
	}
	const char *o = op + 1 + prefixed;
	return !strcmp(o, "eq") ? x == y : !strcmp(o, "ne") ? x != y : !strcmp(o, "lt") ? x < y
	       : !strcmp(o, "le") ? x <= y : !strcmp(o, "gt") ? x > y : x >= y;
}

static bool binary_op(const char *s)
{
	static const char *const ops[] = { "=",   "==",  "!=",  "<",   "<=",   ">",   ">=",
					   "-eq", "-ne", "-lt", "-le", "-gt",  "-ge", "-nt",
					   "-ot", "-pgt", "-plt" };
	for (unsigned i = 0; s && i < ARRAY_SIZE(ops); i++)
		if (!strcmp(s, ops[i]))
			return true;
	return false;
}

static bool expr_or(struct test *t);

static bool primary(struct test *t)
{
	const char *s = peek(t, 0);
	if (!s) {
		t->bad = true;
		return false;
	}
	/* "! ! ! ..." and "( ( ( ...": recursion bounded well below the word limit. */
	if ((is(s, "!") || is(s, "(")) && t->depth >= 16) {
		t->bad = true;
		return false;
	}
	if (is(s, "!")) {
		t->i++;
		t->depth++;
		bool v = !primary(t);
		t->depth--;
		return v;
	}
	if (is(s, "(")) {
		t->i++;
		t->depth++;
		bool v = expr_or(t);
		t->depth--;
		if (!is(peek(t, 0), ")"))
			t->bad = true;
		t->i++;
		return v;
	}
	if (peek(t, 2) && binary_op(peek(t, 1))) {
		t->i += 3;
		return binary(t, s, t->a[t->i - 2], t->a[t->i - 1]);
	}
	if (s[0] == '-' && s[1] && !s[2] && peek(t, 1)) {
		const char *arg = peek(t, 1);
		switch (s[1]) {
		case 'n': t->i += 2; return *arg != 0;
		case 'z': t->i += 2; return *arg == 0;
		case 'e': case 'f': case 's': case 'd':
			t->i += 2;
			return file_test(t, s[1], arg);
		default: break;
		}
	}
	t->i++;
	return *s != 0;
}

static bool expr_and(struct test *t)
{
	bool v = primary(t);
	while (is(peek(t, 0), "-a")) {
		t->i++;
		v = primary(t) && v;
	}
	return v;
}

static bool expr_or(struct test *t)
{
	bool v = expr_and(t);
	while (is(peek(t, 0), "-o")) {
		t->i++;
		v = expr_and(t) || v;
	}
	return v;
}

int grub_test(struct grub *g, const struct grub_word *at, char *const *args, unsigned n)
{
	struct test t = { g, at, args, n, 0, 0, false };
	if (!n)
		return 1; /* "[ ]" is false, like the shell's */
	bool v = expr_or(&t);
	if (t.i < n)
		t.bad = true;
	if (t.bad) {
		GRUB_WARN(g, at, "cannot evaluate this test; taken as false");
		return 1;
	}
	return v ? 0 : 1;
}
