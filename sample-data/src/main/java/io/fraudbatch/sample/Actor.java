package io.fraudbatch.sample;

/** A card or account holder with stable habits. */
record Actor(
    int index,
    String id,
    City home,
    double txPerDay,
    double ticketScale,
    double[] categoryCumulative,
    double webShare,
    double atmShare,
    double peakHourShift,
    String[] devices,
    String[] ips,
    int[] favouriteMerchants) {}
