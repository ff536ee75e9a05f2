/* redirect: inside the sandbox's network namespace, send TCP to every port the sinkholes do
 * not listen on to the catch-all listener instead, with an nftables NAT rule (run through
 * the nft program, before the server starts). Loopback is left alone: the server's own
 * local services and the driver's HTTP connection are not redirected. */
#ifndef MCPAUDIT_REDIRECT_H
#define MCPAUDIT_REDIRECT_H

#include <stddef.h>
#include <stdint.h>

/* Redirect TCP to any port but keep[] (and catch_port) to catch_port. Returns 0; or -1
 * with err saying why (no nft program, the kernel refused the rule): then connections to
 * other ports stay bare connection attempts. */
int redirect_other_ports(uint16_t catch_port, const uint16_t *keep, size_t nkeep, char *err, size_t errlen);

#endif
