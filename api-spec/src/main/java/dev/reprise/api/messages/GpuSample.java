package dev.reprise.api.messages;

import java.util.Objects;

/**
 * One reading of one GPU from {@code nvidia-smi}. Every measurement is nullable: the driver reports {@code [N/A]} or
 * {@code [Not Supported]} for fields a device (or a MIG slice, or a virtual GPU) does not expose.
 *
 * <p>Beware: on virtualised GPUs {@code utilizationGpuPercent} can read 0 under full load while power, SM clock and
 * memory used rise; do not treat 0 % alone as idle.
 *
 * @param index                 the device index as nvidia-smi numbers it
 * @param uuid                  the device UUID ({@code GPU-…})
 * @param name                  the product name
 * @param utilizationGpuPercent percent of time a kernel ran during the last sample period
 * @param memoryUsedMiB         device memory in use
 * @param memoryTotalMiB        device memory installed
 * @param powerDrawW            board power draw in watts
 * @param temperatureC          core temperature in degrees Celsius
 * @param smClockMHz            current SM clock
 */
public record GpuSample(
        int index,
        String uuid,
        String name,
        Integer utilizationGpuPercent,
        Long memoryUsedMiB,
        Long memoryTotalMiB,
        Double powerDrawW,
        Integer temperatureC,
        Integer smClockMHz) {

    public GpuSample {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(name, "name");
    }
}
