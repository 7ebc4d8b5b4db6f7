/* SPDX-License-Identifier: MIT */
/*
 * malloc and friends for the freestanding loader.
 *
 * Small blocks come from arenas of HEAP_ARENA bytes taken from the page
 * allocator, managed as an address-ordered free list with coalescing.
 * Large blocks (decompressed kernels, file buffers) go straight to the page
 * allocator, so a 128 MiB initrd never fragments the small heap and is
 * returned whole when freed.
 */
#include "errno.h"
#include "log.h"
#include "heap.h"
#include "pagealloc.h"

#define HEAP_ARENA (2u << 20)
#define HEAP_LARGE (256u << 10)
#define HEAP_ALIGN 16u
#define MAGIC_USED 0x75736564u /* "used" */
#define MAGIC_FREE 0x66726565u /* "free" */
#define MAGIC_PAGES 0x70616765u /* "page" */

struct block {
	uint64_t size;  /* bytes including this header */
	uint32_t magic;
	uint32_t _pad;
	struct block *next; /* free list only */
	uint64_t _pad2;
};
_Static_assert(sizeof(struct block) % HEAP_ALIGN == 0, "block header keeps alignment");

static struct block *free_list;

static void *default_pages(uint64_t size)
{
	return page_alloc(size, PAGE_SIZE, PAGEALLOC_LIMIT);
}

static void *(*get_pages)(uint64_t size) = default_pages;
static void (*put_pages)(void *p, uint64_t size) = page_free;

void heap_set_page_source(void *(*alloc)(uint64_t size), void (*release)(void *p, uint64_t size))
{
	get_pages = alloc;
	put_pages = release;
}

static void insert_free(struct block *b)
{
	struct block **p = &free_list;
	while (*p && *p < b)
		p = &(*p)->next;
	b->magic = MAGIC_FREE;
	b->next = *p;
	*p = b;
	/* Coalesce with the successor, then with the predecessor. */
	if (b->next && (uint8_t *)b + b->size == (uint8_t *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (p != &free_list) {
		struct block *prev = (struct block *)((uint8_t *)p - offsetof(struct block, next));
		if ((uint8_t *)prev + prev->size == (uint8_t *)b) {
			prev->size += b->size;
			prev->next = b->next;
		}
	}
}

static bool grow(void)
{
	struct block *b = get_pages(HEAP_ARENA);
	if (!b)
		return false;
	b->size = HEAP_ARENA;
	insert_free(b);
	return true;
}

void *malloc(size_t n)
{
	if (n > PAGEALLOC_LIMIT)
		return NULL;
	uint64_t need = ALIGN_UP(n + sizeof(struct block), HEAP_ALIGN);

	if (n >= HEAP_LARGE) {
		/* Page-aligned data, with the header at the end of a page of its
		 * own: a file read here can be handed to a kernel in place. */
		uint64_t bytes = PAGE_SIZE + ALIGN_UP(n, PAGE_SIZE);
		uint8_t *base = get_pages(bytes);
		if (!base)
			return NULL;
		struct block *b = (struct block *)(base + PAGE_SIZE) - 1;
		b->size = bytes;
		b->magic = MAGIC_PAGES;
		b->next = (struct block *)base;
		return base + PAGE_SIZE;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		for (struct block **p = &free_list; *p; p = &(*p)->next) {
			struct block *b = *p;
			if (b->size < need)
				continue;
			if (b->size - need >= sizeof(struct block) + HEAP_ALIGN) {
				struct block *rest = (struct block *)((uint8_t *)b + need);
				rest->size = b->size - need;
				rest->magic = MAGIC_FREE;
				rest->next = b->next;
				*p = rest;
				b->size = need;
			} else {
				*p = b->next;
			}
			b->magic = MAGIC_USED;
			return b + 1;
		}
		if (!grow())
			return NULL;
	}
	return NULL;
}

static struct block *header_of(void *p)
{
	struct block *b = (struct block *)p - 1;
	if (b->magic != MAGIC_USED && b->magic != MAGIC_PAGES)
		panic("heap: free/realloc of %p, not an allocated block", p);
	return b;
}

void free(void *p)
{
	if (!p)
		return;
	struct block *b = header_of(p);
	if (b->magic == MAGIC_PAGES) {
		b->magic = 0;
		put_pages(b->next, b->size);
		return;
	}
	insert_free(b);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	struct block *b = header_of(p);
	size_t have = b->magic == MAGIC_PAGES ? b->size - PAGE_SIZE : b->size - sizeof(struct block);
	if (n <= have)
		return p;
	void *q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	free(p);
	return q;
}
