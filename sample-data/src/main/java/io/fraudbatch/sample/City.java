package io.fraudbatch.sample;

import io.fraudbatch.core.money.ReferenceRates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A real city where actors live and merchants trade (the table ships in this module). Prices are
 * set in US dollars and converted with core's reference rates, the ones profiles convert back with.
 */
record City(
    int index,
    String name,
    String country,
    String region,
    double lat,
    double lon,
    ZoneId zone,
    String currency,
    double fxPerUsd,
    double weight) {

  static List<City> load() {
    try (InputStream in = City.class.getResourceAsStream("cities.csv")) {
      if (in == null) {
        throw new IllegalStateException("cities.csv is missing from the sample-data jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<City> out = new ArrayList<>();
      String line;
      boolean header = true;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] f = line.split(",");
        out.add(
            new City(
                out.size(),
                f[0],
                f[1],
                f[2],
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                ZoneId.of(f[5]),
                f[6],
                ReferenceRates.defaults().unitsPerUsd(f[6]).doubleValue(),
                Double.parseDouble(f[7])));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read cities.csv", e);
    }
  }

  /** A plausible client IPv4 in this city: the first two octets are the city's. */
  String ip(long bits) {
    long h = Rng.mix(index * 7919L + 17);
    int a = 24 + (int) ((h & 0xff) % 190); // stay clear of 0/8, 10/8, 127/8 and multicast
    if (a == 127 || a == 100 || a == 172 || a == 192 || a == 169) {
      a++;
    }
    int b = (int) ((h >>> 8) & 0xff);
    int c = (int) (bits & 0xff);
    int d = 1 + (int) ((bits >>> 8) % 254);
    return a + "." + b + "." + c + "." + d;
  }
}
