/*
 * analyzer/stats.h: the aggregations of the metric queries (sFlow-RT
 * prefixes max: min: sum: avg: var: sdev: med: q1: q2: q3: iqr: any:) as
 * pure functions over an array of numbers.
 *
 * Quantiles use linear interpolation between closest ranks (Hyndman and
 * Fan type 7, the default of R and numpy): for sorted x[0..n), quantile p
 * is x[h] + (h - floor h)(x[h+1] - x[h]) with h = (n - 1) p. For 1..7:
 * q1 2.5, med 4, q3 5.5. var is the sample variance (n - 1; 0 when n is
 * 1), sdev its square root.
 */
#ifndef RTFLOW_ANALYZER_STATS_H
#define RTFLOW_ANALYZER_STATS_H

#include <stddef.h>

enum stats_agg {
	STATS_MAX, STATS_MIN, STATS_SUM, STATS_AVG, STATS_VAR, STATS_SDEV, STATS_MED,
	STATS_Q1, STATS_Q2, STATS_Q3, STATS_IQR, STATS_ANY,
};

struct stats_quartiles {
	double min, q1, med, q3, max;
};

/* The aggregation named by s[0..len) ("max", ...). 0, or -1 if unknown. */
int stats_agg_parse(const char *s, size_t len, enum stats_agg *out);

/* Whether the aggregation picks one contributor (max, min, any). */
int stats_agg_selects(enum stats_agg a);

/* Quantile p (0..1) of sorted v[0..n), n > 0. */
double stats_quantile(const double *sorted, size_t n, double p);

/*
 * Aggregate v[0..n) (n > 0; v is sorted in place when q is not NULL or a
 * is an order statistic: med, q1, q2, q3, iqr).
 * For max/min/any *pick is the index, in the original order, of the value
 * chosen (first of equals); otherwise it is left alone. q, when not NULL,
 * receives the quartiles (computed for every aggregation).
 */
double stats_apply(enum stats_agg a, double *v, size_t n, size_t *pick,
		   struct stats_quartiles *q);

#endif
