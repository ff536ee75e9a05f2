/* capture: libpcap on one interface (the sandbox's loopback), read by a thread that hands each packet to a callback. */
#ifndef MCPAUDIT_TRACER_CAPTURE_H
#define MCPAUDIT_TRACER_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

/* Loopback's MTU is 65536, so a full frame with its link header is longer than
 * 65535; this is tcpdump's default (MAXIMUM_SNAPLEN). */
#define CAPTURE_SNAPLEN 262144
/* Kernel ring for bursts: thousands of connections made as fast as a process can. */
#define CAPTURE_BUFFER_DEFAULT (32u << 20)
#define CAPTURE_ERRBUF_SIZE 512

enum capture_status {
	CAPTURE_OK,
	CAPTURE_PERMISSION,   /* no CAP_NET_RAW here (not root, not in our own namespace) */
	CAPTURE_NO_INTERFACE, /* no such interface, or it cannot capture */
	CAPTURE_ERROR,	      /* anything else: see errbuf */
	CAPTURE_NOMEM,
};

/* One packet as the callback sees it: bytes are borrowed from libpcap and valid
 * only during the callback. */
struct capture_packet {
	struct timeval ts;
	uint64_t number; /* 1-based, in capture order */
	int dlt;	 /* pcap_datalink: DLT_EN10MB on a Linux loopback */
	const uint8_t *bytes;
	size_t caplen, len; /* captured, and on the wire */
};

/* Called on the capture thread, one packet at a time, in order. */
typedef void (*capture_packet_fn)(const struct capture_packet *pkt, void *user);

struct capture_options {
	const char *interface; /* "lo" */
	const char *filter;    /* a BPF filter expression, or NULL for everything */
	const char *pcap_path; /* also write the packets to this pcap file (--pcap), or NULL */
	int pcap_fd;           /* ... or to this open file (> 0; the tracer opens it outside the
	                        * sandbox, where the path is writable), taken over and closed */
	size_t buffer_size;    /* 0: CAPTURE_BUFFER_DEFAULT */
	int snaplen;	       /* 0: CAPTURE_SNAPLEN */
	bool outbound_only;    /* only packets sent out of the interface (a veth's two ends would
	                        * otherwise each show a packet that crosses them) */
};

/* What the capture saw and lost. Drops are the kernel's and the interface's
 * counts from pcap_stats: a report lists any that are not zero. */
struct capture_stats {
	uint64_t packets;    /* handed to the callback */
	uint64_t truncated;  /* packets captured shorter than on the wire */
	bool stats_known;    /* pcap_stats answered; when false the drop counts are unknown */
	uint64_t received, dropped_kernel, dropped_interface;
	bool read_error;     /* the reader stopped early on an error (in error) */
	char error[CAPTURE_ERRBUF_SIZE];
};

struct capture;

/* Open interface in immediate mode (non-promiscuous, opts' snaplen and buffer),
 * apply the filter, open the pcap file, and start the reading thread. On success
 * *out is the capture, which the caller ends with capture_stop. On failure *out
 * is NULL and errbuf (CAPTURE_ERRBUF_SIZE bytes) says why. */
enum capture_status capture_start(const struct capture_options *opts, capture_packet_fn fn, void *user,
				  struct capture **out, char *errbuf);

/* The link type packets arrive with (a DLT_ value). */
int capture_datalink(const struct capture *c);

/* Stop reading (after handing over every packet already in the kernel's ring),
 * fill stats, close the pcap file and free c. capture_stop(NULL, ...) is a no-op
 * that returns CAPTURE_OK. Returns CAPTURE_ERROR when the reader had stopped on an
 * error (stats->error says which); the counts are filled either way. */
enum capture_status capture_stop(struct capture *c, struct capture_stats *stats);

#endif
