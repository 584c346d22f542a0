package dev.revshare.aws;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * A deployed revshare stack, as its CloudFormation outputs name its parts (template.yaml's Outputs), so
 * that the command line operates on it by the stack's name alone.
 */
public record DeployedStack(String stackName, String tableName, String eventBusName, String statementsFunction,
                            String webhookUrl, String statementSender, String configurationSet,
                            String stripeApiKeyParameter, String agreementSecretPrefix, String stripePayoutKeyParameter,
                            String pageUrl, String pageSecretParameter) {

    /** A stack without the parties' page or a payout key parameter (deployed before they existed). */
    public DeployedStack(String stackName, String tableName, String eventBusName, String statementsFunction,
                         String webhookUrl, String statementSender, String configurationSet,
                         String stripeApiKeyParameter, String agreementSecretPrefix) {
        this(stackName, tableName, eventBusName, statementsFunction, webhookUrl, statementSender, configurationSet,
                stripeApiKeyParameter, agreementSecretPrefix, DEFAULT_STRIPE_PAYOUT_KEY_PARAMETER, null,
                SsmPageSecret.DEFAULT_PARAMETER);
    }

    /** template.yaml's defaults for the parameters below, for a table named without its stack. */
    public static final String DEFAULT_STRIPE_API_KEY_PARAMETER = "/revshare/stripe/api-key";
    public static final String DEFAULT_AGREEMENT_SECRET_PREFIX = "/revshare/stripe/agreements/";
    /** Where the Connect platform's key that may make transfers is kept (payouts by Stripe transfer). */
    public static final String DEFAULT_STRIPE_PAYOUT_KEY_PARAMETER = "/revshare/stripe/payout-key";

    /** @throws StackProblem when the stack cannot be read, or lacks an output this version of revshare needs */
    public static DeployedStack describe(CloudFormationClient cloudFormation, String stackName) {
        Stack stack;
        try {
            stack = cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().stream().findFirst()
                    .orElseThrow(() -> new StackProblem("no stack named " + stackName));
        } catch (CloudFormationException e) {
            throw new StackProblem("cannot read stack " + stackName + " (" + e.awsErrorDetails().errorMessage()
                    + "): check its name, the region (AWS_REGION or your profile's) and your credentials");
        }
        Map<String, String> outputs = new HashMap<>();
        stack.outputs().forEach(output -> outputs.put(output.outputKey(), output.outputValue()));
        // where the webhook reads its Stripe API keys: the stack's parameters (template.yaml), as deployed
        Map<String, String> parameters = new HashMap<>();
        stack.parameters().forEach(parameter -> parameters.put(parameter.parameterKey(), parameter.parameterValue()));
        return new DeployedStack(stackName, required(outputs, stackName, "TableName"), outputs.get("EventBusName"),
                outputs.get("StatementsFunctionName"), outputs.get("WebhookUrl"), outputs.get("StatementSender"),
                outputs.get("StatementsConfigurationSet"),
                parameters.getOrDefault("StripeApiKeyParameterName", DEFAULT_STRIPE_API_KEY_PARAMETER),
                parameters.getOrDefault("AgreementSecretPrefix", DEFAULT_AGREEMENT_SECRET_PREFIX),
                parameters.getOrDefault("StripePayoutKeyParameterName", DEFAULT_STRIPE_PAYOUT_KEY_PARAMETER), outputs.get("PageUrl"),
                parameters.getOrDefault("PageSecretParameterName", SsmPageSecret.DEFAULT_PARAMETER));
    }

    private static String required(Map<String, String> outputs, String stackName, String key) {
        String value = outputs.get(key);
        if (value == null || value.isBlank()) {
            throw new StackProblem("stack " + stackName + " has no output " + key
                    + ": is it a revshare stack? Deploy the current template.yaml (sam deploy) and try again");
        }
        return value;
    }

    /** What is wrong with the stack named, said so that a person can fix it. */
    public static final class StackProblem extends RuntimeException {
        public StackProblem(String message) {
            super(message);
        }
    }
}
