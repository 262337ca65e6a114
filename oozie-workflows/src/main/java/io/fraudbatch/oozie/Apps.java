package io.fraudbatch.oozie;

import io.fraudbatch.core.FraudBatchException;
import io.fraudbatch.core.TextTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.w3c.dom.Element;

/**
 * The Oozie applications of this module, as files: {@code ingest/} and {@code daily/} (each a
 * workflow.xml and a coordinator.xml), {@code bundle/bundle.xml}, and {@code env/*.properties}.
 * Read from a directory (the packaged application) or from the jar that carries them.
 */
public final class Apps {
  /** Where the jar carries src/main/oozie. */
  static final String RESOURCE = "io/fraudbatch/oozie/apps";

  /** The workflows, by application directory. */
  public static final List<String> WORKFLOWS = List.of("ingest", "daily");

  private final Map<String, String> files; // relative path → text

  private Apps(Map<String, String> files) {
    this.files = files;
  }

  /** The applications under {@code dir}. */
  public static Apps read(Path dir) {
    return new Apps(TextTree.read(dir, Apps::isAppFile));
  }

  /** The applications this jar carries. */
  public static Apps bundled() {
    return new Apps(TextTree.bundled(RESOURCE, Apps::isAppFile));
  }

  private static boolean isAppFile(String relative) {
    return relative.endsWith(".xml") || relative.endsWith(".properties");
  }

  public Map<String, String> files() {
    return files;
  }

  public String file(String rel) {
    String text = files.get(rel);
    FraudBatchException.check(text != null, "no %s in the applications (%s)", rel, files.keySet());
    return text;
  }

  /** The XML files: workflows, coordinators, the bundle. */
  public List<String> xmlFiles() {
    return files.keySet().stream().filter(f -> f.endsWith(".xml")).toList();
  }

  public Workflow workflow(String app) {
    return Workflow.parse(app + "/workflow.xml", file(app + "/workflow.xml"));
  }

  /** The names the coordinator of {@code app} sets for its workflow (its action configuration). */
  public Set<String> coordinatorSupplied(String app) {
    Set<String> out = new TreeSet<>();
    String coord = files.get(app + "/coordinator.xml");
    if (coord == null) {
      return out;
    }
    Element root = Workflow.parseXml(app + "/coordinator.xml", coord).getDocumentElement();
    var props = root.getElementsByTagNameNS("*", "property");
    for (int i = 0; i < props.getLength(); i++) {
      Element p = (Element) props.item(i);
      out.add(Workflow.child(p, "name").getTextContent().strip());
    }
    return out;
  }

  /**
   * Everything wrong with the applications for these properties: schema errors, unsound graphs,
   * variables no property (nor the coordinator) defines. Empty when all is well.
   */
  public List<String> problems(String propertiesName, Map<String, String> properties) {
    List<String> out = new ArrayList<>();
    for (String f : xmlFiles()) {
      out.addAll(OozieSchemas.validate(f, files.get(f)));
    }
    for (String app : WORKFLOWS) {
      out.addAll(workflow(app).problems());
    }
    for (String f : xmlFiles()) {
      Set<String> undefined = new TreeSet<>(AppProperties.variables(files.get(f)));
      undefined.removeAll(properties.keySet());
      String app = f.substring(0, f.indexOf('/'));
      if (f.endsWith("workflow.xml")) {
        undefined.removeAll(coordinatorSupplied(app));
      }
      for (String v : undefined) {
        out.add(f + ": ${" + v + "} is not set in " + propertiesName);
      }
      for (String v : AppProperties.variables(files.get(f))) {
        if (properties.containsKey(v) && properties.get(v).isBlank()) {
          out.add(
              f
                  + ": ${"
                  + v
                  + "} is empty in "
                  + propertiesName
                  + " (Oozie cannot resolve an empty property)");
        }
      }
    }
    return out;
  }
}
