/* sa_index.c -- see sa_index.h */
#include <stdlib.h>
#include <string.h>
#include "sa_index.h"

static struct ix_link *link_of(const struct ix *x, const void *obj)
{
	return (struct ix_link *)((char *)obj + x->off);
}

void ix_init(struct ix *x, size_t link_off, const uint8_t key[SIPHASH_KEY_LEN])
{
	memset(x, 0, sizeof(*x));
	x->b = x->first;
	x->size = IX_FIRST_BUCKETS;
	x->off = link_off;
	x->key = key;
}

void ix_free(struct ix *x)
{
	if (x->b != x->first)
		free(x->b);
	x->b = x->first;
	x->size = IX_FIRST_BUCKETS;
	memset(x->first, 0, sizeof(x->first));
	x->n = 0;
}

uint32_t ix_hash(const struct ix *x, const void *key, size_t len)
{
	return (uint32_t)siphash24(x->key, key, len);
}

static void chain_push(struct ix *x, void *obj)
{
	struct ix_link *l = link_of(x, obj);
	void **head = &x->b[l->hash & (x->size - 1)];
	l->next = *head;
	if (l->next != NULL)
		link_of(x, l->next)->pprev = &l->next;
	l->pprev = head;
	*head = obj;
}

/* Past IX_LOAD entries a bucket the table doubles and every entry moves: amortised
 * O(1) per insertion.  Sizes stay powers of two, so a bucket is hash & (size - 1). */
static void grow(struct ix *x)
{
	if (x->n <= IX_LOAD * x->size || x->size > UINT32_MAX / 4)
		return;
	unsigned old_size = x->size;
	void **old = x->b, **nb = calloc((size_t)old_size * 2, sizeof(*nb));
	if (nb == NULL)
		return;
	x->b = nb;
	x->size = old_size * 2;
	for (unsigned i = 0; i < old_size; i++) {
		for (void *o = old[i], *next; o != NULL; o = next) {
			next = link_of(x, o)->next;
			chain_push(x, o);
		}
	}
	if (old == x->first)
		memset(x->first, 0, sizeof(x->first));
	else
		free(old);
}

void ix_put(struct ix *x, void *obj, uint32_t hash)
{
	struct ix_link *l = link_of(x, obj);
	if (l->pprev != NULL)
		ix_del(x, obj);
	l->hash = hash;
	chain_push(x, obj);
	x->n++;
	grow(x);
}

void ix_del(struct ix *x, void *obj)
{
	struct ix_link *l = link_of(x, obj);
	if (l->pprev == NULL)
		return;
	*l->pprev = l->next;
	if (l->next != NULL)
		link_of(x, l->next)->pprev = l->pprev;
	l->next = NULL;
	l->pprev = NULL;
	x->n--;
}

bool ix_on(const struct ix *x, const void *obj)
{
	return link_of(x, obj)->pprev != NULL;
}

static void *match_from(const struct ix *x, void *o, uint32_t hash)
{
	while (o != NULL && link_of(x, o)->hash != hash)
		o = link_of(x, o)->next;
	return o;
}

void *ix_first(const struct ix *x, uint32_t hash)
{
	return match_from(x, x->b[hash & (x->size - 1)], hash);
}

void *ix_next(const struct ix *x, const void *obj)
{
	const struct ix_link *l = link_of(x, obj);
	return match_from(x, l->next, l->hash);
}
