package dev.reprise.orchestrator.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fails start-up when a REST endpoint has no {@link Access} rule, so an endpoint added without one never serves a
 * single request (the filter would refuse it anyway).
 */
@ApplicationScoped
public class AccessRulesCheck {

    private final BeanManager beans;

    public AccessRulesCheck(BeanManager beans) {
        this.beans = beans;
    }

    void check(@Observes StartupEvent event) {
        List<String> missing = unruled(resourceClasses());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("REST endpoints without an @Access rule (add one; see docs/security.md): "
                    + String.join(", ", missing));
        }
    }

    /** The REST resource classes among the beans. */
    public Collection<Class<?>> resourceClasses() {
        Set<Class<?>> classes = new java.util.LinkedHashSet<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> c = bean.getBeanClass();
            if (c.isAnnotationPresent(Path.class) && c.getName().startsWith("dev.reprise.")) {
                classes.add(c);
            }
        }
        return classes;
    }

    /** Class#method of each endpoint method without a rule, sorted. */
    public static List<String> unruled(Collection<Class<?>> resources) {
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : resources) {
            for (Method m : c.getMethods()) {
                if (isEndpoint(m) && !m.isAnnotationPresent(Access.class)) {
                    missing.add(c.getSimpleName() + "#" + m.getName());
                }
            }
        }
        return new ArrayList<>(missing);
    }

    static boolean isEndpoint(Method m) {
        for (Annotation a : m.getAnnotations()) {
            if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }
}
