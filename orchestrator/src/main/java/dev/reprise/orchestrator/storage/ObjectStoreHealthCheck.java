package dev.reprise.orchestrator.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the object store answers and the bucket exists (it is created on the first successful check). */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    private final ObjectStore store;

    public ObjectStoreHealthCheck(ObjectStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.ensureBucket();
            return HealthCheckResponse.named("object-store").up().withData("bucket", store.bucket()).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("object-store").down()
                    .withData("bucket", store.bucket())
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
