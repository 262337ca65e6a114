package io.fraudbatch.oozie;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A workflow's action graph, parsed from its XML: the checks Oozie's XSDs cannot make (every
 * transition names a node, every node is reachable, forks and joins pair up, every action's error
 * path ends at a kill node) and the order a run visits the actions.
 */
public final class Workflow {
  /** One node: its kind (start, end, kill, action, fork, join, decision), transitions, element. */
  public record WfNode(
      String name, String kind, String ok, String error, List<String> next, Element element) {
    /** The action's type element (java, spark, fs, …) for an action node. */
    public Element actionElement() {
      for (Node c = element.getFirstChild(); c != null; c = c.getNextSibling()) {
        if (c instanceof Element e
            && !e.getLocalName().equals("ok")
            && !e.getLocalName().equals("error")
            && !e.getLocalName().equals("info")) {
          return e;
        }
      }
      throw new FraudBatchException("action " + name + " has no action element");
    }
  }

  private final String source;
  private final String start;
  private final Map<String, WfNode> nodes;

  private Workflow(String source, String start, Map<String, WfNode> nodes) {
    this.source = source;
    this.start = start;
    this.nodes = nodes;
  }

  public Map<String, WfNode> nodes() {
    return nodes;
  }

  public String start() {
    return start;
  }

  static Document parseXml(String source, String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new FraudBatchException(source + ": not well-formed XML: " + e.getMessage());
    }
  }

  /** Parses a workflow-app document. */
  public static Workflow parse(String source, String xml) {
    Element root = parseXml(source, xml).getDocumentElement();
    FraudBatchException.check(
        "workflow-app".equals(root.getLocalName()), "%s: not a workflow-app", source);
    Map<String, WfNode> nodes = new LinkedHashMap<>();
    String start = null;
    for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (!(c instanceof Element e)) {
        continue;
      }
      String kind = e.getLocalName();
      switch (kind) {
        case "start" -> start = e.getAttribute("to");
        case "end", "kill" ->
            add(source, nodes, new WfNode(e.getAttribute("name"), kind, null, null, List.of(), e));
        case "action" -> {
          String ok = child(e, "ok").getAttribute("to");
          String error = child(e, "error").getAttribute("to");
          add(
              source,
              nodes,
              new WfNode(e.getAttribute("name"), kind, ok, error, List.of(ok, error), e));
        }
        case "fork" -> {
          List<String> paths = new ArrayList<>();
          for (Element p : children(e, "path")) {
            paths.add(p.getAttribute("start"));
          }
          add(source, nodes, new WfNode(e.getAttribute("name"), kind, null, null, paths, e));
        }
        case "join" ->
            add(
                source,
                nodes,
                new WfNode(
                    e.getAttribute("name"),
                    kind,
                    e.getAttribute("to"),
                    null,
                    List.of(e.getAttribute("to")),
                    e));
        case "decision" -> {
          List<String> to = new ArrayList<>();
          Element sw = child(e, "switch");
          for (Node s = sw.getFirstChild(); s != null; s = s.getNextSibling()) {
            if (s instanceof Element se) {
              to.add(se.getAttribute("to"));
            }
          }
          add(source, nodes, new WfNode(e.getAttribute("name"), kind, null, null, to, e));
        }
        default -> {
          // global, credentials, parameters, sla:info: not nodes
        }
      }
    }
    FraudBatchException.check(start != null, "%s: no <start>", source);
    return new Workflow(source, start, nodes);
  }

  private static void add(String source, Map<String, WfNode> nodes, WfNode n) {
    FraudBatchException.check(
        nodes.put(n.name(), n) == null, "%s: two nodes are named %s", source, n.name());
  }

  static Element child(Element e, String name) {
    List<Element> c = children(e, name);
    FraudBatchException.check(
        !c.isEmpty(), "<%s name=%s> has no <%s>", e.getLocalName(), e.getAttribute("name"), name);
    return c.get(0);
  }

  static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    NodeList all = e.getChildNodes();
    for (int i = 0; i < all.getLength(); i++) {
      if (all.item(i) instanceof Element c && name.equals(c.getLocalName())) {
        out.add(c);
      }
    }
    return out;
  }

  /** What is wrong with the graph, one message per problem; empty when sound. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!nodes.containsKey(start)) {
      out.add(source + ": <start to=\"" + start + "\"> names no node");
    }
    for (WfNode n : nodes.values()) {
      for (String t : n.next()) {
        if (!nodes.containsKey(t)) {
          out.add(
              source
                  + ": "
                  + n.kind()
                  + " '"
                  + n.name()
                  + "' goes to '"
                  + t
                  + "', which is not a node");
        }
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    Set<String> reached = reachable(start);
    for (String n : nodes.keySet()) {
      if (!reached.contains(n)) {
        out.add(source + ": node '" + n + "' cannot be reached from <start>");
      }
    }
    for (WfNode n : nodes.values()) {
      if (n.kind().equals("action") && !endsInKill(n.error(), new HashSet<>())) {
        out.add(
            source + ": the error path of action '" + n.name() + "' does not end at a kill node");
      }
      if (n.kind().equals("fork")) {
        Set<String> joins = new HashSet<>();
        for (String p : n.next()) {
          String j = joinOf(p, new HashSet<>());
          joins.add(j == null ? "(none)" : j);
        }
        if (joins.size() != 1 || joins.contains("(none)")) {
          out.add(
              source
                  + ": the paths of fork '"
                  + n.name()
                  + "' do not meet at one join ("
                  + joins
                  + ")");
        }
      }
    }
    if (nodes.values().stream().noneMatch(n -> n.kind().equals("end"))) {
      out.add(source + ": no <end>");
    }
    return out;
  }

  private Set<String> reachable(String from) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (seen.add(n) && nodes.containsKey(n)) {
        todo.addAll(nodes.get(n).next());
      }
    }
    return seen;
  }

  /** Whether every way on from {@code name} (following ok and error) stops at a kill node. */
  private boolean endsInKill(String name, Set<String> seen) {
    WfNode n = nodes.get(name);
    if (n == null || !seen.add(name)) {
      return false;
    }
    return switch (n.kind()) {
      case "kill" -> true;
      case "end" -> false;
      default -> n.next().stream().allMatch(t -> endsInKill(t, seen));
    };
  }

  /** The join a fork path reaches first (following ok transitions), or null. */
  private String joinOf(String name, Set<String> seen) {
    WfNode n = nodes.get(name);
    if (n == null || !seen.add(name)) {
      return null;
    }
    return switch (n.kind()) {
      case "join" -> n.name();
      case "action" -> joinOf(n.ok(), seen);
      case "decision" -> n.next().isEmpty() ? null : joinOf(n.next().get(0), seen);
      default -> null;
    };
  }

  /** The actions in the order a successful run visits them (ok transitions from start). */
  public List<String> successPath() {
    List<String> out = new ArrayList<>();
    String at = start;
    Set<String> seen = new HashSet<>();
    while (at != null && seen.add(at)) {
      WfNode n = nodes.get(at);
      if (n == null || !n.kind().equals("action")) {
        break;
      }
      out.add(n.name());
      at = n.ok();
    }
    return out;
  }
}
