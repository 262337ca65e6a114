package io.fraudbatch.core.pan;

import io.fraudbatch.avro.DecisionEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps card numbers out of a decision before it is stored anywhere: identifier fields that are a
 * card number become keyed tokens ({@link PanTokens}); free-text fields and the strings of unknown
 * fields are masked ({@link PanMasker}). Identifiers are never partially masked.
 */
public final class EventPanMasking {
  private EventPanMasking() {}

  /**
   * Tokenises identifiers that are card numbers (event, actor, merchant and device ids) and masks
   * card numbers in free text and in the string values of unknown fields. Returns how many fields
   * changed.
   */
  public static int mask(DecisionEvent e, PanTokens tokens) {
    int changed = 0;
    String s;
    if ((s = tokens.token(e.getEventId())) != e.getEventId()) {
      e.setEventId(s);
      changed++;
    }
    if ((s = tokens.token(e.getActorId())) != e.getActorId()) {
      e.setActorId(s);
      changed++;
    }
    if ((s = tokens.token(e.getMerchantId())) != e.getMerchantId()) {
      e.setMerchantId(s);
      changed++;
    }
    if ((s = tokens.token(e.getDeviceId())) != e.getDeviceId()) {
      e.setDeviceId(s);
      changed++;
    }
    if ((s = PanMasker.mask(e.getCity())) != e.getCity()) {
      e.setCity(s);
      changed++;
    }
    if ((s = PanMasker.mask(e.getRegion())) != e.getRegion()) {
      e.setRegion(s);
      changed++;
    }
    if ((s = PanMasker.mask(e.getRulesVersion())) != e.getRulesVersion()) {
      e.setRulesVersion(s);
      changed++;
    }
    List<String> reasons = e.getReasons();
    for (int i = 0; i < reasons.size(); i++) {
      if ((s = PanMasker.mask(reasons.get(i))) != reasons.get(i)) {
        reasons.set(i, s);
        changed++;
      }
    }
    Map<String, String> extra = e.getExtraFields();
    if (!extra.isEmpty()) {
      Map<String, String> masked = new LinkedHashMap<>();
      boolean any = false;
      for (Map.Entry<String, String> x : extra.entrySet()) {
        String v = maskJsonStrings(x.getValue());
        if (v != x.getValue()) {
          any = true;
          changed++;
        }
        masked.put(x.getKey(), v);
      }
      if (any) {
        e.setExtraFields(masked);
      }
    }
    return changed;
  }

  /**
   * Masks card numbers inside the string literals of a JSON text, leaving numbers alone (an
   * epoch-millisecond timestamp is 13 digits and may pass Luhn). Same instance when unchanged.
   */
  public static String maskJsonStrings(String json) {
    if (json == null || json.indexOf('"') < 0) {
      return json;
    }
    StringBuilder out = null;
    int n = json.length();
    int i = 0;
    int copied = 0;
    while (i < n) {
      if (json.charAt(i) != '"') {
        i++;
        continue;
      }
      int start = i + 1;
      int j = start;
      while (j < n && json.charAt(j) != '"') {
        j += json.charAt(j) == '\\' ? 2 : 1;
      }
      int end = Math.min(j, n);
      String literal = json.substring(start, end);
      String masked = PanMasker.mask(literal);
      if (masked != literal) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(json, copied, start).append(masked);
        copied = end;
      }
      i = end + 1;
    }
    if (out == null) {
      return json;
    }
    out.append(json, copied, n);
    return out.toString();
  }
}
