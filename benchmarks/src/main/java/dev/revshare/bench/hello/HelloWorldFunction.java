package dev.revshare.bench.hello;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The cold-start benchmark's baseline: a handler that does nothing but answer, packaged alone
 * (target/benchmarks-hello-world.jar) and started exactly as the functions are. What a function's first
 * answer takes beyond this one's is the function's own start-up.
 */
public final class HelloWorldFunction implements RequestHandler<Map<String, Object>, String> {
    public static final String ANSWER = "hello world";

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return ANSWER;
    }
}
