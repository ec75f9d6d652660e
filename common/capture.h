/*
 * common/capture.h: reading UDP payloads (sFlow datagrams) out of capture files.
 *
 * Opens pcap and pcapng files with libpcap (a path, "-" for stdin, or a
 * buffer in memory) and yields the UDP payload of each frame, whatever
 * the port, as sflowtool does. Link types: Ethernet (with any number of
 * 802.1Q/802.1ad tags, and 802.2 SNAP), Linux cooked v1 and v2, raw IP
 * (DLT_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6) and BSD loopback; network
 * layers IPv4 and IPv6 (with extension headers). The payload ends where
 * the UDP length says, so link-layer padding is not taken for sFlow.
 * Used by rtflow-dump (-r) and rtflow-analyzer (sflow.file). Not
 * thread-safe per capture.
 */
#ifndef RTFLOW_COMMON_CAPTURE_H
#define RTFLOW_COMMON_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/* Where and when one frame was captured. */
struct capture_meta {
	int64_t sec;           /* capture time, seconds since the epoch */
	uint32_t usec;         /* and microseconds */
	uint64_t frame;        /* frame number in the capture, from 1 */
	int src_family;        /* AF_INET or AF_INET6: the datagram's IP sender; 0 unknown */
	uint8_t src_addr[16];  /* 4 bytes used for AF_INET */
	uint16_t src_port;     /* UDP source port */
};

enum capture_status {
	CAPTURE_DATAGRAM,  /* payload and len hold a UDP payload */
	CAPTURE_SKIP,      /* the frame holds no UDP datagram (ARP, TCP ...) */
	CAPTURE_TRUNCATED, /* a UDP datagram that was not captured whole */
	CAPTURE_END,
	CAPTURE_ERROR,     /* the file is damaged: see capture_error() */
};

struct capture;

/*
 * Open `path` ("-" is stdin), or the `size` bytes at `data` (which must
 * outlive the capture). NULL on failure with a reason in err[errlen]:
 * unreadable file, not a capture, unsupported link type.
 */
struct capture *capture_open(const char *path, char *err, size_t errlen);
struct capture *capture_open_mem(const uint8_t *data, size_t size, char *err, size_t errlen);
void capture_close(struct capture *c);

/*
 * The next frame. For CAPTURE_DATAGRAM the payload points into libpcap's
 * buffer and is valid until the next call; `m` gets the capture time and
 * the frame number (from 1) for every status but END and ERROR, and the
 * IP and UDP source for CAPTURE_DATAGRAM.
 */
enum capture_status capture_next(struct capture *c, const uint8_t **payload, size_t *len,
				 struct capture_meta *m);

/* Why the last call returned CAPTURE_ERROR. */
const char *capture_error(const struct capture *c);

/*
 * The UDP payload of one frame of link type `linktype` (a DLT_ value):
 * sets *off and *len and returns CAPTURE_DATAGRAM, or CAPTURE_SKIP or
 * CAPTURE_TRUNCATED. Pure; exposed for the unit tests.
 */
enum capture_status capture_udp_payload(int linktype, const uint8_t *frame, size_t caplen,
					size_t *off, size_t *len);

#endif
