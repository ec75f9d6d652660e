/*
 * agent/agent_addr.h: election of the agent address that every datagram
 * carries, hsflowd's selectAgentAddress() rules (reference/host-sflow.md
 * §5), as a pure function over a list of candidate addresses.
 *
 * 1. agentIP in the config wins outright, whether or not it is local.
 * 2. Otherwise every candidate gets a score:
 *      its class, 1..12, worst to best: CLASS_E < MULTICAST < LOOPBACK6 <
 *      LOOPBACK4 < SELFASSIGNED4 (169.254/16) < IP6_LINK (fe80::/10) <
 *      VLAN6 < VLAN4 (an address on a VLAN device) < IP6_UNIQUE_LOCAL
 *      (fc00::/7) < IP6_GLOBAL < IP4_RFC1918 < IP4 (any other IPv4);
 *      + 13 when its device is `agent=<dev>`;
 *      + (n - i) * 13 when agent.cidr line i (0-based, of n lines) is the
 *      first line containing it: earlier lines count more. When that first
 *      matching line is an exclusion ("!cidr") the candidate is out.
 *    0.0.0.0, :: (class NONE) and excluded candidates are never elected.
 * 3. The highest score wins; among equals an assigned (permanent) address
 *    beats a learnt one (SLAAC, DHCP: no IFA_F_PERMANENT), then the lower
 *    ifIndex, then the one seen first.
 * Class is decided in hsflowd's order: loopback (device or address),
 * self-assigned or link-local, VLAN device, then the address ranges.
 * hsflowd has no rule preferring physical over other virtual devices;
 * neither has rtflow (only VLAN devices rank lower).
 *
 * No I/O, no state: any thread.
 */
#ifndef RTFLOW_AGENT_AGENT_ADDR_H
#define RTFLOW_AGENT_AGENT_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"
#include "sflow/encode.h"

#define AGENT_ADDR_PEG 13 /* one step above the best class */

enum agent_addr_class {
	AGENT_ADDR_NONE = 0,
	AGENT_ADDR_CLASS_E,
	AGENT_ADDR_MULTICAST,
	AGENT_ADDR_LOOPBACK6,
	AGENT_ADDR_LOOPBACK4,
	AGENT_ADDR_SELFASSIGNED4,
	AGENT_ADDR_IP6_LINK,
	AGENT_ADDR_VLAN6,
	AGENT_ADDR_VLAN4,
	AGENT_ADDR_IP6_UNIQUE_LOCAL,
	AGENT_ADDR_IP6_GLOBAL,
	AGENT_ADDR_IP4_RFC1918,
	AGENT_ADDR_IP4,
};

struct agent_addr_cand {
	int family;                            /* AF_INET or AF_INET6 */
	uint8_t addr[16];                      /* network order */
	uint32_t ifindex;
	char ifname[AGENT_CONFIG_IFNAME_BYTES]; /* its device */
	bool loopback_dev;                     /* the device has IFF_LOOPBACK */
	bool vlan_dev;                         /* the device is a VLAN (link kind "vlan") */
	bool learnt;                           /* not IFA_F_PERMANENT: SLAAC or DHCP */
	uint64_t order;                        /* discovery order, smaller = earlier */
};

/* The class of c by the rules above. */
enum agent_addr_class agent_addr_classify(const struct agent_addr_cand *c);

/* Score of c under config cfg (0 = never elected). */
uint32_t agent_addr_score(const struct agent_config *cfg, const struct agent_addr_cand *c);

/* Elect from v[0..n) into *out. Returns the winner's index, n when
 * agentIP decided, or -1 when no candidate can be elected (*out
 * untouched). */
int agent_addr_elect(const struct agent_config *cfg, const struct agent_addr_cand *v, size_t n,
		     struct sfl_address *out);

#endif
