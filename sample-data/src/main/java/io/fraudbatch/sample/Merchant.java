package io.fraudbatch.sample;

/** A merchant: physical ones sit in a city; web merchants have a home country but no place. */
record Merchant(int index, String id, Category category, City city, boolean web) {}
