package dev.reprise.orchestrator.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * In CI ({@code CI} set, as {@code .ci/run} does), a test that would be skipped fails instead: a failed assumption
 * (a missing browser, a broker not started by services.sh) there is a broken set-up, and a skip would let it pass
 * unnoticed. Registered for every test of this module through JUnit's extension auto-detection
 * ({@code META-INF/services}; quarkus-junit's {@code junit-platform.properties} turns auto-detection on).
 */
public final class NoSkipsInCi implements InvocationInterceptor {

    /** Whether skips are failures here: {@code CI} is set to anything but {@code false}. */
    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    /**
     * An assumption that holds in CI whether or not this extension was auto-detected: false skips the test here and
     * fails it in CI (the set-up is broken there).
     */
    public static void assume(boolean condition, String message) {
        if (!condition) {
            throw skipOrFail(new TestAbortedException("Assumption failed: " + message));
        }
    }

    /** Turns a would-be skip into a failure in CI; otherwise rethrows it (the test is skipped). */
    public static RuntimeException skipOrFail(TestAbortedException skip) {
        return skipOrFail(skip, inCi());
    }

    static RuntimeException skipOrFail(TestAbortedException skip, boolean ci) {
        if (ci) {
            throw new AssertionError("would be skipped, which CI does not allow: " + skip.getMessage(), skip);
        }
        return skip;
    }

    private static <T> T guarded(Invocation<T> invocation) throws Throwable {
        try {
            return invocation.proceed();
        } catch (TestAbortedException e) {
            throw skipOrFail(e);
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        guarded(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        guarded(invocation);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        guarded(invocation);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        guarded(invocation);
    }
}
