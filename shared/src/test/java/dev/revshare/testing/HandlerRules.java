package dev.revshare.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Handlers are adapters: they decode Lambda's event, call the application, and answer; they reach the
 * application and the wiring of AWS clients, never the AWS SDK, stripe-java or a store directly (Joda
 * time comes with the Lambda event classes: ScheduledEvent.getTime(); Powertools writes their logs and metrics;
 * org.crac carries SnapStart's runtime hooks).
 */
public final class HandlerRules {
    private HandlerRules() {}

    /**
     * @param applicationPackages the packages of the application the handlers call, e.g. {@code dev.revshare.ingest}
     *                            (the reconcile worker: reconciliation, and the closing job it hands on)
     */
    public static void checkHandlersIn(String handlerPackage, String... applicationPackages) {
        java.util.List<String> allowed = new java.util.ArrayList<>(java.util.List.of("java..", "org.slf4j..",
                "com.amazonaws.services.lambda.runtime..", "org.joda.time..", "software.amazon.lambda.powertools..",
                "org.crac..", "dev.revshare.functions..", "dev.revshare.aws..", "dev.revshare.json.."));
        for (String application : applicationPackages) {
            allowed.add(application + "..");
        }
        classes().that().resideInAPackage("dev.revshare.functions..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(handlerPackage));
    }
}
