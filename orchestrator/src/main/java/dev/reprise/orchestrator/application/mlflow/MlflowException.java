package dev.reprise.orchestrator.application.mlflow;

/**
 * An MLflow API error: MLflow's error code and the HTTP status MLflow answers it with. Only the MLflow API throws
 * it; its resource writes {@code {"error_code": ..., "message": ...}}.
 */
public class MlflowException extends RuntimeException {

    private final String errorCode;
    private final int status;

    public MlflowException(String errorCode, int status, String message) {
        super(message);
        this.errorCode = errorCode;
        this.status = status;
    }

    public String errorCode() {
        return errorCode;
    }

    public int status() {
        return status;
    }

    public static MlflowException invalid(String message) {
        return new MlflowException("INVALID_PARAMETER_VALUE", 400, message);
    }

    public static MlflowException malformed(String message) {
        return new MlflowException("MALFORMED_REQUEST", 400, message);
    }

    public static MlflowException notFound(String message) {
        return new MlflowException("RESOURCE_DOES_NOT_EXIST", 404, message);
    }

    public static MlflowException exists(String message) {
        return new MlflowException("RESOURCE_ALREADY_EXISTS", 400, message);
    }

    public static MlflowException denied(String message) {
        return new MlflowException("PERMISSION_DENIED", 403, message);
    }

    public static MlflowException internal(String message) {
        return new MlflowException("INTERNAL_ERROR", 500, message);
    }
}
