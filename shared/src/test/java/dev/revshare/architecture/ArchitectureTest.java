package dev.revshare.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape a newcomer can rely on, held as tests: a pure domain; no package that needs another which
 * needs it back; the AWS SDK only in the adapters that talk to AWS, stripe-java only in the Stripe
 * adapter; and the application never reaching for what runs it (a Lambda handler, the command line).
 */
class ArchitectureTest {
    private static final JavaClasses REVSHARE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.revshare");

    @Test
    void theDomainDependsOnJavaAlone() {
        classes().that().resideInAPackage("dev.revshare.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.revshare.domain..")
                .check(REVSHARE);
    }

    @Test
    void noPackageDependsOnOneThatDependsOnItBack() {
        slices().matching("dev.revshare.(*)..").should().beFreeOfCycles().check(REVSHARE);
    }

    @Test
    void onlyTheAwsAdaptersUseTheAwsSdk() {
        noClasses().that().resideOutsideOfPackage("dev.revshare.aws..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .check(REVSHARE);
    }

    @Test
    void onlyTheStripeAdapterUsesStripeJava() {
        noClasses().that().resideOutsideOfPackage("dev.revshare.stripe..")
                .should().dependOnClassesThat().resideInAPackage("com.stripe..")
                .check(REVSHARE);
    }

    @Test
    void theApplicationNeverReachesForWhatRunsIt() {
        noClasses().that().resideInAnyPackage("dev.revshare.ingest..", "dev.revshare.statements..", "dev.revshare.review..", "dev.revshare.reconcile..",
                        "dev.revshare.payouts..",
                        "dev.revshare.store..", "dev.revshare.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.revshare.aws..", "dev.revshare.functions..",
                        "dev.revshare.cli..", "com.amazonaws.services.lambda..")
                .check(REVSHARE);
    }
}
