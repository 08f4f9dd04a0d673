package tsl.linker.cuda;

import tsl.tensor.DType;
import tsl.tensor.NDArray;

/**
 * A value during one call: on the host, on the device, or both. Each side is made on first
 * demand, so a run of host-only nodes (shapes, small index vectors) never visits the device,
 * and a run of kernels never visits the host.
 */
final class CudaValue {
    private NDArray host;
    private DeviceArray device;

    private CudaValue(NDArray host, DeviceArray device) {
        this.host = host;
        this.device = device;
    }

    static CudaValue onHost(NDArray a) {
        return new CudaValue(a, null);
    }

    static CudaValue onDevice(DeviceArray d) {
        return new CudaValue(null, d);
    }

    /**
     * A shared variable's or constant's value: on the device, and on the host too unless
     * {@code host} is a placeholder for a value that lives only on the device.
     */
    static CudaValue resident(NDArray host, DeviceArray device) {
        return new CudaValue(ResidentValue.isPlaceholder(host) ? null : host, device);
    }

    DType dtype() {
        return host != null ? host.dtype() : device.dtype();
    }

    int[] shape() {
        return host != null ? host.shape() : device.shape().clone();
    }

    boolean isOnDevice() {
        return device != null;
    }

    DeviceArray device(CudaRun run) {
        if (device == null) {
            device = run.upload(host);
        }
        return device;
    }

    NDArray host(CudaRun run) {
        if (host == null) {
            host = run.download(device);
        }
        return host;
    }
}
