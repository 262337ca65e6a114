package io.fraudbatch.oozie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppsTest {
  static final Apps APPS = Apps.bundled();

  @ParameterizedTest
  @ValueSource(strings = {"env/local.properties", "env/cluster.properties"})
  void theShippedApplicationsAreValidAndEveryVariableIsSet(String env) {
    Map<String, String> props = AppProperties.parse(env, APPS.file(env));
    assertThat(APPS.xmlFiles())
        .containsExactlyInAnyOrder(
            "bundle/bundle.xml",
            "daily/coordinator.xml",
            "daily/workflow.xml",
            "ingest/coordinator.xml",
            "ingest/workflow.xml");
    assertThat(APPS.problems(env, props)).isEmpty();
  }

  @Test
  void theDailyWorkflowRunsTheStepsInTheAgreedOrder() {
    assertThat(APPS.workflow("daily").successPath())
        .containsExactly("profiles", "anomalies", "load", "hive-register", "backtest");
    assertThat(APPS.workflow("ingest").successPath())
        .containsExactly("ingest", "hive-register", "mark-done");
  }

  @Test
  void aSchemaErrorNamesTheFileLineAndElement() {
    String broken =
        APPS.file("daily/workflow.xml")
            .replace("<main-class>", "<mainclass>")
            .replace("</main-class>", "</mainclass>");
    assertThat(OozieSchemas.validate("daily/workflow.xml", broken))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("daily/workflow.xml:")
                    .contains("cvc-complex-type")
                    .contains("mainclass"));
  }

  @Test
  void graphProblemsAreFound() {
    String xml =
        "<workflow-app xmlns='uri:oozie:workflow:1.0' name='w'>"
            + "<start to='a'/>"
            + "<action name='a'><fs><mkdir path='/x'/></fs><ok to='nowhere'/><error to='fail'/></action>"
            + "<kill name='fail'><message>m</message></kill><end name='end'/></workflow-app>";
    assertThat(Workflow.parse("w.xml", xml).problems())
        .containsExactly("w.xml: action 'a' goes to 'nowhere', which is not a node");

    String errorToEnd =
        "<workflow-app xmlns='uri:oozie:workflow:1.0' name='w'>"
            + "<start to='a'/>"
            + "<action name='a'><fs><mkdir path='/x'/></fs><ok to='end'/><error to='end'/></action>"
            + "<action name='orphan'><fs><mkdir path='/y'/></fs><ok to='end'/><error to='fail'/></action>"
            + "<kill name='fail'><message>m</message></kill><end name='end'/></workflow-app>";
    assertThat(Workflow.parse("w.xml", errorToEnd).problems())
        .containsExactlyInAnyOrder(
            "w.xml: node 'orphan' cannot be reached from <start>",
            "w.xml: node 'fail' cannot be reached from <start>",
            "w.xml: the error path of action 'a' does not end at a kill node");

    String badFork =
        "<workflow-app xmlns='uri:oozie:workflow:1.0' name='w'>"
            + "<start to='f'/><fork name='f'><path start='a'/><path start='b'/></fork>"
            + "<action name='a'><fs><mkdir path='/x'/></fs><ok to='j'/><error to='fail'/></action>"
            + "<action name='b'><fs><mkdir path='/y'/></fs><ok to='end'/><error to='fail'/></action>"
            + "<join name='j' to='end'/>"
            + "<kill name='fail'><message>m</message></kill><end name='end'/></workflow-app>";
    assertThat(Workflow.parse("w.xml", badFork).problems())
        .singleElement()
        .asString()
        .contains("fork 'f' do not meet at one join");
  }

  @Test
  void variablesSetAsideElFunctionsAndConstants() {
    assertThat(
            AppProperties.variables(
                "${wf:errorMessage(wf:lastErrorNode())} ${coord:formatTime(coord:nominalTime(), 'yyyy/MM/dd')}"
                    + " ${slaShouldEndMinutes * MINUTES} ${root}/x/${YEAR} ${a eq 'b' ? c : d}"))
        .isEqualTo(Set.of("slaShouldEndMinutes", "root", "a", "c", "d"));
  }

  @Test
  void aMissingPropertyIsNamedWithTheFileThatNeedsIt() {
    Map<String, String> props =
        new java.util.HashMap<>(AppProperties.parse("local", APPS.file("env/local.properties")));
    props.remove("hiveJdbcUrl");
    assertThat(APPS.problems("my.properties", props))
        .contains(
            "daily/workflow.xml: ${hiveJdbcUrl} is not set in my.properties",
            "ingest/workflow.xml: ${hiveJdbcUrl} is not set in my.properties");
  }

  @Test
  void anEmptyPropertyIsAProblemOozieCannotResolveIt() {
    Map<String, String> props =
        new java.util.HashMap<>(AppProperties.parse("local", APPS.file("env/local.properties")));
    props.put("hiveServerPrincipal", "");
    assertThat(APPS.problems("p.properties", props))
        .contains(
            "daily/workflow.xml: ${hiveServerPrincipal} is empty in p.properties"
                + " (Oozie cannot resolve an empty property)");
  }

  @Test
  void propertiesResolveReferencesBetweenValues() {
    Map<String, String> p =
        AppProperties.parse(
            "p", "nameNode=hdfs://ns\nappRoot=${nameNode}/apps\nlib=${appRoot}/lib\n");
    assertThat(p).containsEntry("lib", "hdfs://ns/apps/lib");
  }
}
