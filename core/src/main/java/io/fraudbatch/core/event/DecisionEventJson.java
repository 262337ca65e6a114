package io.fraudbatch.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fraudbatch.avro.DecisionEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the online tier's landing JSON into a {@link DecisionEvent}, reporting every field that
 * breaks the contract (ARCHITECTURE.md, landing contract), and writes events back in either landing
 * layout.
 *
 * <p>Thread-safe. Unknown fields never fail a record: they are kept in {@code extraFields}.
 */
public final class DecisionEventJson {
  /** The online tier's answers. */
  public static final Set<String> DECISIONS = Set.of("APPROVED", "DENIED", "REVIEW");

  /** Channels known today; others are accepted when they look like a channel token. */
  public static final Set<String> KNOWN_CHANNELS = Set.of("POS", "WEB", "ATM", "MOBILE", "MOTO");

  /** The scale every amount is stored at (decimal(18,4)). */
  public static final int AMOUNT_SCALE = 4;

  /** Sane event times: 2000-01-01 (inclusive) to 2100-01-01 (exclusive), epoch ms UTC. */
  public static final long MIN_EPOCH_MS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

  public static final long MAX_EPOCH_MS = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

  /** The largest amount accepted; decimal(18,4) holds up to 10^14. */
  public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

  /** The online tier answers after the transaction, within this much clock skew. */
  static final long MAX_DECISION_SKEW_MS = 24L * 3600 * 1000;

  private static final int MAX_ID_CHARS = 128;
  private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** The landing contract's fields, in the order {@link #field} numbers them. */
  private static final String[] FIELDS = {
    "eventId",
    "actorId",
    "eventTime",
    "channel",
    "amount",
    "currency",
    "merchantId",
    "mcc",
    "country",
    "region",
    "city",
    "lat",
    "lon",
    "ip",
    "deviceId",
    "decision",
    "reasons",
    "score",
    "rulesVersion",
    "decidedAt"
  };

  /** The index of a contract field in {@link #FIELDS}, or -1 for any other name. */
  private static int field(String name) {
    return switch (name) {
      case "eventId" -> 0;
      case "actorId" -> 1;
      case "eventTime" -> 2;
      case "channel" -> 3;
      case "amount" -> 4;
      case "currency" -> 5;
      case "merchantId" -> 6;
      case "mcc" -> 7;
      case "country" -> 8;
      case "region" -> 9;
      case "city" -> 10;
      case "lat" -> 11;
      case "lon" -> 12;
      case "ip" -> 13;
      case "deviceId" -> 14;
      case "decision" -> 15;
      case "reasons" -> 16;
      case "score" -> 17;
      case "rulesVersion" -> 18;
      case "decidedAt" -> 19;
      default -> -1;
    };
  }

  /** Valid currencies seen so far and their minor digits: the JDK lookup is slow on hot paths. */
  private static final Map<String, Integer> MINOR_DIGITS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setNodeFactory(NODES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /**
   * {@link #MAPPER}'s parser settings but for duplicate detection, which {@link #stream} does
   * itself (the parser's kept a hash set per record): a duplicate sends the body to the tree path,
   * which words the problem.
   */
  private static final JsonFactory STREAMING =
      MAPPER.getFactory().copy().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private DecisionEventJson() {}

  /** Decodes one UTF-8 landing body. */
  public static DecodeResult decode(byte[] body) {
    return decode(body, 0, body.length);
  }

  /** Decodes {@code length} bytes of a UTF-8 landing body starting at {@code offset}. */
  public static DecodeResult decode(byte[] body, int offset, int length) {
    Fields streamed = stream(body, offset, length);
    return streamed != null ? validate(streamed) : decodeTree(body, offset, length);
  }

  /**
   * The {@code eventId} {@link #decode} gives a body it finds valid, without decoding the rest: the
   * value of the top-level {@code "eventId"} string field (a valid body has exactly one); a body
   * that cannot be scanned that far is decoded whole. For a body that is not valid the answer is an
   * id or null: ingest's id pass uses it to find every id that may have copies, where an id too
   * many costs nothing and an id missed could let a duplicate through.
   */
  public static String eventId(byte[] body, int offset, int length) {
    try (JsonParser p = STREAMING.createParser(body, offset, length)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          boolean id = "eventId".equals(p.currentName());
          JsonToken v = p.nextToken();
          if (id) {
            if (v == JsonToken.VALUE_STRING) {
              return p.getText();
            }
            break;
          }
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // not scannable to its id: the decoder decides
    }
    DecodeResult r = decode(body, offset, length);
    return r.isValid() ? r.event().getEventId() : null;
  }

  /**
   * The body's fields read with the streaming parser, each value made into the node Jackson's tree
   * model would have made of it; null when the body is not an object of scalars and flat arrays, or
   * is not valid JSON: {@link #decodeTree} then reads it again and says why. Building the whole
   * tree (an ObjectNode's map, a deserialization context per record) was most of the decoding's
   * cost, which was a third of ingest's CPU (bench/README.md).
   */
  private static Fields stream(byte[] body, int offset, int length) {
    try (JsonParser p = STREAMING.createParser(body, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Fields f = new Fields();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonNode v = p.nextToken() == JsonToken.START_ARRAY ? flatArray(p) : scalar(p);
        if (v == null) {
          return null;
        }
        if (!f.put(name, v)) {
          return null; // a duplicate field
        }
      }
      return t == JsonToken.END_OBJECT && p.nextToken() == null ? f : null;
    } catch (IOException e) {
      return null; // malformed (or a duplicate field): the tree path words the problem
    }
  }

  /**
   * The node the tree model makes of the scalar at the parser (exact decimals for fractions, as
   * {@link #MAPPER} is set), or null for an object or array.
   */
  private static JsonNode scalar(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> NODES.numberNode(p.getIntValue());
            case LONG -> NODES.numberNode(p.getLongValue());
            default -> NODES.numberNode(p.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> // as the tree's deserializer: out-of-range fractions stay doubles
          p.getNumberType() != JsonParser.NumberType.BIG_DECIMAL && p.isNaN()
              ? NODES.numberNode(p.getDoubleValue())
              : NODES.numberNode(p.getDecimalValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> null;
    };
  }

  /** An array of scalars at the parser, or null when it holds an array or object. */
  private static JsonNode flatArray(JsonParser p) throws IOException {
    ArrayNode a = NODES.arrayNode();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      JsonNode v = scalar(p);
      if (v == null) {
        return null;
      }
      a.add(v);
    }
    return a;
  }

  /**
   * Decodes a body through Jackson's tree model: what {@link #stream} leaves to it, and the
   * reference {@code DecisionEventJsonStreamingTest} holds the streaming path to.
   */
  static DecodeResult decodeTree(byte[] body, int offset, int length) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body, offset, length);
    } catch (IOException e) {
      // Besides malformed JSON: Jackson takes a body starting with zero bytes (00 00 00 01 ...,
      // 00 f7 00 00 ...: a damaged file's debris) for UTF-32 and fails with a
      // CharConversionException, which is no JsonProcessingException: it failed the decoder, and
      // the ingest task, before.
      String excerpt = new String(body, offset, Math.min(length, 120), StandardCharsets.UTF_8);
      String why =
          e instanceof JsonProcessingException j
              ? "not valid JSON: " + j.getOriginalMessage()
              : "not valid UTF-8 JSON: " + e.getMessage();
      return DecodeResult.invalid(
          List.of(new RecordProblem("$", excerpt, Problem.MALFORMED_JSON, why)));
    }
    if (root == null || root.isMissingNode()) {
      return DecodeResult.invalid(
          List.of(new RecordProblem("$", "", Problem.MALFORMED_JSON, "empty body")));
    }
    if (!root.isObject()) {
      return DecodeResult.invalid(
          List.of(
              new RecordProblem(
                  "$",
                  root.toString(),
                  Problem.NOT_AN_OBJECT,
                  "a decision must be a JSON object, not " + kind(root))));
    }
    Fields f = new Fields();
    root.fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue()));
    return validate(f);
  }

  /**
   * Decodes a body under {@code limits}: a body or a string field over them makes the record
   * invalid ({@link Problem#TOO_LARGE}), without parsing a body that is too large.
   */
  public static DecodeResult decode(byte[] body, int offset, int length, RecordLimits limits) {
    RecordProblem size = limits.checkSize(body, offset, length);
    if (size != null) {
      return DecodeResult.invalid(List.of(size));
    }
    DecodeResult r = decode(body, offset, length);
    if (!r.isValid()) {
      return r;
    }
    List<RecordProblem> fields = limits.checkFields(r.event());
    return fields.isEmpty() ? r : DecodeResult.invalid(fields);
  }

  /** Decodes one landing body given as text. */
  public static DecodeResult decode(String body) {
    return decode(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The event of a body's fields, or every problem they have. */
  private static DecodeResult validate(Fields f) {
    DecisionEvent.Builder b = DecisionEvent.newBuilder();

    String eventId = f.requiredId("eventId");
    String actorId = f.requiredId("actorId");
    Long eventTime = f.requiredTimestamp("eventTime");
    String channel = f.requiredString("channel");
    if (channel != null && !LandingTokens.isToken(channel)) {
      f.problem("channel", channel, Problem.INVALID_VALUE, "must be an upper-case token like POS");
      channel = null;
    }
    String currency = f.requiredString("currency");
    if (currency != null && !isIsoCurrency(currency)) {
      f.problem("currency", currency, Problem.INVALID_VALUE, "must be an ISO 4217 code like USD");
      currency = null;
    }
    BigDecimal amount = f.requiredAmount("amount", currency);
    String decision = f.requiredString("decision");
    if (decision != null && !DECISIONS.contains(decision)) {
      f.problem(
          "decision", decision, Problem.INVALID_VALUE, "must be one of APPROVED, DENIED, REVIEW");
      decision = null;
    }

    String mcc = f.optionalString("mcc");
    if (mcc != null && !LandingTokens.isDigits(mcc, 4)) {
      f.problem("mcc", mcc, Problem.INVALID_VALUE, "must be four digits");
    }
    String country = f.optionalString("country");
    if (country != null
        && !(LandingTokens.isUpper(country, 2) && ISO_COUNTRIES.contains(country))) {
      f.problem("country", country, Problem.INVALID_VALUE, "must be an ISO 3166-1 alpha-2 code");
    }
    Double lat = f.optionalDouble("lat", -90, 90);
    Double lon = f.optionalDouble("lon", -180, 180);
    if ((lat == null) != (lon == null) && !f.hasProblem("lat") && !f.hasProblem("lon")) {
      f.problem(
          lat == null ? "lat" : "lon",
          null,
          Problem.MISSING_FIELD,
          "lat and lon come together: one is missing");
    }
    String ip = f.optionalString("ip");
    if (ip != null && !isIpLiteral(ip)) {
      f.problem("ip", ip, Problem.INVALID_VALUE, "must be an IPv4 or IPv6 address");
    }
    List<String> reasons = f.reasons("reasons");
    Double score = f.optionalDouble("score", -Double.MAX_VALUE, Double.MAX_VALUE);
    Long decidedAt = f.optionalTimestamp("decidedAt");
    if (decidedAt != null && eventTime != null && decidedAt < eventTime - MAX_DECISION_SKEW_MS) {
      f.problem(
          "decidedAt",
          Long.toString(decidedAt),
          Problem.OUT_OF_RANGE,
          "is more than a day before eventTime " + eventTime);
    }

    String merchantId = f.optionalString("merchantId");
    String region = f.optionalString("region");
    String city = f.optionalString("city");
    String deviceId = f.optionalString("deviceId");
    String rulesVersion = f.optionalString("rulesVersion");

    if (!f.problems.isEmpty()) {
      return DecodeResult.invalid(f.problems);
    }
    b.setEventId(eventId)
        .setActorId(actorId)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .setChannel(channel)
        .setAmount(amount)
        .setCurrency(currency)
        .setMerchantId(merchantId)
        .setMcc(mcc)
        .setCountry(country)
        .setRegion(region)
        .setCity(city)
        .setLat(lat)
        .setLon(lon)
        .setIp(ip)
        .setDeviceId(deviceId)
        .setDecision(decision)
        .setReasons(reasons)
        .setScore(score)
        .setRulesVersion(rulesVersion)
        .setDecidedAt(decidedAt == null ? null : Instant.ofEpochMilli(decidedAt))
        .setExtraFields(f.extraFields());
    return DecodeResult.valid(b.build());
  }

  /** Whether {@code code} is an ISO 4217 currency the JDK knows. */
  public static boolean isIsoCurrency(String code) {
    if (MINOR_DIGITS.containsKey(code)) {
      return true;
    }
    if (!LandingTokens.isUpper(code, 3)) {
      return false;
    }
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Minor-unit digits of a currency (USD 2, JPY 0, BHD 3); {@link #AMOUNT_SCALE} if it has none.
   */
  public static int minorDigits(String currency) {
    Integer cached = MINOR_DIGITS.get(currency);
    if (cached != null) {
      return cached;
    }
    int digits = Currency.getInstance(currency).getDefaultFractionDigits();
    int d = digits < 0 ? AMOUNT_SCALE : Math.min(digits, AMOUNT_SCALE);
    MINOR_DIGITS.put(currency, d);
    return d;
  }

  static boolean isIpLiteral(String ip) {
    if (LandingTokens.isIpv4(ip)) {
      return true;
    }
    if (!ip.contains(":") || !IPV6.matcher(ip).matches()) {
      return false;
    }
    try {
      // A literal with ':' is parsed, never resolved.
      return java.net.InetAddress.getByName(ip) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static String kind(JsonNode n) {
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isObject()) {
      return "an object";
    }
    return n.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  /** Collects the problems of one record while reading its fields. */
  private static final class Fields {
    /** The values of the contract's fields by {@link #field}, null when absent. */
    private final JsonNode[] known = new JsonNode[FIELDS.length];

    /** Any other fields, in the body's order. */
    private Map<String, JsonNode> other;

    private final List<RecordProblem> problems = new ArrayList<>(2);

    /** Records a field; false when the body already had it. */
    boolean put(String name, JsonNode value) {
      int i = field(name);
      if (i >= 0) {
        if (known[i] != null) {
          return false;
        }
        known[i] = value;
        return true;
      }
      if (other == null) {
        other = new LinkedHashMap<>();
      }
      return other.put(name, value) == null;
    }

    void problem(String field, String value, Problem problem, String message) {
      problems.add(new RecordProblem(field, value, problem, message));
    }

    boolean hasProblem(String field) {
      for (RecordProblem p : problems) {
        if (p.field().equals(field)) {
          return true;
        }
      }
      return false;
    }

    /** The field's node, or null when absent or JSON null. */
    private JsonNode node(String name) {
      JsonNode n = known[field(name)];
      return n == null || n.isNull() ? null : n;
    }

    String requiredString(String name) {
      JsonNode n = node(name);
      if (n == null) {
        problem(name, null, Problem.MISSING_FIELD, "is required");
        return null;
      }
      if (!n.isTextual()) {
        problem(name, n.toString(), Problem.WRONG_TYPE, "must be a string, not " + kind(n));
        return null;
      }
      String s = n.textValue();
      if (s.isBlank()) {
        problem(name, s, Problem.MISSING_FIELD, "is required and must not be blank");
        return null;
      }
      return s;
    }

    String requiredId(String name) {
      String s = requiredString(name);
      if (s != null && !LandingTokens.isId(s, MAX_ID_CHARS)) {
        problem(
            name,
            s,
            Problem.INVALID_VALUE,
            "must be 1-" + MAX_ID_CHARS + " printable ASCII characters without spaces");
        return null;
      }
      return s;
    }

    String optionalString(String name) {
      JsonNode n = node(name);
      if (n == null) {
        return null;
      }
      if (!n.isTextual()) {
        problem(name, n.toString(), Problem.WRONG_TYPE, "must be a string, not " + kind(n));
        return null;
      }
      String s = n.textValue();
      return s.isBlank() ? null : s;
    }

    Long requiredTimestamp(String name) {
      if (node(name) == null) {
        problem(name, null, Problem.MISSING_FIELD, "is required (epoch milliseconds UTC)");
        return null;
      }
      return optionalTimestamp(name);
    }

    Long optionalTimestamp(String name) {
      JsonNode n = node(name);
      if (n == null) {
        return null;
      }
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        problem(
            name,
            n.toString(),
            Problem.WRONG_TYPE,
            "must be an integer number of epoch milliseconds UTC, not " + kind(n));
        return null;
      }
      long v = n.longValue();
      if (v < MIN_EPOCH_MS || v >= MAX_EPOCH_MS) {
        problem(
            name,
            Long.toString(v),
            Problem.OUT_OF_RANGE,
            "must be between 2000-01-01 and 2100-01-01 in epoch milliseconds");
        return null;
      }
      return v;
    }

    BigDecimal requiredAmount(String name, String currency) {
      JsonNode n = node(name);
      if (n == null) {
        problem(name, null, Problem.MISSING_FIELD, "is required");
        return null;
      }
      BigDecimal v;
      if (n.isNumber() && !Double.isFinite(n.doubleValue()) && !n.isBigDecimal()) {
        // A fraction beyond double's range (1e400) is kept as an infinite double, which has no
        // decimal value: it failed the whole decoding (and the ingest task) before.
        problem(
            name,
            n.asText(),
            Problem.OUT_OF_RANGE,
            n.doubleValue() < 0 ? "must not be negative" : "must not exceed " + MAX_AMOUNT);
        return null;
      }
      if (n.isNumber()) {
        v = n.decimalValue();
      } else if (n.isTextual()) {
        try {
          v = new BigDecimal(n.textValue().trim());
        } catch (NumberFormatException e) {
          problem(name, n.textValue(), Problem.INVALID_VALUE, "must be a decimal number");
          return null;
        }
      } else {
        problem(
            name,
            n.toString(),
            Problem.WRONG_TYPE,
            "must be a decimal string or number, not " + kind(n));
        return null;
      }
      if (v.signum() < 0) {
        problem(name, v.toPlainString(), Problem.OUT_OF_RANGE, "must not be negative");
        return null;
      }
      if (v.compareTo(MAX_AMOUNT) > 0) {
        problem(name, v.toPlainString(), Problem.OUT_OF_RANGE, "must not exceed " + MAX_AMOUNT);
        return null;
      }
      BigDecimal stripped = v.stripTrailingZeros();
      int allowed = currency == null ? AMOUNT_SCALE : minorDigits(currency);
      if (stripped.scale() > allowed) {
        problem(
            name,
            v.toPlainString(),
            Problem.INVALID_VALUE,
            "has "
                + stripped.scale()
                + " decimal places; "
                + (currency == null ? "at most " + AMOUNT_SCALE : currency + " allows " + allowed));
        return null;
      }
      return v.setScale(AMOUNT_SCALE, RoundingMode.UNNECESSARY);
    }

    Double optionalDouble(String name, double min, double max) {
      JsonNode n = node(name);
      if (n == null) {
        return null;
      }
      if (!n.isNumber()) {
        problem(name, n.toString(), Problem.WRONG_TYPE, "must be a number, not " + kind(n));
        return null;
      }
      double v = n.doubleValue();
      if (!Double.isFinite(v) || v < min || v > max) {
        problem(name, n.asText(), Problem.OUT_OF_RANGE, "must be between " + min + " and " + max);
        return null;
      }
      return v;
    }

    List<String> reasons(String name) {
      JsonNode n = node(name);
      if (n == null) {
        return new ArrayList<>(0);
      }
      if (!n.isArray()) {
        problem(
            name,
            n.toString(),
            Problem.WRONG_TYPE,
            "must be an array of rule codes, not " + kind(n));
        return null;
      }
      List<String> out = new ArrayList<>(n.size());
      for (JsonNode r : n) {
        if (!r.isTextual() || !LandingTokens.isToken(r.textValue())) {
          problem(
              name,
              r.toString(),
              Problem.INVALID_VALUE,
              "each reason must be an upper-case rule code like NEW_LOCATION");
          return null;
        }
        out.add(r.textValue());
      }
      return out;
    }

    Map<String, String> extraFields() {
      Map<String, String> extra = new LinkedHashMap<>();
      if (other != null) {
        other.forEach((k, v) -> extra.put(k, v.toString()));
      }
      return extra;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** The event as one landing JSON body in the given layout (no trailing newline). */
  public static String encode(DecisionEvent e, LandingSchemaVersion version) {
    StringBuilder sb = new StringBuilder(384);
    appendTo(sb, e, version);
    return sb.toString();
  }

  /** Appends the event as one landing JSON body in the given layout (no trailing newline). */
  public static void appendTo(StringBuilder sb, DecisionEvent e, LandingSchemaVersion version) {
    sb.append('{');
    str(sb, "eventId", e.getEventId(), true);
    str(sb, "actorId", e.getActorId(), false);
    sb.append(",\"eventTime\":").append(e.getEventTime().toEpochMilli());
    str(sb, "channel", e.getChannel(), false);
    String amount = plainAmount(e.getAmount(), e.getCurrency());
    if (version == LandingSchemaVersion.V1) {
      sb.append(",\"amount\":").append(amount);
    } else {
      str(sb, "amount", amount, false);
    }
    str(sb, "currency", e.getCurrency(), false);
    str(sb, "merchantId", e.getMerchantId(), false);
    str(sb, "mcc", e.getMcc(), false);
    str(sb, "country", e.getCountry(), false);
    str(sb, "region", e.getRegion(), false);
    str(sb, "city", e.getCity(), false);
    if (e.getLat() != null) {
      sb.append(",\"lat\":").append(e.getLat());
    }
    if (e.getLon() != null) {
      sb.append(",\"lon\":").append(e.getLon());
    }
    str(sb, "ip", e.getIp(), false);
    if (version != LandingSchemaVersion.V1) {
      str(sb, "deviceId", e.getDeviceId(), false);
    }
    str(sb, "decision", e.getDecision(), false);
    sb.append(",\"reasons\":[");
    List<String> reasons = e.getReasons();
    for (int i = 0; i < reasons.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      quote(sb, reasons.get(i));
    }
    sb.append(']');
    if (version != LandingSchemaVersion.V1) {
      if (e.getScore() != null) {
        sb.append(",\"score\":").append(e.getScore());
      }
      str(sb, "rulesVersion", e.getRulesVersion(), false);
      if (e.getDecidedAt() != null) {
        sb.append(",\"decidedAt\":").append(e.getDecidedAt().toEpochMilli());
      }
    }
    Map<String, String> extra = e.getExtraFields();
    if (!extra.isEmpty()) {
      for (Map.Entry<String, String> x : extra.entrySet()) {
        sb.append(',');
        quote(sb, x.getKey());
        sb.append(':').append(x.getValue());
      }
    }
    sb.append('}');
  }

  /** The amount with its currency's minor digits, e.g. 12.3400 USD → "12.34". */
  public static String plainAmount(BigDecimal amount, String currency) {
    int digits = isIsoCurrency(currency) ? minorDigits(currency) : AMOUNT_SCALE;
    if (amount.scale() == digits) {
      return amount.toPlainString();
    }
    try {
      return amount.setScale(digits, RoundingMode.UNNECESSARY).toPlainString();
    } catch (ArithmeticException e) {
      return amount.stripTrailingZeros().toPlainString();
    }
  }

  private static void str(StringBuilder sb, String name, String value, boolean first) {
    if (value == null) {
      return;
    }
    if (!first) {
      sb.append(',');
    }
    sb.append('"').append(name).append("\":");
    quote(sb, value);
  }

  /** Appends a JSON string literal. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    int plain = 0;
    while (plain < n) {
      char c = s.charAt(plain);
      if (c < 0x20 || c == '"' || c == '\\') {
        break;
      }
      plain++;
    }
    if (plain == n) {
      sb.append(s).append('"');
      return;
    }
    sb.append(s, 0, plain);
    for (int i = plain; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
