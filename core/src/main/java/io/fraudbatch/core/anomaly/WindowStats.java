package io.fraudbatch.core.anomaly;

import java.io.Serializable;

/**
 * What happened at one key (a region, merchant, merchant category or IP prefix) in one time window:
 * the inputs of every anomaly metric ({@link AnomalyMetric}). Built by the anomaly job's
 * aggregation; scored by {@link SeriesScorer}.
 *
 * @param keyType one of {@link KeyTypes}
 * @param windowStart start of the window, epoch ms UTC
 * @param events decisions
 * @param actors distinct actors
 * @param declines decisions DENIED
 * @param micro converted amounts under {@link AnomalyMetric#MICRO_CENTS}
 * @param newLocationActors distinct actors transacting at a city new to them
 * @param maxCardsPerDevice most distinct actors on one device id (0 without device ids)
 * @param amountP50Cents nearest-rank median converted amount, or null
 * @param amountP95Cents nearest-rank 95th percentile converted amount, or null
 */
public record WindowStats(
    String keyType,
    String key,
    long windowStart,
    long events,
    long actors,
    long declines,
    long micro,
    long newLocationActors,
    long maxCardsPerDevice,
    Long amountP50Cents,
    Long amountP95Cents)
    implements Serializable {}
