/*
 * analyzer/stats.c: query aggregations (see stats.h for the definitions).
 */
#include "analyzer/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const agg_names[] = {
	[STATS_MAX] = "max", [STATS_MIN] = "min", [STATS_SUM] = "sum", [STATS_AVG] = "avg",
	[STATS_VAR] = "var", [STATS_SDEV] = "sdev", [STATS_MED] = "med", [STATS_Q1] = "q1",
	[STATS_Q2] = "q2", [STATS_Q3] = "q3", [STATS_IQR] = "iqr", [STATS_ANY] = "any",
};

int stats_agg_parse(const char *s, size_t len, enum stats_agg *out)
{
	for (size_t i = 0; i < sizeof(agg_names) / sizeof(agg_names[0]); i++) {
		if (strlen(agg_names[i]) == len && memcmp(agg_names[i], s, len) == 0) {
			*out = (enum stats_agg)i;
			return 0;
		}
	}
	return -1;
}

int stats_agg_selects(enum stats_agg a)
{
	return a == STATS_MAX || a == STATS_MIN || a == STATS_ANY;
}

double stats_quantile(const double *sorted, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static size_t pick_extreme(const double *v, size_t n, int want_max)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++)
		if (want_max ? v[i] > v[best] : v[i] < v[best])
			best = i;
	return best;
}

static void moments(const double *v, size_t n, double *sum, double *var)
{
	double s = 0, ss = 0, mean;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	mean = s / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	*sum = s;
	*var = n > 1 ? ss / (double)(n - 1) : 0;
}

double stats_apply(enum stats_agg a, double *v, size_t n, size_t *pick,
		   struct stats_quartiles *q)
{
	double sum, var, r;

	if (a == STATS_MAX || a == STATS_MIN)
		*pick = pick_extreme(v, n, a == STATS_MAX);
	else if (a == STATS_ANY)
		*pick = 0;
	r = stats_agg_selects(a) ? v[*pick] : 0;
	moments(v, n, &sum, &var);
	/* the sort is most of a /metric/ALL request's aggregation: only when
	 * an order statistic is wanted */
	if (q || a == STATS_MED || a == STATS_Q1 || a == STATS_Q2 || a == STATS_Q3 ||
	    a == STATS_IQR)
		qsort(v, n, sizeof(v[0]), cmp_double);
	if (q) {
		q->min = v[0];
		q->q1 = stats_quantile(v, n, 0.25);
		q->med = stats_quantile(v, n, 0.5);
		q->q3 = stats_quantile(v, n, 0.75);
		q->max = v[n - 1];
	}
	switch (a) {
	case STATS_SUM: return sum;
	case STATS_AVG: return sum / (double)n;
	case STATS_VAR: return var;
	case STATS_SDEV: return sqrt(var);
	case STATS_MED:
	case STATS_Q2: return stats_quantile(v, n, 0.5);
	case STATS_Q1: return stats_quantile(v, n, 0.25);
	case STATS_Q3: return stats_quantile(v, n, 0.75);
	case STATS_IQR: return stats_quantile(v, n, 0.75) - stats_quantile(v, n, 0.25);
	default: return r;
	}
}
