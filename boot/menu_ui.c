/* SPDX-License-Identifier: MIT */
#include "../core/console.h"
#include "../core/errno.h"
#include "../core/io.h"
#include "../core/log.h"
#include "../core/time.h"
#include "menu_ui.h"

/* A byte from any console before @deadline_ns (0: none waiting now), or -1. */
static int getc_until(uint64_t deadline_ns)
{
	for (;;) {
		int c = console_getc();
		if (c >= 0)
			return c;
		if (time_ns() >= deadline_ns)
			return -1;
		cpu_relax();
	}
}

/* Decode ESC [ X, ESC O X and ESC [ N ~ sequences; a lone ESC is KEY_ESC. */
static int read_key(uint64_t deadline_ns)
{
	int c = getc_until(deadline_ns);
	if (c != 0x1b)
		return c;
	int c1 = getc_until(time_ns() + 50000000ull);
	if (c1 != '[' && c1 != 'O')
		return KEY_ESC;
	int c2 = getc_until(time_ns() + 50000000ull);
	switch (c2) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	default: break;
	}
	if (c2 >= '0' && c2 <= '9') {
		int c3 = getc_until(time_ns() + 50000000ull);
		if (c3 == '~') {
			switch (c2) {
			case '1': case '7': return KEY_HOME;
			case '4': case '8': return KEY_END;
			case '3': return KEY_DELETE;
			default: break;
			}
		}
	}
	return KEY_NONE;
}

/* Why `e` does nothing, or NULL while the command line may be edited. */
static const char *editor_locked;

void menu_lock_editor(const char *why)
{
	editor_locked = why;
}

static void draw(const struct menu *m, int sel, const char *message)
{
	printk("\x1b[2J\x1b[H");
	printk("pvhboot: choose a kernel (arrows or number, Enter boots, e edits)\n");
	if (message && *message)
		printk("%s\n", message);
	printk("\n");
	for (unsigned i = 0; i < m->count; i++)
		printk("%s%s %2u. %s\x1b[0m\n", (int)i == sel ? "\x1b[7m" : "",
		       (int)i == sel ? ">" : " ", i + 1,
		       m->entries[i].title ? m->entries[i].title : m->entries[i].id);
}

/* Line editor for the command line; returns true on Enter, false on ESC. */
static bool edit_line(char *buf, size_t cap)
{
	size_t len = strlen(buf), cur = len;
	for (;;) {
		printk("\r\x1b[Kcmdline> %s", buf);
		if (len > cur)
			printk("\x1b[%zuD", len - cur);
		int k = read_key(UINT64_MAX);
		if (k == '\r' || k == '\n') {
			printk("\n");
			return true;
		}
		if (k == KEY_ESC || k == 3) {
			printk("\n");
			return false;
		}
		if ((k == KEY_LEFT || k == 2) && cur > 0)
			cur--;
		else if ((k == KEY_RIGHT || k == 6) && cur < len)
			cur++;
		else if (k == KEY_HOME || k == 1)
			cur = 0;
		else if (k == KEY_END || k == 5)
			cur = len;
		else if (k == 11) { /* Ctrl-K: kill to the end */
			buf[cur] = 0;
			len = cur;
		} else if ((k == 0x7f || k == 8) && cur > 0) {
			memmove(buf + cur - 1, buf + cur, len - cur + 1);
			cur--;
			len--;
		} else if (k == KEY_DELETE && cur < len) {
			memmove(buf + cur, buf + cur + 1, len - cur);
			len--;
		} else if (k >= 0x20 && k < 0x7f && len + 1 < cap) {
			memmove(buf + cur + 1, buf + cur, len - cur + 1);
			buf[cur++] = (char)k;
			len++;
		}
	}
}

static void set_cmdline(const struct menu *m, int sel, struct menu_choice *out)
{
	const char *c = m->entries[sel].cmdline ? m->entries[sel].cmdline : "";
	fmt_snprintf(out->cmdline, sizeof(out->cmdline), "%s", c);
}

int menu_interact(const struct menu *m, int default_index, int timeout, const char *message,
		  struct menu_choice *out)
{
	if (!m->count)
		return -ENOENT;
	int sel = default_index >= 0 && (unsigned)default_index < m->count ? default_index : 0;
	/* A menu that will not wait is not drawn: on a slow console that is most of the boot. */
	if (timeout != 0)
		draw(m, sel, message);

	/* The countdown: any key stops it. */
	if (timeout > 0)
		time_calibrate(); /* seconds a person sees */
	if (timeout >= 0) {
		int left = timeout;
		for (;;) {
			if (left == 0) {
				out->index = sel;
				set_cmdline(m, sel, out);
				log_info("booting \"%s\"", m->entries[sel].title);
				return 0;
			}
			printk("\rbooting \"%s\" in %d s, any key stops\x1b[K", m->entries[sel].title,
			       left);
			uint64_t tick = time_ns() + 1000000000ull;
			int c = getc_until(tick);
			if (c >= 0) {
				while (getc_until(time_ns() + 20000000ull) >= 0)
					; /* swallow the rest of an escape sequence */
				break;
			}
			left--;
		}
		draw(m, sel, message);
	}

	for (;;) {
		int k = read_key(UINT64_MAX);
		if (k == KEY_UP && sel > 0)
			sel--;
		else if (k == KEY_DOWN && (unsigned)sel + 1 < m->count)
			sel++;
		else if (k >= '1' && k <= '9' && (unsigned)(k - '1') < m->count)
			sel = k - '1';
		else if (k == '\r' || k == '\n') {
			out->index = sel;
			set_cmdline(m, sel, out);
			return 0;
		} else if (k == 'e' && editor_locked) {
			printk("\nthe command line cannot be edited: %s\n", editor_locked);
			continue;
		} else if (k == 'e') {
			set_cmdline(m, sel, out);
			printk("\nediting \"%s\": Enter boots, Esc cancels\n", m->entries[sel].title);
			if (edit_line(out->cmdline, sizeof(out->cmdline))) {
				out->index = sel;
				return 0;
			}
		} else {
			continue;
		}
		draw(m, sel, message);
	}
}
