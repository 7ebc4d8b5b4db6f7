/* SPDX-License-Identifier: MIT */
/*
 * GRUB script words (GRUB manual, "Shell-like scripting"): blanks separate
 * words, ';' and newlines separate commands, '#' at the start of a word
 * comments out the line. '\' quotes the next character (a newline: the line
 * goes on), '...' quotes everything, "..." quotes all but '$' and '\' before
 * '$', '"', '\' or a newline. $NAME and ${NAME} expand; an unquoted
 * expansion is split at blanks and vanishes when empty.
 *
 * The lexer only finds where words end; grub_expand() reads a word again
 * when its command runs, with the variables of that moment.
 */
#include "grub.h"

void grub_lexer_init(struct grub_lexer *lx, const char *name, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->name = name;
	lx->text = text;
	lx->len = len;
	lx->line = 1;
}

static int cur(const struct grub_lexer *lx, size_t off)
{
	return lx->pos + off < lx->len ? (unsigned char)lx->text[lx->pos + off] : -1;
}

/* Step over one byte, keeping the line count. */
static void step(struct grub_lexer *lx)
{
	if (lx->text[lx->pos++] == '\n') {
		lx->line++;
		lx->line_start = lx->pos;
	}
}

void grub_push_back(struct grub_lexer *lx, enum grub_token t, const struct grub_word *w)
{
	lx->has_back = true;
	lx->back = t;
	lx->back_word = *w;
}

/* Past a quoted part starting at its quote; warns when the file ends first. */
static void skip_quoted(struct grub *g, struct grub_word *w)
{
	struct grub_lexer *lx = g->lx;
	int q = cur(lx, 0);
	unsigned line = lx->line, col = (unsigned)(lx->pos - lx->line_start) + 1;
	step(lx);
	for (int c; (c = cur(lx, 0)) >= 0; step(lx)) {
		if (c == q) {
			step(lx);
			return;
		}
		if (q == '"' && c == '\\' && cur(lx, 1) >= 0)
			step(lx);
	}
	menu_warn(g->m, lx->name, line, col, "unterminated %s quote",
		  q == '"' ? "double" : "single");
	w->plain = false;
}

enum grub_token grub_next(struct grub *g, struct grub_word *w)
{
	struct grub_lexer *lx = g->lx;
	if (lx->has_back) {
		lx->has_back = false;
		*w = lx->back_word;
		return lx->back;
	}
	for (;;) {
		int c = cur(lx, 0);
		if (c == '\\' && cur(lx, 1) == '\n') {
			step(lx);
			step(lx);
		} else if (c >= 0 && c != '\n' && ch_blank(c)) {
			step(lx);
		} else if (c == '#') {
			while (cur(lx, 0) >= 0 && cur(lx, 0) != '\n')
				step(lx);
		} else {
			break;
		}
	}
	memset(w, 0, sizeof(*w));
	w->line = lx->line;
	w->col = (unsigned)(lx->pos - lx->line_start) + 1;
	int c = cur(lx, 0);
	if (c < 0)
		return GT_EOF;
	if (c == '\n' || c == ';') {
		step(lx);
		return GT_SEP;
	}
	w->start = lx->pos;
	w->plain = true;
	while ((c = cur(lx, 0)) >= 0 && c != '\n' && c != ';' && !ch_blank(c)) {
		if (c == '\'' || c == '"') {
			w->plain = false;
			skip_quoted(g, w);
			continue;
		}
		if (c == '\\') {
			w->plain = false;
			step(lx);
			if (cur(lx, 0) >= 0)
				step(lx);
			continue;
		}
		if (c == '$')
			w->plain = false;
		step(lx);
	}
	w->end = lx->pos;
	if (w->plain && w->end - w->start == 1 && lx->text[w->start] == '}')
		return GT_CLOSE;
	return GT_WORD;
}

bool grub_word_is(const struct grub_lexer *lx, const struct grub_word *w, const char *s)
{
	size_t n = strlen(s);
	return w->plain && w->end - w->start == n && !memcmp(lx->text + w->start, s, n);
}

/* ---- variables ---- */

static struct grub_var *find(const struct grub_vars *v, const char *name)
{
	for (unsigned i = 0; i < v->count; i++)
		if (!strcmp(v->v[i].name, name))
			return &v->v[i];
	return NULL;
}

const char *grub_var(const struct grub *g, const char *name)
{
	const struct grub_var *v = find(&g->vars, name);
	return v ? v->value : NULL;
}

bool grub_var_set(struct grub *g, const char *name, const char *value)
{
	struct grub_var *v = find(&g->vars, name);
	if (!value) {
		if (v) {
			free(v->name);
			free(v->value);
			*v = g->vars.v[--g->vars.count];
		}
		return true;
	}
	size_t n = strlen(value);
	if (n > GRUB_MAX_VALUE) {
		if (!g->warned_values)
			menu_warn(g->m, g->lx->name, g->lx->line, 0,
				  "variable '%s' is longer than %u bytes; cut", name, GRUB_MAX_VALUE);
		g->warned_values = true;
		n = GRUB_MAX_VALUE;
	}
	char *copy = str_ndup(value, n);
	if (!copy)
		return false;
	if (v) {
		free(v->value);
		v->value = copy;
		return true;
	}
	if (g->vars.count >= GRUB_MAX_VARS) {
		if (!g->warned_values)
			menu_warn(g->m, g->lx->name, g->lx->line, 0,
				  "more than %u variables; '%s' is not set", GRUB_MAX_VARS, name);
		g->warned_values = true;
		free(copy);
		return true;
	}
	if (!g->vars.v) {
		g->vars.v = malloc(GRUB_MAX_VARS * sizeof(*g->vars.v));
		if (!g->vars.v) {
			free(copy);
			return false;
		}
	}
	char *key = str_dup(name);
	if (!key) {
		free(copy);
		return false;
	}
	g->vars.v[g->vars.count++] = (struct grub_var){ key, copy };
	return true;
}

void grub_vars_free(struct grub_vars *v)
{
	for (unsigned i = 0; i < v->count; i++) {
		free(v->v[i].name);
		free(v->v[i].value);
	}
	free(v->v);
	v->v = NULL;
	v->count = 0;
}

bool grub_vars_copy(const struct grub_vars *from, struct grub_vars *to)
{
	to->count = 0;
	to->v = malloc(GRUB_MAX_VARS * sizeof(*to->v));
	if (!to->v)
		return false;
	for (unsigned i = 0; i < from->count; i++) {
		char *name = str_dup(from->v[i].name), *value = str_dup(from->v[i].value);
		if (!name || !value) {
			free(name);
			free(value);
			grub_vars_free(to);
			return false;
		}
		to->v[to->count++] = (struct grub_var){ name, value };
	}
	return true;
}

/* ---- expansion ---- */

struct expansion {
	struct grub *g;
	struct grub_args *out;
	struct strbuf cur;
	bool have;       /* the current word exists (even if empty, as "") */
	size_t *budget;  /* bytes this command may still produce */
	bool over;
};

static void emit(struct expansion *x, char c)
{
	if (!*x->budget) {
		x->over = true;
		return;
	}
	--*x->budget;
	sb_putc(&x->cur, c);
	x->have = true;
}

static void end_word(struct expansion *x)
{
	if (!x->have)
		return;
	char *s = sb_take(&x->cur);
	x->have = false;
	if (!s) {
		x->g->oom = true;
		return;
	}
	if (x->out->count >= GRUB_MAX_ARGS) {
		free(s);
		x->over = true;
		return;
	}
	x->out->v[x->out->count++] = s;
}

/* "$?" and the like: the few special parameters GRUB scripts use. */
static const char *special_value(struct grub *g, const char *name, char *buf, size_t size)
{
	if (!strcmp(name, "?")) {
		fmt_snprintf(buf, size, "%d", g->status);
		return buf;
	}
	return grub_var(g, name);
}

/* A $NAME or ${NAME} at @s (on the '$'); returns the position after it. */
static const char *var_ref(struct expansion *x, const char *s, const char *end, bool split)
{
	const char *name = s + 1, *after;
	size_t n = 0;
	if (name < end && *name == '{') {
		const char *close = memchr(name, '}', (size_t)(end - name));
		if (!close) {
			emit(x, '$');
			return s + 1;
		}
		name++;
		n = (size_t)(close - name);
		after = close + 1;
	} else {
		while (name + n < end && (ch_alnum(name[n]) || name[n] == '_'))
			n++;
		if (!n && name < end && (*name == '?' || *name == '#' || *name == '@' ||
					 *name == '*'))
			n = 1;
		after = name + n;
	}
	if (!n) {
		emit(x, '$');
		return s + 1;
	}
	char key[64], num[24];
	if (n >= sizeof(key))
		return after; /* no such variable can be set */
	memcpy(key, name, n);
	key[n] = 0;
	const char *v = special_value(x->g, key, num, sizeof(num));
	for (; v && *v && !x->over; v++) {
		if (split && ch_space(*v))
			end_word(x);
		else
			emit(x, *v);
	}
	return after;
}

bool grub_expand(struct grub *g, const struct grub_word *w, struct grub_args *out,
		 size_t *budget)
{
	struct expansion x = { .g = g, .out = out, .budget = budget };
	const char *s = g->lx->text + w->start, *end = g->lx->text + w->end;
	while (s < end && !x.over) {
		char c = *s;
		if (c == '\\') {
			if (s + 1 < end && s[1] != '\n')
				emit(&x, s[1]);
			s += s + 1 < end ? 2 : 1;
		} else if (c == '\'') {
			const char *q = memchr(s + 1, '\'', (size_t)(end - s - 1));
			x.have = true;
			for (s++; s < (q ? q : end); s++)
				emit(&x, *s);
			s = q ? q + 1 : end;
		} else if (c == '"') {
			x.have = true;
			for (s++; s < end && *s != '"' && !x.over;) {
				if (*s == '\\' && s + 1 < end &&
				    (s[1] == '$' || s[1] == '"' || s[1] == '\\' || s[1] == '\n')) {
					if (s[1] != '\n')
						emit(&x, s[1]);
					s += 2;
				} else if (*s == '$') {
					s = var_ref(&x, s, end, false);
				} else {
					emit(&x, *s++);
				}
			}
			s += s < end;
		} else if (c == '$') {
			s = var_ref(&x, s, end, true);
		} else {
			emit(&x, c);
			s++;
		}
	}
	end_word(&x);
	sb_free(&x.cur);
	return !g->oom && !x.over;
}

void grub_args_free(struct grub_args *a)
{
	for (unsigned i = 0; i < a->count; i++)
		free(a->v[i]);
	a->count = 0;
}
