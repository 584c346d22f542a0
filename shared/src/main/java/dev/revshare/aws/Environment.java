package dev.revshare.aws;

/** Reads the functions' settings from environment variables, failing with a message that names them. */
public final class Environment {
    private Environment() {}

    public static String require(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set (template.yaml sets it in AWS)");
        }
        return value;
    }
}
