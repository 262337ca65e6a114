package io.fraudbatch.oozie;

import io.fraudbatch.core.FraudBatchException;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Oozie's own XSDs, as oozie-client ships them at its jar root: the schema versions the
 * applications use (workflow 1.0, coordinator 0.5, bundle 0.2, SLA 0.2) and the action schemas.
 * Validation reports every error with its line and column.
 */
public final class OozieSchemas {
  /** The XSDs of one Schema: the applications' versions and the actions they use. */
  static final List<String> XSDS =
      List.of(
          "oozie-workflow-1.0.xsd",
          "oozie-coordinator-0.5.xsd",
          "oozie-bundle-0.2.xsd",
          "oozie-sla-0.2.xsd",
          "spark-action-1.0.xsd",
          "hive2-action-1.0.xsd",
          "shell-action-1.0.xsd",
          "email-action-0.2.xsd");

  private static Schema schema;

  private OozieSchemas() {}

  static synchronized Schema schema() {
    if (schema == null) {
      SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
      List<Source> sources = new ArrayList<>();
      try {
        for (String xsd : XSDS) {
          URL url = OozieSchemas.class.getClassLoader().getResource(xsd);
          FraudBatchException.check(url != null, "oozie-client carries no %s", xsd);
          // the system id lets xs:include of oozie-common-1.0.xsd resolve inside the jar
          sources.add(new StreamSource(url.openStream(), url.toExternalForm()));
        }
        schema = f.newSchema(sources.toArray(Source[]::new));
      } catch (IOException | SAXException e) {
        throw new IllegalStateException("Cannot load Oozie's XSDs: " + e.getMessage(), e);
      }
    }
    return schema;
  }

  /** The schema errors of {@code xml} (named {@code name} in messages); empty when valid. */
  public static List<String> validate(String name, String xml) {
    List<String> errors = new ArrayList<>();
    Validator v = schema().newValidator();
    v.setErrorHandler(
        new ErrorHandler() {
          @Override
          public void warning(SAXParseException e) {}

          @Override
          public void error(SAXParseException e) {
            errors.add(
                name + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
          }

          @Override
          public void fatalError(SAXParseException e) {
            error(e);
          }
        });
    try {
      v.validate(new StreamSource(new StringReader(xml), name));
    } catch (SAXParseException e) {
      if (errors.isEmpty()) {
        errors.add(
            name + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
      }
    } catch (SAXException | IOException e) {
      errors.add(name + ": " + e.getMessage());
    }
    return errors;
  }
}
