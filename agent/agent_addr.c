/*
 * agent/agent_addr.c: agent address election (rules in agent_addr.h).
 */
#include "agent/agent_addr.h"

#include <string.h>
#include <sys/socket.h>

#include "sflow/sflow.h"

static bool all_zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != 0)
			return false;
	}
	return true;
}

static enum agent_addr_class classify4(const struct agent_addr_cand *c)
{
	const uint8_t *a = c->addr;

	if (all_zero(a, 4))
		return AGENT_ADDR_NONE;
	if (c->loopback_dev || a[0] == 127)
		return AGENT_ADDR_LOOPBACK4;
	if (a[0] == 169 && a[1] == 254)
		return AGENT_ADDR_SELFASSIGNED4;
	if (c->vlan_dev)
		return AGENT_ADDR_VLAN4;
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168))
		return AGENT_ADDR_IP4_RFC1918;
	if (a[0] >= 240)
		return AGENT_ADDR_CLASS_E;
	if (a[0] >= 224)
		return AGENT_ADDR_MULTICAST;
	return AGENT_ADDR_IP4;
}

static enum agent_addr_class classify6(const struct agent_addr_cand *c)
{
	static const uint8_t loopback[16] = { [15] = 1 };
	const uint8_t *a = c->addr;

	if (all_zero(a, 16))
		return AGENT_ADDR_NONE;
	if (c->loopback_dev || memcmp(a, loopback, 16) == 0)
		return AGENT_ADDR_LOOPBACK6;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return AGENT_ADDR_IP6_LINK;
	if (c->vlan_dev)
		return AGENT_ADDR_VLAN6;
	if ((a[0] & 0xfe) == 0xfc)
		return AGENT_ADDR_IP6_UNIQUE_LOCAL;
	if (a[0] == 0xff)
		return AGENT_ADDR_MULTICAST;
	return AGENT_ADDR_IP6_GLOBAL;
}

enum agent_addr_class agent_addr_classify(const struct agent_addr_cand *c)
{
	if (c->family == AF_INET)
		return classify4(c);
	if (c->family == AF_INET6)
		return classify6(c);
	return AGENT_ADDR_NONE;
}

static bool in_cidr(const struct agent_config_cidr *r, const struct agent_addr_cand *c)
{
	size_t full = r->prefix_len / 8, rest = r->prefix_len % 8;

	if (r->ip.family != c->family || r->prefix_len > (c->family == AF_INET ? 32 : 128))
		return false;
	if (memcmp(r->ip.addr, c->addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((r->ip.addr[full] ^ c->addr[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

uint32_t agent_addr_score(const struct agent_config *cfg, const struct agent_addr_cand *c)
{
	const struct agent_config_cidrs *cidrs = &cfg->agent_cidrs;
	uint32_t score = (uint32_t)agent_addr_classify(c);

	if (score == AGENT_ADDR_NONE)
		return 0;
	if (cfg->agent_dev[0] != '\0' && strcmp(cfg->agent_dev, c->ifname) == 0)
		score += AGENT_ADDR_PEG;
	for (size_t i = 0; i < cidrs->count; i++) {
		if (!in_cidr(&cidrs->v[i], c))
			continue;
		if (cidrs->v[i].exclude)
			return 0;
		score += (uint32_t)(cidrs->count - i) * AGENT_ADDR_PEG;
		break;
	}
	return score;
}

/* True when a (score sa) beats b (score sb) by the rules and ties above. */
static bool beats(uint32_t sa, const struct agent_addr_cand *a, uint32_t sb,
		  const struct agent_addr_cand *b)
{
	if (sa != sb)
		return sa > sb;
	if (a->learnt != b->learnt)
		return !a->learnt;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex;
	return a->order < b->order;
}

int agent_addr_elect(const struct agent_config *cfg, const struct agent_addr_cand *v, size_t n,
		     struct sfl_address *out)
{
	uint32_t best_score = 0;
	int best = -1;

	if (cfg->agent_ip.family != 0) {
		memset(out, 0, sizeof(*out));
		out->type = cfg->agent_ip.family == AF_INET6 ? SFL_ADDR_IP6 : SFL_ADDR_IP4;
		memcpy(out->addr, cfg->agent_ip.addr, cfg->agent_ip.family == AF_INET6 ? 16 : 4);
		return (int)n;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t s = agent_addr_score(cfg, &v[i]);

		if (s > 0 && (best == -1 || beats(s, &v[i], best_score, &v[best]))) {
			best = (int)i;
			best_score = s;
		}
	}
	if (best == -1)
		return -1;
	memset(out, 0, sizeof(*out));
	out->type = v[best].family == AF_INET6 ? SFL_ADDR_IP6 : SFL_ADDR_IP4;
	memcpy(out->addr, v[best].addr, v[best].family == AF_INET6 ? 16 : 4);
	return best;
}
