package io.fraudbatch.sample;

/** One injected fraud incident: what, keyed on what, when, and how big. */
record Incident(
    int id,
    Scenario scenario,
    String key,
    long windowStart,
    long windowEnd,
    int actors,
    int events) {

  String incidentId() {
    return String.format(java.util.Locale.ROOT, "INC-%04d", id);
  }
}
