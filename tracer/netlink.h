/* netlink: the few rtnetlink requests (RFC 3549; linux/rtnetlink.h) the sandbox needs to set up
 * its network namespace, over a plain NETLINK_ROUTE socket: no `ip`, no libmnl. */
#ifndef MCPAUDIT_NETLINK_H
#define MCPAUDIT_NETLINK_H

#include <stddef.h>
#include <stdint.h>

/* One NETLINK_ROUTE socket. Each request waits for its own ACK, so a failure names the request. */
struct netlink {
	int fd;
	uint32_t seq;
};

/* All functions return 0, or -1 with a message in err ("RTM_NEWADDR 192.0.2.10/24 on eth0:
 * Operation not permitted"). */
int netlink_open(struct netlink *nl, char *err, size_t errlen);
/* Closes the socket; safe on a struct that netlink_open failed to fill or already closed. */
void netlink_close(struct netlink *nl);

/* Sets IFF_UP on the interface (`ip link set IFNAME up`). */
int netlink_link_up(struct netlink *nl, const char *ifname, char *err, size_t errlen);
/* Creates a veth pair NAME <-> PEER in the current namespace (`ip link add NAME type veth peer
 * name PEER`); both ends stay down. */
int netlink_veth_add(struct netlink *nl, const char *name, const char *peer, char *err, size_t errlen);
/* Adds ADDR/PREFIXLEN (IPv4 or IPv6 text, the family taken from the text) to the interface;
 * IPv6 addresses get IFA_F_NODAD so they are usable at once, not "tentative". */
int netlink_addr_add(struct netlink *nl, const char *ifname, const char *addr, unsigned prefixlen, char *err,
		     size_t errlen);
/* Adds a route of type RTN_LOCAL for the whole family (0.0.0.0/0 for AF_INET, ::/0 for AF_INET6)
 * to table local on the interface: `ip route add local 0.0.0.0/0 dev IFNAME table local`. */
int netlink_route_local_all(struct netlink *nl, const char *ifname, int family, char *err, size_t errlen);

#endif
