package dev.revshare.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Handlers are adapters: they decode Lambda's event, call the application, and answer; they reach the
 * application and the wiring of AWS clients, never the AWS SDK, stripe-java or a store directly (Joda
 * time comes with the Lambda event classes: ScheduledEvent.getTime(); Powertools writes their logs and metrics;
 * org.crac carries SnapStart's runtime hooks).
 */
public final class HandlerRules {
    private HandlerRules() {}

    /** @param applicationPackage the package of the application the handlers call, e.g. {@code dev.revshare.ingest} */
    public static void checkHandlersIn(String handlerPackage, String applicationPackage) {
        checkHandlersIn(handlerPackage, applicationPackage, new String[0]);
    }

    /** @param morePackages other application packages they call (the reconcile worker hands a closing job on) */
    public static void checkHandlersIn(String handlerPackage, String applicationPackage, String... morePackages) {
        List<String> allowed = new ArrayList<>(List.of("java..", "org.slf4j..",
                "com.amazonaws.services.lambda.runtime..", "org.joda.time..", "software.amazon.lambda.powertools..",
                "org.crac..", "dev.revshare.functions..", "dev.revshare.aws..", "dev.revshare.json..",
                applicationPackage + ".."));
        for (String application : morePackages) {
            allowed.add(application + "..");
        }
        classes().that().resideInAPackage("dev.revshare.functions..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(handlerPackage));
    }
}
