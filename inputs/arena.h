/*
 * arena.h - one owner for everything a scenario load allocates.
 *
 * The loader builds a tree of structs, strings and arrays whose shapes come
 * from the input (sequences of scenarios, blocks, units). Freeing that tree
 * field by field is where leaks and double frees hide; instead every piece
 * comes from one arena and arena_free releases them together. Allocations
 * are zeroed and aligned for any type.
 */
#ifndef GR_ARENA_H
#define GR_ARENA_H

#include <stddef.h>

typedef struct arena arena_t;

arena_t *arena_new(void);
void arena_free(arena_t *a);
/* n zeroed bytes, or NULL when out of memory (or n overflows). */
void *arena_alloc(arena_t *a, size_t n);
/* count * size zeroed bytes; NULL on overflow or out of memory. */
void *arena_calloc(arena_t *a, size_t count, size_t size);
char *arena_strdup(arena_t *a, const char *s);
/* Bytes handed out so far (for the memory estimate). */
size_t arena_used(const arena_t *a);

#endif
