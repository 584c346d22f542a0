package dev.revshare.functions.webhook;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Handlers are adapters: they decode Lambda's event, call the application, and answer; they reach the
 * application and the wiring of AWS clients, never the AWS SDK, stripe-java or a store directly (Joda time
 * comes with the Lambda event classes: ScheduledEvent.getTime()).
 */
class HandlerArchitectureTest {

    @Test
    void handlersReachTheApplicationAndTheWiringOnly() {
        classes().that().resideInAPackage("dev.revshare.functions..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.slf4j..",
                        "com.amazonaws.services.lambda.runtime..", "org.joda.time..", "dev.revshare.functions..", "dev.revshare.ingest..",
                        "dev.revshare.aws..", "dev.revshare.json..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.revshare.functions.webhook"));
    }
}
