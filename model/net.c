/* net.c - see net.h. A loader allocates the system and every array it
 * points to from one arena, kept in sys->owner, so freeing is one call. */
#include "net.h"

#include "../inputs/arena.h"

void net_free(net_sys_t *sys)
{
    if (sys)
        arena_free(sys->owner); /* sys itself lives in the arena */
}
