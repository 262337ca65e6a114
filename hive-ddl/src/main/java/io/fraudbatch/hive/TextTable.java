package io.fraudbatch.hive;

import java.util.ArrayList;
import java.util.List;

/** A query result as an aligned text table, the way beeline prints one. */
final class TextTable {
  private TextTable() {}

  static String render(HiveSession.Result r, int maxRows) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(r.columns());
    for (int i = 0; i < Math.min(maxRows, r.rows().size()); i++) {
      List<String> row = new ArrayList<>();
      for (String v : r.rows().get(i)) {
        row.add(v == null ? "NULL" : v);
      }
      rows.add(row);
    }
    int[] width = new int[r.columns().size()];
    for (List<String> row : rows) {
      for (int c = 0; c < width.length; c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder sep = new StringBuilder("+");
    for (int w : width) {
      sep.append("-".repeat(w + 2)).append('+');
    }
    StringBuilder out = new StringBuilder(sep).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      out.append('|');
      for (int c = 0; c < width.length; c++) {
        String v = rows.get(i).get(c);
        out.append(' ').append(v).append(" ".repeat(width[c] - v.length())).append(" |");
      }
      out.append('\n');
      if (i == 0) {
        out.append(sep).append('\n');
      }
    }
    out.append(sep).append('\n');
    if (r.rows().size() > maxRows) {
      out.append("(").append(r.rows().size() - maxRows).append(" more rows; --max-rows)\n");
    }
    return out.toString();
  }
}
