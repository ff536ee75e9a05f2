/* netlink: rtnetlink requests (RFC 3549; rtnetlink(7), linux/rtnetlink.h, linux/if_link.h,
 * linux/veth.h) built into a fixed buffer, each answered by an ACK read on a bounded reader. */
#include "tracer/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define REQ_MAX 512       /* the largest request here (a veth pair) takes under 200 bytes */
#define ACK_MAX 8192      /* an ACK with extended-ACK text fits easily */
#define ACK_TIMEOUT_S 5   /* the kernel answers at once; this only bounds a broken socket */

/* A request under construction, zeroed by req_init so appends need not clear padding; every
 * append is bounded and a full buffer is remembered, reported once by transact. */
struct req {
	union {
		struct nlmsghdr h;
		char buf[REQ_MAX];
	} u;
	bool full;
};

static void *req_put(struct req *r, size_t len)
{
	size_t at = NLMSG_ALIGN(r->u.h.nlmsg_len);
	if (r->full || len > REQ_MAX || at > REQ_MAX - len) {
		r->full = true;
		return NULL;
	}
	r->u.h.nlmsg_len = (uint32_t)(at + len);
	return r->u.buf + at;
}

static struct rtattr *attr_put(struct req *r, unsigned short type, const void *payload, size_t len)
{
	struct rtattr *a = req_put(r, RTA_LENGTH(len));
	if (!a)
		return NULL;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), payload, len);
	return a;
}

/* A nested attribute: its length is fixed by nest_end once its children are in. */
static struct rtattr *nest_begin(struct req *r, unsigned short type)
{
	return attr_put(r, type, NULL, 0);
}

static void nest_end(struct req *r, struct rtattr *a)
{
	if (a)
		a->rta_len = (unsigned short)(r->u.buf + r->u.h.nlmsg_len - (char *)a);
}

static void req_init(struct req *r, uint16_t type, uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->u.h.nlmsg_len = NLMSG_HDRLEN;
	r->u.h.nlmsg_type = type;
	r->u.h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
}

int netlink_open(struct netlink *nl, char *err, size_t errlen)
{
	int one = 1;
	struct timeval tv = {ACK_TIMEOUT_S, 0};
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};

	nl->seq = 0;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0) {
		snprintf(err, errlen, "netlink socket: %s", strerror(errno));
		return -1;
	}
	if (bind(nl->fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		snprintf(err, errlen, "netlink bind: %s", strerror(errno));
		netlink_close(nl);
		return -1;
	}
	/* Extended ACKs carry the kernel's own text ("Unknown device type"); older kernels
	 * refuse the options and we fall back to strerror alone. The receive timeout keeps a
	 * lost ACK from hanging the sandbox set-up. */
	(void)setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

void netlink_close(struct netlink *nl)
{
	if (nl && nl->fd >= 0) {
		close(nl->fd);
		nl->fd = -1;
	}
}

/* The NLMSGERR_ATTR_MSG text after a capped nlmsgerr, or "" when there is none. */
static const char *ack_text(const struct nlmsghdr *h, size_t hlen)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nlmsgerr));

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || !(h->nlmsg_flags & NLM_F_CAPPED))
		return "";
	while (off + sizeof(struct nlattr) <= hlen) {
		const struct nlattr *a = (const struct nlattr *)((const char *)h + off);
		if (a->nla_len < sizeof(*a) || a->nla_len > hlen - off)
			return "";
		if (a->nla_type == NLMSGERR_ATTR_MSG && a->nla_len > sizeof(*a)) {
			const char *s = (const char *)a + NLA_HDRLEN;
			if (memchr(s, '\0', a->nla_len - NLA_HDRLEN))
				return s;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return "";
}

/* Reads messages until the ACK for seq. Returns 0 on success; -1 with err filled. */
static int read_ack(struct netlink *nl, uint32_t seq, const char *what, char *err, size_t errlen)
{
	static const size_t err_min = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
	union {
		struct nlmsghdr h;
		char buf[ACK_MAX];
	} in;

	for (;;) {
		ssize_t n = recv(nl->fd, in.buf, sizeof(in.buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: no answer from the kernel: %s", what, strerror(errno));
			return -1;
		}
		size_t left = (size_t)n, off = 0;
		while (left - off >= NLMSG_HDRLEN) {
			const struct nlmsghdr *h = (const struct nlmsghdr *)(in.buf + off);
			size_t hlen = h->nlmsg_len;
			if (hlen < NLMSG_HDRLEN || hlen > left - off)
				break;
			if (h->nlmsg_seq == seq && h->nlmsg_type == NLMSG_ERROR && hlen >= err_min) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				if (e->error == 0)
					return 0;
				const char *text = ack_text(h, hlen);
				snprintf(err, errlen, "%s: %s%s%s", what, strerror(-e->error), *text ? ": " : "",
					 text);
				errno = -e->error;
				return -1;
			}
			off += NLMSG_ALIGN(hlen);
		}
	}
}

static int transact(struct netlink *nl, struct req *r, const char *what, char *err, size_t errlen)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};

	if (r->full) {
		snprintf(err, errlen, "%s: request larger than %d bytes", what, REQ_MAX);
		return -1;
	}
	r->u.h.nlmsg_seq = ++nl->seq;
	if (sendto(nl->fd, r->u.buf, r->u.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		snprintf(err, errlen, "%s: send: %s", what, strerror(errno));
		return -1;
	}
	return read_ack(nl, r->u.h.nlmsg_seq, what, err, errlen);
}

static int ifindex(const char *ifname, const char *what, char *err, size_t errlen)
{
	unsigned idx = if_nametoindex(ifname);
	if (idx == 0)
		snprintf(err, errlen, "%s: no interface %s: %s", what, ifname, strerror(errno));
	return (int)idx;
}

int netlink_link_up(struct netlink *nl, const char *ifname, char *err, size_t errlen)
{
	char what[64];
	struct req r;

	snprintf(what, sizeof(what), "RTM_NEWLINK %s up", ifname);
	int idx = ifindex(ifname, what, err, errlen);
	if (idx == 0)
		return -1;
	req_init(&r, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = req_put(&r, sizeof(*ifi));
	if (ifi) {
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = idx;
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	return transact(nl, &r, what, err, errlen);
}

int netlink_veth_add(struct netlink *nl, const char *name, const char *peer, char *err, size_t errlen)
{
	static const char kind[] = "veth";
	char what[64];
	struct req r;

	snprintf(what, sizeof(what), "RTM_NEWLINK veth %s peer %s", name, peer);
	req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = req_put(&r, sizeof(*ifi));
	if (ifi)
		ifi->ifi_family = AF_UNSPEC;
	attr_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	struct rtattr *linkinfo = nest_begin(&r, IFLA_LINKINFO);
	attr_put(&r, IFLA_INFO_KIND, kind, sizeof(kind));
	struct rtattr *info = nest_begin(&r, IFLA_INFO_DATA);
	/* VETH_INFO_PEER holds a whole ifinfomsg followed by the peer's own attributes. */
	struct rtattr *peer_attr = nest_begin(&r, VETH_INFO_PEER);
	struct ifinfomsg *peer_ifi = req_put(&r, sizeof(*peer_ifi));
	if (peer_ifi)
		peer_ifi->ifi_family = AF_UNSPEC;
	attr_put(&r, IFLA_IFNAME, peer, strlen(peer) + 1);
	nest_end(&r, peer_attr);
	nest_end(&r, info);
	nest_end(&r, linkinfo);
	return transact(nl, &r, what, err, errlen);
}

int netlink_addr_add(struct netlink *nl, const char *ifname, const char *addr, unsigned prefixlen, char *err,
		     size_t errlen)
{
	unsigned char bin[16];
	char what[128];
	struct req r;
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	size_t alen = family == AF_INET6 ? 16 : 4;

	snprintf(what, sizeof(what), "RTM_NEWADDR %s/%u on %s", addr, prefixlen, ifname);
	if (inet_pton(family, addr, bin) != 1 || prefixlen > alen * 8) {
		snprintf(err, errlen, "%s: not an address", what);
		return -1;
	}
	int idx = ifindex(ifname, what, err, errlen);
	if (idx == 0)
		return -1;
	req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE);
	struct ifaddrmsg *ifa = req_put(&r, sizeof(*ifa));
	if (ifa) {
		ifa->ifa_family = (unsigned char)family;
		ifa->ifa_prefixlen = (unsigned char)prefixlen;
		ifa->ifa_scope = RT_SCOPE_UNIVERSE;
		ifa->ifa_index = (unsigned)idx;
		/* Duplicate address detection would leave the address "tentative" (unusable for
		 * bind) for about a second; nothing else shares this namespace's links. */
		ifa->ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	}
	attr_put(&r, IFA_LOCAL, bin, alen);
	attr_put(&r, IFA_ADDRESS, bin, alen);
	if (family == AF_INET6) {
		uint32_t flags = IFA_F_NODAD;
		attr_put(&r, IFA_FLAGS, &flags, sizeof(flags));
	}
	return transact(nl, &r, what, err, errlen);
}

int netlink_route_local_all(struct netlink *nl, const char *ifname, int family, char *err, size_t errlen)
{
	unsigned char any[16] = {0};
	char what[96];
	struct req r;

	snprintf(what, sizeof(what), "RTM_NEWROUTE local %s dev %s table local", family == AF_INET6 ? "::/0" : "0.0.0.0/0",
		 ifname);
	if (family != AF_INET && family != AF_INET6) {
		snprintf(err, errlen, "%s: family %d is neither IPv4 nor IPv6", what, family);
		return -1;
	}
	uint32_t idx = (uint32_t)ifindex(ifname, what, err, errlen);
	if (idx == 0)
		return -1;
	req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rt = req_put(&r, sizeof(*rt));
	if (rt) {
		rt->rtm_family = (unsigned char)family;
		rt->rtm_dst_len = 0;
		rt->rtm_table = RT_TABLE_LOCAL;
		rt->rtm_protocol = RTPROT_BOOT;
		rt->rtm_scope = RT_SCOPE_HOST;
		rt->rtm_type = RTN_LOCAL;
	}
	attr_put(&r, RTA_DST, any, family == AF_INET6 ? 16 : 4);
	attr_put(&r, RTA_OIF, &idx, sizeof(idx));
	return transact(nl, &r, what, err, errlen);
}
