/* SPDX-License-Identifier: GPL-2.0 */
/*
 * String pool: bytes live in large chunks (no allocation per string), and
 * an open-addressing hash table finds a string already interned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vasx/strpool.h"

#define CHUNK_MIN (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct entry {
	const char *s;
	uint32_t hash;
	uint32_t len;
};

struct vasx_strpool {
	struct chunk *chunks;
	struct entry *table;
	size_t mask;		/* table size - 1 (a power of two) */
	size_t count;
	size_t bytes;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct vasx_strpool *vasx_strpool_new(void)
{
	struct vasx_strpool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->mask = 255;
	p->table = calloc(p->mask + 1, sizeof(*p->table));
	if (!p->table) {
		free(p);
		return NULL;
	}
	p->bytes = sizeof(*p) + (p->mask + 1) * sizeof(*p->table);
	return p;
}

void vasx_strpool_free(struct vasx_strpool *p)
{
	if (!p)
		return;
	while (p->chunks) {
		struct chunk *c = p->chunks;

		p->chunks = c->next;
		free(c);
	}
	free(p->table);
	free(p);
}

static int grow_table(struct vasx_strpool *p)
{
	size_t nsize = (p->mask + 1) * 2;
	struct entry *t = calloc(nsize, sizeof(*t));

	if (!t)
		return -1;
	for (size_t i = 0; i <= p->mask; i++) {
		struct entry *e = &p->table[i];
		size_t j;

		if (!e->s)
			continue;
		for (j = e->hash & (nsize - 1); t[j].s; j = (j + 1) & (nsize - 1))
			;
		t[j] = *e;
	}
	p->bytes += (nsize - p->mask - 1) * sizeof(*t);
	free(p->table);
	p->table = t;
	p->mask = nsize - 1;
	return 0;
}

static char *store(struct vasx_strpool *p, const char *s, size_t len)
{
	struct chunk *c = p->chunks;
	char *d;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_MIN ? len + 1 : CHUNK_MIN;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = p->chunks;
		p->chunks = c;
		p->bytes += sizeof(*c) + size;
	}
	d = c->data + c->used;
	memcpy(d, s, len);
	d[len] = '\0';
	c->used += len + 1;
	return d;
}

const char *vasx_strpool_intern(struct vasx_strpool *p, const char *s, size_t len)
{
	uint32_t h = hash_bytes(s, len);
	size_t i;
	char *d;

	if (len > UINT32_MAX)
		return NULL;
	/* Keep the load under one half, so probes stay short and end. */
	if ((p->count + 1) * 2 > p->mask + 1 && grow_table(p) < 0)
		return NULL;
	for (i = h & p->mask; p->table[i].s; i = (i + 1) & p->mask) {
		struct entry *e = &p->table[i];

		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
			return e->s;
	}
	d = store(p, s, len);
	if (!d)
		return NULL;
	p->table[i] = (struct entry){ .s = d, .hash = h, .len = (uint32_t)len };
	p->count++;
	return d;
}

size_t vasx_strpool_bytes(const struct vasx_strpool *p)
{
	return p->bytes;
}
