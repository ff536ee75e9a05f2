/* capture: libpcap on one interface (the sandbox's loopback), read by a thread that hands each packet to a callback. */
#include "tracer/capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define POLL_MS 250 /* the stop flag is also signalled through wake_fd; this is a safety net */

struct capture {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	int dlt;
	int pcap_fd, wake_fd;
	pthread_t thread;
	atomic_bool stop;
	capture_packet_fn fn;
	void *user;
	/* Written by the capture thread only; read after it is joined. */
	uint64_t packets, truncated;
	bool read_error;
	char error[CAPTURE_ERRBUF_SIZE];
};

static void on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)arg;
	struct capture_packet pkt = {
		.ts = h->ts,
		.number = ++c->packets,
		.dlt = c->dlt,
		.bytes = bytes,
		.caplen = h->caplen,
		.len = h->len,
	};
	if (h->caplen < h->len)
		c->truncated++;
	if (c->dumper)
		pcap_dump((u_char *)c->dumper, h, bytes);
	c->fn(&pkt, c->user);
}

/* Hand over everything in the ring now; false on a read error. */
static bool drain(struct capture *c)
{
	for (;;) {
		int n = pcap_dispatch(c->pcap, -1, on_packet, (u_char *)c);
		if (n == 0)
			return true;
		if (n < 0) {
			snprintf(c->error, sizeof c->error, "pcap_dispatch: %s", pcap_geterr(c->pcap));
			c->read_error = true;
			return false;
		}
	}
}

static void *reader(void *arg)
{
	struct capture *c = arg;
	while (!atomic_load(&c->stop)) {
		struct pollfd fds[2] = {{c->pcap_fd, POLLIN, 0}, {c->wake_fd, POLLIN, 0}};
		int n = poll(fds, 2, POLL_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(c->error, sizeof c->error, "poll: %s", strerror(errno));
			c->read_error = true;
			return NULL;
		}
		if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) && !drain(c))
			return NULL;
	}
	drain(c); /* what arrived between the last poll and the stop */
	return NULL;
}

static enum capture_status activate_status(int rc)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
		return CAPTURE_PERMISSION;
	case PCAP_ERROR_NO_SUCH_DEVICE:
	case PCAP_ERROR_IFACE_NOT_UP:
		return CAPTURE_NO_INTERFACE;
	default:
		return CAPTURE_ERROR;
	}
}

/* pcap_create through pcap_activate, with the options applied. */
static enum capture_status open_pcap(struct capture *c, const struct capture_options *opts, char *errbuf)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	c->pcap = pcap_create(opts->interface, pcap_err);
	if (!c->pcap) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "pcap_create %s: %s", opts->interface, pcap_err);
		return CAPTURE_ERROR;
	}
	size_t buffer = opts->buffer_size ? opts->buffer_size : CAPTURE_BUFFER_DEFAULT;
	if (buffer > INT32_MAX)
		buffer = INT32_MAX;
	if (pcap_set_snaplen(c->pcap, opts->snaplen > 0 ? opts->snaplen : CAPTURE_SNAPLEN) != 0 ||
	    pcap_set_promisc(c->pcap, 0) != 0 || pcap_set_immediate_mode(c->pcap, 1) != 0 ||
	    pcap_set_buffer_size(c->pcap, (int)buffer) != 0 || pcap_set_timeout(c->pcap, POLL_MS) != 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "pcap options on %s: %s", opts->interface,
			 pcap_geterr(c->pcap));
		return CAPTURE_ERROR;
	}
	int rc = pcap_activate(c->pcap);
	if (rc < 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "capture on %s: %s (%s)", opts->interface,
			 pcap_statustostr(rc), pcap_geterr(c->pcap));
		return activate_status(rc);
	}
	return CAPTURE_OK;
}

static enum capture_status set_filter(struct capture *c, const char *filter, char *errbuf)
{
	struct bpf_program prog;
	if (!filter)
		return CAPTURE_OK;
	if (pcap_compile(c->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "filter \"%s\": %s", filter, pcap_geterr(c->pcap));
		return CAPTURE_ERROR;
	}
	int rc = pcap_setfilter(c->pcap, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "filter \"%s\": %s", filter, pcap_geterr(c->pcap));
		return CAPTURE_ERROR;
	}
	return CAPTURE_OK;
}

static void close_capture(struct capture *c)
{
	if (c->dumper)
		pcap_dump_close(c->dumper);
	if (c->pcap)
		pcap_close(c->pcap);
	if (c->wake_fd >= 0)
		close(c->wake_fd);
	free(c);
}

enum capture_status capture_start(const struct capture_options *opts, capture_packet_fn fn, void *user,
				  struct capture **out, char *errbuf)
{
	enum capture_status st = CAPTURE_NOMEM;
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct capture *c = calloc(1, sizeof *c);

	*out = NULL;
	errbuf[0] = '\0';
	if (!c) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "out of memory");
		goto fail;
	}
	c->wake_fd = -1;
	c->fn = fn;
	c->user = user;
	atomic_init(&c->stop, false);
	st = open_pcap(c, opts, errbuf);
	if (st == CAPTURE_OK && opts->outbound_only && pcap_setdirection(c->pcap, PCAP_D_OUT) != 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "capture on %s: outbound only: %s", opts->interface,
			 pcap_geterr(c->pcap));
		st = CAPTURE_ERROR;
	}
	if (st == CAPTURE_OK)
		st = set_filter(c, opts->filter, errbuf);
	if (st != CAPTURE_OK)
		goto fail;
	st = CAPTURE_ERROR;
	c->dlt = pcap_datalink(c->pcap);
	if (pcap_setnonblock(c->pcap, 1, pcap_err) != 0 || (c->pcap_fd = pcap_get_selectable_fd(c->pcap)) < 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "capture on %s: no pollable descriptor %s", opts->interface,
			 pcap_err);
		goto fail;
	}
	if (opts->pcap_fd > 0) {
		FILE *fp = fdopen(opts->pcap_fd, "wb");
		if (!fp || !(c->dumper = pcap_dump_fopen(c->pcap, fp))) {
			snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "pcap file: %s", fp ? pcap_geterr(c->pcap) : strerror(errno));
			if (fp)
				fclose(fp);
			goto fail;
		}
	} else if (opts->pcap_path && !(c->dumper = pcap_dump_open(c->pcap, opts->pcap_path))) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "pcap file %s: %s", opts->pcap_path, pcap_geterr(c->pcap));
		goto fail;
	}
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->wake_fd < 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "eventfd: %s", strerror(errno));
		goto fail;
	}
	int rc = pthread_create(&c->thread, NULL, reader, c);
	if (rc != 0) {
		snprintf(errbuf, CAPTURE_ERRBUF_SIZE, "capture thread: %s", strerror(rc));
		goto fail;
	}
	*out = c;
	return CAPTURE_OK;
fail:
	if (c)
		close_capture(c);
	return st;
}

int capture_datalink(const struct capture *c)
{
	return c->dlt;
}

enum capture_status capture_stop(struct capture *c, struct capture_stats *stats)
{
	struct pcap_stat ps;
	uint64_t one = 1;

	memset(stats, 0, sizeof *stats);
	if (!c)
		return CAPTURE_OK;
	atomic_store(&c->stop, true);
	if (write(c->wake_fd, &one, sizeof one) < 0) {
		/* the poll timeout still ends the wait */
	}
	pthread_join(c->thread, NULL);
	stats->packets = c->packets;
	stats->truncated = c->truncated;
	stats->read_error = c->read_error;
	snprintf(stats->error, sizeof stats->error, "%s", c->error);
	if (pcap_stats(c->pcap, &ps) == 0) {
		stats->stats_known = true;
		stats->received = ps.ps_recv;
		stats->dropped_kernel = ps.ps_drop;
		stats->dropped_interface = ps.ps_ifdrop;
	} else if (!stats->error[0]) {
		snprintf(stats->error, sizeof stats->error, "pcap_stats: %s", pcap_geterr(c->pcap));
	}
	if (c->dumper && pcap_dump_flush(c->dumper) != 0 && !stats->error[0])
		snprintf(stats->error, sizeof stats->error, "pcap file: write failed");
	bool failed = c->read_error;
	close_capture(c);
	return failed ? CAPTURE_ERROR : CAPTURE_OK;
}
