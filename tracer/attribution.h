/* Which process made a connection or a query: its socket found through /proc (net tables,
 * then every process's fds), with the command line and the parent chain. */
#ifndef MCPAUDIT_ATTRIBUTION_H
#define MCPAUDIT_ATTRIBUTION_H

#include <stdbool.h>
#include <stdint.h>

/* The process owning the local socket family/addr/port (the client side), as text:
 * "pid 42 curl -s https://x (parent 17 sh -c ..., 1 node index.js)". Caller frees with
 * free; NULL when it cannot be found (the socket is already closed, or /proc hides it).
 * Bounded: at most 4096 processes and 4096 descriptors each are looked at. */
char *attribution_find(int family, const uint8_t addr[16], uint16_t port, bool udp);

#endif
