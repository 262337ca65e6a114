package io.fraudbatch.jobs.report;

import java.util.List;
import java.util.Locale;

/** Small inline SVG charts for a report that opens from disk: no scripts, no external files. */
final class Svg {
  static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

  private Svg() {}

  /** One line of a chart, with optional marked points (drawn as red dots). */
  record Series(String name, double[] values, boolean[] marked) {}

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static String num(double v) {
    if (Math.abs(v) >= 1000 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** Lines over a shared x axis labelled by {@code xLabels} (every {@code labelEvery}-th shown). */
  static String lines(List<Series> series, List<String> xLabels, int labelEvery, String yTitle) {
    int w = 900;
    int h = 260;
    int left = 60;
    int bottom = 40;
    int top = 20;
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    max = max <= 0 ? 1 : max * 1.05;
    int n = xLabels.size();
    double dx = n > 1 ? (w - left - 10) / (double) (n - 1) : 0;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">",
            w,
            h + 20 * ((series.size() + 3) / 4)));
    // axes and grid
    for (int i = 0; i <= 4; i++) {
      double y = top + (h - top - bottom) * (1 - i / 4.0);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>",
              left,
              y,
              w - 10,
              y));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>",
              left - 4,
              y + 3,
              num(max * i / 4.0)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\">%s</text>",
            h / 2,
            h / 2,
            esc(yTitle)));
    for (int i = 0; i < n; i += Math.max(1, labelEvery)) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
              left + i * dx,
              h - bottom + 14,
              esc(xLabels.get(i))));
    }
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String color = COLORS[k % COLORS.length];
      StringBuilder pts = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      for (int i = 0; i < s.values().length && i < n; i++) {
        double x = left + i * dx;
        double y = top + (h - top - bottom) * (1 - s.values()[i] / max);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        if (s.marked() != null && s.marked()[i]) {
          marks.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\" stroke=\"#fff\"><title>%s %s: anomaly</title></circle>",
                  x,
                  y,
                  esc(s.name()),
                  esc(xLabels.get(i))));
        }
      }
      svg.append(
          String.format(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>",
              color, pts.toString().strip()));
      svg.append(marks);
      int lx = left + (k % 4) * 210;
      int ly = h + 4 + 20 * (k / 4);
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
              lx,
              ly,
              color,
              lx + 16,
              ly + 5,
              esc(s.name())));
    }
    return svg.append("</svg>").toString();
  }

  /** Horizontal bars, one per label. */
  static String bars(List<String> labels, double[] values, String color) {
    int w = 900;
    int row = 22;
    int left = 220;
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    max = max <= 0 ? 1 : max;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">",
                w,
                row * labels.size() + 10));
    for (int i = 0; i < labels.size(); i++) {
      double len = (w - left - 90) * values[i] / max;
      int y = 5 + i * row;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>",
              left - 6,
              y + 14,
              esc(labels.get(i))));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>",
              left,
              y + 2,
              len,
              color));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>",
              left + len + 4,
              y + 14,
              num(values[i])));
    }
    return svg.append("</svg>").toString();
  }
}
